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
use tokensign_core::native::{self, Authorization, MemberSignature, NativeTx};
use tokensign_core::text::Text;
use tokensign_core::tx::{CreateMultiSig, MetadataEntry, MultisigSigner, TokenMetadata};
use tokensign_core::{
    json as core_json, keccak256, signing_key_from_bytes, Address, OpType, Signature, Transaction,
};

use crate::invariants::{encode, write_json, DUMMY_SIGNATURE};
use crate::reference::{rlp_parse, Rlp};
use crate::seeds::SPEC_KEY;
use crate::tx_targets::{Selector, Shape};

/// A spec vector file, parsed.
fn load(name: &str) -> Value {
    let path = format!(
        "{}/../tests/vectors/spec/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("vector JSON")
}

fn unhex(text: &str) -> Vec<u8> {
    let digits = text.strip_prefix("0x").expect("0x prefix");
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).expect("hex"))
        .collect()
}

fn unhex_n<const N: usize>(text: &str) -> [u8; N] {
    unhex(text).try_into().expect("length")
}

fn signature(v: &Value) -> Signature {
    Signature {
        r: unhex_n(v["r"].as_str().expect("r")),
        s: unhex_n(v["s"].as_str().expect("s")),
        v: u8::try_from(v["v"].as_u64().expect("v")).expect("small"),
    }
}

/// One transaction of `native-v2-signing-vectors.json`.
pub struct NativeVector {
    /// The vector's name.
    pub name: String,
    /// Its operation.
    pub op: OpType,
    /// `payload_rlp`.
    pub payload: Vec<u8>,
    /// `unsigned_transaction_rlp`.
    pub unsigned: Vec<u8>,
    /// `signed_transaction_rlp`.
    pub signed: Vec<u8>,
    /// The payload, decoded.
    pub tx: Transaction,
    /// The authorization (dummy, high-S signatures).
    pub authorization: Authorization,
}

/// Every transaction of `native-v2-signing-vectors.json`.
pub fn native_vectors() -> Vec<NativeVector> {
    let file = load("native-v2-signing-vectors.json");
    let mut out = Vec::new();
    for group in ["base_vectors", "supplemental_vectors"] {
        for v in file[group].as_array().expect("vectors") {
            let op = OpType::from_number(v["operation_type"].as_u64().expect("type")).expect("op");
            let payload = unhex(v["payload_rlp"].as_str().expect("payload"));
            let tx = native::decode_payload_rlp(op, &payload).expect("a vector decodes");
            let proof = &v["authorization_proof"];
            let authorization = match v["authorization_kind"].as_u64() {
                Some(0) => Authorization::Single(signature(&proof["signature"])),
                _ => Authorization::Multisig {
                    account: Address::parse(v["multisig_account"].as_str().expect("account"))
                        .expect("address"),
                    signatures: proof["signatures"]
                        .as_array()
                        .expect("signatures")
                        .iter()
                        .map(|s| MemberSignature {
                            signer_pubkey: unhex_n(s["signer_pubkey"].as_str().expect("key")),
                            signature: signature(&s["signature"]),
                        })
                        .collect(),
                },
            };
            out.push(NativeVector {
                name: v["name"].as_str().expect("name").to_string(),
                op,
                payload,
                unsigned: unhex(v["unsigned_transaction_rlp"].as_str().expect("unsigned")),
                signed: unhex(v["signed_transaction_rlp"].as_str().expect("signed")),
                tx,
                authorization,
            });
        }
    }
    out
}

/// The typed bodies of `legacy-vectors.json` (payload plus memo) and their
/// signatures.
fn legacy_vectors() -> Vec<(String, OpType, Value, Option<Signature>)> {
    let file = load("legacy-vectors.json");
    let vectors = file["vectors"].as_array().expect("vectors");
    vectors
        .iter()
        .map(|v| {
            let op = OpType::from_name(v["operation"].as_str().expect("op")).expect("known");
            let mut body = v["payload"].clone();
            if !v["memo"].is_null() {
                body["memo"] = v["memo"].clone();
            }
            let name = v["name"].as_str().expect("name").to_string();
            (name, op, body, v.get("signature").map(signature))
        })
        .collect()
}

/// The typed bodies of `batch-payment-vectors.json` (payload plus memo, as
/// given: `null` for absent options) and their signatures.
fn batch_vectors() -> Vec<(String, Value, Signature)> {
    let file = load("batch-payment-vectors.json");
    let vectors = file["vectors"].as_array().expect("vectors");
    vectors
        .iter()
        .map(|v| {
            let mut body = v["payload"].clone();
            if let Some(memo) = v["options"].get("memo").filter(|m| !m.is_null()) {
                body["memo"] = memo.clone();
            }
            let name = v["name"].as_str().expect("name").to_string();
            (name, body, signature(&v["authorization"]))
        })
        .collect()
}

