//! Recovering a request's signer on the host.
//!
//! By default this is the core's recovery (`tokensign_core::recover_hash`,
//! k256 without the redundant second verification). With the host feature
//! `libsecp256k1`, the point arithmetic is libsecp256k1's (the `secp256k1`
//! crate, C), about 2.5 times faster on the benchmark machine
//! (BENCHMARKS.md); the core's form checks run first, so the same inputs
//! are refused with the same errors (libsecp256k1 itself accepts high-S).
//! The two are compared on 100,000 signatures by this module's tests.

use tokensign_core::{Address, Error, Signature};

/// The address that signed the prehash `hash`.
#[cfg(not(feature = "libsecp256k1"))]
pub fn recover_hash(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    tokensign_core::recover_hash(hash, sig)
}

/// The address that signed the prehash `hash` (libsecp256k1 backend).
#[cfg(feature = "libsecp256k1")]
pub fn recover_hash(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    use secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
    // The core's checks: v in {0, 1}, r and s in range, low-S.
    sig.to_k256()?;
    let recid = RecoveryId::try_from(i32::from(sig.v)).map_err(|_| Error::InvalidRecoveryId)?;
    let mut compact = [0u8; 64];
    let (r, s) = compact.split_at_mut(32);
    r.copy_from_slice(&sig.r);
    s.copy_from_slice(&sig.s);
    let rsig = RecoverableSignature::from_compact(&compact, recid)
        .map_err(|_| Error::SignatureScalarOutOfRange)?;
    let key = secp256k1::SECP256K1
        .recover_ecdsa(&secp256k1::Message::from_digest(*hash), &rsig)
        .map_err(|_| Error::RecoveryFailed)?;
    Ok(tokensign_core::address_of_uncompressed(
        &key.serialize_uncompressed(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngCore, SeedableRng};
    use tokensign_core::k256::ecdsa::SigningKey;
    use tokensign_core::{address_of, sign_hash};

    /// k256's own recovery, the reference.
    fn k256_recover(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
        let (ksig, recid) = sig.to_k256()?;
        tokensign_core::k256::ecdsa::VerifyingKey::recover_from_prehash(hash, &ksig, recid)
            .map(|key| address_of(&key))
            .map_err(|_| Error::RecoveryFailed)
    }

    /// Many signatures with the backend in use (100,000 with
    /// libsecp256k1, 2,000 for the core's own recovery, which the core's
    /// tests already compare), plus altered ones: the same result as k256.
    #[test]
    fn agrees_with_k256() {
        let count = if cfg!(feature = "libsecp256k1") {
            100_000
        } else {
            2_000
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(0x7e57);
        let keys: Vec<SigningKey> = (0..16).map(|_| SigningKey::random(&mut rng)).collect();
        for i in 0..count {
            let mut hash = [0u8; 32];
            rng.fill_bytes(&mut hash);
            let key = &keys[i % keys.len()];
            let sig = sign_hash(&hash, key).unwrap();
            assert_eq!(
                recover_hash(&hash, &sig),
                Ok(address_of(key.verifying_key()))
            );
            if i % 8 == 0 {
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
                    k256_recover(&hash, &other),
                    "case {i}"
                );
            }
        }
    }
}
