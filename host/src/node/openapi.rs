//! The node's OpenAPI document: the stored document
//! (`host/openapi/tokensign-node.openapi.json`, which contains the spec's
//! issue document unchanged) extended here with every route the router
//! has: each operation's `/v1` and `/v2` write (request schemas with every
//! constraint the core enforces that a schema can state), the ledger reads
//! and their error answers. Built once, from the same registry the router
//! uses (`OpType::ALL`), so a route cannot be missing from it. Each
//! operation's fields, their order, kinds and limits are not listed here:
//! they are read from the core's declaration of the operation (its
//! `record!`, as [`OpType::fields`] gives it), with only what the
//! operations' own rules add (`narrow`) stated here.

// `serde_json`'s `value[key] = …` panics only when `value` is neither an
// object nor null; every target here is an object built in this file or of
// the embedded base document (whose shape the OpenAPI tests pin), so the
// indexing stays, for a document that reads like the JSON it makes.
#![allow(clippy::indexing_slicing)]

use std::sync::OnceLock;

use serde_json::{json, Map, Value};
use tokensign_core::field::{FieldSpec, Record, ValueSchema};
use tokensign_core::json::shape;
use tokensign_core::text::TextKind;
use tokensign_core::tx::{limits, Memo, OpType};
use tokensign_core::Field;

use super::error::codes;

/// The stored base document.
const BASE: &str = include_str!("../../openapi/tokensign-node.openapi.json");

/// An address: `0x` + 40 hex digits, all lower or all upper case (the node also takes a
/// valid EIP-55 mixed case, which a pattern cannot state).
pub const ADDRESS_PATTERN: &str = "^0x([0-9a-f]{40}|[0-9A-F]{40})$";
/// A U256 as the node reads it (spec 2.3): decimal (leading zeros read) or `0x`-hex.
pub const U256_PATTERN: &str = "^(0*[0-9]{1,77}|0[xX]0*[0-9a-fA-F]{1,64})$";
/// A positive U256, in the same forms.
pub const POSITIVE_U256_PATTERN: &str =
    "^(0*[1-9][0-9]{0,76}|0[xX]0*[1-9a-fA-F][0-9a-fA-F]{0,63})$";
/// A 32-byte hash.
pub const HASH_PATTERN: &str = "^0x[0-9a-fA-F]{64}$";
/// Printable ASCII: what the schema promises for free text (the node takes more).
const PRINTABLE: &str = "^[ -~]*$";

/// The served document, as JSON text.
pub fn document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc = build();
        serde_json::to_string_pretty(&doc).unwrap_or_else(|_| BASE.to_owned())
    })
}

fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn error_response(description: &str, error_codes: &[&str]) -> Value {
    json!({
        "description": description,
        "x-error-codes": error_codes,
        "content": {"application/json": {"schema": r("RESTErrorData")}},
    })
}

fn text(min: usize, max: usize, pattern: &str) -> Value {
    json!({"type": "string", "minLength": min, "maxLength": max, "pattern": pattern})
}

fn uint(max: u64) -> Value {
    json!({"type": "integer", "minimum": 0, "maximum": max})
}

/// The pattern a text rule is promised with: printable ASCII within what
/// the rule allows (the node accepts more, such as non-ASCII letters; a
/// pattern cannot state which characters a screen shows honestly).
fn text_pattern(rule: TextKind) -> &'static str {
    match rule {
        TextKind::Symbol => "^[A-Za-z0-9]+$",
        TextKind::Shown | TextKind::Identifier => "^[ -~]+$",
        TextKind::Uri => "^[A-Za-z][A-Za-z0-9+.-]*:[!-~]*$",
        TextKind::FreeText => PRINTABLE,
        TextKind::MemoToken => "^[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]*$",
    }
}

