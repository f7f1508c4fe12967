//! The local API server through real HTTP on 127.0.0.1 ephemeral ports:
//! happy paths, every refusal with its status and error code, the mint
//! API, the read endpoints, and OpenAPI conformance of every response.

mod server_common;

use serde_json::{json, Value};
use server_common::*;
use tokensign::node::{codes, AppState, NodeConfig, OPENAPI_JSON};
use tokensign_core::{token_address, Address, CHAIN_ID_MAINNET, CHAIN_ID_TESTNET};

fn check_issued(node_addr: std::net::SocketAddr, req: &tokensign_core::SignedRequest) -> Value {
    let resp = issue(node_addr, req);
    assert_eq!(resp.status, 200, "{}", resp.body);
    let v = resp.json();
    assert_schema("HashWithToken", &v);
    assert_schema("HashWithTokenStrict", &v);
    let token = token_address(&req.payload.master_authority(), req.payload.symbol());
    assert_eq!(v["hash"], hex0x(&req.tx_hash()));
    assert_eq!(v["token"], token.to_string());
    v
}

#[test]
fn issue_seven_and_eight_field_forms_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let op = operator();
    let node = start(dir.path(), vec![addr(&op)]);
    let a = node.addr;

    let chain = get(a, "/v1/chains/chain_id");
    assert_eq!(chain.status, 200);
    assert_eq!(chain.json(), json!({"chain_id": CHAIN_ID_TESTNET}));
    assert_schema("ChainIdResponse", &chain.json());

    let nonce_path = format!("/v1/accounts/nonce?address={}", addr(&op));
    assert_eq!(get(a, &nonce_path).json(), json!({"nonce": 0}));

    // Seven-field form.
    let r7 = sign(&op, payload(0, "SEVEN", None));
    let v7 = check_issued(a, &r7);
    let n = get(a, &nonce_path);
    assert_eq!(n.json(), json!({"nonce": 1}));
    assert_schema("NonceResponse", &n.json());

    // Eight-field form, both clawback choices.
    let r8 = sign(&op, payload(1, "EIGHT", Some(true)));
    let v8 = check_issued(a, &r8);
    let r8f = sign(&op, payload(2, "EIGHTF", Some(false)));
    check_issued(a, &r8f);
    assert_eq!(get(a, &nonce_path).json(), json!({"nonce": 3}));
    // Lowercase query address works too.
    let lower = String::from_utf8(addr(&op).to_lower_hex().to_vec()).unwrap();
    assert_eq!(
        get(a, &format!("/v1/accounts/nonce?address={lower}")).json(),
        json!({"nonce": 3})
    );

    for (req, v) in [(&r7, &v7), (&r8, &v8)] {
        let tx = get(
            a,
            &format!(
                "/v1/transactions/by_hash?hash={}",
                v["hash"].as_str().unwrap()
            ),
        );
        assert_eq!(tx.status, 200, "{}", tx.body);
        let tx = tx.json();
        assert_schema("Transaction", &tx);
        let p = &req.payload;
        assert_eq!(tx["hash"], v["hash"]);
        assert_eq!(tx["transaction_type"], "TokenCreate");
        assert_eq!(tx["from"], addr(&op).to_string());
        assert_eq!(tx["chain_id"], p.chain_id());
        assert_eq!(tx["nonce"], p.nonce());
        let data = &tx["data"];
        assert_eq!(data["token"], v["token"]);
        assert_eq!(data["symbol"], p.symbol());
        assert_eq!(data["name"], p.name());
        assert_eq!(data["decimals"], p.decimals());
        assert_eq!(data["master_authority"], p.master_authority().to_string());
        assert_eq!(data["is_private"], p.is_private());
        match p.clawback_enabled() {
            Some(c) => assert_eq!(data["clawback_enabled"], c),
            None => assert!(data.get("clawback_enabled").is_none()),
        }
        assert_eq!(tx["signature"]["r"], hex0x(&req.signature.r));
        assert_eq!(tx["signature"]["s"], hex0x(&req.signature.s));
        assert_eq!(tx["signature"]["v"], req.signature.v);
        // The same shape the client reads.
        let typed: tokensign::api::Transaction = serde_json::from_value(tx.clone()).unwrap();
        assert_eq!(typed.from, addr(&op).to_string());

        let receipt = get(
            a,
            &format!(
                "/v1/transactions/receipt/by_hash?hash={}",
                v["hash"].as_str().unwrap()
            ),
        );
        assert_eq!(receipt.status, 200, "{}", receipt.body);
        let receipt = receipt.json();
        assert_schema("TransactionReceipt", &receipt);
        assert_eq!(receipt["success"], true);
        assert_eq!(receipt["transaction_hash"], v["hash"]);
        assert_eq!(receipt["token_address"], v["token"]);
        assert_eq!(receipt["fee_used"], "0");

        let meta = get(
            a,
            &format!(
                "/v1/tokens/token_metadata?token={}",
                v["token"].as_str().unwrap()
            ),
        );
        assert_eq!(meta.status, 200, "{}", meta.body);
        let meta = meta.json();
        assert_schema("MintInfo", &meta);
        let info: tokensign::api::MintInfo = serde_json::from_value(meta.clone()).unwrap();
        assert_eq!(info.symbol, p.symbol());
        assert_eq!(info.meta.name, p.name());
        assert_eq!(info.decimals, p.decimals());
        assert_eq!(info.master_authority, p.master_authority().to_string());
        assert_eq!(info.supply, "0");
        assert!(!info.is_paused);
        // A seven-field issue did not sign clawback; the network reads true.
        assert_eq!(info.clawback_enabled, p.clawback_enabled().unwrap_or(true));
    }

    // The write mode: this node takes legacy (v1) writes only.
    let status = get(a, "/api/status");
    assert_eq!(status.status, 200, "{}", status.body);
    assert_schema("NodeStatus", &status.json());
    assert_eq!(status.json()["native_write_mode"], "v1_only");

    // Unknown hash and token: 404 with their codes.
    get(
        a,
        &format!("/v1/transactions/by_hash?hash=0x{}", "ab".repeat(32)),
    )
    .assert_error(404, codes::TRANSACTION_NOT_FOUND);
    get(
        a,
        &format!(
            "/v1/transactions/receipt/by_hash?hash=0x{}",
            "ab".repeat(32)
        ),
    )
    .assert_error(404, codes::TRANSACTION_NOT_FOUND);
    get(
        a,
        &format!("/v1/tokens/token_metadata?token={}", Address::ZERO),
    )
    .assert_error(404, codes::TOKEN_NOT_FOUND);
    node.shutdown().unwrap();
}

