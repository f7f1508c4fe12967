//! The local node: a stand-in for the 1Money Network's REST API (every
//! operation on its `/v1` and `/v2` paths, the reads of spec section 6,
//! the write modes) with a real ledger, and the ABC-Lab mint API, over a
//! durable redb store.
//!
//! Every parse, hash, signature recovery and address step is the core's
//! (`tokensign_core`); this module adds HTTP (`routes`, `writes`,
//! `reads`), the network's rules ([`ledger`]) and storage (`store`).
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

pub mod definition;
pub mod dev;
mod error;
mod failure;
pub mod ledger;
pub mod openapi;
mod reads;
mod records;
mod routes;
mod store;
mod writes;

use std::collections::HashSet;
use std::future::Future;
use std::net::SocketAddr;
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

pub use error::{codes, core_error_code, mint_codes, ApiError, MintError};
pub use failure::{NodeError, StoreError};
pub use ledger::Fees;
pub use records::{CheckpointRecord, MintRecord, TxRecord};
pub use routes::MAX_RECIPIENT_LEN;
pub use store::{DB_FILE, MAX_BATCH};
pub use writes::LEGACY_SIGNATURE_HEADER;

use crate::api::{ActivationSource, DomainSeparatedSupport, NativeWriteMode, NodeStatus};

/// The default listen address, the spec's "Local API server".
pub const DEFAULT_LISTEN: &str = "127.0.0.1:18555";
/// Default request body limit: the core's longest JSON input (8 KiB).
pub const DEFAULT_BODY_LIMIT: usize = tokensign_core::json::MAX_JSON_INPUT_LEN;
/// Default time a request body has to arrive.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// The server's configuration.
#[derive(Clone, Debug)]
pub struct NodeConfig {
    /// Directory of the database (created if missing). Only one process may
    /// use it at a time.
    pub data_dir: PathBuf,
    /// Addresses allowed to sign issue requests. Empty: any valid signer is
    /// accepted (open mode; logged as a warning at start).
    pub operators: Vec<Address>,
    /// The chain id requests must carry.
    pub chain_id: u64,
    /// `true` (default): every commit is fsynced before it is acknowledged.
    /// `false`: redb `Durability::None`, for benchmarks only; a crash loses
    /// recent acknowledged transactions.
    pub durable: bool,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Time a request body has to arrive completely; later gives 408.
    pub body_timeout: Duration,
    /// Which signing schemes writes may use (default `dual`).
    pub write_mode: NativeWriteMode,
    /// Payment and BatchPayment fees (default zero).
    pub fees: Fees,
}

impl NodeConfig {
    /// A configuration with the testnet chain id, durable commits, the
    /// core's body limit, a 10 s body timeout, `dual` mode and no fees.
    pub fn new(data_dir: PathBuf, operators: Vec<Address>) -> Self {
        NodeConfig {
            data_dir,
            operators,
            chain_id: CHAIN_ID_TESTNET,
            durable: true,
            body_limit: DEFAULT_BODY_LIMIT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            write_mode: NativeWriteMode::Dual,
            fees: Fees::default(),
        }
    }
}

struct Inner {
    config: NodeConfig,
    rules: ledger::Rules,
    started_secs: u64,
    store: store::Store,
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
        let writer_rules = rules.clone();
        let (store, closed) =
            tokio::task::spawn_blocking(move || store::open(&dir, durable, writer_rules))
                .await
                .map_err(|_| NodeError::Aborted("the database open task failed"))??;
        if config.operators.is_empty() {
            tracing::warn!("no operators configured: any valid signer may issue tokens");
        }
        if !config.durable {
            tracing::warn!("durability is off: acknowledged transactions may be lost on a crash");
        }
        tracing::info!(
            data_dir = %config.data_dir.display(),
            chain_id = config.chain_id,
            operators = config.operators.len(),
            "node state opened"
        );
        Ok(AppState {
            inner: Arc::new(Inner {
                rules,
                started_secs: std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0),
                config,
                store,
                closed: Mutex::new(Some(closed)),
            }),
        })
    }

    /// The configuration this state was opened with.
    pub fn config(&self) -> &NodeConfig {
        &self.inner.config
    }

    /// The body of `GET /api/status` for this node's write mode: `dual`
    /// and `v2_only` count as activated by full capability (the local node
    /// is its only validator) at the node's start.
    pub fn status(&self) -> NodeStatus {
        let mode = self.inner.config.write_mode;
        let active = mode != NativeWriteMode::V1Only;
        NodeStatus {
            native_write_mode: mode,
            read_only: false,
            activation_source: if active {
                ActivationSource::CapabilityFull
            } else {
                ActivationSource::NotActivated
            },
            dual_activated_at_secs: active.then_some(self.inner.started_secs),
            native_domain_separated_transactions: DomainSeparatedSupport {
                support_count: u64::from(active),
                required_count: 1,
                full_support: active,
            },
        }
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
        self.inner.store.reader()?.snapshot()
    }

    /// Every stored transaction (for invariant checks).
    pub fn transactions(&self) -> Result<Vec<TxRecord>, StoreError> {
        self.inner.store.reader()?.transactions()
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
/// both with a `RESTErrorData` body.
pub fn router(state: AppState) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<axum::body::Body>| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
        })
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO));
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
    app.route("/v1/transactions/raw", post(routes::raw_removed))
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
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .with_state(state)
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(trace)
        .layer(SetRequestIdLayer::x_request_id(CounterRequestId::default()))
}

