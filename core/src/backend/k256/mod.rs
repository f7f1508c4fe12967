//! RustCrypto's `k256`: the pure-Rust backend, the default.
//!
//! Signing is k256's ECDSA (RFC 6979, low-S); on 64-bit targets with the
//! nonce's inversion blinded and variable-time (`nonce.rs`), about 9 %
//! faster on an x86-64 host. Not on 32-bit targets: on the Cortex-M4
//! (QEMU test, 2026-11-30) the blinded sign took 3,125,417 instructions
//! against k256's own 2,872,160 (+8.8 %: without basepoint tables the
//! inversion is a small share of a sign, and the blinding factor's HMACs
//! run on the compact SHA-256). Both give the same signature;
//! recovery is the core's lean recovery ([`crate::recover::recover_prehash_lean`]), which skips
//! the redundant second verification of k256's own.

#[cfg(target_pointer_width = "64")]
mod nonce;

use core::fmt;

#[cfg(target_pointer_width = "64")]
use ::k256::ecdsa::hazmat::SignPrimitive;
use ::k256::ecdsa::{RecoveryId, SigningKey as K256Key};
use ::k256::elliptic_curve::ops::Reduce;
use ::k256::elliptic_curve::PrimeField;
use ::k256::{FieldBytes, NonZeroScalar, Scalar, U256};
use zeroize::Zeroizing;

use crate::address::Address;
use crate::error::Error;
use crate::signature::Signature;

#[cfg(target_pointer_width = "64")]
use nonce::BlindedNonce;

/// The backend's name, as [`crate::BACKEND`] reports it.
pub const NAME: &str = "k256";

/// The uncompressed SEC1 form of a compressed public key, if it is a point
/// on the curve.
pub fn decompress(key: &[u8; 33]) -> Option<[u8; 65]> {
    let key = ::k256::ecdsa::VerifyingKey::from_sec1_bytes(key).ok()?;
    <[u8; 65]>::try_from(key.to_encoded_point(false).as_bytes()).ok()
}

/// `(secret + tweak) mod n` in constant-time scalar arithmetic: `None` if
/// either is not below the curve order or the sum is zero (BIP-32's
/// invalid child).
pub fn add_secret(secret: &[u8; 32], tweak: &[u8; 32]) -> Option<Zeroizing<[u8; 32]>> {
    let s: Option<Scalar> = Scalar::from_repr((*secret).into()).into();
    let t: Option<Scalar> = Scalar::from_repr((*tweak).into()).into();
    let (s, t) = (Zeroizing::new(s?), Zeroizing::new(t?));
    let sum = Zeroizing::new(*s + *t);
    let sum: Option<NonZeroScalar> = NonZeroScalar::new(*sum).into();
    Some(Zeroizing::new(sum?.to_repr().into()))
}

/// A k256 signing key. Its scalar is zeroized when dropped (k256 does it).
#[derive(Clone)]
pub struct Key(K256Key);

impl Key {
    /// The key of a 32-byte big-endian secret scalar.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSecretKey`] if the scalar is zero or not below the
    /// curve order.
    pub fn from_bytes(secret: &[u8; 32]) -> Result<Self, Error> {
        K256Key::from_bytes(secret.into())
            .map(Key)
            .map_err(|_| Error::InvalidSecretKey)
    }

    /// The public key, uncompressed SEC1: `0x04 || x || y`.
    pub fn public_key_uncompressed(&self) -> [u8; 65] {
        let point = self.0.verifying_key().to_encoded_point(false);
        // An uncompressed SEC1 point is always 65 bytes.
        <[u8; 65]>::try_from(point.as_bytes()).unwrap_or([0; 65])
    }

    /// The public key, compressed SEC1: `0x02`/`0x03` (y-parity) `|| x`.
    pub fn public_key_compressed(&self) -> [u8; 33] {
        let point = self.0.verifying_key().to_encoded_point(true);
        // A compressed SEC1 point is always 33 bytes.
        <[u8; 33]>::try_from(point.as_bytes()).unwrap_or([0; 33])
    }

