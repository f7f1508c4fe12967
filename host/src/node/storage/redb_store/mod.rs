//! The redb backend: one file, `DATA_DIR/tokensign-node.redb`, its tables,
//! reads through redb read transactions (MVCC: a consistent snapshot that
//! never waits for the writer) and each [`Commit`] as one redb write
//! transaction (one fsync when durable). One process owns the file, so its
//! single writer is the only one that changes it: a write reads a snapshot
//! (nobody else can commit in between), and the tokens it has read stay
//! cached across writes. The same tables can live in memory
//! ([`open_in_memory`]: no file at all).
//!
//! Snapshots are redb persistent savepoints: taking one costs one commit
//! whatever the state's size (the savepoint keeps the pages of that
//! state alive, so the file grows with what changes after it); a revert
//! restores the savepoint in one write transaction, which also drops the
//! savepoints taken after it, and then deletes it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use redb::{Database, Durability, ReadableTable, TableDefinition, WriteTransaction};
use tokensign_core::{Address, Amount};

use super::{Build, Commit, Contents, Head, StateRead, Storage, WriteRead};
use crate::node::failure::{NodeError, StoreError};
use crate::node::ledger::{Account, Backing, Changes, Multisig, Token};
use crate::node::records::{CheckpointRecord, MintRecord};
use crate::show::show_path;

mod read;

pub(crate) use read::mint_number;
use read::{balance_key, RedbRead};

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "tokensign-node.redb";

/// address (20 bytes) -> [`Account`] (16 bytes)
const ACCOUNTS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("accounts");
/// owner (20) ‖ token (20) -> balance (32 bytes big-endian)
const BALANCES: TableDefinition<&[u8], &[u8]> = TableDefinition::new("balances");
/// token address (20 bytes) -> [`Token`] JSON
const TOKENS: TableDefinition<&[u8], &str> = TableDefinition::new("tokens_v2");
/// symbol -> token address (20 bytes)
const SYMBOLS: TableDefinition<&str, &[u8]> = TableDefinition::new("symbols");
/// multisig address (20 bytes) -> [`Multisig`] JSON
const MULTISIGS: TableDefinition<&[u8], &str> = TableDefinition::new("multisigs");
/// transaction hash (32 bytes) -> [`TxRecord`] JSON
const TXS: TableDefinition<&[u8], &str> = TableDefinition::new("transactions_v2");
/// checkpoint number -> [`CheckpointRecord`] JSON
const CHECKPOINTS: TableDefinition<u64, &str> = TableDefinition::new("checkpoints");
/// checkpoint hash (32 bytes) -> number
const CHECKPOINT_HASHES: TableDefinition<&[u8], u64> = TableDefinition::new("checkpoint_hashes");
/// asset id (symbol) -> [`MintRecord`] JSON
const MINTS: TableDefinition<&str, &str> = TableDefinition::new("mints");
/// counters
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const MINT_COUNTER: &str = "mint_counter";
const LAST_CHECKPOINT: &str = "last_checkpoint";

/// A non-durable file's commits between two durable ones, at most: redb
/// reuses the pages a commit frees only after a durable commit, so a file
/// committed only with `Durability::None` grew by every commit's pages
/// for as long as the node ran (11,211 pages, 44 MiB, after 2,000
/// one-account commits). One commit in this many (or the first after
/// [`SYNC_AFTER`]) is a durable one instead: the file stays within about
/// this many commits' pages of its live size (383 pages after the same
/// 2,000), and one fsync is spread over this many commits. Measured by
/// the ignored test `measure_sync` on this project's shared build machine,
/// whose fsync took 0.14-3.7 ms: a commit took 1.0-1.7 times as long as
/// one only `Durability::None`, still 4-20 times faster than a durable
/// commit; 16 cost 1.9 times, 256 let the file float 2,644 pages.
///
/// What a crash (not a clean stop: dropping the database commits durably)
/// can lose: the commits since the last durable one, at most
/// `SYNC_EVERY - 1` of them, and none older than [`SYNC_AFTER`] before
/// the latest commit. The file itself is always consistent (redb's
/// commits are atomic): a restart finds the state of some earlier commit.
const SYNC_EVERY: u32 = 64;
/// The longest a non-durable file's commit waits for a durable one while
/// writes keep coming: the first commit this long after the oldest
/// unsynced one is durable. (A node that stops writing keeps its last
/// unsynced commits unsynced until its next commit or a clean stop.)
const SYNC_AFTER: Duration = Duration::from_millis(100);

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
/// `Durability::None` but for one durable commit in [`SYNC_EVERY`] (or
/// after [`SYNC_AFTER`]), for benchmarks only. Blocking.
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
    with_tables(db, durable).map_err(failed)
}

