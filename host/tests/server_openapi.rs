//! The local server's OpenAPI document: it extends the spec's document,
//! and documents every route, method and error code the server has.

mod server_common;

use serde_json::Value;
use server_common::*;
use tokensign::node::codes;
use tokensign::node::openapi as node_openapi;
use tokensign_core::field::{FieldSpec, ValueSchema};

#[test]
fn openapi_document_extends_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    let node = start(dir.path(), vec![]);
    let served = get(node.addr, "/openapi.json");
    assert_eq!(served.status, 200);
    assert!(served
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let doc = served.json();
    assert_eq!(doc, openapi());

    // The spec's document is contained unchanged (keys may be added).
    let spec: Value =
        serde_json::from_str(include_str!("../openapi/onemoney-issue-token.openapi.json")).unwrap();
    fn contains(big: &Value, small: &Value, path: &str) {
        match (big, small) {
            (Value::Object(b), Value::Object(s)) => {
                for (k, v) in s {
                    let next = format!("{path}/{k}");
                    contains(
                        b.get(k).unwrap_or_else(|| panic!("missing {next}")),
                        v,
                        &next,
                    );
                }
            }
            (Value::Array(b), Value::Array(s)) if path.ends_with("/tags") => {
                for item in s {
                    assert!(b.contains(item), "missing tag {item} at {path}");
                }
            }
            _ => assert_eq!(big, small, "at {path}"),
        }
    }
    contains(&doc, &spec, "");
    // The shared spec copy beside the repo (CI) is the same document.
    if let Ok(text) = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/spec/onemoney-issue-token.openapi.json"),
    ) {
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), spec);
    }

    // Every route the server has is documented, with its methods.
    for (path, method) in [
        ("/v1/tokens/issue", "post"),
        ("/v1/chains/chain_id", "get"),
        ("/v1/accounts/nonce", "get"),
        ("/v1/transactions/by_hash", "get"),
        ("/v1/transactions/receipt/by_hash", "get"),
        ("/v1/tokens/token_metadata", "get"),
        ("/api/tokens/mint", "post"),
        ("/api/status", "get"),
        ("/openapi.json", "get"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} undocumented"
        );
    }
    // Every error code constant is in the ErrorCode enum, and every status
    // used is one of the spec's.
    let listed: Vec<&str> = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for code in [
        codes::MALFORMED_JSON,
        codes::MISSING_FIELD,
        codes::UNKNOWN_FIELD,
        codes::DUPLICATE_FIELD,
        codes::INVALID_TYPE,
        codes::INVALID_NUMBER,
        codes::INVALID_SYMBOL,
        codes::INVALID_NAME,
        codes::INVALID_DECIMALS,
        codes::INVALID_ADDRESS,
        codes::INVALID_HASH,
        codes::INVALID_SIGNATURE,
        codes::INVALID_QUERY,
        codes::MISSING_PARAMETER,
        codes::UNSUPPORTED_MEDIA_TYPE,
        codes::BODY_TOO_LARGE,
        codes::BODY_READ_ERROR,
        codes::WRONG_CHAIN_ID,
        codes::NONCE_MISMATCH,
        codes::SIGNER_NOT_OPERATOR,
        codes::TOKEN_ALREADY_EXISTS,
        codes::SYMBOL_ALREADY_EXISTS,
        codes::NOT_FOUND,
        codes::METHOD_NOT_ALLOWED,
        codes::TRANSACTION_NOT_FOUND,
        codes::TOKEN_NOT_FOUND,
        codes::REQUEST_TIMEOUT,
        codes::INTERNAL_ERROR,
        codes::DATABASE_UNAVAILABLE,
        codes::HOST_NOT_ALLOWED,
        codes::TOO_MANY_CONNECTIONS,
    ] {
        assert!(listed.contains(&code), "{code} not in ErrorCode");
        let status = doc["components"]["schemas"]["ErrorCode"]["x-status"][code]
            .as_u64()
            .unwrap();
        assert!([400, 403, 404, 405, 408, 410, 422, 500, 503].contains(&status));
    }
    for code in codes::RULE_CODES {
        assert!(listed.contains(code), "{code} not in ErrorCode");
        assert_eq!(
            doc["components"]["schemas"]["ErrorCode"]["x-status"][code],
            422
        );
    }
    // With the definition route's own DEFINITION_UNAVAILABLE, the local
    // extensions' NODE_READ_ONLY, UPGRADE_REQUIRED, DEV_CONTROLS_DISABLED
    // and SNAPSHOT_NOT_FOUND, the connections' TOO_MANY_CONNECTIONS and
    // HOST_NOT_ALLOWED, and PostgreSQL's DATABASE_UNAVAILABLE and
    // DEV_CONTROL_UNSUPPORTED_ON_POSTGRES.
    assert_eq!(listed.len(), 69);
}

