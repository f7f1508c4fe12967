//! The state tests' fixtures: keys, random steps and their application to
//! a node, every read of a state, fresh nodes on each backend, and the check
//! that a dumped state loads identically.

use std::net::SocketAddr;
use std::path::Path;

use crate::server_common::postgres::Cluster;
use crate::server_common::*;
use proptest::prelude::*;
use tokensign::node::{NodeConfig, StateDocument, StateFiles};
use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::{Address, Amount, SigningKey};

pub fn holders() -> Vec<SigningKey> {
    (0..4).map(|i| key(0x60 + i)).collect()
}

pub fn master_key() -> SigningKey {
    key(0x44)
}

/// One operation of a random sequence (most are accepted; those that are
/// refused must change nothing).
#[derive(Clone, Debug)]
pub enum Step {
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

pub fn step() -> impl Strategy<Value = Step> {
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

pub fn symbol(i: u8) -> String {
    format!("ST{i}")
}

pub fn token_of_symbol(i: u8) -> Address {
    token_address(&master_key().address(), &symbol(i))
}

/// Applies `step` through the node at `at`; an accepted write is a 200, a
/// refusal a 4xx; nothing else.
pub fn apply(at: SocketAddr, step: &Step) {
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
pub fn all_reads(at: SocketAddr, state: &StateDocument) -> Vec<(String, u16, String)> {
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
pub fn fresh_config(backend: Backend, dir: &Path) -> NodeConfig {
    let mut config = NodeConfig::new(dir.to_path_buf(), vec![addr(&operator())]);
    match backend {
        Backend::Postgres => config.database = Some(Cluster::shared().fresh_database()),
        Backend::Memory => config.in_memory = true,
        Backend::Redb => {}
    }
    config
}

/// The backends a test may load into here.
pub fn targets() -> Vec<Backend> {
    let mut out = vec![Backend::Redb, Backend::Memory];
    if crate::server_common::postgres::available("loading into PostgreSQL") {
        out.push(Backend::Postgres);
    }
    out
}

/// Loads `state` (written to a file) into a fresh node on `backend`, which
/// must dump the same document and answer every read as `source` does.
pub fn loads_identically(source: SocketAddr, state: &StateDocument, backend: Backend) {
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

pub fn spawn_background(config: NodeConfig) -> tokensign::node::RunningNode {
    tokensign::node::spawn_background(config, "127.0.0.1:0".parse().unwrap()).expect("node starts")
}
