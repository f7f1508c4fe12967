//! The targets' ratios, each measured **pairwise**: the two sides of a
//! ratio run in alternating short batches (A then B, then B then A, …), and
//! the ratio is that of each side's fastest tenth of batches (its 10th
//! percentile time per call). Preemption only ever adds time to a batch, so
//! the quick batches are the undisturbed ones; alternating puts both sides
//! through the same clock and cache conditions.
//!
//! Why beside criterion: criterion measures one function for seconds, then
//! the next. On the project's shared 2-core machines the load moves within
//! seconds (other sessions build, fuzz and run QEMU), so two medians taken a
//! few seconds apart differed by up to 1.6× for the same code (bench/ run of
//! 2026-11-30 00:06, load average 2.5 → 4). Interleaving batches of a few
//! milliseconds puts both sides under the same load. Printed beside each
//! ratio: the median and interquartile range of the per-round ratios, which
//! say how disturbed the run was.
//!
//! Run: `cd bench && cargo bench --bench paired` (about 20 s); it writes
//! `target/paired.json`, which `python3 bench/summarize.py` prints.

use std::hint::black_box;
use std::time::{Duration, Instant};

mod common;
use common::{cycle, fixtures, legacy_hash, sdk_payloads};
use tokensign_bench::{
    legacy_json_buffer, native_json_buffer, parse_issue_request, sign_issue_legacy,
    sign_issue_legacy_k256, sign_native, sign_native_k256, spec_k256_key, spec_secret,
    SPEC_KEY_HEX,
};
use tokensign_core::backend::k256 as core_k256;
use tokensign_core::tx::OpType;
use tokensign_core::SigningKey;

/// Rounds per ratio; each round times one batch of each side.
const ROUNDS: usize = 401;
/// How long one side's batch should take (sized from a calibration run).
const BATCH_TIME: Duration = Duration::from_millis(1);

/// One side of a ratio: a name (the criterion bench it matches in
/// `benches/core.rs`) and one call of it.
struct Side<'a> {
    name: &'static str,
    call: Box<dyn FnMut() + 'a>,
}

fn side<'a>(name: &'static str, call: impl FnMut() + 'a) -> Side<'a> {
    Side {
        name,
        call: Box::new(call),
    }
}

/// A measured ratio `B / A` with its target, if the issue sets one.
struct Ratio {
    label: &'static str,
    numerator: &'static str,
    denominator: &'static str,
    /// p10(B) / p10(A), per call: the figure compared with the target.
    quiet: f64,
    /// The per-round ratios' median and quartiles.
    median: f64,
    q1: f64,
    q3: f64,
    /// (limit, true for "at most", false for "at least").
    target: Option<(f64, bool)>,
}

fn time_batch(side: &mut Side<'_>, n: usize) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        (side.call)();
    }
    start.elapsed()
}

/// The number of calls of `side` that take about [`BATCH_TIME`].
fn batch_size(side: &mut Side<'_>) -> usize {
    time_batch(side, 16); // warm up caches and branch predictors
    let per_call = time_batch(side, 64).as_secs_f64() / 64.0;
    ((BATCH_TIME.as_secs_f64() / per_call.max(1e-9)) as usize).clamp(1, 100_000)
}

