//! The single writer: every state change goes through one thread fed by a
//! tokio `mpsc` channel. It takes all pending jobs (up to [`MAX_BATCH`]),
//! and hands them to the storage as one write ([`Storage::write`]): under
//! the store's write lock it checks each with the ledger's rules against
//! the committed state plus the batch so far, and the storage seals the
//! batch's admitted transactions into one checkpoint (when the checkpoint
//! mode says so) and commits it all at once (group commit: one fsync).
//! Only then is each waiter answered. A job is acknowledged only after the
//! commit that holds it; a refused job wrote nothing; a failed commit
//! answers every job of its batch with [`Rejected::Failed`] (or
//! [`Rejected::Unavailable`] when the database cannot be reached) and
//! stored none of it. The writer announces the number of each checkpoint
//! its writes close (the live stream).
//!
//! The development controls that change state or settings (`/dev/…`,
//! [`Control`]) are jobs too, each alone between two batches (run by
//! `controls`), so they apply in the order they were sent relative to
//! writes of this process. Fees, faults, `read_only` and the checkpoint
//! mode are settings of the process: nodes sharing one PostgreSQL
//! database each have their own. When a commit
//! closes a checkpoint is the checkpoint mode's decision
//! (`dev::checkpoints`): by default every commit that admits anything
//! does; in `interval` and `manual` mode admitted transactions stay
//! pending, committed but unplaced, until a later commit closes one over
//! them.
//!
//! On a store whose writes are cheap ([`Storage::commits_inline`]: the
//! memory store), a transaction or mint that finds no job waiting and
//! the writer idle is run the same way (one batch: checked, committed,
//! announced) on the request's own thread, under the same lock as the
//! writer's batches: it saves the two thread hand-offs (to the writer and
//! back) that are most of a lone request's wait. A job that finds the
//! queue busy or the writer at work goes through the queue, so batching
//! under load and the order of controls are as before.
//!
//! Reads do not come here: they read the storage directly (MVCC) and never
//! wait for the writer.

mod controls;

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard};

use tokensign_core::tx::Transaction;
use tokensign_core::{Address, Amount};
use tokio::sync::{mpsc, oneshot};

use super::dev::checkpoints::{Checkpoints, Close};
use super::dev::control::{Control, ControlRefusal, Controlled};
use super::failure::{NodeError, StoreError};
use super::ledger::{self, Account, Backing, Changes, Multisig, Refusal, Rules, SignedBy, Token};
use super::mint::{self, MintJob, MintRefusal};
use super::records::{MintRecord, TxRecord};
use super::storage::{Pending, Storage, WriteRead};
use super::stream::Announcer;
use crate::api::SignatureJson;
use controls::{close_pending_logged, run_control};

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
    /// The database could not be reached, or did not confirm the commit
    /// (logged): the job was not acknowledged, and may or may not be
    /// stored if the confirmation was lost.
    Unavailable,
}

impl<R> Rejected<R> {
    fn failure(unavailable: bool) -> Self {
        if unavailable {
            Rejected::Unavailable
        } else {
            Rejected::Failed
        }
    }
}

type Reply<T, R> = oneshot::Sender<Result<T, Rejected<R>>>;

enum Job {
    Tx(Box<TxJob>, Reply<Admitted, Refusal>),
    Mint(MintJob, Reply<MintRecord, MintRefusal>),
    /// A development control: always alone in its batch.
    Control(Control, Reply<Controlled, ControlRefusal>),
}

/// The result of one job inside a batch, sent only after the commit.
enum Outcome {
    Tx(Result<Admitted, Refusal>),
    Mint(Result<MintRecord, MintRefusal>),
    /// A control never runs inside a batch (the loop keeps it apart).
    NotRun,
}

/// Handle to the writer. Cheap to clone; the writer stops once every
/// handle is gone.
#[derive(Clone)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Job>,
    shared: Arc<Shared>,
}