/// Opens an empty database in memory, with every table and the genesis
/// checkpoint: nothing is written to any file, and everything is gone
/// when it is dropped. Its commits are redb's durable ones
/// (`Durability::Immediate`), whose syncs cost nothing here (the backend's
/// `sync_data` does nothing): redb reuses the pages a commit frees only
/// after a durable commit, so with `Durability::None` the database grew by
/// every commit's pages for as long as the node ran (and the backend's
/// buffer with it: reallocating and zeroing it was half the writer's CPU,
/// BENCHMARKS.md).
pub fn open_in_memory() -> Result<RedbStorage, NodeError> {
    let failed = |source: StoreError| NodeError::OpenDatabase {
        path: "(in memory)".to_owned(),
        source: Box::new(source),
    };
    let db = Database::builder()
        .create_with_backend(super::memory_backend::MemoryBackend::default())
        .map_err(|e| failed(e.into()))?;
    with_tables(db, true).map_err(failed)
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
        storage.commit(&Commit::genesis())?;
    }
    Ok(storage)
}

impl Storage for RedbStorage {
    fn read(&self) -> Result<Box<dyn StateRead + '_>, StoreError> {
        Ok(Box::new(RedbRead::new(self.db.begin_read()?)))
    }

    fn write(&self, build: &mut Build<'_>) -> Result<Option<u64>, StoreError> {
        let read = self.read()?;
        let pending = build(&CachedTokens {
            read: &*read,
            tokens: &self.tokens,
        })?;
        let number = read.last_checkpoint()?;
        let hash = read
            .checkpoint(number)?
            .ok_or(StoreError::Corrupt("the latest checkpoint is missing"))?
            .hash;
        let commit = pending.seal(Head { number, hash }, |hash| {
            read.transaction(hash)?
                .ok_or(StoreError::Corrupt("an unplaced transaction is not stored"))
        })?;
        drop(read);
        self.commit(&commit)?;
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
        txn.delete_table(ACCOUNTS)?;
        txn.delete_table(BALANCES)?;
        txn.delete_table(TOKENS)?;
        txn.delete_table(SYMBOLS)?;
        txn.delete_table(MULTISIGS)?;
        txn.delete_table(TXS)?;
        txn.delete_table(CHECKPOINTS)?;
        txn.delete_table(CHECKPOINT_HASHES)?;
        txn.delete_table(MINTS)?;
        txn.delete_table(META)?;
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
            &Commit {
                ledger: changes,
                transactions,
                checkpoint: None,
                mints: contents.mints.clone(),
                mint_count: Some(contents.mint_count),
            },
        )?;
        for checkpoint in &contents.checkpoints {
            write_checkpoint(&txn, checkpoint)?;
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
    /// in [`SYNC_EVERY`] commits, or the first [`SYNC_AFTER`] after the
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

    /// Applies `commit` in one write transaction.
    fn commit(&self, commit: &Commit) -> Result<(), StoreError> {
        let (txn, synced) = self.begin_write()?;
        write_commit(&txn, commit)?;
        if let Some(checkpoint) = &commit.checkpoint {
            write_checkpoint(&txn, checkpoint)?;
        }
        self.finish(txn, synced)
    }
}

/// The non-durable commits since the last durable one.
struct Unsynced {
    commits: u32,
    /// When the oldest of them was committed.
    since: Option<Instant>,
}

impl Unsynced {
    fn none() -> Self {
        Unsynced {
            commits: 0,
            since: None,
        }
    }

    fn add(&mut self, now: Instant) {
        self.commits += 1;
        self.since.get_or_insert(now);
    }

    /// Whether the next commit must be a durable one.
    fn due(&self) -> bool {
        self.commits + 1 >= SYNC_EVERY || self.since.is_some_and(|t| t.elapsed() >= SYNC_AFTER)
    }
}

