//! The size constants are tight: each operation's widest value (every field
//! at the widest value of its kind, lists at full capacity) hits the
//! record's RLP bound exactly and its JSON bound exactly, except where a
//! character rule makes the JSON bound unreachable (named below); whole
//! bodies of the widest values fit the public body constants, and a buffer
//! one byte short is refused.
//!
//! The widest values need not pass the operation's rules (`decimals` 255,
//! off-curve keys): the encoders and writers do not check rules, and the
//! bounds are per kind.

use heapless::Vec as HVec;
use tokensign_core::field::{Bytes, JsonWriter, KeyAsIntegers, Record, B256};
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, Authorization, MemberSignature, NativeTx};
use tokensign_core::rlp::header::list_len;
use tokensign_core::text::{Text, TextRule};
use tokensign_core::tx::*;
use tokensign_core::{json, Address, Amount, Error, OpType, Operation, Signature, Transaction};
use tokensign_tests::rlp;

/// A text of `n` copies of `c`.
fn text<const N: usize, R: TextRule>(c: char, n: usize) -> Text<N, R> {
    Text::new(&c.to_string().repeat(n)).expect("a valid text")
}

/// Widest in JSON: every byte escaped.
fn quotes<const N: usize, R: TextRule>() -> Text<N, R> {
    text('"', N)
}

const ADDR: Address = Address([0xff; 20]);

fn widest<const B: usize, const M: usize>(op: OpType) -> Operation<B, M> {
    let amount = Amount::MAX;
    match op {
        OpType::Payment => Payment {
            recipient: ADDR,
            value: amount,
            token: ADDR,
        }
        .into(),
        OpType::TokenIssue => TokenIssue {
            symbol: text('S', MAX_SYMBOL_LEN),
            name: quotes(),
            decimals: u8::MAX,
            master_authority: ADDR,
            is_private: false,
            clawback_enabled: Some(false),
        }
        .into(),
        OpType::TokenMint => TokenMint {
            recipient: ADDR,
            value: amount,
            token: ADDR,
        }
        .into(),
        OpType::TokenAuthority => TokenAuthority {
            action: AuthorityAction::Revoke,
            authority_type: AuthorityType::MasterMintBurn,
            authority_address: ADDR,
            token: ADDR,
            value: amount,
        }
        .into(),
        OpType::TokenBlacklist => TokenBlacklist {
            action: ListAction::Remove,
            address: ADDR,
            token: ADDR,
        }
        .into(),
        OpType::TokenWhitelist => TokenWhitelist {
            action: ListAction::Remove,
            address: ADDR,
            token: ADDR,
        }
        .into(),
        OpType::TokenPause => TokenPause {
            action: PauseAction::Unpause,
            token: ADDR,
        }
        .into(),
        OpType::TokenBurn => TokenBurn {
            value: amount,
            token: ADDR,
        }
        .into(),
        OpType::TokenClawback => TokenClawback {
            token: ADDR,
            from: ADDR,
            recipient: ADDR,
            value: amount,
        }
        .into(),
        OpType::TokenMetadata => {
            let entry = MetadataEntry {
                key: quotes(),
                value: quotes(),
            };
            let mut entries = HVec::new();
            while entries.push(entry.clone()).is_ok() {}
            TokenMetadata::<M> {
                name: quotes(),
                uri: Text::new(&format!("a:{}", "\"".repeat(MAX_URI_LEN - 2))).expect("a URI"),
                token: ADDR,
                additional_metadata: entries,
            }
            .into()
        }
        OpType::TokenBridgeAndMint => TokenBridgeAndMint {
            recipient: ADDR,
            value: amount,
            token: ADDR,
            source_chain_id: u64::MAX,
            source_tx_hash: quotes(),
            bridge_metadata: quotes(),
        }
        .into(),
        OpType::TokenBurnAndBridge => TokenBurnAndBridge {
            sender: ADDR,
            value: amount,
            token: ADDR,
            destination_chain_id: u64::MAX,
            destination_address: quotes(),
            escrow_fee: amount,
            bridge_metadata: quotes(),
            bridge_param: Bytes::new(&[0xff; MAX_BRIDGE_PARAM_LEN]).expect("fits"),
        }
        .into(),
        OpType::CreateMultiSig => {
            let signer = MultisigSigner {
                public_key: KeyAsIntegers([0xff; 33]),
                weight: u8::MAX,
            };
            let mut signers = HVec::new();
            while signers.push(signer.clone()).is_ok() {}
            CreateMultiSig {
                signers,
                threshold: u16::MAX,
            }
            .into()
        }
        OpType::BatchPayment => {
            let entry = BatchEntry {
                recipient: ADDR,
                amount,
            };
            let mut operations = HVec::new();
            while operations.push(entry.clone()).is_ok() {}
            BatchPayment::<B> {
                token: ADDR,
                operations,
                created_at: u64::MAX,
                operations_hash: Some(B256([0xff; 32])),
                batch_id: Some(quotes()),
            }
            .into()
        }
    }
}

