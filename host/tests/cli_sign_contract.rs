//! The offline signing contract (issue 12, item 5) on every spec vector
//! that gives its fields: `sign --scheme v1|v2 --json` prints `operation,
//! scheme, path, signing_hash, tx_hash, signer, request`, the values the
//! vectors publish; `verify` reads every request back, and
//! `--expect-signer` fails on anyone else. Run in process: a few hundred
//! runs in well under a second.

mod cli_support;

use cli_support::*;
use serde_json::{json, Value};
use tokensign_core::Amount;

const OTHER: &str = "0x0000000000000000000000000000000000000001";

/// A signing document from a vector's payload (nulls are absent fields)
/// and memo.
fn document(operation: &str, payload: &Value, memo: Option<&Value>) -> String {
    let mut doc = serde_json::Map::new();
    doc.insert("operation".into(), json!(operation));
    for (k, v) in payload.as_object().unwrap() {
        if !v.is_null() {
            doc.insert(k.clone(), v.clone());
        }
    }
    if let Some(memo) = memo {
        doc.insert("memo".into(), memo.clone());
    }
    Value::Object(doc).to_string()
}

fn key_file(dir: &std::path::Path) -> String {
    write_file(dir, "k", SPEC_KEY)
}

/// Signs `doc` in `scheme` with the spec key; checks the contract's
/// members and that `verify` reads the body back.
fn sign(doc: &str, scheme: &str, key: &str) -> Value {
    let out = call(
        &[
            "--json",
            "sign",
            "--scheme",
            scheme,
            "--private-key-file",
            key,
        ],
        doc.as_bytes(),
    );
    assert_eq!(out.code, 0, "{doc}: {out:?}");
    let obj = json_of(&out);
    for member in [
        "operation",
        "scheme",
        "path",
        "signing_hash",
        "tx_hash",
        "signer",
        "request",
    ] {
        assert!(obj.get(member).is_some(), "{member} missing: {obj}");
    }
    assert_eq!(obj["scheme"], scheme);
    assert_eq!(obj["signer"], SPEC_ADDRESS);
    let prefix = format!("/{scheme}/");
    assert!(obj["path"].as_str().unwrap().starts_with(&prefix), "{obj}");
    // The wrapper and the bare body both verify, naming the operation.
    let wrapped = out.stdout.clone();
    let verified = call(
        &["--json", "verify", "--expect-signer", SPEC_ADDRESS],
        wrapped.as_bytes(),
    );
    assert_eq!(verified.code, 0, "{verified:?}");
    let v = json_of(&verified);
    assert_eq!(v["operation"], obj["operation"]);
    assert_eq!(v["tx_hash"], obj["tx_hash"]);
    assert_eq!(v["path"], obj["path"]);
    let bare = obj["request"].to_string();
    let verified = call(
        &[
            "--json",
            "verify",
            "--operation",
            obj["operation"].as_str().unwrap(),
        ],
        bare.as_bytes(),
    );
    assert_eq!(json_of(&verified)["signer"], SPEC_ADDRESS, "{verified:?}");
    // Someone else expected: non-zero, and says so.
    let refused = call(&["verify", "--expect-signer", OTHER], wrapped.as_bytes());
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(
        refused.stderr.contains("not by the expected"),
        "{refused:?}"
    );
    obj
}

