//! Every parser gives `Ok` or `Err` and never panics: the JSON parsers of
//! every operation and shape (unsigned, document, v1 body, v2 body), the
//! strict RLP decoders (legacy signed bytes and v2 `payload_rlp` of every
//! operation, the v2 unsigned and signed envelopes), addresses and amounts;
//! on arbitrary bytes, on JSON- and RLP-shaped bytes, and on valid
//! encodings of every operation with bytes flipped, inserted and deleted.
//!
//! What a parser accepts is sound: a JSON parser's result passes every rule
//! and writes and reads back to itself; a strict RLP decoder accepts only
//! the canonical encoding (re-encoding gives the input bytes back).

use proptest::prelude::*;
use proptest::sample::select;
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, NativeTx, DOMAIN};
use tokensign_core::{json, Address, Amount, OpType, Transaction};
use tokensign_tests::strategies::{
    self, authorization, mutate, mutations, signature, transaction_for,
};
use tokensign_tests::{config, rlp};

fn parsed_json_is_sound<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(tx.check(), Ok(()));
    let mut out = vec![0u8; json::max_document_len::<B, M>()];
    let n = json::write_document(tx, &mut out).unwrap();
    prop_assert_eq!(json::parse_document::<B, M>(&out[..n]), Ok(tx.clone()));
    Ok(())
}

/// A transaction slot that already holds something: a memo and a
/// TokenPause on another chain and nonce.
fn dirty_slot<const B: usize, const M: usize>() -> Transaction<B, M> {
    let pause = tokensign_core::tx::TokenPause {
        action: tokensign_core::tx::PauseAction::Pause,
        token: Address([7; 20]),
    };
    Transaction::new(99, 98, pause).with_memo(tokensign_core::tx::Memo::new("t", "f", "d").unwrap())
}

/// The parsers of operation `op` at capacities `B`, `M`.
fn op_parsers<const B: usize, const M: usize>(
    op: OpType,
    bytes: &[u8],
) -> Result<(), TestCaseError> {
    // In place, into a slot holding another transaction (with a memo):
    // the same result, and nothing of the slot's old value survives.
    let by_value = json::parse_unsigned::<B, M>(op, bytes);
    let mut slot = dirty_slot::<B, M>();
    let in_place = json::parse_unsigned_into(op, bytes, &mut slot).map(|()| slot.clone());
    prop_assert_eq!(&in_place, &by_value);
    let mut slot = dirty_slot::<B, M>();
    prop_assert_eq!(
        json::parse_document_into(bytes, &mut slot).map(|()| slot.clone()),
        json::parse_document::<B, M>(bytes)
    );
    if let Ok(tx) = by_value {
        prop_assert_eq!(tx.op_type(), op);
        parsed_json_is_sound(&tx)?;
    }
    if let Ok(signed) = json::parse_legacy::<B, M>(op, bytes) {
        prop_assert!(legacy::supports(op));
        parsed_json_is_sound(&signed.tx)?;
        prop_assert!(signed.signature.v <= 1);
        let mut out = vec![0u8; json::max_legacy_len::<B, M>()];
        let n = json::write_legacy(&signed, &mut out).unwrap();
        prop_assert_eq!(
            json::parse_legacy::<B, M>(op, &out[..n]),
            Ok(signed.clone())
        );
        // Checking the signature is total too.
        let _ = signed.signer();
        prop_assert!(signed.tx_hash().is_ok());
    }
    if let Ok(signed) = json::parse_native::<B, M>(op, bytes) {
        parsed_json_is_sound(&signed.tx)?;
        prop_assert_eq!(&native::normalize(signed.tx.clone()), &signed.tx);
        let mut out = vec![0u8; json::max_native_len::<B, M>()];
        let n = json::write_native(&signed, &mut out).unwrap();
        prop_assert_eq!(
            json::parse_native::<B, M>(op, &out[..n]),
            Ok(signed.clone())
        );
        let _ = signed.sender();
        let _ = signed.authorization.check_form();
    }
    if let Ok(tx) = legacy::decode_signed_value::<B, M>(op, bytes) {
        prop_assert_eq!(
            rlp(&legacy::signed_value(&tx).unwrap()),
            bytes.to_vec(),
            "canonical only"
        );
        let _ = tx.check();
    }
    if let Ok(tx) = native::decode_payload_rlp::<B, M>(op, bytes) {
        prop_assert_eq!(
            rlp(&native::payload_rlp(&tx)),
            bytes.to_vec(),
            "canonical only"
        );
        let _ = tx.check();
    }
    Ok(())
}

