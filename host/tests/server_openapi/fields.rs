//! The request schemas' operation fields are the core's declaration.

use super::support::*;
use crate::server_common::*;
use serde_json::Value;
use tokensign::node::openapi as node_openapi;
use tokensign_core::field::{FieldSpec, ValueSchema};

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
