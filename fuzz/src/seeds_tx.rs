//! Seeds of the transaction family's targets (`tx_json`, `tx_rlp`,
//! `native_envelope`), from the spec's vectors (`tests/vectors/spec/`,
//! read at generation time) and a few hand-made edge cases per operation:
//!
//! - every `payload_rlp`, unsigned and signed envelope of
//!   `native-v2-signing-vectors.json`, and the JSON bodies of each of its
//!   transactions in every shape;
//! - the typed bodies of `legacy-vectors.json` and
//!   `batch-payment-vectors.json` as given (unsigned, and as v1 or v2
//!   requests with their signatures), and their RLP;
//! - per operation: a pretty-printed body, an unknown member, a missing and
//!   a null field, a v2 body without memo and one with a legacy signature,
//!   a truncated, an over-long and a non-canonical payload, the small list
//!   capacities; envelopes with a wrong domain, an unknown operation, an
//!   unknown authorization kind or no proof; real multisig signatures.

use serde_json::{json, Value};
use tokensign_core::field::KeyAsIntegers;
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, MemberSignature, NativeTx};
use tokensign_core::text::Text;
use tokensign_core::tx::{CreateMultiSig, MetadataEntry, MultisigSigner, TokenMetadata};
use tokensign_core::{
    json as core_json, keccak256, signing_key_from_bytes, Address, OpType, Transaction,
};

use crate::invariants::{write_json, DUMMY_SIGNATURE};
use crate::seeds::SPEC_KEY;
use crate::tx_targets::{Selector, Shape};
use crate::vectors::{batch_vectors, legacy_vectors, native_vectors};

pub fn selected(op: OpType, variant: usize, small: bool, body: &[u8]) -> Vec<u8> {
    let mut out = vec![Selector { op, variant, small }.to_byte()];
    out.extend_from_slice(body);
    out
}

fn shape_index(shape: Shape) -> usize {
    match shape {
        Shape::Unsigned => 0,
        Shape::Document => 1,
        Shape::Legacy => 2,
        Shape::Native => 3,
    }
}

fn json_seed(op: OpType, shape: Shape, body: &[u8]) -> Vec<u8> {
    selected(op, shape_index(shape), false, body)
}

fn unsigned_body(tx: &Transaction) -> Vec<u8> {
    write_json(core_json::MAX_DOCUMENT_JSON_LEN, "write_unsigned", |b| {
        core_json::write_unsigned(tx, b)
    })
}

fn native_body(signed: &NativeTx) -> Vec<u8> {
    write_json(core_json::MAX_NATIVE_JSON_LEN, "write_native", |b| {
        core_json::write_native(signed, b)
    })
}

/// Real multisig signatures: a CreateMultiSig of two keys' account, signed
/// by both members (the sender of which is found).
pub fn real_multisig() -> NativeTx {
    let keys: Vec<_> = [SPEC_KEY, keccak256(&SPEC_KEY)]
        .iter()
        .map(|k| signing_key_from_bytes(k).expect("valid key"))
        .collect();
    let signers = keys
        .iter()
        .map(|k| MultisigSigner {
            public_key: KeyAsIntegers(k.public_key_compressed()),
            weight: 1,
        })
        .collect();
    let create = CreateMultiSig {
        signers,
        threshold: 2,
    };
    let account = create.account_address();
    let tx: Transaction = Transaction::new(1_212_101, 7, create);
    let members: Vec<MemberSignature> = keys
        .iter()
        .map(|k| native::sign_as_member(&tx, account, k).expect("signs"))
        .collect();
    NativeTx::combine(tx, account, &members).expect("combines")
}

/// A TokenMetadata with `n` entries.
pub fn metadata(n: usize) -> Transaction {
    let entries = (0..n)
        .map(|i| MetadataEntry {
            key: Text::new(&format!("k{i}")).expect("key"),
            value: Text::new(&format!("v{i}")).expect("value"),
        })
        .collect();
    Transaction::new(
        21210,
        n as u64,
        TokenMetadata {
            name: Text::new("Meta").expect("name"),
            uri: Text::new("https://example.com/m.json").expect("uri"),
            token: Address([0x01; 20]),
            additional_metadata: entries,
        },
    )
}

