//! Checkpoint control, on the writer's side: when the single writer closes
//! a checkpoint, and the transactions admitted but not yet placed in one.
//!
//! The ledger rules' stand-in (section 7): a transaction is applied and
//! final the moment it is admitted; checkpoints group final transactions
//! afterwards. So in `interval` and `manual` mode an admitted transaction
//! is committed at once (its effects, its record and receipt, without a
//! checkpoint: the reads show no `checkpoint_*` fields and the finalized
//! receipt is not there yet) and is *pending* until a checkpoint closes
//! over it. Modes:
//!
//! - `auto` (default): every commit of the writer closes one checkpoint
//!   over what it admitted (one per write unless writes arrive together);
//! - `per_write`: the writer takes one transaction per commit, so each has
//!   its own checkpoint (one fsync each: slower under load);
//! - `interval`: a ticker thread asks the writer every N ms to close one
//!   over what is pending (none when nothing is);
//! - `manual`: only `POST /dev/checkpoint` closes one (empty if nothing is
//!   pending, as anvil's `evm_mine`).
//!
//! Switching back to `auto` or `per_write` closes one over what is
//! pending. A node on PostgreSQL has `auto` and `per_write` only: its
//! store, shared by several processes, keeps no transaction out of a
//! checkpoint ([`Storage::holds_unplaced`](crate::node::storage::Storage::holds_unplaced)), so `interval` and `manual` are refused
//! there (501 `DEV_CONTROL_UNSUPPORTED_ON_POSTGRES`). The mode is not stored: a node starts in `auto`. Pending
//! hashes are also appended to a small log in the data directory (fsynced
//! before the commit that admits them, on a durable node) and the log is
//! emptied when they are placed; a node that restarts after a crash with a
//! non-empty log closes one checkpoint over those of them that are stored
//! and unplaced, in their admission order. A clean stop closes one too.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use crate::api::dev::CheckpointMode;
use crate::node::failure::StoreError;
pub(crate) use crate::node::storage::Close;
use crate::node::storage::StateRead;

/// File name of the pending log inside the data directory.
pub const PENDING_LOG: &str = "tokensign-node.pending";
/// Shortest `interval` (a shorter one would only make empty work).
pub const MIN_INTERVAL: Duration = Duration::from_millis(10);
/// Longest `interval` (one day).
pub const MAX_INTERVAL: Duration = Duration::from_secs(86_400);

/// The writer's checkpoint state.
pub(crate) struct Checkpoints {
    mode: CheckpointMode,
    interval: Option<Duration>,
    pending: Vec<[u8; 32]>,
    /// Bumped at every mode change: a tick of an older generation, still
    /// queued, is ignored.
    generation: u64,
    /// Dropped to stop the current ticker at once (a mode change, or the
    /// writer ending).
    ticker: Option<mpsc::Sender<()>>,
    log: PendingLog,
}

impl Checkpoints {
    /// `auto`, nothing pending; `log` where pending hashes are kept across
    /// a crash (`None`: a node without a data directory).
    pub(crate) fn new(log_dir: Option<&Path>, durable: bool) -> Self {
        Checkpoints {
            mode: CheckpointMode::Auto,
            interval: None,
            pending: Vec::new(),
            generation: 0,
            ticker: None,
            log: PendingLog {
                path: log_dir.map(|d| d.join(PENDING_LOG)),
                file: None,
                durable,
            },
        }
    }

    /// The mode and its interval.
    pub(crate) fn mode(&self) -> (CheckpointMode, Option<Duration>) {
        (self.mode, self.interval)
    }

    /// The transactions admitted and not yet placed, in admission order.
    pub(crate) fn pending(&self) -> &[[u8; 32]] {
        &self.pending
    }

    /// Most transactions one commit may admit.
    pub(crate) fn max_batch(&self, default: usize) -> usize {
        match self.mode {
            CheckpointMode::PerWrite => 1,
            _ => default,
        }
    }

    /// Whether a commit of admitted transactions closes a checkpoint.
    pub(crate) fn on_commit(&self) -> Close {
        match self.mode {
            CheckpointMode::Auto | CheckpointMode::PerWrite => Close::IfAny,
            CheckpointMode::Interval | CheckpointMode::Manual => Close::No,
        }
    }

    /// Before a commit that admits `admitted` without closing a
    /// checkpoint: they go to the pending log (fsynced on a durable node),
    /// so that a crash after the commit leaves them findable.
    pub(crate) fn log(&mut self, admitted: &[[u8; 32]]) -> Result<(), StoreError> {
        self.log.append(admitted)
    }

    /// After a successful commit that admitted `admitted`: placed if it
    /// `closed` a checkpoint (with everything pending), else pending.
    pub(crate) fn committed(&mut self, admitted: &[[u8; 32]], closed: bool) {
        if closed {
            self.pending.clear();
            if let Err(e) = self.log.clear() {
                // Harmless: a restart skips hashes already placed.
                tracing::warn!(error = %e, "cannot empty the pending checkpoint log");
            }
        } else {
            self.pending.extend_from_slice(admitted);
        }
    }

    /// Switches to `mode` (stopping the ticker of the mode before); returns
    /// the new generation, for a ticker started for it.
    pub(crate) fn set_mode(&mut self, mode: CheckpointMode, interval: Option<Duration>) -> u64 {
        self.mode = mode;
        self.interval = interval;
        self.ticker = None;
        self.generation = self.generation.wrapping_add(1);
        self.generation
    }

    /// Whether a tick of `generation` is the current ticker's.
    pub(crate) fn is_current(&self, generation: u64) -> bool {
        self.mode == CheckpointMode::Interval && self.generation == generation
    }

