//! The writer's own state after a revert: its token cache, nonces,
//! duplicates, pending transactions and checkpoint numbers.

use super::support::*;
use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::json;
use tokensign_core::native::NativeTx;

#[test]
fn the_writer_follows_a_revert_tokens_nonces_and_duplicates() {
    let live = live_with(|_| {});
    let a = live.a();
    let before = snapshot(a);
    // A token issued after the snapshot: the writer caches it.
    send(
        a,
        json!({"from": operator().address().to_string(), "operation": "TokenIssue",
               "symbol": "GILT", "name": "Gilt", "decimals": 2,
               "master_authority": master_key().address().to_string(), "is_private": false,
               "clawback_enabled": true}),
    );
    let signed =
        NativeTx::sign(live.tx(&payer(), live.payment(keyless(0xe1), 9)), &payer()).unwrap();
    let hash = live.post_native(&signed);
    revert(a, before);
    // The token is gone for the writer too (not only for the reads): a
    // mint of it is refused.
    post_dev(
        a,
        "/dev/send",
        json!({"from": master_key().address().to_string(), "operation": "TokenMint",
               "recipient": keyless(0xe1).to_string(), "value": "1",
               "token": gilt_token().to_string()}),
    )
    .assert_error(422, "UNKNOWN_TOKEN");
    // The same signed payment is new again (same nonce, no duplicate).
    assert_eq!(live.post_native(&signed), hash);
    // A token's supply in the writer's cache follows too.
    let at = snapshot(a);
    let supply = |a| {
        get(
            a,
            &format!("/v1/tokens/token_metadata?token={}", live.token),
        )
        .json()["supply"]
            .as_str()
            .unwrap()
            .parse::<u128>()
            .unwrap()
    };
    let s0 = supply(a);
    let r = post_dev(
        a,
        "/dev/set_balance",
        json!({"address": keyless(0xe2).to_string(), "token": live.token.to_string(),
               "balance": "1000"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(supply(a), s0 + 1000);
    revert(a, at);
    assert_eq!(supply(a), s0);
    live.v2(
        &master_key(),
        tokensign_core::tx::TokenMint {
            recipient: keyless(0xe3),
            value: tokensign_core::Amount::from_u64(7),
            token: live.token,
        },
    );
    assert_eq!(
        supply(a),
        s0 + 7,
        "the mint started from the reverted supply"
    );
    // ABC-Lab mints: the counter goes back too.
    send(
        a,
        json!({"from": operator().address().to_string(), "operation": "TokenIssue",
               "symbol": "UKGILT2030", "name": "Gilt", "decimals": 2,
               "master_authority": master_key().address().to_string(), "is_private": false}),
    );
    let body = r#"{"asset_id": "UKGILT2030", "amount": 5, "recipient_wallet_address": "0xA1B2C3D4E5F6A7B8C9D0"}"#;
    let at = snapshot(a);
    let first = mint(a, body);
    assert_eq!(first.status, 200, "{}", first.body);
    revert(a, at);
    let again = mint(a, body);
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(first.json()["token_id"], again.json()["token_id"]);
}

#[test]
fn pending_transactions_and_checkpoint_numbers_follow_a_revert() {
    let live = live_with(|_| {});
    let a = live.a();
    let mode = |m: &str| {
        let r = post_dev(a, "/dev/checkpoint_mode", json!({ "mode": m }));
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    };
    mode("manual");
    let placed = live.pay(keyless(0xf1), 1);
    // A snapshot is a checkpoint: the pending payment is placed first.
    let latest_before = live.latest();
    let r = post_json(a, "/dev/snapshot", "");
    let taken = r.json();
    assert_eq!(taken["checkpoint"], latest_before + 1, "{taken}");
    let id = taken["id"].as_u64().unwrap();
    let receipt = get(
        a,
        &format!("/v1/transactions/receipt/by_hash?hash={placed}"),
    )
    .json();
    assert_eq!(receipt["checkpoint_number"], latest_before + 1);
    // Pending after the snapshot, then reverted away.
    let gone = live.pay(keyless(0xf2), 2);
    assert_eq!(mode("manual")["pending"], 1);
    let back = revert(a, id);
    assert_eq!(back["checkpoint"], latest_before + 1);
    assert_eq!(
        mode("manual")["pending"],
        0,
        "nothing pending after a revert"
    );
    get(a, &format!("/v1/transactions/by_hash?hash={gone}"))
        .assert_error(404, "resource_transaction_not_found");
    // The next checkpoint follows the reverted one, over what is pending
    // now only.
    let next = live.pay(keyless(0xf3), 3);
    let r = post_json(a, "/dev/checkpoint", "");
    assert_eq!(r.status, 200, "{}", r.body);
    let closed = r.json();
    assert_eq!(closed["number"], latest_before + 2);
    assert_eq!(closed["transactions"], 1);
    let c = get(
        a,
        &format!("/v1/checkpoints/by_number?number={}", latest_before + 2),
    )
    .json();
    assert!(c.to_string().contains(next.trim_start_matches("0x")), "{c}");
    assert!(
        !c.to_string().contains(gone.trim_start_matches("0x")),
        "{c}"
    );
    // In auto mode a revert and a payment: the new checkpoint takes the
    // number after the restored one.
    mode("auto");
    let id = snapshot(a);
    let at = live.latest();
    live.pay(keyless(0xf4), 4);
    live.pay(keyless(0xf4), 4);
    assert_eq!(live.latest(), at + 2);
    revert(a, id);
    assert_eq!(live.latest(), at);
    live.pay(keyless(0xf5), 5);
    assert_eq!(live.latest(), at + 1);
}