/// Every write route (each operation on its v1 and v2 path) and every read
/// is in the document; bodies the core writes are valid requests there.
#[test]
fn every_route_is_documented_and_core_bodies_validate() {
    use tokensign_core::native::NativeTx;
    use tokensign_core::tx::{OpType, Payment, Transaction, CHAIN_ID_TESTNET};
    let doc = openapi();
    for &op in OpType::ALL {
        assert!(doc["paths"][op.v2_path()]["post"].is_object(), "{op} v2");
        if let Some(p) = op.v1_path() {
            assert!(doc["paths"][p]["post"].is_object(), "{op} v1");
        }
        assert!(doc["components"]["schemas"][format!("V2{}Request", op.name())].is_object());
    }
    for path in [
        "/v1/accounts/bbnonce",
        "/v1/accounts/token_account",
        "/v1/transactions/finalized/by_hash",
        "/v1/transactions/estimate_fee",
        "/v1/checkpoints/number",
        "/v1/checkpoints/by_number",
        "/v1/checkpoints/by_hash",
        "/v1/checkpoints/receipts/by_number",
        "/api/health",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path}");
    }
    assert!(doc["paths"]["/v1/transactions/batch_payment/estimate_fee"]["post"].is_object());
    assert!(doc["paths"]["/v1/transactions/raw"]["post"].is_object());
    // A v2 payment body as the core writes it is a valid V2PaymentRequest,
    // and its v1 form a valid V1PaymentRequest (addresses lower-cased: the
    // schema states the all-lower and all-upper forms; the EIP-55 form the
    // core writes is accepted too, but a pattern cannot state a checksum).
    let lower =
        |text: &str| -> serde_json::Value { serde_json::from_str(&text.to_lowercase()).unwrap() };
    let pay = Payment {
        recipient: tokensign_core::Address([2; 20]),
        value: tokensign_core::Amount::from_u64(10),
        token: tokensign_core::Address([1; 20]),
    };
    let tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, 3, pay);
    let native = NativeTx::sign(tx.clone(), &key(0x11)).unwrap();
    let mut out = vec![0u8; tokensign_core::json::MAX_NATIVE_JSON_LEN];
    let n = tokensign_core::json::write_native(&native, &mut out).unwrap();
    assert_schema(
        "V2PaymentRequest",
        &lower(std::str::from_utf8(&out[..n]).unwrap()),
    );
    let legacy = tokensign_core::legacy::LegacyTx::sign(tx, &key(0x11)).unwrap();
    assert_schema("V1PaymentRequest", &lower(&body_of(&legacy)));
    assert_schema(
        "TokenIssueRequest",
        &lower(&body_of(&sign(&key(0x11), payload(0, "DOC", Some(true))))),
    );
}

/// A validator of `schema` (which may `$ref` the document's components).
fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [schema],
        "components": doc["components"].clone(),
    });
    jsonschema::validator_for(&schema).expect("schema compiles")
}

/// `schema`, or the component it is a `$ref` to.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(name) => {
            &doc["components"]["schemas"][name.trim_start_matches("#/components/schemas/")]
        }
        None => schema,
    }
}