/// What the writer thread and the request threads that commit inline
/// share.
struct Shared {
    /// Held by each batch and control from its start to its announcement.
    state: Mutex<WriterState>,
    /// The storage, when its writes are cheap enough to commit on a
    /// request's thread ([`Storage::commits_inline`]).
    inline: Option<Arc<dyn Storage>>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, WriterState> {
        // A batch never panics by design; if one did, the state it left
        // is still the committed one (each change is one atomic write).
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What the writer owns besides the storage: the rules (the development
/// controls change the fees) and when it closes checkpoints.
struct WriterState {
    rules: Rules,
    checkpoints: Checkpoints,
    /// Its own queue, for the interval ticker (weak: the writer still stops
    /// once every handle is gone).
    queue: mpsc::WeakSender<Job>,
    /// What the live stream learns: each committed checkpoint, each revert.
    announcer: Announcer,
}

/// Starts the writer thread over `storage` with `rules` and `checkpoints`;
/// it tells the live stream of each checkpoint it commits and of each
/// revert on `announcer`. Returns its handle and a receiver that fires once
/// the writer has stopped and let go of the storage. Blocking: first, on
/// the caller's thread, it closes a checkpoint over the transactions a
/// crash left out of every checkpoint, so the first read sees them placed.
pub(crate) fn start(
    storage: Arc<dyn Storage>,
    rules: Rules,
    checkpoints: Checkpoints,
    announcer: Announcer,
) -> Result<(Writer, std::sync::mpsc::Receiver<()>), NodeError> {
    let (jobs, rx) = mpsc::channel(QUEUE);
    let (closed_tx, closed_rx) = std::sync::mpsc::channel();
    let mut state = WriterState {
        rules,
        checkpoints,
        queue: jobs.downgrade(),
        announcer,
    };
    let recovered = storage
        .read()
        .and_then(|committed| state.checkpoints.recover(&*committed));
    if let Err(e) = recovered {
        tracing::error!(error = %e, "cannot read the pending checkpoint log");
    }
    if let Some(number) = close_pending_logged(&*storage, &mut state) {
        state.announcer.committed(number);
    }
    let shared = Arc::new(Shared {
        state: Mutex::new(state),
        inline: storage.commits_inline().then(|| Arc::clone(&storage)),
    });
    let writer_shared = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("tokensign-writer".into())
        .spawn(move || {
            writer_loop(&*storage, rx, &writer_shared);
            drop(writer_shared);
            drop(storage);
            let _ = closed_tx.send(());
        })
        .map_err(|source| NodeError::Start {
            what: "the writer thread",
            source,
        })?;
    Ok((Writer { jobs, shared }, closed_rx))
}

impl Writer {
    async fn send<T, R>(&self, job: impl FnOnce(Reply<T, R>) -> Job) -> Result<T, Rejected<R>> {
        let (tx, rx) = oneshot::channel();
        let job = match self.run_inline(job(tx)) {
            None => Ok(()),
            Some(job) => self.jobs.send(job).await.map_err(|_| ()),
        };
        if job.is_err() {
            tracing::error!("writer is gone");
            return Err(Rejected::Failed);
        }
        rx.await.unwrap_or_else(|_| {
            tracing::error!("writer dropped a job");
            Err(Rejected::Failed)
        })
    }

    /// Runs `job` as a batch of its own on this thread if the store
    /// commits inline, no job is queued and the writer is idle (see the
    /// module's docs); otherwise gives it back, for the queue. Controls
    /// always go through the queue.
    fn run_inline(&self, job: Job) -> Option<Job> {
        let Some(storage) = &self.shared.inline else {
            return Some(job);
        };
        if matches!(job, Job::Control(..)) || self.jobs.capacity() < self.jobs.max_capacity() {
            return Some(job);
        }
        let Ok(mut state) = self.shared.state.try_lock() else {
            return Some(job);
        };
        if let Some(number) = run_batch(&**storage, vec![job], &mut state) {
            state.announcer.committed(number);
        }
        None
    }

    /// Queues a verified transaction and waits for its committed outcome.
    pub(crate) async fn submit(&self, job: TxJob) -> Result<Admitted, Rejected<Refusal>> {
        self.send(|reply| Job::Tx(Box::new(job), reply)).await
    }

    /// Queues a mint and waits for its committed outcome.
    pub(crate) async fn mint(&self, job: MintJob) -> Result<MintRecord, Rejected<MintRefusal>> {
        self.send(|reply| Job::Mint(job, reply)).await
    }

    /// Queues a development control and waits for its outcome (committed,
    /// for the controls that change state).
    pub(crate) async fn control(
        &self,
        control: Control,
    ) -> Result<Controlled, Rejected<ControlRefusal>> {
        self.send(|reply| Job::Control(control, reply)).await
    }
}

fn writer_loop(storage: &dyn Storage, mut rx: mpsc::Receiver<Job>, shared: &Shared) {
    // A control taken from the queue while a batch was being filled: it
    // runs alone, after that batch.
    let mut held: Option<Job> = None;
    loop {
        let Some(first) = held.take().or_else(|| rx.blocking_recv()) else {
            break;
        };
        let mut state = shared.state();
        let closed = match first {
            Job::Control(control, reply) => run_control(storage, control, reply, &mut state),
            first => {
                let mut jobs = Vec::with_capacity(16);
                jobs.push(first);
                while jobs.len() < state.checkpoints.max_batch(MAX_BATCH) {
                    match rx.try_recv() {
                        Ok(job @ Job::Control(..)) => {
                            held = Some(job);
                            break;
                        }
                        Ok(job) => jobs.push(job),
                        Err(_) => break,
                    }
                }
                run_batch(storage, jobs, &mut state)
            }
        };
        if let Some(number) = closed {
            state.announcer.committed(number);
        }
    }
    // A clean stop leaves nothing out of a checkpoint.
    let mut state = shared.state();
    if let Some(number) = close_pending_logged(storage, &mut state) {
        state.announcer.committed(number);
    }
}

/// The state one batch sees: the committed state (under the store's
/// write lock) and what the batch has admitted so far.
struct Batch<'a> {
    committed: &'a dyn WriteRead,
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
        match self.staged.tokens.get(address) {
            Some(t) => Ok(Some(t.clone())),
            None => self.committed.token(address),
        }
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

impl<'a> Batch<'a> {
    /// A batch over `committed` that has admitted nothing yet.
    fn new(committed: &'a dyn WriteRead, mint_count: u64) -> Self {
        Batch {
            committed,
            staged: Changes::default(),
            hashes: HashSet::new(),
            admitted: Vec::new(),
            mints: Vec::new(),
            mint_count,
        }
    }

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
        let mut record = TxRecord::new(
            &job.tx,
            &job.sender,
            &job.hash,
            &job.signature,
            &job.fields,
            &effects,
        );
        if job.signed_by == SignedBy::Impersonated {
            record.mark_impersonated();
        }
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

    /// Everything staged, for the storage to seal: a checkpoint closes
    /// over `unplaced` (committed earlier, not placed yet) and then the
    /// admitted transactions if `close` says so.
    fn into_pending(self, unplaced: Vec<[u8; 32]>, close: Close) -> Pending {
        Pending {
            mint_count: (!self.mints.is_empty()).then_some(self.mint_count),
            mints: self.mints,
            ledger: self.staged,
            transactions: self.admitted,
            close,
            unplaced,
        }
    }
}

/// Runs and commits one batch of transactions and mints (no control);
/// returns the number of the checkpoint it closed, if any.
fn run_batch(storage: &dyn Storage, jobs: Vec<Job>, state: &mut WriterState) -> Option<u64> {
    let size = jobs.len();
    let close = state.checkpoints.on_commit();
    let WriterState {
        rules, checkpoints, ..
    } = state;
    let unplaced = match close {
        Close::No => Vec::new(),
        _ => checkpoints.pending().to_vec(),
    };
    let mut outcomes = Vec::with_capacity(jobs.len());
    let mut admitted: Vec<[u8; 32]> = Vec::new();
    // The storage may run this more than once (see `storage::Build`); the
    // outcomes of the last run are the committed ones.
    let result = storage.write(&mut |committed: &dyn WriteRead| {
        outcomes.clear();
        let mut batch = Batch::new(committed, committed.mint_count()?);
        for job in &jobs {
            outcomes.push(match job {
                Job::Tx(job, _) => Outcome::Tx(batch.apply_tx(rules, job)?),
                Job::Mint(job, _) => Outcome::Mint(batch.apply_mint(job)?),
                Job::Control(..) => Outcome::NotRun,
            });
        }
        let pending = batch.into_pending(unplaced.clone(), close);
        admitted = pending.transactions.iter().map(|(h, _)| *h).collect();
        if close == Close::No {
            // Logged before the commit, so that a crash after it leaves
            // them findable (a hash logged by a run that did not commit is
            // skipped at recovery: it is not stored).
            checkpoints.log(&admitted)?;
        }
        Ok(pending)
    });
    match result {
        Ok(closed) => {
            checkpoints.committed(&admitted, closed.is_some());
            tracing::debug!(jobs = size, "batch committed");
            for (job, outcome) in jobs.into_iter().zip(outcomes) {
                match (job, outcome) {
                    (Job::Tx(_, reply), Outcome::Tx(r)) => {
                        let _ = reply.send(r.map_err(Rejected::Refused));
                    }
                    (Job::Mint(_, reply), Outcome::Mint(r)) => {
                        let _ = reply.send(r.map_err(Rejected::Refused));
                    }
                    (job, _) => job.fail(false),
                }
            }
            closed
        }
        Err(e) => {
            tracing::error!(error = %e, jobs = size, "batch commit failed; nothing of it was acknowledged");
            let unavailable = e.is_unavailable();
            for job in jobs {
                job.fail(unavailable);
            }
            None
        }
    }
}

impl Job {
    /// Answers the job with [`Rejected::Failed`], or
    /// [`Rejected::Unavailable`] if the database could not be reached.
    fn fail(self, unavailable: bool) {
        match self {
            Job::Tx(_, reply) => {
                let _ = reply.send(Err(Rejected::failure(unavailable)));
            }
            Job::Mint(_, reply) => {
                let _ = reply.send(Err(Rejected::failure(unavailable)));
            }
            Job::Control(_, reply) => {
                let _ = reply.send(Err(Rejected::failure(unavailable)));
            }
        }
    }
}
