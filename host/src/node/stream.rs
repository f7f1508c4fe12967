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
//! database that several processes share, a [`Waker`] also wakes the
//! connections for the checkpoints other processes commit (the
//! PostgreSQL backend's listener, `storage/postgres/notify.rs`).
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
//! storage failure closes it ([`CLOSE_INTERNAL_ERROR`]).
//!
//! A revert (`POST /dev/revert`) replaces checkpoints: numbers above its
//! target are committed again with other contents. The writer announces
//! each revert's target before any checkpoint committed after it, so a
//! connection that has sent a checkpoint above the target closes
//! ([`CLOSE_REVERTED`], `resume with from=N`) even when new
//! checkpoints have refilled the numbers before it woke. A connection that
//! missed more than [`REVERTS_KEPT`] reverts cannot tell which it crossed
//! and asks its consumer to resume from checkpoint 1 (genesis, 0, is
//! never reverted).

use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{broadcast, watch};

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

/// What the writer and the server tell the stream's connections: the
/// number of the last committed checkpoint, the target of each revert,
/// and that the node is stopping.
pub(crate) struct Commits {
    last: watch::Receiver<u64>,
    reverts: broadcast::Sender<u64>,
    stopping: watch::Sender<bool>,
}

/// The writer's side of [`Commits`].
pub(crate) struct Announcer {
    last: watch::Sender<u64>,
    reverts: broadcast::Sender<u64>,
}

impl Announcer {
    /// Checkpoint `number` is committed.
    pub(crate) fn committed(&self, number: u64) {
        self.last.send_replace(number);
    }

    /// The history was reverted to checkpoint `target` (the last one kept,
    /// now the latest). Told before any later commit is announced, so no
    /// connection can see the replaced numbers without the revert.
    pub(crate) fn reverted(&self, target: u64) {
        // No connection listening is not an error.
        let _ = self.reverts.send(target);
        self.last.send_replace(target);
    }

    /// A handle that wakes the connections from outside the writer.
    pub(crate) fn waker(&self) -> Waker {
        Waker {
            last: self.last.clone(),
        }
    }
}

/// Wakes the stream's connections for checkpoints this process's writer
/// did not commit: those another process committed to a shared database.
/// Only a wake-up: a connection reads the latest checkpoint from the
/// store. It keeps the channel open, as the writer does; connections end
/// when the node stops ([`Commits::stopper`]).
#[derive(Clone)]
pub(crate) struct Waker {
    last: watch::Sender<u64>,
}

impl Waker {
    /// Checkpoint `number` was committed elsewhere: the connections wake,
    /// unless this process has announced it (or a later one) already.
    pub(crate) fn committed_elsewhere(&self, number: u64) {
        self.last.send_if_modified(|last| {
            let news = number > *last;
            if news {
                *last = number;
            }
            news
        });
    }

    /// Checkpoints may have been committed elsewhere unheard (while
    /// notifications were lost): the connections wake and look.
    pub(crate) fn look(&self) {
        self.last.send_modify(|_| {});
    }
}

