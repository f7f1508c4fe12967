//! The route table: every route of the node, with request ids
//! (`x-request-id`), tracing and, on a listener, the `Host` check.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Request};
use axum::routing::{get, post};
use axum::Router;
use tokensign_core::tx::OpType;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use super::app_state::AppState;
use super::{definition, dev, explorer, hosts, reads, routes, stream, writes};

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
/// header is not checked; [`serve`](super::serve) and
/// [`spawn_background`](super::spawn_background) check it on
/// loopback.
pub fn router(state: AppState) -> Router {
    app(state, None)
}

/// The routes, with the `Host` check of `hosts` (if any) inside the
/// request ids and tracing, so that refused requests have both.
pub(super) fn app(state: AppState, hosts: Option<Arc<hosts::AllowedHosts>>) -> Router {
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
