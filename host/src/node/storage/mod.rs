//! Where the node keeps its state, behind one trait: [`Storage`] gives a
//! consistent read of the committed state ([`StateRead`]: what the read
//! routes ask), runs one write at a time ([`Storage::write`]: the writer's
//! batch, checked against the current state under the store's write lock
//! and committed atomically, sealed into the next checkpoint), and
//! replaces the whole state at once ([`Storage::replace`]: a state load).
//! Nothing above this module knows which database holds the state.
//!
//! The backends:
//!
//! - [`redb_store`]: one file that one process owns (the default, zero
//!   set-up);
//! - [`memory_store`]: persistent maps in memory, no file at all
//!   (`NodeConfig::in_memory`, `tokensign node --in-memory`);
//! - [`postgres`]: a PostgreSQL database that any number of node processes
//!   share; the database's row lock on the checkpoint head orders their
//!   writes.
//!
//! Snapshots ([`Storage::snapshot`], [`Storage::revert`]) keep the whole
//! state under an id and restore it atomically (redb: persistent
//! savepoints; memory: the state kept); the PostgreSQL store has none
//! ([`Storage::keeps_snapshots`]).
//!
//! [`state`] is the state document (dump and load) over [`Contents`], so
//! it works on every backend. `contract` (tests only) is the [`Storage`]
//! contract as tests that the embedded stores run.

#[cfg(test)]
pub(crate) mod contract;
pub mod memory_store;
pub mod postgres;
pub mod redb_store;
pub mod state;

use super::failure::StoreError;
use super::ledger::{Backing, Changes, MemoryLedger};
use super::records::{CheckpointRecord, MintRecord, TxRecord};

/// What a write reads besides the ledger: whether a transaction is stored
/// (duplicates) and the ABC-Lab mints.
pub trait WriteRead: Backing {
    /// Whether a transaction with `hash` is stored.
    fn has_transaction(&self, hash: &[u8; 32]) -> Result<bool, StoreError>;
    /// The ABC-Lab mint of `asset_id`.
    fn mint(&self, asset_id: &str) -> Result<Option<MintRecord>, StoreError>;
    /// How many ABC-Lab mints were committed (the last `TOKEN-<n>`).
    fn mint_count(&self) -> Result<u64, StoreError>;
}

/// One consistent snapshot of the committed state. Reads never wait for
/// the writer.
pub trait StateRead: WriteRead + Send {
    /// The stored transaction with `hash`.
    fn transaction(&self, hash: &[u8; 32]) -> Result<Option<TxRecord>, StoreError>;
    /// The number of the latest checkpoint (0: only genesis).
    fn last_checkpoint(&self) -> Result<u64, StoreError>;
    /// The checkpoint `number`.
    fn checkpoint(&self, number: u64) -> Result<Option<CheckpointRecord>, StoreError>;
    /// The number of the checkpoint with `hash`.
    fn checkpoint_number(&self, hash: &[u8; 32]) -> Result<Option<u64>, StoreError>;
    /// Every account, token, balance and multisig account (invariant
    /// checks, dumps).
    fn ledger(&self) -> Result<MemoryLedger, StoreError>;
    /// Every stored transaction, in checkpoint order (invariant checks,
    /// dumps).
    fn transactions(&self) -> Result<Vec<TxRecord>, StoreError>;
    /// Every checkpoint, by number from genesis.
    fn checkpoints(&self) -> Result<Vec<CheckpointRecord>, StoreError>;
    /// Every ABC-Lab mint, in `TOKEN-<n>` order.
    fn mints(&self) -> Result<Vec<MintRecord>, StoreError>;

    /// Everything, from this one snapshot (a dump).
    fn contents(&self) -> Result<Contents, StoreError> {
        Ok(Contents {
            ledger: self.ledger()?,
            transactions: self.transactions()?,
            checkpoints: self.checkpoints()?,
            mints: self.mints()?,
            mint_count: self.mint_count()?,
        })
    }
}