/// Asserts that the document's `schema` states `value`'s form and limits as
/// the core declares them (an operation's rules may narrow a bound; the
/// bounds are checked against the core itself below).
fn assert_same_form(doc: &Value, value: &ValueSchema, schema: &Value, at: &str) {
    use tokensign_core::field::ValueSchema as V;
    let schema = resolve(doc, schema);
    let accepts = |v: Value| validator(doc, schema).is_valid(&v);
    let n = |k: &str| schema[k].as_u64();
    match *value {
        V::Integer { min, max } => {
            assert_eq!(schema["type"], "integer", "{at}");
            assert!(
                n("minimum").unwrap() >= min && n("maximum").unwrap() <= max,
                "{at}"
            );
        }
        V::Bool => assert_eq!(schema["type"], "boolean", "{at}"),
        V::Address => assert_eq!(schema["pattern"], node_openapi::ADDRESS_PATTERN, "{at}"),
        V::Amount => assert!(accepts("1".into()) && !accepts("1.5".into()), "{at}"),
        V::Text {
            min_len, max_len, ..
        } => {
            assert_eq!(schema["type"], "string", "{at}");
            assert_eq!(n("maxLength"), Some(max_len as u64), "{at}");
            assert!(n("minLength").unwrap() >= min_len as u64, "{at}");
        }
        V::Hex { min_len, max_len } => {
            let hex = |bytes: usize| Value::from(format!("0x{}", "ab".repeat(bytes)));
            assert!(accepts(hex(min_len)) && accepts(hex(max_len)), "{at}");
            assert!(!accepts(hex(max_len + 1)), "{at}");
            assert!(min_len == 0 || !accepts(hex(min_len - 1)), "{at}");
        }
        V::HexNumber { .. } => panic!("{at}: no operation field is a hex number"),
        V::ByteArray { len } => {
            assert_eq!(
                (n("minItems"), n("maxItems")),
                (Some(len as u64), Some(len as u64))
            );
            assert_eq!(schema["items"]["maximum"], 255, "{at}");
        }
        V::Word(words) => assert_eq!(schema["enum"], serde_json::json!(words), "{at}"),
        V::List { max_items, items } => {
            assert_eq!(schema["type"], "array", "{at}");
            assert_eq!(n("maxItems"), Some(max_items as u64), "{at}");
            assert_same_form(doc, items, &schema["items"], &format!("{at}[]"));
        }
        V::Object(fields) => {
            assert_eq!(schema["type"], "object", "{at}");
            assert_eq!(schema["additionalProperties"], false, "{at}");
            let required: Vec<&str> = fields
                .iter()
                .filter(|f| !f.optional)
                .map(|f| f.key)
                .collect();
            assert_eq!(schema["required"], serde_json::json!(required), "{at}");
            assert_fields(doc, fields, schema, &[], at);
        }
    }
}

/// Asserts that `schema`'s properties are `fields` (plus `members`) and
/// each has its field's form.
fn assert_fields(doc: &Value, fields: &[FieldSpec], schema: &Value, members: &[&str], at: &str) {
    let mut expected: Vec<&str> = fields
        .iter()
        .map(|f| f.key)
        .chain(members.iter().copied())
        .collect();
    expected.sort_unstable();
    let properties = schema["properties"].as_object().unwrap();
    assert_eq!(
        properties.keys().map(String::as_str).collect::<Vec<_>>(),
        expected,
        "{at}"
    );
    for spec in fields {
        assert_same_form(
            doc,
            &spec.value,
            &properties[spec.key],
            &format!("{at}.{}", spec.key),
        );
    }
}

/// The request schemas' operation fields are the core's declaration: the
/// same keys, required unless optional, in their order after `chain_id`
/// and `nonce`, each of its kind's form and limits.
#[test]
fn every_operations_request_fields_are_the_cores_declaration() {
    use tokensign_core::json::shape;
    use tokensign_core::tx::OpType;
    let doc = openapi();
    for &op in OpType::ALL {
        let v1 = op.v1_path().map(|_| ("V1", vec![shape::SIGNATURE.key]));
        let v2 = Some(("V2", vec![shape::MEMO.key, shape::AUTHORIZATION.key]));
        for (scheme, signed_by) in [v2, v1].into_iter().flatten() {
            let name = format!("{scheme}{}Request", op.name());
            let request = &doc["components"]["schemas"][&name];
            let mut required = vec![shape::CHAIN_ID.key, shape::NONCE.key];
            required.extend(op.fields().iter().filter(|f| !f.optional).map(|f| f.key));
            required.extend(&signed_by);
            assert_eq!(request["required"], serde_json::json!(required), "{name}");
            let mut members = vec![shape::CHAIN_ID.key, shape::NONCE.key, shape::MEMO.key];
            members.extend(signed_by.iter().filter(|m| **m != shape::MEMO.key));
            assert_fields(&doc, op.fields(), request, &members, &name);
        }
    }
}