/// Creates every table that does not exist.
fn create_tables(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(ACCOUNTS)?;
    txn.open_table(BALANCES)?;
    txn.open_table(TOKENS)?;
    txn.open_table(SYMBOLS)?;
    txn.open_table(MULTISIGS)?;
    txn.open_table(TXS)?;
    txn.open_table(CHECKPOINTS)?;
    txn.open_table(CHECKPOINT_HASHES)?;
    txn.open_table(MINTS)?;
    txn.open_table(META)?;
    Ok(())
}

/// Writes the ledger changes, records and mints of `commit` (not its
/// checkpoint).
fn write_commit(txn: &WriteTransaction, commit: &Commit) -> Result<(), StoreError> {
    let changes = &commit.ledger;
    let mut accounts = txn.open_table(ACCOUNTS)?;
    for (address, account) in &changes.accounts {
        accounts.insert(address.as_bytes().as_slice(), account.to_bytes().as_slice())?;
    }
    let mut tokens = txn.open_table(TOKENS)?;
    let mut symbols = txn.open_table(SYMBOLS)?;
    for (address, token) in &changes.tokens {
        let text = serde_json::to_string(token)?;
        tokens.insert(address.as_bytes().as_slice(), text.as_str())?;
        symbols.insert(token.symbol.as_str(), address.as_bytes().as_slice())?;
    }
    let mut balances = txn.open_table(BALANCES)?;
    for ((owner, token), balance) in &changes.balances {
        balances.insert(
            balance_key(owner, token).as_slice(),
            balance.to_be_bytes().as_slice(),
        )?;
    }
    let mut multisigs = txn.open_table(MULTISIGS)?;
    for (address, multisig) in &changes.multisigs {
        let text = serde_json::to_string(multisig)?;
        multisigs.insert(address.as_bytes().as_slice(), text.as_str())?;
    }
    let mut txs = txn.open_table(TXS)?;
    for (hash, record) in &commit.transactions {
        let text = serde_json::to_string(record)?;
        txs.insert(hash.as_slice(), text.as_str())?;
    }
    let mut mints = txn.open_table(MINTS)?;
    for mint in &commit.mints {
        let text = serde_json::to_string(mint)?;
        mints.insert(mint.asset_id.as_str(), text.as_str())?;
    }
    if let Some(n) = commit.mint_count {
        txn.open_table(META)?.insert(MINT_COUNTER, n)?;
    }
    Ok(())
}

