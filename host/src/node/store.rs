//! The durable store (redb) and its single writer.
//!
//! Reads open their own redb read transaction in the request handler
//! (MVCC: they never wait for the writer). Every state change goes through
//! one writer thread fed by a tokio `mpsc` channel: it takes all pending
//! jobs (up to [`MAX_BATCH`]), checks each against the committed state
//! plus the batch so far (one redb write transaction sees its own writes)
//! with the ledger's rules, writes an accepted job's changes, closes one
//! checkpoint over the batch's accepted transactions, commits the whole
//! batch at once (group commit), and only then answers each waiter. A job
//! is acknowledged only after the commit that holds it; a refused job
//! wrote nothing.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{Database, Durability, ReadableTable, Table, TableDefinition};
use tokensign_core::tx::Transaction;
use tokensign_core::{keccak256, Address, Amount};
use tokio::sync::{mpsc, oneshot};

use super::error::{codes, ApiError, MintError};
use super::failure::{NodeError, StoreError};
use super::ledger::{self, Account, Backing, Changes, Multisig, Rules, SignedBy, Token};
use super::records::{self, CheckpointRecord, MintRecord, TxRecord};
use crate::show::show_path;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "tokensign-node.redb";

/// Most jobs committed in one write transaction.
pub const MAX_BATCH: usize = 1024;

/// Capacity of the writer's queue; senders wait when it is full.
const QUEUE: usize = 4096;

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

/// A transaction whose signatures the core verified, for the ledger.
pub(crate) struct TxJob {
    /// What was signed (normalized).
    pub tx: Transaction,
    /// The sending account.
    pub sender: Address,
    /// How it was authorized.
    pub signed_by: SignedBy,
    /// Its hash.
    pub hash: [u8; 32],
    /// The signature shown by `GET /v1/transactions/by_hash`.
    pub signature: crate::api::SignatureJson,
    /// The operation's fields as JSON (`records::fields`), made by the
    /// handler so that the writer's serial section does not.
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// An admitted transaction.
#[derive(Clone, Debug)]
pub(crate) struct Admitted {
    /// The transaction hash.
    pub hash: [u8; 32],
    /// The token it created or concerned.
    pub token: Option<Address>,
}

/// A mint request that passed every stateless check.
pub(crate) struct MintJob {
    pub asset_id: String,
    pub amount: serde_json::Number,
    /// The amount as plain decimal text (no sign, no exponent).
    pub amount_text: String,
    pub recipient: String,
}

enum Job {
    Tx(Box<TxJob>, oneshot::Sender<Result<Admitted, ApiError>>),
    Mint(MintJob, oneshot::Sender<Result<MintRecord, MintError>>),
}

/// The result of one job inside a batch, sent only after the commit.
enum Outcome {
    Tx(Result<Admitted, ApiError>),
    Mint(Result<MintRecord, MintError>),
}

/// Handle to the database and its writer. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Store {
    db: Arc<Database>,
    jobs: mpsc::Sender<Job>,
}

/// Opens (creating if needed) the database in `data_dir` and starts the
/// writer thread with `rules`. Blocking. Returns the store and a receiver
/// that fires once the writer has stopped and the database file is closed
/// (after every `Store` clone is dropped).
pub(crate) fn open(
    data_dir: &Path,
    durable: bool,
    rules: Rules,
) -> Result<(Store, std::sync::mpsc::Receiver<()>), NodeError> {
    std::fs::create_dir_all(data_dir).map_err(|source| NodeError::CreateDataDir {
        dir: show_path(data_dir),
        source,
    })?;
    let path: PathBuf = data_dir.join(DB_FILE);
    let db = match Database::create(&path) {
        Ok(db) => db,
        Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
            return Err(NodeError::DataDirInUse {
                dir: show_path(data_dir),
                db: show_path(&path),
            })
        }
        Err(e) => {
            return Err(NodeError::OpenDatabase {
                path: show_path(&path),
                source: Box::new(e.into()),
            })
        }
    };
    // Create every table so that read transactions always find them, and
    // the genesis checkpoint (number 0, no transactions).
    let create = || -> Result<(), StoreError> {
        let txn = db.begin_write()?;
        {
            let cache = TokenCache::default();
            let mut t = Tables::open(&txn, &cache)?;
            if t.checkpoints.get(0)?.is_none() {
                let genesis = CheckpointRecord::close(0, [0u8; 32], Vec::new(), &[]);
                write_checkpoint(&mut t, &genesis)?;
            }
        }
        txn.commit()?;
        Ok(())
    };
    create().map_err(|source| NodeError::OpenDatabase {
        path: show_path(&path),
        source: Box::new(source),
    })?;

    let db = Arc::new(db);
    let (jobs, rx) = mpsc::channel(QUEUE);
    let (closed_tx, closed_rx) = std::sync::mpsc::channel();
    let writer_db = Arc::clone(&db);
    std::thread::Builder::new()
        .name("tokensign-writer".into())
        .spawn(move || {
            writer_loop(writer_db, rx, durable, &rules);
            // The database is closed now if no reader holds it any more;
            // readers are `Store` clones, which are gone once the channel
            // closed.
            let _ = closed_tx.send(());
        })
        .map_err(|source| NodeError::Start {
            what: "the writer thread",
            source,
        })?;
    Ok((Store { db, jobs }, closed_rx))
}