    /// Reads the log a previous run left: the hashes that are stored and
    /// not in a checkpoint, in order, become pending (to be closed over at
    /// once: the node starts in `auto`).
    pub(crate) fn recover(&mut self, committed: &dyn StateRead) -> Result<(), StoreError> {
        for hash in self.log.read()? {
            if self.pending.contains(&hash) {
                continue;
            }
            let unplaced = committed
                .transaction(&hash)?
                .is_some_and(|r| r.transaction.checkpoint_number.is_none());
            if unplaced {
                self.pending.push(hash);
            }
        }
        if !self.pending.is_empty() {
            tracing::warn!(
                transactions = self.pending.len(),
                "transactions admitted before a crash were in no checkpoint: closing one over them"
            );
        }
        Ok(())
    }

    /// Starts a thread that calls `tick` every `every` until the mode
    /// changes, these checkpoints are dropped (the writer ends), or `tick`
    /// returns false; it wakes at once for the first two.
    pub(crate) fn spawn_ticker(
        &mut self,
        every: Duration,
        tick: impl Fn() -> bool + Send + 'static,
    ) {
        let (stop, stopped) = mpsc::channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("tokensign-checkpoint-ticker".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                    if !tick() {
                        return;
                    }
                }
            });
        match spawned {
            Ok(_) => self.ticker = Some(stop),
            Err(e) => tracing::error!(
                error = %e,
                "cannot start the checkpoint ticker: no interval checkpoints"
            ),
        }
    }
}

/// The pending log: 32 bytes per hash, appended; emptied when they are
/// placed. Created only when a transaction is first left pending.
struct PendingLog {
    path: Option<PathBuf>,
    file: Option<File>,
    durable: bool,
}

fn io_error(what: &'static str) -> impl Fn(std::io::Error) -> StoreError {
    move |e| {
        StoreError::Backend(Box::new(std::io::Error::new(
            e.kind(),
            format!("the pending checkpoint log ({what}): {e}"),
        )))
    }
}

impl PendingLog {
    fn append(&mut self, hashes: &[[u8; 32]]) -> Result<(), StoreError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if hashes.is_empty() {
            return Ok(());
        }
        if self.file.is_none() {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(io_error("open"))?;
            self.file = Some(file);
        }
        let Some(file) = &mut self.file else {
            return Ok(());
        };
        file.write_all(hashes.concat().as_slice())
            .map_err(io_error("append"))?;
        if self.durable {
            file.sync_data().map_err(io_error("sync"))?;
        }
        Ok(())
    }

    fn clear(&mut self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        self.file = None;
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn read(&self) -> Result<Vec<[u8; 32]>, StoreError> {
        let Some(path) = &self.path else {
            return Ok(Vec::new());
        };
        let mut bytes = Vec::new();
        match File::open(path) {
            Ok(mut file) => {
                file.read_to_end(&mut bytes).map_err(io_error("read"))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error("open")(e)),
        }
        // A crash in the middle of an append leaves a partial last hash:
        // its commit never happened, so it is dropped.
        Ok(bytes
            .chunks_exact(32)
            .filter_map(|c| <[u8; 32]>::try_from(c).ok())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_keeps_whole_hashes_in_order_and_empties() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Checkpoints::new(Some(dir.path()), true);
        assert_eq!(c.log.read().unwrap(), Vec::<[u8; 32]>::new());
        c.log(&[[1; 32], [2; 32]]).unwrap();
        c.log(&[[3; 32]]).unwrap();
        assert_eq!(c.log.read().unwrap(), vec![[1; 32], [2; 32], [3; 32]]);
        // A torn append: the partial hash is not read.
        let path = dir.path().join(PENDING_LOG);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&[9; 7]).unwrap();
        assert_eq!(c.log.read().unwrap().len(), 3);
        c.committed(&[], true);
        assert!(!path.exists());
        assert!(c.log.read().unwrap().is_empty());
    }

    #[test]
    fn modes_decide_batches_and_closes() {
        let mut c = Checkpoints::new(None, false);
        assert_eq!((c.on_commit(), c.max_batch(64)), (Close::IfAny, 64));
        let g = c.set_mode(CheckpointMode::PerWrite, None);
        assert_eq!((c.on_commit(), c.max_batch(64)), (Close::IfAny, 1));
        assert!(!c.is_current(g), "no ticker outside interval mode");
        let g = c.set_mode(CheckpointMode::Interval, Some(MIN_INTERVAL));
        assert_eq!(c.on_commit(), Close::No);
        assert!(c.is_current(g) && !c.is_current(g - 1));
        // The ticker ticks, and stops at once when the mode changes.
        let (ticks, ticked) = std::sync::mpsc::channel();
        c.spawn_ticker(MIN_INTERVAL, move || ticks.send(()).is_ok());
        ticked.recv_timeout(Duration::from_secs(30)).unwrap();
        c.committed(&[[1; 32]], false);
        c.committed(&[[2; 32]], false);
        assert_eq!(c.pending(), &[[1; 32], [2; 32]]);
        c.set_mode(CheckpointMode::Manual, None);
        assert!(!c.is_current(g));
        // Stopped: after the ticks already sent, the channel ends (the
        // ticker thread is gone with its sender).
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while ticked.recv_timeout(Duration::from_secs(30)).is_ok() {
            assert!(
                std::time::Instant::now() < deadline,
                "the ticker did not stop"
            );
        }
        c.committed(&[], true);
        assert!(c.pending().is_empty());
    }
}