/// JSON bytes the character rules keep out of reach, per operation: a
/// symbol is alphanumeric (20 bytes, no escapes), a URI starts with an
/// unescaped `scheme:` (two bytes at least).
fn json_gap(op: OpType) -> usize {
    match op {
        OpType::TokenIssue => MAX_SYMBOL_LEN,
        OpType::TokenMetadata => 2,
        _ => 0,
    }
}

fn max_fields_rlp<const B: usize, const M: usize>(op: OpType) -> usize {
    match op {
        OpType::Payment => Payment::MAX_FIELDS_RLP_LEN,
        OpType::TokenIssue => TokenIssue::MAX_FIELDS_RLP_LEN,
        OpType::TokenMint => TokenMint::MAX_FIELDS_RLP_LEN,
        OpType::TokenAuthority => TokenAuthority::MAX_FIELDS_RLP_LEN,
        OpType::TokenBlacklist => TokenBlacklist::MAX_FIELDS_RLP_LEN,
        OpType::TokenWhitelist => TokenWhitelist::MAX_FIELDS_RLP_LEN,
        OpType::TokenPause => TokenPause::MAX_FIELDS_RLP_LEN,
        OpType::TokenBurn => TokenBurn::MAX_FIELDS_RLP_LEN,
        OpType::TokenClawback => TokenClawback::MAX_FIELDS_RLP_LEN,
        OpType::TokenMetadata => TokenMetadata::<M>::MAX_FIELDS_RLP_LEN,
        OpType::TokenBridgeAndMint => TokenBridgeAndMint::MAX_FIELDS_RLP_LEN,
        OpType::TokenBurnAndBridge => TokenBurnAndBridge::MAX_FIELDS_RLP_LEN,
        OpType::CreateMultiSig => CreateMultiSig::MAX_FIELDS_RLP_LEN,
        OpType::BatchPayment => BatchPayment::<B>::MAX_FIELDS_RLP_LEN,
    }
}

fn max_fields_json<const B: usize, const M: usize>(op: OpType) -> usize {
    match op {
        OpType::Payment => Payment::MAX_FIELDS_JSON_LEN,
        OpType::TokenIssue => TokenIssue::MAX_FIELDS_JSON_LEN,
        OpType::TokenMint => TokenMint::MAX_FIELDS_JSON_LEN,
        OpType::TokenAuthority => TokenAuthority::MAX_FIELDS_JSON_LEN,
        OpType::TokenBlacklist => TokenBlacklist::MAX_FIELDS_JSON_LEN,
        OpType::TokenWhitelist => TokenWhitelist::MAX_FIELDS_JSON_LEN,
        OpType::TokenPause => TokenPause::MAX_FIELDS_JSON_LEN,
        OpType::TokenBurn => TokenBurn::MAX_FIELDS_JSON_LEN,
        OpType::TokenClawback => TokenClawback::MAX_FIELDS_JSON_LEN,
        OpType::TokenMetadata => TokenMetadata::<M>::MAX_FIELDS_JSON_LEN,
        OpType::TokenBridgeAndMint => TokenBridgeAndMint::MAX_FIELDS_JSON_LEN,
        OpType::TokenBurnAndBridge => TokenBurnAndBridge::MAX_FIELDS_JSON_LEN,
        OpType::CreateMultiSig => CreateMultiSig::MAX_FIELDS_JSON_LEN,
        OpType::BatchPayment => BatchPayment::<B>::MAX_FIELDS_JSON_LEN,
    }
}

/// The widest memo: `type` and `format` cannot be escaped (their character
/// set has neither `"` nor `\`), `data` can.
fn widest_memo() -> Memo {
    Memo {
        kind: text('a', MAX_MEMO_TYPE_LEN),
        format: text('a', MAX_MEMO_FORMAT_LEN),
        data: quotes(),
    }
}

fn widest_tx<const B: usize, const M: usize>(op: OpType) -> Transaction<B, M> {
    Transaction {
        chain_id: u64::MAX,
        nonce: u64::MAX,
        operation: widest(op),
        memo: Some(widest_memo()),
    }
}