/// The whole state of a node: what a dump holds and a load writes.
#[derive(Clone, Debug, Default)]
pub struct Contents {
    /// Accounts, tokens, balances, multisig accounts.
    pub ledger: MemoryLedger,
    /// Every transaction with its receipt, in checkpoint order.
    pub transactions: Vec<TxRecord>,
    /// Every checkpoint from genesis (number 0), in order.
    pub checkpoints: Vec<CheckpointRecord>,
    /// Every ABC-Lab mint.
    pub mints: Vec<MintRecord>,
    /// The ABC-Lab mint counter.
    pub mint_count: u64,
}

/// When a write closes a checkpoint (the writer's checkpoint mode decides:
/// see `dev::checkpoints`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Close {
    /// No: what it admits stays unplaced (pending) until a later write
    /// closes one over it.
    No,
    /// If it admits anything or places earlier unplaced transactions.
    #[default]
    IfAny,
    /// Always, an empty checkpoint too (`POST /dev/checkpoint`).
    Always,
}

/// What one write adds, before the store seals it into a checkpoint: the
/// writer's batch.
#[derive(Debug, Default)]
pub struct Pending {
    /// Accounts, tokens, balances and multisig accounts.
    pub ledger: Changes,
    /// The admitted transactions with their records, in admission order
    /// (their checkpoint fields are set when sealed).
    pub transactions: Vec<([u8; 32], TxRecord)>,
    /// New ABC-Lab mints.
    pub mints: Vec<MintRecord>,
    /// The mint counter after them.
    pub mint_count: Option<u64>,
    /// Whether this write closes a checkpoint.
    pub close: Close,
    /// Transactions committed by earlier writes and in no checkpoint yet,
    /// in admission order: a checkpoint this write closes places them
    /// first. Only a store that [holds unplaced
    /// transactions](Storage::holds_unplaced) accepts any.
    pub unplaced: Vec<[u8; 32]>,
}

/// The latest checkpoint, which the next one follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// Its number.
    pub number: u64,
    /// Its hash.
    pub hash: [u8; 32],
}

/// Everything one write stores, applied all at once or not at all.
#[derive(Debug, Default)]
pub struct Commit {
    /// Accounts, tokens, balances and multisig accounts.
    pub ledger: Changes,
    /// New transaction records, by hash, placed in `checkpoint`.
    pub transactions: Vec<([u8; 32], TxRecord)>,
    /// When `checkpoint` places them all: each record's receipt JSON as
    /// admitted (before its place was known), in order, the text its
    /// receipts root hashes, so that a backend storing that form does not
    /// serialize it again. Otherwise empty.
    pub receipts: Vec<String>,
    /// A new checkpoint (it becomes the latest).
    pub checkpoint: Option<CheckpointRecord>,
    /// New ABC-Lab mints.
    pub mints: Vec<MintRecord>,
    /// The mint counter after them.
    pub mint_count: Option<u64>,
}

