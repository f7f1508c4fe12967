//! Request bodies and unsigned documents in JSON, in and out of fixed
//! buffers, for every operation and both schemes.
//!
//! | function | reads / writes |
//! |---|---|
//! | [`parse_unsigned`] (or [`parse_unsigned_into`]) / [`write_unsigned`] | `chain_id`, `nonce`, the fields, optional `memo` |
//! | [`parse_document`] (or [`parse_document_into`]) / [`write_document`] | the same plus `"operation": "<name>"` (no name = TokenIssue) |
//! | [`parse_legacy`] / [`write_legacy`] | a v1 body: plus `signature` |
//! | [`parse_native`] / [`write_native`] | a v2 body: plus `memo` (required) and `authorization` |
//!
//! Every reader also checks the text against RFC 8259's grammar
//! ([`check_syntax`]). Unknown, duplicate, missing and mistyped members are refused, each with
//! an error naming the member; values are checked by their field's rules
//! and the operation's ([`Transaction::check`]) on the way in.

mod body;
pub mod shape;
pub mod signature;

use body::{find_operation, write_memo, write_payload, Members, Shape};
use shape::{AUTHORIZATION, CHAIN_ID, MEMO, NONCE, OPERATION, SIGNATURE};
use signature::{AuthorizationJson, SignatureJson};

use crate::error::{Error, Field, JsonError};
use crate::field::json_read::parse_document as parse_json;
use crate::field::{FieldValue, JsonWriter};
use crate::legacy::LegacyTx;
use crate::native::{Authorization, NativeTx};
use crate::tx::memo::Memo;
use crate::tx::{OpType, Operation, Transaction, MAX_BATCH_OPERATIONS, MAX_METADATA_ENTRIES};

const fn member_len(key: &str, value: usize) -> usize {
    // `,"key":value`
    1 + key.len() + 3 + value
}

/// Largest unsigned document (`write_document`) for capacities `B`, `M`.
pub const fn max_document_len<const B: usize, const M: usize>() -> usize {
    2 + member_len(OPERATION.key, 2 + 18)
        + member_len(CHAIN_ID.key, 20)
        + member_len(NONCE.key, 20)
        + 1
        + Operation::<B, M>::MAX_FIELDS_JSON_LEN
        + member_len(MEMO.key, <Memo as FieldValue>::MAX_JSON_LEN)
}

/// Largest v1 request body for capacities `B`, `M`.
pub const fn max_legacy_len<const B: usize, const M: usize>() -> usize {
    2 + member_len(CHAIN_ID.key, 20)
        + member_len(NONCE.key, 20)
        + 1
        + Operation::<B, M>::MAX_FIELDS_JSON_LEN
        + member_len(MEMO.key, <Memo as FieldValue>::MAX_JSON_LEN)
        + member_len(SIGNATURE.key, <SignatureJson as FieldValue>::MAX_JSON_LEN)
}

/// Largest v2 request body for capacities `B`, `M`.
pub const fn max_native_len<const B: usize, const M: usize>() -> usize {
    2 + member_len(CHAIN_ID.key, 20)
        + member_len(NONCE.key, 20)
        + 1
        + Operation::<B, M>::MAX_FIELDS_JSON_LEN
        + member_len(MEMO.key, <Memo as FieldValue>::MAX_JSON_LEN)
        + member_len(
            AUTHORIZATION.key,
            <AuthorizationJson as FieldValue>::MAX_JSON_LEN,
        )
}

/// Largest v1 request body the host writes.
pub const MAX_LEGACY_JSON_LEN: usize =
    max_legacy_len::<MAX_BATCH_OPERATIONS, MAX_METADATA_ENTRIES>();
/// Largest v2 request body the host writes.
pub const MAX_NATIVE_JSON_LEN: usize =
    max_native_len::<MAX_BATCH_OPERATIONS, MAX_METADATA_ENTRIES>();
/// Largest unsigned document the host writes.
pub const MAX_DOCUMENT_JSON_LEN: usize =
    max_document_len::<MAX_BATCH_OPERATIONS, MAX_METADATA_ENTRIES>();

