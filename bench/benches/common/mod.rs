//! What both bench binaries measure on: the spec's token issues and
//! payment as the core's types, their JSON and requests, and the official
//! SDK's payloads for the same transactions (each checked to give the
//! core's signature, so every comparison is like for like).

#![allow(dead_code)] // each bench binary uses its own part

use tokensign_bench::{
    legacy_json, parse_issue, spec_key, spec_payload, spec_payload_json, spec_payment,
    unsigned_json, SPEC_KEY_HEX, SPEC_PAYLOAD_JSON,
};
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::tx::{Operation, Transaction};
use tokensign_core::SigningKey;

/// Inputs the benches cycle through, so no single value is measured.
pub const INPUTS: usize = 64;

pub fn cycle<'a, T>(items: &'a [T]) -> impl FnMut() -> &'a T + 'a {
    let mut i = 0usize;
    move || {
        i = (i + 1) % items.len();
        &items[i]
    }
}

/// The legacy signing hash of a transaction the fixtures built.
pub fn legacy_hash(tx: &Transaction) -> [u8; 32] {
    legacy::signing_hash(tx).expect("a token issue has a v1 signing hash")
}

pub struct Fixtures {
    /// The core's key: the selected backend (libsecp256k1 in this build).
    pub key: SigningKey,
    /// Legacy token issues (the spec's eight-field payload, nonces 2..).
    pub payloads: Vec<Transaction>,
    /// Their unsigned JSON (also the v2 token issue's input).
    pub payload_jsons: Vec<Vec<u8>>,
    /// Their v1 requests.
    pub requests: Vec<LegacyTx>,
    /// Their v1 request bodies.
    pub request_jsons: Vec<Vec<u8>>,
    /// The spec's v2 payment (with its memo), nonces 1.., as unsigned JSON.
    pub payment_jsons: Vec<Vec<u8>>,
}

pub fn fixtures() -> Fixtures {
    let key = spec_key();
    let payloads: Vec<Transaction> = (0..INPUTS as u64).map(|n| spec_payload(n + 2)).collect();
    let payload_jsons: Vec<Vec<u8>> = (0..INPUTS as u64)
        .map(|n| spec_payload_json(n + 2))
        .collect();
    assert_eq!(payload_jsons[0], SPEC_PAYLOAD_JSON);
    for (p, j) in payloads.iter().zip(&payload_jsons) {
        assert_eq!(&parse_issue(j).expect("spec payload"), p);
        assert_eq!(&unsigned_json(p).expect("payload JSON"), j);
    }
    let requests: Vec<LegacyTx> = payloads
        .iter()
        .map(|p| LegacyTx::sign(p.clone(), &key).expect("sign"))
        .collect();
    let request_jsons: Vec<Vec<u8>> = requests
        .iter()
        .map(|r| legacy_json(r).expect("request JSON"))
        .collect();
    let payment_jsons: Vec<Vec<u8>> = (0..INPUTS as u64)
        .map(|n| unsigned_json(&spec_payment(n + 1)).expect("payment JSON"))
        .collect();
    Fixtures {
        key,
        payloads,
        payload_jsons,
        requests,
        request_jsons,
        payment_jsons,
    }
}

/// The SDK's payload types, the same transactions as the core's (legacy v1:
/// the SDK 0.18 signs no v2), each checked to give the core's signature.
pub struct SdkPayloads {
    pub issues: Vec<onemoney_protocol::TokenIssuePayload>,
    pub payments: Vec<onemoney_protocol::PaymentPayload>,
}

pub fn sdk_payloads(f: &Fixtures) -> SdkPayloads {
    let issues: Vec<onemoney_protocol::TokenIssuePayload> = f
        .payloads
        .iter()
        .map(|p| {
            let Operation::TokenIssue(issue) = &p.operation else {
                panic!("the fixtures are token issues");
            };
            assert_eq!(issue.master_authority, tokensign_core::Address::ZERO);
            onemoney_protocol::TokenIssuePayload {
                chain_id: p.chain_id,
                nonce: p.nonce,
                symbol: issue.symbol.as_str().into(),
                name: issue.name.as_str().into(),
                decimals: issue.decimals,
                master_authority: Default::default(),
                is_private: issue.is_private,
                clawback_enabled: issue.clawback_enabled == Some(true),
            }
        })
        .collect();
    // Like for like: the SDK's call gives the core's signature (spec vector).
    let sdk_sig =
        onemoney_protocol::sign_transaction_payload(&issues[0], SPEC_KEY_HEX).expect("SDK signs");
    let ours = &f.requests[0].signature;
    assert_eq!(sdk_sig.r.to_be_bytes::<32>(), ours.r);
    assert_eq!(sdk_sig.s.to_be_bytes::<32>(), ours.s);

    // The spec payment without its memo: the SDK's v1 payment has none.
    let payments: Vec<onemoney_protocol::PaymentPayload> = (0..INPUTS as u64)
        .map(|n| {
            let tx = spec_payment(n + 1);
            let Operation::Payment(p) = &tx.operation else {
                panic!("the fixture is a payment");
            };
            onemoney_protocol::PaymentPayload {
                chain_id: tx.chain_id,
                nonce: tx.nonce,
                recipient: p.recipient.0.into(),
                value: p.value.to_decimal().as_str().parse().expect("a U256"),
                token: p.token.0.into(),
            }
        })
        .collect();
    let sdk_sig =
        onemoney_protocol::sign_transaction_payload(&payments[0], SPEC_KEY_HEX).expect("SDK signs");
    let mut bare = spec_payment(1);
    bare.memo = None;
    let ours = LegacyTx::sign(bare, &f.key).expect("sign").signature;
    assert_eq!(sdk_sig.r.to_be_bytes::<32>(), ours.r);
    assert_eq!(sdk_sig.s.to_be_bytes::<32>(), ours.s);
    SdkPayloads { issues, payments }
}
