//! What docs/server.md says of refusals is what the node does: the body
//! limit, `INVALID_NUMBER` for every number out of its range, messages that
//! promise only values the node accepts.

use crate::server_common::*;
use serde_json::{json, Value};
use tokensign::node::codes;
use tokensign_core::tx::CHAIN_ID_TESTNET;

/// docs/server.md, the codes and the messages agree: the documented body
/// limit is the node's; a number outside its field's range is
/// `INVALID_NUMBER` wherever it is (a JSON integer beyond its type, zero
/// where a positive one is needed, a U256 beyond 2^256-1, a threshold above
/// the weights), and no message promises a value the node refuses.
#[test]
fn docs_codes_and_messages_agree() {
    use tokensign_core::native::NativeTx;
    use tokensign_core::tx::{CreateMultiSig, MultisigSigner, Payment, Transaction};

    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/server.md")).unwrap();
    let limit = tokensign::node::DEFAULT_BODY_LIMIT;
    let grouped = {
        let digits = limit.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    assert!(
        docs.contains(&format!("default {grouped} bytes")),
        "docs/server.md does not give the body limit {grouped}"
    );

    let dir = tempfile::tempdir().unwrap();
    let node = start(dir.path(), vec![addr(&operator())]);
    let a = node.addr;
    let r = raw_partial(
        a,
        &format!("POST /v2/transactions/payment HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}", limit + 1),
        b"",
    );
    r.assert_error(400, codes::BODY_TOO_LARGE);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains(&limit.to_string()),
        "{}",
        r.body
    );

    let key = outsider();
    let members = [
        key.public_key_compressed(),
        operator().public_key_compressed(),
    ];
    let mut signers = heapless::Vec::new();
    for public_key in members {
        signers
            .push(MultisigSigner {
                public_key: tokensign_core::field::KeyAsIntegers(public_key),
                weight: 1,
            })
            .unwrap();
    }
    let create = CreateMultiSig {
        signers,
        threshold: 2,
    };
    let tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, 0, create);
    let signed = NativeTx::sign(tx, &key).unwrap();
    let mut out = vec![0u8; tokensign_core::json::MAX_NATIVE_JSON_LEN];
    let n = tokensign_core::json::write_native(&signed, &mut out).unwrap();
    let body: Value = serde_json::from_slice(&out[..n]).unwrap();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = body.clone();
        f(&mut v);
        v.to_string()
    };
    for (what, changed, message) in [
        (
            "weight 256",
            with(&|v| v["signers"][0]["weight"] = json!(256)),
            "at most 255",
        ),
        (
            "weight 0",
            with(&|v| v["signers"][0]["weight"] = json!(0)),
            "must not be zero",
        ),
        (
            "weight -1",
            with(&|v| v["signers"][0]["weight"] = json!(-1)),
            "",
        ),
        (
            "threshold 65536",
            with(&|v| v["threshold"] = json!(65536)),
            "at most 65535",
        ),
        (
            "threshold 0",
            with(&|v| v["threshold"] = json!(0)),
            "must not be zero",
        ),
        (
            "threshold above the weights",
            with(&|v| v["threshold"] = json!(3)),
            "between 1 and 2",
        ),
        (
            "chain_id 2^63",
            with(&|v| v["chain_id"] = json!(1u64 << 63)),
            "",
        ),
    ] {
        let r = post_json(a, "/v2/accounts/multisig", &changed);
        r.assert_error(400, codes::INVALID_NUMBER);
        let text = r.json()["message"].as_str().unwrap().to_owned();
        assert!(text.contains(message), "{what}: {text}");
        assert!(!text.contains("between 0 and"), "{what}: {text}");
    }
    let pay = Payment {
        recipient: addr(&operator()),
        value: tokensign_core::Amount::from_u64(1),
        token: addr(&operator()),
    };
    let signed: NativeTx =
        NativeTx::sign(Transaction::new(CHAIN_ID_TESTNET, 0, pay), &key).unwrap();
    let n = tokensign_core::json::write_native(&signed, &mut out).unwrap();
    let body = String::from_utf8(out[..n].to_vec()).unwrap();
    let over = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
    for bad in [over, "1.5", "-1", "1e3", ""] {
        let changed = body.replace(r#""value":"1""#, &format!(r#""value":"{bad}""#));
        post_json(a, "/v2/transactions/payment", &changed).assert_error(400, codes::INVALID_NUMBER);
    }
}