/// Seeds of `tx_json`, `tx_rlp` or `native_envelope`; none for any other
/// name.
pub fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    match target {
        "tx_json" => tx_json_seeds(),
        "tx_rlp" => crate::seeds_rlp::tx_rlp_seeds(),
        "native_envelope" => crate::seeds_rlp::envelope_seeds(),
        _ => Vec::new(),
    }
}

fn tx_json_seeds() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut add = |name: String, bytes: Vec<u8>| out.push((name, bytes));
    let mut seen_payloads = Vec::new();
    for v in native_vectors() {
        let signed = NativeTx {
            tx: v.tx.clone(),
            authorization: v.authorization.clone(),
        };
        add(
            format!("{}-native", v.name),
            json_seed(v.op, Shape::Native, &native_body(&signed)),
        );
        if seen_payloads.contains(&v.payload) {
            continue;
        }
        seen_payloads.push(v.payload.clone());
        let base = v
            .name
            .trim_end_matches("_single")
            .trim_end_matches("_multi");
        add(
            format!("{base}-unsigned"),
            json_seed(v.op, Shape::Unsigned, &unsigned_body(&v.tx)),
        );
        let document = write_json(core_json::MAX_DOCUMENT_JSON_LEN, "write_document", |b| {
            core_json::write_document(&v.tx, b)
        });
        add(
            format!("{base}-document"),
            json_seed(v.op, Shape::Document, &document),
        );
        if legacy::supports(v.op) {
            let request = LegacyTx {
                tx: v.tx.clone(),
                signature: DUMMY_SIGNATURE,
            };
            let body = write_json(core_json::MAX_LEGACY_JSON_LEN, "write_legacy", |b| {
                core_json::write_legacy(&request, b)
            });
            add(
                format!("{base}-legacy"),
                json_seed(v.op, Shape::Legacy, &body),
            );
        }
    }
    for (name, op, body, sig) in legacy_vectors() {
        let text = serde_json::to_vec(&body).expect("JSON");
        add(
            format!("v1-{name}-unsigned"),
            json_seed(op, Shape::Unsigned, &text),
        );
        if let Some(sig) = sig {
            let mut request = body.clone();
            request["signature"] = json!({
                "r": format!("0x{}", hex(&sig.r)),
                "s": format!("0x{}", hex(&sig.s)),
                "v": sig.v,
            });
            let text = serde_json::to_vec(&request).expect("JSON");
            add(
                format!("v1-{name}-legacy"),
                json_seed(op, Shape::Legacy, &text),
            );
        }
    }
    for (name, body, sig) in batch_vectors() {
        let op = OpType::BatchPayment;
        let text = serde_json::to_vec(&body).expect("JSON");
        add(
            format!("batch-{name}-unsigned"),
            json_seed(op, Shape::Unsigned, &text),
        );
        let mut request = body.clone();
        request
            .as_object_mut()
            .expect("object")
            .entry("memo")
            .or_insert(json!({"type": "", "format": "", "data": ""}));
        request["authorization"] = json!({
            "type": "single_secp256k1",
            "signature": {
                "r": format!("0x{}", hex(&sig.r)),
                "s": format!("0x{}", hex(&sig.s)),
                "v": sig.v,
            },
        });
        let text = serde_json::to_vec(&request).expect("JSON");
        add(
            format!("batch-{name}-native"),
            json_seed(op, Shape::Native, &text),
        );
    }

    // Per operation: the edge cases of a body.
    for v in native_vectors()
        .iter()
        .filter(|v| v.name.ends_with("_single"))
    {
        let op_name = v.op.name();
        let signed = NativeTx {
            tx: v.tx.clone(),
            authorization: v.authorization.clone(),
        };
        let unsigned: Value = serde_json::from_slice(&unsigned_body(&v.tx)).expect("JSON");
        let native: Value = serde_json::from_slice(&native_body(&signed)).expect("JSON");
        let field = unsigned
            .as_object()
            .expect("object")
            .keys()
            .find(|k| {
                // The first required field of the operation.
                let optional = ["clawback_enabled", "operations_hash", "batch_id"];
                !["chain_id", "nonce", "memo"].contains(&k.as_str())
                    && !optional.contains(&k.as_str())
            })
            .expect("an operation field")
            .clone();
        let edit = |base: &Value, f: &dyn Fn(&mut serde_json::Map<String, Value>)| {
            let mut value = base.clone();
            f(value.as_object_mut().expect("object"));
            serde_json::to_vec(&value).expect("JSON")
        };
        add(
            format!("edge-{op_name}-pretty"),
            json_seed(
                v.op,
                Shape::Unsigned,
                &serde_json::to_vec_pretty(&unsigned).expect("JSON"),
            ),
        );
        add(
            format!("edge-{op_name}-extra-member"),
            json_seed(
                v.op,
                Shape::Unsigned,
                &edit(&unsigned, &|o| {
                    o.insert("extra".into(), Value::Bool(true));
                }),
            ),
        );
        add(
            format!("edge-{op_name}-missing-{field}"),
            json_seed(
                v.op,
                Shape::Unsigned,
                &edit(&unsigned, &|o| {
                    o.remove(&field);
                }),
            ),
        );
        add(
            format!("edge-{op_name}-null-{field}"),
            json_seed(
                v.op,
                Shape::Unsigned,
                &edit(&unsigned, &|o| {
                    o.insert(field.clone(), Value::Null);
                }),
            ),
        );
        add(
            format!("edge-{op_name}-native-without-memo"),
            json_seed(
                v.op,
                Shape::Native,
                &edit(&native, &|o| {
                    o.remove("memo");
                }),
            ),
        );
        add(
            format!("edge-{op_name}-native-legacy-signature"),
            json_seed(
                v.op,
                Shape::Native,
                &edit(&native, &|o| {
                    o.insert("signature".into(), json!({"r": "0x1", "s": "0x1", "v": 0}));
                }),
            ),
        );
        add(
            format!("edge-{op_name}-small"),
            selected(
                v.op,
                shape_index(Shape::Unsigned),
                true,
                &unsigned_body(&v.tx),
            ),
        );
    }
    let issue7 = crate::seeds::spec_issue(2, None);
    let key = signing_key_from_bytes(&SPEC_KEY).expect("key");
    let native7 = NativeTx::sign(issue7.clone(), &key).expect("signs");
    let mut v2_default: Value = serde_json::from_slice(&native_body(&native7)).expect("JSON");
    v2_default
        .as_object_mut()
        .expect("object")
        .remove("clawback_enabled");
    add(
        "edge-TokenIssue-native-default-clawback".into(),
        json_seed(
            OpType::TokenIssue,
            Shape::Native,
            &serde_json::to_vec(&v2_default).expect("JSON"),
        ),
    );
    add(
        "edge-document-without-operation".into(),
        json_seed(OpType::Payment, Shape::Document, &unsigned_body(&issue7)),
    );
    add(
        "edge-document-unknown-operation".into(),
        json_seed(
            OpType::Payment,
            Shape::Document,
            br#"{"operation":"TokenFreeze","chain_id":1,"nonce":1}"#,
        ),
    );
    let multisig = real_multisig();
    add(
        "edge-CreateMultiSig-real-multisig".into(),
        json_seed(
            OpType::CreateMultiSig,
            Shape::Native,
            &native_body(&multisig),
        ),
    );
    let full = metadata(tokensign_core::tx::MAX_METADATA_ENTRIES);
    add(
        "edge-TokenMetadata-full".into(),
        json_seed(
            OpType::TokenMetadata,
            Shape::Unsigned,
            &unsigned_body(&full),
        ),
    );
    add(
        "edge-TokenMetadata-3-small".into(),
        selected(OpType::TokenMetadata, 0, true, &unsigned_body(&metadata(3))),
    );
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