/// The parsers that read the operation from the input.
fn any_op_parsers<const B: usize, const M: usize>(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(tx) = json::parse_document::<B, M>(bytes) {
        parsed_json_is_sound(&tx)?;
    }
    if let Ok((tx, descriptor)) = native::decode_unsigned::<B, M>(bytes) {
        prop_assert_eq!(
            rlp(&native::unsigned(&tx, descriptor)),
            bytes.to_vec(),
            "canonical only"
        );
    }
    if let Ok(signed) = native::decode_signed::<B, M>(bytes) {
        prop_assert_eq!(
            rlp(&native::signed(&signed.tx, &signed.authorization)),
            bytes.to_vec()
        );
        let _ = signed.sender();
    }
    Ok(())
}

fn small_parsers(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Ok(a) = Address::parse(text) {
            prop_assert_eq!(Address::parse_bytes(&a.to_checksum()), Ok(a));
            prop_assert_eq!(Address::parse_bytes(&a.to_lower_hex()), Ok(a));
        }
        if let Ok(v) = Amount::parse(text) {
            let written = v.to_decimal();
            prop_assert_eq!(written.as_str(), text, "canonical decimal only");
        }
    }
    let _ = Address::parse_bytes(bytes);
    Ok(())
}

/// Every parser of every operation, at the host's capacities and at small
/// ones (whose lists overflow sooner).
fn all_parsers(bytes: &[u8]) -> Result<(), TestCaseError> {
    for &op in OpType::ALL {
        op_parsers::<256, 32>(op, bytes)?;
    }
    for &op in [OpType::TokenMetadata, OpType::BatchPayment].iter() {
        op_parsers::<1, 1>(op, bytes)?;
    }
    any_op_parsers::<256, 32>(bytes)?;
    any_op_parsers::<1, 1>(bytes)?;
    small_parsers(bytes)
}

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"\"",
    b":",
    b",",
    b"[",
    b"]",
    b"\\u",
    b"\\ud83d",
    b"\\\"",
    b"0x",
    b" ",
    b"null",
    b"true",
    b"false",
    b"-1",
    b"1e3",
    b"0",
    b"255",
    b"256",
    b"65536",
    b"9223372036854775808",
    b"18446744073709551616",
    b"115792089237316195423570985008687907853269984665640564039457584007913129639936",
    b"\"chain_id\":",
    b"\"nonce\":",
    b"\"recipient\":",
    b"\"value\":",
    b"\"token\":",
    b"\"amount\":",
    b"\"symbol\":",
    b"\"name\":",
    b"\"decimals\":",
    b"\"clawback_enabled\":",
    b"\"action\":",
    b"\"Grant\"",
    b"\"Add\"",
    b"\"Pause\"",
    b"\"authority_type\":",
    b"\"uri\":",
    b"\"additional_metadata\":[",
    b"\"key\":",
    b"\"signers\":[",
    b"\"public_key\":[",
    b"\"weight\":",
    b"\"threshold\":",
    b"\"operations\":[",
    b"\"operations_hash\":",
    b"\"batch_id\":",
    b"\"created_at\":",
    b"\"bridge_param\":",
    b"\"memo\":{",
    b"\"type\":",
    b"\"format\":",
    b"\"data\":",
    b"\"signature\":{",
    b"\"r\":",
    b"\"s\":",
    b"\"v\":1",
    b"\"authorization\":{",
    b"\"single_secp256k1\"",
    b"\"multisig_secp256k1\"",
    b"\"account\":",
    b"\"signatures\":[",
    b"\"signer_pubkey\":",
    b"\"operation\":",
    b"\"Payment\"",
    b"\"BatchPayment\"",
    b"\"0x0202020202020202020202020202020202020202\"",
];

/// Bytes biased toward what the JSON parsers look for.
fn json_ish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        4 => select(TOKENS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    proptest::collection::vec(token, 0..80).prop_map(|ts| ts.concat())
}

/// A random RLP tree (canonical or not: leaves may be written in a
/// non-minimal form), encoded.
fn rlp_tree() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        3 => proptest::collection::vec(any::<u8>(), 0..40).prop_map(|b| rlp_string(&b)),
        1 => select(vec![vec![0x80u8], vec![0x00], vec![0x81, 0x05], vec![0xb8, 0x01, 0x41], vec![0x01]]),
        1 => Just(rlp_string(DOMAIN)),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        proptest::collection::vec(inner, 0..8).prop_map(|items| rlp_list(&items.concat()))
    })
}

fn header(list: bool, len: usize, out: &mut Vec<u8>) {
    alloy_rlp::Header {
        list,
        payload_length: len,
    }
    .encode(out);
}

fn rlp_string(b: &[u8]) -> Vec<u8> {
    if b.len() == 1 && b[0] < 0x80 {
        return b.to_vec();
    }
    let mut out = Vec::new();
    header(false, b.len(), &mut out);
    out.extend_from_slice(b);
    out
}

