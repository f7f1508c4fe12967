//! The single writer: every state change goes through one thread fed by a
//! tokio `mpsc` channel. It takes all pending jobs (up to [`MAX_BATCH`]),
//! checks each with the ledger's rules against the committed state plus
//! the batch so far, closes one checkpoint over the batch's admitted
//! transactions, hands the whole batch to the storage as one [`Commit`]
//! (group commit: one fsync), and only then answers each waiter. A job is
//! acknowledged only after the commit that holds it; a refused job wrote
//! nothing; a failed commit answers every job of its batch with
//! [`Rejected::Failed`] and stored none of it.
//!
//! Reads do not come here: they read the storage directly (MVCC) and never
//! wait for the writer.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tokensign_core::tx::Transaction;
use tokensign_core::{Address, Amount};
use tokio::sync::{mpsc, oneshot};

use super::failure::{NodeError, StoreError};
use super::ledger::{self, Account, Backing, Changes, Multisig, Refusal, Rules, SignedBy, Token};
use super::mint::{self, MintJob, MintRefusal};
use super::records::{CheckpointRecord, MintRecord, TxRecord};
use super::storage::{Commit, StateRead, Storage};
use crate::api::SignatureJson;

/// Most jobs committed in one write transaction.
pub const MAX_BATCH: usize = 1024;

/// Capacity of the writer's queue; senders wait when it is full.
const QUEUE: usize = 4096;

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
    pub signature: SignatureJson,
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

/// Why a job was not admitted.
#[derive(Debug)]
pub(crate) enum Rejected<R> {
    /// A rule refused it; nothing was stored.
    Refused(R),
    /// The writer or the storage failed (logged); nothing of its batch
    /// was stored.
    Failed,
}

type Reply<T, R> = oneshot::Sender<Result<T, Rejected<R>>>;

enum Job {
    Tx(Box<TxJob>, Reply<Admitted, Refusal>),
    Mint(MintJob, Reply<MintRecord, MintRefusal>),
}

/// The result of one job inside a batch, sent only after the commit.
enum Outcome {
    Tx(Result<Admitted, Refusal>),
    Mint(Result<MintRecord, MintRefusal>),
}

/// Handle to the writer. Cheap to clone; the writer stops once every
/// handle is gone.
#[derive(Clone)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Job>,
}

/// Starts the writer thread over `storage` with `rules`. Returns its
/// handle and a receiver that fires once the writer has stopped and let go
/// of the storage.
pub(crate) fn start(
    storage: Arc<dyn Storage>,
    rules: Rules,
) -> Result<(Writer, std::sync::mpsc::Receiver<()>), NodeError> {
    let (jobs, rx) = mpsc::channel(QUEUE);
    let (closed_tx, closed_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("tokensign-writer".into())
        .spawn(move || {
            writer_loop(&*storage, rx, &rules);
            drop(storage);
            let _ = closed_tx.send(());
        })
        .map_err(|source| NodeError::Start {
            what: "the writer thread",
            source,
        })?;
    Ok((Writer { jobs }, closed_rx))
}

impl Writer {
    async fn send<T, R>(&self, job: impl FnOnce(Reply<T, R>) -> Job) -> Result<T, Rejected<R>> {
        let (tx, rx) = oneshot::channel();
        if self.jobs.send(job(tx)).await.is_err() {
            tracing::error!("writer is gone");
            return Err(Rejected::Failed);
        }
        rx.await.unwrap_or_else(|_| {
            tracing::error!("writer dropped a job");
            Err(Rejected::Failed)
        })
    }

    /// Queues a verified transaction and waits for its committed outcome.
    pub(crate) async fn submit(&self, job: TxJob) -> Result<Admitted, Rejected<Refusal>> {
        self.send(|reply| Job::Tx(Box::new(job), reply)).await
    }

    /// Queues a mint and waits for its committed outcome.
    pub(crate) async fn mint(&self, job: MintJob) -> Result<MintRecord, Rejected<MintRefusal>> {
        self.send(|reply| Job::Mint(job, reply)).await
    }
}

/// The writer's copy of the committed tokens it has read: a payment reads
/// its token, and parsing the token's stored JSON for each one would be
/// the writer's largest serial cost. The writer is the only one that
/// changes tokens; it updates this copy after each successful commit, so
/// the copy always equals the committed state.
type TokenCache = RefCell<HashMap<Address, Token>>;

fn writer_loop(storage: &dyn Storage, mut rx: mpsc::Receiver<Job>, rules: &Rules) {
    let cache = TokenCache::default();
    while let Some(first) = rx.blocking_recv() {
        let mut jobs = Vec::with_capacity(16);
        jobs.push(first);
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        run_batch(storage, jobs, rules, &cache);
    }
}

/// The state one batch sees: the committed state, the token cache, and
/// what the batch has admitted so far.
struct Batch<'a> {
    committed: &'a dyn StateRead,
    cache: &'a TokenCache,
    staged: Changes,
    hashes: HashSet<[u8; 32]>,
    admitted: Vec<([u8; 32], TxRecord)>,
    mints: Vec<MintRecord>,
    mint_count: u64,
}

