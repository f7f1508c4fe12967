//! The live stream: `GET /v1/stream[?from=N]`, a WebSocket that sends
//! every committed transaction and checkpoint ([`crate::api::StreamFrame`]),
//! in commit order, from checkpoint `N` (or from the next one committed)
//! on, for as long as the consumer keeps up.
//!
//! The writer only announces the number of the checkpoint it has just
//! committed (a `watch` channel: no allocation on its serial path, nothing
//! queued per consumer); each connection reads the checkpoints it has not
//! sent yet from the store, in order. So history and live updates are one
//! path: no gap and no duplicate where a resumed stream catches up. On a
//! database that several processes share, a [`Waker`](commits::Waker)
//! also wakes the connections for the checkpoints other processes commit
//! (the PostgreSQL backend's listener, `storage/postgres/notify.rs`).
//!
//! The rule that drops a slow consumer (docs/server.md, "Live stream"):
//! once a consumer has caught up with the latest checkpoint, it is dropped
//! when more than [`StreamConfig::lag_limit`] committed checkpoints wait to
//! be sent to it (close 1008, reason `… resume with from=N`), or when a
//! checkpoint's frames are not accepted by the connection within
//! [`StreamConfig::stall_timeout`] (the connection is closed without a
//! close frame: the consumer stopped reading). A consumer catching up from
//! an old checkpoint is not dropped for lagging: it reads history at its
//! own pace.
//!
//! A store that is unavailable (a PostgreSQL database restarting) does
//! not end a connection: it looks again every [`STORE_RETRY`] (and when
//! woken) until the store answers, then goes on where it was. Any other
//! storage failure closes it
//! ([`CLOSE_INTERNAL_ERROR`](crate::api::stream::CLOSE_INTERNAL_ERROR)).
//!
//! A revert (`POST /dev/revert`) replaces checkpoints: numbers above its
//! target are committed again with other contents. The writer announces
//! each revert's target before any checkpoint committed after it, so a
//! connection that has sent a checkpoint above the target closes
//! ([`CLOSE_REVERTED`](crate::api::stream::CLOSE_REVERTED), `resume with
//! from=N`) even when new checkpoints have refilled the numbers before it
//! woke. A connection that missed more than [`REVERTS_KEPT`] reverts
//! cannot tell which it crossed and asks its consumer to resume from
//! checkpoint 1 (genesis, 0, is never reverted).
//!
//! The announcements are in `commits`, a connection's loop in
//! `connection`; the handler that opens one is here.

mod commits;
mod connection;

use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::error::{codes, ApiError};
use super::failure::StoreError;
use super::routes::{param, storage_error, Params};
use super::AppState;
pub(crate) use commits::{Announcer, Commits};
use connection::serve;

/// Default [`StreamConfig::lag_limit`], in checkpoints.
pub const DEFAULT_LAG_LIMIT: u64 = 1024;
/// Default [`StreamConfig::stall_timeout`].
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest frame a consumer may send (the stream reads nothing from it but
/// pings and close frames).
const MAX_INCOMING_MESSAGE: usize = 4096;
/// How long the node tries to deliver a close frame before it just closes.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a connection waits before it looks again at a store that was
/// unavailable (a database restarting).
const STORE_RETRY: Duration = Duration::from_millis(500);
/// Reverts a connection can miss (not yet looked at) and still tell which
/// checkpoints they replaced.
pub const REVERTS_KEPT: usize = 64;

/// When the stream drops a consumer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamConfig {
    /// Most committed checkpoints that may wait to be sent to a consumer
    /// that has caught up once; one more and it is dropped.
    pub lag_limit: u64,
    /// Longest time one checkpoint's frames may take to be accepted by the
    /// connection.
    pub stall_timeout: Duration,
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            lag_limit: DEFAULT_LAG_LIMIT,
            stall_timeout: DEFAULT_STALL_TIMEOUT,
        }
    }
}

/// `GET /v1/stream?from=N`.
pub(crate) async fn stream(
    State(state): State<AppState>,
    params: Params,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let from = match param(&params, "from") {
        Err(e) if e.code == codes::MISSING_PARAMETER => None,
        Err(e) => return Err(e),
        Ok(text) => Some(text.parse::<u64>().map_err(|_| {
            ApiError::bad_request(
                codes::INVALID_NUMBER,
                format!("query parameter `from` {text:?} is not a checkpoint number (0..2^64-1)"),
            )
        })?),
    };
    let latest = last_checkpoint(&state).map_err(storage_error)?;
    if let Some(from) = from {
        if from > latest.saturating_add(1) {
            return Err(ApiError::not_found(
                codes::CHECKPOINT_NOT_FOUND,
                format!(
                    "checkpoint {from} is in the future: the latest is {latest}; resume from at \
                     most {} (the next one)",
                    latest.saturating_add(1)
                ),
            ));
        }
    }
    let upgrade = upgrade.map_err(|e| {
        ApiError::new(
            StatusCode::UPGRADE_REQUIRED,
            codes::UPGRADE_REQUIRED,
            format!(
                "GET /v1/stream is a WebSocket ({e}): connect with a WebSocket client, for \
                 example `tokensign watch --url …`"
            ),
        )
    })?;
    let next = from.unwrap_or(latest.saturating_add(1));
    Ok(upgrade
        .max_message_size(MAX_INCOMING_MESSAGE)
        .on_upgrade(move |socket| serve(socket, state, next, from.is_none())))
}

fn last_checkpoint(state: &AppState) -> Result<u64, StoreError> {
    state.read()?.last_checkpoint()
}
