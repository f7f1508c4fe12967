//! Broken, truncated and foreign state files, refused by name with nothing
//! changed.

use super::support::*;

use crate::server_common::*;
use tokensign::node::{NodeConfig, NodeError, StateError};
use tokensign_core::Amount;

/// Broken, truncated and foreign files are refused by name at start, and
/// the node's state is unchanged.
#[test]
fn broken_or_truncated_states_are_refused_by_name_changing_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let node = start(&data, vec![addr(&operator())]);
    apply(node.addr, &Step::Issue(0));
    apply(
        node.addr,
        &Step::Mint {
            token: 0,
            to: 0,
            value: 50,
        },
    );
    let state = dump_at(node.addr);
    node.shutdown().unwrap();
    let good = serde_json::to_string_pretty(&state).unwrap();

    let mut supply = state.clone();
    supply.tokens[0].supply = Amount::from_u64(51);
    let mut chain = state.clone();
    chain.chain_id += 1;
    let mut gap = state.clone();
    gap.checkpoints.remove(1);
    let mut forged = state.clone();
    forged.transactions[0].receipt.fee_used = "1".into();
    // The receipt names another checkpoint than its transaction does.
    let mut misplaced = state.clone();
    misplaced.transactions[0].receipt.checkpoint_hash = Some(format!("0x{}", "ab".repeat(32)));
    let mut nonce_twice = state.clone();
    nonce_twice.accounts.push(nonce_twice.accounts[0].clone());
    let version = good.replacen("\"version\": 1", "\"version\": 2", 1);
    type Expect = fn(&StateError) -> bool;
    let cases: Vec<(&str, String, Expect)> = vec![
        ("truncated", good[..good.len() / 2].to_owned(), |e| {
            matches!(e, StateError::Truncated { .. })
        }),
        ("not JSON", "]".into(), |e| {
            matches!(e, StateError::Malformed { .. })
        }),
        ("version 2", version, |e| {
            matches!(e, StateError::Version { found: 2, .. })
        }),
        (
            "another chain",
            serde_json::to_string(&chain).unwrap(),
            |e| matches!(e, StateError::ChainId { .. }),
        ),
        (
            "supply",
            serde_json::to_string(&supply).unwrap(),
            |e| matches!(e, StateError::Invariant { what, .. } if what.contains("supply")),
        ),
        ("gap", serde_json::to_string(&gap).unwrap(), |e| {
            matches!(e, StateError::Invariant { .. })
        }),
        (
            "forged receipt",
            serde_json::to_string(&forged).unwrap(),
            |e| matches!(e, StateError::Invariant { what, .. } if what.contains("receipts root")),
        ),
        (
            "misplaced receipt",
            serde_json::to_string(&misplaced).unwrap(),
            |e| matches!(e, StateError::Invariant { what, .. } if what.contains("does not place it")),
        ),
        (
            "duplicate",
            serde_json::to_string(&nonce_twice).unwrap(),
            |e| matches!(e, StateError::Invariant { what, .. } if what.contains("twice")),
        ),
    ];
    for (name, text, expected) in cases {
        let file = dir.path().join("bad.json");
        std::fs::write(&file, text).unwrap();
        let mut config = NodeConfig::new(data.clone(), vec![addr(&operator())]);
        config.state.load = Some(file);
        match tokensign::node::spawn_background(config, "127.0.0.1:0".parse().unwrap()) {
            Err(NodeError::State(e)) => {
                assert!(expected(&e), "{name}: {e}");
                assert!(e.to_string().contains("bad.json"), "{name}: {e}");
            }
            Err(other) => panic!("{name}: {other}"),
            Ok(_) => panic!("{name}: loaded"),
        }
        let again = start(&data, vec![addr(&operator())]);
        assert_eq!(dump_at(again.addr), state, "{name}: the state changed");
        again.shutdown().unwrap();
    }
}
