//! Seeds of `device_protocol`: sessions of the protocol's normal use (keys,
//! addresses, every operation signed in each scheme it has, multisig
//! members), of frame streams, small response buffers, and of each of its
//! refusals.

use tokensign_core::device::{encode_frame, MAX_FRAME_PAYLOAD};
use tokensign_core::legacy;
use tokensign_core::native::Authorization;
use tokensign_core::tx::{BatchEntry, BatchPayment};
use tokensign_core::{Address, Amount, OpType, Transaction};

use crate::arbitrary_bytes::{Long, Short};
use crate::device_model::{path_bytes, request_header, RequestParts, DEVICE_BUFFER};
use crate::device_session::{KeyPath, ResponseSize, Session, Step, MAX_STEPS};
use crate::invariants::encode;
use crate::roundtrip::RoundTripInput;
use crate::seeds::{max_issue, memo_issue, SPEC_KEY};
use crate::vectors::native_vectors;

const FULL: ResponseSize = ResponseSize::FULL;

fn command(ins: u8, p1: u8, p2: u8, data: &[u8]) -> Step {
    Step::Command {
        response: FULL,
        wrong_cla: false,
        ins,
        p1,
        p2,
        data: Short(data.to_vec()),
    }
}

/// GET_ADDRESS (or GET_PUBLIC_KEY) of account `index`, silent or confirmed.
fn key(public_key: bool, confirm: bool, index: u8) -> Step {
    Step::Key {
        response: FULL,
        public_key,
        confirm,
        path: KeyPath::Index(index),
    }
}

fn sign(chunk: u8, request: Vec<u8>) -> Step {
    Step::Sign {
        response: FULL,
        chunk,
        request: Long(request),
    }
}

/// A sign request made of its parts.
fn sign_parts(
    chunk: u8,
    scheme: u8,
    op: OpType,
    account: Option<Address>,
    path_index: u8,
    payload: &[u8],
) -> Step {
    Step::SignParts {
        response: FULL,
        chunk,
        scheme,
        op: op.number(),
        account: account.map(|a| a.0),
        path_index,
        rlp: Long(payload.to_vec()),
    }
}

/// A TokenIssue's sign request from its round-trip fields.
fn sign_issue(chunk: u8, native: bool, tx: &Transaction) -> Step {
    Step::SignIssue {
        response: FULL,
        chunk,
        native,
        fields: Long(issue_fields(tx)),
    }
}

fn request(scheme: u8, op: OpType, account: Option<Address>, index: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = request_header(&RequestParts {
        scheme,
        op: op.number(),
        account: account.map(|a| a.0.to_vec()),
        path_index: index,
    });
    out.extend_from_slice(payload);
    out
}

fn legacy_payload(tx: &Transaction) -> Vec<u8> {
    let value = legacy::signed_value(tx).expect("in v1");
    encode(&value, 1 << 16, "legacy signed value")
}

fn frame(kind: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = [0u8; MAX_FRAME_PAYLOAD + 6];
    let n = encode_frame(kind, payload, &mut out).expect("fits");
    out[..n].to_vec()
}

fn apdu(ins: u8, p1: u8, p2: u8, data: &[u8]) -> Vec<u8> {
    let mut out = vec![tokensign_core::device::CLA, ins, p1, p2, data.len() as u8];
    out.extend_from_slice(data);
    out
}

fn issue_fields(tx: &Transaction) -> Vec<u8> {
    let tokensign_core::Operation::TokenIssue(issue) = &tx.operation else {
        panic!("an issue");
    };
    RoundTripInput {
        secret: SPEC_KEY,
        chain_id: tx.chain_id,
        nonce: tx.nonce,
        decimals: u64::from(issue.decimals),
        is_private: issue.is_private,
        clawback_enabled: issue.clawback_enabled,
        master_authority: issue.master_authority.0,
        memo: tx.memo.is_some(),
        symbol: issue.symbol.to_string(),
        name: issue.name.to_string(),
    }
    .to_bytes()
}

