//! Signatures over a 32-byte digest: deterministic signing (RFC 6979,
//! low-S), recovery and verification, and public keys, through the build's
//! backend ([`crate::backend`]). The schemes (`legacy`, `native`) decide
//! what digest is signed.

use crate::address::Address;
use crate::backend;
use crate::error::Error;
use crate::hash::keccak256;
use crate::key::SigningKey;

/// The secp256k1 group order n, big-endian.
const ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
];

/// ⌊n / 2⌋, big-endian: the largest low-S `s`.
const HALF_ORDER: [u8; 32] = [
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
];

/// A secp256k1 signature as the network carries it: `r`, `s` as 32-byte
/// big-endian scalars and `v` the y-parity of the nonce point (0 or 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Signature {
    /// The r scalar, big-endian.
    pub r: [u8; 32],
    /// The s scalar, big-endian; low-S for a valid signature.
    pub s: [u8; 32],
    /// The y-parity, 0 (even) or 1 (odd).
    pub v: u8,
}

impl Signature {
    /// All zero: never a valid signature (`r` = 0 fails every check); the
    /// placeholder of a request slot not signed yet.
    pub const ZERO: Signature = Signature {
        r: [0; 32],
        s: [0; 32],
        v: 0,
    };

    /// Checks the signature's form, as every recovery does first: `v` in
    /// {0, 1}, `r` and `s` non-zero and below the curve order, `s` low
    /// (at most ⌊n/2⌋). Plain comparisons of big-endian bytes, the same for
    /// every backend.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecoveryId`], [`Error::SignatureScalarOutOfRange`]
    /// or [`Error::HighS`], checked in that order.
    pub fn check_form(&self) -> Result<(), Error> {
        if self.v > 1 {
            return Err(Error::InvalidRecoveryId);
        }
        // Arrays compare lexicographically: for big-endian bytes, that is
        // numeric order.
        for scalar in [&self.r, &self.s] {
            if *scalar == [0; 32] || *scalar >= ORDER {
                return Err(Error::SignatureScalarOutOfRange);
            }
        }
        if self.s > HALF_ORDER {
            return Err(Error::HighS);
        }
        Ok(())
    }

    /// Checks the signature's form ([`Signature::check_form`]) and converts
    /// it for k256.
    ///
    /// # Errors
    ///
    /// As [`Signature::check_form`].
    #[cfg(feature = "k256")]
    pub fn to_k256(&self) -> Result<(k256::ecdsa::Signature, k256::ecdsa::RecoveryId), Error> {
        self.check_form()?;
        let recid = k256::ecdsa::RecoveryId::new(self.v == 1, false);
        let sig = k256::ecdsa::Signature::from_scalars(self.r, self.s)
            .map_err(|_| Error::SignatureScalarOutOfRange)?;
        Ok((sig, recid))
    }
}

/// Builds a signing key from 32 secret bytes (big-endian scalar):
/// [`SigningKey::from_bytes`].
///
/// The returned key zeroizes its secret when dropped; the caller should
/// zeroize `secret` too.
pub fn signing_key_from_bytes(secret: &[u8; 32]) -> Result<SigningKey, Error> {
    SigningKey::from_bytes(secret)
}

/// The address of a k256 public key. [`SigningKey::address`] is the
/// backend-neutral way; this is for callers holding k256 keys.
#[cfg(feature = "k256")]
pub fn address_of(key: &k256::ecdsa::VerifyingKey) -> Address {
    let point = key.to_encoded_point(false);
    // An uncompressed SEC1 point is always 65 bytes.
    address_of_uncompressed(point.as_bytes().try_into().unwrap_or(&[0; 65]))
}

/// The address of an uncompressed SEC1 public key (`0x04 || x || y`, as
/// other secp256k1 libraries serialise it): the last 20 bytes of
/// keccak256(x || y).
pub fn address_of_uncompressed(point: &[u8; 65]) -> Address {
    let (_, xy) = point.split_first().unwrap_or((&0, &[]));
    let hash = keccak256(xy);
    let mut out = [0u8; 20];
    out.copy_from_slice(hash.get(12..).unwrap_or(&[0; 20]));
    Address(out)
}

