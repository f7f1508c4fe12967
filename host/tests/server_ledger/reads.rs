//! The reads of spec section 6.

use super::support::*;
use crate::server_common::*;
use serde_json::json;
use tokensign::api::NativeWriteMode;
use tokensign::node::codes;
use tokensign_core::tx::*;
use tokensign_core::Address;

/// The reads of spec section 6 with the network's field names.
fn reads() {
    let n = node_with(NativeWriteMode::Dual);
    let t = issued(&n, "READ", false, Scheme::V2);
    let h = hash_of_accepted(&n.send(
        &master_key(),
        TokenMint {
            recipient: alice().address(),
            value: amt(7),
            token: t,
        },
        Scheme::V2,
    ));
    let a = n.a();
    assert_eq!(
        get(a, "/v1/chains/chain_id").json(),
        json!({"chain_id": CHAIN_ID_TESTNET})
    );
    let ta = get(
        a,
        &format!(
            "/v1/accounts/token_account?address={}&token={t}",
            alice().address()
        ),
    )
    .json();
    assert_eq!(ta, json!({"balance": "7", "nonce": 0}));
    let tx = get(a, &format!("/v1/transactions/by_hash?hash={h}")).json();
    assert_eq!(tx["transaction_type"], "TokenMint");
    assert_eq!(tx["data"]["value"], "7");
    assert_eq!(tx["memo"], json!({"type": "", "format": "", "data": ""}));
    let receipt = n.receipt(&h);
    let number = receipt["checkpoint_number"].as_u64().unwrap();
    assert_eq!(receipt["transaction_index"], 0);
    let fin = get(a, &format!("/v1/transactions/finalized/by_hash?hash={h}")).json();
    assert_eq!(fin["epoch"], 0);
    assert_eq!(fin["transaction_hash"], h);
    get(
        a,
        &format!(
            "/v1/transactions/finalized/by_hash?hash=0x{}",
            "cd".repeat(32)
        ),
    )
    .assert_error(404, codes::TRANSACTION_NOT_FOUND);
    let last = get(a, "/v1/checkpoints/number").json()["number"]
        .as_u64()
        .unwrap();
    assert!(last >= number);
    let cp = get(a, &format!("/v1/checkpoints/by_number?number={number}")).json();
    assert_eq!(cp["transactions"], json!([h]));
    assert_eq!(cp["hash"], receipt["checkpoint_hash"]);
    let by_hash = get(
        a,
        &format!(
            "/v1/checkpoints/by_hash?hash={}&full=true",
            cp["hash"].as_str().unwrap()
        ),
    )
    .json();
    assert_eq!(by_hash["transactions"][0]["hash"], h);
    let receipts = get(
        a,
        &format!("/v1/checkpoints/receipts/by_number?number={number}"),
    )
    .json();
    assert_eq!(receipts[0], receipt);
    get(a, "/v1/checkpoints/by_number?number=999999")
        .assert_error(404, codes::CHECKPOINT_NOT_FOUND);
    let fee = get(
        a,
        &format!(
            "/v1/transactions/estimate_fee?from={}&to={}&value=5&token={t}",
            alice().address(),
            bob().address()
        ),
    )
    .json();
    assert_eq!(fee["fee"], "0");
    let body = json!({"from": alice().address().to_string(), "token": t.to_string(), "operations": [{"recipient": bob().address().to_string(), "amount": "1"}]});
    let fee = post_json(
        a,
        "/v1/transactions/batch_payment/estimate_fee",
        &body.to_string(),
    )
    .json();
    assert_eq!(fee, json!({"fee": "0", "plan": null}));
    get(
        a,
        &format!(
            "/v1/accounts/token_account?address={}&token={}",
            alice().address(),
            Address([3; 20])
        ),
    )
    .assert_error(404, codes::TOKEN_NOT_FOUND);
}

on_every_backend!(reads,);
