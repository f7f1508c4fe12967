//! Proves that parsing, signing and writing every operation in both
//! schemes (JSON bodies, RLP encodings and their decoders, single and
//! multisig signatures, recovery), paging its review, and deriving a key
//! from a mnemonic, allocate nothing.
//!
//! A counting `#[global_allocator]` in its own test binary (so it affects
//! nothing else), run with `harness = false` (tests/Cargo.toml): `main` is
//! the only thread, so no test-harness thread can allocate while counting.
//! The counter still only counts allocations made on the measuring thread
//! while measuring is on (a const thread-local flag, which itself never
//! allocates), so it stays sound even if a library started a thread.
//!
//! Everything is run once first (warm-up: k256's precomputed tables, when
//! another workspace member enables them, are built lazily on first use).
//! The transactions are generated before counting (three of each
//! operation, from a fixed seed, at the host's capacities), as are the
//! keys' secrets.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use tokensign_core::hd::{self, DerivationPath, Mnemonic, MAX_PATH_BYTES};
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, sign_as_member, Descriptor, NativeTx};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH, MAX_PAGE_WIDTH};
use tokensign_core::rlp::encode::to_slice;
use tokensign_core::{
    json, signing_key_from_bytes, verify_hash, Address, OpType, Scheme, Transaction,
};
use tokensign_tests::strategies;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static MEASURING: Cell<bool> = const { Cell::new(false) };
}

fn note() {
    // `try_with`: the flag may be gone during thread teardown.
    if MEASURING.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note();
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Counts the allocations (and frees) `f` makes on this thread.
fn count<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    MEASURING.with(|m| m.set(true));
    let r = std::hint::black_box(f());
    MEASURING.with(|m| m.set(false));
    (ALLOCATIONS.load(Ordering::SeqCst) - before, r)
}

const SECRET: [u8; 32] = [
    0x01, 0x83, 0x3a, 0x12, 0x6e, 0xc4, 0x5d, 0x01, 0x91, 0x51, 0x97, 0x48, 0x14, 0x6b, 0x9e, 0x35,
    0x64, 0x7a, 0xab, 0x7f, 0xed, 0x28, 0xde, 0x1c, 0x8e, 0x17, 0x82, 0x49, 0x70, 0xf9, 0x64, 0xa3,
];

/// Buffers of the public sizes, on the stack.
struct Buffers {
    json: [u8; json::MAX_NATIVE_JSON_LEN],
    rlp: [u8; native::max_signed_rlp_len::<256, 32>()],
    page: [u8; 48 + MAX_PAGE_WIDTH],
}

/// Reads the review of `tx` page by page (and writes each page's text).
fn review(tx: &Transaction, scheme: Scheme, descriptor: Descriptor, out: &mut [u8]) -> (u8, bool) {
    let review = Review::new(tx, scheme, descriptor);
    let mut digest = 0u8;
    let mut pages = 0usize;
    for width in [1, DEFAULT_PAGE_WIDTH, MAX_PAGE_WIDTH] {
        for page in review.pages(width) {
            let Ok(n) = page.write_to(out) else {
                return (0, false);
            };
            digest ^= out[n - 1] ^ page.text().len() as u8;
            pages += 1;
        }
    }
    let items = review.items().count();
    (digest, items == review.len() && pages >= 3 * items)
}

