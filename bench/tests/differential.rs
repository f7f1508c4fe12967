//! Differential test of the recovery routes against k256's own
//! `recover_from_prehash`: the core's lean recovery (k256 backend), its
//! lincomb form and the core's libsecp256k1 backend must give the same
//! `Result` (address or error variant) for every input. (The core's
//! `tests/backends.rs` compares the two backends' signing too.)
//!
//! 100,000 random valid signatures (random keys, random prehashes), and for
//! one in four of them also a mutated case each: another prehash (recovers
//! some other key), the other y-parity, a random `r` (about half are not
//! x-coordinates of curve points), a high `s`. `TOKENSIGN_DIFF_N` changes
//! the count. Runs on both cores.

use rand::{Rng, RngCore, SeedableRng};
use tokensign_bench::recover_k256_reference as k256_recover;
use tokensign_bench::{recover_lean_lincomb, recover_secp256k1};
use tokensign_core::recover::recover_prehash_lean;
use tokensign_core::{recover_hash, sign_hash, Signature};

fn check(hash: &[u8; 32], sig: &Signature) -> bool {
    let reference = k256_recover(hash, sig);
    // The core's selected backend (libsecp256k1 here) agrees too.
    assert_eq!(recover_hash(hash, sig), reference);
    let lean = recover_prehash_lean(hash, sig);
    let secp = recover_secp256k1(hash, sig);
    assert_eq!(
        lean, reference,
        "lean differs: hash {hash:02x?} sig {sig:?}"
    );
    assert_eq!(
        secp, reference,
        "secp256k1 differs: hash {hash:02x?} sig {sig:?}"
    );
    reference.is_ok()
}

fn run(seed: u64, count: usize) -> (usize, usize) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let (mut cases, mut ok) = (0usize, 0usize);
    for i in 0..count {
        let key = tokensign_bench::random_key(&mut rng);
        let mut hash = [0u8; 32];
        rng.fill_bytes(&mut hash);
        let sig = sign_hash(&hash, &key).expect("signing a random hash");
        let me = key.address();
        assert_eq!(recover_prehash_lean(&hash, &sig), Ok(me));
        assert!(check(&hash, &sig));
        cases += 1;
        ok += 1;
        if i % 4 != 0 {
            continue;
        }
        let mutated = match (i / 4) % 4 {
            0 => {
                let mut other = hash;
                rng.fill_bytes(&mut other);
                (other, sig)
            }
            1 => (
                hash,
                Signature {
                    v: 1 - sig.v,
                    ..sig
                },
            ),
            2 => {
                let mut r = [0u8; 32];
                rng.fill_bytes(&mut r);
                (hash, Signature { r, ..sig })
            }
            _ => {
                let mut s = [0u8; 32];
                rng.fill_bytes(&mut s);
                s[0] = rng.gen_range(0x80..=0xff);
                (hash, Signature { s, ..sig })
            }
        };
        // The lincomb form of the lean route agrees too.
        assert_eq!(
            recover_lean_lincomb(&mutated.0, &mutated.1),
            k256_recover(&mutated.0, &mutated.1)
        );
        cases += 1;
        ok += usize::from(check(&mutated.0, &mutated.1));
    }
    (cases, ok)
}

#[test]
fn lean_and_secp256k1_agree_with_k256_on_100k_signatures() {
    let total: usize = std::env::var("TOKENSIGN_DIFF_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let started = std::time::Instant::now();
    let (a, b) = std::thread::scope(|s| {
        let first = s.spawn(|| run(0x5eed_0001, total / 2));
        let second = s.spawn(|| run(0x5eed_0002, total - total / 2));
        (
            first.join().expect("first half"),
            second.join().expect("second half"),
        )
    });
    let (cases, ok) = (a.0 + b.0, a.1 + b.1);
    assert!(cases >= total);
    // Every valid signature recovered, plus some of the mutated cases.
    assert!(ok >= total);
    eprintln!(
        "differential: {total} signatures, {cases} cases ({ok} recovered, {} refused), {:.1} s",
        cases - ok,
        started.elapsed().as_secs_f64()
    );
}
