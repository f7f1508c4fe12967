//! Public-key recovery from libsecp256k1's constant-time, low-stack
//! operations, without `secp256k1_ecdsa_recover`: the device build's
//! recovery (a token definition's signature check, PROVIDE_DEFINITION).
//!
//! ## The math
//!
//! With `e` the prehash reduced mod n, `R` the curve point whose
//! x-coordinate is `r` and whose y has the parity `v`, the signer's key is
//!
//! ```text
//! Q = r⁻¹·(s·R − e·G) = u₁·G + u₂·R,   u₁ = −e·r⁻¹ mod n,  u₂ = s·r⁻¹ mod n
//! ```
//!
//! Each step is one of libsecp256k1's public operations:
//!
//! - `R`: [`PublicKey::from_slice`] of `0x02`/`0x03 || r` (no point has `r`
//!   as its x-coordinate → [`Error::RecoveryFailed`], as libsecp256k1's own
//!   recovery answers);
//! - `e`: the hash, minus n once if it is not below n (2²⁵⁶ < 2n);
//! - `r⁻¹ = r^(n−2)` (Fermat; n is prime), by square-and-multiply with
//!   [`SecretKey::mul_tweak`]: `r` is non-zero and below n after the core's
//!   form checks, so every power is a valid key;
//! - `u₁·G` by [`PublicKey::from_secret_key`] (the signing path's
//!   constant-time `ecmult_gen`), `u₂·R` by
//!   [`secp256k1::ecdh::shared_secret_point`] (`ecmult_const`: ECDH's point
//!   is the product itself; `PublicKey::mul_tweak` would run Strauss), each
//!   in a frame of its own, then
//!   [`PublicKey::combine_keys`] (the sum at infinity →
//!   [`Error::RecoveryFailed`], libsecp256k1's answer too). `e ≡ 0` makes
//!   `u₁` zero, not a key: then `Q = u₂·R` alone.
//!
//! ## Why
//!
//! `secp256k1_ecdsa_recover` computes `u₁·G + u₂·R` in one Strauss
//! linear combination whose wNAF arrays and odd-multiple tables (their
//! window fixed in the C) take about 5.2 KB of stack on a Cortex-M4: with
//! it, a token definition's check peaked at 6,840 B, over the libsecp256k1
//! firmware's 6 KiB stack budget. The constant-time one-point products
//! here take no more stack than signing, and Strauss, its variable-time
//! field inverse and its verification table are no longer linked (less
//! flash). They cost more instructions (a constant-time product, and 255
//! squarings for the inverse), which a definition's check, once per token
//! per session, can afford (docs/embedded.md, "Protocol 5"). Hosts keep
//! `secp256k1_ecdsa_recover`, which is faster.

use secp256k1::constants::CURVE_ORDER;
use secp256k1::{AllPreallocated, PublicKey, Scalar, Secp256k1, SecretKey};

use super::with_context;
use crate::address::Address;
use crate::error::Error;
use crate::signature::{address_of_uncompressed, Signature};

/// Recovers the signer's address from a prehash and a signature (see the
/// module documentation).
///
/// # Errors
///
/// As [`crate::recover_hash`]: the core's form checks first, then
/// [`Error::RecoveryFailed`] if `r` is the x-coordinate of no curve point
/// or the recovered key is the point at infinity.
#[inline(never)]
pub fn recover_hash(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    sig.check_form()?;
    recover(hash, sig).ok_or(Error::RecoveryFailed)
}

/// The recovery after the form checks (`r`, `s` non-zero and below n: valid
/// keys), `None` where no key has the signature. Not inlined, each step
/// in a frame of its own and no `Error` held (a large type), so that
/// little lies above `ecmult_const`, the deepest C (docs/embedded.md,
/// "Protocol 5").
#[inline(never)]
fn recover(hash: &[u8; 32], sig: &Signature) -> Option<Address> {
    let r_inv = inverse(&sig.r)?;
    let mut u2_r = [0x04; 65];
    if let Some((_, xy)) = u2_r.split_first_mut() {
        u2_times_r(sig, &r_inv, xy)?;
    }
    plus_u1_g(hash, &r_inv, &u2_r)
}

