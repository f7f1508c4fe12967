//! One consumer's connection: the checkpoints it has not been sent yet,
//! read from the store in order, until it closes, lags, stalls, is
//! reverted past, or the node stops.

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::broadcast;

use super::{last_checkpoint, CLOSE_TIMEOUT, STORE_RETRY};
use crate::api::stream::{
    CLOSE_INTERNAL_ERROR, CLOSE_NODE_STOPPING, CLOSE_REVERTED, CLOSE_SLOW_CONSUMER,
};
use crate::api::StreamFrame;
use crate::node::failure::StoreError;
use crate::node::AppState;

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

pub(super) async fn serve(socket: WebSocket, state: AppState, mut next: u64, mut caught_up: bool) {
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
    let checkpoint = crate::node::reads::checkpoint_wire(&*reader, checkpoint, false)
        .map_err(|_| StoreError::Corrupt("a checkpoint does not serve"))?;
    out.push(serde_json::to_string(&StreamFrame::Checkpoint {
        checkpoint,
    })?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::stream::REVERTS_KEPT;

    fn channel() -> (broadcast::Sender<u64>, broadcast::Receiver<u64>) {
        broadcast::channel(REVERTS_KEPT)
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
