//! One criterion run for the core's paths and the field's baselines, so
//! every ratio in BENCHMARKS.md compares numbers from the same run.
//!
//! Groups:
//! - `core/*`: tokensign-core, step by step and end to end;
//! - `recover/*`: the recovery routes (k256's, the lean one, a split
//!   variant, libsecp256k1 as a backend), each ending in the signer address;
//! - `baseline/*`: bare k256, the official 1Money SDK, libsecp256k1.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use k256::ecdsa::SigningKey;
use tokensign_bench::{
    recover_lean_split, recover_secp256k1, signed_hashes, spec_key, spec_payload, spec_secret,
    SPEC_KEY_HEX, SPEC_PAYLOAD_JSON,
};
use tokensign_core::recover::recover_prehash_lean;
use tokensign_core::{
    encode_rlp, json, recover_hash, sign, signing_hash, tx_hash, SignedRequest,
    MAX_REQUEST_JSON_LEN, MAX_RLP_LEN,
};

/// Inputs the crypto benches cycle through, so no single value is measured.
const INPUTS: usize = 64;

fn cycle<'a, T>(items: &'a [T]) -> impl FnMut() -> &'a T + 'a {
    let mut i = 0usize;
    move || {
        i = (i + 1) % items.len();
        &items[i]
    }
}

fn core_paths(c: &mut Criterion) {
    let key = spec_key();
    let payload = spec_payload(2);
    let payloads: Vec<_> = (0..INPUTS as u64).map(|n| spec_payload(n + 2)).collect();
    let payload_jsons: Vec<Vec<u8>> = payloads
        .iter()
        .map(|p| {
            let mut buf = [0u8; MAX_REQUEST_JSON_LEN];
            let n = json::write_payload(p, &mut buf).expect("payload JSON");
            buf[..n].to_vec()
        })
        .collect();
    assert_eq!(
        json::parse_payload(SPEC_PAYLOAD_JSON).expect("spec payload"),
        payload
    );
    let requests: Vec<SignedRequest> = payloads
        .iter()
        .map(|p| SignedRequest::sign(p.clone(), &key).expect("sign"))
        .collect();
    let request_jsons: Vec<Vec<u8>> = requests
        .iter()
        .map(|r| {
            let mut buf = [0u8; MAX_REQUEST_JSON_LEN];
            let n = json::write_request(r, &mut buf).expect("request JSON");
            buf[..n].to_vec()
        })
        .collect();

    let mut g = c.benchmark_group("core");
    g.bench_function("parse_payload", |b| {
        let mut next = cycle(&payload_jsons);
        b.iter(|| json::parse_payload(black_box(next())))
    });
    g.bench_function("encode_rlp", |b| {
        let mut out = [0u8; MAX_RLP_LEN];
        b.iter(|| encode_rlp(black_box(&payload), &mut out))
    });
    g.bench_function("signing_hash", |b| {
        b.iter(|| signing_hash(black_box(&payload)))
    });
    g.bench_function("sign", |b| {
        let mut next = cycle(&payloads);
        b.iter(|| sign(black_box(next()), &key))
    });
    // Payload JSON in, signed request JSON out; the key is already loaded.
    g.bench_function("full_sign_path", |b| {
        let mut next = cycle(&payload_jsons);
        let mut out = [0u8; MAX_REQUEST_JSON_LEN];
        b.iter(|| {
            let payload = json::parse_payload(black_box(next()))?;
            let request = SignedRequest::sign(payload, &key)?;
            json::write_request(&request, &mut out)
        })
    });
    g.bench_function("tx_hash", |b| {
        let r = &requests[0];
        b.iter(|| tx_hash(black_box(&r.payload), black_box(&r.signature)))
    });
    g.bench_function("parse_request", |b| {
        let mut next = cycle(&request_jsons);
        b.iter(|| json::parse_request(black_box(next())))
    });
    // Request JSON in, signer address out: today's core (k256's recovery).
    g.bench_function("request_to_signer", |b| {
        let mut next = cycle(&request_jsons);
        b.iter(|| json::parse_request(black_box(next()))?.signer())
    });
    // The same with the lean recovery.
    g.bench_function("request_to_signer_lean", |b| {
        let mut next = cycle(&request_jsons);
        b.iter(|| {
            let r = json::parse_request(black_box(next()))?;
            recover_prehash_lean(&r.signing_hash(), &r.signature)
        })
    });
    // The same with the libsecp256k1 backend prototype.
    g.bench_function("request_to_signer_secp256k1", |b| {
        let mut next = cycle(&request_jsons);
        b.iter(|| {
            let r = json::parse_request(black_box(next()))?;
            recover_secp256k1(&r.signing_hash(), &r.signature)
        })
    });
    g.finish();
}

