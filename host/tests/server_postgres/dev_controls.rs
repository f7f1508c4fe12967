//! The development controls on a database shared by several processes.

use std::net::SocketAddr;

use super::support::*;
use crate::server_common::postgres::Cluster;
use crate::server_common::*;
use tokensign::node::codes;
use tokensign_core::tx::Payment;
use tokensign_core::Amount;

/// The development controls on a shared database: set_balance and
/// set_nonce through one process are committed under the database's write
/// lock and read at once through the other (the supply following the
/// balance); per_write and `POST /dev/checkpoint` (an empty checkpoint,
/// numbered by the database, seen by both) work; the checkpoint modes
/// that leave transactions pending, snapshot and revert are refused by
/// name (501), naming the embedded store, and change nothing.
#[test]
fn dev_controls_on_a_shared_database() {
    if !crate::server_common::postgres::available("dev_controls_on_a_shared_database") {
        return;
    }
    let url = Cluster::shared().fresh_database();
    let TwoNodes { a, b, keys, token } = two_nodes(&url, 1, "DEVC");
    let holder = keys[0].address();
    let balance_at = |at: SocketAddr| {
        get(
            at,
            &format!("/v1/accounts/token_account?address={holder}&token={token}"),
        )
        .json()["balance"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    let set = post_json(
        a.addr,
        "/dev/set_balance",
        &format!(r#"{{"address": "{holder}", "token": "{token}", "balance": "5000"}}"#),
    );
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.json()["previous"], FUNDS.to_string());
    assert_eq!(set.json()["supply"], "5000");
    assert_eq!(balance_at(b.addr), "5000");
    let r = post_json(
        b.addr,
        "/dev/set_nonce",
        &format!(r#"{{"address": "{holder}", "nonce": 7}}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(nonce_at(a.addr, &holder), 7);

    let before = get(b.addr, "/v1/checkpoints/number").json()["number"]
        .as_u64()
        .unwrap();
    for body in [
        r#"{"mode": "manual"}"#,
        r#"{"mode": "interval", "interval_ms": 100}"#,
    ] {
        let r = post_json(a.addr, "/dev/checkpoint_mode", body);
        r.assert_error(501, codes::DEV_CONTROL_UNSUPPORTED_ON_POSTGRES);
        assert!(r.body.contains("embedded store"), "{}", r.body);
        let mode = get(a.addr, "/dev/checkpoint_mode").json();
        assert_eq!(
            (mode["mode"].as_str(), mode["pending"].as_u64()),
            (Some("auto"), Some(0))
        );
    }
    // Snapshots: none on a shared database (a revert would undo the other
    // process's writes).
    for (path, body) in [("/dev/snapshot", ""), ("/dev/revert", r#"{"id": 1}"#)] {
        let r = post_json(a.addr, path, body);
        r.assert_error(501, codes::DEV_CONTROL_UNSUPPORTED_ON_POSTGRES);
        assert!(r.body.contains("embedded store"), "{path}: {}", r.body);
    }
    let r = post_json(a.addr, "/dev/checkpoint_mode", r#"{"mode": "per_write"}"#);
    assert_eq!(r.status, 200, "{}", r.body);
    // A payment through each: each in a checkpoint at once.
    for (at, nonce) in [(a.addr, 7), (b.addr, 8)] {
        let pay = Payment {
            recipient: key(0x99).address(),
            value: Amount::from_u64(1),
            token,
        };
        let r = post_signed(at, &keys[0], nonce, pay);
        assert_eq!(r.status, 200, "{}", r.body);
        let hash = r
            .json()
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| r.json()["hash"].as_str().unwrap().to_owned());
        let receipt = get(
            a.addr,
            &format!("/v1/transactions/receipt/by_hash?hash={hash}"),
        );
        assert_eq!(receipt.status, 200, "{}", receipt.body);
        assert!(
            receipt.json()["checkpoint_number"].as_u64().is_some(),
            "{}",
            receipt.body
        );
    }
    let closed = post_json(b.addr, "/dev/checkpoint", "");
    assert_eq!(closed.status, 200, "{}", closed.body);
    let closed = closed.json();
    assert_eq!(closed["transactions"], 0);
    assert_eq!(closed["number"].as_u64(), Some(before + 3));
    assert_eq!(
        get(a.addr, "/v1/checkpoints/number").json()["number"].as_u64(),
        Some(before + 3)
    );
    assert_invariants(&dump_at(a.addr));
}
