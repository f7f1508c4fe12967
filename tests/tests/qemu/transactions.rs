//! What the firmware signs besides random transactions: the spec's vectors
//! that fit the device, and each operation's largest request.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use tokensign::device::{default_path, SignRequest};
use tokensign_core::native::{self, Descriptor};
use tokensign_core::rlp::encode::to_slice;
use tokensign_core::{legacy, Address, Scheme, Transaction};
use tokensign_tests::strategies::ops;

use crate::firmware::workspace_root;

/// The firmware's request buffer (tests/firmware/src/main.rs).
pub const FIRMWARE_BUFFER: usize = 2048;

/// A transaction of host capacities from one of the device's (the RLP is
/// the same).
pub fn widen<const B: usize, const M: usize>(tx: &Transaction<B, M>) -> Transaction {
    let value = native::payload_rlp(tx);
    let mut buf = vec![0u8; 8192];
    let n = to_slice(&value, &mut buf).unwrap();
    native::decode_payload_rlp(tx.op_type(), &buf[..n]).unwrap()
}

/// The spec's vectors that carry a transaction the device holds (its
/// capacities, its buffer): each with its scheme, descriptor and signing
/// hash.
pub fn spec_vectors() -> Vec<(Transaction, Scheme, Descriptor, Vec<u8>)> {
    use serde_json::Value;
    let load = |name: &str| -> Value {
        let path = workspace_root().join("tests/vectors/spec").join(name);
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
    };
    let unhex = |v: &Value| hex::decode(v.as_str().unwrap().trim_start_matches("0x")).unwrap();
    let fits = |tx: &Transaction| {
        let small = native::decode_payload_rlp::<
            { tokensign_core::device::DEVICE_BATCH_OPERATIONS },
            { tokensign_core::device::DEVICE_METADATA_ENTRIES },
        >(tx.op_type(), &{
            let value = native::payload_rlp(tx);
            let mut buf = vec![0u8; 8192];
            let n = to_slice(&value, &mut buf).unwrap();
            buf.truncate(n);
            buf
        });
        small.is_ok() && request_len(tx) <= FIRMWARE_BUFFER
    };
    let mut out = Vec::new();
    for v in load("legacy-vectors.json")["vectors"].as_array().unwrap() {
        let op = tokensign_core::OpType::from_name(v["operation"].as_str().unwrap()).unwrap();
        let mut body = v["payload"].clone();
        if !v["memo"].is_null() {
            body["memo"] = v["memo"].clone();
        }
        let tx: Transaction =
            tokensign_core::json::parse_unsigned(op, &serde_json::to_vec(&body).unwrap()).unwrap();
        if fits(&tx) {
            out.push((
                tx,
                Scheme::Legacy,
                Descriptor::Single,
                unhex(&v["signing_hash"]),
            ));
        }
    }
    let native_file = load("native-v2-signing-vectors.json");
    for group in ["base_vectors", "supplemental_vectors"] {
        for v in native_file[group].as_array().unwrap() {
            let op =
                tokensign_core::OpType::from_number(v["operation_type"].as_u64().unwrap()).unwrap();
            let tx: Transaction =
                native::decode_payload_rlp(op, &unhex(&v["payload_rlp"])).unwrap();
            let descriptor = match v["multisig_account"].as_str() {
                Some(account) => Descriptor::Multisig(Address::parse(account).unwrap()),
                None => Descriptor::Single,
            };
            // Payloads the network refuses are vectors of the encoders only.
            if tx.check().is_ok() && fits(&tx) {
                out.push((tx, Scheme::Native, descriptor, unhex(&v["signing_hash"])));
            }
        }
    }
    assert!(out.len() >= 30, "only {} spec vectors signed", out.len());
    out
}

/// Transactions generated per operation to find its largest request.
const LARGEST_SAMPLES: usize = 48;

/// The sign request's length for `tx` (native v2, multisig member: the
/// longest header; legacy's payload is never longer).
pub fn request_len(tx: &Transaction) -> usize {
    SignRequest {
        tx: &native::normalize(tx.clone()),
        scheme: Scheme::Native,
        descriptor: Descriptor::Multisig(Address([0xa0; 20])),
        path: default_path(),
    }
    .encode()
    .unwrap()
    .len()
}

/// Of `LARGEST_SAMPLES` valid transactions of `op` generated at the
/// device's capacities (16 batch entries, 8 metadata entries), the one
/// with the longest sign request that fits the firmware's buffer.
pub fn largest(runner: &mut TestRunner, op: tokensign_core::OpType) -> Transaction {
    let strategy = ops::transaction_for::<
        { tokensign_core::device::DEVICE_BATCH_OPERATIONS },
        { tokensign_core::device::DEVICE_METADATA_ENTRIES },
    >(op);
    (0..LARGEST_SAMPLES)
        .map(|_| widen(&strategy.new_tree(runner).unwrap().current()))
        .filter(|tx| {
            native::normalize(tx.clone()).check().is_ok()
                && (!legacy::supports(op) || tx.check().is_ok())
        })
        .map(|tx| (request_len(&tx), tx))
        .filter(|(len, _)| *len <= FIRMWARE_BUFFER)
        .max_by_key(|(len, _)| *len)
        .map(|(_, tx)| tx)
        .unwrap_or_else(|| panic!("no {op} transaction fits the device"))
}
