//! The version line: the crate's version and the backends it signs and
//! recovers with. The one place to change when the core names its signing
//! backend (`tokensign_core::BACKEND` or similar): [`SIGNING_BACKEND`].

/// The backend that makes signatures. Today the core signs with k256
/// (RustCrypto) only; when the core exports its backend's name, return it
/// here instead.
pub const SIGNING_BACKEND: &str = "k256";

/// The backend that recovers signers (the node, `verify`): the host
/// feature `libsecp256k1`, else the core's k256 recovery.
pub const RECOVERY_BACKEND: &str = if cfg!(feature = "libsecp256k1") {
    "libsecp256k1"
} else {
    "k256"
};

/// `0.1.0 (signing backend: k256; recovery: k256)`.
pub fn text() -> String {
    format!(
        "{} (signing backend: {SIGNING_BACKEND}; recovery: {RECOVERY_BACKEND})",
        env!("CARGO_PKG_VERSION")
    )
}
