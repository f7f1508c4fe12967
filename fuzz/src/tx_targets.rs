//! The decoders of the transaction family, one target each, every
//! operation through one target: the first input byte picks the operation
//! (and the body's shape or the scheme) and the list capacities; the rest
//! is the input.
//!
//! - `tx_json`: `json::parse_unsigned`, `parse_document`, `parse_legacy`,
//!   `parse_native`;
//! - `tx_rlp`: `legacy::decode_signed_value`, `native::decode_payload_rlp`;
//! - `native_envelope`: `native::decode_unsigned`, `native::decode_signed`.
//!
//! Each accepted value is written back (JSON: written, parsed again to an
//! equal value, written again to the identical bytes; RLP: encoded to
//! exactly the input) and passes [`check_tx`]; refusals are errors of the
//! expected kinds, never a panic.

use tokensign_core::json::{self, MAX_JSON_INPUT_LEN};
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, NativeTx};
use tokensign_core::tx::{MAX_BATCH_OPERATIONS, MAX_METADATA_ENTRIES};
use tokensign_core::{keccak256, Error, JsonError, OpType, Transaction};

use crate::invariants::{check_legacy_signed, check_native_signed, check_tx, encode, write_json};
use crate::reference::{self, Normalized};

/// The small list capacities (a firmware's) that half the inputs use, so
/// that lists overflowing their capacity are reached with short inputs.
pub const SMALL_B: usize = 2;
/// See [`SMALL_B`].
pub const SMALL_M: usize = 2;

/// Which JSON body `tx_json` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `parse_unsigned`.
    Unsigned,
    /// `parse_document` (the operation is named inside).
    Document,
    /// `parse_legacy`.
    Legacy,
    /// `parse_native`.
    Native,
}

const SHAPES: [Shape; 4] = [
    Shape::Unsigned,
    Shape::Document,
    Shape::Legacy,
    Shape::Native,
];

/// The selector byte of `tx_json` and `tx_rlp`: bit 7 picks the small
/// capacities; the low 7 bits, modulo 56, are `variant * 14 + op index`
/// (the variant is the JSON shape, or for RLP 0 = legacy, 1 = v2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selector {
    /// The operation.
    pub op: OpType,
    /// The shape (JSON: 0..4) or scheme (RLP: 0..2).
    pub variant: usize,
    /// Small capacities ([`SMALL_B`], [`SMALL_M`]).
    pub small: bool,
}

impl Selector {
    /// Reads the selector byte; `variants` is 4 for JSON, 2 for RLP.
    pub fn from_byte(b: u8, variants: usize) -> Self {
        let n = OpType::ALL.len();
        let low = usize::from(b & 0x7f) % (n * 4);
        Selector {
            op: OpType::ALL[low % n],
            variant: (low / n) % variants,
            small: b & 0x80 != 0,
        }
    }

    /// The byte that reads back as this selector.
    pub fn to_byte(self) -> u8 {
        let index = OpType::ALL
            .iter()
            .position(|op| *op == self.op)
            .expect("one of the fourteen");
        u8::try_from(self.variant * OpType::ALL.len() + index).expect("below 56")
            | if self.small { 0x80 } else { 0 }
    }
}

/// A screen width for the reviews, varying with the input.
fn width_of(data: &[u8]) -> usize {
    1 + data.len() % 64
}

// ------------------------------------------------------------------ JSON

/// The `tx_json` target.
pub fn tx_json(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let s = Selector::from_byte(selector, SHAPES.len());
    let shape = SHAPES[s.variant];
    if s.small {
        json_case::<SMALL_B, SMALL_M>(s.op, shape, body);
    } else {
        json_case::<MAX_BATCH_OPERATIONS, MAX_METADATA_ENTRIES>(s.op, shape, body);
    }
}

fn assert_json_error(e: Error, input: &[u8], op: OpType, shape: Shape) {
    if input.len() > MAX_JSON_INPUT_LEN {
        assert_eq!(e, Error::Json(JsonError::TooLong), "over-long input");
    }
    let allowed = match e {
        Error::Invalid { .. } | Error::Json(_) | Error::InvalidRecoveryId => true,
        Error::NotInScheme => shape == Shape::Legacy && !legacy::supports(op),
        Error::LegacySignatureInNativeBody => shape == Shape::Native,
        Error::UnknownOperation => shape == Shape::Document,
        _ => false,
    };
    assert!(allowed, "{shape:?} {op}: unexpected error {e:?}");
    assert!(!e.to_string().is_empty(), "an error without text");
    // "Malformed JSON" is said of malformed JSON only: a JSON object that
    // serde_json reads is refused for a precise reason.
    if let Error::Json(
        JsonError::Syntax | JsonError::Grammar { .. } | JsonError::TrailingCharacters,
    ) = e
    {
        let object =
            serde_json::from_slice::<serde_json::Value>(input).is_ok_and(|v| v.is_object());
        assert!(
            !object,
            "{shape:?} {op}: a JSON object refused as {e:?}: {}",
            String::from_utf8_lossy(input)
        );
    }
}

