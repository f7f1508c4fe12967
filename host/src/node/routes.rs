//! The HTTP handlers.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use serde::Deserialize;
use serde_json::Value;
use tokensign_core::legacy::LegacyTx;
use tokensign_core::tx::{OpType, Operation};
use tokensign_core::{json, Address};

use super::error::{codes, ApiError, MintError};
use super::failure::StoreError;
use super::store::{hex0x, IssueJob, MintJob};
use super::AppState;
use crate::api::{
    ActivationSource, ChainIdAnswer, DomainSeparatedSupport, HashTokenAnswer, MintInfo,
    MintSuccess, NativeWriteMode, NodeStatus, NonceAnswer, Transaction, TransactionReceipt,
};
use crate::input::{describe_core_error, Document};

/// The extended OpenAPI document served at `/openapi.json`.
pub const OPENAPI_JSON: &str = include_str!("../../openapi/tokensign-node.openapi.json");

/// Why a body could not be read.
enum BodyError {
    Unsupported(String),
    TooLarge(usize),
    Timeout(std::time::Duration),
    Read(String),
}

fn check_json_content_type(headers: &HeaderMap) -> Result<(), BodyError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(BodyError::Unsupported(
            "Content-Type header is missing; expected application/json".into(),
        ));
    };
    let text = value.to_str().unwrap_or("");
    let essence = text.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(BodyError::Unsupported(format!(
            "Content-Type {text:?} is not supported; expected application/json"
        )))
    }
}

/// Reads the whole body, bounded in size and in time.
async fn read_body(state: &AppState, headers: &HeaderMap, body: Body) -> Result<Bytes, BodyError> {
    check_json_content_type(headers)?;
    let limit = state.inner.config.body_limit;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(BodyError::TooLarge(limit));
    }
    let timeout = state.inner.config.body_timeout;
    match tokio::time::timeout(timeout, Limited::new(body, limit).collect()).await {
        Err(_) => Err(BodyError::Timeout(timeout)),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Err(BodyError::TooLarge(limit))
        }
        Ok(Err(e)) => Err(BodyError::Read(e.to_string())),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

impl From<BodyError> for ApiError {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::Unsupported(m) => ApiError::bad_request(codes::UNSUPPORTED_MEDIA_TYPE, m),
            BodyError::TooLarge(limit) => ApiError::bad_request(
                codes::BODY_TOO_LARGE,
                format!("request body is larger than the limit of {limit} bytes"),
            ),
            BodyError::Timeout(t) => ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                codes::REQUEST_TIMEOUT,
                format!("request body did not arrive within {} ms", t.as_millis()),
            ),
            BodyError::Read(m) => ApiError::bad_request(
                codes::BODY_READ_ERROR,
                format!("request body could not be read: {m}"),
            ),
        }
    }
}

impl From<BodyError> for MintError {
    fn from(e: BodyError) -> Self {
        MintError::invalid_input(ApiError::from(e).message)
    }
}

