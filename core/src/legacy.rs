//! Legacy v1 signing: the twelve `/v1` write operations.
//!
//! - signed bytes: `rlp(P)`, or with a memo `rlp([P, M])` (the memo's
//!   presence, even empty, changes the hash);
//! - transaction hash: keccak256(rlp([signed value, v, r, s])) with `v`,
//!   `r` and `s` as RLP integers, so a leading zero byte of `r` or `s` is
//!   dropped (the network's own types do this; the issue spec's nonce-177
//!   vector checks it);
//! - request body: the payload's fields, `memo` when present, and a
//!   top-level `signature` (see [`crate::json`]).
//!
//! CreateMultiSig and BatchPayment have no usable v1 endpoint: they are
//! refused with [`Error::NotInScheme`]. Legacy v1 does not bind the
//! operation: Payment/TokenMint, TokenBlacklist/TokenWhitelist and
//! TokenPause/TokenBurn sign identical bytes for identical layouts (the
//! spec's section 8.1); native v2 fixes that.

use crate::key::SigningKey;

use crate::address::Address;
use crate::error::{Error, Field, Location};
use crate::field::{AsRlp, FieldValue};
use crate::rlp::encode::{self, put_list, put_uint, Encode};
use crate::rlp::{decode_exact, BufferFull, Sink};
use crate::signature::{recover_hash, sign_hash, Signature};
use crate::tx::memo::Memo;
use crate::tx::{OpType, Transaction};

/// The bytes a legacy signature covers, as an RLP value.
#[derive(Clone, Copy, Debug)]
pub struct SignedValue<'a, const B: usize, const M: usize>(&'a Transaction<B, M>);

impl<const B: usize, const M: usize> Encode for SignedValue<'_, B, M> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        match &self.0.memo {
            None => self.0.payload().encode(out),
            Some(memo) => put_list(out, &(self.0.payload(), AsRlp(memo))),
        }
    }
}

/// Whether `op` has a legacy v1 endpoint.
pub fn supports(op: OpType) -> bool {
    op.v1_path().is_some()
}

fn require_v1<const B: usize, const M: usize>(tx: &Transaction<B, M>) -> Result<(), Error> {
    if supports(tx.op_type()) {
        Ok(())
    } else {
        Err(Error::NotInScheme)
    }
}

/// The value a legacy signature covers: `rlp(P)` or `rlp([P, M])`.
pub fn signed_value<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
) -> Result<SignedValue<'_, B, M>, Error> {
    require_v1(tx)?;
    Ok(SignedValue(tx))
}

/// Writes the signed bytes into `out`, returning their length.
pub fn encode_signed_value<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    out: &mut [u8],
) -> Result<usize, Error> {
    Ok(encode::to_slice(&signed_value(tx)?, out)?)
}

/// Reads legacy signed bytes of an operation of type `op`, strictly:
/// `rlp(P)`, or `rlp([P, M])` when the first item is itself a list. The
/// inverse of [`encode_signed_value`].
pub fn decode_signed_value<const B: usize, const M: usize>(
    op: OpType,
    bytes: &[u8],
) -> Result<Transaction<B, M>, Error> {
    if !supports(op) {
        return Err(Error::NotInScheme);
    }
    let item = decode_exact(bytes)?;
    let mut list = item.list()?;
    let first = list.required()?;
    if !first.is_list {
        let (chain_id, nonce, operation) = Transaction::<B, M>::decode_payload(op, item)?;
        return Ok(Transaction {
            chain_id,
            nonce,
            operation,
            memo: None,
        });
    }
    let memo = Memo::decode_rlp(list.required()?, Location::field(Field::Memo))?;
    list.finish()?;
    let (chain_id, nonce, operation) = Transaction::<B, M>::decode_payload(op, first)?;
    Ok(Transaction {
        chain_id,
        nonce,
        operation,
        memo: Some(memo),
    })
}