/// Writes `checkpoint`; the highest number written is the latest.
fn write_checkpoint(
    txn: &WriteTransaction,
    checkpoint: &CheckpointRecord,
) -> Result<(), StoreError> {
    let text = serde_json::to_string(checkpoint)?;
    txn.open_table(CHECKPOINTS)?
        .insert(checkpoint.number, text.as_str())?;
    txn.open_table(CHECKPOINT_HASHES)?
        .insert(checkpoint.hash.as_slice(), checkpoint.number)?;
    let mut meta = txn.open_table(META)?;
    let last = meta.get(LAST_CHECKPOINT)?.map(|g| g.value()).unwrap_or(0);
    if checkpoint.number >= last {
        meta.insert(LAST_CHECKPOINT, checkpoint.number)?;
    }
    Ok(())
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
mod tests {
    use super::*;

    fn mint_record(asset: &str, n: u64) -> MintRecord {
        MintRecord {
            token_id: format!("TOKEN-{n}"),
            asset_id: asset.into(),
            token: Address([7; 20]).to_string(),
            amount: 5u64.into(),
            base_units: "500".into(),
            assigned_to: "w".into(),
        }
    }

    #[test]
    fn a_commit_is_read_back_whole_and_survives_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let storage = open(dir.path(), true).unwrap();
        // Genesis only.
        let read = storage.read().unwrap();
        assert_eq!(read.last_checkpoint().unwrap(), 0);
        let genesis = read.checkpoint(0).unwrap().unwrap();
        assert!(genesis.transactions.is_empty());
        assert_eq!(read.checkpoint_number(&genesis.hash).unwrap(), Some(0));
        drop(read);

        let (owner, token) = (Address([1; 20]), Address([2; 20]));
        let mut commit = Commit::default();
        commit.ledger.accounts.insert(
            owner,
            Account {
                nonce: 3,
                bbnonce: 1,
            },
        );
        commit
            .ledger
            .balances
            .insert((owner, token), Amount::from_u64(42));
        let checkpoint = CheckpointRecord::close(1, genesis.hash, vec![[9; 32]], &[]);
        commit.checkpoint = Some(checkpoint.clone());
        commit.mints.push(mint_record("GILT", 1));
        commit.mint_count = Some(1);
        storage.commit(&commit).unwrap();

        let check = |storage: &RedbStorage| {
            let read = storage.read().unwrap();
            assert_eq!(read.account(&owner).unwrap().nonce, 3);
            assert_eq!(read.balance(&owner, &token).unwrap(), Amount::from_u64(42));
            assert_eq!(read.balance(&token, &owner).unwrap(), Amount::ZERO);
            assert_eq!(read.last_checkpoint().unwrap(), 1);
            assert_eq!(read.checkpoint(1).unwrap(), Some(checkpoint.clone()));
            assert_eq!(read.checkpoint_number(&checkpoint.hash).unwrap(), Some(1));
            assert_eq!(read.mint("GILT").unwrap(), Some(mint_record("GILT", 1)));
            assert_eq!(read.mint("NONE").unwrap(), None);
            assert_eq!(read.mint_count().unwrap(), 1);
            assert!(!read.has_transaction(&[9; 32]).unwrap());
            let ledger = read.ledger().unwrap();
            assert_eq!(ledger.balances.len(), 1);
            assert_eq!(ledger.accounts.len(), 1);
        };
        check(&storage);
        drop(storage);
        // The data directory is exclusive while open, and keeps the state.
        let storage = open(dir.path(), true).unwrap();
        assert!(matches!(
            open(dir.path(), true),
            Err(NodeError::DataDirInUse { .. })
        ));
        check(&storage);
    }

    /// Commits `owner`'s account with `nonce`.
    fn set_nonce(storage: &RedbStorage, owner: Address, nonce: u64) {
        let mut commit = Commit::default();
        commit
            .ledger
            .accounts
            .insert(owner, Account { nonce, bbnonce: 0 });
        storage.commit(&commit).unwrap();
    }

    /// The allocated pages of `storage`'s database.
    fn pages(storage: &RedbStorage) -> u64 {
        let txn = storage.db.begin_write().unwrap();
        let pages = txn.stats().unwrap().allocated_pages();
        txn.abort().unwrap();
        pages
    }

    /// Rewrites `owner`'s account with the nonces `0..first`, then
    /// `first..total`, a commit each: the allocated pages after each run.
    fn pages_after_rewrites(
        storage: &RedbStorage,
        owner: Address,
        first: u64,
        total: u64,
    ) -> (u64, u64) {
        for nonce in 0..first {
            set_nonce(storage, owner, nonce);
        }
        let after_first = pages(storage);
        for nonce in first..total {
            set_nonce(storage, owner, nonce);
        }
        (after_first, pages(storage))
    }

    /// The in-memory database reuses the pages its commits free: the
    /// same account rewritten by thousands of commits keeps it at the
    /// same size. (With `Durability::None` redb frees a commit's old pages
    /// only after a durable commit, which never came: it grew by several
    /// pages per commit.)
    #[test]
    fn the_in_memory_database_reuses_freed_pages() {
        let storage = open_in_memory().unwrap();
        let owner = Address([1; 20]);
        let (after_100, after_3000) = pages_after_rewrites(&storage, owner, 100, 3_000);
        assert!(
            after_3000 <= after_100 + 8,
            "{after_100} pages after 100 commits, {after_3000} after 3,000"
        );
        assert_eq!(
            storage.read().unwrap().account(&owner).unwrap().nonce,
            2_999
        );
    }

    /// A non-durable file reuses the pages its commits free too: one
    /// commit in [`SYNC_EVERY`] is durable, so the same account rewritten
    /// by thousands of commits keeps the file within that many commits'
    /// pages of its size. (Committed only with `Durability::None` it grew by
    /// several pages per commit without bound.)
    #[test]
    fn a_non_durable_file_reuses_freed_pages() {
        let dir = tempfile::tempdir().unwrap();
        let storage = open(dir.path(), false).unwrap();
        let owner = Address([1; 20]);
        let (after_200, after_3000) = pages_after_rewrites(&storage, owner, 200, 3_000);
        // A few pages a commit, over at most `SYNC_EVERY` (64) commits.
        assert!(
            after_3000 <= after_200 + 600,
            "{after_200} pages after 200 commits, {after_3000} after 3,000"
        );
        drop(storage);
        // What it acknowledged is there after a clean stop.
        let storage = open(dir.path(), false).unwrap();
        assert_eq!(
            storage.read().unwrap().account(&owner).unwrap().nonce,
            2_999
        );
    }

    /// 63 commits in a row are non-durable and the 64th durable; so is
    /// the first one [`SYNC_AFTER`] after the oldest unsynced one.
    #[test]
    fn one_commit_in_sync_every_or_after_sync_after_is_durable() {
        let now = Instant::now();
        let mut unsynced = Unsynced::none();
        for _ in 1..SYNC_EVERY {
            assert!(!unsynced.due());
            unsynced.add(now);
        }
        assert!(unsynced.due());
        let mut old = Unsynced::none();
        old.add(now.checked_sub(SYNC_AFTER).unwrap());
        assert!(old.due());
        old.add(now);
        assert!(old.due(), "the oldest unsynced commit sets the time");
    }

    /// Measures the cost of an fsync against a non-durable commit and the
    /// pages a commit leaves behind (`cargo test -p tokensign --lib
    /// measure_sync -- --ignored --nocapture`).
    #[test]
    #[ignore]
    fn measure_sync() {
        let dir = tempfile::tempdir().unwrap();
        let owner = Address([1; 20]);
        let n = 2_000u32;
        let report = |name: &str, storage: &RedbStorage, took: Duration| {
            println!(
                "{name}: {:?} a commit, {} pages after {n} commits",
                took / n,
                pages(storage)
            );
        };
        for (name, durable) in [("durable", true), ("non-durable", false)] {
            let storage = open(&dir.path().join(name), durable).unwrap();
            let start = Instant::now();
            for nonce in 0..u64::from(n) {
                set_nonce(&storage, owner, nonce);
            }
            report(name, &storage, start.elapsed());
        }
        // Every commit `Durability::None`, as before the rule.
        let storage = open(&dir.path().join("none"), false).unwrap();
        let start = Instant::now();
        for nonce in 0..u64::from(n) {
            let mut txn = storage.db.begin_write().unwrap();
            txn.set_durability(Durability::None);
            let mut commit = Commit::default();
            commit
                .ledger
                .accounts
                .insert(owner, Account { nonce, bbnonce: 0 });
            write_commit(&txn, &commit).unwrap();
            txn.commit().unwrap();
        }
        report("only Durability::None", &storage, start.elapsed());
    }

    #[test]
    fn a_revert_restores_the_snapshot_and_uses_it_up_with_later_ones() {
        let dir = tempfile::tempdir().unwrap();
        // A durable file, a non-durable file and memory (whose commits
        // are durable ones with syncs that do nothing).
        let stores = [
            open(&dir.path().join("durable"), true).unwrap(),
            open(&dir.path().join("fast"), false).unwrap(),
            open_in_memory().unwrap(),
        ];
        for storage in &stores {
            let owner = Address([1; 20]);
            let set = |nonce: u64| set_nonce(storage, owner, nonce);
            let nonce = || storage.read().unwrap().account(&owner).unwrap().nonce;
            set(1);
            let first = storage.snapshot().unwrap();
            set(2);
            let second = storage.snapshot().unwrap();
            set(3);
            let third = storage.snapshot().unwrap();
            set(4);
            assert!(storage.revert(second).unwrap());
            assert_eq!(nonce(), 2);
            // The snapshot and the later one are used up; the earlier stays.
            assert!(!storage.revert(second).unwrap());
            assert!(!storage.revert(third).unwrap());
            assert!(!storage.revert(999).unwrap());
            assert_eq!(nonce(), 2);
            set(5);
            assert!(storage.revert(first).unwrap());
            assert_eq!(nonce(), 1);
            assert_eq!(storage.read().unwrap().last_checkpoint().unwrap(), 0);
        }
    }
}
