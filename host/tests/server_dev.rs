//! The development controls (`/dev/…`) over HTTP: each control, the gate
//! that keeps them to loopback, their OpenAPI entries, and what they leave
//! in the reads. Done when: `/dev/send` moves tokens as an account whose
//! key is never given.

mod server_common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use server_common::live::*;
use server_common::*;
use tokensign::node::{spawn_background, NodeConfig};
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::tx::{OpType, Transaction, CHAIN_ID_TESTNET};
use tokensign_core::Address;

/// An address nobody has the key of.
fn keyless(byte: u8) -> Address {
    Address([byte; 20])
}

fn dev(a: SocketAddr, path: &str, body: Value) -> Resp {
    post_json(a, path, &body.to_string())
}

/// A control that must succeed; its answer, checked against `schema`.
fn ok(r: Resp, schema: &str) -> Value {
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_schema(schema, &v);
    v
}

fn balance(a: SocketAddr, who: &Address, token: &Address) -> u128 {
    get(
        a,
        &format!("/v1/accounts/token_account?address={who}&token={token}"),
    )
    .json()["balance"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn supply(a: SocketAddr, token: &Address) -> u128 {
    get(a, &format!("/v1/tokens/token_metadata?token={token}")).json()["supply"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn nonce(a: SocketAddr, who: &Address) -> u64 {
    get(a, &format!("/v1/accounts/nonce?address={who}")).json()["nonce"]
        .as_u64()
        .unwrap()
}

fn latest(a: SocketAddr) -> u64 {
    get(a, "/v1/checkpoints/number").json()["number"]
        .as_u64()
        .unwrap()
}

/// A payment of `value` of `token` to `to`, sent as `from` without a key.
fn send_payment(a: SocketAddr, from: &Address, to: &Address, value: u64, token: &Address) -> Resp {
    dev(
        a,
        "/dev/send",
        json!({"from": from.to_string(), "operation": "Payment", "recipient": to.to_string(),
               "value": value.to_string(), "token": token.to_string()}),
    )
}

fn hash_of(r: Resp) -> String {
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["hash"].as_str().unwrap().to_owned()
}

fn receipt(a: SocketAddr, hash: &str) -> Value {
    let r = get(a, &format!("/v1/transactions/receipt/by_hash?hash={hash}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// A v2 payment of one unit from [`payer`] to `to`, at its next nonce.
fn signed_v2(live: &Live, to: Address) -> NativeTx {
    NativeTx::sign(live.tx(&payer(), live.payment(to, 1)), &payer()).unwrap()
}

/// The same as a v1 (legacy) request.
fn signed_v1(live: &Live, to: Address) -> LegacyTx {
    LegacyTx::sign(live.tx(&payer(), live.payment(to, 1)), &payer()).unwrap()
}

/// Waits (bounded) until `done` holds; false if it never did.
fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(30);
    while Instant::now() < until {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn send_moves_tokens_as_an_account_whose_key_is_never_given() {
    let live = live_with(|_| {});
    let a = live.a();
    let (holder, to) = (keyless(0xa1), keyless(0xa2));
    // The holder gets tokens from a signed payment; its key never exists.
    live.pay(holder, 1_000);
    let hash = hash_of(send_payment(a, &holder, &to, 400, &live.token));
    assert_eq!(balance(a, &holder, &live.token), 600);
    assert_eq!(balance(a, &to, &live.token), 400);
    assert_eq!(nonce(a, &holder), 1, "the nonce rose as for a signed write");
    // The reads say how it was sent.
    let tx = get(a, &format!("/v1/transactions/by_hash?hash={hash}")).json();
    assert_schema("Transaction", &tx);
    assert_eq!(tx["from"], holder.to_string());
    assert_eq!(tx["signature"]["r"], format!("0x{}", "0".repeat(64)));
    assert_eq!(tx["signature"]["s"], format!("0x{}", "0".repeat(64)));
    let r = receipt(a, &hash);
    assert_schema("TransactionReceipt", &r);
    assert_eq!(r["impersonated"], true);
    assert!(r["success_info"]["message"]
        .as_str()
        .unwrap()
        .contains("impersonated"));
    assert!(r["checkpoint_number"].is_u64());
    // The explorer reviews it as what the sender would have signed.
    let view = get(a, &format!("/explorer/api/transaction?hash={hash}")).json();
    assert_eq!(view["review"]["scheme"], "v2 (domain-separated)", "{view}");
    assert_eq!(view["review_error"], Value::Null);
    // A signed transaction's receipt does not carry the member.
    let signed = live.pay(to, 1);
    assert!(receipt(a, &signed).get("impersonated").is_none());

    // Every rule but the signature applies, and a refusal stores nothing.
    let r = send_payment(a, &holder, &to, 601, &live.token);
    r.assert_error(422, "INSUFFICIENT_BALANCE");
    assert_eq!(
        (nonce(a, &holder), balance(a, &holder, &live.token)),
        (1, 600)
    );
    // An explicit nonce must be the next one; the chain id the node's.
    let body = |extra: Value| {
        let mut b = json!({"from": holder.to_string(), "operation": "Payment",
            "recipient": to.to_string(), "value": "1", "token": live.token.to_string()});
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        b
    };
    // Their advice is about the body, not a key: nothing here is signed.
    for (extra, code, advice) in [
        (
            json!({"nonce": 7}),
            "NONCE_MISMATCH",
            "send nonce 1, or leave it out",
        ),
        (json!({"chain_id": 1}), "WRONG_CHAIN_ID", "or leave it out"),
    ] {
        let r = dev(a, "/dev/send", body(extra));
        r.assert_error(422, code);
        assert_unsigned_advice(&r, advice);
    }
    hash_of(dev(
        a,
        "/dev/send",
        body(json!({"nonce": 1, "chain_id": CHAIN_ID_TESTNET,
            "memo": {"type": "text", "format": "utf8", "data": "hi"}})),
    ));
    // The core reads the document as it reads a signed one.
    dev(a, "/dev/send", json!({"operation": "Payment"})).assert_error(400, "MISSING_FIELD");
    dev(a, "/dev/send", json!({"from": holder.to_string()})).assert_error(400, "MISSING_FIELD");
    dev(a, "/dev/send", body(json!({"bogus": 1}))).assert_error(400, "UNKNOWN_FIELD");
    dev(a, "/dev/send", body(json!({"value": "-1"}))).assert_error(400, "INVALID_NUMBER");
    dev(a, "/dev/send", body(json!({"from": "0x12"}))).assert_error(400, "INVALID_ADDRESS");
    post_json(
        a,
        "/dev/send",
        &format!(r#"{{"from":"{holder}","from":"{holder}","operation":"Payment"}}"#),
    )
    .assert_error(400, "DUPLICATE_FIELD");
    post_json(a, "/dev/send", "[1]").assert_error(400, "INVALID_TYPE");
    post_json(a, "/dev/send", "{").assert_error(400, "MALFORMED_JSON");
    dev(
        a,
        "/dev/send",
        body(json!({"recipient": Address::default().to_string()})),
    )
    .assert_error(400, "INVALID_VALUE");
}

#[test]
fn send_acts_as_operators_masters_and_multisig_accounts() {
    let live = live_with(|_| {});
    let a = live.a();
    let op = operator().address();
    let master = master_key().address();
    // An issue as the operator (its key is not used).
    let r = dev(
        a,
        "/dev/send",
        json!({"from": op.to_string(), "operation": "TokenIssue", "symbol": "IMP",
               "name": "Impersonated", "decimals": 2, "master_authority": master.to_string(),
               "is_private": false, "clawback_enabled": true}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let token = Address::parse(r.json()["token"].as_str().unwrap()).unwrap();
    // A stranger may not issue: the operator rule still holds.
    let r = dev(
        a,
        "/dev/send",
        json!({"from": keyless(0xb0).to_string(), "operation": "TokenIssue", "symbol": "NOPE",
               "name": "No", "decimals": 2, "master_authority": master.to_string(),
               "is_private": false}),
    );
    r.assert_error(422, "SIGNER_NOT_OPERATOR");
    assert_unsigned_advice(&r, &format!("\"from\" set to an operator's address ({op})"));
    // Nor may a stranger mint: the advice names the master to send as.
    let r = dev(
        a,
        "/dev/send",
        json!({"from": keyless(0xb0).to_string(), "operation": "TokenMint",
               "recipient": keyless(0xb0).to_string(), "value": "1", "token": token.to_string()}),
    );
    r.assert_error(422, "NOT_AUTHORIZED");
    assert_unsigned_advice(
        &r,
        &format!("\"from\" set to its master authority {master}"),
    );
    // Mint as the master, blacklist and claw back (the holder is
    // `clawback_from`: `from` is the sender).
    let holder = keyless(0xb1);
    let mint = json!({"from": master.to_string(), "operation": "TokenMint",
        "recipient": holder.to_string(), "value": "500", "token": token.to_string()});
    hash_of(dev(a, "/dev/send", mint));
    hash_of(dev(
        a,
        "/dev/send",
        json!({"from": master.to_string(), "operation": "TokenBlacklist", "action": "Add",
               "address": holder.to_string(), "token": token.to_string()}),
    ));
    hash_of(dev(
        a,
        "/dev/send",
        json!({"from": master.to_string(), "operation": "TokenClawback",
               "clawback_from": holder.to_string(), "recipient": master.to_string(),
               "value": "200", "token": token.to_string()}),
    ));
    assert_eq!(balance(a, &holder, &token), 300);
    assert_eq!(balance(a, &master, &token), 200);
    assert_eq!(supply(a, &token), 500);
    // A multisig account: created by a keyless creator, then sending as
    // the account itself, without any member's signature.
    let r = dev(
        a,
        "/dev/send",
        json!({"from": keyless(0xb2).to_string(), "operation": "CreateMultiSig",
               "signers": two_signers(), "threshold": 2}),
    );
    let hash = hash_of(r);
    let created = get(a, &format!("/v1/transactions/by_hash?hash={hash}")).json();
    let account = Address::parse(created["data"]["multisig_address"].as_str().unwrap()).unwrap();
    ok(
        dev(
            a,
            "/dev/set_balance",
            json!({"address": account.to_string(), "token": token.to_string(), "balance": "50"}),
        ),
        "DevBalanceSet",
    );
    hash_of_pay(a, &account, &keyless(0xb3), 20, &token);
    assert_eq!(balance(a, &account, &token), 30);
    assert_eq!(nonce(a, &account), 1);
}

/// A refusal of `/dev/send` gives `advice`, and never tells the person to
/// sign: the transaction has no signature.
fn assert_unsigned_advice(r: &Resp, advice: &str) {
    let message = r.json()["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.contains(advice), "{message:?} lacks {advice:?}");
    assert!(!message.contains("sign "), "{message:?} tells to sign");
}

fn hash_of_pay(a: SocketAddr, from: &Address, to: &Address, value: u64, token: &Address) {
    let r = send_payment(a, from, to, value, token);
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn set_balance_moves_the_supply_with_it() {
    let live = live_with(|_| {});
    let a = live.a();
    let before = supply(a, &live.token);
    let payer_balance = balance(a, &payer().address(), &live.token);
    let holder = keyless(0xc1);
    let v = ok(
        dev(
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
    assert_eq!(balance(a, &holder, &live.token), 1000);
    assert_eq!(supply(a, &live.token), before + 1000);
    // Lowering a balance lowers the supply; no transaction, no checkpoint,
    // no nonce.
    let checkpoint = latest(a);
    let v = ok(
        dev(
            a,
            "/dev/set_balance",
            json!({"address": payer().address().to_string(), "token": live.token.to_string(), "balance": "1"}),
        ),
        "DevBalanceSet",
    );
    assert_eq!(v["previous"].as_str().unwrap(), payer_balance.to_string());
    assert_eq!(supply(a, &live.token), before + 1000 - payer_balance + 1);
    assert_eq!(latest(a), checkpoint);
    assert_eq!(nonce(a, &payer().address()), 0);
    // The ledger's invariant: the supply is the sum of the balances.
    let sum: u128 = [holder, payer().address()]
        .iter()
        .map(|w| balance(a, w, &live.token))
        .sum();
    assert_eq!(supply(a, &live.token), sum);
    // Refusals.
    let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    let set = |who: &Address, token: &Address, balance: &str| {
        dev(
            a,
            "/dev/set_balance",
            json!({"address": who.to_string(), "token": token.to_string(), "balance": balance}),
        )
    };
    set(&holder, &keyless(0xee), "1").assert_error(404, "TOKEN_NOT_FOUND");
    set(&keyless(0xc2), &live.token, max).assert_error(422, "AMOUNT_OVERFLOW");
    assert_eq!(balance(a, &keyless(0xc2), &live.token), 0);
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
        dev(
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
    assert_eq!(nonce(a, &who), 5);
    // A transaction signed at the old nonce is refused; at 5 it goes.
    let stale = NativeTx::sign(
        Transaction::new(CHAIN_ID_TESTNET, 0, live.payment(keyless(0xd1), 1)),
        &payer(),
    )
    .unwrap();
    post_native(a, &stale).assert_error(422, "NONCE_MISMATCH");
    live.pay(keyless(0xd1), 1);
    assert_eq!(nonce(a, &who), 6);
    // Down again (a replay of the same bytes is still a duplicate).
    ok(
        dev(
            a,
            "/dev/set_nonce",
            json!({"address": who.to_string(), "nonce": 0}),
        ),
        "DevNonceSet",
    );
    assert_eq!(nonce(a, &who), 0);
    // No transaction can carry a nonce above 2^63-1.
    dev(
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
    assert_eq!(nonce(a, &who), 3);
}

#[test]
fn modes_switch_read_only_and_the_write_mode_while_the_node_runs() {
    let live = live_with(|_| {});
    let a = live.a();
    assert_eq!(
        ok(get(a, "/dev/modes"), "DevModes"),
        json!({"write_mode": "dual", "read_only": false})
    );
    let v = ok(dev(a, "/dev/modes", json!({"read_only": true})), "DevModes");
    assert_eq!(v, json!({"write_mode": "dual", "read_only": true}));
    let status = get(a, "/api/status").json();
    assert_eq!(status["read_only"], true);
    let signed = signed_v2(&live, keyless(0xe1));
    post_native(a, &signed).assert_error(403, "NODE_READ_ONLY");
    // The controls are the node's own: they still work while read-only.
    hash_of(send_payment(
        a,
        &payer().address(),
        &keyless(0xe2),
        1,
        &live.token,
    ));
    dev(a, "/dev/modes", json!({"read_only": false}));
    let signed = signed_v2(&live, keyless(0xe1));
    assert_eq!(post_native(a, &signed).status, 200);
    // v2_only: legacy writes are gone; v1_only: v2 writes are not open.
    ok(
        dev(a, "/dev/modes", json!({"write_mode": "v2_only"})),
        "DevModes",
    );
    assert_eq!(get(a, "/api/status").json()["native_write_mode"], "v2_only");
    let legacy = signed_v1(&live, keyless(0xe1));
    post_json(a, "/v1/transactions/payment", &body_of(&legacy))
        .assert_error(410, "LEGACY_NATIVE_WRITE_ENDPOINT_DISABLED");
    ok(
        dev(a, "/dev/modes", json!({"write_mode": "v1_only"})),
        "DevModes",
    );
    let status = get(a, "/api/status").json();
    assert_eq!(
        (&status["native_write_mode"], &status["activation_source"]),
        (&json!("v1_only"), &json!("not_activated"))
    );
    post_native(a, &signed).assert_error(403, "DOMAIN_SEPARATED_SIGNATURE_NOT_ACTIVE");
    let r = post_json(a, "/v1/transactions/payment", &body_of(&legacy));
    assert_eq!(r.status, 200, "{}", r.body);
    // Leaving v1_only activates dual now.
    ok(
        dev(a, "/dev/modes", json!({"write_mode": "dual"})),
        "DevModes",
    );
    let status = get(a, "/api/status").json();
    assert!(status["dual_activated_at_secs"].is_u64(), "{status}");
    dev(a, "/dev/modes", json!({"write_mode": "v3"})).assert_error(400, "INVALID_VALUE");
    dev(a, "/dev/modes", json!({"read_only": null})).assert_error(400, "INVALID_TYPE");
    dev(a, "/dev/modes", json!({"other": 1})).assert_error(400, "UNKNOWN_FIELD");
}

#[test]
fn fees_change_what_a_payment_costs_and_what_the_estimates_say() {
    let live = live_with(|_| {});
    let a = live.a();
    let estimate = || {
        let who = payer().address();
        get(
            a,
            &format!(
                "/v1/transactions/estimate_fee?from={who}&to={who}&value=1&token={}",
                live.token
            ),
        )
        .json()["fee"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(estimate(), "0");
    let collector = keyless(0xf1);
    let v = ok(
        dev(
            a,
            "/dev/fees",
            json!({"flat": "7", "collector": collector.to_string()}),
        ),
        "DevFees",
    );
    assert_eq!(v["flat"], "7");
    assert_eq!(estimate(), "7");
    let before = balance(a, &payer().address(), &live.token);
    live.pay(keyless(0xf2), 100);
    assert_eq!(balance(a, &payer().address(), &live.token), before - 107);
    assert_eq!(balance(a, &collector, &live.token), 7);
    // A token's own fee wins over the flat one; null removes it.
    let token = live.token.to_string();
    let v = ok(
        dev(a, "/dev/fees", json!({"per_token": {&token: "3"}})),
        "DevFees",
    );
    assert_eq!(v["per_token"][&token], "3");
    assert_eq!(estimate(), "3");
    ok(
        dev(a, "/dev/fees", json!({"per_token": {&token: null}})),
        "DevFees",
    );
    assert_eq!(estimate(), "7");
    assert_eq!(ok(get(a, "/dev/fees"), "DevFees")["flat"], "7");
    dev(a, "/dev/fees", json!({"flat": "x"})).assert_error(400, "INVALID_NUMBER");
    dev(a, "/dev/fees", json!({"per_token": {"0x12": "1"}})).assert_error(400, "INVALID_ADDRESS");
    dev(a, "/dev/fees", json!({"flat": null})).assert_error(400, "INVALID_TYPE");
    post_json(a, "/dev/fees", "[null, null]").assert_error(400, "INVALID_TYPE");
    assert_eq!(estimate(), "7", "refusals changed nothing");
}

#[test]
fn checkpoints_close_per_write_every_interval_or_on_request() {
    let live = live_with(|_| {});
    let a = live.a();
    let from = payer().address();
    let mode = |body: Value| ok(dev(a, "/dev/checkpoint_mode", body), "DevCheckpointMode");
    assert_eq!(
        ok(get(a, "/dev/checkpoint_mode"), "DevCheckpointMode"),
        json!({"mode": "auto", "pending": 0})
    );
    // manual: admitted at once (balances move), placed on request.
    mode(json!({"mode": "manual"}));
    let at = latest(a);
    let first = hash_of(send_payment(a, &from, &keyless(0x71), 5, &live.token));
    let second = live.pay(keyless(0x71), 5);
    assert_eq!(balance(a, &keyless(0x71), &live.token), 10);
    assert_eq!(latest(a), at, "no checkpoint closed");
    let r = receipt(a, &first);
    assert!(r.get("checkpoint_number").is_none(), "{r}");
    assert_schema("TransactionReceipt", &r);
    get(
        a,
        &format!("/v1/transactions/finalized/by_hash?hash={second}"),
    )
    .assert_error(404, "resource_transaction_not_found");
    assert_eq!(
        ok(get(a, "/dev/checkpoint_mode"), "DevCheckpointMode")["pending"],
        2
    );
    let closed = ok(post_json(a, "/dev/checkpoint", ""), "DevCheckpointClosed");
    assert_eq!(closed["number"], at + 1);
    assert_eq!(closed["transactions"], 2);
    let checkpoint = get(a, &format!("/v1/checkpoints/by_number?number={}", at + 1)).json();
    assert_eq!(checkpoint["transactions"], json!([first, second]));
    assert_eq!(receipt(a, &second)["transaction_index"], 1);
    assert_eq!(
        get(
            a,
            &format!("/v1/transactions/finalized/by_hash?hash={second}")
        )
        .status,
        200
    );
    // An empty checkpoint on request, as anvil's evm_mine.
    let closed = ok(post_json(a, "/dev/checkpoint", ""), "DevCheckpointClosed");
    assert_eq!(
        (closed["number"].as_u64(), closed["transactions"].as_u64()),
        (Some(at + 2), Some(0))
    );
    // Back to auto with something pending: it is placed at once.
    let third = live.pay(keyless(0x71), 1);
    mode(json!({"mode": "auto"}));
    assert!(receipt(a, &third)["checkpoint_number"].is_u64());

    // interval: the ticker closes one over what is pending.
    let v = mode(json!({"mode": "interval", "interval_ms": 50}));
    assert_eq!(v["interval_ms"], 50);
    let hash = live.pay(keyless(0x72), 1);
    assert!(
        eventually(|| receipt(a, &hash).get("checkpoint_number").is_some()),
        "no interval checkpoint came"
    );
    // per_write: concurrent writes get a checkpoint each (from eight
    // senders: concurrent sends as one account would race for its nonce).
    let senders: Vec<Address> = (0..8u8).map(|i| keyless(0x80 + i)).collect();
    for s in &senders {
        let body =
            json!({"address": s.to_string(), "token": live.token.to_string(), "balance": "5"});
        ok(dev(a, "/dev/set_balance", body), "DevBalanceSet");
    }
    mode(json!({"mode": "per_write"}));
    let at = latest(a);
    std::thread::scope(|scope| {
        for s in &senders {
            let token = live.token;
            scope.spawn(move || hash_of(send_payment(a, s, &keyless(0x79), 1, &token)));
        }
    });
    assert_eq!(latest(a), at + 8);
    for n in at + 1..=at + 8 {
        let c = get(a, &format!("/v1/checkpoints/by_number?number={n}")).json();
        assert_eq!(c["transactions"].as_array().unwrap().len(), 1, "{c}");
    }
    // Refusals.
    dev(a, "/dev/checkpoint_mode", json!({"mode": "interval"})).assert_error(400, "MISSING_FIELD");
    dev(
        a,
        "/dev/checkpoint_mode",
        json!({"mode": "interval", "interval_ms": 1}),
    )
    .assert_error(400, "INVALID_NUMBER");
    dev(
        a,
        "/dev/checkpoint_mode",
        json!({"mode": "auto", "interval_ms": 100}),
    )
    .assert_error(400, "INVALID_VALUE");
    dev(a, "/dev/checkpoint_mode", json!({"mode": "hourly"})).assert_error(400, "INVALID_VALUE");
}

#[test]
fn pending_transactions_are_placed_after_a_crash_and_at_a_clean_stop() {
    let dir = tempfile::tempdir().unwrap();
    // A crash: kill -9 with two transactions pending.
    let (node, lines) = spawn_node(dir.path(), &[]);
    let a = banner_addr(&lines);
    let token = banner_token(&lines);
    let dev0 = Address::parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266").unwrap();
    ok(
        dev(a, "/dev/checkpoint_mode", json!({"mode": "manual"})),
        "DevCheckpointMode",
    );
    let at = latest(a);
    let first = hash_of(send_payment(a, &dev0, &keyless(0x91), 1, &token));
    let second = hash_of(send_payment(a, &dev0, &keyless(0x92), 2, &token));
    let mut child = node.take();
    child.kill().unwrap();
    child.wait().unwrap();
    let (node, lines) = spawn_node(dir.path(), &[]);
    let a = banner_addr(&lines);
    assert_eq!(latest(a), at + 1, "one checkpoint over what was pending");
    let checkpoint = get(a, &format!("/v1/checkpoints/by_number?number={}", at + 1)).json();
    assert_eq!(
        checkpoint["transactions"],
        json!([first, second]),
        "in admission order"
    );
    assert_eq!(balance(a, &keyless(0x92), &token), 2);
    assert!(!dir.path().join("node/tokensign-node.pending").exists());
    drop(node);

    // A clean stop: the writer closes one before it ends.
    let data = tempfile::tempdir().unwrap();
    let config = || NodeConfig::new(data.path().to_path_buf(), vec![]);
    let node = start_with(config());
    let a = node.addr;
    ok(
        dev(a, "/dev/checkpoint_mode", json!({"mode": "manual"})),
        "DevCheckpointMode",
    );
    let hash = hash_of(dev(
        a,
        "/dev/send",
        json!({"from": keyless(0x93).to_string(), "operation": "CreateMultiSig",
               "signers": two_signers(), "threshold": 1}),
    ));
    assert!(receipt(a, &hash).get("checkpoint_number").is_none());
    node.shutdown().unwrap();
    let node = start_with(config());
    assert!(receipt(node.addr, &hash)["checkpoint_number"].is_u64());
}

/// An injected fault: the status, a RESTErrorData with the code (which
/// need not be one of the node's own).
fn assert_injected(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let v = r.json();
    assert_schema("RESTErrorData", &v);
    assert_eq!(v["error_code"], code);
}

#[test]
fn faults_answer_the_next_writes_on_a_path_then_disarm() {
    let live = live_with(|_| {});
    let a = live.a();
    let v = ok(
        dev(
            a,
            "/dev/faults",
            json!({"path": "/v2/transactions/payment",
            "error_code": "SERVICE_UNAVAILABLE", "status": 503, "count": 2}),
        ),
        "DevFaults",
    );
    assert_eq!(v["faults"][0]["remaining"], 2);
    let who = payer().address();
    for left in [1, 0] {
        let signed = signed_v2(&live, keyless(0x31));
        let r = post_native(a, &signed);
        assert_injected(&r, 503, "SERVICE_UNAVAILABLE");
        assert!(r.body.contains(&format!("{left} more")), "{}", r.body);
        assert_eq!(nonce(a, &who), 0, "nothing was stored");
    }
    assert_eq!(
        ok(get(a, "/dev/faults"), "DevFaults"),
        json!({"faults": []})
    );
    live.pay(keyless(0x31), 1);
    assert_eq!(balance(a, &keyless(0x31), &live.token), 1);
    // Other paths and the v1 path of the same operation are not armed; a
    // node's own code gets its own status by default.
    ok(
        dev(
            a,
            "/dev/faults",
            json!({"path": "/v1/transactions/payment", "error_code": "INSUFFICIENT_BALANCE"}),
        ),
        "DevFaults",
    );
    ok(
        dev(
            a,
            "/dev/faults",
            json!({"path": "/v2/tokens/mint", "error_code": "ODD", "count": 5}),
        ),
        "DevFaults",
    );
    let legacy = signed_v1(&live, keyless(0x31));
    post_json(a, "/v1/transactions/payment", &body_of(&legacy))
        .assert_error(422, "INSUFFICIENT_BALANCE");
    let v = ok(get(a, "/dev/faults"), "DevFaults");
    assert_eq!(
        v["faults"][0],
        json!({"path": "/v2/tokens/mint", "status": 500, "error_code": "ODD", "remaining": 5})
    );
    ok(
        dev(
            a,
            "/dev/faults",
            json!({"path": "/v2/tokens/mint", "error_code": "ODD", "count": 0}),
        ),
        "DevFaults",
    );
    ok(
        dev(
            a,
            "/dev/faults",
            json!({"path": "/v2/tokens/burn", "error_code": "X"}),
        ),
        "DevFaults",
    );
    assert_eq!(
        ok(post_json(a, "/dev/clear_faults", ""), "DevFaults"),
        json!({"faults": []})
    );
    // Refusals.
    dev(
        a,
        "/dev/faults",
        json!({"path": "/v1/accounts/nonce", "error_code": "X"}),
    )
    .assert_error(400, "INVALID_VALUE");
    dev(
        a,
        "/dev/faults",
        json!({"path": "/v2/tokens/burn", "error_code": "no spaces"}),
    )
    .assert_error(400, "INVALID_VALUE");
    dev(
        a,
        "/dev/faults",
        json!({"path": "/v2/tokens/burn", "error_code": "X", "status": 302}),
    )
    .assert_error(400, "INVALID_NUMBER");
    assert_eq!(
        ok(get(a, "/dev/faults"), "DevFaults"),
        json!({"faults": []})
    );
}

#[test]
fn the_controls_are_refused_off_loopback_unless_forced() {
    let open = |forced: Option<bool>, listen: &str| {
        let dir = tempfile::tempdir().unwrap();
        let mut config = NodeConfig::new(dir.path().to_path_buf(), vec![]);
        config.dev_controls = forced;
        let node = spawn_background(config, listen.parse().unwrap()).unwrap();
        let a: SocketAddr = format!("127.0.0.1:{}", node.addr.port()).parse().unwrap();
        (node, a, dir)
    };
    let (_node, a, _dir) = open(None, "0.0.0.0:0");
    for r in [
        get(a, "/dev/modes"),
        post_json(a, "/dev/checkpoint", ""),
        dev(
            a,
            "/dev/set_nonce",
            json!({"address": keyless(1).to_string(), "nonce": 1}),
        ),
    ] {
        r.assert_error(403, "DEV_CONTROLS_DISABLED");
        assert!(r.body.contains("--dev-controls"), "{}", r.body);
    }
    assert_eq!(nonce(a, &keyless(1)), 0);
    // The network's API is unaffected.
    assert_eq!(get(a, "/api/status").status, 200);
    let (_node, a, _dir) = open(Some(true), "0.0.0.0:0");
    ok(get(a, "/dev/modes"), "DevModes");
    let (_node, a, _dir) = open(Some(false), "127.0.0.1:0");
    get(a, "/dev/modes").assert_error(403, "DEV_CONTROLS_DISABLED");
    let (_node, a, _dir) = open(None, "127.0.0.1:0");
    ok(get(a, "/dev/modes"), "DevModes");
    // Unknown controls are unknown routes; a wrong method is 405.
    get(a, "/dev/nothing").assert_error(404, "NOT_FOUND");
    get(a, "/dev/checkpoint").assert_error(405, "METHOD_NOT_ALLOWED");
}

#[test]
fn tokensign_node_says_whether_the_controls_are_on() {
    let dir = tempfile::tempdir().unwrap();
    let (_node, lines) = spawn_node(dir.path(), &["--no-dev-controls"]);
    let a = banner_addr(&lines);
    get(a, "/dev/modes").assert_error(403, "DEV_CONTROLS_DISABLED");
    let other = tempfile::tempdir().unwrap();
    let (_node, lines) = spawn_node(other.path(), &[]);
    ok(get(banner_addr(&lines), "/dev/modes"), "DevModes");
}

#[test]
fn the_document_lists_every_control_as_a_local_extension() {
    let doc = openapi();
    let controls = [
        ("/dev/set_balance", vec!["post"]),
        ("/dev/set_nonce", vec!["post"]),
        ("/dev/send", vec!["post"]),
        ("/dev/modes", vec!["get", "post"]),
        ("/dev/fees", vec!["get", "post"]),
        ("/dev/checkpoint_mode", vec!["get", "post"]),
        ("/dev/checkpoint", vec!["post"]),
        ("/dev/faults", vec!["get", "post"]),
        ("/dev/clear_faults", vec!["post"]),
        ("/dev/dump_state", vec!["post"]),
        ("/dev/snapshot", vec!["post"]),
        ("/dev/revert", vec!["post"]),
    ];
    for (path, methods) in &controls {
        for method in methods {
            let op = &doc["paths"][path][method];
            assert_eq!(op["x-local-extension"], true, "{method} {path}");
            assert_eq!(op["tags"][0], "local extension", "{method} {path}");
            assert_eq!(
                op["responses"]["403"]["x-error-codes"],
                json!(["DEV_CONTROLS_DISABLED"]),
                "{method} {path}"
            );
        }
    }
    let listed = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|p| p.starts_with("/dev/"))
        .count();
    assert_eq!(listed, controls.len());
    assert_eq!(
        doc["components"]["schemas"]["ErrorCode"]["x-status"]["DEV_CONTROLS_DISABLED"],
        403
    );
    // A send body of every operation: the unsigned document plus `from`;
    // a clawback's holder is `clawback_from`.
    let bodies = doc["components"]["schemas"]["DevSendRequest"]["oneOf"]
        .as_array()
        .unwrap();
    assert_eq!(bodies.len(), OpType::ALL.len());
    for body in bodies {
        assert!(body["required"]
            .as_array()
            .unwrap()
            .contains(&json!("from")));
        assert!(body["properties"].get("authorization").is_none());
    }
    let clawback = bodies
        .iter()
        .find(|b| b["properties"]["operation"]["enum"][0] == "TokenClawback")
        .unwrap();
    assert!(clawback["properties"]["clawback_from"].is_object());
    assert_schema(
        "DevSendRequest",
        &json!({"from": keyless(1).to_string().to_lowercase(), "operation": "Payment",
                "recipient": keyless(2).to_string().to_lowercase(), "value": "1",
                "token": keyless(3).to_string().to_lowercase()}),
    );
}
