//! The local API server through real HTTP on 127.0.0.1 ephemeral ports:
//! happy paths, every refusal with its status and error code, the mint
//! API, the read endpoints, and OpenAPI conformance of every response.

mod server_common;

use serde_json::{json, Value};
use server_common::*;
use tokensign::node::{codes, AppState, NodeConfig};
use tokensign_core::tx::CHAIN_ID_TESTNET;
use tokensign_core::Address;

fn check_issued(node_addr: std::net::SocketAddr, req: &tokensign_core::legacy::LegacyTx) -> Value {
    let resp = issue(node_addr, req);
    assert_eq!(resp.status, 200, "{}", resp.body);
    let v = resp.json();
    assert_schema("HashWithToken", &v);
    assert_schema("HashWithTokenStrict", &v);
    let token = token_of(req);
    assert_eq!(v["hash"], hex0x(&tx_hash_of(req)));
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
        let tokensign_core::tx::Operation::TokenIssue(p) = &req.tx.operation else {
            panic!("an issue");
        };
        assert_eq!(tx["hash"], v["hash"]);
        assert_eq!(tx["transaction_type"], "TokenCreate");
        assert_eq!(tx["from"], addr(&op).to_string());
        assert_eq!(tx["chain_id"], req.tx.chain_id);
        assert_eq!(tx["nonce"], req.tx.nonce);
        let data = &tx["data"];
        assert_eq!(data["token"], v["token"]);
        assert_eq!(data["symbol"], p.symbol.as_str());
        assert_eq!(data["name"], p.name.as_str());
        assert_eq!(data["decimals"], p.decimals);
        assert_eq!(data["master_authority"], p.master_authority.to_string());
        assert_eq!(data["is_private"], p.is_private);
        match p.clawback_enabled {
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
        assert_eq!(info.symbol, p.symbol.as_str());
        assert_eq!(info.meta.name, p.name.as_str());
        assert_eq!(info.decimals, p.decimals);
        assert_eq!(info.master_authority, p.master_authority.to_string());
        assert_eq!(info.supply, "0");
        assert!(!info.is_paused);
        // A seven-field issue did not sign clawback; the network reads true.
        assert_eq!(info.clawback_enabled, p.clawback_enabled.unwrap_or(true));
    }

    // The write mode: dual by default (v1 and v2 writes).
    let status = get(a, "/api/status");
    assert_eq!(status.status, 200, "{}", status.body);
    assert_schema("NodeStatus", &status.json());
    assert_eq!(status.json()["native_write_mode"], "dual");

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
            &format!("/v1/transactions/by_hash?hash={}", hex0x(&tx_hash_of(&req)))
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
        assert_eq!(v["hash"], hex0x(&tx_hash_of(&req)));
        // A body without a declared length (no Content-Length header in
        // oneshot) above the limit: cut off while it is read.
        let (status, v) = call(
            Request::post("/v1/tokens/issue")
                .header("content-type", "application/json")
                .body(Body::from(vec![
                    b' ';
                    tokensign_core::json::MAX_JSON_INPUT_LEN + 1
                ]))
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
    assert_eq!(config.body_limit, tokensign_core::json::MAX_JSON_INPUT_LEN);
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

/// The core names an unknown field, and the node says so.
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
    assert!(message.contains("unknown field `colour`"), "{message}");
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
