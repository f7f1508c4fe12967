//! Every read at every point of a sequence of operations, given back by a
//! revert to that point.

use super::support::*;
use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::json;
use tokensign_core::Address;

/// The operations of the sequence, each as `/dev/send` bodies or signed
/// writes; every one leaves something a read shows. Returns the hashes
/// it made.
fn step(live: &Live, i: usize, multisig: &mut Option<Address>) -> Vec<String> {
    let a = live.a();
    let op = operator().address();
    let master = master_key().address();
    let gilt = gilt_token();
    match i {
        // A signed v2 payment.
        0 => vec![live.pay(keyless(0xc1), 1_000)],
        // An issue (as the operator, without its key), then a mint.
        1 => vec![send(
            a,
            json!({"from": op.to_string(), "operation": "TokenIssue", "symbol": "GILT",
                   "name": "Gilt", "decimals": 2, "master_authority": master.to_string(),
                   "is_private": false, "clawback_enabled": true}),
        )],
        2 => vec![send(
            a,
            json!({"from": master.to_string(), "operation": "TokenMint",
                   "recipient": keyless(0xc1).to_string(), "value": "700",
                   "token": gilt.to_string()}),
        )],
        // A payment as a keyless holder, a blacklist and a clawback.
        3 => vec![send(
            a,
            json!({"from": keyless(0xc1).to_string(), "operation": "Payment",
                   "recipient": keyless(0xc2).to_string(), "value": "100",
                   "token": gilt.to_string()}),
        )],
        4 => vec![
            send(
                a,
                json!({"from": master.to_string(), "operation": "TokenBlacklist",
                       "action": "Add", "address": keyless(0xc2).to_string(),
                       "token": gilt.to_string()}),
            ),
            send(
                a,
                json!({"from": master.to_string(), "operation": "TokenClawback",
                       "clawback_from": keyless(0xc2).to_string(),
                       "recipient": master.to_string(), "value": "40",
                       "token": gilt.to_string()}),
            ),
        ],
        // A multisig account, funded, paying.
        5 => {
            let hash = send(
                a,
                json!({"from": keyless(0xc3).to_string(), "operation": "CreateMultiSig",
                       "signers": two_signers(), "threshold": 2}),
            );
            let created = get(a, &format!("/v1/transactions/by_hash?hash={hash}")).json();
            *multisig = Some(
                Address::parse(created["data"]["multisig_address"].as_str().unwrap()).unwrap(),
            );
            vec![hash]
        }
        6 => {
            let account = multisig.expect("created at step 5");
            vec![
                live.pay(account, 5_000),
                send(
                    a,
                    json!({"from": account.to_string(), "operation": "Payment",
                           "recipient": keyless(0xc4).to_string(), "value": "2000",
                           "token": live.token.to_string()}),
                ),
            ]
        }
        // State controls: a balance (the supply follows) and a nonce.
        7 => {
            let r = post_dev(
                a,
                "/dev/set_balance",
                json!({"address": keyless(0xc4).to_string(), "token": gilt.to_string(),
                       "balance": "12345"}),
            );
            assert_eq!(r.status, 200, "{}", r.body);
            let r = post_dev(
                a,
                "/dev/set_nonce",
                json!({"address": keyless(0xc1).to_string(), "nonce": 40}),
            );
            assert_eq!(r.status, 200, "{}", r.body);
            Vec::new()
        }
        // A v1 payment.
        _ => vec![live.v1_pay(&payer(), keyless(0xc2), 3)],
    }
}

const STEPS: usize = 9;

/// Snapshot before every step, with every read at that moment; then
/// revert to each point from the last to the first: every read is what it
/// was, and what was made later is gone. Then the sequence again (the
/// same hashes: nonces and duplicates followed), and a revert to its
/// middle, which uses up the later snapshots and keeps the earlier ones.
pub fn every_point(live: &Live) {
    let a = live.a();
    let tokens = [live.token, gilt_token()];
    let mut addresses = vec![
        payer().address(),
        master_key().address(),
        operator().address(),
        keyless(0xc1),
        keyless(0xc2),
        keyless(0xc3),
        keyless(0xc4),
    ];
    // (id, hashes made before it, the addresses then, the reads then)
    let mut points = Vec::new();
    let mut hashes: Vec<String> = Vec::new();
    let mut multisig = None;
    for i in 0..=STEPS {
        let id = snapshot(a);
        let reads = view(a, &addresses, &tokens, &hashes);
        points.push((id, hashes.len(), addresses.clone(), reads));
        if i < STEPS {
            hashes.extend(step(live, i, &mut multisig));
            if let Some(account) = multisig {
                if !addresses.contains(&account) {
                    addresses.push(account);
                }
            }
        }
    }
    let ids: Vec<u64> = points.iter().map(|p| p.0).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, ids, "ids grow and differ");
    for (at, (id, made, then_addresses, then)) in points.iter().enumerate().rev() {
        revert(a, *id);
        let now = view(a, then_addresses, &tokens, &hashes[..*made]);
        assert_same_view(&now, then, at);
        // What was made after the point is gone.
        for hash in &hashes[*made..] {
            get(a, &format!("/v1/transactions/by_hash?hash={hash}"))
                .assert_error(404, "resource_transaction_not_found");
            get(a, &format!("/v1/transactions/receipt/by_hash?hash={hash}"))
                .assert_error(404, "resource_transaction_not_found");
        }
    }
    // Every id is used up now; each is refused by name.
    for id in &ids {
        post_dev(a, "/dev/revert", json!({ "id": id })).assert_error(404, "SNAPSHOT_NOT_FOUND");
    }
    // The same sequence again makes the same transactions: the writer's
    // nonces and duplicate check followed every revert.
    let mut multisig = None;
    let mut replayed = Vec::new();
    let mut replay_hashes = Vec::new();
    for i in 0..=STEPS {
        let id = snapshot(a);
        replayed.push((id, view(a, &addresses, &tokens, &hashes)));
        if i < STEPS {
            replay_hashes.extend(step(live, i, &mut multisig));
        }
    }
    assert_eq!(replay_hashes, hashes);
    // A revert to the middle uses it and every later snapshot up, and
    // keeps the earlier ones.
    let middle = STEPS / 2;
    revert(a, replayed[middle].0);
    assert_same_view(
        &view(a, &addresses, &tokens, &hashes),
        &replayed[middle].1,
        middle,
    );
    for (id, _) in &replayed[middle..] {
        post_dev(a, "/dev/revert", json!({ "id": id })).assert_error(404, "SNAPSHOT_NOT_FOUND");
    }
    revert(a, replayed[1].0);
    assert_same_view(&view(a, &addresses, &tokens, &hashes), &replayed[1].1, 1);
}

#[test]
fn a_revert_gives_back_every_read_at_every_point_of_a_sequence() {
    every_point(&live_with(|_| {}));
}
