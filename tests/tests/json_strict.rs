//! The JSON parsers are strict for every operation, every member, at every
//! depth (the operation's fields, list elements, the memo, the signature,
//! the authorization and its members): a missing required member, a
//! duplicated member, a member of the wrong JSON type and an unknown member
//! are each refused with an error that names that member.
//!
//! Bodies are valid ones (generated, fixed seed) with one member changed.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value};
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, NativeTx};
use tokensign_core::{json, Error, JsonError, OpType, Transaction};
use tokensign_tests::strategies;

/// Which parser reads a body.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Document,
    Legacy,
    Native,
}

fn parse(shape: Shape, op: OpType, body: &[u8]) -> Result<(), Error> {
    match shape {
        Shape::Document => json::parse_document::<256, 32>(body).map(|_| ()),
        Shape::Legacy => json::parse_legacy::<256, 32>(op, body).map(|_| ()),
        Shape::Native => json::parse_native::<256, 32>(op, body).map(|_| ()),
    }
}

/// Members that may be left out: optional fields, and the memo outside v2.
fn optional(key: &str, shape: Shape, path: &[String]) -> bool {
    match key {
        "clawback_enabled" | "operations_hash" | "batch_id" => path.is_empty(),
        "memo" => path.is_empty() && !matches!(shape, Shape::Native),
        // The operation's name: without it a document is a TokenIssue.
        "operation" => true,
        _ => false,
    }
}

/// A value of another JSON type than `v`.
fn mistyped(v: &Value) -> Value {
    match v {
        Value::String(_) => Value::from(7),
        Value::Number(_) => Value::from("7"),
        Value::Bool(_) => Value::from("true"),
        Value::Array(_) => Value::Object(Map::new()),
        Value::Object(_) => Value::Array(vec![]),
        Value::Null => Value::from(true),
    }
}

/// The object at `path` (keys, and `0` for a list's first element).
fn object_at<'v>(root: &'v mut Value, path: &[String]) -> &'v mut Map<String, Value> {
    let mut v = root;
    for step in path {
        v = match v {
            Value::Array(a) => &mut a[step.parse::<usize>().expect("an index")],
            Value::Object(o) => o.get_mut(step).expect("a member"),
            _ => panic!("no object at {path:?}"),
        };
    }
    v.as_object_mut().expect("an object")
}

/// Every object in `v`, by path (a list's first element stands for all).
fn objects(v: &Value, path: Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(o) => {
            out.push(path.clone());
            for (k, child) in o {
                let mut p = path.clone();
                p.push(k.clone());
                objects(child, p, out);
            }
        }
        Value::Array(a) => {
            if let Some(first) = a.first() {
                let mut p = path;
                p.push("0".into());
                objects(first, p, out);
            }
        }
        _ => {}
    }
}

/// The body with the object at `path` written with `key` twice.
fn with_duplicate(root: &Value, path: &[String], key: &str) -> Vec<u8> {
    let mut marked = root.clone();
    let obj = object_at(&mut marked, path);
    let original = Value::Object(obj.clone());
    *obj = Map::new();
    obj.insert("__dup__".into(), Value::Null);
    let text = serde_json::to_string(&marked).unwrap();
    let inner = serde_json::to_string(&original).unwrap();
    let value = serde_json::to_string(&original[key]).unwrap();
    let doubled = format!("{{\"{key}\":{value},{}", &inner[1..]);
    text.replace("{\"__dup__\":null}", &doubled).into_bytes()
}

fn names(e: &Error, key: &str) -> bool {
    e.field().is_some_and(|f| f.json_key() == key)
}

