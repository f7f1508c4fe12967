//! Round trips and size bounds of every operation, in both schemes where
//! the spec allows (CreateMultiSig and BatchPayment are v2 only):
//!
//! - JSON: `write_unsigned`/`parse_unsigned`, `write_document`/
//!   `parse_document`, `write_legacy`/`parse_legacy`, `write_native`/
//!   `parse_native` give the same value back; every body is valid JSON for
//!   an ordinary parser; bodies of one shape are refused as another;
//! - RLP: the legacy signed bytes, v2 `payload_rlp`, unsigned and signed
//!   envelopes decode to the same value and re-encode to the same bytes;
//! - every written form fits the public constants, and a buffer one byte
//!   short is refused (`BufferTooSmall`), never overrun;
//! - lists at a small capacity (`Transaction<2, 3>`) are often full, and
//!   round-trip the same way.
//!
//! Each property runs per operation (`cases(256)` each; see
//! `tokensign_tests::cases` to run more).

use proptest::prelude::*;
use serde_json::Value;
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, Authorization, NativeTx};
use tokensign_core::rlp::encode::Encode;
use tokensign_core::{json, Error, OpType, Signature, Transaction};
use tokensign_tests::strategies::{authorization, signature, transaction_for};
use tokensign_tests::{config, rlp};

fn buffer(len: usize) -> Vec<u8> {
    vec![0u8; len]
}

/// Writes with `write` into a buffer of `max` bytes; checks that the
/// length fits, that one byte less is refused, and that the text is a JSON
/// object for serde_json. Returns the bytes.
fn written(
    max: usize,
    write: impl Fn(&mut [u8]) -> Result<usize, Error>,
) -> Result<Vec<u8>, TestCaseError> {
    let mut out = buffer(max);
    let n = write(&mut out).map_err(|e| TestCaseError::fail(format!("write: {e}")))?;
    prop_assert!(n <= max);
    prop_assert_eq!(write(&mut out[..n - 1]), Err(Error::BufferTooSmall));
    out.truncate(n);
    let v: Value =
        serde_json::from_slice(&out).map_err(|e| TestCaseError::fail(format!("not JSON: {e}")))?;
    prop_assert!(v.is_object());
    Ok(out)
}