fn balance_key(owner: &Address, token: &Address) -> [u8; 40] {
    let mut key = [0u8; 40];
    let (a, b) = key.split_at_mut(20);
    a.copy_from_slice(owner.as_bytes());
    b.copy_from_slice(token.as_bytes());
    key
}

fn read_amount(bytes: &[u8]) -> Result<Amount, StoreError> {
    let arr: [u8; 32] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("a balance is not 32 bytes"))?;
    Ok(Amount::from_be_bytes(arr))
}

fn read_account(bytes: &[u8]) -> Result<Account, StoreError> {
    Account::from_bytes(bytes).ok_or(StoreError::Corrupt("an account is not 16 bytes"))
}

impl Store {
    /// Queues a verified transaction and waits for its committed outcome.
    pub(crate) async fn submit(&self, job: TxJob) -> Result<Admitted, ApiError> {
        let (tx, rx) = oneshot::channel();
        if self.jobs.send(Job::Tx(Box::new(job), tx)).await.is_err() {
            tracing::error!("writer is gone");
            return Err(ApiError::internal());
        }
        rx.await.unwrap_or_else(|_| {
            tracing::error!("writer dropped a job");
            Err(ApiError::internal())
        })
    }

    /// Queues a mint and waits for its committed outcome.
    pub(crate) async fn mint(&self, job: MintJob) -> Result<MintRecord, MintError> {
        let (tx, rx) = oneshot::channel();
        if self.jobs.send(Job::Mint(job, tx)).await.is_err() {
            tracing::error!("writer is gone");
            return Err(MintError::internal());
        }
        rx.await.unwrap_or_else(|_| {
            tracing::error!("writer dropped a job");
            Err(MintError::internal())
        })
    }

    /// A read-only view of the committed state (one redb read
    /// transaction).
    pub(crate) fn reader(&self) -> Result<Reader, StoreError> {
        Ok(Reader {
            txn: self.db.begin_read()?,
        })
    }
}

/// One consistent snapshot of the committed state.
pub(crate) struct Reader {
    txn: redb::ReadTransaction,
}

impl Reader {
    /// The account (nonce and bbnonce) of `address`.
    pub(crate) fn account(&self, address: &Address) -> Result<Account, StoreError> {
        let table = self.txn.open_table(ACCOUNTS)?;
        match table.get(address.as_bytes().as_slice())? {
            Some(g) => read_account(g.value()),
            None => Ok(Account::default()),
        }
    }

    /// The balance of `owner` in `token`.
    pub(crate) fn balance(&self, owner: &Address, token: &Address) -> Result<Amount, StoreError> {
        let table = self.txn.open_table(BALANCES)?;
        match table.get(balance_key(owner, token).as_slice())? {
            Some(g) => read_amount(g.value()),
            None => Ok(Amount::default()),
        }
    }

    /// The token at `address`.
    pub(crate) fn token(&self, address: &Address) -> Result<Option<Token>, StoreError> {
        let table = self.txn.open_table(TOKENS)?;
        match table.get(address.as_bytes().as_slice())? {
            Some(g) => Ok(Some(serde_json::from_str(g.value())?)),
            None => Ok(None),
        }
    }

