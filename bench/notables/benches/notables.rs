//! The core without k256's precomputed tables (as on the firmware), next
//! to bare k256 built the same way, in one criterion run. The main run in
//! `bench/` has the tables on (the SDK's k256 turns them on there).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use k256::ecdsa::{RecoveryId, Signature as KSig, VerifyingKey};
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::recover::recover_prehash_lean;
use tokensign_core::tx::{OpType, Transaction};
use tokensign_core::{json, recover_hash, sign_hash, signing_key_from_bytes};

use tokensign_fixtures::SPEC_SECRET as KEY;

fn payload_json(nonce: u64) -> Vec<u8> {
    tokensign_fixtures::spec_payload8_json(nonce).into_bytes()
}

fn benches(c: &mut Criterion) {
    let key = signing_key_from_bytes(&KEY).expect("key");
    // Bare k256's key, built the same way (no tables), for its baselines.
    let bare_key = k256::ecdsa::SigningKey::from_bytes(&KEY.into()).expect("key");
    let jsons: Vec<Vec<u8>> = (0..64).map(|n| payload_json(n + 2)).collect();
    let payloads: Vec<Transaction> = jsons
        .iter()
        .map(|j| json::parse_unsigned(OpType::TokenIssue, j).expect("payload"))
        .collect();
    let hashes: Vec<[u8; 32]> = payloads
        .iter()
        .map(|p| legacy::signing_hash(p).expect("a v1 signing hash"))
        .collect();
    let sigs: Vec<_> = hashes
        .iter()
        .map(|h| sign_hash(h, &key).expect("sign"))
        .collect();
    let ksigs: Vec<(KSig, RecoveryId)> = sigs.iter().map(|s| s.to_k256().expect("k256")).collect();
    // The request body buffer: the core's limit is tens of KiB (a batch of
    // 256 payments), too large for the stack.
    let mut out = vec![0u8; json::MAX_LEGACY_JSON_LEN];

    let mut i = 0usize;
    let mut next = move || {
        i = (i + 1) % 64;
        i
    };
    let mut g = c.benchmark_group("notables");
    g.bench_function("k256_sign_prehash_recoverable", |b| {
        b.iter(|| bare_key.sign_prehash_recoverable(black_box(&hashes[next()])))
    });
    g.bench_function("core_sign", |b| {
        b.iter(|| sign_hash(&legacy::signing_hash(black_box(&payloads[next()]))?, &key))
    });
    g.bench_function("core_full_sign_path", |b| {
        b.iter(|| {
            let p = json::parse_unsigned(OpType::TokenIssue, black_box(&jsons[next()]))?;
            let r: LegacyTx = LegacyTx::sign(p, &key)?;
            json::write_legacy(&r, &mut out)
        })
    });
    g.bench_function("k256_recover_from_prehash", |b| {
        b.iter(|| {
            let n = next();
            VerifyingKey::recover_from_prehash(&hashes[n], &ksigs[n].0, ksigs[n].1)
        })
    });
    g.bench_function("core_recover_hash", |b| {
        b.iter(|| {
            let n = next();
            recover_hash(black_box(&hashes[n]), &sigs[n])
        })
    });
    g.bench_function("core_recover_lean", |b| {
        b.iter(|| {
            let n = next();
            recover_prehash_lean(black_box(&hashes[n]), &sigs[n])
        })
    });
    g.finish();
}

criterion_group! {
    name = notables;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(60);
    targets = benches
}
criterion_main!(notables);
