//! The local node: a stand-in for the 1Money Network's REST API (every
//! operation on its `/v1` and `/v2` paths, the reads of spec section 6,
//! the write modes) with a real ledger, and the ABC-Lab mint API, over a
//! durable redb store.
//!
//! Every parse, hash, signature recovery and address step is the core's
//! (`tokensign_core`); this module adds HTTP (`routes`, `writes`,
//! `reads`, `serve`), the network's rules ([`ledger`], `mint`), the single
//! writer (`writer`) and storage (`storage`: one trait, redb behind it).
//! See `docs/server.md` for the routes, the rules, the error codes and the
//! design.
//!
//! Run it with [`serve`] on a listener, in-process with [`router`] (for
//! example through `tower::ServiceExt::oneshot`), or on its own thread and
//! runtime with [`spawn_background`].

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod connections;
pub mod definition;
pub mod dev;
mod dev_state;
mod error;
pub mod explorer;
mod failure;
mod hosts;
pub mod ledger;
mod local_api;
mod mint;
mod modes;
pub mod openapi;
mod reads;
mod records;
mod routes;
mod serve;
mod storage;
mod stream;
mod writer;
mod writes;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Request};
use axum::routing::{get, post};
use axum::Router;
use tokensign_core::tx::{OpType, CHAIN_ID_TESTNET};
use tokensign_core::Address;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use error::{codes, core_error_code, mint_codes, rule_code, ApiError, MintError};
pub use failure::{NodeError, StoreError};
pub use ledger::Fees;
pub use mint::MAX_RECIPIENT_LEN;
pub use records::{CheckpointRecord, MintRecord, TxRecord};
pub use serve::{serve, serve_state, spawn_background, RunningNode};
pub use storage::postgres::schema::{latest_version as database_schema_version, migrate_to};
pub use storage::postgres::DatabaseUrl;
pub use storage::redb_store::DB_FILE;
pub use storage::state::{
    StateDocument, StateError, StateFiles, FORMAT as STATE_FORMAT, VERSION as STATE_VERSION,
};
pub use stream::{StreamConfig, DEFAULT_LAG_LIMIT, DEFAULT_STALL_TIMEOUT};
pub use writer::MAX_BATCH;
pub use writes::LEGACY_SIGNATURE_HEADER;

use crate::api::{NativeWriteMode, NodeStatus};

/// The default listen address, the spec's "Local API server".
pub const DEFAULT_LISTEN: &str = "127.0.0.1:18555";
/// Default request body limit: the core's longest JSON input (8 KiB).
pub const DEFAULT_BODY_LIMIT: usize = tokensign_core::json::MAX_JSON_INPUT_LEN;
/// Default time a request body has to arrive.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time a request's headers have to arrive, from their first byte.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time a connection may stay open with no request in progress
/// and nothing sent.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(15);
/// Default number of connections open at once.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

/// The server's configuration.
#[derive(Clone, Debug)]
pub struct NodeConfig {
    /// Directory of the database (created if missing). Only one process may
    /// use it at a time. Unused when `database` is set or `in_memory`.
    pub data_dir: PathBuf,
    /// A PostgreSQL database to keep the state in instead of the data
    /// directory's redb file; any number of node processes may share it.
    pub database: Option<DatabaseUrl>,
    /// `true`: the whole state lives in memory (redb's in-memory backend)
    /// and the node writes no file at all, not even its data directory;
    /// everything is gone when it stops, as with anvil's default. `false`
    /// (default): durable state in `data_dir`. Refused with `database`.
    pub in_memory: bool,
    /// Addresses allowed to sign issue requests. Empty: any valid signer is
    /// accepted (open mode; logged as a warning at start).
    pub operators: Vec<Address>,
    /// The chain id requests must carry.
    pub chain_id: u64,
    /// `true` (default): every commit is fsynced before it is acknowledged.
    /// `false`: for benchmarks only, redb commits with `Durability::None`
    /// but for one durable commit in 64 (or the first 100 ms after the
    /// oldest unsynced one), which keeps the file from growing with every
    /// commit; a crash loses the acknowledged commits since the last
    /// durable one (PostgreSQL: `synchronous_commit = off`).
    pub durable: bool,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Time a request body has to arrive completely; later gives 408.
    pub body_timeout: Duration,
    /// Which signing schemes writes may use (default `dual`).
    pub write_mode: NativeWriteMode,
    /// Payment and BatchPayment fees (default zero).
    pub fees: Fees,
    /// A state file to load at start and one to write at a clean exit.
    pub state: StateFiles,
    /// Start read-only (spec 1.2): every native write refused (default
    /// false).
    pub read_only: bool,
    /// When the live stream drops a slow consumer.
    pub stream: StreamConfig,
    /// The development controls (`/dev/…`): `None` (default) on when the
    /// node listens on a loopback address, `Some(true)` on wherever it
    /// listens (`--dev-controls`), `Some(false)` off (`--no-dev-controls`).
    pub dev_controls: Option<bool>,
    /// Time a request's headers have to arrive once its first byte has;
    /// later the connection is closed (slowloris).
    pub header_timeout: Duration,
    /// Time a connection may stay open with no request in progress and
    /// nothing sent (before its first request, or between keep-alive
    /// requests); later it is closed.
    pub idle_timeout: Duration,
    /// Most connections open at once; one more is answered 503
    /// `TOO_MANY_CONNECTIONS` and closed.
    pub max_connections: usize,
    /// Host names (without port, any case) answered besides the loopback
    /// names and addresses, when the `Host` header is checked: always on a
    /// loopback listener, and on any listener once this is not empty.
    pub allowed_hosts: Vec<String>,
}

