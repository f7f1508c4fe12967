//! `Transaction` and `TransactionReceipt` (spec section 6).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A signature as JSON: `r` and `s` as `0x` + 64 hex digits, `v` 0 or 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureJson {
    /// r.
    pub r: String,
    /// s.
    pub s: String,
    /// The recovery id.
    pub v: u8,
}

/// A transaction as `GET /v1/transactions/by_hash?hash=` answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// The transaction hash.
    pub hash: String,
    /// The checkpoint that holds it, once it is in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_hash: Option<String>,
    /// That checkpoint's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_number: Option<u64>,
    /// Its index in the checkpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_index: Option<u64>,
    /// Chain id.
    pub chain_id: u64,
    /// The signer.
    pub from: String,
    /// The signer's nonce.
    pub nonce: u64,
    /// The signature.
    pub signature: SignatureJson,
    /// The memo, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo: Option<Value>,
    /// `TokenCreate`, `TokenTransfer`, `TokenMint`, … (spec section 6).
    pub transaction_type: String,
    /// The operation's fields; their shape depends on `transaction_type`
    /// (for `TokenCreate` on the local node: [`TokenCreateData`]).
    pub data: Value,
}

/// The `data` of a `TokenCreate` transaction on the local node: the
/// request's fields and the token created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenCreateData {
    /// Symbol.
    pub symbol: String,
    /// Name.
    pub name: String,
    /// Decimals.
    pub decimals: u8,
    /// The master authority.
    pub master_authority: String,
    /// Whether the token is private.
    pub is_private: bool,
    /// Present only when the eight-field form was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clawback_enabled: Option<bool>,
    /// The token created.
    pub token: String,
}

/// A receipt as `GET /v1/transactions/receipt/by_hash?hash=` answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionReceipt {
    /// Whether the transaction succeeded.
    pub success: bool,
    /// Its hash.
    pub transaction_hash: String,
    /// Its index in the checkpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_index: Option<u64>,
    /// The fee paid, U256 decimal text.
    pub fee_used: String,
    /// The signer.
    pub from: String,
    /// The checkpoint that holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_hash: Option<String>,
    /// That checkpoint's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_number: Option<u64>,
    /// The recipient (payment, mint), else absent or null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// The token concerned (the new token for an issue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_address: Option<String>,
    /// Success details (`sender`, `receiver`, `is_private`, `message`,
    /// `bridge_info`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_info: Option<Value>,
    /// Batch details for a BatchPayment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_info: Option<Value>,
    /// Ordered execution events (a BatchPayment's `PaymentExecuted` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_events: Option<Vec<Value>>,
    /// The local node only: `true` for a transaction its development
    /// controls sent as its sender without a signature (`POST /dev/send`);
    /// absent otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub impersonated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::FinalizedReceipt;

    #[test]
    fn reads_a_receipt_with_and_without_the_optional_parts() {
        let text = r#"{"success":true,"transaction_hash":"0xab","fee_used":"0","from":"0x01","recipient":"0x02","token_address":"0x03","success_info":{"sender":"0x01","receiver":"0x02","is_private":false,"message":"","bridge_info":null}}"#;
        let r: TransactionReceipt = serde_json::from_str(text).unwrap();
        assert!(r.success);
        assert_eq!(r.checkpoint_number, None);
        let back = serde_json::to_value(&r).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(text).unwrap());
        let bare = r#"{"success":false,"transaction_hash":"0xab","fee_used":"12","from":"0x01"}"#;
        let r: TransactionReceipt = serde_json::from_str(bare).unwrap();
        assert_eq!(r.fee_used, "12");
        let finalized = r#"{"success":true,"transaction_hash":"0xab","fee_used":"0","from":"0x01","epoch":4,"counter_signatures":[{"r":"0x1","s":"0x2","v":1}]}"#;
        let f: FinalizedReceipt = serde_json::from_str(finalized).unwrap();
        assert_eq!((f.epoch, f.counter_signatures.len()), (4, 1));
        assert!(f.receipt.success);
        // A receipt without the finality fields is not a finalized receipt.
        assert!(serde_json::from_str::<FinalizedReceipt>(bare).is_err());
    }
}
