//! The secp256k1 backends, one chosen at compile time by a cargo feature.
//!
//! | feature | library | when to choose it |
//! |---|---|---|
//! | `k256` (default) | RustCrypto's `k256`, pure Rust | no C compiler for the target; one language to audit |
//! | `libsecp256k1` | Bitcoin Core's libsecp256k1 through the `secp256k1` crate | a firmware that must sign fast in little stack; a server that recovers many signers |
//!
//! Both give the same [`Signature`](crate::Signature) for the same key and
//! hash (RFC 6979 nonce, low-S, `v` the y-parity), and refuse the same
//! inputs with the same [`Error`](crate::Error); `tests/backends.rs` of the
//! core compares them on 100,000 signatures and recoveries. The rest of the
//! core reaches the chosen one only through [`SigningKey`](crate::SigningKey),
//! [`sign_hash`](crate::sign_hash) and [`recover_hash`](crate::recover_hash).
//!
//! **Both features enabled**: libsecp256k1 signs and recovers; k256 is
//! still compiled and reachable as `backend::k256` (for comparisons), at the cost of
//! its code size. A firmware that wants libsecp256k1 builds the core with
//! `default-features = false, features = ["libsecp256k1"]` so that k256 is
//! not linked at all.
//!
//! With libsecp256k1 the caller may install a context in static memory
//! (`backend::libsecp256k1::install`); see that module.

#[cfg(feature = "k256")]
pub mod k256;
#[cfg(feature = "libsecp256k1")]
pub mod libsecp256k1;

#[cfg(not(any(feature = "k256", feature = "libsecp256k1")))]
compile_error!(
    "tokensign-core needs a signing backend: enable the feature `k256` (the default) or `libsecp256k1`"
);

#[cfg(feature = "libsecp256k1")]
pub(crate) use self::libsecp256k1 as selected;

#[cfg(all(feature = "k256", not(feature = "libsecp256k1")))]
pub(crate) use self::k256 as selected;

/// The backend this build signs and recovers with: `"k256"` or
/// `"libsecp256k1"` (e.g. for a `--version` line).
pub const BACKEND: &str = selected::NAME;

/// The key type of the chosen backend.
pub(crate) type Key = selected::Key;

/// `(secret + tweak) mod n` (BIP-32 child derivation), constant time, by the
/// chosen backend; `None` for a scalar not below the order or a zero sum.
pub(crate) use selected::add_secret;

#[cfg(test)]
mod tests {
    #[test]
    fn backend_name_matches_the_features() {
        let expected = if cfg!(feature = "libsecp256k1") {
            "libsecp256k1"
        } else {
            "k256"
        };
        assert_eq!(super::BACKEND, expected);
    }
}