    /// The stored transaction for `hash`.
    pub(crate) fn transaction(&self, hash: &[u8; 32]) -> Result<Option<TxRecord>, StoreError> {
        let table = self.txn.open_table(TXS)?;
        match table.get(hash.as_slice())? {
            Some(g) => Ok(Some(serde_json::from_str(g.value())?)),
            None => Ok(None),
        }
    }

    /// The number of the latest checkpoint.
    pub(crate) fn last_checkpoint(&self) -> Result<u64, StoreError> {
        let table = self.txn.open_table(META)?;
        Ok(table.get(LAST_CHECKPOINT)?.map(|g| g.value()).unwrap_or(0))
    }

    /// The checkpoint `number`.
    pub(crate) fn checkpoint(&self, number: u64) -> Result<Option<CheckpointRecord>, StoreError> {
        let table = self.txn.open_table(CHECKPOINTS)?;
        match table.get(number)? {
            Some(g) => Ok(Some(serde_json::from_str(g.value())?)),
            None => Ok(None),
        }
    }

    /// The number of the checkpoint with `hash`.
    pub(crate) fn checkpoint_number(&self, hash: &[u8; 32]) -> Result<Option<u64>, StoreError> {
        let table = self.txn.open_table(CHECKPOINT_HASHES)?;
        Ok(table.get(hash.as_slice())?.map(|g| g.value()))
    }

    /// Every token, every balance and every account: what the invariant
    /// checks read (tests, the kill -9 test, `--check` style tools).
    pub(crate) fn snapshot(&self) -> Result<ledger::MemoryLedger, StoreError> {
        let mut out = ledger::MemoryLedger::default();
        for item in self.txn.open_table(ACCOUNTS)?.iter()? {
            let (k, v) = item?;
            out.accounts
                .insert(address_of(k.value())?, read_account(v.value())?);
        }
        for item in self.txn.open_table(TOKENS)?.iter()? {
            let (k, v) = item?;
            out.tokens
                .insert(address_of(k.value())?, serde_json::from_str(v.value())?);
        }
        for item in self.txn.open_table(BALANCES)?.iter()? {
            let (k, v) = item?;
            let key = k.value();
            let owner = address_of(key.get(..20).unwrap_or_default())?;
            let token = address_of(key.get(20..).unwrap_or_default())?;
            out.balances.insert((owner, token), read_amount(v.value())?);
        }
        for item in self.txn.open_table(MULTISIGS)?.iter()? {
            let (k, v) = item?;
            out.multisigs
                .insert(address_of(k.value())?, serde_json::from_str(v.value())?);
        }
        Ok(out)
    }

    /// Every stored transaction record (for the invariant checks).
    pub(crate) fn transactions(&self) -> Result<Vec<TxRecord>, StoreError> {
        let mut out = Vec::new();
        for item in self.txn.open_table(TXS)?.iter()? {
            let (_, v) = item?;
            out.push(serde_json::from_str(v.value())?);
        }
        Ok(out)
    }
}

fn address_of(bytes: &[u8]) -> Result<Address, StoreError> {
    let arr: [u8; 20] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("a key is not a 20-byte address"))?;
    Ok(Address(arr))
}

/// The writer's copy of the tokens it has read or written: a payment reads
/// its token, and parsing the token's JSON from redb for each one would be
/// the writer's largest serial cost. The writer is the only one that
/// changes tokens and writes through this cache as it writes the table, so
/// it always equals the write transaction's view; a failed commit clears
/// it (the transaction's writes are gone).
type TokenCache = RefCell<HashMap<Address, Token>>;

fn writer_loop(db: Arc<Database>, mut rx: mpsc::Receiver<Job>, durable: bool, rules: &Rules) {
    let cache = TokenCache::default();
    while let Some(first) = rx.blocking_recv() {
        let mut batch = Vec::with_capacity(16);
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit_batch(&db, batch, durable, rules, &cache);
    }
}

struct Tables<'t> {
    cache: &'t TokenCache,
    accounts: Table<'t, &'static [u8], &'static [u8]>,
    balances: Table<'t, &'static [u8], &'static [u8]>,
    tokens: Table<'t, &'static [u8], &'static str>,
    symbols: Table<'t, &'static str, &'static [u8]>,
    multisigs: Table<'t, &'static [u8], &'static str>,
    txs: Table<'t, &'static [u8], &'static str>,
    checkpoints: Table<'t, u64, &'static str>,
    checkpoint_hashes: Table<'t, &'static [u8], u64>,
    mints: Table<'t, &'static str, &'static str>,
    meta: Table<'t, &'static str, u64>,
}

