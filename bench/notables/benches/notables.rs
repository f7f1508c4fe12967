//! The core without k256's precomputed tables (as on the firmware), next
//! to bare k256 built the same way, in one criterion run. The main run in
//! `bench/` has the tables on (the SDK's k256 turns them on there).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use k256::ecdsa::{RecoveryId, Signature as KSig, VerifyingKey};
use tokensign_core::recover::recover_prehash_lean;
use tokensign_core::{
    json, recover_hash, sign, signing_hash, signing_key_from_bytes, SignedRequest,
    MAX_REQUEST_JSON_LEN,
};

use tokensign_fixtures::SPEC_SECRET as KEY;

fn payload_json(nonce: u64) -> Vec<u8> {
    tokensign_fixtures::spec_payload8_json(nonce).into_bytes()
}

fn benches(c: &mut Criterion) {
    let key = signing_key_from_bytes(&KEY).expect("key");
    let jsons: Vec<Vec<u8>> = (0..64).map(|n| payload_json(n + 2)).collect();
    let payloads: Vec<_> = jsons
        .iter()
        .map(|j| json::parse_payload(j).expect("payload"))
        .collect();
    let hashes: Vec<[u8; 32]> = payloads.iter().map(signing_hash).collect();
    let sigs: Vec<_> = payloads
        .iter()
        .map(|p| sign(p, &key).expect("sign"))
        .collect();
    let ksigs: Vec<(KSig, RecoveryId)> = sigs.iter().map(|s| s.to_k256().expect("k256")).collect();

    let mut i = 0usize;
    let mut next = move || {
        i = (i + 1) % 64;
        i
    };
    let mut g = c.benchmark_group("notables");
    g.bench_function("k256_sign_prehash_recoverable", |b| {
        b.iter(|| key.sign_prehash_recoverable(black_box(&hashes[next()])))
    });
    g.bench_function("core_sign", |b| {
        b.iter(|| sign(black_box(&payloads[next()]), &key))
    });
    g.bench_function("core_full_sign_path", |b| {
        let mut out = [0u8; MAX_REQUEST_JSON_LEN];
        b.iter(|| {
            let p = json::parse_payload(black_box(&jsons[next()]))?;
            let r = SignedRequest::sign(p, &key)?;
            json::write_request(&r, &mut out)
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
