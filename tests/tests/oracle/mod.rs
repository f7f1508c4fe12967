//! The independent implementations the core is checked against:
//! `om-primitives-types` (the network's own Rust types, v1) and
//! `alloy-rlp`'s derive. Shared by the vector generator and the
//! differential tests.
//!
//! - this file: the legacy TokenIssue (seven and eight fields) and its
//!   known answers, as the vector files record them;
//! - [`derive`]: alloy-rlp derive structs of every operation, the memo and
//!   the v2 envelope, with the same field order as the spec's table 2.2;
//! - [`om`]: the network's own v1 payload types for the operations it has.
#![allow(dead_code)]

pub mod derive;
pub mod om;

use alloy_primitives::{keccak256, Address as AlloyAddress, U256};
use alloy_rlp::{Encodable, Header, RlpDecodable, RlpEncodable};
use om_primitives_types::transaction::payload::TokenIssuePayload as OmPayload;
use om_primitives_types::transaction::{Signable, Signed, SignerRecoverable, TxHashable};
use tokensign_core::tx::TokenIssue;
use tokensign_core::{Operation, Signature, Transaction};

/// The TokenIssue of a transaction; panics on another operation.
pub fn issue_of(tx: &Transaction) -> &TokenIssue {
    match &tx.operation {
        Operation::TokenIssue(issue) => issue,
        other => panic!("expected a TokenIssue, got {}", other.op_type()),
    }
}

/// The seven-field payload, encoded by alloy-rlp's derive.
#[derive(Clone, Debug, PartialEq, Eq, RlpEncodable, RlpDecodable)]
pub struct Seven {
    pub chain_id: u64,
    pub nonce: u64,
    pub symbol: String,
    pub name: String,
    pub decimals: u8,
    pub master_authority: AlloyAddress,
    pub is_private: bool,
}

/// The eight-field payload, encoded by alloy-rlp's derive.
#[derive(Clone, Debug, PartialEq, Eq, RlpEncodable, RlpDecodable)]
pub struct Eight {
    pub chain_id: u64,
    pub nonce: u64,
    pub symbol: String,
    pub name: String,
    pub decimals: u8,
    pub master_authority: AlloyAddress,
    pub is_private: bool,
    pub clawback_enabled: bool,
}

impl Seven {
    pub fn from_core(tx: &Transaction) -> Self {
        let p = issue_of(tx);
        Seven {
            chain_id: tx.chain_id,
            nonce: tx.nonce,
            symbol: p.symbol.to_string(),
            name: p.name.to_string(),
            decimals: p.decimals,
            master_authority: AlloyAddress::from(p.master_authority.0),
            is_private: p.is_private,
        }
    }
}

impl Eight {
    pub fn from_core(tx: &Transaction) -> Self {
        let p = issue_of(tx);
        Eight {
            chain_id: tx.chain_id,
            nonce: tx.nonce,
            symbol: p.symbol.to_string(),
            name: p.name.to_string(),
            decimals: p.decimals,
            master_authority: AlloyAddress::from(p.master_authority.0),
            is_private: p.is_private,
            clawback_enabled: p
                .clawback_enabled
                .expect("eight-field payload has clawback_enabled"),
        }
    }
}

/// The network's type for an eight-field core TokenIssue.
pub fn om_payload(tx: &Transaction) -> OmPayload {
    let p = issue_of(tx);
    OmPayload {
        chain_id: tx.chain_id,
        nonce: tx.nonce,
        symbol: p.symbol.to_string(),
        name: p.name.to_string(),
        decimals: p.decimals,
        master_authority: AlloyAddress::from(p.master_authority.0),
        is_private: p.is_private,
        clawback_enabled: p
            .clawback_enabled
            .expect("om-primitives-types signs eight fields"),
    }
}

/// The same transaction in the eight-field form (clawback kept, or true).
pub fn with_clawback(tx: &Transaction) -> Transaction {
    let mut eight = tx.clone();
    if let Operation::TokenIssue(p) = &mut eight.operation {
        p.clawback_enabled = Some(p.clawback_enabled.unwrap_or(true));
    }
    eight
}

/// alloy's form of a core signature.
pub fn alloy_signature(sig: &Signature) -> alloy_primitives::Signature {
    alloy_primitives::Signature::new(
        U256::from_be_bytes(sig.r),
        U256::from_be_bytes(sig.s),
        sig.v == 1,
    )
}

/// What the oracles say about one payload (and optionally a signature).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answers {
    pub rlp: Vec<u8>,
    pub signing_hash: [u8; 32],
    pub token_address: [u8; 20],
    /// With a signature: the network's transaction hash.
    pub tx_hash: Option<[u8; 32]>,
    /// With a signature: rlp([payload, v, r, s]) built by hand with alloy-rlp
    /// (its keccak256 is checked to equal `tx_hash`).
    pub tx_rlp: Option<Vec<u8>>,
    /// With a signature: the wrong hash with r and s as 32-byte strings.
    pub tx_hash_rs_32_bytes: Option<[u8; 32]>,
    /// With a signature (valid or not): the signer the network recovers.
    pub recovered: Option<Result<[u8; 20], String>>,
}