fn keys(bytes: &[u8]) -> Vec<String> {
    let v: Value = serde_json::from_slice(bytes).expect("checked JSON");
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

fn json_round_trips<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    sig: Signature,
    auth: &Authorization,
) -> Result<(), TestCaseError> {
    let op = tx.op_type();
    prop_assert_eq!(tx.check(), Ok(()), "generated transactions are valid");
    // Unsigned.
    let unsigned = written(json::max_document_len::<B, M>(), |o| {
        json::write_unsigned(tx, o)
    })?;
    prop_assert_eq!(json::parse_unsigned::<B, M>(op, &unsigned), Ok(tx.clone()));
    let v: Value = serde_json::from_slice(&unsigned).unwrap();
    prop_assert_eq!(v["chain_id"].as_u64(), Some(tx.chain_id));
    prop_assert_eq!(v["nonce"].as_u64(), Some(tx.nonce));
    prop_assert_eq!(v.get("memo").is_some(), tx.memo.is_some());
    if op != OpType::TokenIssue {
        // A document without `operation` is a TokenIssue.
        prop_assert!(json::parse_document::<B, M>(&unsigned).is_err());
    }
    // Document.
    let document = written(json::max_document_len::<B, M>(), |o| {
        json::write_document(tx, o)
    })?;
    prop_assert_eq!(json::parse_document::<B, M>(&document), Ok(tx.clone()));
    let v: Value = serde_json::from_slice(&document).unwrap();
    prop_assert_eq!(v["operation"].as_str(), Some(op.name()));
    prop_assert!(
        json::parse_unsigned::<B, M>(op, &document).is_err(),
        "unknown member operation"
    );
    let mut expected = keys(&unsigned);
    expected.push("operation".into());
    expected.sort();
    prop_assert_eq!(keys(&document), expected);
    // Legacy v1.
    if legacy::supports(op) {
        let signed = LegacyTx {
            tx: tx.clone(),
            signature: sig,
        };
        let body = written(json::max_legacy_len::<B, M>(), |o| {
            json::write_legacy(&signed, o)
        })?;
        prop_assert_eq!(json::parse_legacy::<B, M>(op, &body), Ok(signed));
        let v: Value = serde_json::from_slice(&body).unwrap();
        let r = format!("0x{}", hex::encode(sig.r));
        prop_assert_eq!(v["signature"]["r"].as_str(), Some(r.as_str()));
        prop_assert_eq!(v["signature"]["v"].as_u64(), Some(u64::from(sig.v)));
        prop_assert!(
            json::parse_unsigned::<B, M>(op, &body).is_err(),
            "unknown member signature"
        );
        prop_assert_eq!(
            json::parse_native::<B, M>(op, &body),
            Err(Error::LegacySignatureInNativeBody)
        );
    } else {
        prop_assert_eq!(
            json::parse_legacy::<B, M>(op, &unsigned),
            Err(Error::NotInScheme)
        );
    }
    // Native v2: the transaction as v2 signs it.
    let signed = NativeTx {
        tx: native::normalize(tx.clone()),
        authorization: auth.clone(),
    };
    let body = written(json::max_native_len::<B, M>(), |o| {
        json::write_native(&signed, o)
    })?;
    prop_assert_eq!(json::parse_native::<B, M>(op, &body), Ok(signed.clone()));
    let v: Value = serde_json::from_slice(&body).unwrap();
    prop_assert!(v["memo"].is_object(), "v2 always carries the memo");
    prop_assert!(v.get("signature").is_none());
    prop_assert_eq!(v["authorization"]["type"].as_str(), Some(auth.type_name()));
    prop_assert!(
        json::parse_unsigned::<B, M>(op, &body).is_err(),
        "unknown member authorization"
    );
    // Writing the un-normalized transaction gives the same body: v2 says
    // what it signs.
    let raw = NativeTx {
        tx: tx.clone(),
        authorization: auth.clone(),
    };
    let mut out = buffer(json::max_native_len::<B, M>());
    let n = json::write_native(&raw, &mut out).unwrap();
    prop_assert_eq!(json::parse_native::<B, M>(op, &out[..n]), Ok(signed));
    Ok(())
}

/// Encodes `value` into a buffer of `max` bytes, checks the length, and
/// that one byte less is refused.
fn encoded(value: &impl Encode, max: usize) -> Result<Vec<u8>, TestCaseError> {
    let bytes = rlp(value);
    prop_assert!(bytes.len() <= max, "{} > {max}", bytes.len());
    let mut short = buffer(bytes.len() - 1);
    prop_assert!(tokensign_core::rlp::encode::to_slice(value, &mut short).is_err());
    Ok(bytes)
}