/// An example value of `schema` (the smallest it allows; one element for a
/// list that may be empty, so that its elements' bounds are exercised).
/// Public keys are real ones (`keys` counts them): a schema cannot state
/// that 33 bytes are a point of the curve.
fn example(doc: &Value, schema: &Value, keys: &mut u8) -> Value {
    let schema = resolve(doc, schema);
    if let Some(words) = schema["enum"].as_array() {
        return words[0].clone();
    }
    match schema["type"].as_str() {
        Some("object") => {
            let required = schema["required"].as_array().unwrap();
            let mut object = serde_json::Map::new();
            for key in required.iter().map(|k| k.as_str().unwrap()) {
                object.insert(key.into(), example(doc, &schema["properties"][key], keys));
            }
            Value::Object(object)
        }
        Some("array") if schema["minItems"] == 33 && schema["items"]["maximum"] == 255 => {
            *keys += 1;
            serde_json::json!(key(*keys).public_key_compressed().to_vec())
        }
        Some("array") => {
            let count = schema["minItems"].as_u64().unwrap_or(1).max(1);
            (0..count)
                .map(|_| example(doc, &schema["items"], keys))
                .collect()
        }
        Some("integer") => schema["minimum"].clone(),
        Some("boolean") => Value::Bool(false),
        _ => match schema["pattern"].as_str().unwrap() {
            node_openapi::ADDRESS_PATTERN => format!("0x{}", "1".repeat(40)).into(),
            node_openapi::U256_PATTERN | node_openapi::POSITIVE_U256_PATTERN => "1".into(),
            pattern => text_of(
                pattern,
                schema["minLength"].as_u64().unwrap_or(0).max(1) as usize,
            ),
        },
    }
}

/// A text of `len` bytes that `pattern` (one of the document's text
/// patterns) accepts.
fn text_of(pattern: &str, len: usize) -> Value {
    if pattern.starts_with("^0x(") {
        return format!("0x{}", "00".repeat(len)).into();
    }
    let scheme = if pattern.contains(':') { "a:" } else { "" };
    format!("{scheme}{}", "a".repeat(len.saturating_sub(scheme.len()))).into()
}

/// One bound a schema states: where it is (a JSON pointer), the value at
/// the bound (when it is not the example's own), the first value beyond
/// it, and the key of the field it is about.
struct Bound {
    pointer: String,
    at: Option<Value>,
    beyond: Value,
    key: String,
}

