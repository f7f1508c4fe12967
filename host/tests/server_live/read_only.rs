//! The `read_only` mode (spec 1.2): every native write refused, reads served;
//! the `--read-only` flag of `tokensign node`.

use crate::server_common::*;
use serde_json::Value;
use tokensign::node::{dev, NodeConfig};
use tokensign_core::native::NativeTx;
use tokensign_core::tx::*;
use tokensign_core::{Address, Amount};

#[test]
fn read_only_refuses_every_native_write_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = NodeConfig::new(dir.path().to_path_buf(), vec![addr(&operator())]);
    config.read_only = true;
    let node = start_with(config);
    let status = get(node.addr, "/api/status");
    assert_eq!(status.status, 200);
    let s = status.json();
    assert_schema("NodeStatus", &s);
    assert_eq!(s["read_only"], true);
    // The archive profile never activates dual.
    assert_eq!(s["native_write_mode"], "v1_only");
    assert_eq!(s["activation_source"], "not_activated");
    assert_eq!(s["dual_activated_at_secs"], Value::Null);
    // A valid signed write on each scheme, then every write path with any
    // body: 403 NODE_READ_ONLY, before the body is read.
    let signed = sign(&operator(), payload(0, "RO", Some(true)));
    issue(node.addr, &signed).assert_error(403, "NODE_READ_ONLY");
    let native = NativeTx::sign(payload(0, "RO", Some(true)), &operator()).unwrap();
    post_native(node.addr, &native).assert_error(403, "NODE_READ_ONLY");
    for &op in OpType::ALL {
        for path in [Some(op.v2_path()), op.v1_path()].into_iter().flatten() {
            let r = request(node.addr, "POST", path, Some("text/plain"), b"not json");
            r.assert_error(403, "NODE_READ_ONLY");
            assert!(r.json()["message"].as_str().unwrap().contains(op.name()));
        }
    }
    // Nothing was stored; reads still answer; the retired route stays 410.
    assert_eq!(
        get(
            node.addr,
            &format!("/v1/accounts/nonce?address={}", addr(&operator()))
        )
        .json()["nonce"],
        0
    );
    assert_eq!(get(node.addr, "/v1/checkpoints/number").json()["number"], 0);
    post_json(node.addr, "/v1/transactions/raw", "{}")
        .assert_error(410, "RAW_TRANSACTION_ENDPOINT_REMOVED");
}

/// `tokensign node --read-only`: the developer accounts are set up, then
/// every write is refused.
#[test]
fn node_flag_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let (node, lines) = spawn_node(dir.path(), &["--read-only", "--accounts", "2"]);
    let url = banner_addr(&lines);
    assert_eq!(get(url, "/api/status").json()["read_only"], true);
    let accounts = dev::derive_accounts(dev::TEST_MNEMONIC, 2).unwrap();
    let token = banner_token(&lines);
    let tx: Transaction = Transaction::new(
        CHAIN_ID_TESTNET,
        0,
        Payment {
            recipient: Address([0x42; 20]),
            value: Amount::from_u64(1),
            token,
        },
    );
    let signed = NativeTx::sign(tx, &accounts[0].key).unwrap();
    post_native(url, &signed).assert_error(403, "NODE_READ_ONLY");
    let balance = get(
        url,
        &format!(
            "/v1/accounts/token_account?address={}&token={token}",
            accounts[0].address
        ),
    );
    assert_eq!(balance.json()["balance"], "1000000000000");
    drop(node);
}
