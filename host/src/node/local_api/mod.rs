//! The OpenAPI entries of what this node adds to the network's API, each
//! marked `x-local-extension: true` under the tag `local extension`: the
//! `read_only` refusal on every write, the live stream (`/v1/stream`), the
//! explorer's page and reads (`/explorer`, `/explorer/api/...`), and the
//! development controls (`/dev/...`, `dev_controls`). Called once by
//! `openapi::document`.

// As in `openapi.rs`: every indexed value is an object built here or of
// the base document, whose shape the OpenAPI tests pin.
#![allow(clippy::indexing_slicing)]

mod dev_controls;

use serde_json::{json, Value};

use super::error::codes;
use super::openapi::ADDRESS_PATTERN;

/// The tag of every local extension.
pub const TAG: &str = "local extension";

fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn error(description: &str, error_codes: &[&str]) -> Value {
    json!({"description": description, "x-error-codes": error_codes,
        "content": {"application/json": {"schema": r("RESTErrorData")}}})
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn query(name: &str, schema: Value, required: bool) -> Value {
    json!({"name": name, "in": "query", "required": required, "schema": schema})
}

/// A GET of the explorer's reads.
fn explorer_read(
    id: &str,
    summary: &str,
    params: Vec<Value>,
    answer: &str,
    not_found: &[&str],
) -> Value {
    let mut responses = json!({
        "200": ok(summary, r(answer)),
        "400": error("A query parameter is missing or malformed",
            &[codes::INVALID_QUERY, codes::MISSING_PARAMETER, codes::INVALID_ADDRESS, codes::INVALID_HASH]),
        "500": error("Internal error", &[codes::INTERNAL_ERROR]),
    });
    if !not_found.is_empty() {
        responses["404"] = error("Not found", not_found);
    }
    json!({"get": {"tags": [TAG], "x-local-extension": true, "operationId": id, "summary": summary,
        "parameters": params, "responses": responses}})
}

/// Adds the local extensions to `doc`.
pub(crate) fn extend(doc: &mut Value) {
    error_codes(doc);
    read_only_on_writes(doc);
    schemas(doc);
    dev_controls::extend(doc);
    let paths = &mut doc["paths"];
    paths["/v1/stream"] = json!({"get": {"tags": [TAG], "x-local-extension": true,
        "operationId": "live_stream",
        "summary": "The live stream: a WebSocket of every committed transaction and checkpoint",
        "description": "A WebSocket (GET with `Upgrade: websocket`). Text frames, one JSON `StreamFrame` each: every transaction of a checkpoint (with its receipt), in order, then the checkpoint. From checkpoint `from` (history first, then live), or without `from` from the next checkpoint committed. A consumer that has caught up and then falls more than the node's lag limit (1024 checkpoints by default) behind is closed with code 1008 and a reason ending in `from=N`, the checkpoint to resume from; one whose connection accepts nothing for the stall timeout (30 s) is closed without a close frame; the node stopping closes with 1001. See docs/server.md.",
        "parameters": [query("from", json!({"type": "integer", "minimum": 0, "maximum": u64::MAX}), false)],
        "responses": {
            "101": {"description": "Switching protocols: the stream (frames: StreamFrame)"},
            "400": error("`from` is not a checkpoint number", &[codes::INVALID_NUMBER, codes::INVALID_QUERY]),
            "404": error("`from` is past the next checkpoint", &[codes::CHECKPOINT_NOT_FOUND]),
            "426": error("Not a WebSocket handshake", &[codes::UPGRADE_REQUIRED]),
            "500": error("Internal error", &[codes::INTERNAL_ERROR])}}});
    paths["/explorer"] = json!({"get": {"tags": [TAG], "x-local-extension": true,
        "operationId": "explorer_page",
        "summary": "The explorer: one page, no external asset, following the live stream",
        "responses": {"200": {"description": "The page",
            "content": {"text/html": {"schema": {"type": "string"}}}}}}});
    paths["/explorer/api/overview"] = explorer_read(
        "explorer_overview",
        "Tokens, accounts, the latest checkpoints and transactions",
        vec![],
        "ExplorerOverview",
        &[],
    );
    paths["/explorer/api/token"] = explorer_read(
        "explorer_token",
        "A token: metadata, supply, authorities, lists, holders",
        vec![query("token", r("Address"), true)],
        "ExplorerToken",
        &[codes::TOKEN_NOT_FOUND],
    );
    paths["/explorer/api/account"] = explorer_read(
        "explorer_account",
        "An account: balances, nonce, multisig configuration",
        vec![query("address", r("Address"), true)],
        "ExplorerAccount",
        &[],
    );
    paths["/explorer/api/transaction"] = explorer_read(
        "explorer_transaction",
        "A transaction, its receipt and the review pages a device shows for it",
        vec![query("hash", r("Hash32"), true)],
        "ExplorerTransaction",
        &[codes::TRANSACTION_NOT_FOUND],
    );
    paths["/explorer/api/search"] = explorer_read(
        "explorer_search",
        "What a transaction or checkpoint hash, an address or a checkpoint number names",
        vec![query(
            "q",
            json!({"type": "string", "pattern": format!(
                "^(0x[0-9a-fA-F]{{64}}|{}|[0-9]{{1,20}})$",
                ADDRESS_PATTERN.trim_start_matches('^').trim_end_matches('$')
            )}),
            true,
        )],
        "ExplorerSearch",
        &[codes::NOT_FOUND],
    );
    let tags = doc["tags"].as_array_mut();
    if let Some(tags) = tags {
        tags.push(json!({"name": TAG, "description":
            "What this node adds to the network's API: the live stream, the explorer, the development controls under /dev/ (and the read_only refusal on every write)"}));
    }
}

/// The codes of the extensions in `ErrorCode`, with their status.
fn error_codes(doc: &mut Value) {
    let code = &mut doc["components"]["schemas"]["ErrorCode"];
    for (name, status) in [
        (codes::NODE_READ_ONLY, 403),
        (codes::UPGRADE_REQUIRED, 426),
        (codes::DEV_CONTROLS_DISABLED, 403),
        (codes::DEV_CONTROL_UNSUPPORTED_ON_POSTGRES, 501),
        (codes::SNAPSHOT_NOT_FOUND, 404),
    ] {
        if let Some(list) = code["enum"].as_array_mut() {
            list.push(json!(name));
        }
        code["x-status"][name] = json!(status);
    }
}

/// Every write may answer 403 `NODE_READ_ONLY`.
fn read_only_on_writes(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let is_write = (path.starts_with("/v1/") || path.starts_with("/v2/"))
            && path != "/v1/transactions/raw"
            && path != "/v1/transactions/batch_payment/estimate_fee"
            && item.get("post").is_some();
        if !is_write {
            continue;
        }
        let responses = &mut item["post"]["responses"];
        match responses.get_mut("403") {
            Some(forbidden) => {
                if let Some(list) = forbidden["x-error-codes"].as_array_mut() {
                    list.push(json!(codes::NODE_READ_ONLY));
                }
                forbidden["description"] = json!(format!(
                    "{}; or the node is read_only",
                    forbidden["description"].as_str().unwrap_or("Forbidden")
                ));
            }
            None => {
                responses["403"] = error("The node is read_only", &[codes::NODE_READ_ONLY]);
            }
        }
    }
}