fn check_op<const B: usize, const M: usize>(op: OpType) {
    let tx = widest_tx::<B, M>(op);
    // RLP of P: exactly the record's bound plus two 9-byte integers.
    let p = rlp(&tx.payload());
    assert_eq!(
        p.len(),
        list_len(2 * 9 + max_fields_rlp::<B, M>(op)),
        "{op} <{B}, {M}>: RLP of P"
    );
    assert!(p.len() <= Transaction::<B, M>::MAX_PAYLOAD_RLP_LEN, "{op}");
    // JSON of the fields: exactly the record's bound, less what the rules
    // keep out of reach.
    let mut buf = vec![0u8; max_fields_json::<B, M>(op) + 2];
    let mut w = JsonWriter::new(&mut buf);
    w.begin_object().unwrap();
    tx.operation.write_fields(&mut w).unwrap();
    w.end_object().unwrap();
    assert_eq!(
        w.len() - 2,
        max_fields_json::<B, M>(op) - json_gap(op),
        "{op} <{B}, {M}>: JSON fields"
    );
    assert!(max_fields_json::<B, M>(op) <= Operation::<B, M>::MAX_FIELDS_JSON_LEN);
    // Whole bodies and envelopes fit, and one byte less is refused.
    let fits = |max: usize, write: &dyn Fn(&mut [u8]) -> Result<usize, Error>, what: &str| {
        let mut out = vec![0u8; max];
        let n = write(&mut out).unwrap_or_else(|e| panic!("{op}: {what}: {e}"));
        assert!(n <= max);
        assert_eq!(
            write(&mut out[..n - 1]),
            Err(Error::BufferTooSmall),
            "{op}: {what}"
        );
    };
    fits(
        json::max_document_len::<B, M>(),
        &|o| json::write_document(&tx, o),
        "document",
    );
    let sig = Signature {
        r: [0xff; 32],
        s: [0xff; 32],
        v: 1,
    };
    if legacy::supports(op) {
        let signed = LegacyTx {
            tx: tx.clone(),
            signature: sig,
        };
        fits(
            json::max_legacy_len::<B, M>(),
            &|o| json::write_legacy(&signed, o),
            "legacy body",
        );
        let value = rlp(&legacy::signed_value(&tx).unwrap());
        assert!(
            value.len() <= Transaction::<B, M>::MAX_PAYLOAD_WITH_MEMO_RLP_LEN,
            "{op}"
        );
    }
    let member = MemberSignature {
        signer_pubkey: [0xff; 33],
        signature: sig,
    };
    let mut signatures = HVec::new();
    while signatures.push(member).is_ok() {}
    let authorization = Authorization::Multisig {
        account: ADDR,
        signatures,
    };
    let signed = NativeTx {
        tx: tx.clone(),
        authorization: authorization.clone(),
    };
    fits(
        json::max_native_len::<B, M>(),
        &|o| json::write_native(&signed, o),
        "native body",
    );
    assert!(
        rlp(&native::payload_rlp(&tx)).len() <= native::max_payload_rlp_len::<B, M>(),
        "{op}"
    );
    assert!(
        rlp(&native::signed(&tx, &authorization)).len() <= native::max_signed_rlp_len::<B, M>(),
        "{op}"
    );
}

#[test]
fn widest_values_hit_the_bounds_at_the_default_capacities() {
    for &op in OpType::ALL {
        check_op::<MAX_BATCH_OPERATIONS, MAX_METADATA_ENTRIES>(op);
    }
}

#[test]
fn widest_values_hit_the_bounds_at_small_capacities() {
    for &op in OpType::ALL {
        check_op::<1, 0>(op);
        check_op::<3, 2>(op);
    }
}

/// The host's constants are the default capacities' bounds, and the input
/// limit leaves room for whitespace and escapes.
#[test]
fn public_constants() {
    assert_eq!(json::MAX_NATIVE_JSON_LEN, json::max_native_len::<256, 32>());
    assert_eq!(json::MAX_LEGACY_JSON_LEN, json::max_legacy_len::<256, 32>());
    assert_eq!(
        json::MAX_DOCUMENT_JSON_LEN,
        json::max_document_len::<256, 32>()
    );
    const { assert!(json::MAX_JSON_INPUT_LEN > 2 * json::MAX_NATIVE_JSON_LEN) };
    // The largest bodies are BatchPayment's at 256 operations; the widest
    // written one is within the constant.
    let tx = widest_tx::<256, 32>(OpType::BatchPayment);
    let mut out = vec![0u8; json::MAX_DOCUMENT_JSON_LEN];
    let n = json::write_document(&tx, &mut out).unwrap();
    assert!(n > json::MAX_DOCUMENT_JSON_LEN / 2, "{n}");
    // Input longer than the limit is refused before parsing.
    let long = vec![b' '; json::MAX_JSON_INPUT_LEN + 1];
    let too_long = Error::Json(tokensign_core::JsonError::TooLong);
    assert_eq!(json::parse_document::<256, 32>(&long).err(), Some(too_long));
    assert_eq!(
        json::parse_native::<256, 32>(OpType::Payment, &long).err(),
        Some(too_long)
    );
}