impl Backing for Batch<'_> {
    fn account(&self, address: &Address) -> Result<Account, StoreError> {
        match self.staged.accounts.get(address) {
            Some(a) => Ok(*a),
            None => self.committed.account(address),
        }
    }
    fn token(&self, address: &Address) -> Result<Option<Token>, StoreError> {
        if let Some(t) = self.staged.tokens.get(address) {
            return Ok(Some(t.clone()));
        }
        if let Some(t) = self.cache.borrow().get(address) {
            return Ok(Some(t.clone()));
        }
        let token = self.committed.token(address)?;
        if let Some(t) = &token {
            self.cache.borrow_mut().insert(*address, t.clone());
        }
        Ok(token)
    }
    fn token_by_symbol(&self, symbol: &str) -> Result<Option<Address>, StoreError> {
        if let Some(t) = self.staged.tokens.values().find(|t| t.symbol == symbol) {
            return Ok(Some(t.address));
        }
        self.committed.token_by_symbol(symbol)
    }
    fn balance(&self, owner: &Address, token: &Address) -> Result<Amount, StoreError> {
        match self.staged.balances.get(&(*owner, *token)) {
            Some(b) => Ok(*b),
            None => self.committed.balance(owner, token),
        }
    }
    fn multisig(&self, address: &Address) -> Result<Option<Multisig>, StoreError> {
        match self.staged.multisigs.get(address) {
            Some(m) => Ok(Some(m.clone())),
            None => self.committed.multisig(address),
        }
    }
}

