//! The development controls inside the writer: each runs alone between two
//! batches, so it applies in the order it was sent relative to writes.
//! State controls commit what `dev::control` stages, through
//! [`Storage::write`] like any batch (so on a shared PostgreSQL database
//! they are checked and committed under its write lock); the checkpoint
//! controls close a checkpoint over the pending transactions.

use tokio::sync::{mpsc, oneshot};

use super::batch::Batch;
use super::{Job, Rejected, Reply, WriterState};
use crate::api::dev::CheckpointMode;
use crate::node::dev::checkpoints::{Checkpoints, Close};
use crate::node::dev::control::{self, ClosedCheckpoint, Control, ControlRefusal, Controlled};
use crate::node::failure::StoreError;
use crate::node::storage::{Pending, Storage, WriteRead};

/// Runs one development control; returns the number of the checkpoint it
/// closed, if any.
pub(super) fn run_control(
    storage: &dyn Storage,
    control: Control,
    reply: Reply<Controlled, ControlRefusal>,
    state: &mut WriterState,
) -> Option<u64> {
    let mut closed = None;
    let outcome = (|| -> Result<Result<Controlled, ControlRefusal>, StoreError> {
        Ok(Ok(match control {
            Control::SetBalance {
                owner,
                token,
                balance,
            } => return commit_staged(storage, |b| control::set_balance(b, owner, token, balance)),
            Control::SetNonce { account, nonce } => {
                return commit_staged(storage, |b| control::set_nonce(b, account, nonce))
            }
            Control::SetFees(change) => {
                change.apply(&mut state.rules.fees);
                Controlled::Fees(state.rules.fees.clone())
            }
            Control::SetCheckpointMode { mode, interval } => {
                if !storage.holds_unplaced() {
                    match mode {
                        CheckpointMode::Interval => {
                            return Ok(Err(ControlRefusal::PendingUnsupported("interval")))
                        }
                        CheckpointMode::Manual => {
                            return Ok(Err(ControlRefusal::PendingUnsupported("manual")))
                        }
                        CheckpointMode::Auto | CheckpointMode::PerWrite => {}
                    }
                }
                let generation = state.checkpoints.set_mode(mode, interval);
                if state.checkpoints.on_commit() == Close::IfAny {
                    closed = close_pending(storage, state, Close::IfAny)?.map(|c| c.number);
                }
                if let (CheckpointMode::Interval, Some(every)) = (mode, interval) {
                    // The mode change stopped the ticker before; this one
                    // ticks for the new generation.
                    let queue = state.queue.clone();
                    state.checkpoints.spawn_ticker(every, move || {
                        let Some(jobs) = queue.upgrade() else {
                            return false;
                        };
                        // Nobody waits for a tick's answer; a full queue
                        // skips one (the writer is busy closing anyway).
                        let (reply, _) = oneshot::channel();
                        !matches!(
                            jobs.try_send(Job::Control(Control::Tick(generation), reply)),
                            Err(mpsc::error::TrySendError::Closed(_))
                        )
                    });
                }
                checkpoint_mode(&state.checkpoints)
            }
            Control::ReadCheckpointMode => checkpoint_mode(&state.checkpoints),
            Control::Checkpoint => {
                // `Close::Always` closes one, empty or not.
                let checkpoint = close_pending(storage, state, Close::Always)?;
                closed = checkpoint.as_ref().map(|c| c.number);
                Controlled::Checkpoint(checkpoint)
            }
            Control::Snapshot | Control::Revert(_) if !storage.keeps_snapshots() => {
                return Ok(Err(ControlRefusal::SnapshotsUnsupported));
            }
            Control::Snapshot => {
                // A snapshot is a checkpoint: nothing pending is left out
                // of one, so a revert leaves nothing pending either.
                closed = close_pending(storage, state, Close::IfAny)?.map(|c| c.number);
                let id = storage.snapshot()?;
                let checkpoint = storage.read()?.last_checkpoint()?;
                Controlled::Snapshot { id, checkpoint }
            }
            Control::Revert(id) => {
                if !storage.revert(id)? {
                    return Ok(Err(ControlRefusal::UnknownSnapshot(id)));
                }
                // Every layer above the storage follows it (the store's
                // token cache is its own): the transactions pending now were committed after the
                // snapshot (which had none pending) and are gone, and
                // the live stream learns of the revert (before any
                // checkpoint committed after it) and the latest checkpoint.
                state.checkpoints.committed(&[], true);
                let checkpoint = storage.read()?.last_checkpoint()?;
                state.announcer.reverted(checkpoint);
                Controlled::Reverted { id, checkpoint }
            }
            Control::Tick(generation) => {
                if state.checkpoints.is_current(generation) {
                    closed = close_pending(storage, state, Close::IfAny)?.map(|c| c.number);
                }
                Controlled::Checkpoint(None)
            }
        }))
    })();
    let _ = reply.send(match outcome {
        Ok(r) => r.map_err(Rejected::Refused),
        Err(e) => {
            tracing::error!(error = %e, "a development control failed; nothing of it was stored");
            Err(Rejected::failure(e.is_unavailable()))
        }
    });
    closed
}