/// Longest JSON input the parsers look at; longer input is
/// [`JsonError::TooLong`]. Twice the largest body written, plus 4 KiB:
/// whitespace and `\u` escapes may make a valid document longer than its
/// written form.
pub const MAX_JSON_INPUT_LEN: usize = 2 * MAX_NATIVE_JSON_LEN + 4096;

/// Checks that `input` is one JSON text by RFC 8259's grammar, within the
/// parsers' limits ([`MAX_JSON_INPUT_LEN`] bytes, objects and arrays nested
/// at most [`MAX_JSON_DEPTH`](crate::field::json_read::MAX_JSON_DEPTH)
/// levels). Every parser of this module applies the same check, so a text
/// refused here is refused by all of them.
///
/// ```
/// use tokensign_core::{json, Grammar, JsonError, Error};
/// assert_eq!(json::check_syntax(br#"{"a":[1,2]}"#), Ok(()));
/// assert_eq!(
///     json::check_syntax(br#"{"a":[,1,2]}"#),
///     Err(Error::Json(JsonError::Grammar { at: 6, broken: Grammar::ExpectedValueOrClose }))
/// );
/// ```
pub fn check_syntax(input: &[u8]) -> Result<(), Error> {
    if input.len() > MAX_JSON_INPUT_LEN {
        return Err(Error::Json(JsonError::TooLong));
    }
    crate::field::json_syntax::check(input, crate::field::json_read::MAX_JSON_DEPTH)
        .map_err(|broken| Error::Json(broken.to_json_error()))
}

/// Reads a body of `shape` for an operation of type `op` into `tx`, in
/// place, and checks it; returns the other members read. On an error `tx`
/// holds some transaction of no meaning.
fn parse_into<const B: usize, const M: usize>(
    op: OpType,
    input: &[u8],
    shape: Shape,
    tx: &mut Transaction<B, M>,
) -> Result<Members, Error> {
    let mut members = Members::new(shape);
    let operation = &mut tx.operation;
    parse_json(input, MAX_JSON_INPUT_LEN, |de, ctx| {
        operation.read_json_into(op, de, ctx, &mut members)
    })?;
    members.fill(tx)?;
    tx.check()?;
    Ok(members)
}

/// Reads an unsigned transaction of type `op`: `chain_id`, `nonce`, the
/// operation's fields and an optional `memo`.
pub fn parse_unsigned<const B: usize, const M: usize>(
    op: OpType,
    input: &[u8],
) -> Result<Transaction<B, M>, Error> {
    let mut tx = Transaction::default();
    parse_unsigned_into(op, input, &mut tx)?;
    Ok(tx)
}

/// [`parse_unsigned`] into a transaction the caller owns, in place (a
/// host transaction is 15 KB: its moves were a tenth of a v2 payment's
/// sign path). On an error `tx` holds some transaction of no meaning.
pub fn parse_unsigned_into<const B: usize, const M: usize>(
    op: OpType,
    input: &[u8],
    tx: &mut Transaction<B, M>,
) -> Result<(), Error> {
    parse_into(op, input, Shape::Unsigned, tx).map(|_| ())
}

/// Reads a signing document: an unsigned transaction with
/// `"operation": "<spec name>"`; without `operation` it is a TokenIssue
/// (the issue-only documents of earlier versions).
pub fn parse_document<const B: usize, const M: usize>(
    input: &[u8],
) -> Result<Transaction<B, M>, Error> {
    let mut tx = Transaction::default();
    parse_document_into(input, &mut tx)?;
    Ok(tx)
}

/// [`parse_document`] into a transaction the caller owns, in place.
pub fn parse_document_into<const B: usize, const M: usize>(
    input: &[u8],
    tx: &mut Transaction<B, M>,
) -> Result<(), Error> {
    let op = find_operation(input, MAX_JSON_INPUT_LEN)?.unwrap_or(OpType::TokenIssue);
    parse_into(op, input, Shape::Document, tx).map(|_| ())
}

