//! Error bodies: the spec's `RESTErrorData`, and a lenient reader for any
//! error body a server or a gateway in front of it may send.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The spec's `RESTErrorData`: `{"error_code": "...", "message": "..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestErrorData {
    /// Structured error code for programmatic handling.
    pub error_code: String,
    /// Human-readable message naming the precise cause.
    pub message: String,
}

/// What an error body said, read leniently (spec section 7.1): a
/// `RESTErrorData`, the ABC-Lab error body (`error_code`, `message`,
/// `detail`), a gateway's body with `code`, or only a `message`. Absent or
/// non-string fields are `None`; the text is NOT sanitized here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorBody {
    /// `error_code`, else a string `code`.
    pub error_code: Option<String>,
    /// `message`.
    pub message: Option<String>,
    /// `detail` (the ABC-Lab body's precise cause).
    pub detail: Option<String>,
}

impl ErrorBody {
    /// Reads `body`; anything that is not a JSON object gives all `None`.
    pub fn read(body: &[u8]) -> Self {
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let field = |name: &str| {
            json.as_ref()
                .and_then(|j| j.get(name))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        ErrorBody {
            error_code: field("error_code").or_else(|| field("code")),
            message: field("message"),
            detail: field("detail"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_reads() {
        let b = ErrorBody::read(br#"{"error_code":"X","message":"m"}"#);
        assert_eq!(b.error_code.as_deref(), Some("X"));
        assert_eq!(b.message.as_deref(), Some("m"));
        let b = ErrorBody::read(br#"{"code":"G","message":"m","detail":"d"}"#);
        assert_eq!(b.error_code.as_deref(), Some("G"));
        assert_eq!(b.detail.as_deref(), Some("d"));
        assert_eq!(ErrorBody::read(b"<html>"), ErrorBody::default());
        let b = ErrorBody::read(br#"{"code":401}"#);
        assert_eq!(b.error_code, None);
    }
}
