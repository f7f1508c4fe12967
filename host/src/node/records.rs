//! What the node stores about its history, and how it is served: a
//! transaction with its receipt ([`TxRecord`], the wire types
//! [`crate::api::Transaction`] and [`crate::api::TransactionReceipt`]),
//! checkpoints ([`CheckpointRecord`]) and ABC-Lab mints ([`MintRecord`]).

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use tokensign_core::json as cjson;
use tokensign_core::tx::{AuthorityAction, OpType, Operation, PauseAction, Transaction};
use tokensign_core::{keccak256, Address};

use super::failure::StoreError;
use super::ledger::Effects;
use crate::api::{
    JsonNumber, MintSuccess, SignatureJson, Transaction as WireTx, TransactionReceipt,
};

/// `0x` + lowercase hex.
pub fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Most addresses [`shown`] keeps; it forgets them all when full.
const SHOWN_MAX: usize = 4096;

thread_local! {
    /// The EIP-55 texts [`shown`] has made on this thread.
    static SHOWN: std::cell::RefCell<std::collections::HashMap<Address, String>> =
        std::cell::RefCell::default();
}

/// `address` as EIP-55 text, remembered per thread: a record names its
/// sender, recipient and token, and making the text costs a keccak (about
/// 7,800 instructions, two thirds of a payment's record), while a node's
/// payments name the same few accounts and tokens over and over (the
/// writer thread makes every record). Bounded by [`SHOWN_MAX`] addresses.
fn shown(address: &Address) -> String {
    SHOWN.with(|cell| {
        let mut known = cell.borrow_mut();
        if let Some(text) = known.get(address) {
            return text.clone();
        }
        if known.len() >= SHOWN_MAX {
            known.clear();
        }
        let text = address.to_string();
        known.insert(*address, text.clone());
        text
    })
}

/// The zero address, EIP-55 (the receipt's receiver of a batch).
const ZERO_ADDRESS: &str = "0x0000000000000000000000000000000000000000";

/// The `success_info.message` of an impersonated transaction's receipt.
pub const IMPERSONATED_MESSAGE: &str =
    "impersonated: sent by the node's development controls (POST /dev/send) as its sender, \
     without a signature";

/// A committed transaction and its receipt, as served.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxRecord {
    /// `GET /v1/transactions/by_hash`.
    pub transaction: WireTx,
    /// `GET /v1/transactions/receipt/by_hash`.
    pub receipt: TransactionReceipt,
}

/// The read-side `transaction_type` of a transaction (spec section 6).
pub fn transaction_type(tx: &Transaction) -> &'static str {
    match &tx.operation {
        Operation::Payment(_) => "TokenTransfer",
        Operation::TokenIssue(_) => "TokenCreate",
        Operation::TokenMint(_) => "TokenMint",
        Operation::TokenAuthority(a) => match a.action {
            AuthorityAction::Grant => "TokenGrantAuthority",
            AuthorityAction::Revoke => "TokenRevokeAuthority",
        },
        Operation::TokenBlacklist(_) => "TokenBlacklistAccount",
        Operation::TokenWhitelist(_) => "TokenWhitelistAccount",
        Operation::TokenPause(p) => match p.action {
            PauseAction::Pause => "TokenPause",
            PauseAction::Unpause => "TokenUnpause",
        },
        Operation::TokenBurn(_) => "TokenBurn",
        Operation::TokenClawback(_) => "TokenClawback",
        Operation::TokenMetadata(_) => "TokenUpdateMetadata",
        Operation::TokenBridgeAndMint(_) => "TokenBridgeAndMint",
        Operation::TokenBurnAndBridge(_) => "TokenBurnAndBridge",
        Operation::CreateMultiSig(_) => "CreateMultiSig",
        Operation::BatchPayment(_) => "BatchPayment",
    }
}

