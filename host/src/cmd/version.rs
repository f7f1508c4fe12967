//! The version line: the crate's version and the backends it signs and
//! recovers with.

/// The backend that makes signatures: the core's (`k256`, or
/// `libsecp256k1` when built with the feature of that name).
pub const SIGNING_BACKEND: &str = tokensign_core::BACKEND;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_names_the_backends_this_binary_has() {
        let expected = if cfg!(feature = "libsecp256k1") {
            "signing backend: libsecp256k1; recovery: libsecp256k1"
        } else {
            "signing backend: k256; recovery: k256"
        };
        assert!(text().contains(expected), "{}", text());
    }
}
