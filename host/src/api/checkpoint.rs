//! Checkpoints (spec section 6): `GET /v1/checkpoints/number`,
//! `/v1/checkpoints/by_number`, `/v1/checkpoints/by_hash`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `GET /v1/checkpoints/number`: the latest checkpoint's number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointNumberAnswer {
    /// The number.
    pub number: u64,
}

/// A checkpoint header with its transactions (hashes, or full
/// `Transaction`s with `full=true`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Its hash.
    pub hash: String,
    /// The previous checkpoint's hash.
    pub parent_hash: String,
    /// State root (the local node keeps none: zero).
    pub state_root: String,
    /// Root over the transaction hashes.
    pub transactions_root: String,
    /// Root over the receipts.
    pub receipts_root: String,
    /// Its number.
    pub number: u64,
    /// Unix seconds when it closed.
    pub timestamp: u64,
    /// How many transactions it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Transaction hashes (strings) or transactions (objects).
    pub transactions: Vec<Value>,
}
