//! The node's shared state ([`AppState`]): opening the store, starting the
//! writer, and what the rest of the node reaches through it.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::config::NodeConfig;
use super::failure::{NodeError, StoreError};
use super::records::TxRecord;
use super::storage::state::{StateDocument, StateError};
use super::{dev, ledger, modes, storage, stream, writer, writes, ApiError};
use crate::api::NodeStatus;

pub(super) struct Inner {
    pub(super) config: NodeConfig,
    pub(super) storage: Arc<dyn storage::Storage>,
    pub(super) writer: writer::Writer,
    pub(super) modes: modes::Modes,
    pub(super) commits: stream::Commits,
    pub(super) dev: dev::DevState,
    /// An in-memory node's definitions key (a durable node's is a file).
    pub(super) memory_key: std::sync::OnceLock<tokensign_core::SigningKey>,
    closed: Mutex<Option<std::sync::mpsc::Receiver<()>>>,
}

/// The server's shared state: configuration and store. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(super) inner: Arc<Inner>,
}

impl AppState {
    /// Opens (or creates) the database in `config.data_dir` and starts the
    /// writer. Fails with a clear message if another process holds the
    /// data directory.
    pub async fn open(config: NodeConfig) -> Result<AppState, NodeError> {
        let dir = config.data_dir.clone();
        let durable = config.durable;
        let mut fees = config.fees.clone();
        if fees.collector.is_none() {
            fees.collector = config.operators.first().copied();
        }
        let rules = ledger::Rules {
            chain_id: config.chain_id,
            operators: config.operators.iter().copied().collect::<HashSet<_>>(),
            fees,
        };
        let (commits, announce) = stream::Commits::new();
        let in_memory = config.in_memory;
        let storage: Arc<dyn storage::Storage> = match &config.database {
            None if in_memory => Arc::new(storage::memory_store::MemoryStore::new()),
            None => Arc::new(
                tokio::task::spawn_blocking(move || storage::redb_store::open(&dir, durable))
                    .await
                    .map_err(|_| NodeError::Aborted("the database open task failed"))??,
            ),
            Some(url) if in_memory => {
                return Err(NodeError::DatabaseUrl {
                    url: url.to_string(),
                    reason: "a node keeps its state either in memory or in a database: drop \
                             --in-memory or --database"
                        .into(),
                })
            }
            Some(url) => {
                let store = storage::postgres::open(url, durable).await?;
                // Other processes' checkpoints wake this one's stream.
                let waker = announce.waker();
                store.listen(move |heard| match heard {
                    storage::postgres::notify::Heard::Committed(n) => waker.committed_elsewhere(n),
                    storage::postgres::notify::Heard::Unheard => waker.look(),
                });
                Arc::new(store)
            }
        };
        if let Some(path) = config.state.load.clone() {
            if !config.state.load_if_exists || path.exists() {
                let target = Arc::clone(&storage);
                let chain_id = config.chain_id;
                tokio::task::spawn_blocking(move || {
                    storage::state::load_file(&*target, chain_id, &path)
                })
                .await
                .map_err(|_| NodeError::Aborted("the state load task failed"))??;
                tracing::info!("state loaded");
            }
        }
        // The pending log lives in the data directory of an embedded store
        // on disk; an in-memory node keeps none (a crash loses everything),
        // and a PostgreSQL node never leaves a transaction pending (its
        // checkpoint modes are auto and per_write).
        let log_dir =
            (config.database.is_none() && !in_memory).then_some(config.data_dir.as_path());
        let checkpoints = dev::checkpoints::Checkpoints::new(log_dir, durable && !in_memory);
        let fees = rules.fees.clone();
        let writer_storage = Arc::clone(&storage);
        let (writer, closed) = tokio::task::spawn_blocking(move || {
            writer::start(writer_storage, rules, checkpoints, announce)
        })
        .await
        .map_err(|_| NodeError::Aborted("the writer start task failed"))??;
        if config.operators.is_empty() {
            tracing::warn!("no operators configured: any valid signer may issue tokens");
        }
        if config.in_memory {
            tracing::info!("in memory: no file is written, and the state is gone at exit");
        } else if !config.durable {
            tracing::warn!("durability is off: acknowledged transactions may be lost on a crash");
        }
        let place = match &config.database {
            Some(url) => url.to_string(),
            None => config.data_dir.display().to_string(),
        };
        tracing::info!(
            state = %place,
            chain_id = config.chain_id,
            operators = config.operators.len(),
            "node state opened"
        );
        Ok(AppState {
            inner: Arc::new(Inner {
                modes: modes::Modes::new(config.write_mode, config.read_only, fees, now_secs()),
                dev: dev::DevState::new(config.dev_controls),
                memory_key: std::sync::OnceLock::new(),
                config,
                storage,
                writer,
                commits,
                closed: Mutex::new(Some(closed)),
            }),
        })
    }

    /// The configuration this state was opened with.
    pub fn config(&self) -> &NodeConfig {
        &self.inner.config
    }

    /// The body of `GET /api/status`: the write mode, and `read_only`
    /// (see `modes::status`).
    pub fn status(&self) -> NodeStatus {
        modes::status(
            self.inner.modes.write_mode(),
            self.inner.modes.read_only(),
            self.inner.modes.activated_secs(),
        )
    }

    /// Submits a transaction the caller signed, through the same checks
    /// and writer as an HTTP write (the developer accounts' setup uses
    /// it). Returns the transaction hash.
    pub async fn submit_native(
        &self,
        request: tokensign_core::native::NativeTx,
    ) -> Result<[u8; 32], ApiError> {
        writes::submit_native(self, request).await.map(|a| a.hash)
    }

    /// Every token, balance, account and multisig account, from one
    /// consistent snapshot (for invariant checks).
    pub fn snapshot(&self) -> Result<ledger::MemoryLedger, StoreError> {
        self.read()?.ledger()
    }

    /// Every stored transaction (for invariant checks).
    pub fn transactions(&self) -> Result<Vec<TxRecord>, StoreError> {
        self.read()?.transactions()
    }

    /// The whole state as a state document, from one consistent snapshot.
    /// Blocking.
    pub fn dump_state(&self) -> Result<StateDocument, StateError> {
        storage::state::dump(&*self.inner.storage, self.inner.config.chain_id)
    }

    /// Writes the whole state to `path` atomically. Blocking.
    pub fn dump_state_to(&self, path: &std::path::Path) -> Result<(), StateError> {
        storage::state::dump_to_file(&*self.inner.storage, self.inner.config.chain_id, path)
    }

    /// A consistent read of the committed state.
    pub(crate) fn read(&self) -> Result<Box<dyn storage::StateRead + '_>, StoreError> {
        self.inner.storage.read()
    }

    /// Drops this handle and, if it was the last one (routers built from it
    /// dropped too), waits until the writer has finished and the database
    /// file is closed, so that the data directory can be opened again.
    pub async fn close(self) {
        let closed = self
            .inner
            .closed
            .lock()
            .ok()
            .and_then(|mut guard| guard.take());
        drop(self);
        if let Some(closed) = closed {
            // Bounded: the writer stops as soon as the last handle is gone.
            let _ =
                tokio::task::spawn_blocking(move || closed.recv_timeout(Duration::from_secs(30)))
                    .await;
        }
    }
}

/// Unix seconds now (0 if the clock is before 1970).
pub(crate) fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
