//! What the node stores, and how it is served: the stored records of
//! transactions, tokens and mints, rendered as the wire types of
//! [`crate::api`] (`Transaction`, `TransactionReceipt`, `MintInfo`,
//! `MintSuccess`). The stored JSON is the node's own format and stays
//! readable across versions; the wire shape follows the spec.

use serde::{Deserialize, Serialize};

use crate::api::{
    MintInfo, MintSuccess, SignatureJson, TokenCreateData, TokenMeta, Transaction,
    TransactionReceipt,
};

/// The address the ledger rules give a new token's master mint/burn
/// authority.
const ZERO_ADDRESS: &str = "0x0000000000000000000000000000000000000000";

/// The signature of a stored transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureRecord {
    /// `0x` + 64 lowercase hex digits.
    pub r: String,
    /// `0x` + 64 lowercase hex digits.
    pub s: String,
    /// 0 or 1.
    pub v: u8,
}

/// A committed token-issue transaction, as stored (served as
/// [`crate::api::Transaction`] and [`crate::api::TransactionReceipt`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionRecord {
    /// The transaction hash, `0x` + 64 lowercase hex digits.
    pub hash: String,
    /// Always `"token_issue"`.
    pub transaction_type: String,
    /// The recovered signer (EIP-55).
    pub signer: String,
    /// The token created (EIP-55).
    pub token: String,
    /// Request field.
    pub chain_id: u64,
    /// Request field.
    pub nonce: u64,
    /// Request field.
    pub symbol: String,
    /// Request field.
    pub name: String,
    /// Request field.
    pub decimals: u8,
    /// Request field (EIP-55).
    pub master_authority: String,
    /// Request field.
    pub is_private: bool,
    /// Present only for the eight-field form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clawback_enabled: Option<bool>,
    /// The request's signature.
    pub signature: SignatureRecord,
}

/// A token issued on this server, as stored (served as
/// [`crate::api::MintInfo`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// The token address (EIP-55).
    pub token: String,
    /// Symbol (unique on this server).
    pub symbol: String,
    /// Name.
    pub name: String,
    /// Decimals.
    pub decimals: u8,
    /// Master authority (EIP-55).
    pub master_authority: String,
    /// Whether the token is private.
    pub is_private: bool,
    /// Present only when issued with the eight-field form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clawback_enabled: Option<bool>,
    /// The operator that signed the issue (EIP-55).
    pub issuer: String,
    /// The issuing transaction's hash.
    pub tx_hash: String,
}

/// A committed mint of the ABC-Lab API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MintRecord {
    /// `TOKEN-<n>`, n counting from 1 on this server.
    pub token_id: String,
    /// The asset (token symbol).
    pub asset_id: String,
    /// The token address of the asset (EIP-55).
    pub token: String,
    /// The amount exactly as the request gave it.
    pub amount: serde_json::Number,
    /// The amount in base units (amount x 10^decimals), decimal text.
    pub base_units: String,
    /// The recipient wallet address, as given.
    pub assigned_to: String,
}

impl TransactionRecord {
    /// The spec's `Transaction` (a `TokenCreate`).
    pub fn to_wire(&self) -> Transaction {
        let data = TokenCreateData {
            symbol: self.symbol.clone(),
            name: self.name.clone(),
            decimals: self.decimals,
            master_authority: self.master_authority.clone(),
            is_private: self.is_private,
            clawback_enabled: self.clawback_enabled,
            token: self.token.clone(),
        };
        Transaction {
            hash: self.hash.clone(),
            checkpoint_hash: None,
            checkpoint_number: None,
            transaction_index: None,
            chain_id: self.chain_id,
            from: self.signer.clone(),
            nonce: self.nonce,
            signature: SignatureJson {
                r: self.signature.r.clone(),
                s: self.signature.s.clone(),
                v: self.signature.v,
            },
            memo: None,
            transaction_type: "TokenCreate".into(),
            data: serde_json::to_value(data).unwrap_or_default(),
        }
    }

    /// The spec's `TransactionReceipt`: an issue that is stored succeeded,
    /// cost no fee on this node, and created `token`.
    pub fn to_receipt(&self) -> TransactionReceipt {
        TransactionReceipt {
            success: true,
            transaction_hash: self.hash.clone(),
            transaction_index: None,
            fee_used: "0".into(),
            from: self.signer.clone(),
            checkpoint_hash: None,
            checkpoint_number: None,
            recipient: None,
            token_address: Some(self.token.clone()),
            success_info: None,
            batch_info: None,
            execution_events: None,
        }
    }
}

impl TokenRecord {
    /// The spec's `MintInfo` of a token just issued (ledger rules: supply 0,
    /// empty lists, not paused, the zero address as master mint/burn
    /// authority). A seven-field issue did not sign `clawback_enabled`; the
    /// network reads it as `true`, and so does this.
    pub fn to_wire(&self) -> MintInfo {
        MintInfo {
            symbol: self.symbol.clone(),
            master_authority: self.master_authority.clone(),
            master_mint_burn_authority: ZERO_ADDRESS.into(),
            mint_burn_authorities: Vec::new(),
            pause_authorities: Vec::new(),
            list_authorities: Vec::new(),
            black_list: Vec::new(),
            white_list: Vec::new(),
            metadata_update_authorities: Vec::new(),
            bridge_mint_authorities: Vec::new(),
            clawback_authorities: Vec::new(),
            supply: "0".into(),
            decimals: self.decimals,
            is_paused: false,
            is_private: self.is_private,
            clawback_enabled: self.clawback_enabled.unwrap_or(true),
            meta: TokenMeta {
                name: self.name.clone(),
                uri: String::new(),
                additional_metadata: Vec::new(),
            },
        }
    }
}

impl MintRecord {
    /// The ABC-Lab document's success body.
    pub fn to_wire(&self) -> MintSuccess {
        MintSuccess {
            status: "success".into(),
            token_id: self.token_id.clone(),
            asset_id: self.asset_id.clone(),
            amount: self.amount.clone(),
            assigned_to: self.assigned_to.clone(),
        }
    }
}
