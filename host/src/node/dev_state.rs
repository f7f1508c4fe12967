//! `POST /dev/dump_state`: the node's whole state as the state document
//! (`storage::state`, anvil's `anvil_dumpState`), read from one consistent
//! snapshot. A local extension of the API; it will join the other `/dev/`
//! controls in their module.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::error::{codes, ApiError};
use super::routes::storage_error;
use super::storage::state::StateError;
use super::AppState;

/// `POST /dev/dump_state`
pub(crate) async fn dump_state(State(state): State<AppState>) -> Result<Response, ApiError> {
    let document = tokio::task::spawn_blocking(move || state.dump_state())
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|e| match e {
            StateError::Store { source, .. } => storage_error(source),
            other => {
                tracing::error!(error = %other, "state dump failed");
                ApiError::internal()
            }
        })?;
    Ok(Json(document).into_response())
}

/// The route's OpenAPI entry.
pub(crate) fn openapi_path() -> Value {
    let error = |description: &str, code: &str| {
        json!({"description": description, "x-error-codes": [code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RESTErrorData"}}}})
    };
    json!({"post": {
    "tags": ["local extension"],
    "x-local-extension": true,
    "operationId": "dev_dump_state",
    "summary": "The node's whole state as a state document (format tokensign-node-state, version 1; see docs/server.md), from one consistent snapshot. `tokensign node --load-state FILE` loads it.",
    "responses": {
        "200": {"description": "The state document",
            "content": {"application/json": {"schema": {"type": "object",
                "required": ["format", "version", "chain_id", "accounts", "tokens", "balances",
                             "multisigs", "checkpoints", "transactions", "mints"],
                "properties": {"format": {"type": "string", "enum": ["tokensign-node-state"]},
                               "version": {"type": "integer", "enum": [1]}}}}}},
        "403": error("The development controls are off on this node (it listens on a \
            non-loopback address without --dev-controls, or was started with --no-dev-controls)",
            codes::DEV_CONTROLS_DISABLED),
        "500": error("Internal error", codes::INTERNAL_ERROR),
        "503": error("The node's database cannot be reached", codes::DATABASE_UNAVAILABLE),
    }}})
}
