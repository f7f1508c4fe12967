//! A committed transaction's review, decoded as a device would show it:
//! the stored record is read back into the core's `Transaction` (the
//! core's own parser, on the fields the request had), its scheme and
//! signing form found by recomputing its hash, and the core's review
//! pages rendered at the device's width.

use serde::Serialize;
use serde_json::{Map, Value};
use tokensign_core::native::{Authorization, Descriptor, NativeTx};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH};
use tokensign_core::tx::{OpType, Transaction};
use tokensign_core::{json as cjson, legacy, Address, Scheme, Signature};

use crate::api::Transaction as WireTx;
use crate::node::records::op_of_transaction_type;

/// The review of one committed transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewView {
    /// `v1 (legacy)` or `v2 (domain-separated)`, as the review shows it.
    pub scheme: &'static str,
    /// Whether a multisig account's members signed it.
    pub multisig: bool,
    /// Characters of value per page (the reference device's screen).
    pub page_width: usize,
    /// The pages in order, each as the device shows it (`Label: text`,
    /// `Label (2/3): text` for a value on several pages).
    pub pages: Vec<String>,
}

/// Why a stored transaction has no review.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The record names no known operation.
    #[error("transaction_type {0:?} is not an operation this node knows")]
    UnknownType(String),
    /// The stored fields do not parse back.
    #[error("the stored fields do not read back as the operation: {0}")]
    Fields(String),
    /// No scheme gives the stored hash.
    #[error("neither the v1 nor the v2 hash of the stored fields is the transaction's hash")]
    NoScheme,
}

/// The review of `tx` (a stored record's transaction); `multisig_account`
/// says whether its sender is a multisig account of this ledger.
pub fn review(tx: &WireTx, multisig_account: bool) -> Result<ReviewView, ReviewError> {
    let op = op_of_transaction_type(&tx.transaction_type)
        .ok_or_else(|| ReviewError::UnknownType(tx.transaction_type.clone()))?;
    let unsigned = unsigned_document(op, tx)?;
    let parsed: Transaction = cjson::parse_unsigned(op, unsigned.as_bytes())
        .map_err(|e| ReviewError::Fields(e.to_string()))?;
    let (scheme, descriptor) = signing_form(&parsed, tx, multisig_account)?;
    let review = Review::new(&parsed, scheme, descriptor);
    let pages = review
        .pages(DEFAULT_PAGE_WIDTH)
        .map(|page| page.to_string())
        .collect();
    Ok(ReviewView {
        scheme: match scheme {
            Scheme::Legacy => tokensign_core::review::SCHEME_LEGACY,
            Scheme::Native => tokensign_core::review::SCHEME_NATIVE,
        },
        multisig: matches!(descriptor, Descriptor::Multisig(_)),
        page_width: DEFAULT_PAGE_WIDTH,
        pages,
    })
}

/// The unsigned document of a stored transaction: `chain_id`, `nonce`,
/// the operation's fields as the request had them (without what the node
/// added: an issue's `token`, a CreateMultiSig's `multisig_address`), the
/// memo when one was signed.
fn unsigned_document(op: OpType, tx: &WireTx) -> Result<String, ReviewError> {
    let Value::Object(data) = &tx.data else {
        return Err(ReviewError::Fields("`data` is not an object".into()));
    };
    let mut doc = Map::new();
    doc.insert("chain_id".into(), tx.chain_id.into());
    doc.insert("nonce".into(), tx.nonce.into());
    for (key, value) in data {
        let added = matches!(
            (op, key.as_str()),
            (OpType::TokenIssue, "token") | (OpType::CreateMultiSig, "multisig_address")
        );
        if !added {
            doc.insert(key.clone(), value.clone());
        }
    }
    if let Some(memo) = &tx.memo {
        doc.insert("memo".into(), memo.clone());
    }
    serde_json::to_string(&Value::Object(doc)).map_err(|e| ReviewError::Fields(e.to_string()))
}

fn signature_of(tx: &WireTx) -> Option<Signature> {
    let part = |text: &str| crate::show::parse_hex32(text);
    Some(Signature {
        r: part(&tx.signature.r)?,
        s: part(&tx.signature.s)?,
        v: tx.signature.v,
    })
}

/// The scheme and signing form whose transaction hash is the stored one:
/// v1 (the hash covers the signature), v2 by one key, or sent by the
/// development controls as its sender without a signature (reviewed as v2
/// by one key: what the sender would have signed); a v2 multisig
/// authorization (its hash covers every member's signature, of which the
/// record keeps the first) when the sender is a multisig account and
/// neither single form matches.
fn signing_form(
    parsed: &Transaction,
    tx: &WireTx,
    multisig_account: bool,
) -> Result<(Scheme, Descriptor), ReviewError> {
    let hash = crate::show::parse_hex32(&tx.hash).ok_or(ReviewError::NoScheme)?;
    if let Some(sig) = signature_of(tx) {
        if parsed.op_type().v1_path().is_some() && legacy::tx_hash(parsed, &sig).ok() == Some(hash)
        {
            return Ok((Scheme::Legacy, Descriptor::Single));
        }
        let single = NativeTx {
            tx: parsed.clone(),
            authorization: Authorization::Single(sig),
        };
        if single.tx_hash() == hash {
            return Ok((Scheme::Native, Descriptor::Single));
        }
    }
    if let Ok(from) = Address::parse(&tx.from) {
        if crate::node::dev::impersonated_hash(parsed, &from) == hash {
            return Ok((Scheme::Native, Descriptor::Single));
        }
    }
    if multisig_account {
        let account = Address::parse(&tx.from).map_err(|_| ReviewError::NoScheme)?;
        return Ok((Scheme::Native, Descriptor::Multisig(account)));
    }
    Err(ReviewError::NoScheme)
}
