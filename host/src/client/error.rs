//! The client's errors: each variant names what happened to the request,
//! which is what decides whether it is safe to send again. The command
//! layer maps them to exit codes ([`crate::cmd::exit`]).

use std::time::Duration;

use crate::api::ErrorBody;
use crate::show::sanitize;

/// A server's refusal: the HTTP status and what its body said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestError {
    /// The HTTP status.
    pub status: u16,
    /// `error_code`, when the body had one.
    pub error_code: Option<String>,
    /// `message` (and `detail`, when it adds something), or a description
    /// of the body when it had none. Sanitized.
    pub message: String,
}

impl RestError {
    /// Reads a non-2xx answer leniently (see [`ErrorBody`]).
    pub fn from_response(status: u16, body: &[u8]) -> Self {
        let read = ErrorBody::read(body);
        let message = read.message.as_deref().map(sanitize).unwrap_or_else(|| {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            if text.is_empty() {
                "(no message)".to_owned()
            } else {
                sanitize(&text.chars().take(300).collect::<String>())
            }
        });
        let message = match read.detail.as_deref().map(sanitize) {
            Some(d) if !d.is_empty() && d != message => format!("{message} ({d})"),
            _ => message,
        };
        RestError {
            status,
            error_code: read.error_code.as_deref().map(sanitize),
            message,
        }
    }
}

impl std::fmt::Display for RestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.error_code {
            Some(code) => write!(f, "HTTP {}: {code}: {}", self.status, self.message),
            None => write!(f, "HTTP {}: {}", self.status, self.message),
        }
    }
}

/// Why a single exchange got no HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The request cannot have reached the server (no connection).
    #[error("{0}")]
    NotSent(String),
    /// Nothing accepts connections at the address (connection refused):
    /// the request did not arrive.
    #[error("{0}")]
    NoListener(String),
    /// The request may have reached the server (timeout after sending,
    /// reset connection, broken answer).
    #[error("{0}")]
    MaybeSent(String),
}

/// What went wrong talking to a server.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The base URL is not an absolute http(s) URL without a query.
    #[error("invalid server URL {url:?}: {why}")]
    InvalidUrl {
        /// The URL as given (sanitized).
        url: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// The server answered a read or a write with an error: it did not
    /// accept the request.
    #[error("{what}: {error}")]
    Refused {
        /// What was asked (`GET /v1/...`, `the server rejected the request`).
        what: String,
        /// The refusal.
        error: RestError,
    },
    /// The request could not be delivered: it did not arrive, and it is
    /// safe to send again.
    #[error("{0}")]
    NotDelivered(String),
    /// As [`ClientError::NotDelivered`], and the last attempt found nothing
    /// accepting connections at the address (connection refused): no
    /// server runs there.
    #[error("{0}")]
    NoListener(String),
    /// A read got an answer of the wrong shape.
    #[error("{what}: {why}")]
    BadAnswer {
        /// What was asked.
        what: String,
        /// What is wrong with the answer.
        why: String,
    },
    /// A write may have arrived, and whether it was accepted is unknown.
    #[error("{0}")]
    UnknownOutcome(String),
    /// A write that is never retried (a mint) got a 5xx: it may have been
    /// carried out.
    #[error("OUTCOME UNKNOWN: {what}: {error}")]
    ServerFailed {
        /// What was asked.
        what: String,
        /// The server's answer.
        error: RestError,
    },
    /// The server accepted a write (200) but answered with another hash or
    /// token than the one computed locally. Never send it again.
    #[error(
        "THE REQUEST WAS ACCEPTED (HTTP 200), BUT THE ANSWER DIFFERS FROM WHAT WAS SIGNED.\n\
         Do NOT send it again.\n  \
         expected hash  {expected_hash}\n  server hash    {server_hash}{}",
        token_lines(expected_token, server_token)
    )]
    AnswerMismatch {
        /// The locally computed transaction hash.
        expected_hash: String,
        /// The server's `hash` (or `(missing)`), sanitized.
        server_hash: String,
        /// The locally derived token, for an issue.
        expected_token: Option<String>,
        /// The server's `token` (or `(missing)`), sanitized.
        server_token: Option<String>,
    },
    /// A request body could not be written (a bug).
    #[error("cannot write the request: {0}")]
    Encode(String),
}

fn token_lines(expected: &Option<String>, server: &Option<String>) -> String {
    match expected {
        Some(e) => format!(
            "\n  expected token {e}\n  server token   {}",
            server.as_deref().unwrap_or("(missing)")
        ),
        None => String::new(),
    }
}

impl ClientError {
    /// The server's `error_code`, when it refused the request.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            ClientError::Refused { error, .. } | ClientError::ServerFailed { error, .. } => {
                error.error_code.as_deref()
            }
            _ => None,
        }
    }
}

/// Describes a duration for people: `15 s`, `1.5 s`, `250 ms`.
pub fn show_duration(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_errors() {
        let e = RestError::from_response(422, br#"{"error_code":"X","message":"m\u001b"}"#);
        assert_eq!(e.to_string(), "HTTP 422: X: m?");
        let e = RestError::from_response(500, b"");
        assert_eq!(e.to_string(), "HTTP 500: (no message)");
        let e = RestError::from_response(
            400,
            br#"{"status":"error","error_code":"INVALID_INPUT","message":"m","detail":"d"}"#,
        );
        assert_eq!(e.to_string(), "HTTP 400: INVALID_INPUT: m (d)");
    }

    #[test]
    fn durations() {
        assert_eq!(show_duration(Duration::from_secs(15)), "15 s");
        assert_eq!(show_duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(show_duration(Duration::from_millis(250)), "250 ms");
    }
}
