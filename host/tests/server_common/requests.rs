//! Issue requests (v1), signed and written by the core.

use tokensign_core::legacy::LegacyTx;
use tokensign_core::text::Text;
use tokensign_core::tx::{TokenIssue, Transaction, CHAIN_ID_TESTNET};
use tokensign_core::{json as cjson, Address, SigningKey};

use super::keys::master;

/// A testnet payload.
pub fn payload(nonce: u64, symbol: &str, clawback: Option<bool>) -> Transaction {
    payload_with(CHAIN_ID_TESTNET, nonce, symbol, master(), clawback)
}

pub fn payload_with(
    chain_id: u64,
    nonce: u64,
    symbol: &str,
    master_authority: Address,
    clawback: Option<bool>,
) -> Transaction {
    let issue = TokenIssue {
        symbol: Text::new(symbol).expect("valid symbol"),
        name: Text::new("Test Token").expect("valid name"),
        decimals: 6,
        master_authority,
        is_private: false,
        clawback_enabled: clawback,
    };
    Transaction::new(chain_id, nonce, issue)
}

/// Signs with the core.
pub fn sign(key: &SigningKey, payload: Transaction) -> LegacyTx {
    LegacyTx::sign(payload, key).expect("sign")
}

/// The token an issue request creates.
pub fn token_of(request: &LegacyTx) -> Address {
    tokensign_fixtures::issued_token(&request.tx).expect("an issue")
}

/// The transaction hash of a request.
pub fn tx_hash_of(request: &LegacyTx) -> [u8; 32] {
    request.tx_hash().expect("a v1 operation")
}

/// The request JSON, written by the core.
pub fn body_of(request: &LegacyTx) -> String {
    let mut out = vec![0u8; cjson::MAX_LEGACY_JSON_LEN];
    let len = cjson::write_legacy(request, &mut out).expect("write");
    String::from_utf8(out[..len].to_vec()).expect("utf8")
}

/// `0x` + lowercase hex.
pub fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}
