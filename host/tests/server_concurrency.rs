//! Parallel load on one server: no nonce is used twice, no token or symbol
//! is issued twice, and exactly the right requests succeed.

mod server_common;

use std::sync::Barrier;

use serde_json::json;
use server_common::*;
use tokensign::node::codes;
use tokensign_core::tx::{token_address, CHAIN_ID_TESTNET};
use tokensign_core::Address;

fn sixteen_threads_race_the_same_nonce_exactly_one_wins() {
    let dir = tempfile::tempdir().unwrap();
    let op = operator();
    let node = start(dir.path(), vec![addr(&op)]);
    let a = node.addr;
    for round in 0..3u64 {
        let barrier = Barrier::new(16);
        let results: Vec<(String, Resp)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..16)
                .map(|i| {
                    let barrier = &barrier;
                    let op = &op;
                    s.spawn(move || {
                        let symbol = format!("R{round}T{i}");
                        let req = sign(op, payload(round, &symbol, None));
                        barrier.wait();
                        (symbol, issue(a, &req))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let winners: Vec<_> = results.iter().filter(|(_, r)| r.status == 200).collect();
        assert_eq!(winners.len(), 1, "round {round}: {results:?}");
        for (_, r) in results.iter().filter(|(_, r)| r.status != 200) {
            r.assert_error(422, codes::NONCE_MISMATCH);
        }
        // Only the winner's token exists.
        for (symbol, r) in &results {
            let token = token_address(&master(), symbol);
            let meta = get(a, &format!("/v1/tokens/token_metadata?token={token}"));
            assert_eq!(meta.status == 200, r.status == 200, "{symbol}");
        }
        assert_eq!(
            get(a, &format!("/v1/accounts/nonce?address={}", addr(&op))).json(),
            json!({"nonce": round + 1})
        );
    }
}

fn distinct_signers_in_parallel_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let keys: Vec<_> = (0..8u8).map(|i| key(0x40 + i)).collect();
    let node = start(dir.path(), keys.iter().map(addr).collect());
    let a = node.addr;
    const PER: u64 = 12;
    let hashes: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                s.spawn(move || {
                    (0..PER)
                        .map(|n| {
                            let req = sign(k, payload(n, &format!("D{i}N{n}"), Some(n % 2 == 0)));
                            let r = issue(a, &req);
                            assert_eq!(r.status, 200, "{}", r.body);
                            assert_eq!(r.json()["hash"], hex0x(&tx_hash_of(&req)));
                            hex0x(&tx_hash_of(&req))
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all: Vec<&String> = hashes.iter().flatten().collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 8 * PER as usize);
    for h in all {
        assert_eq!(
            get(a, &format!("/v1/transactions/by_hash?hash={h}")).status,
            200
        );
    }
    for k in &keys {
        assert_eq!(
            get(a, &format!("/v1/accounts/nonce?address={}", addr(k))).json(),
            json!({"nonce": PER})
        );
    }
}

fn racing_the_same_symbol_issues_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let keys: Vec<_> = (0..16u8).map(|i| key(0x60 + i)).collect();
    let node = start(dir.path(), keys.iter().map(addr).collect());
    let a = node.addr;
    let barrier = Barrier::new(16);
    // Even threads use one master authority (same token address), odd ones
    // another (same symbol, other token address).
    let results: Vec<Resp> = std::thread::scope(|s| {
        let handles: Vec<_> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let barrier = &barrier;
                s.spawn(move || {
                    let m = if i % 2 == 0 { master() } else { Address::ZERO };
                    let req = sign(k, payload_with(CHAIN_ID_TESTNET, 0, "RACE", m, None));
                    barrier.wait();
                    issue(a, &req)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        results.iter().filter(|r| r.status == 200).count(),
        1,
        "{results:?}"
    );
    for r in results.iter().filter(|r| r.status != 200) {
        let code = r.json()["error_code"].as_str().unwrap().to_string();
        assert!(
            code == codes::TOKEN_ALREADY_EXISTS || code == codes::SYMBOL_ALREADY_EXISTS,
            "{}",
            r.body
        );
        r.assert_error(422, &code);
    }
    // Exactly one of the two candidate tokens exists.
    let found = [master(), Address::ZERO]
        .iter()
        .filter(|m| {
            let t = token_address(m, "RACE");
            get(a, &format!("/v1/tokens/token_metadata?token={t}")).status == 200
        })
        .count();
    assert_eq!(found, 1);
    // Losers did not consume their nonce.
    let losers_at_zero = keys
        .iter()
        .filter(|k| get(a, &format!("/v1/accounts/nonce?address={}", addr(k))).json()["nonce"] == 0)
        .count();
    assert_eq!(losers_at_zero, 15);
}

fn parallel_mints_of_one_asset_mint_once() {
    let dir = tempfile::tempdir().unwrap();
    let op = operator();
    let node = start(dir.path(), vec![addr(&op)]);
    let a = node.addr;
    assert_eq!(issue(a, &sign(&op, payload(0, "GILT", None))).status, 200);
    let barrier = Barrier::new(12);
    let results: Vec<Resp> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..12)
            .map(|i| {
                let barrier = &barrier;
                s.spawn(move || {
                    barrier.wait();
                    post_json(
                        a,
                        "/api/tokens/mint",
                        &format!(r#"{{"asset_id":"GILT","amount":{},"recipient_wallet_address":"w{i}"}}"#, i + 1),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.iter().filter(|r| r.status == 200).count(), 1);
    assert_eq!(results.iter().filter(|r| r.status == 409).count(), 11);
}

on_every_backend!(
    sixteen_threads_race_the_same_nonce_exactly_one_wins,
    distinct_signers_in_parallel_all_succeed,
    racing_the_same_symbol_issues_it_once,
    parallel_mints_of_one_asset_mint_once,
);