fn rlp_round_trips<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    auth: &Authorization,
) -> Result<(), TestCaseError> {
    let op = tx.op_type();
    let v2 = native::normalize(tx.clone());
    let max_payload = Transaction::<B, M>::MAX_PAYLOAD_WITH_MEMO_RLP_LEN;
    // P alone.
    encoded(&tx.payload(), Transaction::<B, M>::MAX_PAYLOAD_RLP_LEN)?;
    // Legacy v1.
    if legacy::supports(op) {
        let bytes = encoded(&legacy::signed_value(tx).unwrap(), max_payload)?;
        let mut buf = buffer(max_payload);
        prop_assert_eq!(legacy::encode_signed_value(tx, &mut buf), Ok(bytes.len()));
        prop_assert_eq!(
            legacy::encode_signed_value(tx, &mut buf[..bytes.len() - 1]),
            Err(Error::BufferTooSmall)
        );
        let back = legacy::decode_signed_value::<B, M>(op, &bytes);
        prop_assert_eq!(&back, &Ok(tx.clone()));
        prop_assert_eq!(&rlp(&legacy::signed_value(&back.unwrap()).unwrap()), &bytes);
    } else {
        prop_assert_eq!(legacy::signed_value(tx).err(), Some(Error::NotInScheme));
        let mut buf = buffer(max_payload);
        prop_assert_eq!(
            legacy::encode_signed_value(tx, &mut buf),
            Err(Error::NotInScheme)
        );
    }
    // v2 payload_rlp: always eight issue fields and a memo.
    let payload = encoded(
        &native::payload_rlp(tx),
        native::max_payload_rlp_len::<B, M>(),
    )?;
    prop_assert_eq!(&rlp(&native::payload_rlp(&v2)), &payload);
    let back = native::decode_payload_rlp::<B, M>(op, &payload);
    prop_assert_eq!(&back, &Ok(v2.clone()));
    prop_assert_eq!(&rlp(&native::payload_rlp(&back.unwrap())), &payload);
    // Unsigned and signed envelopes.
    let descriptor = auth.descriptor();
    let unsigned = encoded(
        &native::unsigned(tx, descriptor),
        native::max_signed_rlp_len::<B, M>(),
    )?;
    prop_assert_eq!(
        native::decode_unsigned::<B, M>(&unsigned),
        Ok((v2.clone(), descriptor))
    );
    prop_assert_eq!(
        tokensign_core::keccak256(&unsigned),
        native::signing_hash(tx, descriptor)
    );
    let signed = encoded(
        &native::signed(tx, auth),
        native::max_signed_rlp_len::<B, M>(),
    )?;
    let back = native::decode_signed::<B, M>(&signed);
    let expected = NativeTx {
        tx: v2.clone(),
        authorization: auth.clone(),
    };
    prop_assert_eq!(&back, &Ok(expected.clone()));
    prop_assert_eq!(
        &rlp(&native::signed(&expected.tx, &expected.authorization)),
        &signed
    );
    prop_assert_eq!(tokensign_core::keccak256(&signed), expected.tx_hash());
    Ok(())
}

macro_rules! per_op {
    ($($m:ident => $op:ident,)+) => {$(
        mod $m {
            use super::*;

            proptest! {
                #![proptest_config(config("prop_roundtrip", 256))]

                #[test]
                fn json(
                    tx in transaction_for::<256, 32>(OpType::$op),
                    sig in signature(),
                    auth in authorization(),
                ) {
                    json_round_trips(&tx, sig, &auth)?;
                }

                #[test]
                fn rlp(tx in transaction_for::<256, 32>(OpType::$op), auth in authorization()) {
                    rlp_round_trips(&tx, &auth)?;
                }

                /// Capacities of 2 batch entries and 3 metadata entries:
                /// full lists, and the constants of small capacities.
                #[test]
                fn small_capacity(
                    tx in transaction_for::<2, 3>(OpType::$op),
                    sig in signature(),
                    auth in authorization(),
                ) {
                    json_round_trips(&tx, sig, &auth)?;
                    rlp_round_trips(&tx, &auth)?;
                }
            }
        }
    )+};
}

per_op! {
    payment => Payment,
    token_issue => TokenIssue,
    token_mint => TokenMint,
    token_authority => TokenAuthority,
    token_blacklist => TokenBlacklist,
    token_whitelist => TokenWhitelist,
    token_pause => TokenPause,
    token_burn => TokenBurn,
    token_clawback => TokenClawback,
    token_metadata => TokenMetadata,
    token_bridge_and_mint => TokenBridgeAndMint,
    token_burn_and_bridge => TokenBurnAndBridge,
    create_multisig => CreateMultiSig,
    batch_payment => BatchPayment,
}
