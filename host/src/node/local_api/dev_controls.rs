//! The OpenAPI entries of the development controls (`/dev/…`): their
//! paths, bodies and answers, and the receipt's `impersonated` member.

// As in `openapi.rs`: every indexed value is an object built here or of
// the base document, whose shape the OpenAPI tests pin.
#![allow(clippy::indexing_slicing)]

use serde_json::{json, Value};

use tokensign_core::tx::{OpType, MAX_NONCE};

use super::{error, ok, r, TAG};
use crate::api::dev::SEND_CLAWBACK_FROM;
use crate::node::dev::checkpoints::{MAX_INTERVAL, MIN_INTERVAL};
use crate::node::dev::faults::MAX_CODE_LEN;
use crate::node::error::codes;

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
        "503": error("The node's database (PostgreSQL) cannot be reached, or did not confirm \
            the commit", &[codes::DATABASE_UNAVAILABLE]),
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

/// The 501 of snapshot and revert on a node on PostgreSQL.
fn no_snapshots() -> Value {
    error(
        "A node whose state is in PostgreSQL takes no snapshots (run the node on its embedded \
         store for snapshot and revert)",
        &[codes::DEV_CONTROL_UNSUPPORTED_ON_POSTGRES],
    )
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
pub(super) fn extend(doc: &mut Value) {
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
    let snapshot = [("id", uint(u64::MAX)), ("checkpoint", uint(u64::MAX))];
    s["DevSnapshot"] = object(&snapshot, &[]);
    s["DevRevertRequest"] = object(&[("id", uint(u64::MAX))], &[]);
    s["DevReverted"] = object(&snapshot, &[]);
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
            Some(r("DevCheckpointModeRequest")), r("DevCheckpointMode"),
            &[("501", error("interval or manual on a node whose state is in PostgreSQL: its \
                store keeps no transaction out of a checkpoint (run the node on its embedded \
                store for these modes)", &[codes::DEV_CONTROL_UNSUPPORTED_ON_POSTGRES]))])});
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
    paths["/dev/snapshot"] = json!({"post": dev_op("dev_snapshot",
        "Keeps the whole state under a new snapshot id",
        "The ledger, the transactions with their receipts, the checkpoints and the ABC-Lab mints, as anvil's evm_snapshot. Transactions pending in `interval` or `manual` mode are closed into a checkpoint first. Snapshots are durable: they survive a restart of a durable node.",
        None, r("DevSnapshot"), &[("501", no_snapshots())])});
    paths["/dev/revert"] = json!({"post": dev_op("dev_revert",
        "Returns the whole state to a snapshot",
        "As anvil's evm_revert: the state is the snapshot's again (durably), and that snapshot and every later one are used up. Settings (modes, fees, checkpoint mode, faults) are not state and stay.",
        Some(r("DevRevertRequest")), r("DevReverted"),
        &[("404", error("No snapshot with this id (never taken, or used up by a revert)",
            &[codes::SNAPSHOT_NOT_FOUND])), ("501", no_snapshots())])});
}
