//! The redb backend: one file, `DATA_DIR/tokensign-node.redb`, its tables,
//! reads through redb read transactions (MVCC: a consistent snapshot that
//! never waits for the writer) and each [`Commit`] as one redb write
//! transaction (one fsync when durable). One process owns the file, so its
//! single writer is the only one that changes it: a write reads a snapshot
//! (nobody else can commit in between), and the tokens it has read stay
//! cached across writes.
//!
//! Snapshots are redb persistent savepoints: taking one costs one commit
//! whatever the state's size (the savepoint keeps the pages of that
//! state alive, so the file grows with what changes after it); a revert
//! restores the savepoint in one write transaction, which also drops the
//! savepoints taken after it, and then deletes it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use redb::{Database, Durability, WriteTransaction};
use tokensign_core::{Address, Amount};

use super::{Build, Commit, Contents, Head, StateRead, Storage, WriteRead};
use crate::node::failure::{NodeError, StoreError};
use crate::node::ledger::{Account, Backing, Changes, Multisig, Token};
use crate::node::records::MintRecord;
use crate::show::show_path;

mod read;
mod tables;
mod unsynced;
mod write;

pub(crate) use read::mint_number;
use read::RedbRead;
use tables::FORMAT;
use tables::{create_tables, delete_tables, found_format, Found};
use unsynced::Unsynced;
use write::{write_checkpoint, write_commit};

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "tokensign-node.redb";

/// The state in one redb file.
pub struct RedbStorage {
    db: Database,
    durable: bool,
    /// The non-durable commits since the last durable one (always none
    /// on a durable store).
    unsynced: Mutex<Unsynced>,
    /// The committed tokens the writes have read: a payment reads its
    /// token, and parsing the token's stored JSON for each one would be
    /// the writer's largest serial cost. Only writes change tokens, and
    /// each updates this copy after its commit, so the copy always equals
    /// the committed state.
    tokens: Mutex<HashMap<Address, Token>>,
}

/// Opens (creating if needed) the database in `data_dir`, with every table
/// and the genesis checkpoint. `durable`: every commit is fsynced
/// (`Durability::Immediate`) before it is acknowledged; otherwise
/// `Durability::None` but for one durable commit in [`unsynced::SYNC_EVERY`] (or
/// after [`unsynced::SYNC_AFTER`]), for benchmarks only. Blocking.
pub fn open(data_dir: &Path, durable: bool) -> Result<RedbStorage, NodeError> {
    std::fs::create_dir_all(data_dir).map_err(|source| NodeError::CreateDataDir {
        dir: show_path(data_dir),
        source,
    })?;
    let path = data_dir.join(DB_FILE);
    let failed = |source: StoreError| NodeError::OpenDatabase {
        path: show_path(&path),
        source: Box::new(source),
    };
    let db = match Database::create(&path) {
        Ok(db) => db,
        Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
            return Err(NodeError::DataDirInUse {
                dir: show_path(data_dir),
                db: show_path(&path),
            })
        }
        Err(e) => return Err(failed(e.into())),
    };
    let found = db
        .begin_read()
        .map_err(StoreError::from)
        .and_then(|txn| found_format(&txn))
        .map_err(failed)?;
    if let Found::Other(found) = found {
        return Err(NodeError::StoreFormat {
            db: show_path(&path),
            found,
            expected: FORMAT,
        });
    }
    with_tables(db, durable).map_err(failed)
}

/// The storage over `db` once every table and the genesis checkpoint
/// exist.
fn with_tables(db: Database, durable: bool) -> Result<RedbStorage, StoreError> {
    // Every table exists from the start, so that reads always find them.
    let create = || -> Result<(), StoreError> {
        let txn = db.begin_write()?;
        create_tables(&txn)?;
        txn.commit()?;
        Ok(())
    };
    create()?;
    let storage = RedbStorage {
        db,
        durable,
        unsynced: Mutex::new(Unsynced::none()),
        tokens: Mutex::default(),
    };
    if storage.read()?.checkpoint(0)?.is_none() {
        storage.commit(&mut Commit::genesis())?;
    }
    Ok(storage)
}