fn measure(
    label: &'static str,
    mut a: Side<'_>,
    mut b: Side<'_>,
    target: Option<(f64, bool)>,
) -> Ratio {
    let (na, nb) = (batch_size(&mut a), batch_size(&mut b));
    let mut per_call_a = Vec::with_capacity(ROUNDS);
    let mut per_call_b = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        let (ta, tb) = if round % 2 == 0 {
            let ta = time_batch(&mut a, na);
            (ta, time_batch(&mut b, nb))
        } else {
            let tb = time_batch(&mut b, nb);
            (time_batch(&mut a, na), tb)
        };
        per_call_a.push(ta.as_secs_f64() / na as f64);
        per_call_b.push(tb.as_secs_f64() / nb as f64);
    }
    let mut ratios: Vec<f64> = per_call_a
        .iter()
        .zip(&per_call_b)
        .map(|(ta, tb)| tb / ta)
        .collect();
    ratios.sort_by(f64::total_cmp);
    per_call_a.sort_by(f64::total_cmp);
    per_call_b.sort_by(f64::total_cmp);
    Ratio {
        label,
        numerator: b.name,
        denominator: a.name,
        quiet: per_call_b[ROUNDS / 10] / per_call_a[ROUNDS / 10],
        median: ratios[ROUNDS / 2],
        q1: ratios[ROUNDS / 4],
        q3: ratios[3 * ROUNDS / 4],
        target,
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument skips this binary
    // (the filter is meant for criterion's names in `benches/core.rs`).
    if std::env::args().skip(1).any(|a| !a.starts_with('-')) {
        return;
    }
    let f = fixtures();
    let key = &f.key;
    let hashes: Vec<[u8; 32]> = f.payloads.iter().map(legacy_hash).collect();
    let bare_k256 = &spec_k256_key();
    let secret = &secp256k1::SecretKey::from_byte_array(spec_secret()).expect("key");
    let k256_key = &core_k256::Key::from_bytes(&spec_secret()).expect("key");
    let sdk = sdk_payloads(&f);
    tokensign::curve::install_context();

    // Fresh sides for every pair (each owns its cycling cursor and buffer).
    let bare_k256_sign = || {
        let mut next = cycle(&hashes);
        side("sign/k256_sign_prehash_recoverable", move || {
            black_box(bare_k256.sign_prehash_recoverable(black_box(next())).ok());
        })
    };
    let bare_secp_sign = || {
        let mut next = cycle(&hashes);
        side("sign/secp256k1_sign_recoverable", move || {
            let msg = secp256k1::Message::from_digest(*black_box(next()));
            black_box(secp256k1::SECP256K1.sign_ecdsa_recoverable(msg, secret));
        })
    };
    let legacy_issue = || {
        let (mut next, mut out) = (cycle(&f.payload_jsons), legacy_json_buffer());
        side("sign/core_full_sign_path", move || {
            black_box(sign_issue_legacy(black_box(next()), key, &mut out).ok());
        })
    };
    let legacy_issue_k256 = || {
        let (mut next, mut out) = (cycle(&f.payload_jsons), legacy_json_buffer());
        side("sign/core_full_sign_path_k256", move || {
            black_box(sign_issue_legacy_k256(black_box(next()), k256_key, &mut out).ok());
        })
    };
    let sdk_issue = || {
        let mut next = cycle(&sdk.issues);
        side("sign/sdk_sign_transaction_payload", move || {
            black_box(onemoney_protocol::sign_transaction_payload(next(), SPEC_KEY_HEX).ok());
        })
    };
    let sdk_payment = || {
        let mut next = cycle(&sdk.payments);
        side("sign/sdk_sign_transaction_payload_payment", move || {
            black_box(onemoney_protocol::sign_transaction_payload(next(), SPEC_KEY_HEX).ok());
        })
    };
    // libsecp256k1's own types for the same requests, built outside the
    // measured call (as criterion's `recover/secp256k1_recover` does).
    let secp_inputs: Vec<_> = f
        .requests
        .iter()
        .map(|request| {
            let sig = &request.signature;
            let id = secp256k1::ecdsa::RecoveryId::try_from(i32::from(sig.v)).expect("v");
            let mut rs = [0u8; 64];
            rs[..32].copy_from_slice(&sig.r);
            rs[32..].copy_from_slice(&sig.s);
            (
                secp256k1::Message::from_digest(legacy_hash(&request.tx)),
                secp256k1::ecdsa::RecoverableSignature::from_compact(&rs, id).expect("sig"),
            )
        })
        .collect();
    let secp_recover = || {
        let mut next = cycle(&secp_inputs);
        side("recover/secp256k1_recover", move || {
            let (msg, sig) = next();
            black_box(
                secp256k1::SECP256K1
                    .recover_ecdsa(*black_box(msg), sig)
                    .ok(),
            );
        })
    };
    let request_to_signer = || {
        let mut next = cycle(&f.request_jsons);
        side("recover/request_to_signer", move || {
            black_box(
                parse_issue_request(black_box(next()))
                    .and_then(|r| r.signer())
                    .ok(),
            );
        })
    };
    let core_k256_sign = || {
        let mut next = cycle(&hashes);
        side("sign/core_k256", move || {
            black_box(k256_key.sign_hash(black_box(next())).ok());
        })
    };
    let core_secp_sign = || {
        let mut next = cycle(&hashes);
        side("sign/core_libsecp256k1", move || {
            black_box(tokensign_core::sign_hash(black_box(next()), key).ok());
        })
    };

    let at_most = |x| Some((x, true));
    let at_least = |x| Some((x, false));
    let v2_issue = "sign/core_full_sign_path_v2_token_issue";
    let v2_payment = "sign/core_full_sign_path_v2_payment";
    let v2_issue_k256 = "sign/core_full_sign_path_v2_token_issue_k256";
    let v2_payment_k256 = "sign/core_full_sign_path_v2_payment_k256";
    let ratios = [
        measure(
            "full sign path, v1 token issue, libsecp256k1 / bare k256 sign",
            bare_k256_sign(),
            legacy_issue(),
            at_most(0.75),
        ),
        measure(
            "full sign path, v2 token issue, libsecp256k1 / bare k256 sign",
            bare_k256_sign(),
            native(
                v2_issue,
                OpType::TokenIssue,
                &f.payload_jsons,
                Backend::Selected(key),
            ),
            at_most(0.75),
        ),
        measure(
            "full sign path, v2 payment, libsecp256k1 / bare k256 sign",
            bare_k256_sign(),
            native(
                v2_payment,
                OpType::Payment,
                &f.payment_jsons,
                Backend::Selected(key),
            ),
            at_most(0.75),
        ),
        measure(
            "full sign path, v1 token issue, k256 / bare k256 sign",
            bare_k256_sign(),
            legacy_issue_k256(),
            at_most(1.03),
        ),
        measure(
            "full sign path, v2 token issue, k256 / bare k256 sign",
            bare_k256_sign(),
            native(
                v2_issue_k256,
                OpType::TokenIssue,
                &f.payload_jsons,
                Backend::K256(k256_key),
            ),
            at_most(1.03),
        ),
        measure(
            "full sign path, v2 payment, k256 / bare k256 sign",
            bare_k256_sign(),
            native(
                v2_payment_k256,
                OpType::Payment,
                &f.payment_jsons,
                Backend::K256(k256_key),
            ),
            at_most(1.03),
        ),
        measure(
            "SDK call (v1 token issue) / full sign path (v1 token issue, libsecp256k1)",
            legacy_issue(),
            sdk_issue(),
            at_least(2.0),
        ),
        measure(
            "SDK call (v1 payment) / full sign path (v2 payment, libsecp256k1)",
            native(
                v2_payment,
                OpType::Payment,
                &f.payment_jsons,
                Backend::Selected(key),
            ),
            sdk_payment(),
            at_least(2.0),
        ),
        measure(
            "request JSON → signer (libsecp256k1) / bare libsecp256k1 recover",
            secp_recover(),
            request_to_signer(),
            at_most(1.2),
        ),
        measure(
            "core sign, k256 backend / bare k256 sign",
            bare_k256_sign(),
            core_k256_sign(),
            None,
        ),
        measure(
            "core sign, libsecp256k1 backend / bare libsecp256k1 sign",
            bare_secp_sign(),
            core_secp_sign(),
            None,
        ),
        measure(
            "bare libsecp256k1 sign / bare k256 sign",
            bare_k256_sign(),
            bare_secp_sign(),
            None,
        ),
    ];

    println!("| ratio | quiet batches | per-round median (quartiles) | wanted | |");
    println!("|---|---:|---:|---:|---|");
    for r in &ratios {
        let (wanted, verdict) = match r.target {
            Some((limit, true)) => (format!("≤ {limit}"), met(r.quiet <= limit)),
            Some((limit, false)) => (format!("≥ {limit}"), met(r.quiet >= limit)),
            None => (String::new(), ""),
        };
        println!(
            "| {} | {:.3} | {:.3} ({:.3}–{:.3}) | {wanted} | {verdict} |",
            r.label, r.quiet, r.median, r.q1, r.q3
        );
    }
    write_json(&ratios);
}