/// The JSON schema of a kind's values, with the kind's limits.
fn value_schema(value: &ValueSchema) -> Value {
    match *value {
        ValueSchema::Integer { min, max } => {
            json!({"type": "integer", "minimum": min, "maximum": max})
        }
        ValueSchema::Bool => json!({"type": "boolean"}),
        ValueSchema::Address => r("Address"),
        ValueSchema::Amount => r("U256"),
        ValueSchema::Text {
            min_len,
            max_len,
            rule,
        } => text(min_len, max_len, text_pattern(rule)),
        ValueSchema::Hex {
            min_len: 32,
            max_len: 32,
        } => r("Hash32"),
        ValueSchema::Hex { min_len, max_len } => {
            json!({"type": "string", "pattern": format!("^0x([0-9a-fA-F]{{2}}){{{min_len},{max_len}}}$")})
        }
        ValueSchema::HexNumber { max_len } => {
            json!({"type": "string", "pattern": format!("^0x[0-9a-fA-F]{{1,{}}}$", 2 * max_len)})
        }
        ValueSchema::ByteArray { len } => json!({"type": "array", "minItems": len, "maxItems": len,
            "items": {"type": "integer", "minimum": 0, "maximum": 255}}),
        ValueSchema::Word(words) => json!({"type": "string", "enum": words}),
        ValueSchema::List { max_items, items } => {
            json!({"type": "array", "maxItems": max_items, "items": value_schema(items)})
        }
        ValueSchema::Object(fields) => object_schema(fields),
    }
}

/// The JSON schema of a record's fields as an object.
fn object_schema(fields: &[FieldSpec]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for spec in fields {
        properties.insert(spec.key.into(), field_schema(spec));
        if !spec.optional {
            required.push(spec.key);
        }
    }
    json!({"type": "object", "additionalProperties": false, "required": required, "properties": properties})
}

/// The JSON schema of one field: its kind's, narrowed by the rules of its
/// operation ([`narrow`]).
fn field_schema(spec: &FieldSpec) -> Value {
    let mut schema = value_schema(&spec.value);
    narrow(spec.field, &mut schema);
    schema
}

/// What the operations' own rules (`Op::check`) add to a field's kind, as
/// far as a schema can state it. Only the bounds live here, not the fields:
/// tests/server_openapi/ checks each one against the core.
fn narrow(field: Field, schema: &mut Value) {
    match field {
        Field::Decimals => schema["maximum"] = json!(limits::MAX_DECIMALS),
        Field::SourceChainId | Field::DestinationChainId | Field::SignerWeight => {
            schema["minimum"] = json!(1);
        }
        Field::Threshold => {
            schema["minimum"] = json!(1);
            schema["description"] = json!("at most the sum of the signers' weights");
        }
        Field::Operations => schema["minItems"] = json!(1),
        Field::Signers => schema["minItems"] = json!(limits::MIN_MULTISIG_SIGNERS),
        Field::OperationAmount => *schema = r("PositiveU256"),
        Field::SignerPublicKey => {
            schema["description"] =
                json!("a 33-byte SEC1-compressed secp256k1 key, one number per byte");
        }
        _ => {}
    }
}

/// The request schema of `op` under a scheme (`v1`: `signature`, memo
/// optional; `v2`: `authorization`, memo required): the body's members
/// and the operation's fields as its `record!` declares them.
fn request_schema(op: OpType, v2: bool) -> Value {
    let mut schema = object_schema(op.fields());
    let properties = &mut schema["properties"];
    for member in [shape::CHAIN_ID, shape::NONCE] {
        properties[member.key] = field_schema(&member);
    }
    properties[shape::MEMO.key] = r("Memo");
    let signed_by = if v2 {
        properties[shape::AUTHORIZATION.key] = r("Authorization");
        vec![shape::MEMO.key, shape::AUTHORIZATION.key]
    } else {
        properties[shape::SIGNATURE.key] = r("V1Signature");
        vec![shape::SIGNATURE.key]
    };
    if let Some(required) = schema["required"].as_array_mut() {
        required.splice(
            0..0,
            [shape::CHAIN_ID.key, shape::NONCE.key].map(Value::from),
        );
        required.extend(signed_by.into_iter().map(Value::from));
    }
    schema
}

fn signature_schema() -> Value {
    json!({"type": "object", "additionalProperties": false, "required": ["r", "s", "v"],
        "properties": {
            "r": {"type": "string", "pattern": "^0x[0-9a-fA-F]{64}$"},
            "s": {"type": "string", "pattern": "^0x[0-9a-fA-F]{64}$"},
            "v": {"type": "integer", "enum": [0, 1]}}})
}

