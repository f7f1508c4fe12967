//! A payment load through node processes, and what must hold after it:
//! every acknowledged payment stored once, no nonce used twice, no double
//! spend.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::support::*;
use crate::server_common::*;
use tokensign::node::codes;
use tokensign_core::tx::Payment;
use tokensign_core::{Address, Amount, SigningKey};

/// An acknowledged payment.
#[derive(Clone, Debug)]
pub struct Acked {
    pub hash: String,
    pub from: Address,
    pub nonce: u64,
}

/// Sends `count` payments from `key` through `at`: each
/// reads the nonce there and pays `base`..`base + 2` units to one of `to`
/// (threads of one sender use different bases, so that their payments
/// differ). Records what
/// was acknowledged; other answers must be a nonce race, a node gone or a
/// database unavailable.
pub fn pay_loop(
    at: SocketAddr,
    base: u64,
    key: SigningKey,
    token: Address,
    to: Vec<Address>,
    count: usize,
    acked: Arc<Mutex<Vec<Acked>>>,
) {
    for i in 0..count {
        let Ok(nonce) = std::panic::catch_unwind(|| nonce_at(at, &key.address())) else {
            // The node is gone or the database is down: try again.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let pay = Payment {
            recipient: to[i % to.len()],
            value: Amount::from_u64(base + (i % 3) as u64),
            token,
        };
        let r = match std::panic::catch_unwind(|| post_signed(at, &key, nonce, pay)) {
            Ok(r) => r,
            Err(_) => continue,
        };
        match r.status {
            200 => acked.lock().unwrap().push(Acked {
                hash: r.json()["hash"].as_str().unwrap().to_owned(),
                from: key.address(),
                nonce,
            }),
            422 => assert_eq!(r.json()["error_code"], codes::NONCE_MISMATCH, "{}", r.body),
            503 => {
                assert_eq!(
                    r.json()["error_code"],
                    codes::DATABASE_UNAVAILABLE,
                    "{}",
                    r.body
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
}

/// Every acknowledged payment is stored (read through `at`), no nonce was
/// used twice, each sender's nonce and balance add up, and the state's
/// invariants hold.
pub fn check_after_load(at: SocketAddr, token: Address, keys: &[SigningKey], acked: &[Acked]) {
    let mut seen = HashSet::new();
    for a in acked {
        assert!(
            seen.insert((a.from, a.nonce)),
            "nonce {} of {} acknowledged twice",
            a.nonce,
            a.from
        );
        let r = get(at, &format!("/v1/transactions/by_hash?hash={}", a.hash));
        assert_eq!(r.status, 200, "acknowledged {} lost: {}", a.hash, r.body);
    }
    let state = dump_at(at);
    assert_invariants(&state);
    // Each sender: its nonce counts its payments; minted = held + sent -
    // received.
    let mut sent: HashMap<String, u128> = HashMap::new();
    let mut received: HashMap<String, u128> = HashMap::new();
    let mut count: HashMap<String, u64> = HashMap::new();
    for r in &state.transactions {
        if r.transaction.transaction_type != "TokenTransfer" {
            continue;
        }
        let value: u128 = r.transaction.data["value"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let to = r.transaction.data["recipient"].as_str().unwrap().to_owned();
        *sent.entry(r.transaction.from.clone()).or_default() += value;
        *received.entry(to).or_default() += value;
        *count.entry(r.transaction.from.clone()).or_default() += 1;
    }
    for k in keys {
        let who = k.address().to_string();
        assert_eq!(
            nonce_at(at, &k.address()),
            count.get(&who).copied().unwrap_or(0),
            "{who}: nonce vs stored payments"
        );
        let r = get(
            at,
            &format!("/v1/accounts/token_account?address={who}&token={token}"),
        );
        let held: u128 = r.json()["balance"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            held + sent.get(&who).copied().unwrap_or(0),
            u128::from(FUNDS) + received.get(&who).copied().unwrap_or(0),
            "{who}: no double spend"
        );
    }
}