/// The operation of a read-side `transaction_type` (the inverse of
/// [`transaction_type`]).
pub fn op_of_transaction_type(name: &str) -> Option<OpType> {
    Some(match name {
        "TokenTransfer" => OpType::Payment,
        "TokenCreate" => OpType::TokenIssue,
        "TokenMint" => OpType::TokenMint,
        "TokenGrantAuthority" | "TokenRevokeAuthority" => OpType::TokenAuthority,
        "TokenBlacklistAccount" => OpType::TokenBlacklist,
        "TokenWhitelistAccount" => OpType::TokenWhitelist,
        "TokenPause" | "TokenUnpause" => OpType::TokenPause,
        "TokenBurn" => OpType::TokenBurn,
        "TokenClawback" => OpType::TokenClawback,
        "TokenUpdateMetadata" => OpType::TokenMetadata,
        "TokenBridgeAndMint" => OpType::TokenBridgeAndMint,
        "TokenBurnAndBridge" => OpType::TokenBurnAndBridge,
        "CreateMultiSig" => OpType::CreateMultiSig,
        "BatchPayment" => OpType::BatchPayment,
        _ => return None,
    })
}

/// The operation's fields as JSON (the core's writer, so the names and
/// values are exactly the request's), without `chain_id`, `nonce` and
/// `memo`.
pub(crate) fn fields(tx: &Transaction) -> Result<Map<String, Value>, StoreError> {
    let mut out = vec![0u8; cjson::MAX_DOCUMENT_JSON_LEN];
    let len = cjson::write_unsigned(tx, &mut out)
        .map_err(|_| StoreError::Corrupt("a transaction does not write as JSON"))?;
    let text = out
        .get(..len)
        .ok_or(StoreError::Corrupt("JSON writer length"))?;
    let mut map: Map<String, Value> = serde_json::from_slice(text)?;
    map.remove("chain_id");
    map.remove("nonce");
    map.remove("memo");
    Ok(map)
}

fn memo_json(tx: &Transaction) -> Option<Value> {
    tx.memo.as_ref().map(
        |m| json!({"type": m.kind.as_str(), "format": m.format.as_str(), "data": m.data.as_str()}),
    )
}

impl TxRecord {
    /// The record of an admitted transaction `tx` from `sender` with
    /// `hash` and `signature` (its checkpoint fields are set by
    /// [`TxRecord::place`]). `fields` are the operation's fields as JSON
    /// ([`fields`]), prepared by the request handler (in parallel), not
    /// here on the writer's serial path.
    pub(crate) fn new(
        tx: &Transaction,
        sender: &Address,
        hash: &[u8; 32],
        signature: &SignatureJson,
        fields: &Map<String, Value>,
        effects: &Effects,
    ) -> TxRecord {
        let hash = hex0x(hash);
        let from = shown(sender);
        let mut data = fields.clone();
        if let (OpType::TokenIssue, Some(token)) = (tx.op_type(), effects.token) {
            data.insert("token".into(), Value::String(token.to_string()));
        }
        if let Some(account) = effects.multisig {
            data.insert(
                "multisig_address".into(),
                Value::String(account.to_string()),
            );
        }
        let recipient = effects.recipient.as_ref().map(shown);
        let mut batch_info = None;
        let mut events = None;
        if let Operation::BatchPayment(b) = &tx.operation {
            let total = effects.batch_total.unwrap_or_default();
            batch_info = Some(json!({
                "batch_id": b.batch_id.as_ref().map(|id| id.as_str()),
                "operations_hash": hex0x(&b.compute_operations_hash().0),
                "operations_count": b.operations.len(),
                "total_amount": total.to_string(),
                "failure": null,
            }));
            let mut list = vec![json!({
                "event_type": "BatchStarted",
                "operations_count": b.operations.len(),
                "total_amount": total.to_string(),
            })];
            for (i, op) in b.operations.iter().enumerate() {
                list.push(json!({
                    "event_type": "PaymentExecuted",
                    "operation_index": i,
                    "recipient": op.recipient.to_string(),
                    "amount": op.amount.to_string(),
                }));
            }
            list.push(json!({
                "event_type": "BatchCompleted",
                "operations_count": b.operations.len(),
            }));
            events = Some(list);
        }
        let receiver = match (&tx.operation, &recipient) {
            (Operation::BatchPayment(_), _) | (_, None) => ZERO_ADDRESS.to_owned(),
            (_, Some(r)) => r.clone(),
        };
        let bridge_info = effects.bridge.as_ref().map(|b| {
            json!({
                "bbnonce": b.bbnonce,
                "destination_chain_id": b.destination_chain_id,
                "destination_address": b.destination_address,
                "bridge_param": b.bridge_param,
            })
        });
        TxRecord {
            transaction: WireTx {
                hash: hash.clone(),
                checkpoint_hash: None,
                checkpoint_number: None,
                transaction_index: None,
                chain_id: tx.chain_id,
                from: from.clone(),
                nonce: tx.nonce,
                signature: signature.clone(),
                memo: memo_json(tx),
                transaction_type: transaction_type(tx).to_owned(),
                data: Value::Object(data),
            },
            receipt: TransactionReceipt {
                success: true,
                transaction_hash: hash,
                transaction_index: None,
                fee_used: effects.fee.to_string(),
                from: from.clone(),
                checkpoint_hash: None,
                checkpoint_number: None,
                recipient,
                token_address: effects.token.as_ref().map(shown),
                success_info: Some(json!({
                    "sender": from,
                    "receiver": receiver,
                    "is_private": effects.is_private,
                    "message": "",
                    "bridge_info": bridge_info,
                })),
                batch_info,
                execution_events: events,
                impersonated: false,
            },
        }
    }