/// Which of the core's backends a native sign path signs with.
#[derive(Clone, Copy)]
enum Backend<'a> {
    /// The selected one, through `NativeTx::sign` (libsecp256k1 here).
    Selected(&'a SigningKey),
    /// k256, through the same steps (`tokensign_bench::sign_native_k256`).
    K256(&'a core_k256::Key),
}

/// The native (v2) full sign path of `op` over `jsons`, on `backend`.
fn native<'a>(
    name: &'static str,
    op: OpType,
    jsons: &'a [Vec<u8>],
    backend: Backend<'a>,
) -> Side<'a> {
    let (mut next, mut out) = (cycle(jsons), native_json_buffer());
    side(name, move || {
        let doc = black_box(next());
        let len = match backend {
            Backend::Selected(key) => sign_native(op, doc, key, &mut out),
            Backend::K256(key) => sign_native_k256(op, doc, key, &mut out),
        };
        black_box(len.ok());
    })
}

fn met(yes: bool) -> &'static str {
    if yes {
        "met"
    } else {
        "NOT met"
    }
}

/// `target/paired.json`, for `summarize.py`.
fn write_json(ratios: &[Ratio]) {
    let rows: Vec<serde_json::Value> = ratios
        .iter()
        .map(|r| {
            serde_json::json!({
                "label": r.label,
                "numerator": r.numerator,
                "denominator": r.denominator,
                "quiet": r.quiet,
                "median": r.median,
                "q1": r.q1,
                "q3": r.q3,
                "limit": r.target.map(|t| t.0),
                "at_most": r.target.map(|t| t.1),
            })
        })
        .collect();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/target/paired.json");
    let text = serde_json::to_string_pretty(&rows).expect("JSON");
    if let Err(e) = std::fs::write(path, text) {
        eprintln!("could not write {path}: {e}");
    }
}