impl Batch<'_> {
    /// Checks one transaction with the ledger's rules against the state so
    /// far and stages its changes and record. `Ok(Err(_))` is a refusal
    /// (nothing staged); `Err(_)` a storage failure that aborts the batch.
    fn apply_tx(
        &mut self,
        rules: &Rules,
        job: &TxJob,
    ) -> Result<Result<Admitted, Refusal>, StoreError> {
        if self.hashes.contains(&job.hash) || self.committed.has_transaction(&job.hash)? {
            return Ok(Err(Refusal::DuplicateTransaction { hash: job.hash }));
        }
        let sub = ledger::Submission {
            tx: &job.tx,
            sender: job.sender,
            signed_by: &job.signed_by,
        };
        let effects = match ledger::apply(&*self, rules, &sub)? {
            Ok(effects) => effects,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let record = TxRecord::new(
            &job.tx,
            &job.sender,
            &job.hash,
            &job.signature,
            &job.fields,
            &effects,
        );
        self.staged.absorb(effects.changes);
        self.hashes.insert(job.hash);
        self.admitted.push((job.hash, record));
        Ok(Ok(Admitted {
            hash: job.hash,
            token: effects.token,
        }))
    }

    /// Checks one mint against the state so far and stages its record.
    fn apply_mint(&mut self, job: &MintJob) -> Result<Result<MintRecord, MintRefusal>, StoreError> {
        let existing = match self.mints.iter().find(|m| m.asset_id == job.asset_id) {
            Some(m) => Some(m.clone()),
            None => self.committed.mint(&job.asset_id)?,
        };
        let outcome = mint::apply(&*self, existing.as_ref(), self.mint_count, job)?;
        if let Ok(record) = &outcome {
            self.mint_count = self
                .mint_count
                .checked_add(1)
                .ok_or(StoreError::Overflow("mint counter"))?;
            self.mints.push(record.clone());
        }
        Ok(outcome)
    }

    /// The commit of everything staged: the admitted transactions placed
    /// in one new checkpoint, in admission order.
    fn into_commit(self) -> Result<Commit, StoreError> {
        let mut commit = Commit {
            mint_count: (!self.mints.is_empty()).then_some(self.mint_count),
            mints: self.mints,
            ledger: self.staged,
            ..Commit::default()
        };
        if self.admitted.is_empty() {
            return Ok(commit);
        }
        let mut admitted = self.admitted;
        let last = self.committed.last_checkpoint()?;
        let parent = match self.committed.checkpoint(last)? {
            Some(c) => c.hash,
            None => [0u8; 32],
        };
        let number = last
            .checked_add(1)
            .ok_or(StoreError::Overflow("checkpoint number"))?;
        let hashes = admitted.iter().map(|(h, _)| *h).collect();
        let receipts: Vec<String> = admitted
            .iter()
            .map(|(_, r)| serde_json::to_string(&r.receipt))
            .collect::<Result<_, _>>()?;
        let checkpoint = CheckpointRecord::close(number, parent, hashes, &receipts);
        for (index, (_, record)) in (0u64..).zip(admitted.iter_mut()) {
            record.place(number, &checkpoint.hash, index);
        }
        commit.transactions = admitted;
        commit.checkpoint = Some(checkpoint);
        Ok(commit)
    }
}

fn run_batch(storage: &dyn Storage, jobs: Vec<Job>, rules: &Rules, cache: &TokenCache) {
    let size = jobs.len();
    let result = (|| -> Result<(Vec<Outcome>, Vec<Token>), StoreError> {
        let committed = storage.read()?;
        let mut batch = Batch {
            mint_count: committed.mint_count()?,
            committed: &*committed,
            cache,
            staged: Changes::default(),
            hashes: HashSet::new(),
            admitted: Vec::new(),
            mints: Vec::new(),
        };
        let mut outcomes = Vec::with_capacity(jobs.len());
        for job in &jobs {
            outcomes.push(match job {
                Job::Tx(job, _) => Outcome::Tx(batch.apply_tx(rules, job)?),
                Job::Mint(job, _) => Outcome::Mint(batch.apply_mint(job)?),
            });
        }
        let commit = batch.into_commit()?;
        storage.commit(&commit)?;
        Ok((outcomes, commit.ledger.tokens.into_values().collect()))
    })();
    match result {
        Ok((outcomes, tokens)) => {
            let mut cached = cache.borrow_mut();
            for token in tokens {
                cached.insert(token.address, token);
            }
            drop(cached);
            tracing::debug!(jobs = size, "batch committed");
            for (job, outcome) in jobs.into_iter().zip(outcomes) {
                match (job, outcome) {
                    (Job::Tx(_, reply), Outcome::Tx(r)) => {
                        let _ = reply.send(r.map_err(Rejected::Refused));
                    }
                    (Job::Mint(_, reply), Outcome::Mint(r)) => {
                        let _ = reply.send(r.map_err(Rejected::Refused));
                    }
                    (Job::Tx(_, reply), Outcome::Mint(_)) => {
                        let _ = reply.send(Err(Rejected::Failed));
                    }
                    (Job::Mint(_, reply), Outcome::Tx(_)) => {
                        let _ = reply.send(Err(Rejected::Failed));
                    }
                }
            }
        }
        Err(e) => {
            tracing::error!(error = %e, jobs = size, "batch commit failed; nothing of it was stored");
            for job in jobs {
                match job {
                    Job::Tx(_, reply) => {
                        let _ = reply.send(Err(Rejected::Failed));
                    }
                    Job::Mint(_, reply) => {
                        let _ = reply.send(Err(Rejected::Failed));
                    }
                }
            }
        }
    }
}
