//! Proves that parsing, signing and writing a request, and deriving a key
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

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokensign_core::hd::{self, DerivationPath, Mnemonic, MAX_PATH_BYTES};
use tokensign_core::{
    decode_rlp, encode_rlp, json, recover, sign, signing_hash, signing_key_from_bytes,
    token_address, verify, Address, SignedRequest, MAX_PAYLOAD_JSON_LEN, MAX_REQUEST_JSON_LEN,
    MAX_RLP_LEN,
};

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

const PAYLOAD: &[u8] = br#"{"chain_id":1212101,"nonce":2,"symbol":"TEST","name":"TEST Stablecoin \u00e9 \ud83d\ude00 \"q\"","decimals":18,"master_authority":"0x2045a425D0e131E747f8be2F044413733e412d7d","is_private":false,"clawback_enabled":true}"#;

use tokensign_fixtures::{SPEC_ADDRESS, SPEC_SECRET as SECRET};

/// The whole device path: key, parse, sign, write, read back, recover,
/// hash, plus the RLP codec and the refusal paths. Returns a digest of
/// what it computed, so the work cannot be optimised away, and whether
/// every step gave the expected result.
fn device_path(input: &[u8]) -> (u8, bool) {
    let mut ok = true;
    let Ok(key) = signing_key_from_bytes(&SECRET) else {
        return (0, false);
    };
    let Ok(payload) = json::parse_payload(input) else {
        return (0, false);
    };
    let Ok(request) = SignedRequest::sign(payload, &key) else {
        return (0, false);
    };
    let mut out = [0u8; MAX_REQUEST_JSON_LEN];
    let Ok(n) = json::write_request(&request, &mut out) else {
        return (0, false);
    };
    let parsed = json::parse_request(&out[..n]);
    ok &= parsed.as_ref() == Ok(&request);
    let signer = request.signer();
    ok &= signer == Address::parse(SPEC_ADDRESS);
    let tx = request.tx_hash();
    let hash = signing_hash(&request.payload);
    let mut rlp = [0u8; MAX_RLP_LEN];
    let m = encode_rlp(&request.payload, &mut rlp).unwrap_or(0);
    ok &= decode_rlp(&rlp[..m]).as_ref() == Ok(&request.payload);
    let mut pj = [0u8; MAX_PAYLOAD_JSON_LEN];
    let k = json::write_payload(&request.payload, &mut pj).unwrap_or(0);
    ok &= json::parse_payload(&pj[..k]).as_ref() == Ok(&request.payload);
    ok &= recover(&request.payload, &request.signature) == signer;
    ok &= verify(&request.payload, &request.signature, &Address::ZERO).is_err();
    let token = token_address(
        &request.payload.master_authority(),
        request.payload.symbol(),
    );
    // Refusals build their errors without allocating too.
    ok &= json::parse_payload(b"{\"chain_id\":1,\"bogus\":2}").is_err();
    ok &= json::parse_request(&out[..n - 1]).is_err();
    ok &= decode_rlp(&rlp[..m - 1]).is_err();
    ok &= sign(&request.payload, &key) == Ok(request.signature);
    (tx[0] ^ hash[0] ^ token.0[0] ^ out[n / 2], ok)
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
    // Warm up: first use may initialise lazy statics.
    let (warm, ok) = device_path(PAYLOAD);
    let (hd_warm, hd_ok) = hd_path();
    if !ok || !hd_ok {
        eprintln!(
            "no_alloc: the device path ({ok}) or the hd path ({hd_ok}) failed during warm-up"
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
    for round in 0..3 {
        let (allocations, (digest, ok)) = count(|| device_path(std::hint::black_box(PAYLOAD)));
        if allocations != 0 || !ok || digest != warm {
            eprintln!(
                "no_alloc round {round}: {allocations} allocations (want 0), ok {ok}, digest {digest} vs {warm}"
            );
            failures += 1;
        }
    }
    let verdict = |failed: usize| if failed == 0 { "ok" } else { "FAILED" };
    println!(
        "test no_alloc::parse_sign_write_allocates_nothing ... {}",
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