/// Signs a 32-byte prehash: RFC 6979 deterministic nonce, low-S, `v` the
/// y-parity. A recovery id of 2 or 3 (probability about 2^-127) is refused
/// with [`Error::SigningFailed`]. Every backend gives the same signature.
pub fn sign_hash(hash: &[u8; 32], key: &SigningKey) -> Result<Signature, Error> {
    key.sign_hash(hash)
}

/// Recovers the signer's address from a prehash and a signature, refusing
/// high-S, `v` outside {0, 1} and out-of-range scalars
/// ([`Signature::check_form`]).
///
/// With k256 this is `recover::recover_prehash_lean`: k256's
/// `recover_from_prehash` verifies the recovered key again, which cannot
/// fail for a non-identity key and doubles the cost. With libsecp256k1 it
/// is `secp256k1_ecdsa_recover`. All agree on every input (unit tests
/// here, 100,000 signatures in `tests/backends.rs`).
pub fn recover_hash(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    #[cfg(fuzzing)]
    if crate::fuzzing::stand_ins() {
        return crate::fuzzing::recover(hash, sig);
    }
    backend::selected::recover_hash(hash, sig)
}

/// Checks that `sig` over `hash` was made by `expected`.
pub fn verify_hash(hash: &[u8; 32], sig: &Signature, expected: &Address) -> Result<(), Error> {
    if recover_hash(hash, sig)? == *expected {
        Ok(())
    } else {
        Err(Error::SignerMismatch)
    }
}

/// The uncompressed form (`0x04 || x || y`) of a compressed SEC1 public
/// key, if it is a point on secp256k1.
pub fn decompress_public_key(key: &[u8; 33]) -> Option<[u8; 65]> {
    if !matches!(key.first(), Some(0x02 | 0x03)) {
        return None;
    }
    backend::selected::decompress(key)
}

/// Whether `key` is a compressed SEC1 public key of a point on secp256k1.
pub fn is_valid_public_key(key: &[u8; 33]) -> bool {
    decompress_public_key(key).is_some()
}