impl Pending {
    /// Seals the batch after `head`. If [`Pending::close`] says so, the
    /// [unplaced](Pending::unplaced) transactions (their records read by
    /// `stored`) and then the admitted ones, in order, become checkpoint
    /// `head.number + 1`; otherwise the admitted ones are stored in no
    /// checkpoint. Called by a backend under its write lock, so that
    /// checkpoints are numbered once however many processes write.
    pub fn seal(
        self,
        head: Head,
        mut stored: impl FnMut(&[u8; 32]) -> Result<TxRecord, StoreError>,
    ) -> Result<Commit, StoreError> {
        let mut commit = Commit {
            ledger: self.ledger,
            mints: self.mints,
            mint_count: self.mint_count,
            ..Commit::default()
        };
        let closes = match self.close {
            Close::No => false,
            Close::IfAny => !self.transactions.is_empty() || !self.unplaced.is_empty(),
            Close::Always => true,
        };
        if !closes {
            commit.transactions = self.transactions;
            return Ok(commit);
        }
        let mut placed = Vec::with_capacity(self.unplaced.len() + self.transactions.len());
        for hash in &self.unplaced {
            placed.push((*hash, stored(hash)?));
        }
        placed.extend(self.transactions);
        let number = head
            .number
            .checked_add(1)
            .ok_or(StoreError::Overflow("checkpoint number"))?;
        let hashes = placed.iter().map(|(h, _)| *h).collect();
        let receipts: Vec<String> = placed
            .iter()
            .map(|(_, r)| serde_json::to_string(&r.receipt))
            .collect::<Result<_, _>>()?;
        let checkpoint = CheckpointRecord::close(number, head.hash, hashes, &receipts);
        for (index, (_, record)) in (0u64..).zip(placed.iter_mut()) {
            record.place(number, &checkpoint.hash, index);
        }
        commit.transactions = placed;
        commit.receipts = receipts;
        commit.checkpoint = Some(checkpoint);
        Ok(commit)
    }
}

impl Commit {
    /// The genesis checkpoint (number 0, no transactions), which every
    /// backend writes into a store that has none.
    pub fn genesis() -> Commit {
        Commit {
            checkpoint: Some(CheckpointRecord::close(0, [0u8; 32], Vec::new(), &[])),
            ..Commit::default()
        }
    }
}

/// A write's batch builder: it reads the state it is given (the committed
/// state under the store's write lock) and returns what to commit. A
/// backend may call it more than once (the PostgreSQL backend does, while
/// it fetches what the builder read); only its last result is committed.
pub type Build<'a> = dyn FnMut(&dyn WriteRead) -> Result<Pending, StoreError> + 'a;