    /// Marks the record of a transaction the development controls sent
    /// without a signature (`POST /dev/send`): the receipt says
    /// `impersonated: true` and its `success_info.message` says how it was
    /// sent. (Its `signature` is all zero, which no key produces.)
    pub(crate) fn mark_impersonated(&mut self) {
        self.receipt.impersonated = true;
        if let Some(Value::Object(info)) = &mut self.receipt.success_info {
            info.insert(
                "message".into(),
                Value::String(IMPERSONATED_MESSAGE.to_owned()),
            );
        }
    }

    /// Puts the transaction in checkpoint `number` (hash `hash`) at
    /// `index`.
    pub(crate) fn place(&mut self, number: u64, hash: &[u8; 32], index: u64) {
        let hash = hex0x(hash);
        self.transaction.checkpoint_number = Some(number);
        self.transaction.checkpoint_hash = Some(hash.clone());
        self.transaction.transaction_index = Some(index);
        self.receipt.checkpoint_number = Some(number);
        self.receipt.checkpoint_hash = Some(hash);
        self.receipt.transaction_index = Some(index);
    }

    /// Takes out what [`TxRecord::place`] put in, leaving the record as it
    /// was admitted (the form whose receipt's JSON its checkpoint's
    /// receipts root hashes), and returns the checkpoint number and index
    /// it had, if any.
    pub(crate) fn unplace(&mut self) -> Option<(u64, u64)> {
        let tx = &mut self.transaction;
        let place = tx.checkpoint_number.zip(tx.transaction_index);
        tx.checkpoint_number = None;
        tx.checkpoint_hash = None;
        tx.transaction_index = None;
        let receipt = &mut self.receipt;
        receipt.checkpoint_number = None;
        receipt.checkpoint_hash = None;
        receipt.transaction_index = None;
        place
    }
}

/// A checkpoint: the transactions one group commit admitted, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointRecord {
    /// Its number (0 is the empty genesis checkpoint).
    pub number: u64,
    /// Its hash: keccak of number, parent hash, timestamp and the roots.
    #[serde(with = "hex32")]
    pub hash: [u8; 32],
    /// The previous checkpoint's hash (zero for genesis).
    #[serde(with = "hex32")]
    pub parent_hash: [u8; 32],
    /// Unix seconds when it closed.
    pub timestamp: u64,
    /// keccak of the concatenated transaction hashes (32 bytes each).
    #[serde(with = "hex32")]
    pub transactions_root: [u8; 32],
    /// keccak of the concatenated receipts' JSON.
    #[serde(with = "hex32")]
    pub receipts_root: [u8; 32],
    /// The transaction hashes, in order.
    #[serde(with = "hex32_list")]
    pub transactions: Vec<[u8; 32]>,
}

