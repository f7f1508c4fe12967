//! One criterion run for the core's paths and the field's baselines, so
//! every ratio in BENCHMARKS.md compares numbers from the same run.
//!
//! Groups, each ordered so that the two sides of a target are measured
//! back to back (the machine is shared and its load drifts):
//! - `sign/*`: bare k256, the core's two backends side by side (k256;
//!   libsecp256k1 with a temporary context, then with the installed one),
//!   bare libsecp256k1, the core's sign and full path with the selected
//!   backend (libsecp256k1 here: the host feature is on), the official
//!   1Money SDK's call;
//! - `recover/*`: libsecp256k1's recover, then the routes to a signer
//!   address (the core's libsecp256k1 and k256 backends, k256's own
//!   recovery), each also from request JSON;
//! - `core/*`: the core's other steps;
//! - `primitive/*`: where a sign's time goes.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use tokensign_bench::{
    recover_k256_reference, recover_lean_lincomb, recover_secp256k1, signed_hashes, spec_k256_key,
    spec_key, spec_payload, spec_secret, SPEC_KEY_HEX, SPEC_PAYLOAD_JSON,
};
use tokensign_core::backend::{k256 as core_k256, libsecp256k1 as core_libsecp};
use tokensign_core::{
    encode_rlp, json, sign, signing_hash, tx_hash, SignedRequest, SigningKey, TokenIssuePayload,
    MAX_REQUEST_JSON_LEN, MAX_RLP_LEN,
};

/// Inputs the benches cycle through, so no single value is measured.
const INPUTS: usize = 64;

fn cycle<'a, T>(items: &'a [T]) -> impl FnMut() -> &'a T + 'a {
    let mut i = 0usize;
    move || {
        i = (i + 1) % items.len();
        &items[i]
    }
}

struct Fixtures {
    /// The core's key: the selected backend (libsecp256k1 in this build).
    key: SigningKey,
    payloads: Vec<TokenIssuePayload>,
    payload_jsons: Vec<Vec<u8>>,
    requests: Vec<SignedRequest>,
    request_jsons: Vec<Vec<u8>>,
}

fn fixtures() -> Fixtures {
    let key = spec_key();
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
        payloads[0]
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
    Fixtures {
        key,
        payloads,
        payload_jsons,
        requests,
        request_jsons,
    }
}

fn sign_paths(c: &mut Criterion) {
    let f = fixtures();
    let key = &f.key;
    let hashes: Vec<[u8; 32]> = f.payloads.iter().map(signing_hash).collect();
    let secret = secp256k1::SecretKey::from_byte_array(spec_secret()).expect("key");
    let bare_k256 = spec_k256_key();
    let k256_key = core_k256::Key::from_bytes(&spec_secret()).expect("key");
    let libsecp_key = core_libsecp::Key::from_bytes(&spec_secret()).expect("key");

    // The SDK's payload type, the same eight-field payloads as the core's.
    let sdk_payloads: Vec<onemoney_protocol::TokenIssuePayload> = f
        .payloads
        .iter()
        .map(|p| onemoney_protocol::TokenIssuePayload {
            chain_id: p.chain_id(),
            nonce: p.nonce(),
            symbol: p.symbol().into(),
            name: p.name().into(),
            decimals: p.decimals(),
            master_authority: Default::default(),
            is_private: p.is_private(),
            clawback_enabled: true,
        })
        .collect();
    // Like for like: the SDK's call gives the core's signature (spec vector).
    let sdk_sig = onemoney_protocol::sign_transaction_payload(&sdk_payloads[0], SPEC_KEY_HEX)
        .expect("SDK signs");
    let ours = &f.requests[0].signature;
    assert_eq!(sdk_sig.r.to_be_bytes::<32>(), ours.r);
    assert_eq!(sdk_sig.s.to_be_bytes::<32>(), ours.s);

    let mut g = c.benchmark_group("sign");
    g.bench_function("k256_sign_prehash_recoverable", |b| {
        let mut next = cycle(&hashes);
        b.iter(|| bare_k256.sign_prehash_recoverable(black_box(next())))
    });
    // The core's backends side by side, same key, same hashes.
    g.bench_function("core_k256", |b| {
        let mut next = cycle(&hashes);
        b.iter(|| k256_key.sign_hash(black_box(next())))
    });
    assert!(!core_libsecp::installed(), "measured before installation");
    g.bench_function("core_libsecp256k1_temporary_context", |b| {
        let mut next = cycle(&hashes);
        b.iter(|| libsecp_key.sign_hash(black_box(next())))
    });
    tokensign::recovery::install_context();
    assert!(core_libsecp::installed());
    g.bench_function("core_libsecp256k1", |b| {
        let mut next = cycle(&hashes);
        b.iter(|| libsecp_key.sign_hash(black_box(next())))
    });
    // Payload JSON in, signed request JSON out; the key is already loaded.
    g.bench_function("core_full_sign_path", |b| {
        let mut next = cycle(&f.payload_jsons);
        let mut out = [0u8; MAX_REQUEST_JSON_LEN];
        b.iter(|| {
            let payload = json::parse_payload(black_box(next()))?;
            let request = SignedRequest::sign(payload, key)?;
            json::write_request(&request, &mut out)
        })
    });
    g.bench_function("core_sign", |b| {
        let mut next = cycle(&f.payloads);
        b.iter(|| sign(black_box(next()), key))
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
            secp256k1::SECP256K1.sign_ecdsa_recoverable(msg, &secret)
        })
    });
    g.finish();
}

