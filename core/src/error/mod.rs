//! The core's error type. Every variant names one cause, and every value
//! error names the field (and list position) it is about.
//!
//! - `field.rs`: which field ([`Field`], [`Location`]);
//! - `problem.rs`: what is wrong with a value ([`Problem`]);
//! - `json.rs`: why JSON was refused ([`JsonError`], [`Grammar`], [`Key`]).

mod field;
mod json;
mod problem;

use core::fmt;

pub use field::{Field, Location};
pub use json::{Grammar, JsonError, Key};
pub use problem::Problem;

use crate::rlp::{BufferFull, RlpError};

/// Every way the core can refuse an input. Each variant names one cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Error {
    /// A value breaks its field's rules.
    Invalid {
        /// Where the value is.
        at: Location,
        /// What is wrong with it.
        problem: Problem,
    },
    /// The JSON's shape was refused.
    Json(JsonError),
    /// The RLP's outer shape was refused (a field's own RLP error is
    /// [`Error::Invalid`] with [`Problem::Rlp`]).
    Rlp(RlpError),
    /// An operation that this scheme cannot carry (CreateMultiSig and
    /// BatchPayment exist only in native v2).
    NotInScheme,
    /// A native v2 body carries a legacy top-level `signature`.
    LegacySignatureInNativeBody,
    /// An operation type number or name that is none of the fourteen.
    UnknownOperation,
    /// A v2 envelope whose domain tag is not `1money.native.transaction.v2`.
    WrongDomain,
    /// The output buffer is too small for the encoding.
    BufferTooSmall,
    /// `v` is not 0 or 1.
    InvalidRecoveryId,
    /// `r` or `s` is zero or not below the curve order.
    SignatureScalarOutOfRange,
    /// `s` is in the upper half of the curve order (not low-S).
    HighS,
    /// The signature does not recover to a public key.
    RecoveryFailed,
    /// The signature recovers to another signer than the expected one.
    SignerMismatch,
    /// Signing produced a recovery id of 2 or 3 (x-coordinate reduced),
    /// which the network cannot express; or the key could not sign.
    SigningFailed,
    /// A secret key is zero or not below the curve order.
    InvalidSecretKey,
}

impl Error {
    /// A value error for `field`.
    pub const fn invalid(field: Field, problem: Problem) -> Self {
        Error::Invalid {
            at: Location::field(field),
            problem,
        }
    }

    /// A value error for `field` of the `index`-th list element.
    pub const fn invalid_at(field: Field, index: u16, problem: Problem) -> Self {
        Error::Invalid {
            at: Location::at(field, index),
            problem,
        }
    }

    /// The field this error is about, if any.
    pub const fn field(&self) -> Option<Field> {
        match self {
            Error::Invalid { at, .. } => Some(at.field),
            Error::Json(
                JsonError::WrongType(f)
                | JsonError::InvalidNumber(f)
                | JsonError::DuplicateField(f)
                | JsonError::MissingField(f)
                | JsonError::InvalidString(f),
            ) => Some(*f),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { at, problem } => write!(f, "`{at}` {problem}"),
            Error::Json(e) => write!(f, "invalid JSON: {e}"),
            Error::Rlp(e) => write!(f, "non-canonical RLP: {e}"),
            Error::NotInScheme => f.write_str(
                "this operation exists only in the native v2 scheme (CreateMultiSig, BatchPayment): sign it as v2",
            ),
            Error::LegacySignatureInNativeBody => f.write_str(
                "a v2 body carries `authorization`, not a legacy top-level `signature`: sign it as v2",
            ),
            Error::UnknownOperation => f.write_str(
                "unknown operation: use one of the fourteen names (Payment, TokenIssue, …, BatchPayment)",
            ),
            Error::WrongDomain => f.write_str(
                "the envelope's domain tag is not 1money.native.transaction.v2: not a v2 transaction",
            ),
            Error::BufferTooSmall => f.write_str("output buffer is too small"),
            Error::InvalidRecoveryId => f.write_str("signature v must be 0 or 1"),
            Error::SignatureScalarOutOfRange => {
                f.write_str("signature r and s must be non-zero and below the curve order")
            }
            Error::HighS => f.write_str("signature s must be in the lower half of the curve order"),
            Error::RecoveryFailed => f.write_str("signature does not recover to a public key"),
            Error::SignerMismatch => f.write_str("signature was made by another key"),
            Error::SigningFailed => f.write_str("signing failed (recovery id 2 or 3)"),
            Error::InvalidSecretKey => {
                f.write_str("secret key is zero or not below the curve order")
            }
        }
    }
}

impl core::error::Error for Error {}

impl From<RlpError> for Error {
    fn from(e: RlpError) -> Self {
        Error::Rlp(e)
    }
}

impl From<JsonError> for Error {
    fn from(e: JsonError) -> Self {
        Error::Json(e)
    }
}

impl From<BufferFull> for Error {
    fn from(_: BufferFull) -> Self {
        Error::BufferTooSmall
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn messages_name_the_field_and_position() {
        let e = Error::invalid_at(Field::OperationAmount, 3, Problem::Zero);
        assert_eq!(e.to_string(), "`operations[3].amount` must not be zero");
        let e = Error::invalid(Field::Symbol, Problem::Empty);
        assert_eq!(e.to_string(), "`symbol` must not be empty");
        let e = Error::Json(JsonError::UnknownField(Key::new("colour\u{202e}")));
        assert_eq!(
            e.to_string(),
            "invalid JSON: unknown field `colour\\u{202e}`"
        );
        // Look-alikes and quotes are escaped too.
        let e = Error::Json(JsonError::UnknownField(Key::new("a\"b\\c\td\u{441}'")));
        assert_eq!(
            e.to_string(),
            "invalid JSON: unknown field `a\\\"b\\\\c\\td\\u{441}\\'`"
        );
        let long = Key::new(&"k".repeat(40));
        assert_eq!(long.as_str().len(), 32);
        assert!(long.to_string().ends_with('…'));
        assert_eq!(Key::new("é".repeat(20).as_str()).as_str().len(), 32);
        assert_eq!(e.field(), None);
        assert_eq!(
            Error::Json(JsonError::MissingField(Field::Nonce)).field(),
            Some(Field::Nonce)
        );
    }
}
