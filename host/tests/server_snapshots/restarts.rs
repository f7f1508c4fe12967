//! A revert, and the snapshots, across a restart.

use super::support::*;
use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::json;
use tokensign::node::NodeConfig;

#[test]
fn a_revert_survives_a_restart_and_so_do_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let config = NodeConfig::new(dir.path().to_path_buf(), vec![addr(&operator())]);
    let node = start_with(config.clone());
    let a = node.addr;
    let holder = keyless(0x71);
    let issue = send(
        a,
        json!({"from": operator().address().to_string(), "operation": "TokenIssue",
               "symbol": "GILT", "name": "Gilt", "decimals": 2,
               "master_authority": master_key().address().to_string(), "is_private": false,
               "clawback_enabled": true}),
    );
    let mint_to = |a, value: &str| {
        send(
            a,
            json!({"from": master_key().address().to_string(), "operation": "TokenMint",
                   "recipient": holder.to_string(), "value": value,
                   "token": gilt_token().to_string()}),
        )
    };
    let balance = |a| {
        get(
            a,
            &format!(
                "/v1/accounts/token_account?address={holder}&token={}",
                gilt_token()
            ),
        )
        .json()["balance"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    mint_to(a, "10");
    let first = snapshot(a);
    mint_to(a, "20");
    let second = snapshot(a);
    let later = mint_to(a, "30");
    assert_eq!(balance(a), "60");
    revert(a, second);
    assert_eq!(balance(a), "30");
    node.shutdown().unwrap();
    // The revert is durable, and the earlier snapshot still there.
    let node = start_with(config.clone());
    let a = node.addr;
    assert_eq!(balance(a), "30");
    get(a, &format!("/v1/transactions/by_hash?hash={later}"))
        .assert_error(404, "resource_transaction_not_found");
    post_dev(a, "/dev/revert", json!({ "id": second })).assert_error(404, "SNAPSHOT_NOT_FOUND");
    revert(a, first);
    assert_eq!(balance(a), "10");
    assert_eq!(
        get(a, &format!("/v1/transactions/by_hash?hash={issue}")).status,
        200
    );
    node.shutdown().unwrap();
    let node = start_with(config);
    assert_eq!(balance(node.addr), "10");
}
