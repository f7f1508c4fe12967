//! The live stream: `GET /v1/stream[?from=N]`, a WebSocket that sends
//! every committed transaction and checkpoint ([`crate::api::StreamFrame`]),
//! in commit order, from checkpoint `N` (or from the next one committed)
//! on, for as long as the consumer keeps up.
//!
//! The writer only announces the number of the checkpoint it has just
//! committed (a `watch` channel: no allocation on its serial path, nothing
//! queued per consumer); each connection reads the checkpoints it has not
//! sent yet from the store, in order. So history and live updates are one
//! path: no gap and no duplicate where a resumed stream catches up.
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

use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::watch;

use super::error::{codes, ApiError};
use super::failure::StoreError;
use super::routes::{param, storage_error, Params};
use super::AppState;
use crate::api::stream::{
    CLOSE_INTERNAL_ERROR, CLOSE_NODE_STOPPING, CLOSE_REVERTED, CLOSE_SLOW_CONSUMER,
};
use crate::api::StreamFrame;

/// Default [`StreamConfig::lag_limit`], in checkpoints.
pub const DEFAULT_LAG_LIMIT: u64 = 1024;
/// Default [`StreamConfig::stall_timeout`].
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest frame a consumer may send (the stream reads nothing from it but
/// pings and close frames).
const MAX_INCOMING_MESSAGE: usize = 4096;
/// How long the node tries to deliver a close frame before it just closes.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

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

/// What the writer and the server tell the stream's connections: the
/// number of the last committed checkpoint, and that the node is stopping.
pub(crate) struct Commits {
    last: watch::Receiver<u64>,
    stopping: watch::Sender<bool>,
}

impl Commits {
    /// The connections' side, and the sender the writer announces each
    /// committed checkpoint's number on.
    pub(crate) fn new() -> (Commits, watch::Sender<u64>) {
        let (announce, last) = watch::channel(0);
        let (stopping, _) = watch::channel(false);
        (Commits { last, stopping }, announce)
    }

    /// A handle whose `send_replace(true)` tells every connection that the
    /// node is stopping: each sends a close frame (1001) and ends, so that
    /// the node's state can close.
    pub(crate) fn stopper(&self) -> watch::Sender<bool> {
        self.stopping.clone()
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

/// Why a connection ends.
enum End {
    /// The consumer closed, or the connection failed.
    Gone,
    /// A checkpoint's frames were not accepted in time.
    Stalled,
    /// Too many checkpoints wait; resume from `next`.
    Slow { next: u64, behind: u64 },
    /// The node is stopping.
    Stopping,
    /// A revert took the history below what was sent; resume from
    /// `next`.
    Reverted { next: u64 },
    /// A storage failure.
    Internal,
}

async fn serve(socket: WebSocket, state: AppState, mut next: u64, mut caught_up: bool) {
    let config = state.inner.config.stream.clone();
    let (mut sink, mut incoming) = socket.split();
    let mut last = state.inner.commits.last.clone();
    let mut stopping = state.inner.commits.stopping.subscribe();
    let end = 'serve: loop {
        if *stopping.borrow_and_update() {
            break End::Stopping;
        }
        let latest = match last_checkpoint(&state) {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(error = %e, "stream: cannot read the latest checkpoint");
                break End::Internal;
            }
        };
        if next > latest.saturating_add(1) {
            // Checkpoints this consumer has were reverted away.
            break End::Reverted {
                next: latest.saturating_add(1),
            };
        }
        if next <= latest {
            let behind = latest - next + 1;
            if caught_up && behind > config.lag_limit {
                break End::Slow { next, behind };
            }
            let frames = match frames(&state, next) {
                Ok(frames) => frames,
                Err(e) => {
                    tracing::error!(error = %e, checkpoint = next, "stream: cannot read a checkpoint");
                    break End::Internal;
                }
            };
            let send = async {
                for frame in frames {
                    sink.feed(Message::Text(frame.into())).await?;
                }
                sink.flush().await
            };
            match tokio::time::timeout(config.stall_timeout, send).await {
                Ok(Ok(())) => next += 1,
                Ok(Err(_)) => break End::Gone,
                Err(_) => break End::Stalled,
            }
            continue;
        }
        caught_up = true;
        tokio::select! {
            changed = last.changed() => {
                if changed.is_err() {
                    // The writer stopped: so is the node.
                    break 'serve End::Stopping;
                }
            }
            _ = stopping.changed() => {}
            message = incoming.next() => match message {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break 'serve End::Gone,
                // Pings are answered by the library as they are read;
                // anything else a consumer sends means nothing here.
                Some(Ok(_)) => {}
            },
        }
    };
    let close = match end {
        End::Gone | End::Stalled => {
            if matches!(end, End::Stalled) {
                tracing::info!(
                    checkpoint = next,
                    "stream: consumer dropped, it accepted nothing for {} ms",
                    config.stall_timeout.as_millis()
                );
            }
            return;
        }
        End::Slow { next, behind } => {
            tracing::info!(behind, resume = next, "stream: slow consumer dropped");
            (
                CLOSE_SLOW_CONSUMER,
                format!("slow consumer: {behind} checkpoints behind; resume with from={next}"),
            )
        }
        End::Stopping => (CLOSE_NODE_STOPPING, "node stopping".to_owned()),
        End::Reverted { next } => (
            CLOSE_REVERTED,
            format!("the node's history was reverted; resume with from={next}"),
        ),
        End::Internal => (CLOSE_INTERNAL_ERROR, "internal error".to_owned()),
    };
    let frame = Message::Close(Some(CloseFrame {
        code: close.0,
        reason: close.1.into(),
    }));
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, sink.send(frame)).await;
}

/// The frames of checkpoint `number`: its transactions in order, then the
/// checkpoint.
fn frames(state: &AppState, number: u64) -> Result<Vec<String>, StoreError> {
    let reader = state.read()?;
    let checkpoint = reader.checkpoint(number)?.ok_or(StoreError::Corrupt(
        "a checkpoint below the latest is missing",
    ))?;
    let mut out = Vec::with_capacity(checkpoint.transactions.len() + 1);
    for hash in &checkpoint.transactions {
        let record = reader.transaction(hash)?.ok_or(StoreError::Corrupt(
            "a checkpoint lists a missing transaction",
        ))?;
        out.push(serde_json::to_string(&StreamFrame::Transaction {
            transaction: Box::new(record.transaction),
            receipt: Box::new(record.receipt),
        })?);
    }
    let checkpoint = super::reads::checkpoint_wire(&*reader, checkpoint, false)
        .map_err(|_| StoreError::Corrupt("a checkpoint does not serve"))?;
    out.push(serde_json::to_string(&StreamFrame::Checkpoint {
        checkpoint,
    })?);
    Ok(out)
}
