//! Edits of the state: a balance (with the supply) and a nonce.

use super::support::*;
use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::json;
use tokensign_core::native::NativeTx;
use tokensign_core::tx::{Transaction, CHAIN_ID_TESTNET};
use tokensign_core::Address;

#[test]
fn set_balance_moves_the_supply_with_it() {
    let live = live_with(|_| {});
    let a = live.a();
    let before = supply(a, &live.token);
    let payer_balance = balance_at(a, &payer().address(), &live.token);
    let holder = keyless(0xc1);
    let v = ok(
        post_dev(
            a,
            "/dev/set_balance",
            json!({"address": holder.to_string(), "token": live.token.to_string(), "balance": "0x3e8"}),
        ),
        "DevBalanceSet",
    );
    assert_eq!(
        (v["balance"].as_str(), v["previous"].as_str()),
        (Some("1000"), Some("0"))
    );
    assert_eq!(balance_at(a, &holder, &live.token), 1000);
    assert_eq!(supply(a, &live.token), before + 1000);
    // Lowering a balance lowers the supply; no transaction, no checkpoint,
    // no nonce.
    let checkpoint = latest_checkpoint(a);
    let v = ok(
        post_dev(
            a,
            "/dev/set_balance",
            json!({"address": payer().address().to_string(), "token": live.token.to_string(), "balance": "1"}),
        ),
        "DevBalanceSet",
    );
    assert_eq!(v["previous"].as_str().unwrap(), payer_balance.to_string());
    assert_eq!(supply(a, &live.token), before + 1000 - payer_balance + 1);
    assert_eq!(latest_checkpoint(a), checkpoint);
    assert_eq!(nonce_at(a, &payer().address()), 0);
    // The ledger's invariant: the supply is the sum of the balances.
    let sum: u128 = [holder, payer().address()]
        .iter()
        .map(|w| balance_at(a, w, &live.token))
        .sum();
    assert_eq!(supply(a, &live.token), sum);
    // Refusals.
    let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    let set = |who: &Address, token: &Address, balance: &str| {
        post_dev(
            a,
            "/dev/set_balance",
            json!({"address": who.to_string(), "token": token.to_string(), "balance": balance}),
        )
    };
    set(&holder, &keyless(0xee), "1").assert_error(404, "TOKEN_NOT_FOUND");
    set(&keyless(0xc2), &live.token, max).assert_error(422, "AMOUNT_OVERFLOW");
    assert_eq!(balance_at(a, &keyless(0xc2), &live.token), 0);
    set(&holder, &live.token, "1.5").assert_error(400, "INVALID_NUMBER");
    post_json(
        a,
        "/dev/set_balance",
        r#"{"address":"0x12","token":"0x12","balance":"1"}"#,
    )
    .assert_error(400, "INVALID_ADDRESS");
    post_json(a, "/dev/set_balance", r#"{"address":"0x12"}"#).assert_error(400, "MISSING_FIELD");
    request(
        a,
        "POST",
        "/dev/set_balance",
        Some("text/plain"),
        br#"{"address":"0x12"}"#,
    )
    .assert_error(400, "UNSUPPORTED_MEDIA_TYPE");
}

#[test]
fn set_nonce_decides_the_next_transaction() {
    let live = live_with(|_| {});
    let a = live.a();
    let who = payer().address();
    let v = ok(
        post_dev(
            a,
            "/dev/set_nonce",
            json!({"address": who.to_string(), "nonce": 5}),
        ),
        "DevNonceSet",
    );
    assert_eq!(
        (v["nonce"].as_u64(), v["previous"].as_u64()),
        (Some(5), Some(0))
    );
    assert_eq!(nonce_at(a, &who), 5);
    // A transaction signed at the old nonce is refused; at 5 it goes.
    let stale = NativeTx::sign(
        Transaction::new(CHAIN_ID_TESTNET, 0, live.payment(keyless(0xd1), 1)),
        &payer(),
    )
    .unwrap();
    post_native(a, &stale).assert_error(422, "NONCE_MISMATCH");
    live.pay(keyless(0xd1), 1);
    assert_eq!(nonce_at(a, &who), 6);
    // Down again (a replay of the same bytes is still a duplicate).
    ok(
        post_dev(
            a,
            "/dev/set_nonce",
            json!({"address": who.to_string(), "nonce": 0}),
        ),
        "DevNonceSet",
    );
    assert_eq!(nonce_at(a, &who), 0);
    // No transaction can carry a nonce above 2^63-1.
    post_dev(
        a,
        "/dev/set_nonce",
        json!({"address": who.to_string(), "nonce": 9_223_372_036_854_775_808u64}),
    )
    .assert_error(400, "INVALID_NUMBER");
    post_json(
        a,
        "/dev/set_nonce",
        &format!(r#"{{"address":"{who}","nonce":-1}}"#),
    )
    .assert_error(400, "INVALID_NUMBER");
    post_json(
        a,
        "/dev/set_nonce",
        &format!(r#"{{"address":"{who}","nonce":"1"}}"#),
    )
    .assert_error(400, "INVALID_TYPE");
    // A whole number in any JSON form is a whole number.
    ok(
        post_json(
            a,
            "/dev/set_nonce",
            &format!(r#"{{"address":"{who}","nonce":3e0}}"#),
        ),
        "DevNonceSet",
    );
    assert_eq!(nonce_at(a, &who), 3);
}
