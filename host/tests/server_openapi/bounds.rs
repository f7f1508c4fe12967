//! Every bound the document states is the core's.

use super::support::*;
use crate::server_common::*;
use serde_json::Value;
use tokensign::node::openapi as node_openapi;

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