/// Reads legacy signed bytes into `tx`, in place: what
/// [`decode_signed_value`] does (same errors, same order) without a second
/// transaction on the stack (the device's way). On an error `tx` is some
/// valid transaction.
pub fn decode_signed_value_into<const B: usize, const M: usize>(
    op: OpType,
    bytes: &[u8],
    tx: &mut Transaction<B, M>,
) -> Result<(), Error> {
    if !supports(op) {
        return Err(Error::NotInScheme);
    }
    let item = decode_exact(bytes)?;
    let mut list = item.list()?;
    let first = list.required()?;
    if !first.is_list {
        tx.memo = None;
        return tx.decode_payload_into(op, item);
    }
    tx.decode_memo_into(list.required()?)?;
    list.finish()?;
    tx.decode_payload_into(op, first)
}

/// keccak256 of the signed bytes: the digest a legacy signature covers.
pub fn signing_hash<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
) -> Result<[u8; 32], Error> {
    Ok(encode::keccak(&signed_value(tx)?))
}

struct TxHashItems<'a, const B: usize, const M: usize> {
    value: SignedValue<'a, B, M>,
    sig: &'a Signature,
}

impl<const B: usize, const M: usize> Encode for TxHashItems<'_, B, M> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        self.value.encode(out)?;
        put_uint(out, &[self.sig.v])?;
        put_uint(out, &self.sig.r)?;
        put_uint(out, &self.sig.s)
    }
}

/// The transaction hash the network answers with:
/// keccak256(rlp([signed value, v, r, s])), `v`, `r`, `s` as integers.
pub fn tx_hash<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    sig: &Signature,
) -> Result<[u8; 32], Error> {
    let value = signed_value(tx)?;
    Ok(encode::keccak(&encode::List(TxHashItems { value, sig })))
}

/// A legacy transaction with its signature: a `/v1` request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LegacyTx<
    const B: usize = { crate::tx::MAX_BATCH_OPERATIONS },
    const M: usize = { crate::tx::MAX_METADATA_ENTRIES },
> {
    /// What was signed.
    pub tx: Transaction<B, M>,
    /// The signature over [`signing_hash`].
    pub signature: Signature,
}

impl<const B: usize, const M: usize> Default for LegacyTx<B, M> {
    /// A slot to parse into and sign in place ([`LegacyTx::sign_in_place`]):
    /// the default transaction and an all-zero signature, which no
    /// recovery accepts.
    fn default() -> Self {
        LegacyTx {
            tx: Transaction::default(),
            signature: Signature::ZERO,
        }
    }
}

impl<const B: usize, const M: usize> LegacyTx<B, M> {
    /// Signs `tx` with `key` after checking every rule ([`Transaction::check`]).
    pub fn sign(tx: Transaction<B, M>, key: &SigningKey) -> Result<Self, Error> {
        let mut request = LegacyTx {
            tx,
            ..LegacyTx::default()
        };
        request.sign_in_place(key)?;
        Ok(request)
    }

    /// [`LegacyTx::sign`] where the request lies: checks `self.tx` and sets
    /// `self.signature` (for callers that parse into a request they own,
    /// [`crate::json::parse_unsigned_into`]); on an error the signature is
    /// left as it was.
    pub fn sign_in_place(&mut self, key: &SigningKey) -> Result<(), Error> {
        self.tx.check()?;
        self.signature = sign_hash(&signing_hash(&self.tx)?, key)?;
        Ok(())
    }

    /// The digest the signature covers.
    pub fn signing_hash(&self) -> Result<[u8; 32], Error> {
        signing_hash(&self.tx)
    }

    /// The transaction hash.
    pub fn tx_hash(&self) -> Result<[u8; 32], Error> {
        tx_hash(&self.tx, &self.signature)
    }

    /// The address that signed (the signature's form is checked: low-S,
    /// `v` 0 or 1, scalars in range).
    pub fn signer(&self) -> Result<Address, Error> {
        recover_hash(&self.signing_hash()?, &self.signature)
    }

    /// The REST path to send this to.
    pub fn path(&self) -> Option<&'static str> {
        self.tx.op_type().v1_path()
    }
}
