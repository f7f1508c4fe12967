//! One criterion run for the core's paths and the field's baselines, so
//! every ratio in BENCHMARKS.md compares numbers from the same run.
//!
//! Groups, each ordered so that the two sides of a target are measured
//! back to back (the machine is shared and its load drifts):
//! - `sign/*`: bare k256, the core's two backends side by side (k256;
//!   libsecp256k1 with a temporary context, then with the installed one),
//!   the core's full sign path with the selected backend (libsecp256k1
//!   here: the host feature is on) for the legacy v1 token issue
//!   (`core_full_sign_path`) and for native v2 a token issue and a payment
//!   (`core_full_sign_path_v2_*`), each also with the k256 backend
//!   (`*_k256`), the core's sign, the official 1Money
//!   SDK's call for a token issue and a payment (v1: the SDK signs no v2),
//!   bare libsecp256k1;
//! - `recover/*`: libsecp256k1's recover, then the routes to a signer
//!   address (the core's libsecp256k1 and k256 backends, k256's own
//!   recovery), each also from v1 request JSON;
//! - `core/*`: the core's other steps, for the legacy token issue;
//! - `primitive/*`: where a sign's time goes.
//!
//! The bench names are those of the issue-only core; what they measure is
//! the same: `core/parse_payload` is `json::parse_unsigned` of a token
//! issue, `encode_rlp` is `legacy::encode_signed_value`, `write_request` /
//! `parse_request` are `json::write_legacy` / `json::parse_legacy`, and
//! `sign/core_sign` is `sign_hash` over `legacy::signing_hash`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use tokensign_bench::{
    legacy_json_buffer, native_json_buffer, parse_issue, parse_issue_request,
    recover_k256_reference, recover_lean_lincomb, recover_secp256k1, sign_issue_legacy,
    sign_issue_legacy_k256, sign_native, sign_native_k256, signed_hashes, spec_k256_key,
    spec_payload, spec_secret, SPEC_KEY_HEX,
};
use tokensign_core::backend::{k256 as core_k256, libsecp256k1 as core_libsecp};
use tokensign_core::legacy;
use tokensign_core::sign_hash;
use tokensign_core::tx::{OpType, Transaction};
mod common;
use common::{cycle, fixtures, legacy_hash, sdk_payloads, INPUTS};

fn sign_paths(c: &mut Criterion) {
    let f = fixtures();
    let key = &f.key;
    let hashes: Vec<[u8; 32]> = f.payloads.iter().map(legacy_hash).collect();
    let secret = secp256k1::SecretKey::from_byte_array(spec_secret()).expect("key");
    let bare_k256 = spec_k256_key();
    let k256_key = core_k256::Key::from_bytes(&spec_secret()).expect("key");
    let libsecp_key = core_libsecp::Key::from_bytes(&spec_secret()).expect("key");
    let sdk = sdk_payloads(&f);

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
    tokensign::curve::install_context();
    assert!(core_libsecp::installed());
    g.bench_function("core_libsecp256k1", |b| {
        let mut next = cycle(&hashes);
        b.iter(|| libsecp_key.sign_hash(black_box(next())))
    });
    // Unsigned JSON in, request JSON out (parse and check, encode, hash,
    // sign, write); the key is already loaded. Each path twice, back to
    // back: the selected backend (libsecp256k1), then the k256 backend.
    // Legacy v1 token issue:
    g.bench_function("core_full_sign_path", |b| {
        let mut next = cycle(&f.payload_jsons);
        let mut out = legacy_json_buffer();
        b.iter(|| sign_issue_legacy(black_box(next()), key, &mut out))
    });
    g.bench_function("core_full_sign_path_k256", |b| {
        let mut next = cycle(&f.payload_jsons);
        let mut out = legacy_json_buffer();
        b.iter(|| sign_issue_legacy_k256(black_box(next()), &k256_key, &mut out))
    });
    // Native v2, the same token issues (signed with eight fields):
    g.bench_function("core_full_sign_path_v2_token_issue", |b| {
        let mut next = cycle(&f.payload_jsons);
        let mut out = native_json_buffer();
        b.iter(|| sign_native(OpType::TokenIssue, black_box(next()), key, &mut out))
    });
    g.bench_function("core_full_sign_path_v2_token_issue_k256", |b| {
        let mut next = cycle(&f.payload_jsons);
        let mut out = native_json_buffer();
        b.iter(|| sign_native_k256(OpType::TokenIssue, black_box(next()), &k256_key, &mut out))
    });
    // Native v2, the spec's payment with its memo:
    g.bench_function("core_full_sign_path_v2_payment", |b| {
        let mut next = cycle(&f.payment_jsons);
        let mut out = native_json_buffer();
        b.iter(|| sign_native(OpType::Payment, black_box(next()), key, &mut out))
    });
    g.bench_function("core_full_sign_path_v2_payment_k256", |b| {
        let mut next = cycle(&f.payment_jsons);
        let mut out = native_json_buffer();
        b.iter(|| sign_native_k256(OpType::Payment, black_box(next()), &k256_key, &mut out))
    });
    // Transaction in, signature out (legacy: hash, sign).
    g.bench_function("core_sign", |b| {
        let mut next = cycle(&f.payloads);
        b.iter(|| sign_hash(&legacy::signing_hash(black_box(next()))?, key))
    });
    // The SDK's call: payload in, signature out (hash, sign).
    g.bench_function("sdk_sign_transaction_payload", |b| {
        let mut next = cycle(&sdk.issues);
        b.iter(|| {
            onemoney_protocol::sign_transaction_payload(black_box(next()), black_box(SPEC_KEY_HEX))
        })
    });
    g.bench_function("sdk_sign_transaction_payload_payment", |b| {
        let mut next = cycle(&sdk.payments);
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
            let r = parse_issue_request(black_box(next()))?;
            recover_secp256k1(&r.signing_hash()?, &r.signature)
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
            let r = parse_issue_request(black_box(next()))?;
            core_k256::recover_hash(&r.signing_hash()?, &r.signature)
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
        b.iter(|| parse_issue_request(black_box(next()))?.signer())
    });
    g.finish();
}

/// The core's steps of the legacy token issue, each alone (the names are
/// the ones the issue-only core had, so that runs compare across it).
fn core_steps(c: &mut Criterion) {
    let f = fixtures();
    let payload = &f.payloads[0];
    let mut g = c.benchmark_group("core");
    g.bench_function("parse_payload", |b| {
        let mut next = cycle(&f.payload_jsons);
        b.iter(|| parse_issue(black_box(next())))
    });
    g.bench_function("encode_rlp", |b| {
        let mut out = vec![0u8; <Transaction>::MAX_PAYLOAD_WITH_MEMO_RLP_LEN];
        b.iter(|| legacy::encode_signed_value(black_box(payload), &mut out))
    });
    g.bench_function("signing_hash", |b| {
        b.iter(|| legacy::signing_hash(black_box(payload)))
    });
    g.bench_function("tx_hash", |b| {
        let r = &f.requests[0];
        b.iter(|| legacy::tx_hash(black_box(&r.tx), black_box(&r.signature)))
    });
    g.bench_function("write_request", |b| {
        let r = &f.requests[0];
        let mut out = legacy_json_buffer();
        b.iter(|| tokensign_core::json::write_legacy(black_box(r), &mut out))
    });
    g.bench_function("parse_request", |b| {
        let mut next = cycle(&f.request_jsons);
        b.iter(|| parse_issue_request(black_box(next())))
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
            let h = legacy_hash(&spec_payload(n + 1000));
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
