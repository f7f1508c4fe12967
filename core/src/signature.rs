//! Signatures over a 32-byte digest: deterministic signing (RFC 6979,
//! low-S), recovery and verification, and the public-key helpers. The
//! schemes (`legacy`, `native`) decide what digest is signed.

use k256::ecdsa::{RecoveryId, Signature as EcdsaSignature, SigningKey, VerifyingKey};

use crate::address::Address;
use crate::error::Error;
use crate::hash::keccak256;

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
    /// Checks the signature's form and converts it for k256: `v` in {0, 1},
    /// `r` and `s` non-zero and below the curve order, `s` low.
    pub fn to_k256(&self) -> Result<(EcdsaSignature, RecoveryId), Error> {
        let recid = match self.v {
            0 => RecoveryId::new(false, false),
            1 => RecoveryId::new(true, false),
            _ => return Err(Error::InvalidRecoveryId),
        };
        let sig = EcdsaSignature::from_scalars(self.r, self.s)
            .map_err(|_| Error::SignatureScalarOutOfRange)?;
        if sig.normalize_s().is_some() {
            return Err(Error::HighS);
        }
        Ok((sig, recid))
    }
}

/// Builds a signing key from 32 secret bytes (big-endian scalar).
///
/// The returned key zeroizes its scalar when dropped; the caller should
/// zeroize `secret` too.
pub fn signing_key_from_bytes(secret: &[u8; 32]) -> Result<SigningKey, Error> {
    SigningKey::from_bytes(secret.into()).map_err(|_| Error::InvalidSecretKey)
}

/// The address of a public key: the last 20 bytes of keccak256 of its
/// uncompressed form without the 0x04 prefix.
pub fn address_of(key: &VerifyingKey) -> Address {
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
/// y-parity. A recovery id of 2 or 3 (probability about 2^-127) is refused.
pub fn sign_hash(hash: &[u8; 32], key: &SigningKey) -> Result<Signature, Error> {
    let (sig, recid) = key
        .sign_prehash_recoverable(hash)
        .map_err(|_| Error::SigningFailed)?;
    // k256 already returns low-S; normalise defensively and flip the parity
    // with it so the pair stays consistent.
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

/// Recovers the signer's address from a prehash and a signature, refusing
/// high-S, `v` outside {0, 1} and out-of-range scalars.
///
/// This is [`crate::recover::recover_prehash_lean`]: k256's
/// `recover_from_prehash` verifies the recovered key again, which cannot
/// fail for a non-identity key and doubles the cost. The two agree on every
/// input (unit tests here, and 125,000 signatures in `bench/tests`).
pub fn recover_hash(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    crate::recover::recover_prehash_lean(hash, sig)
}

/// Checks that `sig` over `hash` was made by `expected`.
pub fn verify_hash(hash: &[u8; 32], sig: &Signature, expected: &Address) -> Result<(), Error> {
    if recover_hash(hash, sig)? == *expected {
        Ok(())
    } else {
        Err(Error::SignerMismatch)
    }
}

/// The 33-byte compressed SEC1 form of a signing key's public key.
pub fn public_key_of(key: &SigningKey) -> [u8; 33] {
    let point = key.verifying_key().to_encoded_point(true);
    point.as_bytes().try_into().unwrap_or([0; 33])
}

/// Whether `key` is a compressed SEC1 public key of a point on secp256k1.
pub fn is_valid_public_key(key: &[u8; 33]) -> bool {
    matches!(key.first(), Some(0x02 | 0x03)) && VerifyingKey::from_sec1_bytes(key).is_ok()
}

/// The address of a compressed public key, if it is a point on the curve.
pub fn address_of_compressed(key: &[u8; 33]) -> Option<Address> {
    if !is_valid_public_key(key) {
        return None;
    }
    VerifyingKey::from_sec1_bytes(key)
        .ok()
        .map(|k| address_of(&k))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "01833a126ec45d0191519748146b9e35647aab7fed28de1c8e17824970f964a3";
    /// The issue spec's eight-field vector: its signing hash and signature.
    const HASH: &str = "01882eb8bee7e2d0d553a0debc95f5d666d55e481b64ee9c6159b4c50831b9f0";

    fn key() -> SigningKey {
        let bytes: [u8; 32] = hex::decode(KEY).unwrap().try_into().unwrap();
        signing_key_from_bytes(&bytes).unwrap()
    }

    fn hash() -> [u8; 32] {
        hex::decode(HASH).unwrap().try_into().unwrap()
    }

    #[test]
    fn spec_vector() {
        let sig = sign_hash(&hash(), &key()).unwrap();
        assert_eq!(
            hex::encode(sig.r),
            "db4741c7f2ce4a2d78e790331075284efaeee0b217e9c9ccf334d3014d98b7bb"
        );
        assert_eq!(
            hex::encode(sig.s),
            "6ba551adfd0b9d7236298ae267575255e0b54b0d569dc9824d1445d2c546dc9e"
        );
        assert_eq!(sig.v, 1);
        let me = address_of(key().verifying_key());
        assert_eq!(
            me,
            Address::parse("0x2045a425D0e131E747f8be2F044413733e412d7d").unwrap()
        );
        assert_eq!(recover_hash(&hash(), &sig), Ok(me));
        assert_eq!(verify_hash(&hash(), &sig, &me), Ok(()));
        assert_eq!(
            verify_hash(&hash(), &sig, &Address::ZERO),
            Err(Error::SignerMismatch)
        );
        let pk = public_key_of(&key());
        assert!(is_valid_public_key(&pk));
        assert_eq!(address_of_compressed(&pk), Some(me));
        let mut off = pk;
        off[0] = 0x04;
        assert!(!is_valid_public_key(&off));
        assert!(!is_valid_public_key(&[2; 33]) || address_of_compressed(&[2; 33]).is_some());
        assert_eq!(
            address_of_compressed(&[0x02; 33]).is_some(),
            is_valid_public_key(&[0x02; 33])
        );
    }

    #[test]
    fn malformed_signatures_are_refused() {
        let h = hash();
        let sig = sign_hash(&h, &key()).unwrap();
        for v in [2u8, 27] {
            assert_eq!(
                recover_hash(&h, &Signature { v, ..sig }),
                Err(Error::InvalidRecoveryId)
            );
        }
        assert_eq!(
            recover_hash(&h, &Signature { r: [0; 32], ..sig }),
            Err(Error::SignatureScalarOutOfRange)
        );
        assert_eq!(
            recover_hash(
                &h,
                &Signature {
                    s: [0xff; 32],
                    ..sig
                }
            ),
            Err(Error::SignatureScalarOutOfRange)
        );
        let (k, _) = sig.to_k256().unwrap();
        let high = EcdsaSignature::from_scalars(k.r().to_bytes(), (-*k.s()).to_bytes()).unwrap();
        let high = Signature {
            s: high.s().to_bytes().into(),
            v: 1 - sig.v,
            ..sig
        };
        assert_eq!(recover_hash(&h, &high), Err(Error::HighS));
        let mut other = h;
        other[0] ^= 1;
        assert_ne!(
            recover_hash(&other, &sig).unwrap(),
            address_of(key().verifying_key())
        );
        assert_eq!(
            signing_key_from_bytes(&[0; 32]).err(),
            Some(Error::InvalidSecretKey)
        );
    }
}
