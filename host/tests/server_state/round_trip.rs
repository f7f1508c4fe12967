//! A dumped state, scripted or from random operation sequences, loads into
//! a fresh node that dumps the same document and answers every read the
//! same.

use super::support::*;

use crate::server_common::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};

/// A scripted sequence of every kind of step, dumped, loads into a fresh
/// node on each backend.
fn a_dumped_state_loads_into_a_fresh_node_on_each_backend() {
    let dir = tempfile::tempdir().unwrap();
    let source = start(dir.path(), vec![addr(&operator())]);
    for s in [
        Step::Issue(0),
        Step::Issue(1),
        Step::Mint {
            token: 0,
            to: 0,
            value: 500,
        },
        Step::Mint {
            token: 1,
            to: 1,
            value: 900,
        },
        Step::Pay {
            from: 0,
            to: 2,
            token: 0,
            value: 120,
        },
        Step::Pay {
            from: 1,
            to: 3,
            token: 1,
            value: 30,
        },
        Step::Burn {
            from: 2,
            token: 0,
            value: 20,
        },
        Step::Blacklist { token: 1, who: 3 },
        Step::Pause { token: 0, on: true },
        Step::Pay {
            from: 0,
            to: 1,
            token: 0,
            value: 1,
        },
        Step::AbcMint {
            token: 0,
            amount: 7,
        },
        Step::AbcMint {
            token: 1,
            amount: 3,
        },
    ] {
        apply(source.addr, &s);
    }
    let state = dump_at(source.addr);
    assert_invariants(&state);
    assert_eq!(state.mints.count, 2);
    assert!(
        state.transactions.len() >= 8,
        "{}",
        state.transactions.len()
    );
    for backend in targets() {
        loads_identically(source.addr, &state, backend);
    }
}

/// Random operation sequences: the dump loads into a fresh node (on the
/// same backend) that dumps the same document and answers every read the
/// same; the invariants hold.
fn random_sequences_round_trip() {
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 6,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let backend = crate::server_common::backend();
    runner
        .run(&proptest::collection::vec(step(), 1..14), |steps| {
            let dir = tempfile::tempdir().unwrap();
            let source = spawn_background(fresh_config(backend, &dir.path().join("data")));
            for s in &steps {
                apply(source.addr, s);
            }
            let state = dump_at(source.addr);
            assert_invariants(&state);
            loads_identically(source.addr, &state, backend);
            Ok(())
        })
        .unwrap();
}

crate::server_common::on_every_backend!(
    a_dumped_state_loads_into_a_fresh_node_on_each_backend,
    random_sequences_round_trip,
);