fn json_case<const B: usize, const M: usize>(op: OpType, shape: Shape, input: &[u8]) {
    let width = width_of(input);
    let doc_cap = json::max_document_len::<B, M>();
    match shape {
        Shape::Unsigned => match json::parse_unsigned::<B, M>(op, input) {
            Ok(tx) => {
                assert_eq!(tx.op_type(), op);
                accepted_tx(&tx, width);
                let parse = |b: &[u8]| json::parse_unsigned::<B, M>(op, b);
                let write = |tx: &Transaction<B, M>| {
                    write_json(doc_cap, "write_unsigned", |b| json::write_unsigned(tx, b))
                };
                round_trip(input, &tx, parse, write, Normalized::default());
            }
            Err(e) => assert_json_error(e, input, op, shape),
        },
        Shape::Document => match json::parse_document::<B, M>(input) {
            Ok(tx) => {
                accepted_tx(&tx, width);
                let write = |tx: &Transaction<B, M>| {
                    write_json(doc_cap, "write_document", |b| json::write_document(tx, b))
                };
                let normalized = Normalized {
                    operation: Some(tx.op_type().name()),
                    ..Normalized::default()
                };
                round_trip(input, &tx, json::parse_document::<B, M>, write, normalized);
            }
            Err(e) => assert_json_error(e, input, op, shape),
        },
        Shape::Legacy => match json::parse_legacy::<B, M>(op, input) {
            Ok(signed) => {
                assert!(legacy::supports(op), "{op} read as a v1 body");
                assert_eq!(signed.tx.op_type(), op);
                accepted_tx(&signed.tx, width);
                check_legacy_signed(&signed);
                let parse = |b: &[u8]| json::parse_legacy::<B, M>(op, b);
                let write = |s: &LegacyTx<B, M>| {
                    write_json(json::max_legacy_len::<B, M>(), "write_legacy", |b| {
                        json::write_legacy(s, b)
                    })
                };
                round_trip(input, &signed, parse, write, Normalized::default());
            }
            Err(e) => assert_json_error(e, input, op, shape),
        },
        Shape::Native => match json::parse_native::<B, M>(op, input) {
            Ok(signed) => {
                assert_eq!(signed.tx.op_type(), op);
                assert!(signed.tx.memo.is_some(), "a v2 body always has a memo");
                accepted_tx(&signed.tx, width);
                check_native_signed(&signed);
                let parse = |b: &[u8]| json::parse_native::<B, M>(op, b);
                let write = |s: &NativeTx<B, M>| {
                    write_json(json::max_native_len::<B, M>(), "write_native", |b| {
                        json::write_native(s, b)
                    })
                };
                let normalized = Normalized {
                    clawback_true: op == OpType::TokenIssue,
                    ..Normalized::default()
                };
                round_trip(input, &signed, parse, write, normalized);
            }
            Err(e) => assert_json_error(e, input, op, shape),
        },
    }
}

/// What holds for every transaction a JSON parser accepted: the parsers
/// check every rule, and every invariant of [`check_tx`].
fn accepted_tx<const B: usize, const M: usize>(tx: &Transaction<B, M>, width: usize) {
    assert_eq!(
        tx.check(),
        Ok(()),
        "a parser accepted a transaction its rules refuse"
    );
    check_tx(tx, width);
}

/// Written, the value reads back equal; written again, the same bytes; and
/// the accepted input and the written body hold the same values to
/// serde_json.
fn round_trip<T: PartialEq + std::fmt::Debug>(
    input: &[u8],
    value: &T,
    parse: impl Fn(&[u8]) -> Result<T, Error>,
    write: impl Fn(&T) -> Vec<u8>,
    normalized: Normalized,
) {
    let first = write(value);
    let again = parse(&first).unwrap_or_else(|e| {
        panic!(
            "the written body does not parse ({e}): {}",
            String::from_utf8_lossy(&first)
        )
    });
    assert_eq!(&again, value, "parse(write(value)) differs");
    assert_eq!(write(&again), first, "writing is not canonical");
    reference::assert_json_equivalent(input, &first, normalized);
}