    /// The k256 key itself, for callers that compare against k256.
    pub fn as_k256(&self) -> &K256Key {
        &self.0
    }

    /// Signs a 32-byte prehash: RFC 6979 deterministic nonce, low-S, `v` the
    /// y-parity.
    ///
    /// The hash is reduced mod n first. RFC 6979 (3.2 d, `bits2octets`)
    /// derives the nonce from the *reduced* hash, as libsecp256k1 does;
    /// ecdsa 0.16 (k256 0.13) feeds the unreduced bytes to its nonce
    /// generator, so for a hash ≥ n (probability about 2^-128) it would
    /// pick another nonce. The signature equation reduces the hash anyway,
    /// so this changes nothing else (`tests/backends.rs` checks hashes n,
    /// n + 1 and 2^256 − 1).
    ///
    /// # Errors
    ///
    /// [`Error::SigningFailed`] for a recovery id of 2 or 3 (probability
    /// about 2^-127), which `v` cannot express.
    pub fn sign_hash(&self, hash: &[u8; 32]) -> Result<Signature, Error> {
        let reduced = <Scalar as Reduce<U256>>::reduce_bytes(&FieldBytes::from(*hash)).to_bytes();
        // k256's signing with the nonce's inversion blinded (nonce.rs says
        // why); the same bytes as `sign_prehash_recoverable(&reduced)`.
        #[cfg(target_pointer_width = "64")]
        let (sig, recid) = {
            let secret = self.0.as_nonzero_scalar();
            let nonce = BlindedNonce::rfc6979(&Zeroizing::new(secret.to_repr()), &reduced);
            let (sig, recid) = secret
                .try_sign_prehashed(nonce, &reduced)
                .map_err(|_| Error::SigningFailed)?;
            (sig, recid.ok_or(Error::SigningFailed)?)
        };
        #[cfg(not(target_pointer_width = "64"))]
        let (sig, recid) = self
            .0
            .sign_prehash_recoverable(&reduced)
            .map_err(|_| Error::SigningFailed)?;
        // k256 already returns low-S; normalise defensively and flip the
        // parity with it so the pair stays consistent.
        let (sig, recid) = match sig.normalize_s() {
            Some(low) => (
                low,
                RecoveryId::new(!recid.is_y_odd(), recid.is_x_reduced()),
            ),
            None => (sig, recid),
        };
        if recid.is_x_reduced() {
            return Err(Error::SigningFailed);
        }
        let (r, s) = sig.split_bytes();
        Ok(Signature {
            r: r.into(),
            s: s.into(),
            v: u8::from(recid.is_y_odd()),
        })
    }
}

impl fmt::Debug for Key {
    /// Never the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("k256::Key").finish_non_exhaustive()
    }
}

/// Recovers the signer's address from a prehash and a signature: the
/// core's lean recovery, [`crate::recover::recover_prehash_lean`].
///
/// # Errors
///
/// As [`crate::recover_hash`].
pub fn recover_hash(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    crate::recover::recover_prehash_lean(hash, sig)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The blinded signing gives k256's own signature, byte for byte:
        /// the same RFC 6979 nonce, so the same (r, s, v).
        #[test]
        fn signs_as_k256_itself(secret in any::<[u8; 32]>(), hash in any::<[u8; 32]>()) {
            let Ok(key) = Key::from_bytes(&secret) else { return Ok(()) };
            let reduced = <Scalar as Reduce<U256>>::reduce_bytes(&FieldBytes::from(hash)).to_bytes();
            let (sig, recid) = key.0.sign_prehash_recoverable(&reduced).unwrap();
            let ours = key.sign_hash(&hash).unwrap();
            prop_assert_eq!(&ours.r[..], &sig.r().to_bytes()[..]);
            prop_assert_eq!(&ours.s[..], &sig.s().to_bytes()[..]);
            prop_assert_eq!(ours.v, u8::from(recid.is_y_odd()));
        }
    }
}