fn recovery_routes(c: &mut Criterion) {
    let inputs = signed_hashes(INPUTS, 8, 1);
    let mut g = c.benchmark_group("recover");
    g.bench_function("k256_recover_hash", |b| {
        let mut next = cycle(&inputs);
        b.iter(|| {
            let (h, s) = next();
            recover_hash(black_box(h), black_box(s))
        })
    });
    g.bench_function("lean", |b| {
        let mut next = cycle(&inputs);
        b.iter(|| {
            let (h, s) = next();
            recover_prehash_lean(black_box(h), black_box(s))
        })
    });
    g.bench_function("lean_split", |b| {
        let mut next = cycle(&inputs);
        b.iter(|| {
            let (h, s) = next();
            recover_lean_split(black_box(h), black_box(s))
        })
    });
    g.bench_function("secp256k1_backend", |b| {
        let mut next = cycle(&inputs);
        b.iter(|| {
            let (h, s) = next();
            recover_secp256k1(black_box(h), black_box(s))
        })
    });
    g.finish();
}

fn baselines(c: &mut Criterion) {
    use k256::ecdsa::{RecoveryId, Signature as KSig, VerifyingKey};
    use secp256k1::ecdsa::{RecoverableSignature, RecoveryId as SRecId};

    let key: SigningKey = spec_key();
    let hashes: Vec<[u8; 32]> = (0..INPUTS as u64)
        .map(|n| signing_hash(&spec_payload(n + 2)))
        .collect();
    let inputs = signed_hashes(INPUTS, 8, 1);
    let k_inputs: Vec<([u8; 32], KSig, RecoveryId)> = inputs
        .iter()
        .map(|(h, s)| {
            let (sig, id) = s.to_k256().expect("valid");
            (*h, sig, id)
        })
        .collect();
    let secret = secp256k1::SecretKey::from_byte_array(&spec_secret()).expect("key");
    let s_inputs: Vec<(secp256k1::Message, RecoverableSignature)> = inputs
        .iter()
        .map(|(h, s)| {
            let mut c = [0u8; 64];
            c[..32].copy_from_slice(&s.r);
            c[32..].copy_from_slice(&s.s);
            let id = SRecId::try_from(i32::from(s.v)).expect("recid");
            (
                secp256k1::Message::from_digest(*h),
                RecoverableSignature::from_compact(&c, id).expect("sig"),
            )
        })
        .collect();

    // The SDK's payload type, the same eight-field payload as the core's.
    let sdk_payloads: Vec<onemoney_protocol::TokenIssuePayload> = (0..INPUTS as u64)
        .map(|n| onemoney_protocol::TokenIssuePayload {
            chain_id: 1_212_101,
            nonce: n + 2,
            symbol: "TEST".into(),
            name: "TEST Stablecoin".into(),
            decimals: 18,
            master_authority: Default::default(),
            is_private: false,
            clawback_enabled: true,
        })
        .collect();
    // Same signature as the core on the spec vector: a like-for-like call.
    let sdk_sig = onemoney_protocol::sign_transaction_payload(&sdk_payloads[0], SPEC_KEY_HEX)
        .expect("SDK signs");
    let ours = sign(&spec_payload(2), &key).expect("core signs");
    assert_eq!(
        format!("{:x}", sdk_sig.r),
        hex::encode(ours.r).trim_start_matches('0')
    );

    let mut g = c.benchmark_group("baseline");
    g.bench_function("k256_sign_prehash_recoverable", |b| {
        let mut next = cycle(&hashes);
        b.iter(|| key.sign_prehash_recoverable(black_box(next())))
    });
    g.bench_function("sdk_sign_transaction_payload", |b| {
        let mut next = cycle(&sdk_payloads);
        b.iter(|| {
            onemoney_protocol::sign_transaction_payload(black_box(next()), black_box(SPEC_KEY_HEX))
        })
    });
    g.bench_function("secp256k1_sign_recoverable", |b| {
        let mut next = cycle(&hashes);
        b.iter(|| {
            let msg = secp256k1::Message::from_digest(*black_box(next()));
            secp256k1::SECP256K1.sign_ecdsa_recoverable(&msg, &secret)
        })
    });
    g.bench_function("k256_recover_from_prehash", |b| {
        let mut next = cycle(&k_inputs);
        b.iter(|| {
            let (h, s, id) = next();
            VerifyingKey::recover_from_prehash(black_box(h), black_box(s), *id)
        })
    });
    g.bench_function("secp256k1_recover", |b| {
        let mut next = cycle(&s_inputs);
        b.iter(|| {
            let (m, s) = next();
            secp256k1::SECP256K1.recover_ecdsa(black_box(m), black_box(s))
        })
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(60)
        .noise_threshold(0.03)
}

criterion_group! {
    name = benches;
    config = config();
    targets = core_paths, recovery_routes, baselines
}
criterion_main!(benches);
