//! The ABC-Lab mint API's bodies (`POST /api/tokens/mint`).

use serde::{Deserialize, Serialize};

/// The mint request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintRequest {
    /// The asset (an issued token's symbol on the local node).
    pub asset_id: String,
    /// A positive JSON number of tokens.
    pub amount: serde_json::Number,
    /// The wallet that receives them, as given.
    pub recipient_wallet_address: String,
}

/// The 2xx answer of a mint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintSuccess {
    /// `"success"`.
    pub status: String,
    /// The minted token's id (`TOKEN-<n>` on the local node).
    pub token_id: String,
    /// The asset.
    pub asset_id: String,
    /// The amount, as requested.
    pub amount: serde_json::Number,
    /// The recipient.
    pub assigned_to: String,
}

/// The error body of the mint API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintErrorBody {
    /// `"error"`.
    pub status: String,
    /// `INVALID_INPUT`, `ASSET_NOT_FOUND`, `DUPLICATE_MINT` or
    /// `INTERNAL_ERROR`.
    pub error_code: String,
    /// The document's fixed message for the code.
    pub message: String,
    /// The precise cause.
    pub detail: String,
}
