//! The OpenAPI entries of what this node adds to the network's API, each
//! marked `x-local-extension: true` under the tag `local extension`: the
//! `read_only` refusal on every write, the live stream (`/v1/stream`), the
//! explorer's page and reads (`/explorer`, `/explorer/api/...`), and the
//! development controls (`/dev/...`, [`dev_controls`]). Called once by
//! `openapi::document`.

// As in `openapi.rs`: every indexed value is an object built here or of
// the base document, whose shape the OpenAPI tests pin.
#![allow(clippy::indexing_slicing)]

use serde_json::{json, Value};

use tokensign_core::tx::{OpType, MAX_NONCE};

use super::dev::checkpoints::{MAX_INTERVAL, MIN_INTERVAL};
use super::dev::faults::MAX_CODE_LEN;
use super::error::codes;
use super::openapi::ADDRESS_PATTERN;
use crate::api::dev::SEND_CLAWBACK_FROM;

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
    dev_controls(doc);
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

/// The 400 codes of a development control's JSON body.
const DEV_BODY_CODES: &[&str] = &[
    codes::MALFORMED_JSON,
    codes::MISSING_FIELD,
    codes::UNKNOWN_FIELD,
    codes::DUPLICATE_FIELD,
    codes::INVALID_TYPE,
    codes::INVALID_NUMBER,
    codes::INVALID_ADDRESS,
    codes::INVALID_VALUE,
    codes::UNSUPPORTED_MEDIA_TYPE,
    codes::BODY_TOO_LARGE,
    codes::BODY_READ_ERROR,
];

/// A development control: `body` its request schema (`None`: no body),
/// `answer` its 200 schema, `more` its other answers.
fn dev_op(
    id: &str,
    summary: &str,
    description: &str,
    body: Option<Value>,
    answer: Value,
    more: &[(&str, Value)],
) -> Value {
    let mut responses = json!({
        "200": ok(summary, answer),
        "403": error("The development controls are off on this node (it listens on a non-loopback \
            address without --dev-controls, or was started with --no-dev-controls)",
            &[codes::DEV_CONTROLS_DISABLED]),
        "500": error("Internal error", &[codes::INTERNAL_ERROR]),
    });
    let mut op = json!({"tags": [TAG], "x-local-extension": true, "operationId": id,
        "summary": summary, "description": description});
    if let Some(body) = body {
        op["requestBody"] =
            json!({"required": true, "content": {"application/json": {"schema": body}}});
        responses["400"] = error("The body", DEV_BODY_CODES);
        responses["408"] = error("The body did not arrive in time", &[codes::REQUEST_TIMEOUT]);
    }
    for (status, answer) in more {
        responses[*status] = answer.clone();
    }
    op["responses"] = responses;
    op
}

/// An object schema: `required` members, then optional ones, nothing else.
fn object(required: &[(&str, Value)], optional: &[(&str, Value)]) -> Value {
    let mut properties = serde_json::Map::new();
    for (name, schema) in required.iter().chain(optional) {
        properties.insert((*name).to_owned(), schema.clone());
    }
    let names: Vec<&str> = required.iter().map(|(n, _)| *n).collect();
    json!({"type": "object", "required": names, "properties": properties,
        "additionalProperties": false})
}

/// The body of `POST /dev/send` for `op`: the operation's v2 request
/// without `authorization` (so an unsigned document), `chain_id`, `nonce`
/// and `memo` optional, plus `from` and `operation`.
fn send_body(doc: &Value, op: OpType) -> Value {
    let mut schema = doc["components"]["schemas"][format!("V2{}Request", op.name())].clone();
    // TokenClawback's own `from` is `clawback_from` here.
    let rename = |name: &Value| match name.as_str() {
        Some("from") => json!(SEND_CLAWBACK_FROM),
        _ => name.clone(),
    };
    if let Some(properties) = schema["properties"].as_object_mut() {
        if let Some(holder) = properties.remove("from") {
            properties.insert(SEND_CLAWBACK_FROM.into(), holder);
        }
        properties.remove("authorization");
        properties.insert("from".into(), r("Address"));
        properties.insert(
            "operation".into(),
            json!({"type": "string", "enum": [op.name()]}),
        );
    }
    let required: Vec<Value> = schema["required"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter(|n| {
                    !matches!(
                        n.as_str(),
                        Some("authorization" | "chain_id" | "nonce" | "memo")
                    )
                })
                .map(rename)
                .collect()
        })
        .unwrap_or_default();
    schema["required"] = json!(required);
    if let Some(list) = schema["required"].as_array_mut() {
        list.push(json!("from"));
        list.push(json!("operation"));
    }
    schema
}

