//! The 200 bodies of writes and of the small reads.

use serde::{Deserialize, Serialize};

/// The 200 body of every write but a token issue: `{"hash": "0x…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashAnswer {
    /// The transaction hash, `0x` + 64 hex digits (compare case-insensitively).
    pub hash: String,
}

/// The 200 body of a token issue: `{"hash": "0x…", "token": "0x…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashTokenAnswer {
    /// The transaction hash, `0x` + 64 hex digits.
    pub hash: String,
    /// The new token's address.
    pub token: String,
}

/// `GET /v1/chains/chain_id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainIdAnswer {
    /// The chain id.
    pub chain_id: u64,
}

/// `GET /v1/accounts/nonce?address=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonceAnswer {
    /// The nonce the address must use next.
    pub nonce: u64,
}
