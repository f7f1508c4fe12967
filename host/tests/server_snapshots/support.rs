//! Snapshots taken and reverted, and payments sent without a key, through
//! the development controls.

use std::net::SocketAddr;

use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::{json, Value};
use tokensign_core::Address;

pub fn send(a: SocketAddr, body: Value) -> String {
    hash_of_accepted(&post_dev(a, "/dev/send", body))
}

pub fn snapshot(a: SocketAddr) -> u64 {
    let r = post_json(a, "/dev/snapshot", "");
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_schema("DevSnapshot", &v);
    v["id"].as_u64().unwrap()
}

pub fn revert(a: SocketAddr, id: u64) -> Value {
    let r = post_dev(a, "/dev/revert", json!({ "id": id }));
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_schema("DevReverted", &v);
    assert_eq!(v["id"], id);
    v
}

/// Everything a client can read about `addresses`, `tokens` and
/// `hashes`, and every checkpoint: (path, status, body).
pub fn view(
    a: SocketAddr,
    addresses: &[Address],
    tokens: &[Address],
    hashes: &[String],
) -> Vec<Value> {
    let mut paths = vec!["/v1/checkpoints/number".to_owned()];
    let latest = get(a, "/v1/checkpoints/number").json()["number"]
        .as_u64()
        .unwrap();
    // One past the latest: it must be missing as it was.
    for n in 0..=latest + 1 {
        paths.push(format!("/v1/checkpoints/by_number?number={n}&full=true"));
    }
    for who in addresses {
        paths.push(format!("/v1/accounts/nonce?address={who}"));
        paths.push(format!("/explorer/api/account?address={who}"));
        for token in tokens {
            paths.push(format!(
                "/v1/accounts/token_account?address={who}&token={token}"
            ));
        }
    }
    for token in tokens {
        paths.push(format!("/v1/tokens/token_metadata?token={token}"));
    }
    for hash in hashes {
        paths.push(format!("/v1/transactions/by_hash?hash={hash}"));
        paths.push(format!("/v1/transactions/receipt/by_hash?hash={hash}"));
        paths.push(format!("/v1/transactions/finalized/by_hash?hash={hash}"));
    }
    paths
        .into_iter()
        .map(|path| {
            let r = get(a, &path);
            let body = serde_json::from_str::<Value>(&r.body).unwrap_or(Value::Null);
            json!({"path": path, "status": r.status, "body": body})
        })
        .collect()
}

pub fn assert_same_view(now: &[Value], then: &[Value], at: usize) {
    assert_eq!(now.len(), then.len(), "at point {at}");
    for (n, t) in now.iter().zip(then) {
        assert_eq!(n, t, "at point {at}");
    }
}

pub fn gilt_token() -> Address {
    tokensign_core::tx::TokenIssue {
        symbol: tokensign_core::text::Text::new("GILT").unwrap(),
        name: tokensign_core::text::Text::new("Gilt").unwrap(),
        decimals: 2,
        master_authority: master_key().address(),
        is_private: false,
        clawback_enabled: Some(true),
    }
    .token_address()
}