fn check_body(shape: Shape, op: OpType, body: &[u8], what: &str) -> usize {
    assert_eq!(parse(shape, op, body), Ok(()), "{what}: the valid body");
    let root: Value = serde_json::from_slice(body).unwrap();
    let mut paths = Vec::new();
    objects(&root, Vec::new(), &mut paths);
    let mut checked = 0;
    for path in &paths {
        let keys: Vec<String> = object_at(&mut root.clone(), path).keys().cloned().collect();
        let at = |k: &str| format!("{what} {shape:?} {}/{k}", path.join("/"));
        // Unknown.
        let mut v = root.clone();
        object_at(&mut v, path).insert("zzz_unknown".into(), Value::from(1));
        let e = parse(shape, op, &serde_json::to_vec(&v).unwrap()).unwrap_err();
        assert!(
            matches!(e, Error::Json(JsonError::UnknownField(k)) if k.as_str() == "zzz_unknown"),
            "{}: {e:?}",
            at("zzz_unknown")
        );
        for key in &keys {
            if key == "operation" {
                continue; // read first, by its own pass
            }
            // Missing.
            let mut v = root.clone();
            object_at(&mut v, path).remove(key);
            let got = parse(shape, op, &serde_json::to_vec(&v).unwrap());
            if !optional(key, shape, path) {
                let e = got.unwrap_err();
                assert!(
                    matches!(e, Error::Json(JsonError::MissingField(f)) if f.json_key() == key),
                    "{} missing: {e:?}",
                    at(key)
                );
            }
            // Duplicated.
            let e = parse(shape, op, &with_duplicate(&root, path, key)).unwrap_err();
            assert!(
                matches!(e, Error::Json(JsonError::DuplicateField(f)) if f.json_key() == key),
                "{} twice: {e:?}",
                at(key)
            );
            // Mistyped.
            let mut v = root.clone();
            let obj = object_at(&mut v, path);
            let wrong = mistyped(&obj[key.as_str()]);
            obj.insert(key.clone(), wrong);
            let e = parse(shape, op, &serde_json::to_vec(&v).unwrap()).unwrap_err();
            assert!(names(&e, key), "{} mistyped: {e:?}", at(key));
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_member_of_every_body_is_checked() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[9; 32]),
    );
    let mut total = 0;
    for &op in OpType::ALL {
        let txs = strategies::transaction_for::<256, 32>(op);
        let auth = strategies::authorization();
        let sig = strategies::signature();
        for i in 0..6 {
            let tx: Transaction = txs.new_tree(&mut runner).unwrap().current();
            let what = format!("{op} #{i}");
            let mut buf = vec![0u8; json::MAX_NATIVE_JSON_LEN];
            let n = json::write_document(&tx, &mut buf).unwrap();
            total += check_body(Shape::Document, op, &buf[..n], &what);
            let signed = NativeTx {
                tx: native::normalize(tx.clone()),
                authorization: auth.new_tree(&mut runner).unwrap().current(),
            };
            let n = json::write_native(&signed, &mut buf).unwrap();
            total += check_body(Shape::Native, op, &buf[..n], &what);
            if legacy::supports(op) {
                let signature = sig.new_tree(&mut runner).unwrap().current();
                let n = json::write_legacy(&LegacyTx { tx, signature }, &mut buf).unwrap();
                total += check_body(Shape::Legacy, op, &buf[..n], &what);
            }
        }
    }
    assert!(total > 2_000, "only {total} members checked");
}

/// Nesting deeper than any valid body is refused by every JSON parser of
/// every operation with `TooDeep`, up to the input limit, on a small stack
/// (the reader must not recurse once per level); nesting within the limit
/// gets the ordinary errors.
#[test]
fn deep_nesting_is_refused_without_recursion() {
    use tokensign_core::field::json_read::MAX_JSON_DEPTH;
    let run = || {
        let levels = (json::MAX_JSON_INPUT_LEN - 64) / 2;
        let shapes = [
            format!("{{\"x\":{}{}}}", "[".repeat(levels), "]".repeat(levels)),
            format!(
                "{{\"operation\":\"BatchPayment\",\"operations\":{}1{}}}",
                "[".repeat(levels / 3),
                "]".repeat(levels / 3)
            ),
            format!(
                "{{\"memo\":{}\"\"{}}}",
                "{\"type\":".repeat(levels / 8),
                "}".repeat(levels / 8)
            ),
        ];
        let too_deep = Some(Error::Json(JsonError::TooDeep));
        for doc in &shapes {
            let doc = doc.as_bytes();
            assert!(doc.len() <= json::MAX_JSON_INPUT_LEN);
            assert_eq!(json::parse_document::<2, 2>(doc).err(), too_deep);
            for &op in OpType::ALL {
                assert_eq!(
                    json::parse_unsigned::<2, 2>(op, doc).err(),
                    too_deep,
                    "{op}"
                );
                assert_eq!(json::parse_native::<2, 2>(op, doc).err(), too_deep, "{op}");
                if legacy::supports(op) {
                    assert_eq!(json::parse_legacy::<2, 2>(op, doc).err(), too_deep, "{op}");
                }
            }
        }
        // At the limit: read, and refused for what it is.
        let at_limit = format!(
            "{{\"x\":{}{}}}",
            "[".repeat(MAX_JSON_DEPTH - 1),
            "]".repeat(MAX_JSON_DEPTH - 1)
        );
        let e = json::parse_document::<2, 2>(at_limit.as_bytes()).unwrap_err();
        assert!(
            matches!(e, Error::Json(JsonError::UnknownField(_))),
            "{e:?}"
        );
    };
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(run)
        .unwrap()
        .join()
        .expect("no stack overflow, no panic");
}

/// A document says its operation however JSON spells it: the key and the
/// name may be escaped, and read as any JSON reader reads them.
#[test]
fn the_operation_may_be_escaped() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[10; 32]),
    );
    for &op in OpType::ALL {
        let tx: Transaction = strategies::transaction_for::<256, 32>(op)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let mut buf = vec![0u8; json::MAX_DOCUMENT_JSON_LEN];
        let n = json::write_document(&tx, &mut buf).unwrap();
        let text = std::str::from_utf8(&buf[..n]).unwrap();
        let plain = format!("\"operation\":\"{}\"", op.name());
        assert!(text.contains(&plain));
        let name = op.name();
        let escaped = format!(
            "\"oper\\u0061tion\":\"\\u{:04x}{}\"",
            u32::from(name.as_bytes()[0]),
            &name[1..]
        );
        let doc = text.replacen(&plain, &escaped, 1);
        assert_eq!(
            json::parse_document::<256, 32>(doc.as_bytes()),
            Ok(tx),
            "{op}: {doc}"
        );
    }
}