#[test]
fn legacy_vectors_sign_and_verify_in_both_schemes() {
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(dir.path());
    let file = spec_vectors("legacy-vectors.json");
    let vectors = file["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 14);
    for v in vectors {
        let op = v["operation"].as_str().unwrap();
        let doc = document(op, &v["payload"], v.get("memo"));
        let obj = sign(&doc, "v1", &key);
        assert_eq!(obj["operation"], op);
        assert_eq!(obj["signing_hash"], v["signing_hash"], "{}", v["name"]);
        if let Some(sig) = v.get("signature") {
            // RFC 6979: the same key and digest give the same signature.
            assert_eq!(obj["request"]["signature"], *sig, "{}", v["name"]);
        }
        // The same document as v2 signs and verifies too (no v2 vector
        // gives these fields; the v2 hashes are pinned by the core's tests).
        let v2 = sign(&doc, "v2", &key);
        assert_ne!(v2["signing_hash"], obj["signing_hash"]);
        assert!(v2["request"].get("authorization").is_some(), "{v2}");
    }
}

/// Whether a BatchPayment vector's payload breaks a signer-side rule
/// (spec 2.2): empty, a zero recipient or amount, an operations_hash that
/// is not the vector's own, a total above 2^256-1.
fn must_refuse(v: &Value) -> bool {
    let p = &v["payload"];
    let ops = p["operations"].as_array().unwrap();
    let zero = "0x0000000000000000000000000000000000000000";
    let mut total = Some(Amount::ZERO);
    for op in ops {
        let amount = Amount::parse(op["amount"].as_str().unwrap()).unwrap();
        total = total.and_then(|t| t.checked_add(&amount));
    }
    ops.is_empty()
        || ops
            .iter()
            .any(|o| o["amount"] == "0" || o["recipient"].as_str() == Some(zero))
        || (!p["operations_hash"].is_null()
            && p["operations_hash"] != v["expected"]["operations_hash"])
        || total.is_none()
}

#[test]
fn batch_payment_vectors_sign_to_their_hashes_or_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(dir.path());
    let file = spec_vectors("batch-payment-vectors.json");
    let vectors = file["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 43);
    let mut refused = 0;
    for v in vectors {
        let doc = document("BatchPayment", &v["payload"], v["options"].get("memo"));
        if must_refuse(v) {
            refused += 1;
            let out = call(
                &[
                    "--json",
                    "sign",
                    "--scheme",
                    "v2",
                    "--private-key-file",
                    &key,
                ],
                doc.as_bytes(),
            );
            assert_eq!(out.code, 2, "{}: {out:?}", v["name"]);
            assert_eq!(json_of(&out)["error"]["kind"], "bad_input");
            continue;
        }
        let obj = sign(&doc, "v2", &key);
        assert_eq!(obj["path"], "/v2/transactions/batch_payment");
        assert_eq!(
            obj["signing_hash"], v["expected"]["signing_hash"],
            "{}",
            v["name"]
        );
        assert_eq!(
            obj["tx_hash"], v["expected"]["transaction_hash"],
            "{}",
            v["name"]
        );
        assert_eq!(
            obj["request"]["authorization"]["signature"], v["authorization"],
            "{}",
            v["name"]
        );
        // BatchPayment has no v1 form: refused with the reason.
        let v1 = call(
            &["sign", "--scheme", "v1", "--private-key-file", &key],
            doc.as_bytes(),
        );
        assert_eq!(v1.code, 2, "{v1:?}");
        assert!(v1.stderr.contains("v2"), "{v1:?}");
    }
    // The vectors' README: 22 of the 43 describe refused payloads.
    assert_eq!(refused, 22);
}

#[test]
fn multisig_address_vectors() {
    let file = spec_vectors("multisig-address-vectors.json");
    for v in file["vectors"].as_array().unwrap() {
        let mut args = vec!["multisig".to_owned(), "address".to_owned()];
        for s in v["signers"].as_array().unwrap() {
            args.push("--member".into());
            args.push(format!(
                "{}:{}",
                s["public_key"].as_str().unwrap(),
                s["weight"]
            ));
        }
        args.push("--threshold".into());
        args.push(v["threshold"].to_string());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = call(&args, b"");
        assert_eq!(out.code, 0, "{}: {out:?}", v["name"]);
        assert_eq!(
            out.stdout.trim(),
            v["address"].as_str().unwrap(),
            "{}",
            v["name"]
        );
    }
}

#[test]
fn a_document_without_operation_is_a_v1_token_issue_and_with_one_v2() {
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(dir.path());
    let out = call(
        &["--json", "sign", "--private-key-file", &key],
        spec_payload8(2).as_bytes(),
    );
    let obj = json_of(&out);
    assert_eq!(
        (obj["operation"].as_str(), obj["scheme"].as_str()),
        (Some("TokenIssue"), Some("v1"))
    );
    assert_eq!(obj["path"], "/v1/tokens/issue");
    assert_eq!(
        obj["token"].as_str().unwrap().to_lowercase(),
        tokensign_fixtures::SPEC_TOKEN
    );
    let named = spec_payload8(2).replace('{', "{\"operation\":\"TokenIssue\",");
    let obj = json_of(&call(
        &["--json", "sign", "--private-key-file", &key],
        named.as_bytes(),
    ));
    assert_eq!(
        (obj["scheme"].as_str(), obj["path"].as_str()),
        (Some("v2"), Some("/v2/tokens/issue"))
    );
    // An unknown operation, and a field of another operation, are named.
    let bad = call(
        &["sign", "--private-key-file", &key],
        br#"{"operation":"Teleport","chain_id":1,"nonce":0}"#,
    );
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.contains("unknown operation"), "{bad:?}");
    let bad = call(
        &["sign", "--private-key-file", &key],
        br#"{"operation":"TokenBurn","chain_id":1,"nonce":0,"value":"1","token":"0x0101010101010101010101010101010101010101","recipient":"0x0101010101010101010101010101010101010101"}"#,
    );
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.contains("`recipient`"), "{bad:?}");
}