impl<'t> Tables<'t> {
    fn open(txn: &'t redb::WriteTransaction, cache: &'t TokenCache) -> Result<Self, StoreError> {
        Ok(Tables {
            cache,
            accounts: txn.open_table(ACCOUNTS)?,
            balances: txn.open_table(BALANCES)?,
            tokens: txn.open_table(TOKENS)?,
            symbols: txn.open_table(SYMBOLS)?,
            multisigs: txn.open_table(MULTISIGS)?,
            txs: txn.open_table(TXS)?,
            checkpoints: txn.open_table(CHECKPOINTS)?,
            checkpoint_hashes: txn.open_table(CHECKPOINT_HASHES)?,
            mints: txn.open_table(MINTS)?,
            meta: txn.open_table(META)?,
        })
    }

    /// Writes one accepted transaction's changes.
    fn write(&mut self, changes: &Changes) -> Result<(), StoreError> {
        for (address, account) in &changes.accounts {
            self.accounts
                .insert(address.as_bytes().as_slice(), account.to_bytes().as_slice())?;
        }
        for (address, token) in &changes.tokens {
            let text = serde_json::to_string(token)?;
            self.tokens
                .insert(address.as_bytes().as_slice(), text.as_str())?;
            self.symbols
                .insert(token.symbol.as_str(), address.as_bytes().as_slice())?;
            self.cache.borrow_mut().insert(*address, token.clone());
        }
        for ((owner, token), balance) in &changes.balances {
            self.balances.insert(
                balance_key(owner, token).as_slice(),
                balance.to_be_bytes().as_slice(),
            )?;
        }
        for (address, multisig) in &changes.multisigs {
            let text = serde_json::to_string(multisig)?;
            self.multisigs
                .insert(address.as_bytes().as_slice(), text.as_str())?;
        }
        Ok(())
    }
}

impl Backing for Tables<'_> {
    fn account(&self, address: &Address) -> Result<Account, StoreError> {
        match self.accounts.get(address.as_bytes().as_slice())? {
            Some(g) => read_account(g.value()),
            None => Ok(Account::default()),
        }
    }
    fn token(&self, address: &Address) -> Result<Option<Token>, StoreError> {
        if let Some(token) = self.cache.borrow().get(address) {
            return Ok(Some(token.clone()));
        }
        match self.tokens.get(address.as_bytes().as_slice())? {
            Some(g) => {
                let token: Token = serde_json::from_str(g.value())?;
                self.cache.borrow_mut().insert(*address, token.clone());
                Ok(Some(token))
            }
            None => Ok(None),
        }
    }
    fn token_by_symbol(&self, symbol: &str) -> Result<Option<Address>, StoreError> {
        match self.symbols.get(symbol)? {
            Some(g) => Ok(Some(address_of(g.value())?)),
            None => Ok(None),
        }
    }
    fn balance(&self, owner: &Address, token: &Address) -> Result<Amount, StoreError> {
        match self.balances.get(balance_key(owner, token).as_slice())? {
            Some(g) => read_amount(g.value()),
            None => Ok(Amount::default()),
        }
    }
    fn multisig(&self, address: &Address) -> Result<Option<Multisig>, StoreError> {
        match self.multisigs.get(address.as_bytes().as_slice())? {
            Some(g) => Ok(Some(serde_json::from_str(g.value())?)),
            None => Ok(None),
        }
    }
}

fn write_checkpoint(t: &mut Tables<'_>, checkpoint: &CheckpointRecord) -> Result<(), StoreError> {
    let text = serde_json::to_string(checkpoint)?;
    t.checkpoints.insert(checkpoint.number, text.as_str())?;
    t.checkpoint_hashes
        .insert(checkpoint.hash.as_slice(), checkpoint.number)?;
    t.meta.insert(LAST_CHECKPOINT, checkpoint.number)?;
    Ok(())
}

