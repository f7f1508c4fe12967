//! Serving: the node on a listener until a shutdown signal, in the
//! foreground ([`serve`], [`serve_state`]) or on its own thread and
//! runtime ([`spawn_background`]).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use super::connections::{self, Limits};
use super::hosts::AllowedHosts;
use super::router::app;
use super::{AppState, NodeConfig, NodeError};

/// Serves the node's routes on `listener` until `shutdown` completes, then
/// waits for open requests (at most `connections::GRACE`) and closes the
/// database. On a loopback listener (or with allowed hosts) requests must
/// carry an allowed `Host`; beyond loopback a warning is logged.
async fn run(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), NodeError> {
    let addr = listener.local_addr().map_err(NodeError::Serve)?;
    tracing::info!(addr = %addr, "node listening");
    if !addr.ip().is_loopback() {
        tracing::warn!(
            addr = %addr,
            "listening beyond loopback: anyone who can reach this address may use the node"
        );
    }
    let on = state.inner.dev.gate.listening_on(&addr);
    tracing::info!(on, "development controls (/dev/)");
    let config = state.config();
    let hosts = AllowedHosts::for_listener(addr, &config.allowed_hosts).map(Arc::new);
    let limits = Limits {
        header_timeout: config.header_timeout,
        idle_timeout: config.idle_timeout,
        max_connections: config.max_connections.max(1),
    };
    // Stream connections are upgraded out of the server's reach: tell them
    // to end when shutdown starts, or they would keep the state open.
    let stopping = state.inner.commits.stopper();
    let shutdown = async move {
        shutdown.await;
        stopping.send_replace(true);
    };
    connections::serve(listener, app(state.clone(), hosts), limits, shutdown).await;
    // A clean exit writes the state file, after the last request.
    let mut result = Ok(());
    if let Some(path) = state.config().state.dump.clone() {
        let dumping = state.clone();
        let dumped = tokio::task::spawn_blocking(move || dumping.dump_state_to(&path))
            .await
            .map_err(|_| NodeError::Aborted("the state dump task failed"))
            .and_then(|r| r.map_err(NodeError::from));
        match dumped {
            Ok(()) => tracing::info!("state written"),
            Err(e) => {
                tracing::error!(error = %e, "state not written");
                result = Err(e);
            }
        }
    }
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
