//! Seeds of `tx_rlp` and `native_envelope` (see `seeds_tx.rs` for what
//! they are made of).

use tokensign_core::legacy;
use tokensign_core::native::{self, Authorization};
use tokensign_core::{json as core_json, OpType, Transaction};

use crate::invariants::encode;
use crate::reference::{rlp_parse, Rlp};
use crate::seeds_tx::{metadata, real_multisig, selected};
use crate::vectors::{batch_tx, batch_vectors, legacy_vectors, native_vectors};

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

pub fn tx_rlp_seeds() -> Vec<(String, Vec<u8>)> {
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

pub fn envelope_seeds() -> Vec<(String, Vec<u8>)> {
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
