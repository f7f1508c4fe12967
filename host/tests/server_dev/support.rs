//! The development-control tests' requests and reads.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::{json, Value};
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::Address;

/// A control that must succeed; its answer, checked against `schema`.
pub fn ok(r: Resp, schema: &str) -> Value {
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_schema(schema, &v);
    v
}

pub fn supply(a: SocketAddr, token: &Address) -> u128 {
    get(a, &format!("/v1/tokens/token_metadata?token={token}")).json()["supply"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// A payment of `value` of `token` to `to`, sent as `from` without a key.
pub fn send_payment(
    a: SocketAddr,
    from: &Address,
    to: &Address,
    value: u64,
    token: &Address,
) -> Resp {
    post_dev(
        a,
        "/dev/send",
        json!({"from": from.to_string(), "operation": "Payment", "recipient": to.to_string(),
               "value": value.to_string(), "token": token.to_string()}),
    )
}

pub fn receipt(a: SocketAddr, hash: &str) -> Value {
    let r = get(a, &format!("/v1/transactions/receipt/by_hash?hash={hash}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// A v2 payment of one unit from [`payer`] to `to`, at its next nonce.
pub fn signed_v2(live: &Live, to: Address) -> NativeTx {
    NativeTx::sign(live.tx(&payer(), live.payment(to, 1)), &payer()).unwrap()
}

/// The same as a v1 (legacy) request.
pub fn signed_v1(live: &Live, to: Address) -> LegacyTx {
    LegacyTx::sign(live.tx(&payer(), live.payment(to, 1)), &payer()).unwrap()
}

/// Waits (bounded) until `done` holds; false if it never did.
pub fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(30);
    while Instant::now() < until {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}
