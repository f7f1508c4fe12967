//! The server's errors: one [`ApiError`] per refusal, each with an HTTP
//! status from the spec's list and a precise `error_code`.
//!
//! Every [`tokensign_core::Error`] variant maps to one code in
//! [`ApiError::from_core`]; the message is the core error's `Display`, so it
//! names the exact cause.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use tokensign_core::{Error as CoreError, Field, JsonError, Problem};

use crate::api::RestErrorData;
use crate::node::ledger::Refusal;
use crate::node::writer::Rejected;

pub mod codes;
mod mint;

pub use mint::{mint_codes, MintError};

/// A refusal of the `/v1/...` API: an HTTP status and a `RESTErrorData`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// 400, 404, 408, 422 or 500.
    pub status: StatusCode,
    /// The `error_code` (one of the `codes` constants).
    pub code: &'static str,
    /// The message.
    pub message: String,
}

impl ApiError {
    /// An error with the given status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 with `code`.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 422 (business rule) with `code`.
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    /// 422 for a ledger rule's refusal, with its code ([`rule_code`]) and
    /// its message.
    pub fn refused(refusal: &Refusal) -> Self {
        Self::unprocessable(rule_code(refusal), refusal.to_string())
    }

    /// [`ApiError::refused`] for a transaction sent without a signature
    /// (`POST /dev/send`): the same code, the advice of
    /// [`Refusal::unsigned_message`].
    pub fn refused_unsigned(refusal: &Refusal) -> Self {
        Self::unprocessable(rule_code(refusal), refusal.unsigned_message())
    }

    /// 404 with `code`.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// 500 `INTERNAL_ERROR`. The detail is logged by the caller, not sent.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL_ERROR,
            "internal server error",
        )
    }

    /// 503 `DATABASE_UNAVAILABLE`. The detail is logged by the caller.
    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::DATABASE_UNAVAILABLE,
            "the node's database cannot be reached or did not confirm the commit: retry in a \
             moment (a write may have been stored: read it by hash before sending it again)",
        )
    }

    /// The error code (400) for a core error; the message is its `Display`.
    pub fn from_core(err: CoreError) -> Self {
        Self::bad_request(core_error_code(err), err.to_string())
    }

    /// The `RESTErrorData` body.
    pub fn body(&self) -> RestErrorData {
        RestErrorData {
            error_code: self.code.to_owned(),
            message: self.message.clone(),
        }
    }
}

/// The `error_code` of each core error. Exhaustive: a new core variant fails
/// to compile here until it is given a code.
pub fn core_error_code(err: CoreError) -> &'static str {
    match err {
        CoreError::Invalid { at, problem } => match (at.field, problem) {
            (_, Problem::Address(_)) => codes::INVALID_ADDRESS,
            (Field::ChainId | Field::Nonce, _) => codes::INVALID_NUMBER,
            (Field::Decimals, _) => codes::INVALID_DECIMALS,
            (Field::Symbol, _) => codes::INVALID_SYMBOL,
            (Field::Name, _) => codes::INVALID_NAME,
            (Field::Signature | Field::R | Field::S | Field::V, _) => codes::INVALID_SIGNATURE,
            (Field::AuthorizationType, Problem::UnknownVariant) => {
                codes::UNSUPPORTED_AUTHORIZATION_TYPE
            }
            // A number outside its field's range, however it is outside.
            (_, Problem::OutOfRange { .. } | Problem::Zero | Problem::Amount(_)) => {
                codes::INVALID_NUMBER
            }
            _ => codes::INVALID_VALUE,
        },
        CoreError::Json(j) => match j {
            JsonError::Syntax
            | JsonError::Grammar { .. }
            | JsonError::TrailingCharacters
            | JsonError::InvalidString(_)
            | JsonError::TooDeep => codes::MALFORMED_JSON,
            JsonError::WrongType(_) => codes::INVALID_TYPE,
            JsonError::InvalidNumber(_) => codes::INVALID_NUMBER,
            JsonError::UnknownField(_) => codes::UNKNOWN_FIELD,
            JsonError::DuplicateField(_) => codes::DUPLICATE_FIELD,
            JsonError::MissingField(_) => codes::MISSING_FIELD,
            JsonError::TooLong => codes::BODY_TOO_LARGE,
        },
        CoreError::InvalidRecoveryId
        | CoreError::SignatureScalarOutOfRange
        | CoreError::HighS
        | CoreError::RecoveryFailed
        | CoreError::SignerMismatch => codes::INVALID_SIGNATURE,
        CoreError::LegacySignatureInNativeBody => codes::DOMAIN_SEPARATED_SIGNATURE_REQUIRED,
        CoreError::NotInScheme | CoreError::UnknownOperation | CoreError::WrongDomain => {
            codes::INVALID_VALUE
        }
        // Not reachable from a request body (RLP is not an input of this
        // API), but mapped precisely all the same.
        CoreError::Rlp(_) => codes::MALFORMED_JSON,
        CoreError::BufferTooSmall | CoreError::SigningFailed | CoreError::InvalidSecretKey => {
            codes::INTERNAL_ERROR
        }
    }
}

