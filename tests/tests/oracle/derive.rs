//! Every operation's payload `P`, the memo `M`, `[P, M]`, the legacy
//! transaction-hash list and the v2 envelope, as alloy-rlp derive structs
//! with the field order of the spec's table 2.2 and section 4: an encoder
//! written independently of the core, from the spec alone.

use alloy_primitives::{keccak256, Address as A, Bytes, FixedBytes, U256};
use alloy_rlp::{Encodable, RlpEncodable};
use tokensign_core::native::{Authorization, Descriptor, DOMAIN};
use tokensign_core::tx::Memo;
use tokensign_core::{Address, Amount, Operation, Signature, Transaction};

fn a(x: &Address) -> A {
    A::from(x.0)
}

fn u(x: &Amount) -> U256 {
    U256::from_be_bytes(x.to_be_bytes())
}

fn s(x: &str) -> String {
    x.to_owned()
}

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

#[derive(RlpEncodable)]
struct MemoRlp {
    kind: String,
    format: String,
    data: String,
}

#[derive(RlpEncodable)]
struct WithMemo {
    payload: Box<dyn Encodable>,
    memo: MemoRlp,
}

#[derive(RlpEncodable)]
struct LegacyTxHash {
    value: Box<dyn Encodable>,
    v: u8,
    r: U256,
    s: U256,
}

#[derive(RlpEncodable)]
struct Single {
    kind: u8,
}

#[derive(RlpEncodable)]
struct Multi {
    kind: u8,
    account: A,
}

#[derive(RlpEncodable)]
struct Unsigned {
    domain: Bytes,
    op_type: u64,
    descriptor: Box<dyn Encodable>,
    payload_rlp: Bytes,
}

#[derive(RlpEncodable)]
struct Signed {
    domain: Bytes,
    op_type: u64,
    descriptor: Box<dyn Encodable>,
    payload_rlp: Bytes,
    proof: Box<dyn Encodable>,
}

#[derive(RlpEncodable)]
struct SingleProof {
    r: U256,
    s: U256,
    v: u8,
}

#[derive(RlpEncodable)]
struct MemberProof {
    pubkey: FixedBytes<33>,
    r: U256,
    s: U256,
    v: u8,
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

fn memo(m: &Memo) -> MemoRlp {
    MemoRlp {
        kind: s(&m.kind),
        format: s(&m.format),
        data: s(&m.data),
    }
}

/// What the derive structs say about one transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answers {
    /// rlp(P).
    pub payload: Vec<u8>,
    /// The legacy signed bytes: rlp(P), or rlp([P, M]) with a memo.
    pub legacy_signed: Vec<u8>,
    /// keccak256 of those.
    pub legacy_signing_hash: [u8; 32],
    /// keccak256(rlp([signed value, v, r, s])), r and s integers.
    pub legacy_tx_hash: [u8; 32],
    /// v2 payload_rlp = rlp([P, M]) of the normalized transaction.
    pub payload_rlp: Vec<u8>,
    /// v2 unsigned transaction.
    pub unsigned: Vec<u8>,
    /// keccak256(unsigned).
    pub signing_hash: [u8; 32],
    /// v2 signed transaction.
    pub signed: Vec<u8>,
    /// keccak256(signed).
    pub tx_hash: [u8; 32],
}

fn legacy_value(tx: &Transaction) -> Box<dyn Encodable> {
    match &tx.memo {
        None => payload(tx),
        Some(m) => Box::new(WithMemo {
            payload: payload(tx),
            memo: memo(m),
        }),
    }
}

fn proof(auth: &Authorization) -> Box<dyn Encodable> {
    match auth {
        Authorization::Single(sig) => Box::new(SingleProof {
            r: U256::from_be_bytes(sig.r),
            s: U256::from_be_bytes(sig.s),
            v: sig.v,
        }),
        Authorization::Multisig { signatures, .. } => Box::new(
            signatures
                .iter()
                .map(|m| MemberProof {
                    pubkey: FixedBytes(m.signer_pubkey),
                    r: U256::from_be_bytes(m.signature.r),
                    s: U256::from_be_bytes(m.signature.s),
                    v: m.signature.v,
                })
                .collect::<Vec<_>>(),
        ),
    }
}

fn descriptor(d: Descriptor) -> Box<dyn Encodable> {
    match d {
        Descriptor::Single => Box::new(Single { kind: 0 }),
        Descriptor::Multisig(account) => Box::new(Multi {
            kind: 1,
            account: a(&account),
        }),
    }
}

/// Every encoding and hash of `tx` (a legacy signature `sig` for the v1
/// transaction hash; `auth` for v2). `v2` is the transaction as v2 signs
/// it (`native::normalize`), given by the caller.
pub fn answers(
    tx: &Transaction,
    v2: &Transaction,
    sig: &Signature,
    auth: &Authorization,
) -> Answers {
    let p = alloy_rlp::encode(payload(tx));
    let legacy_signed = alloy_rlp::encode(legacy_value(tx));
    let legacy_tx = LegacyTxHash {
        value: legacy_value(tx),
        v: sig.v,
        r: U256::from_be_bytes(sig.r),
        s: U256::from_be_bytes(sig.s),
    };
    let v2_memo = v2.memo.clone().unwrap_or_default();
    let payload_rlp = alloy_rlp::encode(WithMemo {
        payload: payload(v2),
        memo: memo(&v2_memo),
    });
    let op_type = u64::from(v2.op_type().number());
    let unsigned = alloy_rlp::encode(Unsigned {
        domain: Bytes::from_static(DOMAIN),
        op_type,
        descriptor: descriptor(auth.descriptor()),
        payload_rlp: Bytes::copy_from_slice(&payload_rlp),
    });
    let signed = alloy_rlp::encode(Signed {
        domain: Bytes::from_static(DOMAIN),
        op_type,
        descriptor: descriptor(auth.descriptor()),
        payload_rlp: Bytes::copy_from_slice(&payload_rlp),
        proof: proof(auth),
    });
    Answers {
        legacy_signing_hash: keccak256(&legacy_signed).into(),
        legacy_tx_hash: keccak256(alloy_rlp::encode(legacy_tx)).into(),
        payload: p,
        legacy_signed,
        signing_hash: keccak256(&unsigned).into(),
        tx_hash: keccak256(&signed).into(),
        payload_rlp,
        unsigned,
        signed,
    }
}
