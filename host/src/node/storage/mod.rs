//! Where the node keeps its state, behind one trait: [`Storage`] gives a
//! consistent read of the committed state ([`StateRead`]: what the ledger
//! and the read routes ask) and applies one [`Commit`] atomically (what
//! one group commit of the writer changes). Nothing above this module
//! knows which database holds the state.
//!
//! The backend today is redb ([`redb_store`]). The trait is shaped for
//! the others a node like anvil grows:
//!
//! - a server database (PostgreSQL): a read is a `REPEATABLE READ`
//!   transaction, a commit one SQL transaction;
//! - the in-memory mode (`NodeConfig::in_memory`) is the same redb tables
//!   on redb's in-memory backend ([`redb_store::open_in_memory`]);
//! - snapshots ([`Storage::snapshot`], [`Storage::revert`]): the whole
//!   state kept under an id and restored atomically (redb: persistent
//!   savepoints);
//! - state dump and load: a dump is [`StateRead::ledger`],
//!   [`StateRead::transactions`] and the checkpoints and mints read
//!   through one [`StateRead`]; a load is one [`Commit`] that writes them
//!   all.
//!
//! Only the writer (`node::writer`) commits, one batch at a time, so a read
//! opened after a commit sees everything committed and nothing else.

pub mod redb_store;

use super::failure::StoreError;
use super::ledger::{Backing, Changes, MemoryLedger};
use super::records::{CheckpointRecord, MintRecord, TxRecord};

/// One consistent snapshot of the committed state. Reads never wait for
/// the writer.
pub trait StateRead: Backing + Send {
    /// The stored transaction with `hash`.
    fn transaction(&self, hash: &[u8; 32]) -> Result<Option<TxRecord>, StoreError>;
    /// Whether a transaction with `hash` is stored (cheaper than reading
    /// it).
    fn has_transaction(&self, hash: &[u8; 32]) -> Result<bool, StoreError> {
        Ok(self.transaction(hash)?.is_some())
    }
    /// The number of the latest checkpoint (0: only genesis).
    fn last_checkpoint(&self) -> Result<u64, StoreError>;
    /// The checkpoint `number`.
    fn checkpoint(&self, number: u64) -> Result<Option<CheckpointRecord>, StoreError>;
    /// The number of the checkpoint with `hash`.
    fn checkpoint_number(&self, hash: &[u8; 32]) -> Result<Option<u64>, StoreError>;
    /// The ABC-Lab mint of `asset_id`.
    fn mint(&self, asset_id: &str) -> Result<Option<MintRecord>, StoreError>;
    /// How many ABC-Lab mints were committed (the last `TOKEN-<n>`).
    fn mint_count(&self) -> Result<u64, StoreError>;
    /// Every account, token, balance and multisig account (invariant
    /// checks, dumps).
    fn ledger(&self) -> Result<MemoryLedger, StoreError>;
    /// Every stored transaction (invariant checks, dumps).
    fn transactions(&self) -> Result<Vec<TxRecord>, StoreError>;
}

/// Everything one group commit writes, applied all at once or not at all.
#[derive(Debug, Default)]
pub struct Commit {
    /// Accounts, tokens, balances and multisig accounts.
    pub ledger: Changes,
    /// New transaction records, by hash.
    pub transactions: Vec<([u8; 32], TxRecord)>,
    /// A new checkpoint (it becomes the latest).
    pub checkpoint: Option<CheckpointRecord>,
    /// New ABC-Lab mints.
    pub mints: Vec<MintRecord>,
    /// The mint counter after them.
    pub mint_count: Option<u64>,
}

/// A place that keeps the node's state.
pub trait Storage: Send + Sync {
    /// A consistent snapshot of the committed state.
    fn read(&self) -> Result<Box<dyn StateRead + '_>, StoreError>;
    /// Applies `commit` atomically: after an `Ok`, every later read sees
    /// all of it (and, for a durable store, so does the next start);
    /// after an `Err`, none of it.
    fn commit(&self, commit: &Commit) -> Result<(), StoreError>;
    /// Keeps the whole committed state (ledger, transactions, receipts,
    /// checkpoints, mints) under a new id that [`Storage::revert`] returns
    /// to. Durable like a commit: it survives a restart. Ids only grow.
    fn snapshot(&self) -> Result<u64, StoreError>;
    /// Returns the whole state to snapshot `id` in one atomic step, and
    /// forgets that snapshot and every later one (as anvil's `evm_revert`):
    /// `Ok(false)` if there is no snapshot `id` (nothing changed).
    fn revert(&self, id: u64) -> Result<bool, StoreError>;
}

/// Writes the genesis checkpoint (number 0, no transactions) into a store
/// that has none. Every backend calls it when it opens.
pub fn ensure_genesis(storage: &dyn Storage) -> Result<(), StoreError> {
    if storage.read()?.checkpoint(0)?.is_some() {
        return Ok(());
    }
    storage.commit(&Commit {
        checkpoint: Some(CheckpointRecord::close(0, [0u8; 32], Vec::new(), &[])),
        ..Commit::default()
    })
}
