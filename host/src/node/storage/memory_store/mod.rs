//! The memory store (`tokensign node --in-memory`, `NodeConfig::in_memory`):
//! the committed state as persistent maps ([`imbl`]) of records kept as
//! values, behind one `Arc` that each commit replaces. Nothing is written
//! to any file, and everything is gone when the store is dropped.
//!
//! - A read ([`Storage::read`]) clones the `Arc` of the committed state:
//!   it holds that state whatever commits after it, and never waits for
//!   the writer (the lock around the `Arc` is held only to clone or swap
//!   it).
//! - A write runs its builder on the committed state under the write
//!   lock, seals it ([`super::Pending::seal`]), applies the commit to an
//!   O(1) clone of the state (the maps share every entry the commit
//!   leaves alone) and swaps that in: atomic, and nothing is serialized.
//! - A snapshot keeps the `Arc` of the committed state under an id; a
//!   revert swaps it back in. "Durable like a commit" holds trivially:
//!   the snapshot lives as long as the store, as the commits do.
//!
//! It replaced redb's tables on an in-memory redb backend, whose commit
//! (table roots, page allocation, checksums, zeroed pages) was about a
//! third of the node's instructions per payment (BENCHMARKS.md).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use super::{Build, Contents, StateRead, Storage};
use crate::node::failure::StoreError;

mod state;

use state::{MemoryRead, State};

/// The node's state in memory.
pub struct MemoryStore {
    /// The committed state.
    current: RwLock<Arc<State>>,
    /// Held by every change from its start to its end (one at a time),
    /// with the snapshots it may take or restore.
    changes: Mutex<Snapshots>,
}

/// The kept states, by snapshot id.
#[derive(Default)]
struct Snapshots {
    kept: BTreeMap<u64, Arc<State>>,
    /// The last id given (ids only grow, even past a revert).
    last_id: u64,
}

impl MemoryStore {
    /// An empty store: the genesis checkpoint only.
    pub fn new() -> MemoryStore {
        MemoryStore {
            current: RwLock::new(Arc::new(State::genesis())),
            changes: Mutex::default(),
        }
    }

    /// The committed state.
    fn current(&self) -> Result<Arc<State>, StoreError> {
        self.current
            .read()
            .map(|state| Arc::clone(&state))
            .map_err(|_| StoreError::Corrupt("the memory store's state lock is poisoned"))
    }

    /// Makes `state` the committed state. The one it replaces is dropped
    /// after the lock is released (after a replace or a revert it may be
    /// the last holder of a large state), so reads never wait for that.
    fn set(&self, state: Arc<State>) -> Result<(), StoreError> {
        let mut current = self
            .current
            .write()
            .map_err(|_| StoreError::Corrupt("the memory store's state lock is poisoned"))?;
        let replaced = std::mem::replace(&mut *current, state);
        drop(current);
        drop(replaced);
        Ok(())
    }

    /// The write lock, with the snapshots.
    fn changes(&self) -> Result<MutexGuard<'_, Snapshots>, StoreError> {
        self.changes
            .lock()
            .map_err(|_| StoreError::Corrupt("the memory store's write lock is poisoned"))
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new()
    }
}

impl Storage for MemoryStore {
    fn read(&self) -> Result<Box<dyn StateRead + '_>, StoreError> {
        Ok(Box::new(MemoryRead(self.current()?)))
    }

    fn write(&self, build: &mut Build<'_>) -> Result<Option<u64>, StoreError> {
        let _lock = self.changes()?;
        let read = MemoryRead(self.current()?);
        let pending = build(&read)?;
        let base = &read.0;
        let commit = pending.seal(base.head()?, |hash| base.stored(hash))?;
        let closed = commit.checkpoint.as_ref().map(|c| c.number);
        let mut next = State::clone(base);
        next.apply(commit);
        self.set(Arc::new(next))?;
        Ok(closed)
    }

    fn holds_unplaced(&self) -> bool {
        true
    }

    fn commits_inline(&self) -> bool {
        true
    }

    fn replace(&self, contents: &Contents) -> Result<(), StoreError> {
        let _lock = self.changes()?;
        self.set(Arc::new(State::of(contents)?))
    }

    fn keeps_snapshots(&self) -> bool {
        true
    }

    fn snapshot(&self) -> Result<u64, StoreError> {
        let mut snapshots = self.changes()?;
        let id = snapshots
            .last_id
            .checked_add(1)
            .ok_or(StoreError::Overflow("snapshot id"))?;
        let state = self.current()?;
        snapshots.kept.insert(id, state);
        snapshots.last_id = id;
        Ok(id)
    }

    fn revert(&self, id: u64) -> Result<bool, StoreError> {
        let mut snapshots = self.changes()?;
        // The snapshot and every later one are used up.
        let mut used = snapshots.kept.split_off(&id);
        let Some(state) = used.remove(&id) else {
            // Nothing changed: put the later ones back.
            snapshots.kept.append(&mut used);
            return Ok(false);
        };
        self.set(state)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests;
