//! The v2 envelope: `[P, M]`, the unsigned and signed transaction RLP, and
//! their hashes; encoders and strict decoders.

use crate::error::{Error, Field, Location, Problem};
use crate::field::FieldValue;
use crate::field::Record;
use crate::rlp::encode::{self, put_header, put_list, put_string, put_u64, Encode, List};
use crate::rlp::header::{list_len, max_string_len};
use crate::rlp::{decode_exact, BufferFull, Item, Sink};
use crate::tx::limits::MAX_MULTISIG_SIGNERS;
use crate::tx::memo::Memo;
use crate::tx::{OpType, Operation, TokenIssue, Transaction};

use super::authorization::{Authorization, Descriptor, Proof};
use super::DOMAIN;

/// `[P, M]`, the payload a v2 transaction signs, as an RLP value. A
/// TokenIssue without `clawback_enabled` is written with `true`.
#[derive(Clone, Copy, Debug)]
pub struct PayloadRlp<'a, const B: usize, const M: usize>(&'a Transaction<B, M>);

struct PayloadItems<'a, const B: usize, const M: usize>(&'a Transaction<B, M>);

impl<const B: usize, const M: usize> Encode for PayloadItems<'_, B, M> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        let tx = self.0;
        match &tx.operation {
            Operation::TokenIssue(issue) if issue.clawback_enabled.is_none() => {
                // Only the issue is copied, not a whole transaction (whose
                // operation is as large as its largest variant: a 2.5 KB
                // frame on a device; docs/embedded.md, "Stack").
                let mut eight = issue.clone();
                eight.clawback_enabled = Some(true);
                put_list(
                    out,
                    &IssuePayload {
                        chain_id: tx.chain_id,
                        nonce: tx.nonce,
                        issue: &eight,
                    },
                )?;
            }
            _ => tx.payload().encode(out)?,
        }
        match &tx.memo {
            Some(memo) => memo.encode_rlp(out),
            None => Memo::default().encode_rlp(out),
        }
    }
}

/// `P` of a token issue: `[chain_id, nonce, fields…]`.
struct IssuePayload<'a> {
    chain_id: u64,
    nonce: u64,
    issue: &'a TokenIssue,
}

impl Encode for IssuePayload<'_> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_u64(out, self.chain_id)?;
        put_u64(out, self.nonce)?;
        self.issue.encode_fields(out)
    }
}

impl<const B: usize, const M: usize> Encode for PayloadRlp<'_, B, M> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_list(out, &PayloadItems(self.0))
    }
}

/// An RLP value embedded as one byte string (its encoding wrapped again).
/// Only for values whose encoding is not a single byte below 0x80 (lists
/// never are).
#[derive(Clone, Copy, Debug)]
struct Embedded<T>(T);

impl<T: Encode> Encode for Embedded<T> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_header(out, false, self.0.encoded_len())?;
        self.0.encode(out)
    }
}

struct EnvelopeItems<'a, const B: usize, const M: usize> {
    tx: &'a Transaction<B, M>,
    descriptor: Descriptor,
    proof: Option<Proof<'a>>,
}

impl<const B: usize, const M: usize> Encode for EnvelopeItems<'_, B, M> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_string(out, DOMAIN)?;
        put_u64(out, u64::from(self.tx.op_type().number()))?;
        self.descriptor.encode(out)?;
        Embedded(PayloadRlp(self.tx)).encode(out)?;
        if let Some(proof) = &self.proof {
            proof.encode(out)?;
        }
        Ok(())
    }
}

/// `[P, M]` of `tx`, as an RLP value.
pub fn payload_rlp<const B: usize, const M: usize>(tx: &Transaction<B, M>) -> PayloadRlp<'_, B, M> {
    PayloadRlp(tx)
}

/// `unsigned = rlp([DOMAIN, op_type, descriptor, payload_rlp])`, as an RLP
/// value.
pub fn unsigned<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    descriptor: Descriptor,
) -> impl Encode + '_ {
    List(EnvelopeItems {
        tx,
        descriptor,
        proof: None,
    })
}

/// `signed = rlp([DOMAIN, op_type, descriptor, payload_rlp, proof])`, as an
/// RLP value.
pub fn signed<'a, const B: usize, const M: usize>(
    tx: &'a Transaction<B, M>,
    authorization: &'a Authorization,
) -> impl Encode + 'a {
    List(EnvelopeItems {
        tx,
        descriptor: authorization.descriptor(),
        proof: Some(Proof(authorization)),
    })
}

/// The digest every signer of `tx` under `descriptor` signs (streamed into
/// keccak: no buffer).
pub fn signing_hash<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    descriptor: Descriptor,
) -> [u8; 32] {
    encode::keccak(&unsigned(tx, descriptor))
}

/// `[DOMAIN, op_type, descriptor, payload_rlp]` with `payload_rlp` given
/// as its bytes.
struct UnsignedOfRlp<'a> {
    op: OpType,
    descriptor: Descriptor,
    payload_rlp: &'a [u8],
}

impl Encode for UnsignedOfRlp<'_> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_string(out, DOMAIN)?;
        put_u64(out, u64::from(self.op.number()))?;
        self.descriptor.encode(out)?;
        // One byte string, as `Embedded` writes it (a list's encoding is
        // never a single byte below 0x80).
        put_string(out, self.payload_rlp)
    }
}

