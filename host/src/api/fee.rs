//! Fee estimates (spec section 6): `GET /v1/transactions/estimate_fee` and
//! `POST /v1/transactions/batch_payment/estimate_fee`.

use serde::{Deserialize, Serialize};

/// The answer of both estimates: the fee in the token's base units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeEstimate {
    /// The fee, U256 decimal text.
    pub fee: String,
    /// A pricing plan id; `null` on the local node (no plans).
    #[serde(default)]
    pub plan: Option<String>,
}

/// One payment of a batch fee estimate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchFeeOperation {
    /// The recipient address.
    pub recipient: String,
    /// The amount, U256 decimal text.
    pub amount: String,
}

/// The body of `POST /v1/transactions/batch_payment/estimate_fee`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchFeeRequest {
    /// The sender.
    pub from: String,
    /// The token.
    pub token: String,
    /// The payments.
    pub operations: Vec<BatchFeeOperation>,
}