fn tx_preimage(payload: &dyn Encodable, sig: &Signature, rs_as_32_bytes: bool) -> Vec<u8> {
    let v = sig.v == 1;
    let (r_len, s_len) = if rs_as_32_bytes {
        (sig.r.length(), sig.s.length())
    } else {
        (
            U256::from_be_bytes(sig.r).length(),
            U256::from_be_bytes(sig.s).length(),
        )
    };
    let mut out = Vec::new();
    Header {
        list: true,
        payload_length: payload.length() + v.length() + r_len + s_len,
    }
    .encode(&mut out);
    payload.encode(&mut out);
    v.encode(&mut out);
    if rs_as_32_bytes {
        sig.r.encode(&mut out);
        sig.s.encode(&mut out);
    } else {
        U256::from_be_bytes(sig.r).encode(&mut out);
        U256::from_be_bytes(sig.s).encode(&mut out);
    }
    out
}

/// Computes every answer with the independent implementations: the
/// network's own type for the eight-field form (RLP, signature hash, signed
/// transaction hash, mint address, signer recovery) cross-checked with
/// alloy-rlp's derive; alloy-rlp's derive and om's `TxHashable` for the
/// seven-field form.
pub fn answers(p: &Transaction, sig: Option<&Signature>) -> Answers {
    assert!(
        p.memo.is_none(),
        "the vector files hold payloads without a memo"
    );
    // The mint address does not depend on clawback: compute it with the
    // network's type either way.
    let om_for_address = om_payload(&with_clawback(p));
    let token_address: [u8; 20] = om_for_address.derive_mint_address().into();
    let sig_alloy = sig.map(alloy_signature);
    match issue_of(p).clawback_enabled {
        Some(_) => {
            let om = om_payload(p);
            let rlp = alloy_rlp::encode(&om);
            assert_eq!(
                rlp,
                alloy_rlp::encode(Eight::from_core(p)),
                "om-primitives-types and alloy-rlp's derive disagree"
            );
            let signing_hash: [u8; 32] = om.signature_hash().into();
            assert_eq!(signing_hash, <[u8; 32]>::from(keccak256(&rlp)));
            let (tx_hash, tx_rlp, wrong, recovered) = match (sig, sig_alloy) {
                (Some(sig), Some(sa)) => {
                    let signed = Signed::new(om.clone(), sa);
                    let hash: [u8; 32] = (*signed.hash()).into();
                    let pre = tx_preimage(&om, sig, false);
                    assert_eq!(<[u8; 32]>::from(keccak256(&pre)), hash);
                    let wrong: [u8; 32] = keccak256(tx_preimage(&om, sig, true)).into();
                    let rec = signed
                        .recover_signer()
                        .map(<[u8; 20]>::from)
                        .map_err(|e| e.to_string());
                    (Some(hash), Some(pre), Some(wrong), Some(rec))
                }
                _ => (None, None, None, None),
            };
            Answers {
                rlp,
                signing_hash,
                token_address,
                tx_hash,
                tx_rlp,
                tx_hash_rs_32_bytes: wrong,
                recovered,
            }
        }
        None => {
            let seven = Seven::from_core(p);
            let rlp = alloy_rlp::encode(&seven);
            let signing_hash: [u8; 32] = keccak256(&rlp).into();
            let (tx_hash, tx_rlp, wrong, recovered) = match (sig, sig_alloy) {
                (Some(sig), Some(sa)) => {
                    // om's own transaction-hash code, on the seven-field type.
                    let hash: [u8; 32] = seven.tx_hash(&sa).into();
                    let pre = tx_preimage(&seven, sig, false);
                    assert_eq!(<[u8; 32]>::from(keccak256(&pre)), hash);
                    let wrong: [u8; 32] = keccak256(tx_preimage(&seven, sig, true)).into();
                    let rec = sa
                        .recover_address_from_prehash(&signing_hash.into())
                        .map(<[u8; 20]>::from)
                        .map_err(|e| e.to_string());
                    (Some(hash), Some(pre), Some(wrong), Some(rec))
                }
                _ => (None, None, None, None),
            };
            Answers {
                rlp,
                signing_hash,
                token_address,
                tx_hash,
                tx_rlp,
                tx_hash_rs_32_bytes: wrong,
                recovered,
            }
        }
    }
}

/// Decodes with the network's type (eight fields) or alloy's derive (seven).
pub fn decode_with_oracle(p: &Transaction, bytes: &[u8]) -> bool {
    let mut buf = bytes;
    match issue_of(p).clawback_enabled {
        Some(_) => {
            let om: OmPayload = alloy_rlp::Decodable::decode(&mut buf).expect("om decodes");
            buf.is_empty() && om == om_payload(p)
        }
        None => {
            let seven: Seven = alloy_rlp::Decodable::decode(&mut buf).expect("alloy decodes");
            buf.is_empty() && seven == Seven::from_core(p)
        }
    }
}
