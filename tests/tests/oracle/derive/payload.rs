//! Each operation's payload `P`, in the field order of the spec's table
//! 2.2, and the operations hash of a batch (3.3).

use super::{a, s, u};
use alloy_primitives::{keccak256, Address as A, Bytes, FixedBytes, U256};
use alloy_rlp::{Encodable, RlpEncodable};
use tokensign_core::{Operation, Transaction};

#[derive(RlpEncodable)]
struct Payment {
    chain_id: u64,
    nonce: u64,
    recipient: A,
    value: U256,
    token: A,
}

/// `clawback_enabled` absent: the seven-field form (a trailing optional is
/// left out).
#[derive(RlpEncodable)]
#[rlp(trailing)]
struct Issue {
    chain_id: u64,
    nonce: u64,
    symbol: String,
    name: String,
    decimals: u8,
    master_authority: A,
    is_private: bool,
    clawback_enabled: Option<bool>,
}

#[derive(RlpEncodable)]
struct Mint {
    chain_id: u64,
    nonce: u64,
    recipient: A,
    value: U256,
    token: A,
}

/// The enum words are signed as their text.
#[derive(RlpEncodable)]
struct Authority {
    chain_id: u64,
    nonce: u64,
    action: String,
    authority_type: String,
    authority_address: A,
    token: A,
    value: U256,
}

#[derive(RlpEncodable)]
struct ListChange {
    chain_id: u64,
    nonce: u64,
    action: String,
    address: A,
    token: A,
}

#[derive(RlpEncodable)]
struct Pause {
    chain_id: u64,
    nonce: u64,
    action: String,
    token: A,
}

#[derive(RlpEncodable)]
struct Burn {
    chain_id: u64,
    nonce: u64,
    value: U256,
    token: A,
}

/// `token` first.
#[derive(RlpEncodable)]
struct Clawback {
    chain_id: u64,
    nonce: u64,
    token: A,
    from: A,
    recipient: A,
    value: U256,
}

#[derive(RlpEncodable)]
struct KeyValue {
    key: String,
    value: String,
}

#[derive(RlpEncodable)]
struct Metadata {
    chain_id: u64,
    nonce: u64,
    name: String,
    uri: String,
    token: A,
    additional_metadata: Vec<KeyValue>,
}

#[derive(RlpEncodable)]
struct BridgeAndMint {
    chain_id: u64,
    nonce: u64,
    recipient: A,
    value: U256,
    token: A,
    source_chain_id: u64,
    source_tx_hash: String,
    bridge_metadata: String,
}

#[derive(RlpEncodable)]
struct BurnAndBridge {
    chain_id: u64,
    nonce: u64,
    sender: A,
    value: U256,
    token: A,
    destination_chain_id: u64,
    destination_address: String,
    escrow_fee: U256,
    bridge_metadata: String,
    bridge_param: Bytes,
}

/// The key as `Vec<u8>`: alloy-rlp lists it as 33 integers, as the node's
/// bare `Vec<u8>` field does.
#[derive(RlpEncodable)]
struct Signer {
    public_key: Vec<u8>,
    weight: u8,
}

#[derive(RlpEncodable)]
struct CreateMultiSig {
    chain_id: u64,
    nonce: u64,
    signers: Vec<Signer>,
    threshold: u16,
}

#[derive(RlpEncodable)]
struct Entry {
    recipient: A,
    amount: U256,
}