fn write_path(op: OpType, v2: bool) -> Value {
    let name = op.name();
    let answer = if op == OpType::TokenIssue {
        "HashWithToken"
    } else {
        "HashAnswer"
    };
    let mut responses = json!({
        "200": {"description": "Admitted and committed (durably, before this answer).",
            "content": {"application/json": {"schema": r(answer)}}},
        "400": error_response("The body: JSON, fields, values (the core's checks), signature",
            &[codes::MALFORMED_JSON, codes::MISSING_FIELD, codes::UNKNOWN_FIELD, codes::DUPLICATE_FIELD,
              codes::INVALID_TYPE, codes::INVALID_NUMBER, codes::INVALID_SYMBOL, codes::INVALID_NAME,
              codes::INVALID_DECIMALS, codes::INVALID_ADDRESS, codes::INVALID_VALUE, codes::INVALID_SIGNATURE,
              codes::DOMAIN_SEPARATED_SIGNATURE_REQUIRED, codes::UNSUPPORTED_AUTHORIZATION_TYPE,
              codes::UNSUPPORTED_MEDIA_TYPE, codes::BODY_TOO_LARGE, codes::BODY_READ_ERROR]),
        "408": error_response("The body did not arrive in time", &[codes::REQUEST_TIMEOUT]),
        "422": error_response("Refused by a ledger rule; nothing was stored, the nonce is not consumed", codes::RULE_CODES),
        "500": error_response("Internal error", &[codes::INTERNAL_ERROR]),
        "503": error_response(UNAVAILABLE, &[codes::DATABASE_UNAVAILABLE]),
    });
    if v2 {
        responses["403"] = error_response(
            "The node is v1_only",
            &[codes::DOMAIN_SEPARATED_SIGNATURE_NOT_ACTIVE],
        );
    } else {
        responses["410"] = error_response(
            "The node is v2_only",
            &[codes::LEGACY_NATIVE_WRITE_ENDPOINT_DISABLED],
        );
    }
    let scheme = if v2 { "v2" } else { "v1" };
    json!({"post": {
        "tags": ["writes"],
        "operationId": format!("{scheme}_{}", name.to_lowercase()),
        "summary": format!("{name} ({} signature)", if v2 { "domain-separated v2" } else { "legacy v1" }),
        "requestBody": {"required": true, "content": {"application/json": {
            "schema": r(&format!("{}{name}Request", if v2 { "V2" } else { "V1" }))}}},
        "responses": responses,
    }})
}

fn query(name: &str, schema: Value, required: bool) -> Value {
    json!({"name": name, "in": "query", "required": required, "schema": schema})
}

fn read_path(tag: &str, id: &str, params: Vec<Value>, answer: Value, not_found: &[&str]) -> Value {
    let mut responses = json!({
        "200": {"description": "The answer", "content": {"application/json": {"schema": answer}}},
        "400": error_response("A query parameter is missing or malformed",
            &[codes::INVALID_QUERY, codes::MISSING_PARAMETER, codes::INVALID_ADDRESS, codes::INVALID_HASH, codes::INVALID_NUMBER, codes::INVALID_VALUE]),
        "500": error_response("Internal error", &[codes::INTERNAL_ERROR]),
        "503": error_response(UNAVAILABLE, &[codes::DATABASE_UNAVAILABLE]),
    });
    if !not_found.is_empty() {
        responses["404"] = error_response("Not found", not_found);
    }
    json!({"get": {"tags": [tag], "operationId": id, "parameters": params, "responses": responses}})
}

/// The 503 of a node on PostgreSQL whose database is unreachable.
const UNAVAILABLE: &str =
    "The node's database (PostgreSQL) cannot be reached, or did not confirm the commit";