// ------------------------------------------------------------------ RLP

/// The `tx_rlp` target.
pub fn tx_rlp(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let s = Selector::from_byte(selector, 2);
    let native = s.variant == 1;
    if s.small {
        rlp_case::<SMALL_B, SMALL_M>(s.op, native, bytes);
    } else {
        rlp_case::<MAX_BATCH_OPERATIONS, MAX_METADATA_ENTRIES>(s.op, native, bytes);
    }
}

fn assert_rlp_error(e: Error, what: &str) {
    assert!(
        matches!(e, Error::Rlp(_) | Error::Invalid { .. }),
        "{what}: unexpected error {e:?}"
    );
    assert!(!e.to_string().is_empty());
}

fn rlp_case<const B: usize, const M: usize>(op: OpType, v2: bool, bytes: &[u8]) {
    let cap = Transaction::<B, M>::MAX_PAYLOAD_WITH_MEMO_RLP_LEN;
    let width = width_of(bytes);
    if v2 {
        match native::decode_payload_rlp::<B, M>(op, bytes) {
            Ok(tx) => {
                assert_eq!(tx.op_type(), op);
                assert!(tx.memo.is_some(), "v2 always signs a memo");
                let again = encode(&native::payload_rlp(&tx), cap, "v2 payload_rlp");
                assert_eq!(
                    again, bytes,
                    "v2 payload: decode then encode is not the identity"
                );
                check_tx(&tx, width);
            }
            Err(e) => assert_rlp_error(e, "decode_payload_rlp"),
        }
        return;
    }
    match legacy::decode_signed_value::<B, M>(op, bytes) {
        Ok(tx) => {
            assert!(legacy::supports(op));
            assert_eq!(tx.op_type(), op);
            let value = legacy::signed_value(&tx).expect("in v1");
            let again = encode(&value, cap, "legacy signed value");
            assert_eq!(
                again, bytes,
                "legacy: decode then encode is not the identity"
            );
            assert_eq!(legacy::signing_hash(&tx), Ok(keccak256(bytes)));
            check_tx(&tx, width);
        }
        Err(Error::NotInScheme) => assert!(!legacy::supports(op)),
        Err(e) => assert_rlp_error(e, "decode_signed_value"),
    }
}

// ------------------------------------------------------------------ envelope

/// The `native_envelope` target: bit 0 of the first byte picks the signed
/// (1) or unsigned (0) envelope, bit 1 the small capacities; the envelope
/// names its own operation.
pub fn native_envelope(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let signed = selector & 1 == 1;
    if selector & 2 == 2 {
        envelope_case::<SMALL_B, SMALL_M>(signed, bytes);
    } else {
        envelope_case::<MAX_BATCH_OPERATIONS, MAX_METADATA_ENTRIES>(signed, bytes);
    }
}

fn assert_envelope_error(e: Error) {
    assert!(
        matches!(
            e,
            Error::Rlp(_)
                | Error::Invalid { .. }
                | Error::WrongDomain
                | Error::UnknownOperation
                | Error::InvalidRecoveryId
        ),
        "unexpected envelope error {e:?}"
    );
    assert!(!e.to_string().is_empty());
}

fn envelope_case<const B: usize, const M: usize>(signed: bool, bytes: &[u8]) {
    let cap = native::max_signed_rlp_len::<B, M>();
    let width = width_of(bytes);
    if signed {
        match native::decode_signed::<B, M>(bytes) {
            Ok(ntx) => {
                let again = encode(&native::signed(&ntx.tx, &ntx.authorization), cap, "signed");
                assert_eq!(
                    again, bytes,
                    "signed envelope: decode then encode is not the identity"
                );
                assert_eq!(ntx.tx_hash(), keccak256(bytes));
                check_tx(&ntx.tx, width);
                check_native_signed(&ntx);
            }
            Err(e) => assert_envelope_error(e),
        }
        return;
    }
    match native::decode_unsigned::<B, M>(bytes) {
        Ok((tx, descriptor)) => {
            let again = encode(&native::unsigned(&tx, descriptor), cap, "unsigned");
            assert_eq!(
                again, bytes,
                "unsigned envelope: decode then encode is not the identity"
            );
            assert_eq!(native::signing_hash(&tx, descriptor), keccak256(bytes));
            check_tx(&tx, width);
        }
        Err(e) => assert_envelope_error(e),
    }
}