/// A place that keeps the node's state.
pub trait Storage: Send + Sync {
    /// A consistent snapshot of the committed state.
    fn read(&self) -> Result<Box<dyn StateRead + '_>, StoreError>;
    /// Runs `build` against the current state under the store's write
    /// lock (no other write, from this process or another, in between)
    /// and commits its result atomically, sealed after the latest
    /// checkpoint ([`Pending::seal`]). After an `Ok`, every later read,
    /// from any process, sees all of it (and, for a durable store, so does
    /// the next start); after an `Err`, none of it. Returns the number of
    /// the checkpoint it closed, if any. Blocking: call it from a thread
    /// outside the async runtime (the writer's).
    fn write(&self, build: &mut Build<'_>) -> Result<Option<u64>, StoreError>;
    /// Whether this store keeps committed transactions in no checkpoint
    /// until a later write places them ([`Close::No`],
    /// [`Pending::unplaced`]: the `interval` and `manual` checkpoint
    /// modes). The embedded store does; the PostgreSQL store, which several
    /// processes share, does not (its writes always close a checkpoint
    /// over what they admit), and refuses such a write.
    fn holds_unplaced(&self) -> bool;
    /// Whether a write is cheap enough (in memory: no I/O, microseconds)
    /// for a request's own thread to commit it when no batch is waiting,
    /// instead of handing it to the writer's thread and back (see
    /// `writer`). The memory store's are; a file's or a database's are
    /// not, and batching them under load is what pays for their commits.
    fn commits_inline(&self) -> bool {
        false
    }
    /// Replaces the whole state by `contents` in one atomic step (checked
    /// by the caller first: see [`state`]). Blocking, like
    /// [`Storage::write`].
    fn replace(&self, contents: &Contents) -> Result<(), StoreError>;
    /// Whether [`Storage::snapshot`] and [`Storage::revert`] work here
    /// (the embedded store; not PostgreSQL, whose state several processes
    /// share).
    fn keeps_snapshots(&self) -> bool;
    /// Keeps the whole committed state (ledger, transactions, receipts,
    /// checkpoints, mints) under a new id that [`Storage::revert`] returns
    /// to. Durable like a commit: it survives a restart. Ids only grow.
    fn snapshot(&self) -> Result<u64, StoreError>;
    /// Returns the whole state to snapshot `id` in one atomic step, and
    /// forgets that snapshot and every later one (as anvil's `evm_revert`):
    /// `Ok(false)` if there is no snapshot `id` (nothing changed).
    fn revert(&self, id: u64) -> Result<bool, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unstored(_: &[u8; 32]) -> Result<TxRecord, StoreError> {
        Err(StoreError::Corrupt("nothing is stored in this test"))
    }

    #[test]
    fn sealing_numbers_after_the_head_and_places_every_record() {
        let genesis = Commit::genesis().checkpoint.unwrap();
        let head = Head {
            number: genesis.number,
            hash: genesis.hash,
        };
        // Nothing admitted: no checkpoint.
        let empty = Pending::default().seal(head, unstored).unwrap();
        assert!(empty.checkpoint.is_none());
        let record: TxRecord = serde_json::from_value(serde_json::json!({
            "transaction": {"hash": "0x01", "chain_id": 1, "from": "0x02", "nonce": 0,
                "signature": {"r": "0x0", "s": "0x0", "v": 0}, "transaction_type": "TokenTransfer",
                "data": {}},
            "receipt": {"success": true, "transaction_hash": "0x01", "fee_used": "0", "from": "0x02"}
        }))
        .unwrap();
        // Close::No: admitted, stored in no checkpoint.
        let kept = Pending {
            transactions: vec![([1; 32], record.clone())],
            close: Close::No,
            ..Pending::default()
        }
        .seal(head, unstored)
        .unwrap();
        assert!(kept.checkpoint.is_none());
        assert_eq!(kept.transactions.len(), 1);
        assert_eq!(kept.transactions[0].1.receipt.checkpoint_number, None);
        // Close::Always with nothing: an empty checkpoint.
        let empty = Pending {
            close: Close::Always,
            ..Pending::default()
        }
        .seal(head, unstored)
        .unwrap()
        .checkpoint
        .unwrap();
        assert_eq!((empty.number, empty.transactions.len()), (1, 0));
        // The unplaced one first (read through `stored`), then the admitted.
        let stored = kept.transactions[0].1.clone();
        let pending = Pending {
            transactions: vec![([2; 32], record)],
            unplaced: vec![[1; 32]],
            ..Pending::default()
        };
        let commit = pending
            .seal(head, |hash| {
                assert_eq!(hash, &[1; 32]);
                Ok(stored.clone())
            })
            .unwrap();
        let checkpoint = commit.checkpoint.unwrap();
        assert_eq!(checkpoint.number, 1);
        assert_eq!(checkpoint.parent_hash, genesis.hash);
        assert_eq!(checkpoint.transactions, vec![[1; 32], [2; 32]]);
        for (i, (_, r)) in commit.transactions.iter().enumerate() {
            assert_eq!(r.receipt.checkpoint_number, Some(1));
            assert_eq!(r.transaction.transaction_index, Some(i as u64));
            // The receipts' JSON it hashed, as admitted, kept in order.
            let mut admitted = r.clone();
            assert_eq!(admitted.unplace(), Some((1, i as u64)));
            assert_eq!(
                commit.receipts[i],
                serde_json::to_string(&admitted.receipt).unwrap()
            );
        }
        assert_eq!(commit.receipts.len(), 2);
        assert_eq!(
            CheckpointRecord::recompute(&checkpoint, &commit.receipts),
            checkpoint
        );
        let last = Head {
            number: u64::MAX,
            hash: [0; 32],
        };
        let pending = Pending {
            transactions: commit.transactions,
            ..Pending::default()
        };
        assert!(matches!(
            pending.seal(last, unstored),
            Err(StoreError::Overflow("checkpoint number"))
        ));
    }
}
