//! State files: a node's state dumped (`POST /dev/dump_state`, or a file
//! at a clean exit) loads into a fresh node on either backend, which then
//! dumps the same document and answers every read identically; property
//! tests over random operation sequences; a sandbox moved redb →
//! PostgreSQL → redb; broken and truncated files refused by name with
//! nothing changed; a kill -9 during a dump leaves the previous file
//! intact; `tokensign node --state FILE` across a restart.

mod server_common;

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use server_common::postgres::Cluster;
use server_common::*;
use tokensign::node::{NodeConfig, NodeError, StateDocument, StateError, StateFiles};
use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::{Address, Amount, SigningKey};

fn holders() -> Vec<SigningKey> {
    (0..4).map(|i| key(0x60 + i)).collect()
}

fn master_key() -> SigningKey {
    key(0x44)
}

/// One operation of a random sequence (most are accepted; those that are
/// refused must change nothing).
#[derive(Clone, Debug)]
enum Step {
    Issue(u8),
    Mint {
        token: u8,
        to: u8,
        value: u64,
    },
    Pay {
        from: u8,
        to: u8,
        token: u8,
        value: u64,
    },
    Burn {
        from: u8,
        token: u8,
        value: u64,
    },
    Pause {
        token: u8,
        on: bool,
    },
    Blacklist {
        token: u8,
        who: u8,
    },
    AbcMint {
        token: u8,
        amount: u16,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0u8..3).prop_map(Step::Issue),
        (0u8..3, 0u8..4, 1u64..1_000).prop_map(|(token, to, value)| Step::Mint {
            token,
            to,
            value
        }),
        (0u8..4, 0u8..4, 0u8..3, 1u64..300).prop_map(|(from, to, token, value)| Step::Pay {
            from,
            to,
            token,
            value
        }),
        (0u8..4, 0u8..3, 1u64..100).prop_map(|(from, token, value)| Step::Burn {
            from,
            token,
            value
        }),
        (0u8..3, any::<bool>()).prop_map(|(token, on)| Step::Pause { token, on }),
        (0u8..3, 0u8..4).prop_map(|(token, who)| Step::Blacklist { token, who }),
        (0u8..3, 1u16..500).prop_map(|(token, amount)| Step::AbcMint { token, amount }),
    ]
}

fn symbol(i: u8) -> String {
    format!("ST{i}")
}

fn token_of_symbol(i: u8) -> Address {
    token_address(&master_key().address(), &symbol(i))
}

/// Applies `step` through the node at `at`; an accepted write is a 200, a
/// refusal a 4xx; nothing else.
fn apply(at: SocketAddr, step: &Step) {
    let hs = holders();
    let send = |k: &SigningKey, op: Operation| post_signed(at, k, nonce_at(at, &k.address()), op);
    let r = match *step {
        Step::Issue(i) => send(
            &operator(),
            TokenIssue {
                symbol: Text::new(&symbol(i)).unwrap(),
                name: Text::new("State Test").unwrap(),
                decimals: 2,
                master_authority: master_key().address(),
                is_private: false,
                clawback_enabled: Some(true),
            }
            .into(),
        ),
        Step::Mint { token, to, value } => send(
            &master_key(),
            TokenMint {
                recipient: hs[to as usize].address(),
                value: Amount::from_u64(value),
                token: token_of_symbol(token),
            }
            .into(),
        ),
        Step::Pay {
            from,
            to,
            token,
            value,
        } => send(
            &hs[from as usize],
            Payment {
                recipient: hs[to as usize].address(),
                value: Amount::from_u64(value),
                token: token_of_symbol(token),
            }
            .into(),
        ),
        Step::Burn { from, token, value } => send(
            &hs[from as usize],
            TokenBurn {
                value: Amount::from_u64(value),
                token: token_of_symbol(token),
            }
            .into(),
        ),
        Step::Pause { token, on } => send(
            &master_key(),
            TokenPause {
                action: if on {
                    PauseAction::Pause
                } else {
                    PauseAction::Unpause
                },
                token: token_of_symbol(token),
            }
            .into(),
        ),
        Step::Blacklist { token, who } => send(
            &master_key(),
            TokenBlacklist {
                action: ListAction::Add,
                address: hs[who as usize].address(),
                token: token_of_symbol(token),
            }
            .into(),
        ),
        Step::AbcMint { token, amount } => post_json(
            at,
            "/api/tokens/mint",
            &format!(
                r#"{{"asset_id": "{}", "amount": {amount}, "recipient_wallet_address": "0xabc"}}"#,
                symbol(token)
            ),
        ),
    };
    assert!(
        r.status == 200 || (400..500).contains(&r.status),
        "{step:?}: {} {}",
        r.status,
        r.body
    );
}