/// The development controls (`/dev/…`): their paths and schemas, and the
/// receipt's `impersonated` member.
fn dev_controls(doc: &mut Value) {
    let uint = |max: u64| json!({"type": "integer", "minimum": 0, "maximum": max});
    let write_mode = || json!({"type": "string", "enum": ["v1_only", "dual", "v2_only"]});
    let checkpoint_modes =
        || json!({"type": "string", "enum": ["auto", "per_write", "interval", "manual"]});
    let write_paths: Vec<&str> = OpType::ALL
        .iter()
        .flat_map(|op| op.v1_path().into_iter().chain([op.v2_path()]))
        .collect();
    let send_bodies: Vec<Value> = OpType::ALL.iter().map(|&op| send_body(doc, op)).collect();
    let s = &mut doc["components"]["schemas"];
    s["TransactionReceipt"]["properties"]["impersonated"] = json!({"type": "boolean",
        "x-local-extension": true, "description":
        "Local node only: present and true for a transaction sent by POST /dev/send as its sender, without a signature."});
    s["DevSetBalanceRequest"] = object(
        &[
            ("address", r("Address")),
            ("token", r("Address")),
            ("balance", r("U256")),
        ],
        &[],
    );
    s["DevBalanceSet"] = object(
        &[
            ("address", r("ChecksumAddress")),
            ("token", r("ChecksumAddress")),
            ("balance", r("U256")),
            ("previous", r("U256")),
            ("supply", r("U256")),
        ],
        &[],
    );
    s["DevSetNonceRequest"] = object(
        &[("address", r("Address")), ("nonce", uint(MAX_NONCE))],
        &[],
    );
    s["DevNonceSet"] = object(
        &[
            ("address", r("ChecksumAddress")),
            ("nonce", uint(u64::MAX)),
            ("previous", uint(u64::MAX)),
        ],
        &[],
    );
    s["DevModesRequest"] = object(
        &[],
        &[
            ("write_mode", write_mode()),
            ("read_only", json!({"type": "boolean"})),
        ],
    );
    s["DevModes"] = object(
        &[
            ("write_mode", write_mode()),
            ("read_only", json!({"type": "boolean"})),
        ],
        &[],
    );
    s["DevFeesRequest"] = object(
        &[],
        &[
            ("flat", r("U256")),
            (
                "per_token",
                json!({"type": "object", "propertyNames": r("Address"),
              "additionalProperties": {"oneOf": [r("U256"), {"type": "null"}]}}),
            ),
            ("collector", r("Address")),
        ],
    );
    s["DevFees"] = object(
        &[
            ("flat", r("U256")),
            (
                "per_token",
                json!({"type": "object", "additionalProperties": r("U256")}),
            ),
            (
                "collector",
                json!({"oneOf": [r("ChecksumAddress"), {"type": "null"}]}),
            ),
        ],
        &[],
    );
    let interval = json!({"type": "integer", "minimum": MIN_INTERVAL.as_millis() as u64,
        "maximum": MAX_INTERVAL.as_millis() as u64});
    s["DevCheckpointModeRequest"] = json!({"oneOf": [
        object(&[("mode", json!({"type": "string", "enum": ["auto", "per_write", "manual"]}))], &[]),
        object(&[("mode", json!({"type": "string", "enum": ["interval"]})), ("interval_ms", interval.clone())], &[]),
    ]});
    s["DevCheckpointMode"] = object(
        &[("mode", checkpoint_modes()), ("pending", uint(u64::MAX))],
        &[("interval_ms", interval)],
    );
    s["DevCheckpointClosed"] = object(
        &[
            ("number", uint(u64::MAX)),
            ("hash", r("Hex32")),
            ("transactions", uint(u64::MAX)),
        ],
        &[],
    );
    s["DevFaultRequest"] = object(
        &[
            ("path", json!({"type": "string", "enum": write_paths})),
            (
                "error_code",
                json!({"type": "string", "pattern": format!("^[A-Za-z0-9_]{{1,{MAX_CODE_LEN}}}$")}),
            ),
        ],
        &[
            (
                "status",
                json!({"type": "integer", "minimum": 400, "maximum": 599}),
            ),
            ("count", uint(u64::MAX)),
        ],
    );
    s["DevFaults"] = object(
        &[(
            "faults",
            json!({"type": "array", "items": object(
        &[("path", json!({"type": "string"})), ("status", json!({"type": "integer", "minimum": 400, "maximum": 599})),
          ("error_code", json!({"type": "string"})), ("remaining", uint(u64::MAX))], &[])}),
        )],
        &[],
    );
    s["DevSendRequest"] = json!({"oneOf": send_bodies,
        "description": "An unsigned document of one operation (its name in `operation`, its fields; `chain_id`, `nonce` and `memo` optional) plus `from`, the address to send it as."});

    let paths = &mut doc["paths"];
    paths["/dev/set_balance"] = json!({"post": dev_op("dev_set_balance",
        "Sets a balance; the token's supply follows",
        "Sets `address`'s balance of `token` (base units); the supply moves by the difference, so it stays the sum of the balances. Not a transaction: no record, nonce or checkpoint.",
        Some(r("DevSetBalanceRequest")), r("DevBalanceSet"),
        &[("404", error("No such token", &[codes::TOKEN_NOT_FOUND])),
          ("422", error("The supply would pass 2^256-1", &[codes::AMOUNT_OVERFLOW]))])});
    paths["/dev/set_nonce"] = json!({"post": dev_op("dev_set_nonce",
        "Sets the nonce an account must use next",
        "Any address, a multisig account included; its bridge nonce stays. Not a transaction.",
        Some(r("DevSetNonceRequest")), r("DevNonceSet"), &[])});
    paths["/dev/send"] = json!({"post": dev_op("dev_send",
        "Sends any operation as any address, without its key (impersonation)",
        "The ledger applies it as if `from` had signed it alone (every rule but the signature). Its hash is keccak-256 of its v2 signing hash followed by the sender's 20 bytes; the transaction shows an all-zero signature, and its receipt `impersonated: true`. `chain_id` defaults to the node's, `nonce` to the sender's next.",
        Some(r("DevSendRequest")), json!({"anyOf": [r("HashWithToken"), r("HashAnswer")]}),
        &[("422", error("Refused by a ledger rule; nothing was stored", codes::RULE_CODES))])});
    paths["/dev/modes"] = json!({
        "get": dev_op("dev_modes", "The write mode and read_only", "", None, r("DevModes"), &[]),
        "post": dev_op("dev_set_modes", "Switches the write mode and read_only",
            "An absent member stays as it is. Applies to the writes that arrive after the answer; GET /api/status reports it.",
            Some(r("DevModesRequest")), r("DevModes"), &[])});
    paths["/dev/fees"] = json!({
        "get": dev_op("dev_fees", "The Payment and BatchPayment fees", "", None, r("DevFees"), &[]),
        "post": dev_op("dev_set_fees", "Changes the Payment and BatchPayment fees",
            "An absent member stays as it is; a per-token fee of null removes it. Applies to the writes sent after the answer, and to the estimates.",
            Some(r("DevFeesRequest")), r("DevFees"), &[])});
    paths["/dev/checkpoint_mode"] = json!({
        "get": dev_op("dev_checkpoint_mode", "When checkpoints close, and how many transactions are pending", "", None, r("DevCheckpointMode"), &[]),
        "post": dev_op("dev_set_checkpoint_mode", "Switches when checkpoints close",
            "auto (default): each commit closes one over what it admitted; per_write: one per transaction; interval: one every interval_ms over what is pending; manual: only POST /dev/checkpoint. Leaving interval or manual for auto or per_write closes one over what is pending.",
            Some(r("DevCheckpointModeRequest")), r("DevCheckpointMode"), &[])});
    paths["/dev/checkpoint"] = json!({"post": dev_op("dev_checkpoint",
        "Closes a checkpoint now over every pending transaction (an empty one if none)",
        "", None, r("DevCheckpointClosed"), &[])});
    paths["/dev/faults"] = json!({
        "get": dev_op("dev_faults", "The armed faults", "", None, r("DevFaults"), &[]),
        "post": dev_op("dev_arm_fault", "Makes the next writes on a path answer an error",
            "The next `count` (default 1; 0 disarms) POSTs to `path` answer `status` (default: the node's status for its own code, else 500) with a RESTErrorData carrying `error_code`, before anything else happens. Those answers may lie outside the write's documented ones: that is their purpose.",
            Some(r("DevFaultRequest")), r("DevFaults"), &[])});
    paths["/dev/clear_faults"] = json!({"post": dev_op("dev_clear_faults", "Disarms every fault",
        "", None, r("DevFaults"), &[])});
}