fn rlp_list(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    header(true, payload.len(), &mut out);
    out.extend_from_slice(payload);
    out
}

/// A v2 envelope with random contents: the domain, an operation number, a
/// descriptor-like list, a random payload string, maybe a proof.
fn envelope_ish() -> impl Strategy<Value = Vec<u8>> {
    (
        0u8..=16,
        any::<bool>(),
        rlp_tree(),
        proptest::option::of(rlp_tree()),
        any::<[u8; 20]>(),
    )
        .prop_map(|(op, multi, payload, proof, account)| {
            let descriptor = if multi {
                rlp_list(&[vec![0x01], rlp_string(&account)].concat())
            } else {
                rlp_list(&[0x80])
            };
            let mut items = vec![
                rlp_string(DOMAIN),
                rlp_string(&[op][..usize::from(op != 0)]),
                descriptor,
                rlp_string(&payload),
            ];
            items.extend(proof);
            rlp_list(&items.concat())
        })
}

/// Every encoding of a valid transaction: its JSON bodies and RLP forms.
fn encodings(
    tx: &Transaction,
    sig: tokensign_core::Signature,
    auth: &native::Authorization,
) -> Vec<Vec<u8>> {
    let op = tx.op_type();
    let mut out = Vec::new();
    let mut buf = vec![0u8; json::MAX_NATIVE_JSON_LEN];
    let n = json::write_unsigned(tx, &mut buf).unwrap();
    out.push(buf[..n].to_vec());
    let n = json::write_document(tx, &mut buf).unwrap();
    out.push(buf[..n].to_vec());
    let native_tx = NativeTx {
        tx: tx.clone(),
        authorization: auth.clone(),
    };
    let n = json::write_native(&native_tx, &mut buf).unwrap();
    out.push(buf[..n].to_vec());
    if legacy::supports(op) {
        let n = json::write_legacy(
            &LegacyTx {
                tx: tx.clone(),
                signature: sig,
            },
            &mut buf,
        )
        .unwrap();
        out.push(buf[..n].to_vec());
        out.push(rlp(&legacy::signed_value(tx).unwrap()));
    }
    out.push(rlp(&native::payload_rlp(tx)));
    out.push(rlp(&native::unsigned(tx, auth.descriptor())));
    out.push(rlp(&native::signed(tx, auth)));
    out
}

proptest! {
    #![proptest_config(config("prop_parsers", 1_000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        all_parsers(&bytes)?;
    }

    #[test]
    fn json_like_bytes_never_panic(bytes in json_ish_bytes()) {
        all_parsers(&bytes)?;
    }

    #[test]
    fn rlp_like_bytes_never_panic(
        head in prop_oneof![0xc0u8..=0xff, 0x80u8..=0xbf, any::<u8>()],
        len in proptest::collection::vec(any::<u8>(), 0..9),
        body in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut bytes = vec![head];
        bytes.extend_from_slice(&len);
        bytes.extend_from_slice(&body);
        all_parsers(&bytes)?;
    }

    #[test]
    fn rlp_trees_never_panic(bytes in rlp_tree()) {
        all_parsers(&bytes)?;
    }

    #[test]
    fn envelope_like_bytes_never_panic(bytes in envelope_ish()) {
        any_op_parsers::<256, 32>(&bytes)?;
        any_op_parsers::<1, 1>(&bytes)?;
    }

    #[test]
    fn mutated_addresses_and_amounts_never_panic(
        a in strategies::address(),
        v in strategies::amount(),
        lower in any::<bool>(),
        edits in mutations(),
    ) {
        let text = if lower { a.to_lower_hex() } else { a.to_checksum() };
        small_parsers(&mutate(&text, &edits))?;
        small_parsers(&mutate(v.to_decimal().as_str().as_bytes(), &edits))?;
    }
}

macro_rules! per_op {
    ($($m:ident => $op:ident,)+) => {$(
        mod $m {
            use super::*;

            proptest! {
                #![proptest_config(config("prop_parsers", 256))]

                /// Each encoding of a valid transaction, mutated, through
                /// the operation's parsers and the ones that read the type.
                #[test]
                fn mutated_encodings_never_panic(
                    tx in transaction_for::<256, 32>(OpType::$op),
                    sig in signature(),
                    auth in authorization(),
                    which in any::<prop::sample::Index>(),
                    edits in mutations(),
                ) {
                    let all = encodings(&tx, sig, &auth);
                    let chosen: &Vec<u8> = which.get(&all);
                    let bytes = mutate(chosen, &edits);
                    op_parsers::<256, 32>(OpType::$op, &bytes)?;
                    op_parsers::<1, 1>(OpType::$op, &bytes)?;
                    any_op_parsers::<256, 32>(&bytes)?;
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