impl Commits {
    /// The connections' side, and the writer's.
    pub(crate) fn new() -> (Commits, Announcer) {
        let (last_tx, last) = watch::channel(0);
        let (reverts, _) = broadcast::channel(REVERTS_KEPT);
        let (stopping, _) = watch::channel(false);
        let announcer = Announcer {
            last: last_tx,
            reverts: reverts.clone(),
        };
        (
            Commits {
                last,
                reverts,
                stopping,
            },
            announcer,
        )
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
    // Subscribed before the first read of the latest checkpoint: every
    // revert after it is seen.
    let mut reverts = state.inner.commits.reverts.subscribe();
    let mut stopping = state.inner.commits.stopping.subscribe();
    // Whether the last look found the store unavailable (a database
    // restarting): the connection waits and looks again, not closes.
    let mut store_down = false;
    let end = 'serve: loop {
        if *stopping.borrow_and_update() {
            break End::Stopping;
        }
        let down = 'look: {
            let latest = match last_checkpoint(&state) {
                Ok(n) => n,
                Err(StoreError::Unavailable(reason)) => break 'look Some(reason),
                Err(e) => {
                    tracing::error!(error = %e, "stream: cannot read the latest checkpoint");
                    break 'serve End::Internal;
                }
            };
            // After reading `latest`: a revert that came before the
            // checkpoints it counts is in the channel by now.
            if let Some(resume) = reverted_below(next, latest, &mut reverts) {
                break 'serve End::Reverted { next: resume };
            }
            if next <= latest {
                let behind = latest - next + 1;
                if caught_up && behind > config.lag_limit {
                    break 'serve End::Slow { next, behind };
                }
                let frames = match frames(&state, next) {
                    Ok(frames) => frames,
                    Err(StoreError::Unavailable(reason)) => break 'look Some(reason),
                    Err(e) => {
                        tracing::error!(error = %e, checkpoint = next, "stream: cannot read a checkpoint");
                        break 'serve End::Internal;
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
                    Ok(Err(_)) => break 'serve End::Gone,
                    Err(_) => break 'serve End::Stalled,
                }
                store_down = false;
                continue 'serve;
            }
            caught_up = true;
            None
        };
        if let Some(reason) = &down {
            if !store_down {
                tracing::warn!(%reason, checkpoint = next, "stream: the database is unavailable; the connection waits for it");
            }
        }
        store_down = down.is_some();
        let retry = async {
            match down {
                Some(_) => tokio::time::sleep(STORE_RETRY).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            changed = last.changed() => {
                if changed.is_err() {
                    // The writer stopped: so is the node.
                    break 'serve End::Stopping;
                }
            }
            _ = stopping.changed() => {}
            () = retry => {}
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

/// Where a connection that would send checkpoint `next` must tell its
/// consumer to resume, if checkpoints it has sent (those below `next`)
/// were reverted away: by a revert it has not looked at yet (drained from
/// `reverts`), or because the history now ends below them.
fn reverted_below(next: u64, latest: u64, reverts: &mut broadcast::Receiver<u64>) -> Option<u64> {
    let mut resume: Option<u64> = None;
    let mut lower = |to: u64| resume = Some(resume.map_or(to, |r| r.min(to)));
    loop {
        match reverts.try_recv() {
            // Checkpoints up to `target` were kept: a consumer that has
            // only those lost nothing.
            Ok(target) if next > target.saturating_add(1) => lower(target.saturating_add(1)),
            Ok(_) => {}
            // Reverts were missed: which checkpoints they replaced is
            // unknown, so start again after genesis (never reverted).
            Err(broadcast::error::TryRecvError::Lagged(_)) if next > 1 => lower(1),
            Err(broadcast::error::TryRecvError::Lagged(_)) => {}
            Err(_) => break,
        }
    }
    if next > latest.saturating_add(1) {
        lower(latest.saturating_add(1));
    }
    resume
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

#[cfg(test)]
mod tests {
    use super::*;

    fn channel() -> (broadcast::Sender<u64>, broadcast::Receiver<u64>) {
        broadcast::channel(REVERTS_KEPT)
    }

    #[test]
    fn a_waker_wakes_for_news_and_whenever_asked_to_look() {
        let (commits, announcer) = Commits::new();
        let mut last = commits.last.clone();
        let waker = announcer.waker();
        announcer.committed(5);
        assert!(last.has_changed().unwrap());
        last.borrow_and_update();
        // This process announced 5 already: hearing of it wakes no one.
        waker.committed_elsewhere(5);
        waker.committed_elsewhere(4);
        assert!(!last.has_changed().unwrap());
        waker.committed_elsewhere(6);
        assert_eq!(*last.borrow_and_update(), 6);
        waker.look();
        assert!(last.has_changed().unwrap());
        // The channel stays open while a waker lives.
        drop(announcer);
        assert!(last.has_changed().is_ok());
    }

    #[test]
    fn no_revert_and_history_ahead_resumes_nothing() {
        let (_tx, mut rx) = channel();
        assert_eq!(reverted_below(6, 5, &mut rx), None);
        assert_eq!(reverted_below(3, 5, &mut rx), None);
    }

    #[test]
    fn history_ending_below_what_was_sent_resumes_after_its_end() {
        let (_tx, mut rx) = channel();
        assert_eq!(reverted_below(6, 2, &mut rx), Some(3));
    }

    /// The race: sent up to 5, reverted to 2, and checkpoints 3..=7
    /// committed again before the connection looked. The latest alone
    /// (7) says nothing is wrong; the revert says resume from 3.
    #[test]
    fn a_revert_refilled_before_the_connection_woke_is_still_seen() {
        let (tx, mut rx) = channel();
        tx.send(2).unwrap();
        assert_eq!(reverted_below(6, 7, &mut rx), Some(3));
        // Seen once: the next look finds nothing new.
        assert_eq!(reverted_below(3, 7, &mut rx), None);
    }

    #[test]
    fn a_revert_above_what_was_sent_changes_nothing() {
        let (tx, mut rx) = channel();
        tx.send(5).unwrap();
        assert_eq!(reverted_below(6, 7, &mut rx), None);
        tx.send(4).unwrap();
        assert_eq!(reverted_below(6, 7, &mut rx), Some(5));
    }

    #[test]
    fn the_lowest_of_several_reverts_wins() {
        let (tx, mut rx) = channel();
        for target in [4, 1, 3] {
            tx.send(target).unwrap();
        }
        assert_eq!(reverted_below(6, 9, &mut rx), Some(2));
    }

    #[test]
    fn missed_reverts_resume_after_genesis() {
        let (tx, mut rx) = channel();
        for _ in 0..=REVERTS_KEPT {
            tx.send(5).unwrap();
        }
        assert_eq!(reverted_below(9, 9, &mut rx), Some(1));
        let (tx, mut rx) = channel();
        for _ in 0..=REVERTS_KEPT {
            tx.send(5).unwrap();
        }
        // A connection that has sent nothing above genesis lost nothing.
        assert_eq!(reverted_below(1, 9, &mut rx), None);
    }
}