/// One transaction, every path: JSON of every shape written and read back,
/// legacy (where the operation has it) and v2 signed, written, read back,
/// recovered, hashed; every RLP form encoded and decoded; a multisig
/// proof combined from two members and checked; the review paged in both
/// schemes; and refusals of truncated input. Returns a digest of what it
/// computed, so the work cannot be optimised away, and whether every step
/// gave the expected result.
fn transaction_path(tx: &Transaction, members: &[[u8; 32]; 2], b: &mut Buffers) -> (u8, bool) {
    let mut ok = true;
    let op = tx.op_type();
    let Ok(key) = signing_key_from_bytes(&SECRET) else {
        return (0, false);
    };
    let me = key.address();
    let mut digest = 0u8;
    // Unsigned JSON.
    let Ok(n) = json::write_document(tx, &mut b.json) else {
        return (1, false);
    };
    ok &= json::parse_document(&b.json[..n]).as_ref() == Ok(tx);
    ok &= json::parse_document::<256, 32>(&b.json[..n - 1]).is_err();
    let Ok(n) = json::write_unsigned(tx, &mut b.json) else {
        return (2, false);
    };
    ok &= json::parse_unsigned(op, &b.json[..n]).as_ref() == Ok(tx);
    // Legacy v1.
    if legacy::supports(op) {
        let Ok(signed) = LegacyTx::sign(tx.clone(), &key) else {
            return (3, false);
        };
        let Ok(n) = json::write_legacy(&signed, &mut b.json) else {
            return (4, false);
        };
        ok &= json::parse_legacy(op, &b.json[..n]).as_ref() == Ok(&signed);
        ok &= signed.signer() == Ok(me);
        let Ok(hash) = signed.tx_hash() else {
            return (5, false);
        };
        digest ^= hash[0];
        let Ok(m) = legacy::encode_signed_value(tx, &mut b.rlp) else {
            return (6, false);
        };
        ok &= legacy::decode_signed_value(op, &b.rlp[..m]).as_ref() == Ok(tx);
        ok &= legacy::decode_signed_value::<256, 32>(op, &b.rlp[..m - 1]).is_err();
        let (d, paged) = review(tx, Scheme::Legacy, Descriptor::Single, &mut b.page);
        digest ^= d;
        ok &= paged;
    } else {
        ok &= LegacyTx::sign(tx.clone(), &key) == Err(tokensign_core::Error::NotInScheme);
    }
    // Native v2, single signer.
    let Ok(signed) = NativeTx::sign(tx.clone(), &key) else {
        return (7, false);
    };
    let Ok(n) = json::write_native(&signed, &mut b.json) else {
        return (8, false);
    };
    ok &= json::parse_native(op, &b.json[..n]).as_ref() == Ok(&signed);
    ok &= json::parse_native::<256, 32>(op, &b.json[..n - 1]).is_err();
    ok &= signed.sender() == Ok(me);
    if let native::Authorization::Single(sig) = &signed.authorization {
        ok &= verify_hash(&signed.signing_hash(), sig, &me).is_ok();
    } else {
        ok = false;
    }
    digest ^= signed.tx_hash()[0];
    let Ok(m) = to_slice(&native::payload_rlp(tx), &mut b.rlp) else {
        return (9, false);
    };
    ok &= native::decode_payload_rlp(op, &b.rlp[..m]).as_ref() == Ok(&signed.tx);
    let Ok(m) = to_slice(&native::unsigned(tx, Descriptor::Single), &mut b.rlp) else {
        return (10, false);
    };
    ok &= native::decode_unsigned(&b.rlp[..m]) == Ok((signed.tx.clone(), Descriptor::Single));
    let Ok(m) = to_slice(
        &native::signed(&signed.tx, &signed.authorization),
        &mut b.rlp,
    ) else {
        return (11, false);
    };
    ok &= native::decode_signed(&b.rlp[..m]).as_ref() == Ok(&signed);
    ok &= native::decode_signed::<256, 32>(&b.rlp[..m - 1]).is_err();
    let (d, paged) = review(&signed.tx, Scheme::Native, Descriptor::Single, &mut b.page);
    digest ^= d;
    ok &= paged;
    // Native v2, two members of a multisig account.
    let account = Address([0xa0; 20]);
    let (Ok(k0), Ok(k1)) = (
        signing_key_from_bytes(&members[0]),
        signing_key_from_bytes(&members[1]),
    ) else {
        return (12, false);
    };
    let (Ok(s0), Ok(s1)) = (
        sign_as_member(tx, account, &k0),
        sign_as_member(tx, account, &k1),
    ) else {
        return (13, false);
    };
    let Ok(multi) = NativeTx::combine(tx.clone(), account, &[s1, s0]) else {
        return (14, false);
    };
    ok &= multi.sender() == Ok(account);
    let Ok(n) = json::write_native(&multi, &mut b.json) else {
        return (15, false);
    };
    ok &= json::parse_native(op, &b.json[..n]).as_ref() == Ok(&multi);
    let Ok(m) = to_slice(&native::signed(&multi.tx, &multi.authorization), &mut b.rlp) else {
        return (16, false);
    };
    ok &= native::decode_signed(&b.rlp[..m]).as_ref() == Ok(&multi);
    let (d, paged) = review(
        &multi.tx,
        Scheme::Native,
        Descriptor::Multisig(account),
        &mut b.page,
    );
    digest ^= d ^ multi.tx_hash()[0];
    ok &= paged;
    (digest ^ b.json[n / 2], ok)
}

/// Three transactions of each operation, generated before counting.
fn samples() -> Vec<Transaction> {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]),
    );
    let mut out = Vec::new();
    for &op in OpType::ALL {
        let strategy = strategies::transaction_for::<256, 32>(op);
        for _ in 0..3 {
            out.push(strategy.new_tree(&mut runner).expect("a value").current());
        }
    }
    out
}

fn all_transactions(
    txs: &[Transaction],
    members: &[[u8; 32]; 2],
    b: &mut Buffers,
) -> (u8, bool, usize) {
    let mut digest = 0u8;
    let mut ok = true;
    let mut failed_at = usize::MAX;
    for (i, tx) in txs.iter().enumerate() {
        let (d, good) = transaction_path(tx, members, b);
        digest ^= d;
        if !good && failed_at == usize::MAX {
            failed_at = i;
        }
        ok &= good;
    }
    (digest, ok, failed_at)
}