/// Reads a v1 request body of type `op` (`signature`'s form is checked:
/// `v` 0 or 1, `r` and `s` as `0x` + 1..=64 hex digits; whether it is
/// valid is [`LegacyTx::signer`]'s question).
pub fn parse_legacy<const B: usize, const M: usize>(
    op: OpType,
    input: &[u8],
) -> Result<LegacyTx<B, M>, Error> {
    if op.v1_path().is_none() {
        return Err(Error::NotInScheme);
    }
    let mut tx = Transaction::default();
    let members = parse_into(op, input, Shape::Legacy, &mut tx)?;
    let signature = members
        .signature
        .as_ref()
        .ok_or(Error::Json(JsonError::MissingField(Field::Signature)))?;
    Ok(LegacyTx {
        tx,
        signature: signature.into(),
    })
}

/// Reads a v2 request body of type `op`. A TokenIssue without
/// `clawback_enabled` is read as `true` (what v2 signs).
pub fn parse_native<const B: usize, const M: usize>(
    op: OpType,
    input: &[u8],
) -> Result<NativeTx<B, M>, Error> {
    let mut tx = Transaction::default();
    let members = parse_into(op, input, Shape::Native, &mut tx)?;
    let auth = members
        .authorization
        .as_ref()
        .ok_or(Error::Json(JsonError::MissingField(Field::Authorization)))?;
    let authorization = Authorization::try_from(auth)?;
    Ok(NativeTx {
        tx: crate::native::normalize(tx),
        authorization,
    })
}

fn finish(out: JsonWriter<'_>) -> usize {
    out.len()
}

/// Writes an unsigned transaction (`chain_id`, `nonce`, fields, `memo` if
/// present); returns the length.
pub fn write_unsigned<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    out: &mut [u8],
) -> Result<usize, Error> {
    let mut w = JsonWriter::new(out);
    w.begin_object()?;
    write_payload(tx, &mut w)?;
    if let Some(memo) = &tx.memo {
        write_memo(memo, &mut w)?;
    }
    w.end_object()?;
    Ok(finish(w))
}

/// Writes a signing document (`operation` first, then as
/// [`write_unsigned`]).
pub fn write_document<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    out: &mut [u8],
) -> Result<usize, Error> {
    let mut w = JsonWriter::new(out);
    w.begin_object()?;
    w.key(OPERATION.key)?;
    w.ascii_string(tx.op_type().name().as_bytes())?;
    write_payload(tx, &mut w)?;
    if let Some(memo) = &tx.memo {
        write_memo(memo, &mut w)?;
    }
    w.end_object()?;
    Ok(finish(w))
}

/// Writes a v1 request body: payload members, `memo` when present,
/// `signature`.
pub fn write_legacy<const B: usize, const M: usize>(
    signed: &LegacyTx<B, M>,
    out: &mut [u8],
) -> Result<usize, Error> {
    let mut w = JsonWriter::new(out);
    w.begin_object()?;
    write_payload(&signed.tx, &mut w)?;
    if let Some(memo) = &signed.tx.memo {
        write_memo(memo, &mut w)?;
    }
    w.key(SIGNATURE.key)?;
    SignatureJson::from(&signed.signature).write_json(&mut w)?;
    w.end_object()?;
    Ok(finish(w))
}

/// Writes a v2 request body: payload members, `memo` (always),
/// `authorization`.
pub fn write_native<const B: usize, const M: usize>(
    signed: &NativeTx<B, M>,
    out: &mut [u8],
) -> Result<usize, Error> {
    let mut w = JsonWriter::new(out);
    w.begin_object()?;
    write_payload(&signed.tx, &mut w)?;
    write_memo(&signed.tx.memo.clone().unwrap_or_default(), &mut w)?;
    w.key(AUTHORIZATION.key)?;
    AuthorizationJson::from(&signed.authorization).write_json(&mut w)?;
    w.end_object()?;
    Ok(finish(w))
}