#[test]
fn known_answer_vector_is_accepted_with_the_networks_hash() {
    // The spec's seven-field vector: key 0x0183..a3, nonce 2, symbol TEST.
    let k = tokensign_fixtures::spec_key();
    let dir = tempfile::tempdir().unwrap();
    let node = start(dir.path(), vec![addr(&k)]);
    // Bring the signer's nonce to 2 first.
    for (nonce, sym) in [(0u64, "WARMA"), (1, "WARMB")] {
        let p = payload_with(CHAIN_ID_TESTNET, nonce, sym, Address::ZERO, None);
        assert_eq!(issue(node.addr, &sign(&k, p)).status, 200);
    }
    // The published signature, typed in as the spec prints it.
    let answer = tokensign_fixtures::SPEC_ANSWERS[1];
    let vector = format!(
        r#"{},"signature":{{"r":"{}","s":"{}","v":{}}}}}"#,
        tokensign_fixtures::SPEC_PAYLOAD7_JSON.trim_end_matches('}'),
        answer.r,
        answer.s,
        answer.v
    );
    let resp = post_json(node.addr, "/v1/tokens/issue", &vector);
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(
        resp.json(),
        json!({
            "hash": answer.tx_hash.unwrap(),
            "token": Address::parse(tokensign_fixtures::SPEC_TOKEN).unwrap().to_string(),
        })
    );
}

/// Every refusal of `POST /v1/tokens/issue`, each with status and code.
#[test]
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
        // The core's tokenizer reports a fraction where an integer is due
        // as a syntax error.
        (
            "fractional chain id",
            body_of(&good).replace("1212101", "1212101.5"),
            400,
            codes::MALFORMED_JSON,
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
            "replayed nonce",
            body_of(&first),
            422,
            codes::NONCE_MISMATCH,
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
            let err = tokensign_core::json::parse_request(body.as_bytes())
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
        &format!("POST /v1/tokens/issue HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}", 1 << 20),
        b"",
    )
    .assert_error(400, codes::BODY_TOO_LARGE);
    // (A longer body without a declared length is covered in-process by
    // `router_in_process_oneshot`, where no bytes stay unread on a socket.)

    // Slow body: half of it, then nothing: 408 with a RESTErrorData body.
    let r = raw_partial(
        a,
        "POST /v1/tokens/issue HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 100",
        b"{\"chain_id\":",
    );
    r.assert_error(408, codes::REQUEST_TIMEOUT);

    // Unknown routes and wrong methods.
    get(a, "/nope").assert_error(404, codes::NOT_FOUND);
    post_json(a, "/v1/tokens/nope", "{}").assert_error(404, codes::NOT_FOUND);
    get(a, "/v1/tokens/issue").assert_error(404, codes::METHOD_NOT_ALLOWED);
    post_json(a, "/v1/chains/chain_id", "{}").assert_error(404, codes::METHOD_NOT_ALLOWED);

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

