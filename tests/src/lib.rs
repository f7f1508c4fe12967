//! Cross-crate tests of `tokensign-core`: shared helpers.
//!
//! - [`vectors`]: the schema and loader of the known-answer files in
//!   `tests/vectors/*.json` (format documented there and in
//!   `tests/vectors/README.md`);
//! - [`strategies`]: proptest generators of every operation and transaction
//!   (valid values, biased to the limits) and of arbitrary or mutated inputs
//!   (for the "never panics" properties);
//! - [`changes`]: every one-field change of a transaction (for the
//!   "every field is signed" properties);
//! - [`pages`]: rebuilds a transaction from review page texts alone;
//! - [`regressions`], [`cases`]: where proptest keeps its regression files,
//!   and how many cases a property runs.

pub mod changes;
pub mod pages;
pub mod strategies;
pub mod vectors;

use std::sync::LazyLock;

use proptest::test_runner::Config;
use tokensign_core::rlp::encode::{to_slice, Encode};
use tokensign_core::{signing_key_from_bytes, Address, SigningKey};

/// The spec's test key as `0x` + 64 hex digits, the form the vector files
/// use. Its home is [`tokensign_fixtures::SPEC_KEY_HEX`].
pub static SPEC_KEY: LazyLock<String> =
    LazyLock::new(|| format!("0x{}", tokensign_fixtures::SPEC_KEY_HEX));

/// Decodes `0x`-prefixed hex; panics (in a test) on malformed input.
pub fn unhex(text: &str) -> Vec<u8> {
    let digits = text
        .strip_prefix("0x")
        .unwrap_or_else(|| panic!("hex without 0x prefix: {text:?}"));
    hex::decode(digits).unwrap_or_else(|e| panic!("bad hex {text:?}: {e}"))
}

/// Decodes `0x`-prefixed hex of exactly `N` bytes.
pub fn unhex_n<const N: usize>(text: &str) -> [u8; N] {
    unhex(text)
        .try_into()
        .unwrap_or_else(|v: Vec<u8>| panic!("expected {N} bytes, got {}: {text}", v.len()))
}

/// `0x` + lowercase hex.
pub fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// A signing key from `0x` + 64 hex digits.
pub fn key_from_hex(text: &str) -> SigningKey {
    signing_key_from_bytes(&unhex_n::<32>(text)).expect("valid secret key")
}

/// The address of a signing key.
pub fn key_address(key: &SigningKey) -> Address {
    key.address()
}

/// The RLP of a core value, in a buffer of exactly its `encoded_len`; panics
/// if `to_slice` writes another length.
pub fn rlp(value: &(impl Encode + ?Sized)) -> Vec<u8> {
    let mut buf = vec![0u8; value.encoded_len()];
    let n = to_slice(value, &mut buf).expect("a buffer of encoded_len bytes fits");
    assert_eq!(n, buf.len(), "to_slice and encoded_len disagree");
    buf
}

/// How many cases a property runs: `PROPTEST_CASES` when it is set (one
/// number for every property, as proptest itself reads it), else `default`
/// times `TOKENSIGN_PROPTEST_SCALE` (default 1). The defaults keep the
/// whole suite within a few minutes on CI's two cores; a long run sets, for
/// example, `TOKENSIGN_PROPTEST_SCALE=40`.
pub fn cases(default: u32) -> u32 {
    let read = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok())
    };
    match read("PROPTEST_CASES") {
        Some(n) => n.max(1),
        None => default.saturating_mul(read("TOKENSIGN_PROPTEST_SCALE").unwrap_or(1).max(1)),
    }
}

/// A proptest configuration: [`cases`]`(default)` cases, regressions kept
/// in `tests/proptest-regressions/<file>.txt`.
pub fn config(file: &'static str, default: u32) -> Config {
    Config {
        cases: cases(default),
        failure_persistence: regressions::persistence(file),
        ..Config::default()
    }
}

/// Proptest's regression files live in `tests/proptest-regressions/` (this
/// crate's directory), one per test file, and are committed.
pub mod regressions {
    use proptest::test_runner::{FailurePersistence, FileFailurePersistence};

    /// Persistence for the test file `name` (without `.rs`). Cargo runs
    /// integration tests with the package directory (`tests/`) as the
    /// working directory, so the relative path lands in the source tree.
    pub fn persistence(name: &'static str) -> Option<Box<dyn FailurePersistence>> {
        let path: &'static str =
            Box::leak(format!("proptest-regressions/{name}.txt").into_boxed_str());
        Some(Box::new(FileFailurePersistence::Direct(path)))
    }
}