/// The address of a compressed public key, if it is a point on the curve.
pub fn address_of_compressed(key: &[u8; 33]) -> Option<Address> {
    decompress_public_key(key).map(|point| address_of_uncompressed(&point))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "01833a126ec45d0191519748146b9e35647aab7fed28de1c8e17824970f964a3";

    fn key() -> SigningKey {
        let bytes: [u8; 32] = hex::decode(KEY).unwrap().try_into().unwrap();
        signing_key_from_bytes(&bytes).unwrap()
    }

    fn b32(text: &str) -> [u8; 32] {
        hex::decode(text).unwrap().try_into().unwrap()
    }

    /// The issue spec's signing hashes: the eight-field payload at nonce 2,
    /// and at nonce 177 (whose r starts with a zero byte).
    fn spec_hash(nonce: u64) -> [u8; 32] {
        match nonce {
            2 => b32("01882eb8bee7e2d0d553a0debc95f5d666d55e481b64ee9c6159b4c50831b9f0"),
            177 => b32("6f5a59f0e4303b5f6731eb933f889d29d250f16b251a4e95099835c46c4bc89c"),
            _ => crate::hash::keccak256(&nonce.to_be_bytes()),
        }
    }

    #[test]
    fn spec_vectors() {
        let sig = sign_hash(&spec_hash(2), &key()).unwrap();
        assert_eq!(
            hex::encode(sig.r),
            "db4741c7f2ce4a2d78e790331075284efaeee0b217e9c9ccf334d3014d98b7bb"
        );
        assert_eq!(
            hex::encode(sig.s),
            "6ba551adfd0b9d7236298ae267575255e0b54b0d569dc9824d1445d2c546dc9e"
        );
        assert_eq!(sig.v, 1);
        let me = key().address();
        assert_eq!(
            me,
            Address::parse("0x2045a425D0e131E747f8be2F044413733e412d7d").unwrap()
        );
        assert_eq!(recover_hash(&spec_hash(2), &sig), Ok(me));
        assert_eq!(verify_hash(&spec_hash(2), &sig, &me), Ok(()));
        assert_eq!(
            verify_hash(&spec_hash(2), &sig, &Address::ZERO),
            Err(Error::SignerMismatch)
        );
        let sig = sign_hash(&spec_hash(177), &key()).unwrap();
        assert_eq!(
            hex::encode(sig.r),
            "00d2b4c2222421dc3bbd22a3b41e550c11af45fd9ad701e82ce4865372dfe5bd"
        );
        assert_eq!(recover_hash(&spec_hash(177), &sig), Ok(me));
    }

    #[test]
    fn public_keys() {
        let pk = key().public_key_compressed();
        assert!(is_valid_public_key(&pk));
        assert_eq!(address_of_compressed(&pk), Some(key().address()));
        assert_eq!(
            decompress_public_key(&pk),
            Some(key().public_key_uncompressed())
        );
        let mut wrong_tag = pk;
        wrong_tag[0] = 0x04;
        assert!(!is_valid_public_key(&wrong_tag));
        // x = 5 is on no point of the curve (5^3 + 7 is not a square mod p).
        let mut off = [0u8; 33];
        off[0] = 0x02;
        off[32] = 5;
        assert!(!is_valid_public_key(&off));
        assert_eq!(address_of_compressed(&off), None);
    }

    /// n - s, big-endian (s non-zero and below n).
    pub(crate) fn negate(s: &[u8; 32]) -> [u8; 32] {
        let mut out = [0u8; 32];
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let mut d = i16::from(ORDER[i]) - i16::from(s[i]) - borrow;
            borrow = i16::from(d < 0);
            if d < 0 {
                d += 256;
            }
            out[i] = d as u8;
        }
        out
    }

    #[test]
    fn hash_is_reduced_mod_n_before_signing() {
        // RFC 6979 derives the nonce from the hash mod n: h and h + n sign
        // alike, with either backend.
        let mut one = [0u8; 32];
        one[31] = 1;
        let mut order_plus_one = ORDER;
        order_plus_one[31] += 1;
        let sig = sign_hash(&one, &key()).unwrap();
        assert_eq!(sign_hash(&order_plus_one, &key()), Ok(sig));
        assert_eq!(recover_hash(&order_plus_one, &sig), Ok(key().address()));
        assert_ne!(sign_hash(&[0; 32], &key()), Ok(sig));
    }

    #[test]
    fn form_checks_at_the_bounds() {
        let mut sig = Signature {
            r: [0x11; 32],
            s: HALF_ORDER,
            v: 0,
        };
        assert_eq!(sig.check_form(), Ok(()));
        let mut above_half = HALF_ORDER;
        above_half[31] += 1;
        sig.s = above_half;
        assert_eq!(sig.check_form(), Err(Error::HighS));
        assert_eq!(negate(&above_half), HALF_ORDER);
        let mut below_order = ORDER;
        below_order[31] -= 1;
        sig.s = [0x11; 32];
        sig.r = below_order;
        assert_eq!(sig.check_form(), Ok(()));
        sig.r = ORDER;
        assert_eq!(sig.check_form(), Err(Error::SignatureScalarOutOfRange));
        sig.r = [0x11; 32];
        sig.v = 2;
        assert_eq!(sig.check_form(), Err(Error::InvalidRecoveryId));
        // v is checked first, then the range, then low-S.
        sig.s = [0xff; 32];
        assert_eq!(sig.check_form(), Err(Error::InvalidRecoveryId));
        sig.v = 1;
        assert_eq!(sig.check_form(), Err(Error::SignatureScalarOutOfRange));
    }

    #[test]
    fn malformed_signatures_are_refused() {
        let h = spec_hash(2);
        let sig = sign_hash(&h, &key()).unwrap();
        for v in [2u8, 27] {
            assert_eq!(
                recover_hash(&h, &Signature { v, ..sig }),
                Err(Error::InvalidRecoveryId)
            );
        }
        for bad in [[0u8; 32], [0xff; 32]] {
            assert_eq!(
                recover_hash(&h, &Signature { r: bad, ..sig }),
                Err(Error::SignatureScalarOutOfRange)
            );
            assert_eq!(
                recover_hash(&h, &Signature { s: bad, ..sig }),
                Err(Error::SignatureScalarOutOfRange)
            );
        }
        // n - s: the same signature in high-S form.
        let high = Signature {
            s: negate(&sig.s),
            v: 1 - sig.v,
            ..sig
        };
        assert_eq!(recover_hash(&h, &high), Err(Error::HighS));
        // Another hash recovers to another address.
        assert_ne!(recover_hash(&spec_hash(3), &sig).unwrap(), key().address());
        assert_eq!(
            signing_key_from_bytes(&[0; 32]).err(),
            Some(Error::InvalidSecretKey)
        );
    }
}
