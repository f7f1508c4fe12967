//! Every vector of the spec (`../shared/spec/vectors/`, copied unchanged
//! into `tests/vectors/spec/`) through the core's public API.
//!
//! - `native-v2-signing-vectors.json`: each `payload_rlp` is decoded by the
//!   strict decoder and re-encoded; the unsigned and signed envelopes and
//!   both hashes are rebuilt from the typed values and decoded back.
//! - `legacy-vectors.json`: typed fields in (through the JSON parser),
//!   signing hash and the real signature (r, s, v) out, exactly.
//! - `batch-payment-vectors.json`: typed fields in, hashes and signature
//!   out; the payloads the network refuses are refused by the signing path
//!   and still encoded by the encoders.
//! - `multisig-address-vectors.json`: the account addresses.

use serde_json::Value;
use tokensign_core::field::{KeyAsIntegers, B256};
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, Authorization, Descriptor, MemberSignature, NativeTx};
use tokensign_core::rlp::encode::{to_slice, Encode};
use tokensign_core::text::Text;
use tokensign_core::tx::{BatchEntry, BatchPayment, Memo, MultisigSigner};
use tokensign_core::{json, sign_hash, Address, Amount, OpType, Signature, Transaction};
use tokensign_tests::{hex0x, key_address, key_from_hex, unhex, unhex_n, SPEC_KEY};

fn load(name: &str) -> Value {
    let path = format!("{}/vectors/spec/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("vector JSON")
}

fn vectors() -> Value {
    load("native-v2-signing-vectors.json")
}

fn encode(value: &impl Encode) -> Vec<u8> {
    let mut buf = vec![0u8; value.encoded_len()];
    let n = to_slice(value, &mut buf).expect("fits");
    assert_eq!(n, buf.len());
    buf
}

fn signature(v: &Value) -> Signature {
    Signature {
        r: unhex_n(v["r"].as_str().unwrap()),
        s: unhex_n(v["s"].as_str().unwrap()),
        v: u8::try_from(v["v"].as_u64().unwrap()).unwrap(),
    }
}

fn authorization(v: &Value) -> Authorization {
    let proof = &v["authorization_proof"];
    match v["authorization_kind"].as_u64().unwrap() {
        0 => Authorization::Single(signature(&proof["signature"])),
        1 => {
            let account = Address::parse(v["multisig_account"].as_str().unwrap()).unwrap();
            let signatures = proof["signatures"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| MemberSignature {
                    signer_pubkey: unhex_n(s["signer_pubkey"].as_str().unwrap()),
                    signature: signature(&s["signature"]),
                })
                .collect::<Vec<_>>();
            Authorization::Multisig {
                account,
                signatures: heapless::Vec::from_slice(&signatures).unwrap(),
            }
        }
        k => panic!("unknown authorization kind {k}"),
    }
}

#[test]
fn every_native_v2_vector_rebuilds_from_its_payload() {
    let file = vectors();
    let mut count = 0;
    for group in ["base_vectors", "supplemental_vectors"] {
        for v in file[group].as_array().unwrap() {
            let name = v["name"].as_str().unwrap();
            let op = OpType::from_number(v["operation_type"].as_u64().unwrap()).unwrap();
            let payload = unhex(v["payload_rlp"].as_str().unwrap());
            let tx: Transaction =
                native::decode_payload_rlp(op, &payload).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                encode(&native::payload_rlp(&tx)),
                payload,
                "{name}: payload_rlp"
            );
            let auth = authorization(v);
            let descriptor = auth.descriptor();
            assert_eq!(
                hex0x(&encode(&native::unsigned(&tx, descriptor))),
                v["unsigned_transaction_rlp"].as_str().unwrap(),
                "{name}: unsigned"
            );
            assert_eq!(
                hex0x(&native::signing_hash(&tx, descriptor)),
                v["signing_hash"].as_str().unwrap(),
                "{name}: signing hash"
            );
            let signed = encode(&native::signed(&tx, &auth));
            assert_eq!(
                hex0x(&signed),
                v["signed_transaction_rlp"].as_str().unwrap(),
                "{name}: signed"
            );
            assert_eq!(
                hex0x(&native::tx_hash(&tx, &auth)),
                v["transaction_hash"].as_str().unwrap(),
                "{name}: tx hash"
            );
            // The envelope decoders give the same values back.
            let unsigned = unhex(v["unsigned_transaction_rlp"].as_str().unwrap());
            let (tx2, d2) = native::decode_unsigned::<256, 32>(&unsigned).unwrap();
            assert_eq!(
                (tx2, d2),
                (tx.clone(), descriptor),
                "{name}: decode unsigned"
            );
            let back = native::decode_signed::<256, 32>(&signed).unwrap();
            assert_eq!(back.tx, tx, "{name}");
            assert_eq!(back.authorization, auth, "{name}");
            if let Descriptor::Multisig(account) = descriptor {
                assert_eq!(
                    Some(account),
                    Address::parse(v["multisig_account"].as_str().unwrap()).ok()
                );
            }
            count += 1;
        }
    }
    assert_eq!(count, 36);
}

fn memo_of(v: &Value) -> Option<Memo> {
    (!v.is_null()).then(|| {
        Memo::new(
            v["type"].as_str().unwrap(),
            v["format"].as_str().unwrap(),
            v["data"].as_str().unwrap(),
        )
        .unwrap()
    })
}