/// Every read the state gives a path for, with its answer: nonces and
/// bridge nonces, balances, token metadata, every transaction (three
/// ways), every checkpoint (four ways), the latest checkpoint number.
fn all_reads(at: SocketAddr, state: &StateDocument) -> Vec<(String, u16, String)> {
    let mut paths = vec!["/v1/checkpoints/number".to_owned()];
    let mut who: Vec<Address> = state.accounts.iter().map(|a| a.address).collect();
    who.extend(state.balances.iter().map(|b| b.owner));
    who.extend(holders().iter().map(|k| k.address()));
    who.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    who.dedup();
    for a in &who {
        paths.push(format!("/v1/accounts/nonce?address={a}"));
        paths.push(format!("/v1/accounts/bbnonce?address={a}"));
        for t in &state.tokens {
            paths.push(format!(
                "/v1/accounts/token_account?address={a}&token={}",
                t.address
            ));
        }
    }
    for t in &state.tokens {
        paths.push(format!("/v1/tokens/token_metadata?token={}", t.address));
    }
    for r in &state.transactions {
        let h = &r.transaction.hash;
        paths.push(format!("/v1/transactions/by_hash?hash={h}"));
        paths.push(format!("/v1/transactions/receipt/by_hash?hash={h}"));
        paths.push(format!("/v1/transactions/finalized/by_hash?hash={h}"));
    }
    for c in &state.checkpoints {
        let n = c.number;
        paths.push(format!("/v1/checkpoints/by_number?number={n}"));
        paths.push(format!("/v1/checkpoints/by_number?number={n}&full=true"));
        paths.push(format!(
            "/v1/checkpoints/by_hash?hash=0x{}",
            hex::encode(c.hash)
        ));
        paths.push(format!("/v1/checkpoints/receipts/by_number?number={n}"));
    }
    paths
        .into_iter()
        .map(|p| {
            let r = get(at, &p);
            (p, r.status, r.body)
        })
        .collect()
}

/// A node configuration on `backend` with a fresh place for its state.
fn fresh_config(backend: Backend, dir: &Path) -> NodeConfig {
    let mut config = NodeConfig::new(dir.to_path_buf(), vec![addr(&operator())]);
    if backend == Backend::Postgres {
        config.database = Some(Cluster::shared().fresh_database());
    }
    config
}

/// The backends a test may load into here.
fn targets() -> Vec<Backend> {
    let mut out = vec![Backend::Redb];
    if server_common::postgres::available("loading into PostgreSQL") {
        out.push(Backend::Postgres);
    }
    out
}

/// Loads `state` (written to a file) into a fresh node on `backend`, which
/// must dump the same document and answer every read as `source` does.
fn loads_identically(source: SocketAddr, state: &StateDocument, backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.json");
    std::fs::write(&file, serde_json::to_vec(state).unwrap()).unwrap();
    let mut config = fresh_config(backend, &dir.path().join("data"));
    config.state = StateFiles {
        load: Some(file),
        ..StateFiles::default()
    };
    let copy = spawn_background(config);
    assert_eq!(&dump_at(copy.addr), state, "{backend:?}: another dump");
    assert_eq!(
        all_reads(copy.addr, state),
        all_reads(source, state),
        "{backend:?}: another read"
    );
}

fn spawn_background(config: NodeConfig) -> tokensign::node::RunningNode {
    tokensign::node::spawn_background(config, "127.0.0.1:0".parse().unwrap()).expect("node starts")
}

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
    let backend = server_common::backend();
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

server_common::on_both_backends!(
    a_dumped_state_loads_into_a_fresh_node_on_each_backend,
    random_sequences_round_trip,
);

/// A sandbox moves from redb to PostgreSQL and back, unchanged.
#[test]
fn redb_to_postgres_to_redb() {
    if !server_common::postgres::available("redb_to_postgres_to_redb") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.json");
    let mut config = fresh_config(Backend::Redb, &dir.path().join("redb1"));
    config.state.dump = Some(file.clone());
    let first = spawn_background(config);
    for s in [
        Step::Issue(2),
        Step::Mint {
            token: 2,
            to: 0,
            value: 77,
        },
        Step::Pay {
            from: 0,
            to: 1,
            token: 2,
            value: 7,
        },
        Step::AbcMint {
            token: 2,
            amount: 1,
        },
    ] {
        apply(first.addr, &s);
    }
    let original = dump_at(first.addr);
    let reads = all_reads(first.addr, &original);
    first.shutdown().unwrap();
    // A clean exit wrote the file.
    let written: StateDocument = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(written, original);

    let mut config = fresh_config(Backend::Postgres, &dir.path().join("unused"));
    config.state = StateFiles {
        load: Some(file.clone()),
        load_if_exists: false,
        dump: Some(file.clone()),
    };
    let on_pg = spawn_background(config);
    assert_eq!(all_reads(on_pg.addr, &original), reads);
    on_pg.shutdown().unwrap();

    let mut config = fresh_config(Backend::Redb, &dir.path().join("redb2"));
    config.state.load = Some(file);
    let back = spawn_background(config);
    assert_eq!(dump_at(back.addr), original);
    assert_eq!(all_reads(back.addr, &original), reads);
}

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