/// `POST /v1/tokens/issue`
pub(crate) async fn issue(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<HashTokenAnswer>, ApiError> {
    let bytes = read_body(&state, &headers, body).await?;
    let request: LegacyTx = json::parse_legacy(OpType::TokenIssue, &bytes).map_err(|e| {
        tracing::info!(error = %e, "issue refused: body");
        // The core's message, with an unknown field named.
        let mut refusal = ApiError::from_core(e);
        refusal.message = describe_core_error(e, Document::Request);
        refusal
    })?;
    // Signature recovery here, in parallel across requests; high-S,
    // out-of-range scalars and unrecoverable signatures are refused by the
    // core's checks (the arithmetic is libsecp256k1's with the host feature
    // `libsecp256k1`, see crate::recovery).
    let hashes = request
        .signing_hash()
        .and_then(|s| request.tx_hash().map(|t| (s, t)))
        .map_err(ApiError::from_core)?;
    let (signing_hash, hash) = hashes;
    let signer = crate::recovery::recover_hash(&signing_hash, &request.signature).map_err(|e| {
        tracing::info!(error = %e, "issue refused: signature");
        ApiError::from_core(e)
    })?;
    let Operation::TokenIssue(issue) = &request.tx.operation else {
        return Err(ApiError::internal());
    };
    let issue = issue.clone();
    let p = &request.tx;
    let config = &state.inner.config;
    if p.chain_id != config.chain_id {
        return Err(ApiError::unprocessable(
            codes::WRONG_CHAIN_ID,
            format!(
                "chain_id {} is not this server's chain id {}",
                p.chain_id, config.chain_id
            ),
        ));
    }
    if !state.inner.operators.is_empty() && !state.inner.operators.contains(&signer) {
        tracing::info!(%signer, "issue refused: not an operator");
        return Err(ApiError::unprocessable(
            codes::SIGNER_NOT_OPERATOR,
            format!("signer {signer} is not an operator of this server"),
        ));
    }
    let token = issue.token_address();
    let job = IssueJob {
        request,
        issue,
        signer,
        hash,
        token,
    };
    match state.inner.store.issue(job).await {
        Ok(()) => {
            let hash = hex0x(&hash);
            tracing::info!(%hash, %token, %signer, "token issued");
            Ok(Json(HashTokenAnswer {
                hash,
                token: token.to_string(),
            }))
        }
        Err(e) => {
            tracing::info!(code = e.code, message = %e.message, "issue refused");
            Err(e)
        }
    }
}

/// `GET /v1/chains/chain_id`
pub(crate) async fn chain_id(State(state): State<AppState>) -> Json<ChainIdAnswer> {
    Json(ChainIdAnswer {
        chain_id: state.inner.config.chain_id,
    })
}

/// The write mode this node answers on `GET /api/status`: it accepts only
/// legacy (v1) writes, so `v1_only`, never activated, no validators.
pub const STATUS: NodeStatus = NodeStatus {
    native_write_mode: NativeWriteMode::V1Only,
    read_only: false,
    activation_source: ActivationSource::NotActivated,
    dual_activated_at_secs: None,
    native_domain_separated_transactions: DomainSeparatedSupport {
        support_count: 0,
        required_count: 0,
        full_support: false,
    },
};

/// `GET /api/status`
pub(crate) async fn status() -> Json<NodeStatus> {
    Json(STATUS)
}

type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

fn param<'a>(params: &'a Params, name: &str) -> Result<&'a str, ApiError> {
    let Query(map) = params.as_ref().map_err(|e| {
        ApiError::bad_request(codes::INVALID_QUERY, format!("invalid query string: {e}"))
    })?;
    map.get(name).map(String::as_str).ok_or_else(|| {
        ApiError::bad_request(
            codes::MISSING_PARAMETER,
            format!("missing query parameter `{name}`"),
        )
    })
}

fn address_param(params: &Params, name: &str) -> Result<Address, ApiError> {
    let text = param(params, name)?;
    Address::parse(text).map_err(|e| {
        ApiError::bad_request(
            codes::INVALID_ADDRESS,
            format!("query parameter `{name}`: {e}"),
        )
    })
}

fn storage_error(e: StoreError) -> ApiError {
    tracing::error!(error = %e, "storage read failed");
    ApiError::internal()
}

