//! Two processes writing to one ledger at once.

use std::sync::{Arc, Barrier, Mutex};

use super::load::*;
use super::support::*;
use crate::server_common::postgres::Cluster;
use crate::server_common::*;
use tokensign::node::codes;
use tokensign_core::tx::Payment;
use tokensign_core::{Address, Amount};

/// Two processes on one database under concurrent payments from the same
/// accounts through both.
#[test]
fn two_processes_one_ledger_concurrent_payments_from_the_same_accounts() {
    if !crate::server_common::postgres::available("two_processes_one_ledger") {
        return;
    }
    let url = Cluster::shared().fresh_database();
    let TwoNodes { a, b, keys, token } = two_nodes(&url, 4, "SHARE");
    // Acknowledged by A, readable from B at once.
    let r = get(b.addr, &format!("/v1/tokens/token_metadata?token={token}"));
    assert_eq!(r.status, 200, "{}", r.body);
    let pay = Payment {
        recipient: keys[1].address(),
        value: Amount::from_u64(5),
        token,
    };
    let r = post_signed(a.addr, &keys[0], 0, pay);
    assert_eq!(r.status, 200, "{}", r.body);
    let hash = r.json()["hash"].as_str().unwrap().to_owned();
    let seen = get(
        b.addr,
        &format!("/v1/transactions/receipt/by_hash?hash={hash}"),
    );
    assert_eq!(
        seen.status, 200,
        "B does not see A's payment: {}",
        seen.body
    );
    assert_eq!(nonce_at(b.addr, &keys[0].address()), 1);

    let acked = Arc::new(Mutex::new(vec![Acked {
        hash,
        from: keys[0].address(),
        nonce: 0,
    }]));
    let to: Vec<Address> = keys.iter().map(|k| k.address()).collect();
    let mut threads = Vec::new();
    for k in &keys {
        for (at, base) in [(a.addr, 1), (b.addr, 4)] {
            let (k, to, acked) = (k.clone(), to.clone(), acked.clone());
            threads.push(std::thread::spawn(move || {
                pay_loop(at, base, k, token, to, 40, acked)
            }));
        }
    }
    for t in threads {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 40,
        "only {} payments went through",
        acked.len()
    );
    check_after_load(a.addr, token, &keys, &acked);
    check_after_load(b.addr, token, &keys, &acked);
}

/// The same account's nonce raced through both processes: exactly one
/// transaction is admitted each time.
#[test]
fn the_same_nonce_through_two_processes_admits_exactly_one() {
    if !crate::server_common::postgres::available("the_same_nonce_through_two_processes") {
        return;
    }
    let url = Cluster::shared().fresh_database();
    let TwoNodes { a, b, keys, token } = two_nodes(&url, 1, "RACE");
    for round in 0..20u64 {
        let barrier = Arc::new(Barrier::new(2));
        let answers: Vec<Resp> = [(a.addr, 1u64), (b.addr, 2u64)]
            .into_iter()
            .map(|(at, value)| {
                let (k, barrier) = (keys[0].clone(), barrier.clone());
                std::thread::spawn(move || {
                    let pay = Payment {
                        recipient: key(0x99).address(),
                        value: Amount::from_u64(value),
                        token,
                    };
                    barrier.wait();
                    post_signed(at, &k, round, pay)
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        let wins = answers.iter().filter(|r| r.status == 200).count();
        assert_eq!(wins, 1, "round {round}: {answers:?}");
        for r in answers.iter().filter(|r| r.status != 200) {
            r.assert_error(422, codes::NONCE_MISMATCH);
        }
    }
    assert_eq!(nonce_at(b.addr, &keys[0].address()), 20);
    assert_invariants(&dump_at(b.addr));
}