fn commit_batch(db: &Database, batch: Vec<Job>, durable: bool, rules: &Rules, cache: &TokenCache) {
    let size = batch.len();
    let result = (|| -> Result<Vec<Outcome>, StoreError> {
        let mut txn = db.begin_write()?;
        txn.set_durability(if durable {
            Durability::Immediate
        } else {
            Durability::None
        });
        let mut outcomes = Vec::with_capacity(batch.len());
        {
            let mut t = Tables::open(&txn, cache)?;
            let mut admitted: Vec<TxRecord> = Vec::new();
            for job in &batch {
                outcomes.push(match job {
                    Job::Tx(job, _) => Outcome::Tx(apply_tx(&mut t, rules, job, &mut admitted)?),
                    Job::Mint(job, _) => Outcome::Mint(apply_mint(&mut t, job)?),
                });
            }
            if !admitted.is_empty() {
                close_checkpoint(&mut t, admitted)?;
            }
        }
        txn.commit()?;
        Ok(outcomes)
    })();
    match result {
        Ok(outcomes) => {
            tracing::debug!(jobs = size, "batch committed");
            for (job, outcome) in batch.into_iter().zip(outcomes) {
                match (job, outcome) {
                    (Job::Tx(_, reply), Outcome::Tx(r)) => {
                        let _ = reply.send(r);
                    }
                    (Job::Mint(_, reply), Outcome::Mint(r)) => {
                        let _ = reply.send(r);
                    }
                    (Job::Tx(_, reply), Outcome::Mint(_)) => {
                        let _ = reply.send(Err(ApiError::internal()));
                    }
                    (Job::Mint(_, reply), Outcome::Tx(_)) => {
                        let _ = reply.send(Err(MintError::internal()));
                    }
                }
            }
        }
        Err(e) => {
            cache.borrow_mut().clear();
            tracing::error!(error = %e, jobs = size, "batch commit failed; nothing of it was stored");
            for job in batch {
                match job {
                    Job::Tx(_, reply) => {
                        let _ = reply.send(Err(ApiError::internal()));
                    }
                    Job::Mint(_, reply) => {
                        let _ = reply.send(Err(MintError::internal()));
                    }
                }
            }
        }
    }
}

/// Checks one transaction with the ledger's rules against the state so far
/// (committed + this batch) and writes its changes. `Ok(Err(_))` is a
/// refusal (nothing written); `Err(_)` a storage failure that aborts the
/// batch.
fn apply_tx(
    t: &mut Tables<'_>,
    rules: &Rules,
    job: &TxJob,
    admitted: &mut Vec<TxRecord>,
) -> Result<Result<Admitted, ApiError>, StoreError> {
    let hash_text = records::hex0x(&job.hash);
    if t.txs.get(job.hash.as_slice())?.is_some()
        || admitted.iter().any(|r| r.transaction.hash == hash_text)
    {
        return Ok(Err(ApiError::unprocessable(
            codes::DUPLICATE_TRANSACTION,
            format!(
                "transaction {hash_text} was already admitted: look it up (GET /v1/transactions/receipt/by_hash); to send again, sign a new transaction with the next nonce"
            ),
        )));
    }
    let sub = ledger::Submission {
        tx: &job.tx,
        sender: job.sender,
        signed_by: &job.signed_by,
    };
    let effects = match ledger::apply(&*t, rules, &sub)? {
        Ok(effects) => effects,
        Err(refusal) => return Ok(Err(ApiError::refused(refusal))),
    };
    t.write(&effects.changes)?;
    let record = TxRecord::new(job, &effects)?;
    admitted.push(record);
    Ok(Ok(Admitted {
        hash: job.hash,
        token: effects.token,
    }))
}