/// The `error_code` (HTTP 422) of each ledger refusal. Exhaustive: a new
/// refusal fails to compile here until it is given a code (and
/// [`codes::RULE_CODES`] lists every code this returns; the ledger's tests
/// check each refusal they provoke against it).
pub fn rule_code(refusal: &Refusal) -> &'static str {
    match refusal {
        Refusal::WrongChainId { .. } => codes::WRONG_CHAIN_ID,
        Refusal::NonceMismatch { .. } => codes::NONCE_MISMATCH,
        Refusal::SignerNotOperator { .. } => codes::SIGNER_NOT_OPERATOR,
        Refusal::TokenAlreadyExists { .. } => codes::TOKEN_ALREADY_EXISTS,
        Refusal::SymbolAlreadyExists { .. } => codes::SYMBOL_ALREADY_EXISTS,
        Refusal::DuplicateTransaction { .. } => codes::DUPLICATE_TRANSACTION,
        Refusal::UnknownToken { .. } => codes::UNKNOWN_TOKEN,
        Refusal::NotAuthorized { .. } | Refusal::SelfGrant { .. } => codes::NOT_AUTHORIZED,
        Refusal::AllowanceExceeded { .. } => codes::ALLOWANCE_EXCEEDED,
        Refusal::InsufficientBalance { .. } => codes::INSUFFICIENT_BALANCE,
        Refusal::AmountOverflow(_) => codes::AMOUNT_OVERFLOW,
        Refusal::TokenPaused { .. } => codes::TOKEN_PAUSED,
        Refusal::AlreadyPaused { .. } => codes::ALREADY_PAUSED,
        Refusal::NotPaused { .. } => codes::NOT_PAUSED,
        Refusal::SenderBlacklisted { .. } => codes::SENDER_BLACKLISTED,
        Refusal::RecipientBlacklisted { .. } => codes::RECIPIENT_BLACKLISTED,
        Refusal::SenderNotWhitelisted { .. } => codes::SENDER_NOT_WHITELISTED,
        Refusal::RecipientNotWhitelisted { .. } => codes::RECIPIENT_NOT_WHITELISTED,
        Refusal::ClawbackDisabled { .. } => codes::CLAWBACK_DISABLED,
        Refusal::AccountNotFrozen { .. } => codes::ACCOUNT_NOT_FROZEN,
        Refusal::AuthorityAlreadyGranted { .. } => codes::AUTHORITY_ALREADY_GRANTED,
        Refusal::AuthorityNotHeld { .. } => codes::AUTHORITY_NOT_HELD,
        Refusal::AuthorityLimitReached { .. } => codes::AUTHORITY_LIMIT_REACHED,
        Refusal::ListNotForToken { .. } => codes::LIST_NOT_FOR_TOKEN,
        Refusal::AlreadyListed { .. } => codes::ALREADY_LISTED,
        Refusal::NotListed { .. } => codes::NOT_LISTED,
        Refusal::MultisigAlreadyExists { .. } => codes::MULTISIG_ALREADY_EXISTS,
        Refusal::MultisigAccountNotFound { .. } => codes::MULTISIG_ACCOUNT_NOT_FOUND,
        Refusal::NotAMultisigMember { .. } => codes::NOT_A_MULTISIG_MEMBER,
        Refusal::MultisigBelowThreshold { .. } => codes::MULTISIG_BELOW_THRESHOLD,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

impl From<Rejected<Refusal>> for ApiError {
    fn from(e: Rejected<Refusal>) -> Self {
        match e {
            Rejected::Refused(refusal) => ApiError::refused(&refusal),
            Rejected::Failed => ApiError::internal(),
            Rejected::Unavailable => ApiError::unavailable(),
        }
    }
}