fn recovery_routes(c: &mut Criterion) {
    use k256::ecdsa::{RecoveryId, Signature as KSig, VerifyingKey};
    use secp256k1::ecdsa::{RecoverableSignature, RecoveryId as SRecId};

    let f = fixtures();
    // Signatures by 8 random keys over random prehashes.
    let inputs = signed_hashes(INPUTS, 8, 1);
    let k_inputs: Vec<([u8; 32], KSig, RecoveryId)> = inputs
        .iter()
        .map(|(h, s)| {
            let (sig, id) = s.to_k256().expect("valid");
            (*h, sig, id)
        })
        .collect();
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

    let mut g = c.benchmark_group("recover");
    g.bench_function("secp256k1_recover", |b| {
        let mut next = cycle(&s_inputs);
        b.iter(|| {
            let (m, s) = next();
            secp256k1::SECP256K1.recover_ecdsa(*black_box(m), black_box(s))
        })
    });
    g.bench_function("core_libsecp256k1", |b| {
        let mut next = cycle(&inputs);
        b.iter(|| {
            let (h, s) = next();
            recover_secp256k1(black_box(h), black_box(s))
        })
    });
    // Request JSON in, signer address out, with the libsecp backend.
    g.bench_function("request_to_signer_libsecp256k1", |b| {
        let mut next = cycle(&f.request_jsons);
        b.iter(|| {
            let r = json::parse_request(black_box(next()))?;
            recover_secp256k1(&r.signing_hash(), &r.signature)
        })
    });
    // The k256 backend: the core's lean recovery.
    g.bench_function("core_k256", |b| {
        let mut next = cycle(&inputs);
        b.iter(|| {
            let (h, s) = next();
            core_k256::recover_hash(black_box(h), black_box(s))
        })
    });
    g.bench_function("lean_lincomb", |b| {
        let mut next = cycle(&inputs);
        b.iter(|| {
            let (h, s) = next();
            recover_lean_lincomb(black_box(h), black_box(s))
        })
    });
    g.bench_function("request_to_signer_k256", |b| {
        let mut next = cycle(&f.request_jsons);
        b.iter(|| {
            let r = json::parse_request(black_box(next()))?;
            core_k256::recover_hash(&r.signing_hash(), &r.signature)
        })
    });
    g.bench_function("k256_recover_from_prehash", |b| {
        let mut next = cycle(&k_inputs);
        b.iter(|| {
            let (h, s, id) = next();
            VerifyingKey::recover_from_prehash(black_box(h), black_box(s), *id)
        })
    });
    // k256's own recovery (with its second verification), then the address.
    g.bench_function("k256_recover_hash", |b| {
        let mut next = cycle(&inputs);
        b.iter(|| {
            let (h, s) = next();
            recover_k256_reference(black_box(h), black_box(s))
        })
    });
    g.bench_function("request_to_signer", |b| {
        let mut next = cycle(&f.request_jsons);
        b.iter(|| json::parse_request(black_box(next()))?.signer())
    });
    g.finish();
}

fn core_steps(c: &mut Criterion) {
    let f = fixtures();
    let payload = &f.payloads[0];
    let mut g = c.benchmark_group("core");
    g.bench_function("parse_payload", |b| {
        let mut next = cycle(&f.payload_jsons);
        b.iter(|| json::parse_payload(black_box(next())))
    });
    g.bench_function("encode_rlp", |b| {
        let mut out = [0u8; MAX_RLP_LEN];
        b.iter(|| encode_rlp(black_box(payload), &mut out))
    });
    g.bench_function("signing_hash", |b| {
        b.iter(|| signing_hash(black_box(payload)))
    });
    g.bench_function("tx_hash", |b| {
        let r = &f.requests[0];
        b.iter(|| tx_hash(black_box(&r.payload), black_box(&r.signature)))
    });
    g.bench_function("write_request", |b| {
        let r = &f.requests[0];
        let mut out = [0u8; MAX_REQUEST_JSON_LEN];
        b.iter(|| json::write_request(black_box(r), &mut out))
    });
    g.bench_function("parse_request", |b| {
        let mut next = cycle(&f.request_jsons);
        b.iter(|| json::parse_request(black_box(next())))
    });
    g.finish();
}

/// Where a sign's time goes: k256's constant-time scalar inversion (an
/// exponentiation) against its variable-time one, which a signer could use
/// only on a blinded nonce (k·b with a secret b), never on k itself.
fn primitives(c: &mut Criterion) {
    use k256::elliptic_curve::ops::{Invert, MulByGenerator, Reduce};
    use k256::{FieldBytes, ProjectivePoint, Scalar, U256};
    let scalars: Vec<Scalar> = (0..INPUTS as u64)
        .map(|n| {
            let h = signing_hash(&spec_payload(n + 1000));
            <Scalar as Reduce<U256>>::reduce_bytes(&FieldBytes::from(h))
        })
        .collect();
    let mut g = c.benchmark_group("primitive");
    g.bench_function("k256_scalar_invert", |b| {
        let mut next = cycle(&scalars);
        b.iter(|| black_box(next()).invert())
    });
    g.bench_function("k256_scalar_invert_vartime", |b| {
        let mut next = cycle(&scalars);
        b.iter(|| black_box(next()).invert_vartime())
    });
    g.bench_function("k256_mul_by_generator_to_affine", |b| {
        let mut next = cycle(&scalars);
        b.iter(|| ProjectivePoint::mul_by_generator(black_box(next())).to_affine())
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
    targets = sign_paths, recovery_routes, core_steps, primitives
}
criterion_main!(benches);
