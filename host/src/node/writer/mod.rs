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

mod batch;
mod controls;

use std::sync::{Arc, Mutex, MutexGuard};

use tokensign_core::tx::Transaction;
use tokensign_core::Address;
use tokio::sync::{mpsc, oneshot};

use super::dev::checkpoints::Checkpoints;
use super::dev::control::{Control, ControlRefusal, Controlled};
use super::failure::NodeError;
use super::ledger::{Refusal, Rules, SignedBy};
use super::mint::{MintJob, MintRefusal};
use super::records::MintRecord;
use super::storage::Storage;
use super::stream::Announcer;
use crate::api::SignatureJson;
use batch::run_batch;
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
