//! Fault injection: `POST /dev/faults {"path", "error_code", "status"?,
//! "count"?}` makes the next `count` writes on a native write path answer
//! `status` with a `RESTErrorData` carrying `error_code`, before anything
//! else happens (no body read, nothing stored), so that a client's
//! handling of refusals, outages and retries can be tested against a real
//! node. `GET /dev/faults` lists what is armed; `POST /dev/clear_faults`
//! disarms everything.
//!
//! The check sits in front of every route ([`inject`]); while nothing is
//! armed it costs one atomic load per request.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use tokensign_core::tx::OpType;

use super::parse;
use crate::api::dev::{Fault, FaultRequest, FaultsAnswer};
use crate::api::RestErrorData;
use crate::node::error::{codes, ApiError};
use crate::node::routes::read_body;
use crate::node::AppState;

/// Longest injected `error_code`.
pub const MAX_CODE_LEN: usize = 64;

/// One armed path.
#[derive(Clone, Debug)]
struct Armed {
    status: StatusCode,
    code: String,
    remaining: u64,
}

/// The armed faults, by path.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    /// How many paths are armed (the fast path's check).
    armed: AtomicUsize,
    table: Mutex<BTreeMap<String, Armed>>,
}

impl Faults {
    fn with_table<T>(&self, f: impl FnOnce(&mut BTreeMap<String, Armed>) -> T) -> T {
        let mut table = match self.table.lock() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        let out = f(&mut table);
        self.armed.store(table.len(), Ordering::Release);
        out
    }

    /// Takes one write of `path`: the fault to answer, if one is armed.
    fn take(&self, path: &str) -> Option<Armed> {
        if self.armed.load(Ordering::Acquire) == 0 {
            return None;
        }
        self.with_table(|table| {
            let armed = table.get_mut(path)?;
            armed.remaining = armed.remaining.saturating_sub(1);
            let fault = armed.clone();
            if armed.remaining == 0 {
                table.remove(path);
            }
            Some(fault)
        })
    }

    fn answer(&self) -> FaultsAnswer {
        self.with_table(|table| FaultsAnswer {
            faults: table
                .iter()
                .map(|(path, a)| Fault {
                    path: path.clone(),
                    status: a.status.as_u16(),
                    error_code: a.code.clone(),
                    remaining: a.remaining,
                })
                .collect(),
        })
    }
}

/// Answers an armed write with its fault instead of running it.
pub(crate) async fn inject(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::POST {
        if let Some(fault) = state.inner.dev.faults.take(request.uri().path()) {
            tracing::info!(path = %request.uri().path(), status = fault.status.as_u16(), code = %fault.code, "injected fault");
            let body = RestErrorData {
                error_code: fault.code,
                message: format!(
                    "injected by the development controls (POST /dev/faults): {} more write(s) \
                     on this path answer so; POST /dev/clear_faults disarms them",
                    fault.remaining
                ),
            };
            return (fault.status, Json(body)).into_response();
        }
    }
    next.run(request).await
}

fn is_write_path(path: &str) -> bool {
    OpType::ALL
        .iter()
        .any(|op| op.v2_path() == path || op.v1_path() == Some(path))
}

/// The node's own status for its `code`, if it is one of its codes (the
/// OpenAPI document's `ErrorCode` and its `x-status`).
fn status_of(code: &str) -> Option<u16> {
    let doc: serde_json::Value = serde_json::from_str(crate::node::openapi::document()).ok()?;
    doc.pointer("/components/schemas/ErrorCode/x-status")?
        .get(code)?
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
}

/// `GET /dev/faults`.
pub(crate) async fn list(State(state): State<AppState>) -> Json<FaultsAnswer> {
    Json(state.inner.dev.faults.answer())
}

/// `POST /dev/clear_faults`.
pub(crate) async fn clear(State(state): State<AppState>) -> Json<FaultsAnswer> {
    state.inner.dev.faults.with_table(BTreeMap::clear);
    Json(state.inner.dev.faults.answer())
}

/// `POST /dev/faults`.
pub(crate) async fn arm(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<FaultsAnswer>, ApiError> {
    let bytes = read_body(&state, &headers, body).await?;
    let request: FaultRequest = parse(
        &bytes,
        r#"{"path": "/v2/transactions/payment", "error_code": "…", "status"?: 400..599, "count"?: N}"#,
    )?;
    if !is_write_path(&request.path) {
        return Err(ApiError::bad_request(
            codes::INVALID_VALUE,
            format!(
                "`path` {:?} is not a write path of this node: give an operation's path, such \
                 as /v2/transactions/payment or /v1/tokens/mint",
                crate::show::sanitize(&request.path)
            ),
        ));
    }
    let code = &request.error_code;
    if code.is_empty()
        || code.len() > MAX_CODE_LEN
        || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(ApiError::bad_request(
            codes::INVALID_VALUE,
            format!(
                "`error_code` must be 1 to {MAX_CODE_LEN} letters, digits or `_`, e.g. \
                 SERVICE_UNAVAILABLE"
            ),
        ));
    }
    let status = request
        .status
        .or_else(|| status_of(code).map(u64::from))
        .unwrap_or(500);
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .filter(|s| s.is_client_error() || s.is_server_error())
        .ok_or_else(|| {
            ApiError::bad_request(
                codes::INVALID_NUMBER,
                format!("`status` {status} is not an error status: give 400 to 599"),
            )
        })?;
    let count = request.count.unwrap_or(1);
    state.inner.dev.faults.with_table(|table| {
        if count == 0 {
            table.remove(&request.path);
        } else {
            table.insert(
                request.path.clone(),
                Armed {
                    status,
                    code: request.error_code.clone(),
                    remaining: count,
                },
            );
        }
    });
    tracing::info!(path = %request.path, status = status.as_u16(), code = %request.error_code, count, "fault armed");
    Ok(Json(state.inner.dev.faults.answer()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_answers_its_count_then_disarms() {
        let faults = Faults::default();
        assert!(faults.take("/v2/transactions/payment").is_none());
        faults.with_table(|t| {
            t.insert(
                "/v2/transactions/payment".into(),
                Armed {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    code: "BUSY".into(),
                    remaining: 2,
                },
            );
        });
        assert!(faults.take("/v1/tokens/mint").is_none());
        let first = faults.take("/v2/transactions/payment").unwrap();
        assert_eq!((first.status.as_u16(), first.remaining), (503, 1));
        assert_eq!(faults.answer().faults.len(), 1);
        assert_eq!(
            faults.take("/v2/transactions/payment").unwrap().remaining,
            0
        );
        assert!(faults.take("/v2/transactions/payment").is_none());
        assert!(faults.answer().faults.is_empty());
    }

    #[test]
    fn write_paths_and_known_statuses() {
        assert!(is_write_path("/v2/transactions/payment"));
        assert!(is_write_path("/v1/tokens/issue"));
        assert!(!is_write_path("/v1/accounts/nonce"));
        assert!(!is_write_path("/dev/send"));
        assert_eq!(status_of("INSUFFICIENT_BALANCE"), Some(422));
        assert_eq!(status_of("INTERNAL_ERROR"), Some(500));
        assert_eq!(status_of("NO_SUCH_CODE"), None);
    }
}