fn build() -> Value {
    let mut doc: Value = serde_json::from_str(BASE).unwrap_or_else(|_| json!({}));
    let error_code = &mut doc["components"]["schemas"]["ErrorCode"];
    if let Some(list) = error_code["enum"].as_array_mut() {
        list.push(json!(codes::DATABASE_UNAVAILABLE));
    }
    error_code["x-status"][codes::DATABASE_UNAVAILABLE] = json!(503);
    let schemas = &mut doc["components"]["schemas"];
    // The spec calls an address a plain string; say what the node accepts
    // (keys are only added, so the spec's document stays contained).
    schemas["AddressSchema"]["pattern"] = json!(ADDRESS_PATTERN);
    // The spec's issue fields: add the limits the node enforces (the texts'
    // lengths and characters, the integers' ranges).
    let issue = &mut schemas["TokenIssuePayload"]["properties"];
    let texts = OpType::TokenIssue.fields().iter();
    let texts = texts.filter(|spec| matches!(spec.value, ValueSchema::Text { .. }));
    for spec in texts {
        let schema = field_schema(spec);
        for limit in ["minLength", "maxLength", "pattern"] {
            issue[spec.key][limit] = schema[limit].clone();
        }
    }
    for member in [shape::CHAIN_ID, shape::NONCE] {
        issue[member.key]["maximum"] = field_schema(&member)["maximum"].clone();
    }
    schemas["MintRequest"]["properties"]["recipient_wallet_address"]["pattern"] = json!("^[ -~]+$");
    // Every operation's transactions and receipts.
    let tx = &mut schemas["Transaction"];
    tx["description"] = json!("A committed transaction (section 6): its checkpoint, signer (`from`: the multisig account for a multisig authorization; `signature` then is the first member's), nonce, memo (present when signed), the read-side `transaction_type` and `data`, the operation's fields as the request gave them (plus `token` for TokenCreate and `multisig_address` for CreateMultiSig).");
    tx["properties"]["transaction_type"]["enum"] = json!([
        "TokenCreate",
        "TokenTransfer",
        "BatchPayment",
        "TokenMint",
        "TokenGrantAuthority",
        "TokenRevokeAuthority",
        "TokenBlacklistAccount",
        "TokenWhitelistAccount",
        "TokenBridgeAndMint",
        "TokenBurn",
        "TokenBurnAndBridge",
        "TokenClawback",
        "TokenPause",
        "TokenUnpause",
        "TokenUpdateMetadata",
        "CreateMultiSig"
    ]);
    tx["properties"]["data"] = json!({"type": "object"});
    schemas["TransactionReceipt"]["description"] = json!("The receipt of a committed transaction (section 6). The node refuses at admission, so every stored receipt has success true; fee_used is the fee charged.");
    schemas["Address"] = json!({"type": "string", "pattern": ADDRESS_PATTERN,
        "description": "0x + 40 hex digits, all lower or all upper case. The node also accepts mixed case when it is a valid EIP-55 checksum, which a pattern cannot state; a mixed-case address with a wrong checksum is refused (400 INVALID_ADDRESS)."});
    schemas["U256"] = json!({"type": "string", "pattern": U256_PATTERN});
    schemas["PositiveU256"] = json!({"type": "string", "pattern": POSITIVE_U256_PATTERN});
    schemas["CanonicalU256"] = json!({"type": "string", "pattern": "^(0|[1-9][0-9]{0,77})$"});
    schemas["Hash32"] = json!({"type": "string", "pattern": HASH_PATTERN});
    schemas["Memo"] = object_schema(Memo::FIELDS);
    schemas["V1Signature"] = signature_schema();
    schemas["Authorization"] = json!({"oneOf": [
        {"type": "object", "additionalProperties": false, "required": ["type", "signature"],
         "properties": {"type": {"type": "string", "enum": ["single_secp256k1"]}, "signature": signature_schema()}},
        {"type": "object", "additionalProperties": false, "required": ["type", "account", "signatures"],
         "properties": {"type": {"type": "string", "enum": ["multisig_secp256k1"]},
            "account": r("Address"),
            "signatures": {"type": "array", "minItems": 1, "maxItems": limits::MAX_MULTISIG_SIGNERS,
                "items": {"type": "object", "additionalProperties": false, "required": ["signer_pubkey", "signature"],
                    "properties": {"signer_pubkey": {"type": "string", "pattern": "^0x0[23][0-9a-fA-F]{64}$"},
                        "signature": signature_schema()}}}}}]});
    schemas["HashAnswer"] =
        json!({"type": "object", "required": ["hash"], "properties": {"hash": r("Hash32")}});
    schemas["BbnonceResponse"] = json!({"type": "object", "required": ["bbnonce"], "properties": {"bbnonce": {"type": "integer", "minimum": 0}}});
    schemas["TokenAccount"] = json!({"type": "object", "required": ["balance", "nonce"], "properties": {"balance": r("CanonicalU256"), "nonce": {"type": "integer", "minimum": 0}}});
    schemas["FeeEstimate"] = json!({"type": "object", "required": ["fee"], "properties": {"fee": r("CanonicalU256"), "plan": {"type": ["string", "null"]}}});
    schemas["BatchFeeRequest"] = json!({"type": "object", "additionalProperties": false, "required": ["from", "token", "operations"],
        "properties": {"from": r("Address"), "token": r("Address"),
            "operations": {"type": "array", "minItems": 1, "items": {"type": "object", "additionalProperties": false,
                "required": ["recipient", "amount"], "properties": {"recipient": r("Address"), "amount": r("U256")}}}}});
    schemas["FinalizedReceipt"] = json!({"allOf": [r("TransactionReceipt"), {"type": "object", "required": ["epoch", "counter_signatures"],
        "properties": {"epoch": {"type": "integer", "minimum": 0}, "counter_signatures": {"type": "array", "items": r("Signature")}}}]});
    schemas["CheckpointNumber"] = json!({"type": "object", "required": ["number"], "properties": {"number": {"type": "integer", "minimum": 0}}});
    schemas["Checkpoint"] = json!({"type": "object",
        "required": ["hash", "parent_hash", "state_root", "transactions_root", "receipts_root", "number", "timestamp", "transactions"],
        "properties": {"hash": r("Hash32"), "parent_hash": r("Hash32"), "state_root": r("Hash32"),
            "transactions_root": r("Hash32"), "receipts_root": r("Hash32"),
            "number": {"type": "integer", "minimum": 0}, "timestamp": {"type": "integer", "minimum": 0},
            "size": {"type": "integer", "minimum": 0},
            "transactions": {"type": "array", "items": {"oneOf": [r("Hash32"), r("Transaction")]}}}});
    for &op in OpType::ALL {
        schemas[format!("V2{}Request", op.name())] = request_schema(op, true);
        if op.v1_path().is_some() {
            schemas[format!("V1{}Request", op.name())] = request_schema(op, false);
        }
    }
    let paths = &mut doc["paths"];
    for &op in OpType::ALL {
        paths[op.v2_path()] = write_path(op, true);
        if let Some(path) = op.v1_path() {
            if op == OpType::TokenIssue {
                // The spec's own path: keep it, add what this node answers.
                let spec = &mut paths[path]["post"]["responses"];
                spec["410"] = error_response(
                    "The node is v2_only",
                    &[codes::LEGACY_NATIVE_WRITE_ENDPOINT_DISABLED],
                );
                spec["422"]["x-error-codes"] = json!(codes::RULE_CODES);
            } else {
                paths[path] = write_path(op, false);
            }
        }
    }
    // The base document's reads: their parameters as the node checks them.
    if let Some(all) = paths.as_object_mut() {
        for item in all.values_mut() {
            let params = item
                .get_mut("get")
                .and_then(|g| g.get_mut("parameters"))
                .and_then(Value::as_array_mut);
            if let Some(params) = params {
                for p in params {
                    let schema = match p["name"].as_str() {
                        Some("address" | "token") => r("Address"),
                        Some("hash") => r("Hash32"),
                        _ => continue,
                    };
                    p["schema"] = schema;
                }
            }
        }
    }
    let addr = || r("Address");
    let hash = || r("Hash32");
    let tx_missing: &[&str] = &[codes::TRANSACTION_NOT_FOUND];
    paths["/v1/accounts/bbnonce"] = read_path(
        "accounts",
        "get_account_bbnonce",
        vec![query("address", addr(), true)],
        r("BbnonceResponse"),
        &[],
    );
    paths["/v1/accounts/token_account"] = read_path(
        "accounts",
        "get_token_account",
        vec![query("address", addr(), true), query("token", addr(), true)],
        r("TokenAccount"),
        &[codes::TOKEN_NOT_FOUND],
    );
    paths["/v1/transactions/finalized/by_hash"] = read_path(
        "transactions",
        "get_finalized_by_hash",
        vec![query("hash", hash(), true)],
        r("FinalizedReceipt"),
        tx_missing,
    );
    paths["/v1/transactions/estimate_fee"] = read_path(
        "transactions",
        "estimate_fee",
        vec![
            query("from", addr(), true),
            query("to", addr(), true),
            query("value", r("U256"), true),
            query("token", addr(), true),
        ],
        r("FeeEstimate"),
        &[codes::TOKEN_NOT_FOUND],
    );
    paths["/v1/checkpoints/number"] = read_path(
        "checkpoints",
        "get_checkpoint_number",
        vec![],
        r("CheckpointNumber"),
        &[],
    );
    let full = || query("full", json!({"type": "boolean"}), false);
    paths["/v1/checkpoints/by_number"] = read_path(
        "checkpoints",
        "get_checkpoint_by_number",
        vec![query("number", uint(u64::MAX), true), full()],
        r("Checkpoint"),
        &[codes::CHECKPOINT_NOT_FOUND],
    );
    paths["/v1/checkpoints/by_hash"] = read_path(
        "checkpoints",
        "get_checkpoint_by_hash",
        vec![query("hash", hash(), true), full()],
        r("Checkpoint"),
        &[codes::CHECKPOINT_NOT_FOUND],
    );
    paths["/v1/checkpoints/receipts/by_number"] = read_path(
        "checkpoints",
        "get_checkpoint_receipts",
        vec![query("number", uint(u64::MAX), true)],
        json!({"type": "array", "items": r("TransactionReceipt")}),
        &[codes::CHECKPOINT_NOT_FOUND],
    );
    paths["/v1/transactions/batch_payment/estimate_fee"] = json!({"post": {"tags": ["transactions"],
        "operationId": "estimate_batch_fee",
        "requestBody": {"required": true, "content": {"application/json": {"schema": r("BatchFeeRequest")}}},
        "responses": {
            "200": {"description": "The fee", "content": {"application/json": {"schema": r("FeeEstimate")}}},
            "400": error_response("The body", &[codes::MALFORMED_JSON, codes::INVALID_ADDRESS, codes::INVALID_NUMBER, codes::INVALID_VALUE, codes::UNSUPPORTED_MEDIA_TYPE, codes::BODY_TOO_LARGE, codes::BODY_READ_ERROR]),
            "404": error_response("Unknown token", &[codes::TOKEN_NOT_FOUND]),
            "408": error_response("The body did not arrive in time", &[codes::REQUEST_TIMEOUT]),
            "500": error_response("Internal error", &[codes::INTERNAL_ERROR])}}});
    paths["/v1/transactions/raw"] = json!({"post": {"tags": ["transactions"], "operationId": "raw_removed",
        "description": "Retired on the network: always 410.",
        "responses": {"410": error_response("Removed", &[codes::RAW_TRANSACTION_ENDPOINT_REMOVED])}}});
    paths["/dev/dump_state"] = super::dev_state::openapi_path();
    paths["/api/health"] = json!({"get": {"tags": ["meta"], "operationId": "health",
        "responses": {"200": {"description": "UP", "content": {"text/plain": {"schema": {"type": "string", "enum": ["UP"]}}}}}}});
    super::definition::document(&mut doc);
    doc["info"]["description"] = json!(
        "The tokensign local node: a stand-in for the 1Money Network's REST API with a real ledger \
         (every operation on its /v1 and /v2 path, the reads of the network, the write modes), and the \
         ABC-Lab mint API. Every error of the /v1 and /v2 routes is a RESTErrorData whose `error_code` is \
         one of `ErrorCode`; unknown routes answer 404 NOT_FOUND and a wrong method 405 METHOD_NOT_ALLOWED \
         with an Allow header. See docs/server.md for every rule.");
    super::local_api::extend(&mut doc);
    doc
}