/// The optional tail: an absent `operations_hash` before a present
/// `batch_id` is the 0x80 placeholder (alloy's `trailing` rule).
#[derive(RlpEncodable)]
#[rlp(trailing)]
struct Batch {
    chain_id: u64,
    nonce: u64,
    token: A,
    operations: Vec<Entry>,
    created_at: u64,
    operations_hash: Option<FixedBytes<32>>,
    batch_id: Option<String>,
}
/// `P` of a transaction, as derive structs.
pub fn payload(tx: &Transaction) -> Box<dyn Encodable> {
    let (chain_id, nonce) = (tx.chain_id, tx.nonce);
    match &tx.operation {
        Operation::Payment(p) => Box::new(Payment {
            chain_id,
            nonce,
            recipient: a(&p.recipient),
            value: u(&p.value),
            token: a(&p.token),
        }),
        Operation::TokenIssue(p) => Box::new(Issue {
            chain_id,
            nonce,
            symbol: s(&p.symbol),
            name: s(&p.name),
            decimals: p.decimals,
            master_authority: a(&p.master_authority),
            is_private: p.is_private,
            clawback_enabled: p.clawback_enabled,
        }),
        Operation::TokenMint(p) => Box::new(Mint {
            chain_id,
            nonce,
            recipient: a(&p.recipient),
            value: u(&p.value),
            token: a(&p.token),
        }),
        Operation::TokenAuthority(p) => Box::new(Authority {
            chain_id,
            nonce,
            action: s(p.action.as_str()),
            authority_type: s(p.authority_type.as_str()),
            authority_address: a(&p.authority_address),
            token: a(&p.token),
            value: u(&p.value),
        }),
        Operation::TokenBlacklist(p) => Box::new(ListChange {
            chain_id,
            nonce,
            action: s(p.action.as_str()),
            address: a(&p.address),
            token: a(&p.token),
        }),
        Operation::TokenWhitelist(p) => Box::new(ListChange {
            chain_id,
            nonce,
            action: s(p.action.as_str()),
            address: a(&p.address),
            token: a(&p.token),
        }),
        Operation::TokenPause(p) => Box::new(Pause {
            chain_id,
            nonce,
            action: s(p.action.as_str()),
            token: a(&p.token),
        }),
        Operation::TokenBurn(p) => Box::new(Burn {
            chain_id,
            nonce,
            value: u(&p.value),
            token: a(&p.token),
        }),
        Operation::TokenClawback(p) => Box::new(Clawback {
            chain_id,
            nonce,
            token: a(&p.token),
            from: a(&p.from),
            recipient: a(&p.recipient),
            value: u(&p.value),
        }),
        Operation::TokenMetadata(p) => Box::new(Metadata {
            chain_id,
            nonce,
            name: s(&p.name),
            uri: s(&p.uri),
            token: a(&p.token),
            additional_metadata: p
                .additional_metadata
                .iter()
                .map(|e| KeyValue {
                    key: s(&e.key),
                    value: s(&e.value),
                })
                .collect(),
        }),
        Operation::TokenBridgeAndMint(p) => Box::new(BridgeAndMint {
            chain_id,
            nonce,
            recipient: a(&p.recipient),
            value: u(&p.value),
            token: a(&p.token),
            source_chain_id: p.source_chain_id,
            source_tx_hash: s(&p.source_tx_hash),
            bridge_metadata: s(&p.bridge_metadata),
        }),
        Operation::TokenBurnAndBridge(p) => Box::new(BurnAndBridge {
            chain_id,
            nonce,
            sender: a(&p.sender),
            value: u(&p.value),
            token: a(&p.token),
            destination_chain_id: p.destination_chain_id,
            destination_address: s(&p.destination_address),
            escrow_fee: u(&p.escrow_fee),
            bridge_metadata: s(&p.bridge_metadata),
            bridge_param: Bytes::copy_from_slice(&p.bridge_param.0),
        }),
        Operation::CreateMultiSig(p) => Box::new(CreateMultiSig {
            chain_id,
            nonce,
            signers: p
                .signers
                .iter()
                .map(|m| Signer {
                    public_key: m.public_key.0.to_vec(),
                    weight: m.weight,
                })
                .collect(),
            threshold: p.threshold,
        }),
        Operation::BatchPayment(p) => Box::new(Batch {
            chain_id,
            nonce,
            token: a(&p.token),
            operations: p
                .operations
                .iter()
                .map(|e| Entry {
                    recipient: a(&e.recipient),
                    amount: u(&e.amount),
                })
                .collect(),
            created_at: p.created_at,
            operations_hash: p.operations_hash.map(|h| FixedBytes(h.0)),
            batch_id: p.batch_id.as_ref().map(|t| s(t)),
        }),
    }
}

/// keccak256(rlp(operations)) of a batch, by the derive structs.
pub fn operations_hash(tx: &Transaction) -> Option<[u8; 32]> {
    let Operation::BatchPayment(p) = &tx.operation else {
        return None;
    };
    let list: Vec<Entry> = p
        .operations
        .iter()
        .map(|e| Entry {
            recipient: a(&e.recipient),
            amount: u(&e.amount),
        })
        .collect();
    Some(keccak256(alloy_rlp::encode(&list)).into())
}