/// Closes a checkpoint over `admitted` (in admission order) and writes
/// their records with their place in it.
fn close_checkpoint(t: &mut Tables<'_>, mut admitted: Vec<TxRecord>) -> Result<(), StoreError> {
    let last = t.meta.get(LAST_CHECKPOINT)?.map(|g| g.value()).unwrap_or(0);
    let parent = match t.checkpoints.get(last)? {
        Some(g) => serde_json::from_str::<CheckpointRecord>(g.value())?.hash,
        None => [0u8; 32],
    };
    let number = last
        .checked_add(1)
        .ok_or(StoreError::Overflow("checkpoint number"))?;
    let hashes: Vec<String> = admitted
        .iter()
        .map(|r| r.transaction.hash.clone())
        .collect();
    let receipts: Vec<String> = admitted
        .iter()
        .map(|r| serde_json::to_string(&r.receipt))
        .collect::<Result<_, _>>()?;
    let checkpoint = CheckpointRecord::close(number, parent, hashes, &receipts);
    write_checkpoint(t, &checkpoint)?;
    let hash = records::hex0x(&checkpoint.hash);
    for (index, record) in admitted.iter_mut().enumerate() {
        record.place(number, &hash, index as u64);
        let key = crate::show::parse_hex32(&record.transaction.hash)
            .ok_or(StoreError::Corrupt("a transaction hash is not 32 bytes"))?;
        let text = serde_json::to_string(&record)?;
        t.txs.insert(key.as_slice(), text.as_str())?;
    }
    Ok(())
}

/// Converts a plain decimal text (`123`, `0.5`) into base units with
/// `decimals` digits of fraction. Refused if it has more fractional digits
/// than `decimals`, is not plain decimal text, or does not fit 128 bits:
/// an error naming the cause.
pub(crate) fn base_units(text: &str, decimals: u8) -> Result<u128, String> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let frac = frac.trim_end_matches('0');
    if frac.len() > usize::from(decimals) {
        return Err(format!(
            "amount {text} has {} fractional digits but the asset has {decimals} decimals",
            frac.len()
        ));
    }
    let digits = format!("{int}{frac:0<width$}", width = usize::from(decimals));
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("amount {text} is not a plain decimal number"));
    }
    digits
        .parse::<u128>()
        .map_err(|_| format!("amount {text} is too large for the asset's base units"))
}

fn apply_mint(
    t: &mut Tables<'_>,
    job: &MintJob,
) -> Result<Result<MintRecord, MintError>, StoreError> {
    let token = match t.symbols.get(job.asset_id.as_str())? {
        Some(g) => address_of(g.value())?,
        None => {
            return Ok(Err(MintError::asset_not_found(format!(
                "no token with symbol {:?} was issued on this server",
                job.asset_id
            ))))
        }
    };
    let Some(metadata) = Backing::token(&*t, &token)? else {
        return Err(StoreError::Corrupt("a symbol has no token"));
    };
    let units = match base_units(&job.amount_text, metadata.decimals) {
        Ok(0) => {
            return Ok(Err(MintError::invalid_input(
                "amount must be greater than zero",
            )))
        }
        Ok(u) => u,
        Err(detail) => return Ok(Err(MintError::invalid_input(detail))),
    };
    if let Some(existing) = t.mints.get(job.asset_id.as_str())? {
        let existing: MintRecord = serde_json::from_str(existing.value())?;
        return Ok(Err(MintError::duplicate(format!(
            "asset {:?} was already minted as {}; one mint per asset",
            job.asset_id, existing.token_id
        ))));
    }
    let n = t
        .meta
        .get(MINT_COUNTER)?
        .map(|g| g.value())
        .unwrap_or(0)
        .checked_add(1)
        .ok_or(StoreError::Overflow("mint counter"))?;
    let record = MintRecord {
        token_id: format!("TOKEN-{n}"),
        asset_id: job.asset_id.clone(),
        token: token.to_string(),
        amount: job.amount.clone(),
        base_units: units.to_string(),
        assigned_to: job.recipient.clone(),
    };
    let text = serde_json::to_string(&record)?;
    t.mints.insert(job.asset_id.as_str(), text.as_str())?;
    t.meta.insert(MINT_COUNTER, n)?;
    Ok(Ok(record))
}

/// keccak of the concatenation of `parts`.
pub(crate) fn keccak_all<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> [u8; 32] {
    let mut all = Vec::new();
    for p in parts {
        all.extend_from_slice(p);
    }
    keccak256(&all)
}

#[cfg(test)]
mod tests {
    use super::base_units;

    #[test]
    fn base_units_rules() {
        assert_eq!(base_units("100", 0), Ok(100));
        assert_eq!(base_units("100", 2), Ok(10000));
        assert_eq!(base_units("0.5", 1), Ok(5));
        assert_eq!(base_units("1.50", 1), Ok(15));
        assert!(base_units("0.05", 1).is_err());
        assert!(base_units("1e5", 0).is_err());
        assert!(base_units(&"9".repeat(40), 0).is_err());
    }
}