/// `u₂·R`'s coordinates `x || y` into `xy`, `u₂ = s·r⁻¹`; `None` if no
/// point has the x-coordinate `r`.
#[inline(never)]
fn u2_times_r(sig: &Signature, r_inv: &Scalar, xy: &mut [u8]) -> Option<()> {
    let big_r = point_of_r(sig)?;
    let u2 = times_scalar(&sig.s, r_inv)?;
    xy.copy_from_slice(&times_point(&big_r, &u2));
    Some(())
}

/// `a·b mod n` (`a` non-zero and below n), in a frame of its own.
#[inline(never)]
fn times_scalar(a: &[u8; 32], b: &Scalar) -> Option<SecretKey> {
    SecretKey::from_byte_array(*a).ok()?.mul_tweak(b).ok()
}

/// `R`: the point with x-coordinate `r` and y-parity `v`, if there is one.
#[inline(never)]
fn point_of_r(sig: &Signature) -> Option<PublicKey> {
    let mut compressed = [0x02 | sig.v; 33];
    if let Some((_, x)) = compressed.split_first_mut() {
        x.copy_from_slice(&sig.r);
    }
    PublicKey::from_byte_array_compressed(compressed).ok()
}

/// `r⁻¹ mod n` as a tweak.
#[inline(never)]
fn inverse(r: &[u8; 32]) -> Option<Scalar> {
    Some(scalar(&invert(SecretKey::from_byte_array(*r).ok()?)?))
}

/// `k·P`'s coordinates `x || y` (`ecmult_const`), in a frame of its own:
/// the deepest step. Through libsecp256k1's ECDH, whose point is the
/// product itself; `PublicKey::mul_tweak` would run the same product in
/// the variable-time Strauss code, and its stack. Never infinity: `P` has
/// prime order and `k` is not zero.
#[inline(never)]
fn times_point(p: &PublicKey, k: &SecretKey) -> [u8; 64] {
    secp256k1::ecdh::shared_secret_point(p, k)
}

/// The address of `Q = u₁·G + u₂·R` from `u₂·R` (uncompressed),
/// `u₁ = −e·r⁻¹`; of `u₂·R` alone when `e ≡ 0` (the hash is 0 or n: `u₁`
/// is zero, not a key). `None` at infinity.
#[inline(never)]
fn plus_u1_g(hash: &[u8; 32], r_inv: &Scalar, u2_r: &[u8; 65]) -> Option<Address> {
    let u2_r = PublicKey::from_byte_array_uncompressed(*u2_r).ok()?;
    let Ok(e) = SecretKey::from_byte_array(reduce(hash)) else {
        return Some(address_of(&u2_r));
    };
    let u1 = e.negate().mul_tweak(r_inv).ok()?;
    let u1_g = with_context(|secp| times_generator(secp, &u1))?;
    Some(address_of(&PublicKey::combine_keys(&[&u1_g, &u2_r]).ok()?))
}

/// The address of a recovered key, in a frame of its own (keccak's state
/// is not held while the products run).
#[inline(never)]
fn address_of(public: &PublicKey) -> Address {
    address_of_uncompressed(&public.serialize_uncompressed())
}

/// `k·G` (`ecmult_gen`, as in signing), in a frame of its own.
#[inline(never)]
fn times_generator(secp: &Secp256k1<AllPreallocated<'_>>, k: &SecretKey) -> PublicKey {
    PublicKey::from_secret_key(secp, k)
}

/// A key as a tweak (always below n, so never refused).
fn scalar(k: &SecretKey) -> Scalar {
    Scalar::from_be_bytes(k.secret_bytes()).unwrap_or(Scalar::ONE)
}