fn checkpoint_mode(checkpoints: &Checkpoints) -> Controlled {
    let (mode, interval) = checkpoints.mode();
    Controlled::CheckpointMode {
        mode,
        interval,
        pending: checkpoints.pending().len() as u64,
    }
}

/// Commits what a state control stages against the committed state (read
/// under the store's write lock).
fn commit_staged(
    storage: &dyn Storage,
    stage: impl Fn(&Batch<'_>) -> control::Staging,
) -> Result<Result<Controlled, ControlRefusal>, StoreError> {
    let mut outcome = None;
    storage.write(&mut |committed: &dyn WriteRead| {
        let batch = Batch::new(committed, 0);
        let staged = stage(&batch)?;
        drop(batch);
        Ok(match staged {
            Ok((changes, done)) => {
                outcome = Some(Ok(done));
                Pending {
                    ledger: changes,
                    close: Close::No,
                    ..Pending::default()
                }
            }
            Err(refusal) => {
                // Nothing to store: an empty write.
                outcome = Some(Err(refusal));
                Pending {
                    close: Close::No,
                    ..Pending::default()
                }
            }
        })
    })?;
    outcome.ok_or(StoreError::Corrupt("the store did not run the control"))
}

/// Closes a checkpoint over what is pending (`Close::IfAny`: only if
/// anything is; `Close::Always`: an empty one too) and commits it; the
/// checkpoint closed, if any.
fn close_pending(
    storage: &dyn Storage,
    state: &mut WriterState,
    close: Close,
) -> Result<Option<ClosedCheckpoint>, StoreError> {
    let unplaced = state.checkpoints.pending().to_vec();
    if close == Close::IfAny && unplaced.is_empty() {
        return Ok(None);
    }
    let closed = storage.write(&mut |_: &dyn WriteRead| {
        Ok(Pending {
            close,
            unplaced: unplaced.clone(),
            ..Pending::default()
        })
    })?;
    let Some(number) = closed else {
        return Ok(None);
    };
    state.checkpoints.committed(&[], true);
    let checkpoint = storage
        .read()?
        .checkpoint(number)?
        .ok_or(StoreError::Corrupt("the checkpoint just closed is missing"))?;
    Ok(Some(ClosedCheckpoint {
        number: checkpoint.number,
        hash: checkpoint.hash,
        transactions: checkpoint.transactions.len() as u64,
    }))
}

/// [`close_pending`] where nobody waits for the outcome: a failure is
/// logged (the transactions stay pending).
pub(super) fn close_pending_logged(storage: &dyn Storage, state: &mut WriterState) -> Option<u64> {
    match close_pending(storage, state, Close::IfAny) {
        Ok(closed) => closed.map(|c| c.number),
        Err(e) => {
            tracing::error!(error = %e, "cannot close a checkpoint over the pending transactions");
            None
        }
    }
}
