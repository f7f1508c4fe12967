//! `GET /v1/transactions/finalized/by_hash`: a receipt with its epoch and
//! the validators' counter-signatures (spec section 6).

use serde::{Deserialize, Serialize};

use super::tx::{SignatureJson, TransactionReceipt};

/// A finalized receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalizedReceipt {
    /// The receipt's fields.
    #[serde(flatten)]
    pub receipt: TransactionReceipt,
    /// The epoch (the local node has one: 0).
    pub epoch: u64,
    /// Validator counter-signatures (the local node has no validators:
    /// empty).
    pub counter_signatures: Vec<SignatureJson>,
}
