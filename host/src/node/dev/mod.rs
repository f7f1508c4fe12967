//! What the node offers developers beyond the network's API, as anvil
//! does for Ethereum: developer accounts at start (`accounts.rs`) and the
//! development controls under `/dev/` (`routes`): set a balance or a
//! nonce, send any operation as any address without its key, switch the
//! write mode and `read_only`, change fees, control checkpoints, inject
//! faults, take snapshots of the whole state and revert to them.
//!
//! The controls are on when the node listens on a loopback address, and
//! refused otherwise (403 `DEV_CONTROLS_DISABLED`) unless
//! `NodeConfig::dev_controls` (`--dev-controls`) says so; `Some(false)`
//! (`--no-dev-controls`) turns them off everywhere. Every `/dev/` route
//! goes through that gate: a new control is one more line in `routes`.
//!
//! Files: `handlers.rs` (the controls' HTTP handlers), `send.rs`
//! (`POST /dev/send`), `faults.rs` (fault injection), `control.rs` (the
//! controls the single writer runs), `checkpoints.rs` (when checkpoints
//! close). The wire bodies are [`crate::api::dev`].

mod accounts;
pub(crate) mod checkpoints;
pub(crate) mod control;
pub(crate) mod faults;
mod handlers;
mod send;

use std::net::SocketAddr;
use std::sync::Mutex;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;

pub use accounts::{
    derive_accounts, setup_test_token, DevAccount, DevError, TEST_MNEMONIC, TEST_TOKEN_DECIMALS,
    TEST_TOKEN_NAME,
};

pub(crate) use send::impersonated_hash;

use super::error::{codes, ApiError};
use super::AppState;

/// The `/dev/` routes, each behind the gate. More controls go here.
pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/dev/set_balance", post(handlers::set_balance))
        .route("/dev/set_nonce", post(handlers::set_nonce))
        .route("/dev/send", post(send::send))
        .route("/dev/modes", get(handlers::modes).post(handlers::set_modes))
        .route("/dev/fees", get(handlers::fees).post(handlers::set_fees))
        .route(
            "/dev/checkpoint_mode",
            get(handlers::checkpoint_mode).post(handlers::set_checkpoint_mode),
        )
        .route("/dev/checkpoint", post(handlers::checkpoint))
        .route("/dev/faults", get(faults::list).post(faults::arm))
        .route("/dev/clear_faults", post(faults::clear))
        .route("/dev/dump_state", post(super::dev_state::dump_state))
        .route("/dev/snapshot", post(handlers::snapshot))
        .route("/dev/revert", post(handlers::revert))
        .route_layer(middleware::from_fn_with_state(state.clone(), gate))
}

/// Whether the development controls are on for a node listening on
/// `listen` with the setting `forced` (`NodeConfig::dev_controls`): the
/// setting if given, else whether `listen` is a loopback address.
pub fn controls_on(forced: Option<bool>, listen: &SocketAddr) -> bool {
    forced.unwrap_or_else(|| listen.ip().is_loopback())
}

/// Whether the controls are on, and why not when they are off.
#[derive(Debug)]
pub(crate) struct Gate {
    forced: Option<bool>,
    state: Mutex<Result<(), String>>,
}

impl Gate {
    /// The gate of a node with the setting `forced`, before it listens:
    /// on only if forced on (a router served by other means than
    /// `node::serve` never learns its address).
    pub(crate) fn new(forced: Option<bool>) -> Self {
        let state = match forced {
            Some(true) => Ok(()),
            Some(false) => Err(OFF_BY_FLAG.to_owned()),
            None => Err(
                "the node was not started on a listener it knows (node::serve): set \
                 NodeConfig::dev_controls to Some(true) to use them in process"
                    .to_owned(),
            ),
        };
        Gate {
            forced,
            state: Mutex::new(state),
        }
    }

    /// Decides for a node that listens on `listen`; returns whether the
    /// controls are on.
    pub(crate) fn listening_on(&self, listen: &SocketAddr) -> bool {
        let on = controls_on(self.forced, listen);
        let decided = if on {
            Ok(())
        } else if self.forced == Some(false) {
            Err(OFF_BY_FLAG.to_owned())
        } else {
            Err(format!(
                "this node listens on {listen}, not on a loopback address, so anyone who can \
                 reach it could use them: restart it with --dev-controls to allow them anyway"
            ))
        };
        if let Ok(mut state) = self.state.lock() {
            *state = decided;
        }
        on
    }