/// Hierarchical keys: mnemonic to seed, path text and binary, derivation
/// to a signing key, its address and compressed public key, and the
/// refusals. Returns a digest and whether every step gave the expected
/// result (anvil's first account).
fn hd_path() -> (u8, bool) {
    let mut ok = true;
    let Ok(mnemonic) =
        Mnemonic::parse("test test test test test test test test test test test junk")
    else {
        return (0, false);
    };
    let Ok(seed) = mnemonic.to_seed("") else {
        return (0, false);
    };
    let Ok(path) = DerivationPath::parse("m/44h/60h/0h/0/0") else {
        return (0, false);
    };
    let mut bytes = [0u8; MAX_PATH_BYTES];
    let n = path.write_bytes(&mut bytes).unwrap_or(0);
    ok &= DerivationPath::from_bytes(&bytes[..n]) == Ok(path);
    let Ok(key) = hd::derive_signing_key(seed.as_bytes(), &path) else {
        return (0, false);
    };
    let address = key.address();
    ok &= address
        == Address::parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266").unwrap_or(Address::ZERO);
    let public = key.public_key_compressed();
    let secret = hd::derive_secret(seed.as_bytes(), &path);
    ok &= secret.as_ref().map(|s| s[0]) == Ok(0xac);
    // Refusals build their errors without allocating too.
    ok &= Mnemonic::parse("test test test test test test test test test test test test").is_err();
    ok &= Mnemonic::parse("junk").is_err();
    ok &= mnemonic.to_seed("caf\u{e9}").is_err();
    ok &= DerivationPath::parse("m/44'/60'/0'/0/2147483648").is_err();
    ok &= DerivationPath::from_bytes(&bytes[..n - 1]).is_err();
    ok &= Mnemonic::from_entropy(&[7; 16]).map(|m| m.word_count()) == Ok(12);
    (address.0[0] ^ public[1] ^ seed.as_bytes()[0], ok)
}

fn main() -> ExitCode {
    let txs = samples();
    let pool = strategies::pool();
    let members = [pool[0].secret, pool[1].secret];
    let mut buffers = Box::new(Buffers {
        json: [0; json::MAX_NATIVE_JSON_LEN],
        rlp: [0; native::max_signed_rlp_len::<256, 32>()],
        page: [0; 48 + MAX_PAGE_WIDTH],
    });
    // Warm up: first use may initialise lazy statics.
    let (warm, ok, failed_at) = all_transactions(&txs, &members, &mut buffers);
    let (hd_warm, hd_ok) = hd_path();
    if !ok || !hd_ok {
        eprintln!(
            "no_alloc: the transaction paths ({ok}, first failure: {:?}) or the hd path ({hd_ok}) failed during warm-up",
            txs.get(failed_at)
        );
        println!("test result: FAILED. 0 passed; 1 failed");
        return ExitCode::FAILURE;
    }
    // The counter works: an allocation inside `count` is seen.
    let (seen, v) = count(|| vec![1u8; 64]);
    drop(v);
    if seen == 0 {
        eprintln!("no_alloc: the counting allocator saw nothing (broken test)");
        println!("test result: FAILED. 0 passed; 1 failed");
        return ExitCode::FAILURE;
    }
    let mut failures = 0;
    let mut hd_failures = 0;
    for round in 0..3 {
        let (allocations, (digest, ok)) = count(hd_path);
        if allocations != 0 || !ok || digest != hd_warm {
            eprintln!(
                "no_alloc hd round {round}: {allocations} allocations (want 0), ok {ok}, digest {digest} vs {hd_warm}"
            );
            hd_failures += 1;
        }
    }
    for round in 0..2 {
        let (allocations, (digest, ok, _)) =
            count(|| all_transactions(std::hint::black_box(&txs), &members, &mut buffers));
        if allocations != 0 || !ok || digest != warm {
            eprintln!(
                "no_alloc round {round}: {allocations} allocations (want 0), ok {ok}, digest {digest} vs {warm}"
            );
            failures += 1;
        }
    }
    // Each operation on its own, so a failure names it.
    for (i, tx) in txs.iter().enumerate().step_by(3) {
        let (allocations, (_, ok)) = count(|| transaction_path(tx, &members, &mut buffers));
        if allocations != 0 || !ok {
            eprintln!(
                "no_alloc {}: {allocations} allocations (want 0), ok {ok} (sample {i})",
                tx.op_type()
            );
            failures += 1;
        }
    }
    let verdict = |failed: usize| if failed == 0 { "ok" } else { "FAILED" };
    println!(
        "test no_alloc::every_operation_parse_sign_write_review_allocates_nothing ({} transactions) ... {}",
        txs.len(),
        verdict(failures)
    );
    println!(
        "test no_alloc::hd_derivation_allocates_nothing ... {}",
        verdict(hd_failures)
    );
    let failed = usize::from(failures != 0) + usize::from(hd_failures != 0);
    let result = if failed == 0 { "ok" } else { "FAILED" };
    println!(
        "test result: {result}. {} passed; {failed} failed; 0 ignored",
        2 - failed
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