#[test]
fn every_legacy_vector_signs_exactly() {
    let file = load("legacy-vectors.json");
    let key = key_from_hex(file["private_key"].as_str().unwrap());
    assert_eq!(
        key_address(&key).to_string(),
        file["address"].as_str().unwrap()
    );
    let mut signed = 0;
    for v in file["vectors"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let op = OpType::from_name(v["operation"].as_str().unwrap()).unwrap();
        // Typed fields in: the vector's payload object, plus its memo.
        let mut body = v["payload"].clone();
        if !v["memo"].is_null() {
            body["memo"] = v["memo"].clone();
        }
        let text = serde_json::to_vec(&body).unwrap();
        let tx: Transaction =
            json::parse_unsigned(op, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(tx.memo, memo_of(&v["memo"]), "{name}");
        assert_eq!(
            hex0x(&legacy::signing_hash(&tx).unwrap()),
            v["signing_hash"].as_str().unwrap(),
            "{name}: signing hash"
        );
        if let Some(sig) = v.get("signature") {
            let request = LegacyTx::sign(tx, &key).unwrap();
            assert_eq!(request.signature, signature(sig), "{name}: signature");
            assert_eq!(request.signer(), Ok(key_address(&key)), "{name}");
            signed += 1;
        }
    }
    assert_eq!(signed, 13);
}

fn batch_of(p: &Value) -> BatchPayment {
    let operations = p["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| BatchEntry {
            recipient: Address::parse(o["recipient"].as_str().unwrap()).unwrap(),
            amount: Amount::parse(o["amount"].as_str().unwrap()).unwrap(),
        })
        .collect::<Vec<_>>();
    BatchPayment {
        token: Address::parse(p["token"].as_str().unwrap()).unwrap(),
        operations: heapless::Vec::from_slice(&operations).unwrap(),
        created_at: p["created_at"].as_u64().unwrap(),
        operations_hash: p["operations_hash"].as_str().map(|h| B256(unhex_n(h))),
        batch_id: p["batch_id"].as_str().map(|t| Text::new(t).unwrap()),
    }
}

#[test]
fn every_batch_vector_encodes_and_the_refused_ones_are_refused() {
    let file = load("batch-payment-vectors.json");
    let key = key_from_hex(&SPEC_KEY);
    let (mut accepted, mut refused) = (0, 0);
    for v in file["vectors"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let p = &v["payload"];
        let batch = batch_of(p);
        let mut tx = Transaction::new(
            p["chain_id"].as_u64().unwrap(),
            p["nonce"].as_u64().unwrap(),
            batch.clone(),
        );
        tx.memo = memo_of(&v["options"]["memo"]);
        let expected = &v["expected"];
        assert_eq!(
            hex0x(&batch.compute_operations_hash().0),
            expected["operations_hash"].as_str().unwrap(),
            "{name}: operations hash"
        );
        let hash = native::signing_hash(&tx, Descriptor::Single);
        assert_eq!(
            hex0x(&hash),
            expected["signing_hash"].as_str().unwrap(),
            "{name}: signing hash"
        );
        // The vector's real signature is RFC 6979 by the spec key.
        let sig = signature(&v["authorization"]);
        assert_eq!(sign_hash(&hash, &key), Ok(sig), "{name}: signature");
        let auth = Authorization::Single(sig);
        assert_eq!(
            hex0x(&native::tx_hash(&tx, &auth)),
            expected["transaction_hash"].as_str().unwrap(),
            "{name}: tx hash"
        );
        match NativeTx::sign(tx.clone(), &key) {
            Ok(signed) => {
                assert_eq!(signed.authorization, auth, "{name}");
                assert_eq!(
                    hex0x(&signed.tx_hash()),
                    expected["transaction_hash"].as_str().unwrap()
                );
                // And through JSON: the request body reads back.
                let mut buf = vec![0u8; json::MAX_NATIVE_JSON_LEN];
                let n = json::write_native(&signed, &mut buf).unwrap();
                let back: NativeTx = json::parse_native(OpType::BatchPayment, &buf[..n]).unwrap();
                assert_eq!(back, signed, "{name}: JSON round trip");
                accepted += 1;
            }
            Err(e) => {
                assert!(
                    batch.operations.is_empty()
                        || batch
                            .operations
                            .iter()
                            .any(|o| o.amount.is_zero() || o.recipient.is_zero())
                        || batch.total().is_none()
                        || batch
                            .operations_hash
                            .is_some_and(|h| h != batch.compute_operations_hash()),
                    "{name}: refused for another reason: {e}"
                );
                refused += 1;
            }
        }
    }
    assert_eq!((accepted, refused), (21, 22));
}

#[test]
fn every_multisig_address_vector() {
    let file = load("multisig-address-vectors.json");
    for v in file["vectors"].as_array().unwrap() {
        let signers: Vec<MultisigSigner> = v["signers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| MultisigSigner {
                public_key: KeyAsIntegers(unhex_n(s["public_key"].as_str().unwrap())),
                weight: u8::try_from(s["weight"].as_u64().unwrap()).unwrap(),
            })
            .collect();
        let threshold = u16::try_from(v["threshold"].as_u64().unwrap()).unwrap();
        assert_eq!(
            tokensign_core::tx::multisig_address(&signers, threshold).to_string(),
            v["address"].as_str().unwrap(),
            "{}",
            v["name"]
        );
    }
}