/// Serves `router(state)` on `listener` until `shutdown` completes, then
/// waits for open requests and closes the database.
async fn run(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), NodeError> {
    let addr = listener.local_addr().ok();
    tracing::info!(addr = ?addr, "node listening");
    let app = router(state.clone());
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(NodeError::Serve);
    state.close().await;
    tracing::info!("node stopped");
    result
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received");
}

/// Opens the state and serves on `listener` until ctrl-c or SIGTERM.
pub async fn serve(config: NodeConfig, listener: tokio::net::TcpListener) -> Result<(), NodeError> {
    let state = AppState::open(config).await?;
    serve_state(state, listener).await
}

/// Serves an opened state on `listener` until ctrl-c or SIGTERM. Opening
/// first lets a caller refuse a busy data directory before it announces
/// the address.
pub async fn serve_state(
    state: AppState,
    listener: tokio::net::TcpListener,
) -> Result<(), NodeError> {
    run(state, listener, shutdown_signal()).await
}

/// A server running on its own thread and tokio runtime (see
/// [`spawn_background`]). Shuts down cleanly on drop or [`RunningNode::shutdown`].
pub struct RunningNode {
    /// `http://<ip>:<port>` of the server.
    pub url: String,
    /// The bound address (the real port when 0 was asked for).
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), NodeError>>>,
}

impl RunningNode {
    /// Stops the server: open requests finish, the database is closed.
    pub fn shutdown(mut self) -> Result<(), NodeError> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> Result<(), NodeError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .map_err(|_| NodeError::Aborted("the node thread panicked"))?,
            None => Ok(()),
        }
    }
}

impl Drop for RunningNode {
    fn drop(&mut self) {
        if let Err(e) = self.stop_and_join() {
            tracing::warn!(error = %e, "node did not stop cleanly");
        }
    }
}

/// Starts a server on `listen` (port 0 picks a free port) on a new thread
/// with its own tokio runtime. Returns once the socket is bound and the
/// database open, so connections are accepted.
pub fn spawn_background(config: NodeConfig, listen: SocketAddr) -> Result<RunningNode, NodeError> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<SocketAddr, NodeError>>();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("tokensign-node".into())
        .spawn(move || -> Result<(), NodeError> {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .thread_name("tokensign-node-rt")
                .build()
            {
                Ok(rt) => rt,
                Err(source) => {
                    let _ = ready_tx.send(Err(NodeError::Start {
                        what: "the node's runtime",
                        source,
                    }));
                    return Ok(());
                }
            };
            runtime.block_on(async move {
                let state = match AppState::open(config).await {
                    Ok(state) => state,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return Ok(());
                    }
                };
                let bound = async {
                    let bind = |source| NodeError::Bind {
                        addr: listen,
                        source,
                    };
                    let listener = tokio::net::TcpListener::bind(listen).await.map_err(bind)?;
                    let addr = listener.local_addr().map_err(bind)?;
                    Ok::<_, NodeError>((listener, addr))
                }
                .await;
                let listener = match bound {
                    Ok((listener, addr)) => {
                        let _ = ready_tx.send(Ok(addr));
                        listener
                    }
                    Err(e) => {
                        state.close().await;
                        let _ = ready_tx.send(Err(e));
                        return Ok(());
                    }
                };
                run(state, listener, async {
                    let _ = stop_rx.await;
                })
                .await
            })
        })
        .map_err(|source| NodeError::Start {
            what: "the node thread",
            source,
        })?;
    match ready_rx.recv() {
        Ok(Ok(addr)) => Ok(RunningNode {
            url: format!("http://{addr}"),
            addr,
            stop: Some(stop_tx),
            thread: Some(thread),
        }),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => match thread.join() {
            Ok(Err(e)) => Err(e),
            _ => Err(NodeError::Aborted(
                "the node thread exited before it was ready",
            )),
        },
    }
}
