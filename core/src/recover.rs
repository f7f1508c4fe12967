//! Lean public-key recovery: the signer's address from a prehash and a
//! signature, without the second verification that k256's
//! `VerifyingKey::recover_from_prehash` performs.
//!
//! ## Why the second verification is redundant
//!
//! Recovery computes `Q = r⁻¹·(s·R − e·G)` where `R` is the curve point
//! whose x-coordinate is `r` and whose y has the parity `v`. Verifying the
//! same signature against `Q` then computes
//! `u₁·G + u₂·Q` with `u₁ = e·s⁻¹`, `u₂ = r·s⁻¹`, which is
//! `e·s⁻¹·G + s⁻¹·(s·R − e·G) = R`, and checks `x(R) mod n = r`. Because
//! `R` was decompressed from `r` itself (and `r < n < p`, so no reduction
//! happens), that check holds for every `Q ≠ ∞`. The verification can only
//! fail where `Q` is the identity, which this module rejects explicitly.
//! The result is the same address for every input, at roughly half the
//! cost.
//!
//! All the form checks of [`Signature::check_form`] apply: `v` ∈ {0, 1}, `r`
//! and `s` non-zero and below the curve order, and low-S.

use k256::ecdsa::VerifyingKey;
use k256::elliptic_curve::ops::{Invert, Reduce};
use k256::elliptic_curve::point::DecompressPoint;
use k256::elliptic_curve::subtle::Choice;
use k256::elliptic_curve::{Group, PrimeField};
use k256::{AffinePoint, FieldBytes, ProjectivePoint, Scalar, U256};

use crate::address::Address;
use crate::error::Error;
use crate::signature::{address_of, Signature};

/// Recovers the signer's address from a 32-byte prehash and a signature.
///
/// Gives the same result as k256's `recover_from_prehash` followed by the
/// address derivation for every
/// input, without verifying the signature a second time against the
/// recovered key (see the module documentation for why that is sound).
///
/// # Errors
///
/// - [`Error::InvalidRecoveryId`] if `v` is not 0 or 1;
/// - [`Error::SignatureScalarOutOfRange`] if `r` or `s` is zero or not below
///   the curve order;
/// - [`Error::HighS`] if `s` is in the upper half of the order;
/// - [`Error::RecoveryFailed`] if `r` is not the x-coordinate of a curve
///   point, or the recovered key is the point at infinity.
pub fn recover_prehash_lean(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    let (ksig, recid) = sig.to_k256()?;
    let r = ksig.r();
    let s = ksig.s();

    // R: the point with x = r and the y-parity of v. `v` is 0 or 1 here, so
    // the x-coordinate is never r + n.
    let r_bytes: FieldBytes = r.to_repr();
    let big_r: Option<AffinePoint> =
        AffinePoint::decompress(&r_bytes, Choice::from(u8::from(recid.is_y_odd()))).into();
    let big_r = ProjectivePoint::from(big_r.ok_or(Error::RecoveryFailed)?);

    // e: the prehash as a scalar, reduced mod n (bits2field is the identity
    // for a 32-byte hash on a 256-bit curve).
    let e = <Scalar as Reduce<U256>>::reduce_bytes(&FieldBytes::from(*hash));

    // r is a NonZeroScalar, so its inverse always exists.
    let r_inv: Scalar = *r.invert();
    let u1 = -(r_inv * e);
    let u2 = r_inv * *s;

    let q = combine(&u1, &big_r, &u2);
    if bool::from(q.is_identity()) {
        return Err(Error::RecoveryFailed);
    }

    let key = VerifyingKey::from_affine(q.to_affine()).map_err(|_| Error::RecoveryFailed)?;
    Ok(address_of(&key))
}