/// Every bound `schema` states of `value` and what it holds.
fn bounds(
    doc: &Value,
    schema: &Value,
    value: &Value,
    pointer: &str,
    key: &str,
    keys: &mut u8,
) -> Vec<Bound> {
    let schema = resolve(doc, schema);
    let mut out = Vec::new();
    let mut push = |at: Option<Value>, beyond: Value| {
        out.push(Bound {
            pointer: pointer.to_owned(),
            at,
            beyond,
            key: key.to_owned(),
        })
    };
    if schema["enum"].is_array() {
        push(None, "NotOneOfThem".into());
        return out;
    }
    let n = |k: &str| schema[k].as_u64();
    match schema["type"].as_str() {
        Some("object") => {
            for (k, v) in value.as_object().unwrap() {
                let inner = bounds(
                    doc,
                    &schema["properties"][k],
                    v,
                    &format!("{pointer}/{k}"),
                    k,
                    keys,
                );
                out.extend(inner);
            }
        }
        // A public key's bytes: only its length is a bound (a byte at 255
        // is in range, but not every 33 bytes are a key).
        Some("array") if schema["minItems"] == 33 => {
            let key_of = |len: usize| {
                Value::Array(
                    value
                        .as_array()
                        .unwrap()
                        .iter()
                        .cycle()
                        .take(len)
                        .cloned()
                        .collect(),
                )
            };
            push(None, key_of(34));
            push(None, key_of(32));
        }
        Some("array") => {
            let items = value.as_array().unwrap();
            let grow = |count: u64, keys: &mut u8| -> Value {
                (0..count)
                    .map(|_| example(doc, &schema["items"], keys))
                    .collect()
            };
            if let Some(max) = n("maxItems") {
                let at = grow(max, keys);
                push(Some(at), grow(max + 1, keys));
            }
            if let Some(min) = n("minItems").filter(|m| *m > 0) {
                push(None, Value::Array(items[..min as usize - 1].to_vec()));
            }
            out.extend(bounds(
                doc,
                &schema["items"],
                &items[0],
                &format!("{pointer}/0"),
                key,
                keys,
            ));
        }
        Some("integer") => {
            // Past u64::MAX is not a JSON number serde_json keeps exactly.
            // A description states a rule across fields (a threshold at
            // most the weights' sum), which the maximum alone is not.
            if let Some(max) = n("maximum").filter(|m| *m < u64::MAX) {
                let at = schema.get("description").is_none().then(|| max.into());
                push(at, (max + 1).into());
            }
            if let Some(min) = n("minimum").filter(|m| *m > 0) {
                push(None, (min - 1).into());
            }
        }
        Some("boolean") => {}
        _ => {
            let pattern = schema["pattern"].as_str().unwrap();
            if pattern == node_openapi::POSITIVE_U256_PATTERN {
                push(None, "0".into());
            } else if let Some(bounds) = pattern.strip_prefix("^0x([0-9a-fA-F]{2}){") {
                let max: usize = bounds.split([',', '}']).nth(1).unwrap().parse().unwrap();
                push(Some(text_of(pattern, max)), text_of(pattern, max + 1));
            } else if let Some(max) = n("maxLength") {
                push(
                    Some(text_of(pattern, max as usize)),
                    text_of(pattern, max as usize + 1),
                );
                if n("minLength").is_some_and(|m| m > 0) {
                    push(None, "".into());
                }
            }
        }
    }
    out
}

/// Every bound the document states is the core's: the smallest unsigned
/// document each operation's schema allows parses and passes the core's
/// checks, and for each bound the first value beyond it is refused by the
/// schema and by the core, whose error names that field.
#[test]
fn the_documents_bounds_are_the_cores() {
    use tokensign_core::json::{parse_unsigned, shape};
    use tokensign_core::tx::{OpType, Transaction};
    let doc = openapi();
    let mut checked = 0;
    for &op in OpType::ALL {
        let name = format!("V2{}Request", op.name());
        let mut schema = doc["components"]["schemas"][&name].clone();
        // The unsigned document: no memo, no authorization.
        for member in [shape::MEMO.key, shape::AUTHORIZATION.key] {
            schema["properties"].as_object_mut().unwrap().remove(member);
            schema["required"]
                .as_array_mut()
                .unwrap()
                .retain(|k| k != member);
        }
        let valid = validator(&doc, &schema);
        let mut keys = 0;
        let base = example(&doc, &schema, &mut keys);
        assert!(valid.is_valid(&base), "{name}: {base}");
        let parse = |v: &Value| {
            parse_unsigned::<256, 32>(op, v.to_string().as_bytes()).map(|_: Transaction| ())
        };
        assert_eq!(parse(&base), Ok(()), "{name}: {base}");
        for bound in bounds(&doc, &schema, &base, "", "", &mut keys) {
            let with = |value: Value| {
                let mut changed = base.clone();
                *changed.pointer_mut(&bound.pointer).unwrap() = value;
                changed
            };
            let pointer = &bound.pointer;
            if let Some(at) = bound.at {
                let good = with(at);
                assert!(
                    valid.is_valid(&good),
                    "{name}: the schema refuses its own bound {pointer}"
                );
                assert_eq!(
                    parse(&good),
                    Ok(()),
                    "{name}: the core refuses the bound {pointer}"
                );
            }
            let bad = with(bound.beyond);
            let shown = bad.pointer(pointer).unwrap().to_string();
            assert!(
                !valid.is_valid(&bad),
                "{name}: the schema allows {pointer} = {shown:.80}"
            );
            let refused =
                parse(&bad).expect_err(&format!("{name}: the core allows {pointer} = {shown:.80}"));
            assert_eq!(
                refused.field().map(|f| f.json_key()),
                Some(bound.key.as_str()),
                "{name} {pointer}: {refused}"
            );
            checked += 1;
        }
    }
    assert!(checked > 60, "{checked}");
}