fn selected(op: OpType, variant: usize, small: bool, body: &[u8]) -> Vec<u8> {
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
fn real_multisig() -> NativeTx {
    let keys: Vec<_> = [SPEC_KEY, keccak256(&SPEC_KEY)]
        .iter()
        .map(|k| signing_key_from_bytes(k).expect("valid key"))
        .collect();
    let signers = keys
        .iter()
        .map(|k| MultisigSigner {
            public_key: KeyAsIntegers(tokensign_core::public_key_of(k)),
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
fn metadata(n: usize) -> Transaction {
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

/// Seeds of one of this file's targets; none for any other name.
pub fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    match target {
        "tx_json" => tx_json_seeds(),
        "tx_rlp" => tx_rlp_seeds(),
        "native_envelope" => envelope_seeds(),
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

/// `bytes` with its outer header in the long form (non-canonical).
fn long_form(bytes: &[u8]) -> Vec<u8> {
    let (item, _) = rlp_parse(bytes).expect("RLP");
    let (base, payload) = match &item {
        Rlp::List(_) => (0xf7u8, &bytes[bytes.len() - item_payload_len(&item)..]),
        Rlp::Str(_) => (0xb7u8, &bytes[bytes.len() - item_payload_len(&item)..]),
    };
    let len = payload.len() as u64;
    let be = len.to_be_bytes();
    let skip = be.iter().take_while(|b| **b == 0).count();
    // One more length byte than needed: a leading zero.
    let mut out = vec![base + (8 - skip + 1) as u8, 0];
    out.extend_from_slice(&be[skip..]);
    out.extend_from_slice(payload);
    out
}

fn item_payload_len(item: &Rlp) -> usize {
    match item {
        Rlp::Str(b) => b.len(),
        Rlp::List(items) => items.iter().map(|i| i.encode().len()).sum(),
    }
}

/// `[P, M]` with an extra empty item at the end of `P`.
fn extra_item(payload: &[u8]) -> Vec<u8> {
    let (tree, _) = rlp_parse(payload).expect("RLP");
    let Rlp::List(mut outer) = tree else {
        panic!("a payload is a list")
    };
    if let Some(Rlp::List(p)) = outer.first_mut() {
        p.push(Rlp::Str(Vec::new()));
    }
    Rlp::List(outer).encode()
}

fn tx_rlp_seeds() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut add = |name: String, bytes: Vec<u8>| out.push((name, bytes));
    let mut seen = Vec::new();
    for v in native_vectors() {
        if seen.contains(&v.payload) {
            continue;
        }
        seen.push(v.payload.clone());
        let base = v
            .name
            .trim_end_matches("_single")
            .trim_end_matches("_multi");
        add(format!("{base}-v2"), selected(v.op, 1, false, &v.payload));
        if legacy::supports(v.op) {
            add(
                format!("{base}-v1-memo"),
                selected(v.op, 0, false, &v.payload),
            );
        }
        if v.name.ends_with("_single") {
            let op_name = v.op.name();
            let mut truncated = v.payload.clone();
            truncated.pop();
            add(
                format!("edge-{op_name}-truncated"),
                selected(v.op, 1, false, &truncated),
            );
            let mut trailing = v.payload.clone();
            trailing.push(0x80);
            add(
                format!("edge-{op_name}-trailing-byte"),
                selected(v.op, 1, false, &trailing),
            );
            add(
                format!("edge-{op_name}-extra-item"),
                selected(v.op, 1, false, &extra_item(&v.payload)),
            );
            add(
                format!("edge-{op_name}-long-form"),
                selected(v.op, 1, false, &long_form(&v.payload)),
            );
            add(
                format!("edge-{op_name}-small"),
                selected(v.op, 1, true, &v.payload),
            );
            let p = rlp_parse(&v.payload).expect("RLP").0.items()[0].encode();
            add(
                format!("edge-{op_name}-without-memo"),
                selected(v.op, 1, false, &p),
            );
        }
    }
    for (name, op, body, _) in legacy_vectors() {
        let text = serde_json::to_vec(&body).expect("JSON");
        let tx: Transaction = core_json::parse_unsigned(op, &text).expect("a vector parses");
        let value = legacy::signed_value(&tx).expect("in v1");
        let bytes = encode(
            &value,
            Transaction::<256, 32>::MAX_PAYLOAD_WITH_MEMO_RLP_LEN,
            name.as_str(),
        );
        add(format!("v1-{name}"), selected(op, 0, false, &bytes));
    }
    for (name, body, _) in batch_vectors() {
        let tx = batch_tx(&body);
        let bytes = encode(
            &native::payload_rlp(&tx),
            Transaction::<256, 32>::MAX_PAYLOAD_WITH_MEMO_RLP_LEN,
            name.as_str(),
        );
        add(
            format!("batch-{name}"),
            selected(OpType::BatchPayment, 1, false, &bytes),
        );
    }
    let full = metadata(tokensign_core::tx::MAX_METADATA_ENTRIES);
    let bytes = encode(&native::payload_rlp(&full), 1 << 16, "metadata");
    add(
        "edge-TokenMetadata-full".into(),
        selected(OpType::TokenMetadata, 1, false, &bytes),
    );
    add(
        "edge-TokenMetadata-full-small".into(),
        selected(OpType::TokenMetadata, 1, true, &bytes),
    );
    let multisig = real_multisig();
    let bytes = encode(&native::payload_rlp(&multisig.tx), 1 << 16, "multisig");
    add(
        "edge-CreateMultiSig-real-keys".into(),
        selected(OpType::CreateMultiSig, 1, false, &bytes),
    );
    out
}

/// A batch vector's transaction, built by the typed fields (the vectors
/// the network refuses too: the encoders do not judge them).
fn batch_tx(body: &Value) -> Transaction {
    use tokensign_core::field::B256;
    use tokensign_core::tx::{BatchEntry, BatchPayment, Memo};
    use tokensign_core::Amount;
    let batch = BatchPayment {
        token: Address::parse(body["token"].as_str().expect("token")).expect("address"),
        operations: body["operations"]
            .as_array()
            .expect("operations")
            .iter()
            .map(|o| BatchEntry {
                recipient: Address::parse(o["recipient"].as_str().expect("recipient"))
                    .expect("address"),
                amount: Amount::parse(o["amount"].as_str().expect("amount")).expect("amount"),
            })
            .collect(),
        created_at: body["created_at"].as_u64().expect("created_at"),
        operations_hash: body["operations_hash"].as_str().map(|h| B256(unhex_n(h))),
        batch_id: body["batch_id"]
            .as_str()
            .map(|t| Text::new(t).expect("batch id")),
    };
    let mut tx = Transaction::new(
        body["chain_id"].as_u64().expect("chain"),
        body["nonce"].as_u64().expect("nonce"),
        batch,
    );
    tx.memo = body.get("memo").map(|m| {
        Memo::new(
            m["type"].as_str().expect("type"),
            m["format"].as_str().expect("format"),
            m["data"].as_str().expect("data"),
        )
        .expect("memo")
    });
    tx
}

fn envelope_seeds() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut add = |name: String, selector: u8, bytes: &[u8]| {
        let mut seed = vec![selector];
        seed.extend_from_slice(bytes);
        out.push((name, seed));
    };
    let cap = native::max_signed_rlp_len::<256, 32>();
    for v in native_vectors() {
        add(format!("{}-unsigned", v.name), 0, &v.unsigned);
        add(format!("{}-signed", v.name), 1, &v.signed);
        if v.name.ends_with("_single") {
            let op_name = v.op.name();
            let edit = |f: &dyn Fn(&mut Vec<Rlp>)| {
                let Rlp::List(mut items) = rlp_parse(&v.signed).expect("RLP").0 else {
                    panic!("an envelope is a list")
                };
                f(&mut items);
                Rlp::List(items).encode()
            };
            add(
                format!("edge-{op_name}-wrong-domain"),
                1,
                &edit(&|i| {
                    i[0] = Rlp::Str(b"1money.native.transaction.v3".to_vec());
                }),
            );
            add(format!("edge-{op_name}-no-proof"), 1, &v.unsigned);
            add(format!("edge-{op_name}-small"), 3, &v.signed);
            if v.op == OpType::Payment {
                add(
                    "edge-operation-15".into(),
                    1,
                    &edit(&|i| i[1] = Rlp::Str(vec![15])),
                );
                add(
                    "edge-operation-0".into(),
                    1,
                    &edit(&|i| i[1] = Rlp::Str(Vec::new())),
                );
                add(
                    "edge-authorization-kind-2".into(),
                    1,
                    &edit(&|i| {
                        i[2] = Rlp::List(vec![Rlp::Str(vec![2])]);
                    }),
                );
                add(
                    "edge-extra-item".into(),
                    1,
                    &edit(&|i| i.push(Rlp::Str(Vec::new()))),
                );
                add(
                    "edge-payload-not-rlp".into(),
                    1,
                    &edit(&|i| i[3] = Rlp::Str(vec![0xc5, 1])),
                );
            }
        }
    }
    let multisig = real_multisig();
    add(
        "edge-real-multisig-signed".into(),
        1,
        &encode(
            &native::signed(&multisig.tx, &multisig.authorization),
            cap,
            "signed",
        ),
    );
    for (name, body, sig) in batch_vectors().into_iter().take(12) {
        let tx = batch_tx(&body);
        let auth = Authorization::Single(sig);
        add(
            format!("batch-{name}-signed"),
            1,
            &encode(&native::signed(&tx, &auth), cap, "signed"),
        );
    }
    out
}
