//! `tokensign node --state FILE` across a restart, and a kill -9 during the
//! dump at exit.

use std::time::Duration;

use crate::server_common::*;
use tokensign::node::StateDocument;
use tokensign_core::tx::*;
use tokensign_core::{Amount, SigningKey};

/// `tokensign node --state FILE`: a payment, a clean stop, a restart on a
/// fresh data directory with the same flag shows it; kill -9 during the
/// dump at exit leaves the previous file whole.
#[test]
fn state_flag_across_a_restart_and_kill_9_during_a_dump() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    let f = file.to_str().unwrap();
    let data = |i: u32| dir.path().join(format!("data{i}"));
    let args = |i: u32| {
        vec![
            "--state".to_owned(),
            f.to_owned(),
            "--data-dir".to_owned(),
            data(i).to_str().unwrap().to_owned(),
        ]
    };
    let run = |i: u32| {
        let a = args(i);
        CliNode::start(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // The developer accounts and DEVUSD; a payment; a clean stop.
    let mut node = run(0);
    let state = dump_at(node.addr);
    let devusd = state.tokens[0].address;
    let (a0, a1) = (dev_key(0), dev_key(1));
    let pay = Payment {
        recipient: a1.address(),
        value: Amount::from_u64(1234),
        token: devusd,
    };
    let r = post_signed(node.addr, &a0, nonce_at(node.addr, &a0.address()), pay);
    assert_eq!(r.status, 200, "{}", r.body);
    let hash = r.json()["hash"].as_str().unwrap().to_owned();
    assert!(node.terminate().success());
    let saved: StateDocument = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let node = run(1);
    assert_eq!(dump_at(node.addr), saved);
    let r = get(
        node.addr,
        &format!("/v1/transactions/receipt/by_hash?hash={hash}"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    drop(node);

    // kill -9 at moments during the exit's dump: the file is always a
    // whole state (the previous one or the new one).
    for (i, wait_ms) in [0u64, 2, 5, 10, 20, 40].into_iter().enumerate() {
        let before = std::fs::read(&file).unwrap();
        let mut node = run(2 + i as u32);
        let pay = Payment {
            recipient: a1.address(),
            value: Amount::from_u64(1),
            token: devusd,
        };
        let r = post_signed(node.addr, &a0, nonce_at(node.addr, &a0.address()), pay);
        assert_eq!(r.status, 200, "{}", r.body);
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &node.child.id().to_string()])
            .status();
        std::thread::sleep(Duration::from_millis(wait_ms));
        node.kill9();
        let after = std::fs::read(&file).unwrap();
        let parsed: StateDocument = serde_json::from_slice(&after)
            .unwrap_or_else(|e| panic!("kill -9 after {wait_ms} ms left a broken file: {e}"));
        assert_invariants(&parsed);
        assert!(
            after == before || parsed.transactions.len() == saved_len(&before) + 1,
            "after {wait_ms} ms: neither the old nor the new state"
        );
    }
}

fn saved_len(bytes: &[u8]) -> usize {
    serde_json::from_slice::<StateDocument>(bytes)
        .unwrap()
        .transactions
        .len()
}

/// Developer account `i` of the public test mnemonic.
fn dev_key(i: u32) -> SigningKey {
    let accounts =
        tokensign::node::dev::derive_accounts(tokensign::node::dev::TEST_MNEMONIC, i + 1).unwrap();
    accounts.into_iter().nth(i as usize).unwrap().key
}