/// The digest every signer under `descriptor` signs, of an operation of
/// type `op` given as its `payload_rlp` bytes, hashed as they are.
///
/// For bytes [`decode_payload_rlp`] accepts this is [`signing_hash`] of
/// the transaction they decode to: the decoder takes only the canonical
/// encoding, so re-encoding that transaction gives the same bytes. A
/// signer holding the bytes it was sent (a device) hashes them once
/// instead of encoding the transaction again (for a 20-member
/// CreateMultiSig the encoding cost 19 times the hashing on a Cortex-M4;
/// docs/embedded.md, "Instructions").
pub fn signing_hash_of_payload_rlp(
    op: OpType,
    descriptor: Descriptor,
    payload_rlp: &[u8],
) -> [u8; 32] {
    encode::keccak(&List(UnsignedOfRlp {
        op,
        descriptor,
        payload_rlp,
    }))
}

/// The transaction hash of `tx` with `authorization`.
pub fn tx_hash<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    authorization: &Authorization,
) -> [u8; 32] {
    encode::keccak(&signed(tx, authorization))
}

/// Largest RLP of a v2 `[P, M]` for capacities `B`, `M`.
pub const fn max_payload_rlp_len<const B: usize, const M: usize>() -> usize {
    Transaction::<B, M>::MAX_PAYLOAD_WITH_MEMO_RLP_LEN
}

/// Largest signed v2 transaction RLP for capacities `B`, `M`.
pub const fn max_signed_rlp_len<const B: usize, const M: usize>() -> usize {
    let proof_entry = list_len(max_string_len(33) + 2 * 33 + 1);
    let proof = list_len(MAX_MULTISIG_SIGNERS * proof_entry);
    let descriptor = list_len(1 + 21);
    let payload = max_string_len(max_payload_rlp_len::<B, M>());
    list_len(max_string_len(DOMAIN.len()) + 2 + descriptor + payload + proof)
}

/// Reads a v2 `[P, M]` of an operation of type `op`, strictly: the memo is
/// required and a TokenIssue must carry all eight fields.
pub fn decode_payload_rlp<const B: usize, const M: usize>(
    op: OpType,
    bytes: &[u8],
) -> Result<Transaction<B, M>, Error> {
    decode_payload_item(op, decode_exact(bytes)?)
}

/// Reads a v2 `[P, M]` into `tx`, in place: what [`decode_payload_rlp`]
/// does (same errors, same order) without a second transaction on the
/// stack (the device's way). On an error `tx` is some valid transaction.
pub fn decode_payload_rlp_into<const B: usize, const M: usize>(
    op: OpType,
    bytes: &[u8],
    tx: &mut Transaction<B, M>,
) -> Result<(), Error> {
    let mut list = decode_exact(bytes)?.list()?;
    let p = list.required()?;
    let m = list
        .required()
        .map_err(|e| Error::invalid(Field::Memo, Problem::Rlp(e)))?;
    list.finish()?;
    tx.decode_payload_into(op, p)?;
    if let Operation::TokenIssue(issue) = &tx.operation {
        if issue.clawback_enabled.is_none() {
            return Err(Error::invalid(
                Field::ClawbackEnabled,
                Problem::Rlp(crate::rlp::RlpError::TooFewItems),
            ));
        }
    }
    tx.decode_memo_into(m)
}

fn decode_payload_item<const B: usize, const M: usize>(
    op: OpType,
    item: Item<'_>,
) -> Result<Transaction<B, M>, Error> {
    let mut list = item.list()?;
    let p = list.required()?;
    let m = list
        .required()
        .map_err(|e| Error::invalid(Field::Memo, Problem::Rlp(e)))?;
    list.finish()?;
    let (chain_id, nonce, operation) = Transaction::<B, M>::decode_payload(op, p)?;
    if let Operation::TokenIssue(issue) = &operation {
        if issue.clawback_enabled.is_none() {
            return Err(Error::invalid(
                Field::ClawbackEnabled,
                Problem::Rlp(crate::rlp::RlpError::TooFewItems),
            ));
        }
    }
    let memo = Memo::decode_rlp(m, Location::field(Field::Memo))?;
    Ok(Transaction {
        chain_id,
        nonce,
        operation,
        memo: Some(memo),
    })
}

type Envelope<const B: usize, const M: usize> =
    (Transaction<B, M>, Descriptor, Option<Authorization>);

fn decode_envelope<const B: usize, const M: usize>(
    bytes: &[u8],
    with_proof: bool,
) -> Result<Envelope<B, M>, Error> {
    let mut list = decode_exact(bytes)?.list()?;
    if list.required()?.string()? != DOMAIN.as_slice() {
        return Err(Error::WrongDomain);
    }
    let number = list.required()?.u64()?;
    let op = OpType::from_number(number).ok_or(Error::UnknownOperation)?;
    let descriptor = Descriptor::decode(list.required()?)?;
    let payload = decode_exact(list.required()?.string()?)?;
    let tx = decode_payload_item(op, payload)?;
    let proof = if with_proof {
        Some(Authorization::decode_proof(descriptor, list.required()?)?)
    } else {
        None
    };
    list.finish()?;
    Ok((tx, descriptor, proof))
}

/// Reads an unsigned v2 transaction RLP: the transaction and its
/// descriptor. Re-encoding gives the same bytes.
pub fn decode_unsigned<const B: usize, const M: usize>(
    bytes: &[u8],
) -> Result<(Transaction<B, M>, Descriptor), Error> {
    let (tx, descriptor, _) = decode_envelope(bytes, false)?;
    Ok((tx, descriptor))
}

/// Reads a signed v2 transaction RLP. The proof's form is not checked
/// (see [`Authorization::check_form`]); re-encoding gives the same bytes.
pub fn decode_signed<const B: usize, const M: usize>(
    bytes: &[u8],
) -> Result<super::NativeTx<B, M>, Error> {
    let (tx, _, proof) = decode_envelope::<B, M>(bytes, true)?;
    let authorization = proof.ok_or(Error::Rlp(crate::rlp::RlpError::TooFewItems))?;
    Ok(super::NativeTx { tx, authorization })
}
