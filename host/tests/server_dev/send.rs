//! `/dev/send`: a transaction as any account, its key never given.

use std::net::SocketAddr;

use super::support::*;
use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::{json, Value};
use tokensign_core::tx::CHAIN_ID_TESTNET;
use tokensign_core::Address;

#[test]
fn send_moves_tokens_as_an_account_whose_key_is_never_given() {
    let live = live_with(|_| {});
    let a = live.a();
    let (holder, to) = (keyless(0xa1), keyless(0xa2));
    // The holder gets tokens from a signed payment; its key never exists.
    live.pay(holder, 1_000);
    let hash = hash_of_accepted(&send_payment(a, &holder, &to, 400, &live.token));
    assert_eq!(balance_at(a, &holder, &live.token), 600);
    assert_eq!(balance_at(a, &to, &live.token), 400);
    assert_eq!(
        nonce_at(a, &holder),
        1,
        "the nonce rose as for a signed write"
    );
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
        (nonce_at(a, &holder), balance_at(a, &holder, &live.token)),
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
        let r = post_dev(a, "/dev/send", body(extra));
        r.assert_error(422, code);
        assert_unsigned_advice(&r, advice);
    }
    hash_of_accepted(&post_dev(
        a,
        "/dev/send",
        body(json!({"nonce": 1, "chain_id": CHAIN_ID_TESTNET,
            "memo": {"type": "text", "format": "utf8", "data": "hi"}})),
    ));
    // The core reads the document as it reads a signed one.
    post_dev(a, "/dev/send", json!({"operation": "Payment"})).assert_error(400, "MISSING_FIELD");
    post_dev(a, "/dev/send", json!({"from": holder.to_string()}))
        .assert_error(400, "MISSING_FIELD");
    post_dev(a, "/dev/send", body(json!({"bogus": 1}))).assert_error(400, "UNKNOWN_FIELD");
    post_dev(a, "/dev/send", body(json!({"value": "-1"}))).assert_error(400, "INVALID_NUMBER");
    post_dev(a, "/dev/send", body(json!({"from": "0x12"}))).assert_error(400, "INVALID_ADDRESS");
    post_json(
        a,
        "/dev/send",
        &format!(r#"{{"from":"{holder}","from":"{holder}","operation":"Payment"}}"#),
    )
    .assert_error(400, "DUPLICATE_FIELD");
    post_json(a, "/dev/send", "[1]").assert_error(400, "INVALID_TYPE");
    post_json(a, "/dev/send", "{").assert_error(400, "MALFORMED_JSON");
    post_dev(
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
    let r = post_dev(
        a,
        "/dev/send",
        json!({"from": op.to_string(), "operation": "TokenIssue", "symbol": "IMP",
               "name": "Impersonated", "decimals": 2, "master_authority": master.to_string(),
               "is_private": false, "clawback_enabled": true}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let token = Address::parse(r.json()["token"].as_str().unwrap()).unwrap();
    // A stranger may not issue: the operator rule still holds.
    let r = post_dev(
        a,
        "/dev/send",
        json!({"from": keyless(0xb0).to_string(), "operation": "TokenIssue", "symbol": "NOPE",
               "name": "No", "decimals": 2, "master_authority": master.to_string(),
               "is_private": false}),
    );
    r.assert_error(422, "SIGNER_NOT_OPERATOR");
    assert_unsigned_advice(&r, &format!("\"from\" set to an operator's address ({op})"));
    // Nor may a stranger mint: the advice names the master to send as.
    let r = post_dev(
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
    hash_of_accepted(&post_dev(a, "/dev/send", mint));
    hash_of_accepted(&post_dev(
        a,
        "/dev/send",
        json!({"from": master.to_string(), "operation": "TokenBlacklist", "action": "Add",
               "address": holder.to_string(), "token": token.to_string()}),
    ));
    hash_of_accepted(&post_dev(
        a,
        "/dev/send",
        json!({"from": master.to_string(), "operation": "TokenClawback",
               "clawback_from": holder.to_string(), "recipient": master.to_string(),
               "value": "200", "token": token.to_string()}),
    ));
    assert_eq!(balance_at(a, &holder, &token), 300);
    assert_eq!(balance_at(a, &master, &token), 200);
    assert_eq!(supply(a, &token), 500);
    // A multisig account: created by a keyless creator, then sending as
    // the account itself, without any member's signature.
    let r = post_dev(
        a,
        "/dev/send",
        json!({"from": keyless(0xb2).to_string(), "operation": "CreateMultiSig",
               "signers": two_signers(), "threshold": 2}),
    );
    let hash = hash_of_accepted(&r);
    let created = get(a, &format!("/v1/transactions/by_hash?hash={hash}")).json();
    let account = Address::parse(created["data"]["multisig_address"].as_str().unwrap()).unwrap();
    ok(
        post_dev(
            a,
            "/dev/set_balance",
            json!({"address": account.to_string(), "token": token.to_string(), "balance": "50"}),
        ),
        "DevBalanceSet",
    );
    hash_of_pay(a, &account, &keyless(0xb3), 20, &token);
    assert_eq!(balance_at(a, &account, &token), 30);
    assert_eq!(nonce_at(a, &account), 1);
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
