//! The ABC-Lab mint API of the local server through real HTTP: the
//! document's example and every error, each body checked against the
//! OpenAPI document.

mod server_common;

use server_common::*;

fn mint_api_document_example_and_every_error() {
    let dir = tempfile::tempdir().unwrap();
    let op = operator();
    let node = start(dir.path(), vec![addr(&op)]);
    let a = node.addr;
    let example = r#"{
  "asset_id": "UKGILT2030",
  "amount": 100,
  "recipient_wallet_address": "0xA1B2C3D4E5F6A7B8C9D0"
}"#;
    // Before the asset exists.
    assert_mint_error(
        &mint(a, example),
        404,
        "ASSET_NOT_FOUND",
        "Asset ID does not exist",
    );

    assert_eq!(
        issue(a, &sign(&op, payload(0, "UKGILT2030", None))).status,
        200
    );
    assert_eq!(issue(a, &sign(&op, payload(1, "FRAC", None))).status, 200); // 6 decimals

    let r = mint(a, example);
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_schema("MintSuccess", &v);
    assert_eq!(v["status"], "success");
    assert_eq!(v["asset_id"], "UKGILT2030");
    assert_eq!(v["amount"], 100);
    assert_eq!(v["assigned_to"], "0xA1B2C3D4E5F6A7B8C9D0");
    assert_eq!(v["token_id"], "TOKEN-1");

    // One mint per asset.
    assert_mint_error(
        &mint(a, example),
        409,
        "DUPLICATE_MINT",
        "Token for this asset already exists",
    );

    let invalid = "One or more required fields are missing";
    for body in [
        r#"{"amount": 1, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": 1}"#,
        r#"{"asset_id": null, "amount": 1, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "", "amount": 1, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": "1", "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": 0, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": -5, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": 0.0000001, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": 1e80, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": "FRAC", "amount": 1, "recipient_wallet_address": ""}"#,
        r#"{"asset_id": "FRAC", "amount": 1, "recipient_wallet_address": 5}"#,
        r#"{"asset_id": "FRAC", "amount": 1, "recipient_wallet_address": "w", "x": 1}"#,
        r#"{"asset_id": "FRAC", "amount": 1, "amount": 2, "recipient_wallet_address": "w"}"#,
        r#"{"asset_id": 7, "amount": 1, "recipient_wallet_address": "w"}"#,
        r#"not json"#,
        r#"[]"#,
    ] {
        let r = mint(a, body);
        assert_mint_error(&r, 400, "INVALID_INPUT", invalid);
        assert!(!r.json()["detail"].as_str().unwrap().is_empty());
    }
    let r = request(a, "POST", "/api/tokens/mint", Some("text/plain"), b"{}");
    assert_mint_error(&r, 400, "INVALID_INPUT", invalid);
    assert_mint_error(
        &mint(
            a,
            r#"{"asset_id": "NOPE", "amount": 1, "recipient_wallet_address": "w"}"#,
        ),
        404,
        "ASSET_NOT_FOUND",
        "Asset ID does not exist",
    );
    // A fraction within the asset's decimals is accepted and echoed.
    let r = mint(
        a,
        r#"{"asset_id": "FRAC", "amount": 12.5, "recipient_wallet_address": "w"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["amount"], 12.5);
    assert_eq!(r.json()["token_id"], "TOKEN-2");
    assert_schema("MintSuccess", &r.json());
}

/// Amounts are JSON numbers read exactly (never through a float): above
/// 2^53 and 2^64 they come back as given, and what does not fit or is
/// too precise is refused with 400, never rounded.
fn mint_amounts_are_exact() {
    let dir = tempfile::tempdir().unwrap();
    let op = operator();
    let node = start(dir.path(), vec![addr(&op)]);
    let a = node.addr;
    for (nonce, symbol) in ["BIGA", "BIGB", "BIGC", "BIGD"].iter().enumerate() {
        let r = issue(a, &sign(&op, payload(nonce as u64, symbol, None))); // 6 decimals
        assert_eq!(r.status, 200, "{}", r.body);
    }
    for (asset, amount) in [
        ("BIGA", "123456789012345678901"),
        ("BIGB", "18446744073709551617"),
        ("BIGC", "1234567890123.456789"),
        ("BIGD", "1.5e3"),
    ] {
        let r = mint(
            a,
            &format!(
                r#"{{"asset_id": "{asset}", "amount": {amount}, "recipient_wallet_address": "w"}}"#
            ),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(
            r.body.contains(&format!(r#""amount":{amount}"#)),
            "{amount} changed: {}",
            r.body
        );
        assert_schema("MintSuccess", &r.json());
    }
    // The asset is looked up before the amount is converted for it.
    assert_mint_error(
        &mint(
            a,
            r#"{"asset_id": "NOPE", "amount": 5e-324, "recipient_wallet_address": "w"}"#,
        ),
        404,
        "ASSET_NOT_FOUND",
        "Asset ID does not exist",
    );
    let invalid = "One or more required fields are missing";
    for amount in [
        // 2^256 base units and more.
        "115792089237316195423570985008687907853269984665640564039457584007913129639936",
        "1e78",
        // Seven fractional digits for a token of six.
        "1.0000001",
        "12345678901234567890.0000001",
        "1e-7",
        "0e5",
        "-0",
    ] {
        let r = mint(
            a,
            &format!(
                r#"{{"asset_id": "BIGA", "amount": {amount}, "recipient_wallet_address": "w"}}"#
            ),
        );
        assert_mint_error(&r, 400, "INVALID_INPUT", invalid);
    }
}

on_every_backend!(
    mint_api_document_example_and_every_error,
    mint_amounts_are_exact,
);