impl Storage for RedbStorage {
    fn read(&self) -> Result<Box<dyn StateRead + '_>, StoreError> {
        Ok(Box::new(RedbRead::new(self.db.begin_read()?)))
    }

    fn write(&self, build: &mut Build<'_>) -> Result<Option<u64>, StoreError> {
        let read = RedbRead::new(self.db.begin_read()?);
        let pending = build(&CachedTokens {
            read: &read,
            tokens: &self.tokens,
        })?;
        let (number, hash) = read.head()?;
        let mut commit = pending.seal(Head { number, hash }, |hash| {
            read.transaction(hash)?
                .ok_or(StoreError::Corrupt("an unplaced transaction is not stored"))
        })?;
        drop(read);
        self.commit(&mut commit)?;
        let mut cached = self
            .tokens
            .lock()
            .map_err(|_| StoreError::Corrupt("the token cache lock is poisoned"))?;
        for token in commit.ledger.tokens.values() {
            cached.insert(token.address, token.clone());
        }
        Ok(commit.checkpoint.map(|c| c.number))
    }

    fn holds_unplaced(&self) -> bool {
        true
    }

    fn keeps_snapshots(&self) -> bool {
        true
    }

    fn snapshot(&self) -> Result<u64, StoreError> {
        let mut txn = self.db.begin_write()?;
        // redb keeps a persistent savepoint only from a durable commit.
        txn.set_durability(Durability::Immediate);
        let id = txn.persistent_savepoint()?;
        self.finish(txn, true)?;
        Ok(id)
    }

    fn revert(&self, id: u64) -> Result<bool, StoreError> {
        let mut txn = self.db.begin_write()?;
        txn.set_durability(Durability::Immediate);
        let savepoint = match txn.get_persistent_savepoint(id) {
            Ok(savepoint) => savepoint,
            Err(redb::SavepointError::InvalidSavepoint) => {
                txn.abort()?;
                return Ok(false);
            }
            Err(e) => return Err(e.into()),
        };
        // Restoring drops every savepoint taken after this one.
        txn.restore_savepoint(&savepoint)?;
        drop(savepoint);
        txn.delete_persistent_savepoint(id)?;
        self.finish(txn, true)?;
        // The token cache follows the reverted state.
        self.tokens
            .lock()
            .map_err(|_| StoreError::Corrupt("the token cache lock is poisoned"))?
            .clear();
        Ok(true)
    }

    fn replace(&self, contents: &Contents) -> Result<(), StoreError> {
        let (txn, synced) = self.begin_write()?;
        // Empty every table (dropped and created again), then write it all.
        delete_tables(&txn)?;
        create_tables(&txn)?;
        let ledger = &contents.ledger;
        let changes = Changes {
            accounts: ledger.accounts.clone(),
            tokens: ledger.tokens.clone(),
            balances: ledger.balances.clone(),
            multisigs: ledger.multisigs.clone(),
        };
        let mut transactions = Vec::with_capacity(contents.transactions.len());
        for record in &contents.transactions {
            let hash = crate::show::parse_hex32(&record.transaction.hash)
                .ok_or(StoreError::Corrupt("a transaction hash is not 32 bytes"))?;
            transactions.push((hash, record.clone()));
        }
        write_commit(
            &txn,
            &mut Commit {
                ledger: changes,
                transactions,
                mints: contents.mints.clone(),
                mint_count: Some(contents.mint_count),
                ..Commit::default()
            },
        )?;
        let mut value = Vec::new();
        for checkpoint in &contents.checkpoints {
            write_checkpoint(&txn, checkpoint, &mut value)?;
        }
        self.finish(txn, synced)?;
        self.tokens
            .lock()
            .map_err(|_| StoreError::Corrupt("the token cache lock is poisoned"))?
            .clear();
        Ok(())
    }
}

