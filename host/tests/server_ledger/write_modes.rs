//! The node's write modes for the v2 paths.

use super::support::*;
use crate::server_common::*;
use serde_json::{json, Value};
use tokensign::api::NativeWriteMode;
use tokensign::node::codes;
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::tx::*;
use tokensign_core::{json as cjson, Address};

/// The modes of spec section 1.3.
fn write_modes() {
    let t = |n: &Node| {
        let mint = TokenMint {
            recipient: alice().address(),
            value: amt(1),
            token: Address([9; 20]),
        };
        (
            n.send(&master_key(), mint.clone(), Scheme::V1),
            n.send(&master_key(), mint, Scheme::V2),
        )
    };
    let dual = node_with(NativeWriteMode::Dual);
    let r = dual.send(&operator(), issue_op("MODE", false, true), Scheme::V1);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-1money-legacy-signature"), Some("deprecated"));
    let r = dual.send(&operator(), issue_op("MODF", false, true), Scheme::V2);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-1money-legacy-signature"), None);

    let v1 = node_with(NativeWriteMode::V1Only);
    let (r1, r2) = t(&v1);
    r1.assert_error(422, codes::UNKNOWN_TOKEN);
    assert_eq!(r1.header("x-1money-legacy-signature"), None);
    r2.assert_error(403, codes::DOMAIN_SEPARATED_SIGNATURE_NOT_ACTIVE);
    let status = get(v1.a(), "/api/status").json();
    assert_eq!(status["native_write_mode"], "v1_only");
    assert_eq!(status["activation_source"], "not_activated");

    let v2 = node_with(NativeWriteMode::V2Only);
    let (r1, r2) = t(&v2);
    r1.assert_error(410, codes::LEGACY_NATIVE_WRITE_ENDPOINT_DISABLED);
    r2.assert_error(422, codes::UNKNOWN_TOKEN);
    let status = get(v2.a(), "/api/status").json();
    assert_eq!(status["native_write_mode"], "v2_only");
    assert_schema("NodeStatus", &status);

    for n in [&dual, &v1, &v2] {
        post_json(n.a(), "/v1/transactions/raw", "{}")
            .assert_error(410, codes::RAW_TRANSACTION_ENDPOINT_REMOVED);
        let h = get(n.a(), "/api/health");
        assert_eq!((h.status, h.body.as_str()), (200, "UP"));
    }
    // A legacy signature on /v2 and an unknown authorization type: 400.
    let tx: Transaction = Transaction::new(
        CHAIN_ID_TESTNET,
        0,
        Payment {
            recipient: alice().address(),
            value: amt(1),
            token: Address([9; 20]),
        },
    );
    let signed = LegacyTx::sign(tx.clone(), &alice()).unwrap();
    let mut out = vec![0u8; cjson::MAX_LEGACY_JSON_LEN];
    let len = cjson::write_legacy(&signed, &mut out).unwrap();
    let mut body: Value = serde_json::from_slice(&out[..len]).unwrap();
    body["memo"] = json!({"type": "", "format": "", "data": ""});
    post_json(dual.a(), "/v2/transactions/payment", &body.to_string())
        .assert_error(400, codes::DOMAIN_SEPARATED_SIGNATURE_REQUIRED);
    let native = NativeTx::sign(tx, &alice()).unwrap();
    let mut out = vec![0u8; cjson::MAX_NATIVE_JSON_LEN];
    let len = cjson::write_native(&native, &mut out).unwrap();
    let mut body: Value = serde_json::from_slice(&out[..len]).unwrap();
    body["authorization"]["type"] = json!("ed25519");
    post_json(dual.a(), "/v2/transactions/payment", &body.to_string())
        .assert_error(400, codes::UNSUPPORTED_AUTHORIZATION_TYPE);
}

on_every_backend!(write_modes,);