    fn check(&self) -> Result<(), ApiError> {
        let state = self.state.lock().map_err(|_| ApiError::internal())?.clone();
        state.map_err(|why| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                codes::DEV_CONTROLS_DISABLED,
                format!("the development controls (/dev/…) are off: {why}"),
            )
        })
    }
}

const OFF_BY_FLAG: &str = "they were turned off (--no-dev-controls): restart the node without it";

/// Refuses every `/dev/` request while the controls are off.
async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match state.inner.dev.gate.check() {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

/// What the node keeps for its development controls.
#[derive(Debug)]
pub(crate) struct DevState {
    /// Whether they are on.
    pub(crate) gate: Gate,
    /// The armed faults.
    pub(crate) faults: faults::Faults,
}

impl DevState {
    /// The controls of a node with the setting `forced`.
    pub(crate) fn new(forced: Option<bool>) -> Self {
        DevState {
            gate: Gate::new(forced),
            faults: faults::Faults::default(),
        }
    }
}

/// Reads a control's JSON body as `T`, with the node's codes for what is
/// wrong with it (the body's Content-Type, size and arrival time are
/// checked by `routes::read_body` first).
fn parse<T: DeserializeOwned>(bytes: &[u8], shape: &str) -> Result<T, ApiError> {
    // serde would also read a struct from an array: a body is an object.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok() {
        return Err(ApiError::bad_request(
            codes::INVALID_TYPE,
            format!("the body must be a JSON object: send {shape}"),
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        let text = e.to_string();
        let code = if e.is_syntax() || e.is_eof() {
            codes::MALFORMED_JSON
        } else if text.starts_with("unknown field") {
            codes::UNKNOWN_FIELD
        } else if text.starts_with("missing field") {
            codes::MISSING_FIELD
        } else if text.starts_with("duplicate field") {
            codes::DUPLICATE_FIELD
        } else if (text.starts_with("invalid value") && text.contains("integer"))
            || text.starts_with("invalid type: floating point")
        {
            codes::INVALID_NUMBER
        } else if text.starts_with("invalid type") {
            codes::INVALID_TYPE
        } else {
            codes::INVALID_VALUE
        };
        ApiError::bad_request(code, format!("invalid body: {text}; send {shape}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_decides_unless_forced() {
        let local: SocketAddr = "127.0.0.1:18555".parse().unwrap();
        let local6: SocketAddr = "[::1]:18555".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:18555".parse().unwrap();
        assert!(controls_on(None, &local) && controls_on(None, &local6));
        assert!(!controls_on(None, &any));
        assert!(controls_on(Some(true), &any));
        assert!(!controls_on(Some(false), &local));
        let gate = Gate::new(None);
        assert!(gate.check().is_err(), "undecided: off");
        assert!(!gate.listening_on(&any));
        let e = gate.check().unwrap_err();
        assert_eq!(
            (e.status, e.code),
            (StatusCode::FORBIDDEN, "DEV_CONTROLS_DISABLED")
        );
        assert!(e.message.contains("--dev-controls") && e.message.contains("0.0.0.0"));
        assert!(gate.listening_on(&local));
        assert!(gate.check().is_ok());
        let off = Gate::new(Some(false));
        assert!(!off.listening_on(&local));
        assert!(off
            .check()
            .unwrap_err()
            .message
            .contains("--no-dev-controls"));
    }

    #[test]
    fn body_errors_carry_precise_codes() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct B {
            a: u64,
        }
        let code = |body: &str| parse::<B>(body.as_bytes(), "{a}").unwrap_err().code;
        assert_eq!(code("{"), "MALFORMED_JSON");
        assert_eq!(code(r#"{"a":1,"b":2}"#), "UNKNOWN_FIELD");
        assert_eq!(code("{}"), "MISSING_FIELD");
        assert_eq!(code(r#"{"a":1,"a":2}"#), "DUPLICATE_FIELD");
        assert_eq!(code(r#"{"a":"x"}"#), "INVALID_TYPE");
        assert_eq!(code(r#"{"a":-1}"#), "INVALID_NUMBER");
        assert_eq!(code(r#"{"a":18446744073709551616}"#), "INVALID_NUMBER");
        assert_eq!(code(r#"{"a":1.5}"#), "INVALID_NUMBER");
        assert_eq!(code(r#"[1]"#), "INVALID_TYPE");
        assert_eq!(code(r#"[1"#), "MALFORMED_JSON");
        assert!(parse::<B>(br#"{"a":1}"#, "{a}").is_ok());
    }
}