fn schemas(doc: &mut Value) {
    let s = &mut doc["components"]["schemas"];
    let string = || json!({"type": "string"});
    let uint = || json!({"type": "integer", "minimum": 0});
    let address = || json!({"type": "string", "pattern": "^0x[0-9a-fA-F]{40}$"});
    s["StreamFrame"] = json!({"oneOf": [
        {"type": "object", "required": ["type", "transaction", "receipt"], "properties": {
            "type": {"type": "string", "enum": ["transaction"]},
            "transaction": r("Transaction"), "receipt": r("TransactionReceipt")}},
        {"type": "object", "required": ["type", "checkpoint"], "properties": {
            "type": {"type": "string", "enum": ["checkpoint"]}, "checkpoint": r("Checkpoint")}}],
        "description": "One frame of GET /v1/stream."});
    s["ExplorerTxWithReceipt"] = json!({"type": "object", "required": ["transaction", "receipt"],
        "properties": {"transaction": r("Transaction"), "receipt": r("TransactionReceipt")}});
    s["ExplorerOverview"] = json!({"type": "object",
        "required": ["chain_id", "status", "latest_checkpoint", "tokens", "token_count", "accounts", "account_count", "checkpoints", "transactions"],
        "properties": {
            "chain_id": uint(), "status": r("NodeStatus"), "latest_checkpoint": uint(),
            "tokens": {"type": "array", "items": {"type": "object",
                "required": ["address", "symbol", "name", "decimals", "supply", "supply_whole", "is_paused", "is_private", "holders"],
                "properties": {"address": address(), "symbol": string(), "name": string(), "decimals": uint(),
                    "supply": r("U256"), "supply_whole": string(), "is_paused": {"type": "boolean"},
                    "is_private": {"type": "boolean"}, "holders": uint()}}},
            "token_count": uint(),
            "accounts": {"type": "array", "items": {"type": "object",
                "required": ["address", "nonce", "tokens_held", "multisig"],
                "properties": {"address": address(), "nonce": uint(), "tokens_held": uint(), "multisig": {"type": "boolean"}}}},
            "account_count": uint(),
            "checkpoints": {"type": "array", "items": r("Checkpoint")},
            "transactions": {"type": "array", "items": r("ExplorerTxWithReceipt")}}});
    s["ExplorerHolding"] = json!({"type": "object", "required": ["address", "symbol", "balance", "balance_whole"],
        "properties": {"address": address(), "symbol": string(), "balance": r("U256"), "balance_whole": string()}});
    s["ExplorerToken"] = json!({"type": "object", "required": ["address", "metadata", "supply_whole", "issuer", "holders"],
        "properties": {"address": address(), "metadata": r("MintInfo"), "supply_whole": string(), "issuer": address(),
            "holders": {"type": "array", "items": r("ExplorerHolding")}}});
    s["ExplorerAccount"] = json!({"type": "object", "required": ["address", "nonce", "bbnonce", "balances", "multisig"],
        "properties": {"address": address(), "nonce": uint(), "bbnonce": uint(),
            "balances": {"type": "array", "items": r("ExplorerHolding")},
            "multisig": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["members", "threshold"],
                "properties": {"threshold": uint(), "members": {"type": "array", "items": {"type": "object",
                    "required": ["public_key", "weight"], "properties": {
                        "public_key": {"type": "string", "pattern": "^0x0[23][0-9a-f]{64}$"}, "weight": uint()}}}}}]}}});
    s["ExplorerTransaction"] = json!({"type": "object", "required": ["transaction", "receipt", "review", "review_error"],
        "properties": {"transaction": r("Transaction"), "receipt": r("TransactionReceipt"),
            "review": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["scheme", "multisig", "page_width", "pages"],
                "properties": {"scheme": {"type": "string", "enum": ["v1 (legacy)", "v2 (domain-separated)"]},
                    "multisig": {"type": "boolean"}, "page_width": uint(),
                    "pages": {"type": "array", "items": string(), "minItems": 1}}}]},
            "review_error": {"type": ["string", "null"]}}});
    s["ExplorerSearch"] = json!({"type": "object", "required": ["kind", "key"], "properties": {
        "kind": {"type": "string", "enum": ["transaction", "checkpoint", "token", "account"]}, "key": string()}});
}
