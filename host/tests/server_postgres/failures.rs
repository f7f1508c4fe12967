//! Failures mid-load: a process killed, the database restarted or
//! unreachable; nothing acknowledged is lost and the node recovers.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::load::*;
use super::support::*;
use crate::server_common::postgres::Cluster;
use crate::server_common::*;
use tokensign::node::codes;
use tokensign_core::tx::Payment;
use tokensign_core::{Address, Amount};

/// kill -9 of one process mid-load: nothing it acknowledged is lost, and
/// the other keeps serving.
#[test]
fn kill_9_of_one_process_mid_load_loses_nothing() {
    if !crate::server_common::postgres::available("kill_9_of_one_process_mid_load") {
        return;
    }
    let url = Cluster::shared().fresh_database();
    let TwoNodes {
        mut a,
        b,
        keys,
        token,
    } = two_nodes(&url, 4, "KILL");
    let acked = Arc::new(Mutex::new(Vec::new()));
    let to: Vec<Address> = keys.iter().map(|k| k.address()).collect();
    let mut threads = Vec::new();
    for k in &keys {
        for (at, base) in [(a.addr, 1), (b.addr, 4)] {
            let (k, to, acked) = (k.clone(), to.clone(), acked.clone());
            threads.push(std::thread::spawn(move || {
                pay_loop(at, base, k, token, to, 60, acked)
            }));
        }
    }
    // Kill A once the load is under way.
    let started = Instant::now();
    while acked.lock().unwrap().len() < 30 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
    }
    a.kill9();
    for t in threads {
        t.join().unwrap();
    }
    // B still serves: a new payment goes through.
    let n = nonce_at(b.addr, &keys[0].address());
    let pay = Payment {
        recipient: keys[1].address(),
        value: Amount::from_u64(1),
        token,
    };
    let r = post_signed(b.addr, &keys[0], n, pay);
    assert_eq!(r.status, 200, "{}", r.body);
    let mut acked = acked.lock().unwrap().clone();
    acked.push(Acked {
        hash: r.json()["hash"].as_str().unwrap().to_owned(),
        from: keys[0].address(),
        nonce: n,
    });
    check_after_load(b.addr, token, &keys, &acked);
}

/// The database restarted mid-load: the node answers 503 while it is down,
/// recovers by itself, and nothing acknowledged is lost.
#[test]
fn a_database_restart_mid_load_loses_nothing_and_the_node_recovers() {
    if !crate::server_common::postgres::available("a_database_restart_mid_load") {
        return;
    }
    let cluster = Cluster::private();
    let url = cluster.fresh_database();
    let (a, keys, token) = one_node(&url, 3, "RESTART");
    let acked = Arc::new(Mutex::new(Vec::new()));
    let to: Vec<Address> = keys.iter().map(|k| k.address()).collect();
    let at = a.addr;
    let threads: Vec<_> = keys
        .iter()
        .map(|k| {
            let (k, to, acked) = (k.clone(), to.clone(), acked.clone());
            std::thread::spawn(move || pay_loop(at, 1, k, token, to, 80, acked))
        })
        .collect();
    let started = Instant::now();
    while acked.lock().unwrap().len() < 20 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let before = acked.lock().unwrap().len();
    cluster.restart();
    for t in threads {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > before,
        "no payment was acknowledged after the restart ({before} before)"
    );
    check_after_load(a.addr, token, &keys, &acked);
}

/// An unreachable database: reads and writes answer 503
/// DATABASE_UNAVAILABLE promptly (never a hang); back to 200 once it is up.
#[test]
fn an_unreachable_database_gives_503_and_the_node_recovers() {
    if !crate::server_common::postgres::available("an_unreachable_database_gives_503") {
        return;
    }
    let cluster = Cluster::private();
    let url = cluster.fresh_database();
    let (a, keys, token) = one_node(&url, 1, "DOWN");
    cluster.halt();
    let started = Instant::now();
    let r = get(
        a.addr,
        &format!("/v1/accounts/nonce?address={}", keys[0].address()),
    );
    r.assert_error(503, codes::DATABASE_UNAVAILABLE);
    let pay = Payment {
        recipient: key(0x99).address(),
        value: Amount::from_u64(1),
        token,
    };
    let r = post_signed(a.addr, &keys[0], 0, pay.clone());
    r.assert_error(503, codes::DATABASE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    cluster.resume();
    let r = post_signed(a.addr, &keys[0], 0, pay);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(nonce_at(a.addr, &keys[0].address()), 1);
}