fn json_text(text: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// The 32-byte hash in the query parameter `hash`.
fn hash_param(params: &Params) -> Result<[u8; 32], ApiError> {
    let text = param(params, "hash")?;
    crate::text::parse_hex32(text).ok_or_else(|| {
        ApiError::bad_request(
            codes::INVALID_HASH,
            "query parameter `hash` must be 0x followed by 64 hex digits",
        )
    })
}

fn no_transaction(hash: &[u8; 32]) -> ApiError {
    ApiError::not_found(
        codes::TRANSACTION_NOT_FOUND,
        format!("no transaction with hash {}", hex0x(hash)),
    )
}

/// `GET /v1/accounts/nonce?address=0x..`
pub(crate) async fn nonce(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<NonceAnswer>, ApiError> {
    let address = address_param(&params, "address")?;
    let nonce = state.inner.store.nonce(&address).map_err(storage_error)?;
    Ok(Json(NonceAnswer { nonce }))
}

/// `GET /v1/transactions/by_hash?hash=0x..`
pub(crate) async fn by_hash(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Transaction>, ApiError> {
    let hash = hash_param(&params)?;
    match state
        .inner
        .store
        .transaction(&hash)
        .map_err(storage_error)?
    {
        Some(record) => Ok(Json(record.to_wire())),
        None => Err(no_transaction(&hash)),
    }
}

/// `GET /v1/transactions/receipt/by_hash?hash=0x..`
pub(crate) async fn receipt(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<TransactionReceipt>, ApiError> {
    let hash = hash_param(&params)?;
    match state
        .inner
        .store
        .transaction(&hash)
        .map_err(storage_error)?
    {
        Some(record) => Ok(Json(record.to_receipt())),
        None => Err(no_transaction(&hash)),
    }
}

/// `GET /v1/tokens/token_metadata?token=0x..`
pub(crate) async fn token_metadata(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<MintInfo>, ApiError> {
    let token = address_param(&params, "token")?;
    match state.inner.store.token(&token).map_err(storage_error)? {
        Some(record) => Ok(Json(record.to_wire())),
        None => Err(ApiError::not_found(
            codes::TOKEN_NOT_FOUND,
            format!("no token at address {token}"),
        )),
    }
}

/// `GET /openapi.json`
pub(crate) async fn openapi() -> Response {
    json_text(OPENAPI_JSON.to_owned())
}

/// Unknown routes: 404 `NOT_FOUND`.
pub(crate) async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(
        codes::NOT_FOUND,
        format!("no route for {method} {}", uri.path()),
    )
}

/// Known path, wrong method: 404 `METHOD_NOT_ALLOWED` (the spec has no 405).
pub(crate) async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(
        codes::METHOD_NOT_ALLOWED,
        format!("method {method} is not allowed on {}", uri.path()),
    )
}

/// The mint request ([`crate::api::MintRequest`]) read field by field:
/// every field optional here so that a missing or mistyped one gets the
/// document's `INVALID_INPUT` with a precise detail.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MintBody {
    #[serde(default)]
    asset_id: Option<Value>,
    #[serde(default)]
    amount: Option<Value>,
    #[serde(default)]
    recipient_wallet_address: Option<Value>,
}

/// Longest accepted `recipient_wallet_address`, in bytes.
pub const MAX_RECIPIENT_LEN: usize = 256;

fn required<'a>(v: &'a Option<Value>, name: &str) -> Result<&'a Value, MintError> {
    match v {
        None | Some(Value::Null) => {
            Err(MintError::invalid_input(format!("missing field `{name}`")))
        }
        Some(v) => Ok(v),
    }
}

fn non_empty_string<'a>(v: &'a Option<Value>, name: &str) -> Result<&'a str, MintError> {
    match required(v, name)? {
        Value::String(s) if s.is_empty() => Err(MintError::invalid_input(format!(
            "field `{name}` must not be empty"
        ))),
        Value::String(s) => Ok(s),
        _ => Err(MintError::invalid_input(format!(
            "field `{name}` must be a string"
        ))),
    }
}

/// A positive amount as plain decimal text.
fn amount_text(n: &serde_json::Number) -> Result<String, MintError> {
    if let Some(u) = n.as_u64() {
        return Ok(u.to_string());
    }
    if n.is_i64() {
        return Err(MintError::invalid_input("amount must be greater than zero"));
    }
    match n.as_f64() {
        Some(f) if f.is_finite() && f > 0.0 => Ok(format!("{f}")),
        _ => Err(MintError::invalid_input("amount must be greater than zero")),
    }
}

/// `POST /api/tokens/mint` (ABC-Lab mint API).
pub(crate) async fn mint(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<MintSuccess>, MintError> {
    let bytes = read_body(&state, &headers, body).await?;
    let body: MintBody = serde_json::from_slice(&bytes)
        .map_err(|e| MintError::invalid_input(format!("invalid JSON body: {e}")))?;
    let asset_id = non_empty_string(&body.asset_id, "asset_id")?.to_owned();
    let amount = match required(&body.amount, "amount")? {
        Value::Number(n) => n.clone(),
        _ => return Err(MintError::invalid_input("field `amount` must be a number")),
    };
    let amount_text = amount_text(&amount)?;
    let recipient = non_empty_string(&body.recipient_wallet_address, "recipient_wallet_address")?;
    if recipient.len() > MAX_RECIPIENT_LEN || recipient.chars().any(char::is_control) {
        return Err(MintError::invalid_input(format!(
            "field `recipient_wallet_address` must be at most {MAX_RECIPIENT_LEN} bytes without control characters"
        )));
    }
    let job = MintJob {
        asset_id,
        amount,
        amount_text,
        recipient: recipient.to_owned(),
    };
    let record = state.inner.store.mint(job).await.inspect_err(|e| {
        tracing::info!(code = e.code, detail = %e.detail, "mint refused");
    })?;
    tracing::info!(token_id = %record.token_id, asset_id = %record.asset_id, "minted");
    Ok(Json(record.to_wire()))
}