fn mint(a: std::net::SocketAddr, body: &str) -> Resp {
    post_json(a, "/api/tokens/mint", body)
}

fn assert_mint_error(r: &Resp, status: u16, code: &str, message: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let v = r.json();
    assert_eq!(v["error_code"], code, "{}", r.body);
    assert_eq!(v["message"], message, "{}", r.body);
    assert_schema("MintError", &v);
}

#[test]
fn mint_api_document_example_and_every_error() {
    let dir = tempfile::tempdir().unwrap();
    let op = operator();
    let node = start(dir.path(), vec![addr(&op)]);
    let a = node.addr;
    let example = r#"{
  "asset_id": "UKGILT2030",
  "amount": 100,
  "recipient_wallet_address": "0xA1B2C3D4E5F6A7B8C9D0"
}"#;
    // Before the asset exists.
    assert_mint_error(
        &mint(a, example),
        404,
        "ASSET_NOT_FOUND",
        "Asset ID does not exist",
    );

    assert_eq!(
        issue(a, &sign(&op, payload(0, "UKGILT2030", None))).status,
        200
    );
    assert_eq!(issue(a, &sign(&op, payload(1, "FRAC", None))).status, 200); // 6 decimals

    let r = mint(a, example);
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_schema("MintSuccess", &v);
    assert_eq!(v["status"], "success");
    assert_eq!(v["asset_id"], "UKGILT2030");
    assert_eq!(v["amount"], 100);
    assert_eq!(v["assigned_to"], "0xA1B2C3D4E5F6A7B8C9D0");
    assert_eq!(v["token_id"], "TOKEN-1");

    // One mint per asset.
    assert_mint_error(
        &mint(a, example),
        409,
        "DUPLICATE_MINT",
        "Token for this asset already exists",
    );

    let invalid = "One or more required fields are missing";
    for body in [
        r#"{"amount": 1, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": 1}"#,
        r#"{"asset_id": null, "amount": 1, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "", "amount": 1, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": "1", "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": 0, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": -5, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": 0.0000001, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": 1e40, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": 1, "recipient_wallet_address": ""}"#,
        r#"{"asset_id": "FRAC", "amount": 1, "recipient_wallet_address": 5}"#,
        r#"{"asset_id": "FRAC", "amount": 1, "recipient_wallet_address": "w", "x": 1}"#,
        r#"{"asset_id": "FRAC", "amount": 1, "amount": 2, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": 7, "amount": 1, "recipient_wallet_address": "w"}"#,
        r#"not json"#,
        r#"[]"#,
    ] {
        let r = mint(a, body);
        assert_mint_error(&r, 400, "INVALID_INPUT", invalid);
        assert!(!r.json()["detail"].as_str().unwrap().is_empty());
    }
    let r = request(a, "POST", "/api/tokens/mint", Some("text/plain"), b"{}");
    assert_mint_error(&r, 400, "INVALID_INPUT", invalid);
    assert_mint_error(
        &mint(
            a,
            r#"{"asset_id": "NOPE", "amount": 1, "recipient_wallet_address": "w"}"#,
        ),
        404,
        "ASSET_NOT_FOUND",
        "Asset ID does not exist",
    );
    // A fraction within the asset's decimals is accepted and echoed.
    let r = mint(
        a,
        r#"{"asset_id": "FRAC", "amount": 12.5, "recipient_wallet_address": "w"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["amount"], 12.5);
    assert_eq!(r.json()["token_id"], "TOKEN-2");
    assert_schema("MintSuccess", &r.json());
}

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
    ] {
        assert!(listed.contains(&code), "{code} not in ErrorCode");
        let status = doc["components"]["schemas"]["ErrorCode"]["x-status"][code]
            .as_u64()
            .unwrap();
        assert!([400, 404, 408, 422, 500].contains(&status));
    }
    assert_eq!(listed.len(), 28);
    let _ = OPENAPI_JSON;
}

