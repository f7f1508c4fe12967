//! The HTTP handlers shared by every route (body reading, query
//! parameters), the node's own routes (status, health, OpenAPI, 404/405,
//! the retired raw route) and the ABC-Lab mint. Writes are in
//! [`super::writes`], ledger reads in [`super::reads`].

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use tokensign_core::Address;

use super::error::{codes, ApiError, MintError};
use super::failure::StoreError;
use super::mint::MintJob;
use super::records::hex0x;
use super::AppState;
use crate::api::{ChainIdAnswer, MintSuccess, NodeStatus};

/// Why a body could not be read.
pub(crate) enum BodyError {
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
pub(crate) async fn read_body(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<Bytes, BodyError> {
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

/// `GET /v1/chains/chain_id`
pub(crate) async fn chain_id(State(state): State<AppState>) -> Json<ChainIdAnswer> {
    Json(ChainIdAnswer {
        chain_id: state.inner.config.chain_id,
    })
}

pub(crate) type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

pub(crate) fn param<'a>(params: &'a Params, name: &str) -> Result<&'a str, ApiError> {
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

pub(crate) fn address_param(params: &Params, name: &str) -> Result<Address, ApiError> {
    let text = param(params, name)?;
    Address::parse(text).map_err(|e| {
        ApiError::bad_request(
            codes::INVALID_ADDRESS,
            format!("query parameter `{name}`: {e}"),
        )
    })
}

pub(crate) fn storage_error(e: StoreError) -> ApiError {
    tracing::error!(error = %e, "storage read failed");
    if e.is_unavailable() {
        ApiError::unavailable()
    } else {
        ApiError::internal()
    }
}

pub(crate) fn json_text(text: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// The 32-byte hash in the query parameter `hash`.
pub(crate) fn hash_param(params: &Params) -> Result<[u8; 32], ApiError> {
    let text = param(params, "hash")?;
    crate::show::parse_hex32(text).ok_or_else(|| {
        ApiError::bad_request(
            codes::INVALID_HASH,
            "query parameter `hash` must be 0x followed by 64 hex digits",
        )
    })
}

pub(crate) fn no_transaction(hash: &[u8; 32]) -> ApiError {
    ApiError::not_found(
        codes::TRANSACTION_NOT_FOUND,
        format!("no transaction with hash {}", hex0x(hash)),
    )
}

/// `GET /openapi.json`
pub(crate) async fn openapi() -> Response {
    json_text(super::openapi::document().to_owned())
}

/// Unknown routes: 404 `NOT_FOUND`.
pub(crate) async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(
        codes::NOT_FOUND,
        format!("no route for {method} {}", uri.path()),
    )
}

/// Known path, wrong method: 405 `METHOD_NOT_ALLOWED` (axum adds the
/// `Allow` header listing the path's methods).
pub(crate) async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        format!(
            "method {method} is not allowed on {}: use a method listed in the Allow header",
            uri.path()
        ),
    )
}

/// `POST /v1/transactions/raw`: retired on the network, 410 in every mode.
pub(crate) async fn raw_removed() -> ApiError {
    ApiError::new(
        StatusCode::GONE,
        codes::RAW_TRANSACTION_ENDPOINT_REMOVED,
        "POST /v1/transactions/raw was removed: send the operation to its own /v2 path (see GET /openapi.json)",
    )
}

/// `GET /api/health`: plain text `UP`.
pub(crate) async fn health() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "UP").into_response()
}

/// `GET /api/status`: the write mode.
pub(crate) async fn status(State(state): State<AppState>) -> Json<NodeStatus> {
    Json(state.status())
}

/// `POST /api/tokens/mint` (ABC-Lab mint API).
pub(crate) async fn mint(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<MintSuccess>, MintError> {
    let bytes = read_body(&state, &headers, body).await?;
    let job = MintJob::from_json(&bytes)?;
    let record = state.inner.writer.mint(job).await.map_err(|e| {
        let e = MintError::from(e);
        tracing::info!(code = e.code, detail = %e.detail, "mint refused");
        e
    })?;
    tracing::info!(token_id = %record.token_id, asset_id = %record.asset_id, "minted");
    Ok(Json(record.to_wire()))
}
