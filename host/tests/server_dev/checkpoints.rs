//! When checkpoints close, and where pending transactions go after a
//! crash or a clean stop.

use super::support::*;
use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::{json, Value};
use tokensign::node::NodeConfig;
use tokensign_core::Address;

#[test]
fn checkpoints_close_per_write_every_interval_or_on_request() {
    checkpoint_modes(|_| {});
}

/// The same on the in-memory node, whose lone writes commit on the
/// request's thread: pending transactions, intervals and manual
/// checkpoints behave the same.
#[test]
fn the_in_memory_node_closes_checkpoints_in_every_mode() {
    checkpoint_modes(|c| c.in_memory = true);
}

fn checkpoint_modes(adjust: fn(&mut NodeConfig)) {
    let live = live_with(adjust);
    let a = live.a();
    let from = payer().address();
    let mode = |body: Value| {
        ok(
            post_dev(a, "/dev/checkpoint_mode", body),
            "DevCheckpointMode",
        )
    };
    assert_eq!(
        ok(get(a, "/dev/checkpoint_mode"), "DevCheckpointMode"),
        json!({"mode": "auto", "pending": 0})
    );
    // manual: admitted at once (balances move), placed on request.
    mode(json!({"mode": "manual"}));
    let at = latest_checkpoint(a);
    let first = hash_of_accepted(&send_payment(a, &from, &keyless(0x71), 5, &live.token));
    let second = live.pay(keyless(0x71), 5);
    assert_eq!(balance_at(a, &keyless(0x71), &live.token), 10);
    assert_eq!(latest_checkpoint(a), at, "no checkpoint closed");
    let r = receipt(a, &first);
    assert!(r.get("checkpoint_number").is_none(), "{r}");
    assert_schema("TransactionReceipt", &r);
    get(
        a,
        &format!("/v1/transactions/finalized/by_hash?hash={second}"),
    )
    .assert_error(404, "resource_transaction_not_found");
    assert_eq!(
        ok(get(a, "/dev/checkpoint_mode"), "DevCheckpointMode")["pending"],
        2
    );
    let closed = ok(post_json(a, "/dev/checkpoint", ""), "DevCheckpointClosed");
    assert_eq!(closed["number"], at + 1);
    assert_eq!(closed["transactions"], 2);
    let checkpoint = get(a, &format!("/v1/checkpoints/by_number?number={}", at + 1)).json();
    assert_eq!(checkpoint["transactions"], json!([first, second]));
    assert_eq!(receipt(a, &second)["transaction_index"], 1);
    assert_eq!(
        get(
            a,
            &format!("/v1/transactions/finalized/by_hash?hash={second}")
        )
        .status,
        200
    );
    // An empty checkpoint on request, as anvil's evm_mine.
    let closed = ok(post_json(a, "/dev/checkpoint", ""), "DevCheckpointClosed");
    assert_eq!(
        (closed["number"].as_u64(), closed["transactions"].as_u64()),
        (Some(at + 2), Some(0))
    );
    // Back to auto with something pending: it is placed at once.
    let third = live.pay(keyless(0x71), 1);
    mode(json!({"mode": "auto"}));
    assert!(receipt(a, &third)["checkpoint_number"].is_u64());

    // interval: the ticker closes one over what is pending.
    let v = mode(json!({"mode": "interval", "interval_ms": 50}));
    assert_eq!(v["interval_ms"], 50);
    let hash = live.pay(keyless(0x72), 1);
    assert!(
        eventually(|| receipt(a, &hash).get("checkpoint_number").is_some()),
        "no interval checkpoint came"
    );
    // per_write: concurrent writes get a checkpoint each (from eight
    // senders: concurrent sends as one account would race for its nonce).
    let senders: Vec<Address> = (0..8u8).map(|i| keyless(0x80 + i)).collect();
    for s in &senders {
        let body =
            json!({"address": s.to_string(), "token": live.token.to_string(), "balance": "5"});
        ok(post_dev(a, "/dev/set_balance", body), "DevBalanceSet");
    }
    mode(json!({"mode": "per_write"}));
    let at = latest_checkpoint(a);
    std::thread::scope(|scope| {
        for s in &senders {
            let token = live.token;
            scope.spawn(move || hash_of_accepted(&send_payment(a, s, &keyless(0x79), 1, &token)));
        }
    });
    assert_eq!(latest_checkpoint(a), at + 8);
    for n in at + 1..=at + 8 {
        let c = get(a, &format!("/v1/checkpoints/by_number?number={n}")).json();
        assert_eq!(c["transactions"].as_array().unwrap().len(), 1, "{c}");
    }
    // Refusals.
    post_dev(a, "/dev/checkpoint_mode", json!({"mode": "interval"}))
        .assert_error(400, "MISSING_FIELD");
    post_dev(
        a,
        "/dev/checkpoint_mode",
        json!({"mode": "interval", "interval_ms": 1}),
    )
    .assert_error(400, "INVALID_NUMBER");
    post_dev(
        a,
        "/dev/checkpoint_mode",
        json!({"mode": "auto", "interval_ms": 100}),
    )
    .assert_error(400, "INVALID_VALUE");
    post_dev(a, "/dev/checkpoint_mode", json!({"mode": "hourly"}))
        .assert_error(400, "INVALID_VALUE");
}

#[test]
fn pending_transactions_are_placed_after_a_crash_and_at_a_clean_stop() {
    let dir = tempfile::tempdir().unwrap();
    // A crash: kill -9 with two transactions pending.
    let (node, lines) = spawn_node(dir.path(), &[]);
    let a = banner_addr(&lines);
    let token = banner_token(&lines);
    let dev0 = Address::parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266").unwrap();
    ok(
        post_dev(a, "/dev/checkpoint_mode", json!({"mode": "manual"})),
        "DevCheckpointMode",
    );
    let at = latest_checkpoint(a);
    let first = hash_of_accepted(&send_payment(a, &dev0, &keyless(0x91), 1, &token));
    let second = hash_of_accepted(&send_payment(a, &dev0, &keyless(0x92), 2, &token));
    let mut child = node.take();
    child.kill().unwrap();
    child.wait().unwrap();
    let (node, lines) = spawn_node(dir.path(), &[]);
    let a = banner_addr(&lines);
    assert_eq!(
        latest_checkpoint(a),
        at + 1,
        "one checkpoint over what was pending"
    );
    let checkpoint = get(a, &format!("/v1/checkpoints/by_number?number={}", at + 1)).json();
    assert_eq!(
        checkpoint["transactions"],
        json!([first, second]),
        "in admission order"
    );
    assert_eq!(balance_at(a, &keyless(0x92), &token), 2);
    assert!(!dir.path().join("node/tokensign-node.pending").exists());
    drop(node);

    // A clean stop: the writer closes one before it ends.
    let data = tempfile::tempdir().unwrap();
    let config = || NodeConfig::new(data.path().to_path_buf(), vec![]);
    let node = start_with(config());
    let a = node.addr;
    ok(
        post_dev(a, "/dev/checkpoint_mode", json!({"mode": "manual"})),
        "DevCheckpointMode",
    );
    let hash = hash_of_accepted(&post_dev(
        a,
        "/dev/send",
        json!({"from": keyless(0x93).to_string(), "operation": "CreateMultiSig",
               "signers": two_signers(), "threshold": 1}),
    ));
    assert!(receipt(a, &hash).get("checkpoint_number").is_none());
    node.shutdown().unwrap();
    let node = start_with(config());
    assert!(receipt(node.addr, &hash)["checkpoint_number"].is_u64());
}