impl RedbStorage {
    /// A write transaction for a commit of the state, and whether it is a
    /// durable one: always on a durable store; on a non-durable one, one
    /// in [`unsynced::SYNC_EVERY`] commits, or the first [`unsynced::SYNC_AFTER`] after the
    /// oldest unsynced one. A durable commit also makes every commit
    /// before it durable, and lets redb reuse the pages they freed.
    fn begin_write(&self) -> Result<(WriteTransaction, bool), StoreError> {
        let mut txn = self.db.begin_write()?;
        let synced = self.durable || self.unsynced()?.due();
        txn.set_durability(if synced {
            Durability::Immediate
        } else {
            Durability::None
        });
        Ok((txn, synced))
    }

    /// Commits `txn`, begun by [`Self::begin_write`] (`synced`: durably),
    /// and counts it.
    fn finish(&self, txn: WriteTransaction, synced: bool) -> Result<(), StoreError> {
        txn.commit()?;
        let mut unsynced = self.unsynced()?;
        if synced {
            *unsynced = Unsynced::none();
        } else {
            unsynced.add(Instant::now());
        }
        Ok(())
    }

    fn unsynced(&self) -> Result<std::sync::MutexGuard<'_, Unsynced>, StoreError> {
        self.unsynced
            .lock()
            .map_err(|_| StoreError::Corrupt("the unsynced-commit count lock is poisoned"))
    }

    /// Applies `commit` in one write transaction (taking the place out
    /// of its records, as [`write_commit`] stores them).
    fn commit(&self, commit: &mut Commit) -> Result<(), StoreError> {
        let (txn, synced) = self.begin_write()?;
        write_commit(&txn, commit)?;
        self.finish(txn, synced)
    }
}

/// The committed state with the writes' token cache in front of it.
struct CachedTokens<'a> {
    read: &'a dyn StateRead,
    tokens: &'a Mutex<HashMap<Address, Token>>,
}

impl Backing for CachedTokens<'_> {
    fn account(&self, address: &Address) -> Result<Account, StoreError> {
        self.read.account(address)
    }
    fn token(&self, address: &Address) -> Result<Option<Token>, StoreError> {
        let lock = || {
            self.tokens
                .lock()
                .map_err(|_| StoreError::Corrupt("the token cache lock is poisoned"))
        };
        if let Some(t) = lock()?.get(address) {
            return Ok(Some(t.clone()));
        }
        let token = self.read.token(address)?;
        if let Some(t) = &token {
            lock()?.insert(*address, t.clone());
        }
        Ok(token)
    }
    fn token_by_symbol(&self, symbol: &str) -> Result<Option<Address>, StoreError> {
        self.read.token_by_symbol(symbol)
    }
    fn balance(&self, owner: &Address, token: &Address) -> Result<Amount, StoreError> {
        self.read.balance(owner, token)
    }
    fn multisig(&self, address: &Address) -> Result<Option<Multisig>, StoreError> {
        self.read.multisig(address)
    }
}

impl WriteRead for CachedTokens<'_> {
    fn has_transaction(&self, hash: &[u8; 32]) -> Result<bool, StoreError> {
        self.read.has_transaction(hash)
    }
    fn mint(&self, asset_id: &str) -> Result<Option<MintRecord>, StoreError> {
        self.read.mint(asset_id)
    }
    fn mint_count(&self) -> Result<u64, StoreError> {
        self.read.mint_count()
    }
}

/// redb's errors, as the backend-neutral [`StoreError::Backend`].
macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::Backend(Box::new(redb::Error::from(e)))
            }
        }
    )*};
}
impl From<redb::Error> for StoreError {
    fn from(e: redb::Error) -> Self {
        StoreError::Backend(Box::new(e))
    }
}
from_redb!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::DatabaseError,
    redb::SavepointError
);

#[cfg(test)]
mod tests;