#[test]
fn sign_lines_signs_every_operation_on_every_core() {
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(dir.path());
    let file = spec_vectors("legacy-vectors.json");
    let docs: Vec<String> = file["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            document(
                v["operation"].as_str().unwrap(),
                &v["payload"],
                v.get("memo"),
            )
        })
        .collect();
    let input = docs.join("\n");
    let out = call(
        &[
            "sign",
            "--lines",
            "--threads",
            "3",
            "--scheme",
            "v1",
            "--private-key-file",
            &key,
        ],
        input.as_bytes(),
    );
    assert_eq!(out.code, 0, "{out:?}");
    let bodies: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(bodies.len(), docs.len());
    for (body, v) in bodies.iter().zip(file["vectors"].as_array().unwrap()) {
        let op = v["operation"].as_str().unwrap();
        let verified = call(&["--json", "verify", "--operation", op], body.as_bytes());
        let obj = json_of(&verified);
        assert_eq!(obj["signing_hash"], v["signing_hash"], "{}", v["name"]);
        assert_eq!(obj["signer"], SPEC_ADDRESS);
    }
}

/// Payment and TokenMint share their fields. A bare v1 body is valid as
/// both (spec 8.1) and verify says so; a bare v2 body is signed for one of
/// them, which `--expect-signer` or `--operation` picks.
#[test]
fn verify_of_a_bare_body_with_shared_fields() {
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(dir.path());
    let doc = r#"{"operation":"Payment","chain_id":1212101,"nonce":0,"recipient":"0x0202020202020202020202020202020202020202","value":"10","token":"0x0101010101010101010101010101010101010101"}"#;
    for (scheme, ambiguous) in [("v1", false), ("v2", true)] {
        let signed = json_of(&call(
            &[
                "--json",
                "sign",
                "--scheme",
                scheme,
                "--private-key-file",
                &key,
            ],
            doc.as_bytes(),
        ));
        let bare = signed["request"].to_string();
        let out = call(&["--json", "verify"], bare.as_bytes());
        if ambiguous {
            assert_eq!(out.code, 2, "{out:?}");
            assert!(out.stderr.contains("Payment and TokenMint"), "{out:?}");
            let out = call(
                &["--json", "verify", "--expect-signer", SPEC_ADDRESS],
                bare.as_bytes(),
            );
            assert_eq!(json_of(&out)["operation"], "Payment", "{out:?}");
            let out = call(
                &["--json", "verify", "--operation", "TokenMint"],
                bare.as_bytes(),
            );
            assert_ne!(json_of(&out)["signer"], SPEC_ADDRESS, "signed as a Payment");
        } else {
            assert_eq!(out.code, 0, "{out:?}");
            let obj = json_of(&out);
            assert_eq!(obj["signer"], SPEC_ADDRESS);
            assert_eq!(obj["also_valid_as"], serde_json::json!(["TokenMint"]));
            let text = call(&["verify"], bare.as_bytes());
            assert!(text.stdout.contains("also a valid TokenMint"), "{text:?}");
        }
    }
}

/// A U256 written with leading zeros or as `0x`-hex (spec 2.3: the
/// network reads both) signs the value it names: the same hashes and
/// signature as its canonical decimal, and the request carries the
/// canonical decimal.
#[test]
fn u256_forms_sign_the_value_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(dir.path());
    let doc = |value: &str| {
        json!({
            "operation": "Payment", "chain_id": 1212101, "nonce": 7,
            "recipient": "0x0202020202020202020202020202020202020202",
            "value": value,
            "token": "0x0101010101010101010101010101010101010101",
        })
        .to_string()
    };
    for scheme in ["v1", "v2"] {
        let canonical = sign(&doc("1000000000000000000"), scheme, &key);
        for value in [
            "0001000000000000000000",
            "0xde0b6b3a7640000",
            "0X0DE0B6B3A7640000",
        ] {
            let other = sign(&doc(value), scheme, &key);
            assert_eq!(other["signing_hash"], canonical["signing_hash"], "{value}");
            assert_eq!(other["tx_hash"], canonical["tx_hash"], "{value}");
            assert_eq!(other["request"], canonical["request"], "{value}");
            assert_eq!(other["request"]["value"], "1000000000000000000");
        }
    }
}
