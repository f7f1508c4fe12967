//! secp256k1 in this process: recovering a request's signer through the
//! core's backend, with that backend's context installed once (the core's
//! `recover.rs` is the recovery itself; this is how the host runs it).
//!
//! This is the core's recovery through the core's backend: libsecp256k1
//! with the host feature `libsecp256k1` (on by default; it turns on the
//! core's feature of that name, for signing too), about 2.5 times faster
//! per recovery than k256 on the benchmark machine (BENCHMARKS.md); the
//! core's k256 (its lean recovery) in a `--no-default-features` build. Both refuse the same inputs with the same
//! errors; the core's `tests/backends.rs` compares them on 100,000
//! signatures. With libsecp256k1 the first recovery installs the
//! process's context ([`install_context`]).

use tokensign_core::{Address, Error, Signature};

/// The address that signed the prehash `hash`.
pub fn recover_hash(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    install_context();
    tokensign_core::recover_hash(hash, sig)
}

/// With libsecp256k1, installs the process's global context once: memory
/// that lives as long as the process, blinding seeded from the operating
/// system's random source. Without it, or when another context is already
/// installed, this does nothing (the core then signs with a temporary
/// context per call, at a small cost).
pub fn install_context() {
    #[cfg(feature = "libsecp256k1")]
    {
        use rand::RngCore;
        use tokensign_core::backend::libsecp256k1::{install, Context, InstallError};

        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let mut seed = zeroize::Zeroizing::new([0u8; 32]);
            rand::rngs::OsRng.fill_bytes(&mut seed[..]);
            let context: &'static mut Context = Box::leak(Box::new(Context::new()));
            match install(context, Some(&seed)) {
                Ok(()) | Err(InstallError::AlreadyInstalled) => {}
                Err(e) => tracing::warn!("libsecp256k1 context not installed: {e}"),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, RngCore, SeedableRng};
    use tokensign_core::{sign_hash, SigningKey};

    /// Signatures of random keys and hashes, and altered ones: the same
    /// results as the core's k256 recovery (the reference whichever
    /// backend is selected; the 100,000-signature comparison is the
    /// core's).
    #[test]
    fn agrees_with_k256() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(0x7e57);
        let keys: Vec<SigningKey> = (0..16)
            .map(|_| SigningKey::from_bytes(&rng.gen()).expect("a random scalar is a key"))
            .collect();
        for i in 0..2_000 {
            let mut hash = [0u8; 32];
            rng.fill_bytes(&mut hash);
            let key = &keys[i % keys.len()];
            let sig = sign_hash(&hash, key).unwrap();
            assert_eq!(recover_hash(&hash, &sig), Ok(key.address()));
            let mut other = sig;
            match i % 5 {
                0 => other.v ^= 1,
                1 => other.r[31] ^= 1,
                2 => other.s = [0xff; 32],
                3 => other.v = 27,
                _ => hash[0] ^= 1,
            }
            assert_eq!(
                recover_hash(&hash, &other),
                tokensign_core::backend::k256::recover_hash(&hash, &other),
                "case {i}"
            );
        }
        #[cfg(feature = "libsecp256k1")]
        assert!(tokensign_core::backend::libsecp256k1::installed());
        assert_eq!(
            tokensign_core::BACKEND,
            if cfg!(feature = "libsecp256k1") {
                "libsecp256k1"
            } else {
                "k256"
            }
        );
    }
}
