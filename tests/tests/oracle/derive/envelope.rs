//! The memo `M`, `[P, M]`, the legacy transaction-hash list and the v2
//! envelope (section 4) around `P`, and every answer for one transaction.

use super::payload::payload;
use super::{a, s};
use alloy_primitives::{keccak256, Address as A, Bytes, FixedBytes, U256};
use alloy_rlp::{Encodable, RlpEncodable};
use tokensign_core::native::{Authorization, Descriptor, DOMAIN};
use tokensign_core::tx::Memo;
use tokensign_core::{Signature, Transaction};

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