/// `u1·G + u2·R`. With k256's precomputed basepoint tables, `u1·G` from
/// the tables plus a separate `u2·R` is faster (about 0.7 times the time
/// on the benchmark machine) than one two-point linear combination.
#[cfg(feature = "precomputed-tables")]
fn combine(u1: &Scalar, big_r: &ProjectivePoint, u2: &Scalar) -> ProjectivePoint {
    use k256::elliptic_curve::ops::MulByGenerator;
    ProjectivePoint::mul_by_generator(u1) + *big_r * u2
}

/// `u1·G + u2·R`. Without the basepoint tables (a device): two one-point
/// products, each in its own frame, one after the other. One two-point
/// linear combination would share its doublings (fewer instructions), but
/// holds four lookup tables at once (3,840 B of stack, two more than a
/// one-point product): a token definition's check on the k256 firmware
/// peaked 768 B over the sign path's, past its 12 KiB stack budget
/// (docs/embedded.md, "Protocol 5: token definitions on the device").
#[cfg(not(feature = "precomputed-tables"))]
fn combine(u1: &Scalar, big_r: &ProjectivePoint, u2: &Scalar) -> ProjectivePoint {
    product(&ProjectivePoint::GENERATOR, u1) + product(big_r, u2)
}

/// `k·p`, in a frame of its own (see [`combine`]).
#[cfg(not(feature = "precomputed-tables"))]
#[inline(never)]
fn product(p: &ProjectivePoint, k: &Scalar) -> ProjectivePoint {
    *p * k
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::k256::Key;
    use crate::signature::{address_of, recover_hash};
    use k256::ecdsa::Signature as EcdsaSignature;
    use k256::elliptic_curve::sec1::ToEncodedPoint;

    const KEY: &str = "01833a126ec45d0191519748146b9e35647aab7fed28de1c8e17824970f964a3";
    const ORDER: &str = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

    fn key() -> Key {
        let bytes: [u8; 32] = hex::decode(KEY).unwrap().try_into().unwrap();
        Key::from_bytes(&bytes).unwrap()
    }

    /// A distinct digest per `nonce` (the signed value does not matter
    /// here, only that each is a different 32-byte hash).
    fn hash(nonce: u64) -> [u8; 32] {
        if nonce == 2 {
            // The issue spec's eight-field vector.
            return b32("01882eb8bee7e2d0d553a0debc95f5d666d55e481b64ee9c6159b4c50831b9f0");
        }
        if nonce == 177 {
            // The same payload with nonce 177: its r starts with a zero byte.
            return b32("6f5a59f0e4303b5f6731eb933f889d29d250f16b251a4e95099835c46c4bc89c");
        }
        crate::hash::keccak256(&nonce.to_be_bytes())
    }

    fn b32(text: &str) -> [u8; 32] {
        hex::decode(text).unwrap().try_into().unwrap()
    }

    /// The reference: k256's own recovery (recovers, then verifies again).
    fn k256_recover(h: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
        let (ksig, recid) = sig.to_k256()?;
        k256::ecdsa::VerifyingKey::recover_from_prehash(h, &ksig, recid)
            .map(|key| address_of(&key))
            .map_err(|_| Error::RecoveryFailed)
    }

    #[test]
    fn spec_vector_recovers_the_spec_address() {
        let h = hash(2);
        let sig = Signature {
            r: b32("db4741c7f2ce4a2d78e790331075284efaeee0b217e9c9ccf334d3014d98b7bb"),
            s: b32("6ba551adfd0b9d7236298ae267575255e0b54b0d569dc9824d1445d2c546dc9e"),
            v: 1,
        };
        let me = Address::parse("0x2045a425D0e131E747f8be2F044413733e412d7d").unwrap();
        assert_eq!(recover_prehash_lean(&h, &sig), Ok(me));
        // r with a leading zero byte (nonce 177).
        let sig = key().sign_hash(&hash(177)).unwrap();
        assert_eq!(sig.r[0], 0);
        assert_eq!(recover_prehash_lean(&hash(177), &sig), Ok(me));
    }

    #[test]
    fn agrees_with_k256_recovery() {
        let me = address_of(key().as_k256().verifying_key());
        for nonce in 0..200 {
            let h = hash(nonce);
            let sig = key().sign_hash(&h).unwrap();
            assert_eq!(recover_prehash_lean(&h, &sig), Ok(me));
            // The core's public recovery (this one, or libsecp256k1's).
            assert_eq!(recover_hash(&h, &sig), k256_recover(&h, &sig));
            assert_eq!(recover_prehash_lean(&h, &sig), k256_recover(&h, &sig));
            // Wrong parity and another hash: another key, still agreeing.
            let flipped = Signature {
                v: 1 - sig.v,
                ..sig
            };
            assert_eq!(
                recover_prehash_lean(&h, &flipped),
                k256_recover(&h, &flipped)
            );
            let other = hash(nonce + 1_000_000);
            assert_eq!(
                recover_prehash_lean(&other, &sig),
                k256_recover(&other, &sig)
            );
        }
    }

    #[test]
    fn form_checks_match_the_core() {
        let h = hash(2);
        let sig = key().sign_hash(&h).unwrap();
        for v in [2u8, 3, 27, 28, 255] {
            assert_eq!(
                recover_prehash_lean(&h, &Signature { v, ..sig }),
                Err(Error::InvalidRecoveryId)
            );
        }
        let order = b32(ORDER);
        for bad in [[0u8; 32], order, [0xff; 32]] {
            assert_eq!(
                recover_prehash_lean(&h, &Signature { r: bad, ..sig }),
                Err(Error::SignatureScalarOutOfRange)
            );
            assert_eq!(
                recover_prehash_lean(&h, &Signature { s: bad, ..sig }),
                Err(Error::SignatureScalarOutOfRange)
            );
        }
        let (k, _) = sig.to_k256().unwrap();
        let high = EcdsaSignature::from_scalars(k.r().to_bytes(), (-*k.s()).to_bytes()).unwrap();
        let high = Signature {
            s: high.s().to_bytes().into(),
            v: 1 - sig.v,
            ..sig
        };
        assert_eq!(recover_prehash_lean(&h, &high), Err(Error::HighS));
        assert_eq!(k256_recover(&h, &high), Err(Error::HighS));
    }

    #[test]
    fn r_off_the_curve_fails_like_k256() {
        // x = 5: x³ + 7 = 132 is not a square mod p, so no point has it.
        let h = hash(2);
        let mut r = [0u8; 32];
        r[31] = 5;
        let mut s = [0u8; 32];
        s[31] = 1;
        for v in [0, 1] {
            let sig = Signature { r, s, v };
            assert_eq!(recover_prehash_lean(&h, &sig), Err(Error::RecoveryFailed));
            assert_eq!(k256_recover(&h, &sig), Err(Error::RecoveryFailed));
        }
    }

    #[test]
    fn identity_is_rejected() {
        // Q = r⁻¹·(s·R − e·G) is the identity when s·R = e·G. Take R = G
        // (r = x(G), even y so v = 0) and e = s: then Q = ∞.
        let g = ProjectivePoint::GENERATOR
            .to_affine()
            .to_encoded_point(true);
        let r: [u8; 32] = (*g.x().unwrap()).into();
        let v = g.as_bytes()[0] - 2;
        let mut s = [0u8; 32];
        s[31] = 7;
        let sig = Signature { r, s, v };
        let e = s;
        assert_eq!(recover_prehash_lean(&e, &sig), Err(Error::RecoveryFailed));
        assert_eq!(k256_recover(&e, &sig), Err(Error::RecoveryFailed));
    }

    #[test]
    fn hash_is_reduced_mod_n() {
        // A prehash above n is reduced, as in k256.
        let sig = key().sign_hash(&hash(5)).unwrap();
        for h in [[0xff; 32], b32(ORDER), [0u8; 32]] {
            assert_eq!(recover_prehash_lean(&h, &sig), k256_recover(&h, &sig));
        }
    }
}
