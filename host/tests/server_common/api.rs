//! The node's API calls the tests share: signed writes, the development
//! controls, the mint API, and the reads most tests make (a nonce, a
//! balance, the latest checkpoint, the whole state).

use std::net::SocketAddr;

use serde_json::Value;
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::tx::{Operation, Transaction, CHAIN_ID_TESTNET};
use tokensign_core::{json as cjson, Address, SigningKey};

use super::http::{get, post_json, Resp};
use super::requests::body_of;
use super::schema::assert_schema;

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

/// Signs `op` as `key` at `nonce` (v2) and posts it to `addr`.
pub fn post_signed(
    addr: SocketAddr,
    key: &SigningKey,
    nonce: u64,
    op: impl Into<Operation>,
) -> Resp {
    let tx = Transaction::new(CHAIN_ID_TESTNET, nonce, op);
    post_native(addr, &NativeTx::sign(tx, key).expect("sign"))
}

/// POSTs a v1 issue request, as the core writes it.
pub fn issue(addr: SocketAddr, request: &LegacyTx) -> Resp {
    post_json(addr, "/v1/tokens/issue", &body_of(request))
}

/// The hash of an accepted write (asserting that it was: 200).
pub fn hash_of_accepted(r: &Resp) -> String {
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["hash"].as_str().expect("a hash").to_owned()
}

/// POSTs `body` to the development control at `path` (`/dev/…`).
pub fn post_dev(addr: SocketAddr, path: &str, body: Value) -> Resp {
    post_json(addr, path, &body.to_string())
}

/// POSTs `body` to the ABC-Lab mint API.
pub fn mint(addr: SocketAddr, body: &str) -> Resp {
    post_json(addr, "/api/tokens/mint", body)
}

/// Asserts a mint API error: its status, code, exact message and schema.
pub fn assert_mint_error(r: &Resp, status: u16, code: &str, message: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let v = r.json();
    assert_eq!(v["error_code"], code, "{}", r.body);
    assert_eq!(v["message"], message, "{}", r.body);
    assert_schema("MintError", &v);
}

/// The next nonce of `who` on the node at `addr`.
pub fn nonce_at(addr: SocketAddr, who: &Address) -> u64 {
    let r = get(addr, &format!("/v1/accounts/nonce?address={who}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["nonce"].as_u64().expect("nonce")
}

/// The balance of `who` in `token` on the node at `addr`, in base units.
pub fn balance_at(addr: SocketAddr, who: &Address, token: &Address) -> u128 {
    let r = get(
        addr,
        &format!("/v1/accounts/token_account?address={who}&token={token}"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["balance"]
        .as_str()
        .expect("a balance")
        .parse()
        .expect("a number")
}

/// The number of the latest checkpoint on the node at `addr`.
pub fn latest_checkpoint(addr: SocketAddr) -> u64 {
    let r = get(addr, "/v1/checkpoints/number");
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["number"].as_u64().expect("a number")
}

/// The whole state of the node at `addr` (`POST /dev/dump_state`).
pub fn dump_at(addr: SocketAddr) -> tokensign::node::StateDocument {
    let r = post_json(addr, "/dev/dump_state", "");
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).expect("a state document")
}
