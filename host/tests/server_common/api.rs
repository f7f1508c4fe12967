//! The node's API calls the tests share: signed writes, the mint API, a
//! nonce, the whole state.

use std::net::SocketAddr;

use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::tx::{Transaction, CHAIN_ID_TESTNET};
use tokensign_core::{json as cjson, Address, SigningKey};

use super::*;

/// Signs `op` as `key` at `nonce` (v2) and posts it to `addr`.
pub fn post_signed(
    addr: SocketAddr,
    key: &SigningKey,
    nonce: u64,
    op: impl Into<tokensign_core::tx::Operation>,
) -> Resp {
    let tx = Transaction::new(CHAIN_ID_TESTNET, nonce, op);
    post_native(addr, &NativeTx::sign(tx, key).expect("sign"))
}

/// The next nonce of `who` on the node at `addr`.
pub fn nonce_at(addr: SocketAddr, who: &Address) -> u64 {
    let r = get(addr, &format!("/v1/accounts/nonce?address={who}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["nonce"].as_u64().expect("nonce")
}

/// The whole state of the node at `addr` (`POST /dev/dump_state`).
pub fn dump_at(addr: SocketAddr) -> tokensign::node::StateDocument {
    let r = post_json(addr, "/dev/dump_state", "");
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).expect("a state document")
}

pub fn issue(addr: SocketAddr, request: &LegacyTx) -> Resp {
    post_json(addr, "/v1/tokens/issue", &body_of(request))
}

pub fn mint(a: std::net::SocketAddr, body: &str) -> Resp {
    post_json(a, "/api/tokens/mint", body)
}

pub fn assert_mint_error(r: &Resp, status: u16, code: &str, message: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let v = r.json();
    assert_eq!(v["error_code"], code, "{}", r.body);
    assert_eq!(v["message"], message, "{}", r.body);
    assert_schema("MintError", &v);
}

/// POSTs a v2 request, as the core writes it, to its path.
pub fn post_native(addr: SocketAddr, signed: &NativeTx) -> Resp {
    let mut out = vec![0u8; cjson::MAX_NATIVE_JSON_LEN];
    let n = cjson::write_native(signed, &mut out).expect("write");
    post_json(
        addr,
        signed.path(),
        std::str::from_utf8(&out[..n]).expect("utf8"),
    )
}