/// The device's sessions.
pub fn sessions() -> Vec<(&'static str, Vec<u8>)> {
    let path0 = path_bytes(&[], Some(0));
    let path1 = path_bytes(&[], Some(1));
    let vectors = native_vectors();
    let single = |name: &str| {
        vectors
            .iter()
            .find(|v| v.name == name)
            .unwrap_or_else(|| panic!("vector {name}"))
    };
    let payment = single("Payment_single");
    let batch = single("BatchPayment_multi");
    let Authorization::Multisig { account, .. } = batch.authorization else {
        panic!("a multisig vector");
    };

    // One path for the single signers, another for the members: each key
    // is derived once (derivation is the slowest step under the fuzzer).
    let mut every_operation = Vec::new();
    for v in vectors.iter().filter(|v| v.name.ends_with("_single")) {
        every_operation.push(sign_parts(200, 2, v.op, None, 0, &v.payload));
        if legacy::supports(v.op) {
            every_operation.push(sign_parts(97, 1, v.op, None, 0, &legacy_payload(&v.tx)));
        }
    }
    for v in vectors.iter().filter(|v| v.name.ends_with("_multi")) {
        if let Authorization::Multisig { account, .. } = v.authorization {
            every_operation.push(sign_parts(255, 2, v.op, Some(account), 1, &v.payload));
        }
    }

    let mut stream = vec![0x00, 0xa5, 0x01];
    stream.extend(frame(0x01, &apdu(0x01, 0, 0, &[])));
    stream.extend(frame(0x01, &apdu(0x02, 0, 0, &path0)));
    let mut corrupt = frame(0x01, &apdu(0x04, 0, 0, &path0));
    corrupt[6] ^= 1;
    stream.extend(corrupt);
    stream.extend(frame(0x03, b"Operation: Payment"));
    let payment_request = request(2, OpType::Payment, None, 0, &payment.payload);
    stream.extend(frame(0x01, &apdu(0x05, 0, 1, &payment_request)));
    stream.extend(frame(0x01, &apdu(0x04, 0, 0, &path1)));

    // A BatchPayment with more entries than the device holds (16).
    let too_many: Transaction = Transaction::new(
        1_212_101,
        1,
        BatchPayment {
            token: Address([1; 20]),
            operations: (1..=17u8)
                .map(|i| BatchEntry {
                    recipient: Address([i; 20]),
                    amount: Amount::from_u64(u64::from(i)),
                })
                .collect(),
            created_at: 1,
            operations_hash: None,
            batch_id: None,
        },
    );
    let too_many = encode(
        &tokensign_core::native::payload_rlp(&too_many),
        1 << 16,
        "batch",
    );
    let zero_batch = {
        let mut tx = batch.tx.clone();
        if let tokensign_core::Operation::BatchPayment(b) = &mut tx.operation {
            b.operations[0].amount = Amount::ZERO;
        }
        encode(&tokensign_core::native::payload_rlp(&tx), 1 << 16, "batch")
    };

    let sessions = vec![
        (
            "normal",
            Session {
                no_seed: false,
                steps: vec![
                    command(0x01, 0, 0, &[]),
                    key(false, false, 0),
                    key(true, false, 1),
                    key(false, true, 1),
                    sign_parts(
                        255,
                        1,
                        OpType::Payment,
                        None,
                        0,
                        &legacy_payload(&payment.tx),
                    ),
                    sign_parts(64, 2, OpType::Payment, None, 0, &payment.payload),
                    sign_parts(
                        255,
                        2,
                        OpType::BatchPayment,
                        Some(account),
                        3,
                        &batch.payload,
                    ),
                    sign_issue(100, true, &memo_issue()),
                    sign_issue(1, false, &max_issue()),
                ],
            },
        ),
        (
            "reject-and-widths",
            Session {
                no_seed: false,
                steps: vec![
                    Step::User {
                        approve: false,
                        width: 1,
                    },
                    sign_parts(13, 2, OpType::Payment, None, 0, &payment.payload),
                    key(false, true, 0),
                    Step::User {
                        approve: true,
                        width: 64,
                    },
                    sign_parts(
                        255,
                        2,
                        OpType::BatchPayment,
                        Some(account),
                        0,
                        &batch.payload,
                    ),
                    Step::User {
                        approve: true,
                        width: 0,
                    },
                    sign_parts(
                        255,
                        1,
                        OpType::Payment,
                        None,
                        9,
                        &legacy_payload(&payment.tx),
                    ),
                ],
            },
        ),
        (
            "stream",
            Session {
                no_seed: false,
                steps: vec![Step::Stream {
                    bytes: Long(stream),
                }],
            },
        ),
        (
            "small-responses",
            Session {
                no_seed: false,
                steps: vec![
                    Step::Key {
                        response: ResponseSize(10),
                        public_key: false,
                        confirm: false,
                        path: KeyPath::Index(0),
                    },
                    Step::Key {
                        response: ResponseSize(30),
                        public_key: true,
                        confirm: false,
                        path: KeyPath::Raw(Short(path0.clone())),
                    },
                    Step::Command {
                        response: ResponseSize(3),
                        wrong_cla: false,
                        ins: 0x01,
                        p1: 0,
                        p2: 0,
                        data: Short::default(),
                    },
                    Step::Sign {
                        response: ResponseSize(50),
                        chunk: 100,
                        request: Long(payment_request.clone()),
                    },
                    Step::SignParts {
                        response: ResponseSize(20),
                        chunk: 100,
                        scheme: 2,
                        op: OpType::BatchPayment.number(),
                        account: None,
                        path_index: 0,
                        rlp: Long(zero_batch.clone()),
                    },
                    Step::Raw {
                        response: ResponseSize(1),
                        apdu: Short(apdu(0x02, 0, 0, &path0)),
                    },
                ],
            },
        ),
        (
            "refusals",
            Session {
                no_seed: false,
                steps: vec![
                    Step::Raw {
                        response: FULL,
                        apdu: Short(vec![tokensign_core::device::CLA, 1, 0]),
                    },
                    Step::Command {
                        response: FULL,
                        wrong_cla: true,
                        ins: 0x01,
                        p1: 0,
                        p2: 0,
                        data: Short::default(),
                    },
                    Step::Raw {
                        response: FULL,
                        apdu: Short(vec![tokensign_core::device::CLA, 0x02, 0, 0, 3, 1]),
                    },
                    Step::Key {
                        response: FULL,
                        public_key: false,
                        confirm: false,
                        path: KeyPath::Raw(Short(vec![11; 45])),
                    },
                    command(0x02, 2, 0, &path0),
                    command(0x04, 1, 0, &path0),
                    command(0x04, 0, 0, &[1, 0, 0]),
                    command(0x02, 0, 0, &[]),
                    command(0x01, 0, 0, &[1]),
                    command(0x03, 0, 0, &[]),
                    command(0x10, 0, 0, &[]),
                    command(0x05, 1, 0, b"x"),
                    command(0x05, 0, 2, b"x"),
                    command(0x05, 2, 0, b"x"),
                    command(0x05, 0, 0, &[0; 255]),
                    command(0x05, 1, 0, &[0; 255]),
                    command(0x05, 1, 0, &[0; 255]),
                    command(0x05, 1, 0, &[0; 255]),
                    command(0x05, 1, 1, &[0; 255]),
                    sign(255, Vec::new()),
                    sign(255, vec![3]),
                    sign(255, vec![2]),
                    sign(255, vec![2, 15]),
                    sign(255, vec![2, 0, 0]),
                    sign_parts(255, 1, OpType::CreateMultiSig, None, 0, &[]),
                    sign(255, {
                        let mut r = request(1, OpType::Payment, None, 0, &[]);
                        r[2] = 1;
                        r
                    }),
                    sign(255, vec![2, 1, 1, 0xaa, 0xbb]),
                    sign(255, vec![2, 1, 2]),
                    sign(255, vec![2, 1, 0, 11]),
                    sign(255, vec![2, 1, 0, 1, 0, 0]),
                    sign_parts(255, 2, OpType::Payment, None, 0, &payment.payload[..10]),
                    sign_parts(255, 2, OpType::BatchPayment, None, 0, &zero_batch),
                    sign_parts(255, 2, OpType::BatchPayment, None, 0, &too_many),
                ],
            },
        ),
        (
            // The request buffer through every state the report counts:
            // an empty first chunk, each range of bytes received, the
            // buffer full to its last byte, then one byte over it.
            "buffer",
            Session {
                no_seed: false,
                steps: vec![
                    command(0x05, 0, 0, &[]),
                    command(0x05, 1, 0, &[0; 255]),
                    command(0x05, 1, 0, &[0; 255]),
                    command(0x05, 1, 0, &[0; 255]),
                    command(0x05, 1, 0, &[0; 255]),
                    command(0x05, 1, 0, &[0; DEVICE_BUFFER - 4 * 255 - 1]),
                    command(0x05, 1, 0, &[0]),
                    command(0x05, 1, 0, &[0]),
                ],
            },
        ),
        (
            "no-seed",
            Session {
                no_seed: true,
                steps: vec![
                    key(false, false, 0),
                    key(false, true, 0),
                    key(true, false, 0),
                    sign(255, payment_request.clone()),
                    command(0x01, 0, 0, &[]),
                ],
            },
        ),
    ];
    // A session holds at most MAX_STEPS steps: a longer one goes into as
    // many sessions as it takes, `<name>-1`, `<name>-2`, ...
    const PARTS: [&str; 6] = [
        "every-operation-1",
        "every-operation-2",
        "every-operation-3",
        "refusals-1",
        "refusals-2",
        "refusals-3",
    ];
    let sessions = sessions.into_iter().chain([(
        "every-operation",
        Session {
            no_seed: false,
            steps: every_operation,
        },
    )]);
    let mut out = Vec::new();
    for (name, session) in sessions {
        if session.steps.len() <= MAX_STEPS {
            out.push((name, session.to_bytes()));
            continue;
        }
        for (i, steps) in session.steps.chunks(MAX_STEPS).enumerate() {
            let part = format!("{name}-{}", i + 1);
            let part = PARTS
                .iter()
                .find(|p| **p == part)
                .unwrap_or_else(|| panic!("name the seed session {part} in PARTS"));
            let session = Session {
                no_seed: session.no_seed,
                steps: steps.to_vec(),
            };
            out.push((*part, session.to_bytes()));
        }
    }
    out
}
