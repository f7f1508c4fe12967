//! `vectors/native-v2-signing-vectors.json` (copied unchanged from the spec
//! into `tests/vectors/spec/`) through the core's public API: each
//! vector's `payload_rlp` is decoded by the strict decoder and re-encoded,
//! and the unsigned and signed envelopes and both hashes are rebuilt from
//! the typed values.

use serde_json::Value;
use tokensign_core::native::{self, Authorization, Descriptor, MemberSignature};
use tokensign_core::rlp::encode::{to_slice, Encode};
use tokensign_core::{Address, OpType, Signature, Transaction};
use tokensign_tests::{hex0x, unhex, unhex_n};

fn vectors() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/vectors/spec/native-v2-signing-vectors.json"
    ))
    .expect("vector file");
    serde_json::from_str(&text).expect("vector JSON")
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
            let tx: Transaction = native::decode_payload_rlp(op, &payload)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(encode(&native::payload_rlp(&tx)), payload, "{name}: payload_rlp");
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
            assert_eq!((tx2, d2), (tx.clone(), descriptor), "{name}: decode unsigned");
            let back = native::decode_signed::<256, 32>(&signed).unwrap();
            assert_eq!(back.tx, tx, "{name}");
            assert_eq!(back.authorization, auth, "{name}");
            if let Descriptor::Multisig(account) = descriptor {
                assert_eq!(Some(account), Address::parse(v["multisig_account"].as_str().unwrap()).ok());
            }
            count += 1;
        }
    }
    assert_eq!(count, 36);
}