#[test]
fn state_survives_a_clean_restart_and_the_data_dir_is_exclusive() {
    let dir = tempfile::tempdir().unwrap();
    let op = operator();
    let node = start(dir.path(), vec![addr(&op)]);
    let req = sign(&op, payload(0, "KEEP", None));
    assert_eq!(issue(node.addr, &req).status, 200);
    assert_eq!(
        mint(
            node.addr,
            r#"{"asset_id":"KEEP","amount":1,"recipient_wallet_address":"w"}"#
        )
        .status,
        200
    );

    // A second server on the same directory is refused with a clear error.
    let err = tokensign::node::spawn_background(
        NodeConfig::new(dir.path().to_path_buf(), vec![]),
        "127.0.0.1:0".parse().unwrap(),
    )
    .err()
    .expect("second open must fail");
    assert!(err.to_string().contains("in use"), "{err:#}");

    node.shutdown().unwrap();
    let node = start(dir.path(), vec![addr(&op)]);
    let a = node.addr;
    assert_eq!(
        get(a, &format!("/v1/accounts/nonce?address={}", addr(&op))).json(),
        json!({"nonce": 1})
    );
    assert_eq!(
        get(
            a,
            &format!("/v1/transactions/by_hash?hash={}", hex0x(&req.tx_hash()))
        )
        .status,
        200
    );
    assert_mint_error(
        &mint(
            a,
            r#"{"asset_id":"KEEP","amount":1,"recipient_wallet_address":"w"}"#,
        ),
        409,
        "DUPLICATE_MINT",
        "Token for this asset already exists",
    );
    assert_eq!(issue(a, &req).status, 422);
    drop(node); // drop shuts down too
    let node = start(dir.path(), vec![]);
    // Open mode (no operators): any valid signer may issue.
    assert_eq!(
        issue(node.addr, &sign(&outsider(), payload(0, "OPEN", None))).status,
        200
    );
}

/// In-process use through `tower::ServiceExt::oneshot`, as the CLI's
/// embedded server and the fuzz target do.
#[test]
fn router_in_process_oneshot() {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let op = operator();
        let mut config = NodeConfig::new(dir.path().to_path_buf(), vec![addr(&op)]);
        config.durable = false;
        let state = AppState::open(config).await.unwrap();
        let call = |req: Request<Body>| {
            let app = tokensign::node::router(state.clone());
            async move {
                let resp = app.oneshot(req).await.unwrap();
                let status = resp.status().as_u16();
                let bytes = resp.into_body().collect().await.unwrap().to_bytes();
                (status, serde_json::from_slice::<Value>(&bytes).unwrap())
            }
        };
        let req = sign(&op, payload(0, "ONESHOT", Some(true)));
        let (status, v) = call(
            Request::post("/v1/tokens/issue")
                .header("content-type", "application/json")
                .body(Body::from(body_of(&req)))
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(v["hash"], hex0x(&req.tx_hash()));
        // A body without a declared length (no Content-Length header in
        // oneshot) above the limit: cut off while it is read.
        let (status, v) = call(
            Request::post("/v1/tokens/issue")
                .header("content-type", "application/json")
                .body(Body::from(vec![b' '; 10_000]))
                .unwrap(),
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(v["error_code"], codes::BODY_TOO_LARGE);
        state.close().await;
    });
}

#[test]
fn config_defaults_and_a_busy_port_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = NodeConfig::new(dir.path().to_path_buf(), vec![]);
    assert_eq!(config.chain_id, CHAIN_ID_TESTNET);
    assert!(config.durable);
    assert_eq!(config.body_limit, tokensign_core::MAX_JSON_INPUT_LEN);
    assert_eq!(config.body_timeout, std::time::Duration::from_secs(10));

    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let err = tokensign::node::spawn_background(config, busy.local_addr().unwrap())
        .err()
        .expect("port in use");
    assert!(err.to_string().contains("cannot listen"), "{err:#}");
    // The data directory was released: a server can open it now.
    let node = start(dir.path(), vec![]);
    assert!(node.url.starts_with("http://127.0.0.1:"));
    assert_eq!(get(node.addr, "/v1/chains/chain_id").status, 200);
}

/// The core reports an unknown field without its name; the node names it.
#[test]
fn an_unknown_field_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let op = operator();
    let node = start(dir.path(), vec![addr(&op)]);
    let mut body: Value =
        serde_json::from_str(&body_of(&sign(&op, payload(0, "NAMED", None)))).unwrap();
    body["colour"] = json!("red");
    let resp = post_json(node.addr, "/v1/tokens/issue", &body.to_string());
    resp.assert_error(400, codes::UNKNOWN_FIELD);
    let message = resp.json()["message"].as_str().unwrap().to_owned();
    assert!(message.starts_with("unknown field `colour`"), "{message}");
    body.as_object_mut().unwrap().remove("colour");
    body["signature"]["w"] = json!(1);
    let resp = post_json(node.addr, "/v1/tokens/issue", &body.to_string());
    resp.assert_error(400, codes::UNKNOWN_FIELD);
    assert!(
        resp.body.contains("unknown field `signature.w`"),
        "{}",
        resp.body
    );
    node.shutdown().unwrap();
}
