//! U256 strings in requests: read by value, whatever their form.

use super::support::*;
use crate::server_common::*;
use serde_json::json;
use tokensign::api::NativeWriteMode;
use tokensign::node::codes;
use tokensign_core::tx::*;

/// Spec 2.3: the network reads a U256 string with leading zeros or as
/// `0x`-hex (the TS SDK may send `"007"` as given). The node reads the
/// value: the client's hash (over the integer) is the node's, on v1 and
/// v2, for payments and batch amounts; the fee estimates read them too.
fn u256_strings_with_leading_zeros_or_hex_are_read_by_value() {
    let n = node_with(NativeWriteMode::Dual);
    let al = alice();
    let t = funded(&n, "FORMS", &al.address(), 1000);
    let canonical = r#""value":"7""#;
    for (i, form) in ["007", "0x7", "0X07", "0x0000007"].into_iter().enumerate() {
        let scheme = if i % 2 == 0 { Scheme::V1 } else { Scheme::V2 };
        let pay = Payment {
            recipient: bob().address(),
            value: amt(7),
            token: t,
        };
        let tx = Transaction::new(CHAIN_ID_TESTNET, n.nonce(&al.address()), pay);
        let (path, body, hash) = signed_body(tx, &al, scheme);
        assert!(body.contains(canonical), "{body}");
        let body = body.replace(canonical, &format!(r#""value":"{form}""#));
        let r = post_json(n.a(), path, &body);
        assert_eq!(r.status, 200, "{form}: {}", r.body);
        assert_eq!(r.json()["hash"], hex0x(&hash), "{form}");
    }
    assert_eq!(n.balance(&bob().address(), &t), 28);
    assert_eq!(n.balance(&al.address(), &t), 1000 - 28);
    let r = get(
        n.a(),
        &format!(
            "/v1/transactions/estimate_fee?from={}&to={}&value=0x1f&token={t}",
            al.address(),
            bob().address()
        ),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = post_json(
        n.a(),
        "/v1/transactions/batch_payment/estimate_fee",
        &json!({"from": al.address().to_string(), "token": t.to_string(),
                "operations": [{"recipient": bob().address().to_string(), "amount": "0010"}]})
        .to_string(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // Still refused: signs, points, exponents, a bare 0x, above 2^256-1.
    for bad in [
        "-7",
        "7.0",
        "7e0",
        "0x",
        "0x1g",
        &format!("0x1{}", "0".repeat(64)),
    ] {
        let r = get(
            n.a(),
            &format!(
                "/v1/transactions/estimate_fee?from={}&to={}&value={bad}&token={t}",
                al.address(),
                bob().address()
            ),
        );
        r.assert_error(400, codes::INVALID_NUMBER);
    }
}

on_every_backend!(u256_strings_with_leading_zeros_or_hex_are_read_by_value,);
