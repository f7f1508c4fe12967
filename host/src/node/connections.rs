//! The node's connections: its own accept loop over hyper's HTTP/1.1, so
//! that no connection can be held open for free.
//!
//! - **Connection limit** (`NodeConfig::max_connections`): one connection
//!   more is answered 503 `TOO_MANY_CONNECTIONS` (`Connection: close`,
//!   `Retry-After: 1`) and closed.
//! - **Idle timeout** (`NodeConfig::idle_timeout`): a connection with no
//!   request in progress that sends nothing for that long (before its
//!   first request, or between keep-alive requests) is closed.
//! - **Header-read timeout** (`NodeConfig::header_timeout`): once the
//!   first byte of a request has arrived, its headers must be complete
//!   within that time, however slowly the bytes trickle in (slowloris);
//!   otherwise the connection is closed.
//!
//! While a request is in progress (from its complete headers until its
//! answer is written) neither timeout runs: the body has its own
//! (`NodeConfig::body_timeout`, 408) and a handler may take the time a
//! commit takes. On shutdown the node stops accepting, lets open requests
//! finish (at most [`GRACE`]) and closes idle connections at once.

use std::pin::{pin, Pin};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tower::ServiceExt as _;

use super::error::{codes, ApiError};

/// How long open requests may take to finish once shutdown began.
pub const GRACE: Duration = Duration::from_secs(10);

/// Most 503 answers being written at once; beyond, a connection over the
/// limit is closed without one.
const MAX_REFUSALS: usize = 64;

/// The timeouts and the limit of a node's connections.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open
/// requests finish (at most [`GRACE`]).
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little
                    // rather than spin; a client's own error: go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        while connections.try_join_next().is_some() {}
        match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => {
                connections.spawn(connection(
                    stream,
                    app.clone(),
                    limits,
                    slot,
                    stop_rx.clone(),
                ));
            }
            Err(_) => refuse(stream, &refusals, limits.max_connections),
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            open = connections.len(),
            "connections still busy after the shutdown grace period: closing them"
        );
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }
}

/// Answers a connection over the limit with 503 and closes it.
fn refuse(mut stream: TcpStream, refusals: &Arc<Semaphore>, max: usize) {
    let Ok(permit) = Arc::clone(refusals).try_acquire_owned() else {
        return;
    };
    tracing::warn!(max, "connection refused: too many connections");
    tokio::spawn(async move {
        let _permit = permit;
        let body = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::TOO_MANY_CONNECTIONS,
            format!(
                "this node already has {max} open connections, the most it allows: close idle \
                 connections or retry in a moment"
            ),
        )
        .body();
        let body = serde_json::to_string(&body).unwrap_or_default();
        let answer = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
             content-length: {}\r\nconnection: close\r\nretry-after: 1\r\n\r\n{body}",
            body.len()
        );
        let second = Duration::from_secs(1);
        if let Ok(Ok(())) = tokio::time::timeout(second, stream.write_all(answer.as_bytes())).await
        {
            let _ = tokio::time::timeout(second, stream.shutdown()).await;
            // Read what the client sent, so that closing does not reset
            // the connection before it reads the answer.
            let mut sink = [0u8; 4096];
            let _ = tokio::time::timeout(second, async {
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
            })
            .await;
        }
    });
}

/// Serves one connection until it ends, times out or shutdown closes it.
async fn connection(
    stream: TcpStream,
    app: Router,
    limits: Limits,
    _slot: OwnedSemaphorePermit,
    mut stop: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: Arc::clone(&activity),
    });
    let requests = Arc::clone(&activity);
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let busy = Activity::begin(&requests);
        let app = app.clone();
        async move {
            let response = app.oneshot(request.map(Body::new)).await?;
            // The request is in progress until its answer is written (the
            // body dropped), which a streamed answer may take long to do.
            Ok::<_, std::convert::Infallible>(response.map(|body| {
                Body::new(body.map_frame(move |frame| {
                    let _ = &busy;
                    frame
                }))
            }))
        }
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.header_read_timeout(None);
    let mut conn = pin!(http.serve_connection(io, service).with_upgrades());
    let mut expired = pin!(activity.expired(limits));
    let mut stopping = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            () = &mut expired => {
                tracing::debug!("connection closed: idle or headers too slow");
                return;
            }
            changed = stop.changed(), if !stopping => {
                stopping = true;
                if changed.is_ok() {
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// What a connection is doing, for its timeouts.
struct Activity {
    state: Mutex<State>,
    changed: Notify,
}

struct State {
    /// Requests in progress (complete headers, answer not yet written).
    busy: usize,
    /// Since when nothing is in progress.
    idle_since: Instant,
    /// When the first byte of the next request's headers arrived.
    head_since: Option<Instant>,
}

/// A request in progress; it ends when this is dropped.
struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.busy = state.busy.saturating_sub(1);
        if state.busy == 0 {
            state.idle_since = Instant::now();
            state.head_since = None;
        }
        drop(state);
        self.0.changed.notify_one();
    }
}

impl Activity {
    fn new() -> Self {
        Activity {
            state: Mutex::new(State {
                busy: 0,
                idle_since: Instant::now(),
                head_since: None,
            }),
            changed: Notify::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A request's headers are complete: it is in progress.
    fn begin(this: &Arc<Activity>) -> Busy {
        let mut state = this.lock();
        state.busy += 1;
        state.head_since = None;
        drop(state);
        this.changed.notify_one();
        Busy(Arc::clone(this))
    }

    /// Bytes arrived.
    fn read(&self) {
        let mut state = self.lock();
        if state.busy == 0 && state.head_since.is_none() {
            state.head_since = Some(Instant::now());
            drop(state);
            self.changed.notify_one();
        }
    }

    /// When the connection times out as things stand (`None`: a request
    /// is in progress).
    fn deadline(&self, limits: Limits) -> Option<Instant> {
        let state = self.lock();
        match (state.busy, state.head_since) {
            (0, Some(head)) => Some(head + limits.header_timeout),
            (0, None) => Some(state.idle_since + limits.idle_timeout),
            _ => None,
        }
    }

    /// Completes once the connection has timed out.
    async fn expired(&self, limits: Limits) {
        loop {
            let changed = self.changed.notified();
            match self.deadline(limits) {
                Some(at) if at <= Instant::now() => return,
                Some(at) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(at.into()) => {}
                        () = changed => {}
                    }
                }
                None => changed.await,
            }
        }
    }
}

/// The connection's socket, telling [`Activity`] when bytes arrive.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