/// `k⁻¹ = k^(n−2) mod n` by square-and-multiply over the bits of n − 2,
/// most significant first (the top one is set: start from `k`, then one
/// squaring per further bit). Every power of a non-zero `k` is non-zero,
/// so no step is refused.
#[inline(never)]
fn invert(k: SecretKey) -> Option<SecretKey> {
    let base = scalar(&k);
    let mut acc = k;
    let last = CURVE_ORDER.len() - 1;
    for (i, &byte) in CURVE_ORDER.iter().enumerate() {
        // n ends in 0x41: n − 2 only changes the last byte.
        let byte = if i == last { byte - 2 } else { byte };
        let bits = if i == 0 { 7 } else { 8 };
        for bit in (0..bits).rev() {
            acc = acc.mul_tweak(&scalar(&acc)).ok()?;
            if byte >> bit & 1 == 1 {
                acc = acc.mul_tweak(&base).ok()?;
            }
        }
    }
    Some(acc)
}

/// The prehash as a scalar: `hash mod n`, i.e. `hash − n` if `hash ≥ n`
/// (2²⁵⁶ < 2n, so once is enough). Big-endian arrays compare numerically.
fn reduce(hash: &[u8; 32]) -> [u8; 32] {
    if *hash < CURVE_ORDER {
        return *hash;
    }
    let mut out = [0u8; 32];
    let mut borrow = 0u16;
    for ((out, &h), &n) in out.iter_mut().zip(hash).zip(&CURVE_ORDER).rev() {
        let d = u16::from(h).wrapping_sub(u16::from(n)).wrapping_sub(borrow);
        // The low byte is the digit; bit 15 is set exactly on a borrow.
        let [_, digit] = d.to_be_bytes();
        *out = digit;
        borrow = d >> 15;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{recover_hash_strauss, Key};
    use super::*;
    use crate::hash::keccak256;

    /// `n + delta` (wrapping), big-endian, for small deltas.
    fn order_plus(delta: i16) -> [u8; 32] {
        let mut out = CURVE_ORDER;
        let mut carry = i32::from(delta);
        for byte in out.iter_mut().rev() {
            let sum = i32::from(*byte) + carry;
            *byte = sum.rem_euclid(256) as u8;
            carry = sum.div_euclid(256);
        }
        out
    }

    fn small(value: u8) -> [u8; 32] {
        let mut out = [0u8; 32];
        out[31] = value;
        out
    }

    /// Both libsecp256k1 recoveries (and k256's, when built) must agree,
    /// address or error.
    fn recover_all(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
        let lean = recover_hash(hash, sig);
        assert_eq!(
            lean,
            recover_hash_strauss(hash, sig),
            "{sig:?} over {hash:02x?}"
        );
        #[cfg(feature = "k256")]
        assert_eq!(lean, crate::backend::k256::recover_hash(hash, sig));
        lean
    }

    #[test]
    fn reduce_subtracts_the_order_once() {
        assert_eq!(reduce(&order_plus(-1)), order_plus(-1));
        assert_eq!(reduce(&order_plus(0)), [0; 32]);
        assert_eq!(reduce(&order_plus(1)), small(1));
        // A borrow across bytes: n + 0x1ff − n.
        let mut borrowing = small(0xff);
        borrowing[30] = 0x01;
        assert_eq!(reduce(&order_plus(0x1ff)), borrowing);
        // 2²⁵⁶ − 1 − n = 0x14551231950b75fc4402da1732fc9bebe.
        let mut top = [0u8; 32];
        top[15..].copy_from_slice(&[
            0x01, 0x45, 0x51, 0x23, 0x19, 0x50, 0xb7, 0x5f, 0xc4, 0x40, 0x2d, 0xa1, 0x73, 0x2f,
            0xc9, 0xbe, 0xbe,
        ]);
        assert_eq!(reduce(&[0xff; 32]), top);
    }

    #[test]
    fn inverse_times_value_is_one() {
        for value in [small(1), small(2), small(3), order_plus(-1), [0x5a; 32]] {
            let k = SecretKey::from_byte_array(value).unwrap();
            let inverse = invert(k).unwrap();
            let one = inverse.mul_tweak(&scalar(&k)).unwrap();
            assert_eq!(one.secret_bytes(), small(1), "{value:02x?}");
        }
    }

    #[test]
    fn agrees_with_secp256k1_ecdsa_recover() {
        // 0, 1, n − 1, n, n + 1 and 2²⁵⁶ − 1.
        let mut edge_hashes = [-1, 0, 1].map(order_plus).to_vec();
        edge_hashes.extend([[0; 32], small(1), [0xff; 32]]);
        let mut seed = *b"lean libsecp256k1 recovery test!";
        let mut next = || {
            seed = keccak256(&seed);
            seed
        };
        let (mut recovered, mut refused) = (0, 0);
        for i in 0..400usize {
            let secret = next();
            let Ok(key) = Key::from_bytes(&secret) else {
                continue;
            };
            let me = address_of_uncompressed(&key.public_key_uncompressed());
            let hash = edge_hashes.get(i % 12).copied().unwrap_or_else(&mut next);
            let sig = key.sign_hash(&hash).unwrap();
            assert_eq!(recover_all(&hash, &sig), Ok(me));
            // The other parity and other hashes: other keys, or none.
            let other = Signature {
                v: 1 - sig.v,
                ..sig
            };
            assert_ne!(recover_all(&hash, &other), Ok(me));
            for hash in [next(), edge_hashes[i % edge_hashes.len()]] {
                let _ = recover_all(&hash, &sig);
            }
            // Random r (about half are no x-coordinate) and low s.
            let mut s = next();
            s[0] &= 0x7f;
            match recover_all(
                &next(),
                &Signature {
                    r: next(),
                    s,
                    v: (i % 2) as u8,
                },
            ) {
                Ok(_) => recovered += 1,
                Err(Error::RecoveryFailed) => refused += 1,
                Err(e) => assert_eq!(e, Error::SignatureScalarOutOfRange),
            }
        }
        assert!(recovered > 100 && refused > 100, "{recovered} {refused}");
    }

    #[test]
    fn edge_scalars_agree() {
        let half = {
            let mut half = [0u8; 32];
            let mut rest = 0u16;
            for (h, &n) in half.iter_mut().zip(&CURVE_ORDER) {
                let value = rest << 8 | u16::from(n);
                *h = (value / 2) as u8;
                rest = value % 2;
            }
            half
        };
        let scalars = [small(1), small(2), small(5), order_plus(-1), half];
        for r in scalars {
            for s in scalars {
                for hash in [
                    [0u8; 32],
                    small(1),
                    order_plus(0),
                    order_plus(3),
                    [0xff; 32],
                ] {
                    for v in [0, 1] {
                        let _ = recover_all(&hash, &Signature { r, s, v });
                    }
                }
            }
        }
        // x = 5 is on no point: refused, with either parity.
        for v in [0, 1] {
            let sig = Signature {
                r: small(5),
                s: small(1),
                v,
            };
            assert_eq!(recover_all(&small(1), &sig), Err(Error::RecoveryFailed));
        }
    }

    #[test]
    fn the_point_at_infinity_is_refused() {
        // R = G (r = x(G), v its y-parity) and e = s: s·R − e·G = ∞.
        let g = Key::from_bytes(&small(1)).unwrap().public_key_compressed();
        let r: [u8; 32] = g[1..].try_into().unwrap();
        let v = g[0] - 2;
        for (s, hash) in [(small(7), small(7)), (small(7), order_plus(7))] {
            let sig = Signature { r, s, v };
            assert_eq!(recover_all(&hash, &sig), Err(Error::RecoveryFailed));
            // The other parity (R = −G) is a key: −2·7·r⁻¹·G.
            assert!(recover_all(&hash, &Signature { v: 1 - v, ..sig }).is_ok());
        }
        // e = 0 (the hash 0 or n): Q = s·r⁻¹·R alone.
        for hash in [[0u8; 32], order_plus(0)] {
            assert!(recover_all(&hash, &Signature { r, s: small(7), v }).is_ok());
        }
    }
}