impl NodeConfig {
    /// A configuration with the testnet chain id, durable commits, the
    /// core's body limit, a 10 s body timeout, `dual` mode, no fees, a
    /// 10 s header timeout, a 15 s idle timeout, 1024 connections and no
    /// allowed hosts beyond loopback.
    pub fn new(data_dir: PathBuf, operators: Vec<Address>) -> Self {
        NodeConfig {
            data_dir,
            database: None,
            in_memory: false,
            operators,
            chain_id: CHAIN_ID_TESTNET,
            durable: true,
            body_limit: DEFAULT_BODY_LIMIT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            write_mode: NativeWriteMode::Dual,
            fees: Fees::default(),
            state: StateFiles::default(),
            read_only: false,
            stream: StreamConfig::default(),
            dev_controls: None,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            allowed_hosts: Vec::new(),
        }
    }
}

struct Inner {
    config: NodeConfig,
    storage: Arc<dyn storage::Storage>,
    writer: writer::Writer,
    modes: modes::Modes,
    commits: stream::Commits,
    dev: dev::DevState,
    /// An in-memory node's definitions key (a durable node's is a file).
    memory_key: std::sync::OnceLock<tokensign_core::SigningKey>,
    closed: Mutex<Option<std::sync::mpsc::Receiver<()>>>,
}

/// The server's shared state: configuration and store. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
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
            None => Arc::new(
                tokio::task::spawn_blocking(move || {
                    if in_memory {
                        storage::redb_store::open_in_memory()
                    } else {
                        storage::redb_store::open(&dir, durable)
                    }
                })
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

/// Request ids: a process-wide counter, `x-request-id` header.
#[derive(Clone, Default)]
struct CounterRequestId(Arc<AtomicU64>);

impl MakeRequestId for CounterRequestId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        HeaderValue::from_str(&format!("req-{n}"))
            .ok()
            .map(RequestId::new)
    }
}

/// The server's routes over `state`, with request ids (`x-request-id`) and
/// tracing. Unknown routes answer 404 and wrong methods 405 (with `Allow`),
/// both with a `RESTErrorData` body. In process (no listener) the `Host`
/// header is not checked; [`serve`] and [`spawn_background`] check it on
/// loopback.
pub fn router(state: AppState) -> Router {
    app(state, None)
}

/// The routes, with the `Host` check of `hosts` (if any) inside the
/// request ids and tracing, so that refused requests have both.
fn app(state: AppState, hosts: Option<Arc<hosts::AllowedHosts>>) -> Router {
    // Each request's span and answer are logged at debug: at the default
    // `info` a node under load would format and write a line per request
    // (measured: a large share of a payment's CPU), and with the level
    // off, the span and the event cost next to nothing. 5xx answers are
    // still logged at error (tower-http's default `on_failure`).
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<axum::body::Body>| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::debug_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
        })
        .on_response(DefaultOnResponse::new().level(tracing::Level::DEBUG));
    let mut app = Router::new();
    for &op in OpType::ALL {
        if let Some(path) = op.v1_path() {
            app = app.route(
                path,
                post(move |State(s): State<AppState>, h: HeaderMap, b: Body| {
                    writes::write_v1(op, s, h, b)
                }),
            );
        }
        app = app.route(
            op.v2_path(),
            post(move |State(s): State<AppState>, h: HeaderMap, b: Body| {
                writes::write_v2(op, s, h, b)
            }),
        );
    }
    let mut app = app
        .route("/v1/transactions/raw", post(routes::raw_removed))
        .route("/v1/chains/chain_id", get(routes::chain_id))
        .route("/v1/accounts/nonce", get(reads::nonce))
        .route("/v1/accounts/bbnonce", get(reads::bbnonce))
        .route("/v1/accounts/token_account", get(reads::token_account))
        .route("/v1/tokens/token_metadata", get(reads::token_metadata))
        .route("/v1/tokens/definition", get(definition::definition))
        .route("/v1/transactions/by_hash", get(reads::by_hash))
        .route("/v1/transactions/receipt/by_hash", get(reads::receipt))
        .route("/v1/transactions/finalized/by_hash", get(reads::finalized))
        .route("/v1/transactions/estimate_fee", get(reads::estimate_fee))
        .route(
            "/v1/transactions/batch_payment/estimate_fee",
            post(reads::estimate_batch_fee),
        )
        .route("/v1/checkpoints/number", get(reads::checkpoint_number))
        .route(
            "/v1/checkpoints/by_number",
            get(reads::checkpoint_by_number),
        )
        .route("/v1/checkpoints/by_hash", get(reads::checkpoint_by_hash))
        .route(
            "/v1/checkpoints/receipts/by_number",
            get(reads::checkpoint_receipts),
        )
        .route("/api/tokens/mint", post(routes::mint))
        .route("/api/status", get(routes::status))
        .route("/api/health", get(routes::health))
        .route("/openapi.json", get(routes::openapi))
        .route("/v1/stream", get(stream::stream))
        .route("/explorer", get(explorer::page))
        .route("/explorer/api/overview", get(explorer::overview))
        .route("/explorer/api/token", get(explorer::token))
        .route("/explorer/api/account", get(explorer::account))
        .route("/explorer/api/transaction", get(explorer::transaction))
        .route("/explorer/api/search", get(explorer::search))
        .merge(dev::routes(&state))
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            dev::faults::inject,
        ))
        .with_state(state);
    if let Some(hosts) = hosts {
        app = app.layer(axum::middleware::from_fn_with_state(hosts, hosts::check));
    }
    app.layer(PropagateRequestIdLayer::x_request_id())
        .layer(trace)
        .layer(SetRequestIdLayer::x_request_id(CounterRequestId::default()))
}
