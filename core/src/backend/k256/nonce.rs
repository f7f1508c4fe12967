//! The nonce of a k256 signature and its blinded inversion.
//!
//! Why not k256's own `sign_prehash_recoverable`: it inverts the nonce `k`
//! with a constant-time exponentiation, about 30 % of a sign on a host
//! (`bench/`: `primitive/k256_scalar_invert` 13.7 µs, the whole sign
//! 44.7 µs), where k256's variable-time inversion takes 4.7 µs. A
//! variable-time inversion must not see a secret, so it is given
//! `k·b` instead of `k`, with `b` a second secret scalar, and
//! `k⁻¹ = b·(k·b)⁻¹`. For a secret `b`, `k·b` is a uniformly random
//! scalar independent of `k`, so the inversion's timing says nothing of
//! `k` (k256 documents `invert_vartime` as unsafe on *unblinded* secrets).
//!
//! `k` is RFC 6979's nonce, produced exactly as ecdsa 0.16's `generate_k`
//! does (HMAC-DRBG over SHA-256 keyed with the secret and the hash, first
//! output that is a valid nonzero scalar), so the signature is the same
//! bytes as before (the spec's vectors and `tests/backends.rs`, 100,000
//! signatures against libsecp256k1, check it). `b` is the same DRBG's next
//! valid output: secret, unpredictable without the key, deterministic (no
//! RNG in `no_std`), two HMACs (about 1 µs) instead of a generator call.
//!
//! Everything else of the signature (`R = k·G`, `r`, `s`, low-S, the
//! recovery id) stays k256's code: [`BlindedNonce`] goes in through k256's
//! `SignPrimitive::try_sign_prehashed`, whose nonce type only has to invert.

use ::k256::elliptic_curve::ops::Invert;
use ::k256::elliptic_curve::subtle::CtOption;
use ::k256::{FieldBytes, NonZeroScalar, Scalar};
use rfc6979::HmacDrbg;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

/// An RFC 6979 nonce with its blinding factor; both are cleared on drop.
pub(super) struct BlindedNonce {
    k: Scalar,
    blinding: Scalar,
}

impl BlindedNonce {
    /// The RFC 6979 nonce (SHA-256, no additional data) of `secret` for the
    /// hash `z`, and the blinding factor after it.
    pub(super) fn rfc6979(secret: &FieldBytes, z: &FieldBytes) -> Self {
        let mut drbg = HmacDrbg::<Sha256>::new(secret, z, &[]);
        let k = next_scalar(&mut drbg);
        let blinding = next_scalar(&mut drbg);
        BlindedNonce { k, blinding }
    }
}

/// The DRBG's next output that is a scalar in `[1, n)`: RFC 6979 3.2 h,
/// the check ecdsa's `generate_k` makes (a retry has probability about
/// 2^-128).
fn next_scalar(drbg: &mut HmacDrbg<Sha256>) -> Scalar {
    loop {
        let mut bytes = Zeroizing::new(FieldBytes::default());
        drbg.fill_bytes(&mut bytes);
        let scalar: Option<NonZeroScalar> = NonZeroScalar::from_repr(*bytes).into();
        if let Some(scalar) = scalar {
            return *scalar;
        }
    }
}

impl AsRef<Scalar> for BlindedNonce {
    fn as_ref(&self) -> &Scalar {
        &self.k
    }
}

impl Invert for BlindedNonce {
    type Output = CtOption<Scalar>;

    /// `k⁻¹ = b·(k·b)⁻¹`, the inversion variable-time on the blinded `k·b`.
    fn invert(&self) -> CtOption<Scalar> {
        let blinded = Zeroizing::new(self.k * self.blinding);
        blinded
            .invert_vartime()
            .map(|inverse| inverse * self.blinding)
    }
}

impl Drop for BlindedNonce {
    fn drop(&mut self) {
        self.k.zeroize();
        self.blinding.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::k256::elliptic_curve::bigint::Encoding;
    use ::k256::elliptic_curve::{Curve, PrimeField};

    fn bytes(fill: u8) -> FieldBytes {
        FieldBytes::from([fill; 32])
    }

    #[test]
    fn the_nonce_is_rfc6979s() {
        for (secret, hash) in [(bytes(1), bytes(2)), (bytes(0x7f), bytes(0xff))] {
            let ours = BlindedNonce::rfc6979(&secret, &hash);
            let n = FieldBytes::from(::k256::Secp256k1::ORDER.to_be_bytes());
            let k = rfc6979::generate_k::<Sha256, _>(&secret, &n, &hash, &[]);
            assert_eq!(ours.k.to_repr(), k);
            assert_ne!(ours.blinding, ours.k);
        }
    }

    #[test]
    fn the_blinded_inverse_is_the_inverse() {
        let nonce = BlindedNonce::rfc6979(&bytes(3), &bytes(4));
        let inverse = Option::<Scalar>::from(nonce.invert()).unwrap();
        assert_eq!(inverse * nonce.k, Scalar::ONE);
        assert_eq!(inverse, Option::<Scalar>::from(nonce.k.invert()).unwrap());
    }
}
