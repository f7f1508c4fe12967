//! Every refusal of `POST /v1/tokens/issue`: bodies, content types, sizes,
//! slow bodies, routes, methods and queries, each with its status and code,
//! and none changing the ledger.

use crate::server_common::*;
use serde_json::{json, Value};
use tokensign::node::{codes, NodeConfig};
use tokensign_core::tx::{OpType, CHAIN_ID_MAINNET, CHAIN_ID_TESTNET};
use tokensign_core::Address;

/// Every refusal of `POST /v1/tokens/issue`, each with status and code.
fn bad_inputs_table() {
    let dir = tempfile::tempdir().unwrap();
    let op = operator();
    let mut config = NodeConfig::new(
        dir.path().to_path_buf(),
        vec![addr(&op), addr(&operator2())],
    );
    config.body_timeout = std::time::Duration::from_secs(2);
    let node = start_with(config);
    let a = node.addr;

    // State: operator has nonce 1 after issuing TAKEN; operator2 will try it.
    let first = sign(&op, payload(0, "TAKEN", None));
    assert_eq!(issue(a, &first).status, 200);

    let good = sign(&op, payload(1, "FRESH", None));
    let good_body: Value = serde_json::from_str(&body_of(&good)).unwrap();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = good_body.clone();
        f(&mut v);
        v.to_string()
    };
    // high-S: s' = n - s, v flipped is still a valid signature mathematically.
    let n =
        hex::decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141").unwrap();
    let s = good.signature.s;
    let mut high = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = n[i] as i16 - s[i] as i16 - borrow;
        borrow = if d < 0 { 1 } else { 0 };
        high[i] = (d + if d < 0 { 256 } else { 0 }) as u8;
    }
    let high_s = with(&|v| {
        v["signature"]["s"] = json!(hex0x(&high));
        v["signature"]["v"] = json!(1 - good.signature.v);
    });

    let cases: Vec<(&str, String, u16, &str)> = vec![
        (
            "malformed JSON",
            "{\"chain_id\":".into(),
            400,
            codes::MALFORMED_JSON,
        ),
        ("not an object", "[1,2]".into(), 400, codes::MALFORMED_JSON),
        ("empty body", "".into(), 400, codes::MALFORMED_JSON),
        (
            "trailing",
            format!("{} x", body_of(&good)),
            400,
            codes::MALFORMED_JSON,
        ),
        (
            "missing nonce",
            with(&|v| {
                v.as_object_mut().unwrap().remove("nonce");
            }),
            400,
            codes::MISSING_FIELD,
        ),
        (
            "missing signature",
            with(&|v| {
                v.as_object_mut().unwrap().remove("signature");
            }),
            400,
            codes::MISSING_FIELD,
        ),
        (
            "missing v",
            with(&|v| {
                v["signature"].as_object_mut().unwrap().remove("v");
            }),
            400,
            codes::MISSING_FIELD,
        ),
        (
            "extra field",
            with(&|v| {
                v["extra"] = json!(1);
            }),
            400,
            codes::UNKNOWN_FIELD,
        ),
        (
            "duplicate field",
            body_of(&good).replacen("{", "{\"nonce\":1,", 1),
            400,
            codes::DUPLICATE_FIELD,
        ),
        (
            "nonce as string",
            with(&|v| {
                v["nonce"] = json!("1");
            }),
            400,
            codes::INVALID_TYPE,
        ),
        (
            "is_private as int",
            with(&|v| {
                v["is_private"] = json!(0);
            }),
            400,
            codes::INVALID_TYPE,
        ),
        (
            "negative nonce",
            with(&|v| {
                v["nonce"] = json!(-1);
            }),
            400,
            codes::INVALID_NUMBER,
        ),
        // A fraction where an integer is due is an invalid number of that
        // field.
        (
            "fractional chain id",
            body_of(&good).replace("1212101", "1212101.5"),
            400,
            codes::INVALID_NUMBER,
        ),
        (
            "nonce above i64",
            with(&|v| {
                v["nonce"] = json!(u64::MAX);
            }),
            400,
            codes::INVALID_NUMBER,
        ),
        (
            "empty symbol",
            with(&|v| {
                v["symbol"] = json!("");
            }),
            400,
            codes::INVALID_SYMBOL,
        ),
        (
            "symbol with dash",
            with(&|v| {
                v["symbol"] = json!("AB-C");
            }),
            400,
            codes::INVALID_SYMBOL,
        ),
        (
            "symbol too long",
            with(&|v| {
                v["symbol"] = json!("A".repeat(21));
            }),
            400,
            codes::INVALID_SYMBOL,
        ),
        (
            "empty name",
            with(&|v| {
                v["name"] = json!("");
            }),
            400,
            codes::INVALID_NAME,
        ),
        (
            "name with bidi override",
            with(&|v| {
                v["name"] = json!("a\u{202e}b");
            }),
            400,
            codes::INVALID_NAME,
        ),
        (
            "decimals 19",
            with(&|v| {
                v["decimals"] = json!(19);
            }),
            400,
            codes::INVALID_DECIMALS,
        ),
        (
            "bad address",
            with(&|v| {
                v["master_authority"] = json!("0x1234");
            }),
            400,
            codes::INVALID_ADDRESS,
        ),
        (
            "bad checksum",
            with(&|v| {
                v["master_authority"] = json!("0x2045a425D0e131E747f8be2F044413733e412d7D");
            }),
            400,
            codes::INVALID_ADDRESS,
        ),
        (
            "v = 27",
            with(&|v| {
                v["signature"]["v"] = json!(27);
            }),
            400,
            codes::INVALID_SIGNATURE,
        ),
        ("high-S", high_s, 400, codes::INVALID_SIGNATURE),
        (
            "r not hex",
            with(&|v| {
                v["signature"]["r"] = json!("0xzz");
            }),
            400,
            codes::INVALID_SIGNATURE,
        ),
        (
            "r zero",
            with(&|v| {
                v["signature"]["r"] = json!(format!("0x{}", "0".repeat(64)));
            }),
            400,
            codes::INVALID_SIGNATURE,
        ),
        (
            "wrong chain id",
            body_of(&sign(
                &op,
                payload_with(CHAIN_ID_MAINNET, 1, "FRESH", master(), None),
            )),
            422,
            codes::WRONG_CHAIN_ID,
        ),
        (
            "replayed transaction (the same bytes again)",
            body_of(&first),
            422,
            codes::DUPLICATE_TRANSACTION,
        ),
        (
            "future nonce",
            body_of(&sign(&op, payload(5, "FRESH", None))),
            422,
            codes::NONCE_MISMATCH,
        ),
        (
            "non-operator signer",
            body_of(&sign(&outsider(), payload(0, "FRESH", None))),
            422,
            codes::SIGNER_NOT_OPERATOR,
        ),
        (
            "tampered payload (other signer recovered)",
            with(&|v| {
                v["name"] = json!("Other name");
            }),
            422,
            codes::SIGNER_NOT_OPERATOR,
        ),
        (
            "same token again",
            body_of(&sign(&operator2(), payload(0, "TAKEN", None))),
            422,
            codes::TOKEN_ALREADY_EXISTS,
        ),
        (
            "duplicate symbol",
            body_of(&sign(
                &operator2(),
                payload_with(CHAIN_ID_TESTNET, 0, "TAKEN", Address::ZERO, None),
            )),
            422,
            codes::SYMBOL_ALREADY_EXISTS,
        ),
    ];
    for (what, body, status, code) in &cases {
        // 400s are exactly the core's verdict, mapped.
        if *status == 400 {
            let err =
                tokensign_core::json::parse_legacy::<256, 32>(OpType::TokenIssue, body.as_bytes())
                    .and_then(|r| r.signer().map(|_| ()))
                    .expect_err(what);
            assert_eq!(
                tokensign::node::core_error_code(err),
                *code,
                "{what}: {err}"
            );
        }
        let resp = post_json(a, "/v1/tokens/issue", body);
        assert_eq!(resp.status, *status, "{what}: {}", resp.body);
        assert_eq!(resp.json()["error_code"], *code, "{what}: {}", resp.body);
        resp.assert_error(*status, code);
    }
    // The message names the precise cause (the core's Display).
    let r = post_json(
        a,
        "/v1/tokens/issue",
        &with(&|v| {
            v["signature"]["v"] = json!(27);
        }),
    );
    assert_eq!(
        r.json()["message"],
        tokensign_core::Error::InvalidRecoveryId.to_string()
    );
    let r = post_json(
        a,
        "/v1/tokens/issue",
        &with(&|v| {
            v.as_object_mut().unwrap().remove("nonce");
        }),
    );
    assert!(
        r.json()["message"].as_str().unwrap().contains("nonce"),
        "{}",
        r.body
    );

    // Content type.
    request(a, "POST", "/v1/tokens/issue", Some("text/plain"), b"{}")
        .assert_error(400, codes::UNSUPPORTED_MEDIA_TYPE);
    request(a, "POST", "/v1/tokens/issue", None, b"{}")
        .assert_error(400, codes::UNSUPPORTED_MEDIA_TYPE);
    // Parameters are allowed.
    let r = request(
        a,
        "POST",
        "/v1/tokens/issue",
        Some("application/json; charset=utf-8"),
        b"{",
    );
    r.assert_error(400, codes::MALFORMED_JSON);

    // Oversize body: a declared length above the limit, refused before it is read.
    raw_partial(
        a,
        &format!("POST /v1/tokens/issue HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}", 1 << 20),
        b"",
    )
    .assert_error(400, codes::BODY_TOO_LARGE);
    // (A longer body without a declared length is covered in-process by
    // `router_in_process_oneshot`, where no bytes stay unread on a socket.)

    // Slow body: half of it, then nothing: 408 with a RESTErrorData body.
    let r = raw_partial(
        a,
        "POST /v1/tokens/issue HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 100",
        b"{\"chain_id\":",
    );
    r.assert_error(408, codes::REQUEST_TIMEOUT);

    // Unknown routes and wrong methods.
    get(a, "/nope").assert_error(404, codes::NOT_FOUND);
    post_json(a, "/v1/tokens/nope", "{}").assert_error(404, codes::NOT_FOUND);
    // A wrong method: 405 with an Allow header naming the right one.
    let r = get(a, "/v1/tokens/issue");
    r.assert_error(405, codes::METHOD_NOT_ALLOWED);
    assert_eq!(r.header("allow"), Some("POST"), "{:?}", r.headers);
    let r = post_json(a, "/v1/chains/chain_id", "{}");
    r.assert_error(405, codes::METHOD_NOT_ALLOWED);
    assert!(
        r.header("allow").unwrap_or("").contains("GET"),
        "{:?}",
        r.headers
    );

    // Query errors.
    get(a, "/v1/accounts/nonce").assert_error(400, codes::MISSING_PARAMETER);
    get(a, "/v1/accounts/nonce?address=0x12").assert_error(400, codes::INVALID_ADDRESS);
    get(a, "/v1/transactions/by_hash?hash=0x12").assert_error(400, codes::INVALID_HASH);
    get(a, "/v1/transactions/by_hash").assert_error(400, codes::MISSING_PARAMETER);
    get(a, "/v1/tokens/token_metadata?token=abc").assert_error(400, codes::INVALID_ADDRESS);

    // None of the refused requests changed state: the next nonce is 1 and
    // the good request still succeeds.
    assert_eq!(
        get(a, &format!("/v1/accounts/nonce?address={}", addr(&op))).json(),
        json!({"nonce": 1})
    );
    assert_eq!(issue(a, &good).status, 200);
    // Every response carries a request id.
    assert!(get(a, "/v1/chains/chain_id")
        .header("x-request-id")
        .is_some());
}

on_every_backend!(bad_inputs_table,);