impl CheckpointRecord {
    /// Closes checkpoint `number` after `parent` over `transactions` with
    /// `receipts` (their JSON), now.
    pub fn close(
        number: u64,
        parent_hash: [u8; 32],
        transactions: Vec<[u8; 32]>,
        receipts: &[String],
    ) -> CheckpointRecord {
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Self::at(number, parent_hash, timestamp, transactions, receipts)
    }

    /// `checkpoint` with its roots and hash computed again from its
    /// number, parent, timestamp, transactions and `receipts` (what a
    /// state load checks).
    pub fn recompute(checkpoint: &CheckpointRecord, receipts: &[String]) -> CheckpointRecord {
        Self::at(
            checkpoint.number,
            checkpoint.parent_hash,
            checkpoint.timestamp,
            checkpoint.transactions.clone(),
            receipts,
        )
    }

    fn at(
        number: u64,
        parent_hash: [u8; 32],
        timestamp: u64,
        transactions: Vec<[u8; 32]>,
        receipts: &[String],
    ) -> CheckpointRecord {
        let transactions_root = keccak_all(transactions.iter().map(|h| h.as_slice()));
        let receipts_root = keccak_all(receipts.iter().map(|r| r.as_bytes()));
        let hash = keccak_all([
            number.to_be_bytes().as_slice(),
            parent_hash.as_slice(),
            timestamp.to_be_bytes().as_slice(),
            transactions_root.as_slice(),
            receipts_root.as_slice(),
        ]);
        CheckpointRecord {
            number,
            hash,
            parent_hash,
            timestamp,
            transactions_root,
            receipts_root,
            transactions,
        }
    }
}

/// 32-byte hashes as `0x` + hex in the stored JSON.
mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(h: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hex0x(h))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        crate::show::parse_hex32(&text)
            .ok_or_else(|| serde::de::Error::custom("not a 32-byte hash"))
    }
}

/// Lists of 32-byte hashes as `0x` + hex texts in the stored JSON.
mod hex32_list {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(list: &[[u8; 32]], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(list.iter().map(|h| super::hex0x(h)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<[u8; 32]>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|t| {
                crate::show::parse_hex32(t)
                    .ok_or_else(|| serde::de::Error::custom("not a 32-byte hash"))
            })
            .collect()
    }
}

/// keccak of the concatenation of `parts`.
fn keccak_all<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> [u8; 32] {
    let mut all = Vec::new();
    for p in parts {
        all.extend_from_slice(p);
    }
    keccak256(&all)
}

/// A committed mint of the ABC-Lab API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintRecord {
    /// `TOKEN-<n>`, n counting from 1 on this server.
    pub token_id: String,
    /// The asset (token symbol).
    pub asset_id: String,
    /// The token address of the asset (EIP-55).
    pub token: String,
    /// The amount exactly as the request gave it.
    pub amount: JsonNumber,
    /// The amount in base units (amount x 10^decimals), decimal text.
    pub base_units: String,
    /// The recipient wallet address, as given.
    pub assigned_to: String,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The remembered text is the address's EIP-55 text, the first time
    /// and every later one, and the memory forgets before it passes its
    /// bound.
    #[test]
    fn an_address_is_shown_as_its_eip55_text_within_a_bounded_memory() {
        let address = |i: usize| {
            let mut bytes = [0xab; 20];
            bytes[..8].copy_from_slice(&(i as u64).to_be_bytes());
            Address(bytes)
        };
        for i in 0..SHOWN_MAX + 10 {
            assert_eq!(shown(&address(i)), address(i).to_string());
            let size = SHOWN.with(|known| known.borrow().len());
            assert!((1..=SHOWN_MAX).contains(&size), "{size} remembered");
        }
        let last = address(SHOWN_MAX + 9);
        assert_eq!(shown(&last), last.to_string());
        assert_eq!(shown(&address(0)), address(0).to_string());
    }
}
