//! Signatures: deterministic signing (RFC 6979, low-S), recovery and
//! verification, all over the payload's signing hash, through the build's
//! backend ([`crate::backend`]).

use crate::address::Address;
use crate::backend;
use crate::encode::{keccak256, signing_hash, tx_hash};
use crate::error::Error;
use crate::key::SigningKey;
use crate::payload::TokenIssuePayload;

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

/// Signs a payload: [`sign_hash`] over its [`signing_hash`].
pub fn sign(payload: &TokenIssuePayload, key: &SigningKey) -> Result<Signature, Error> {
    sign_hash(&signing_hash(payload), key)
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
    backend::selected::recover_hash(hash, sig)
}

/// Recovers the address that signed `payload`.
pub fn recover(payload: &TokenIssuePayload, sig: &Signature) -> Result<Address, Error> {
    recover_hash(&signing_hash(payload), sig)
}

/// Checks that `sig` over `payload` was made by `expected`.
pub fn verify(
    payload: &TokenIssuePayload,
    sig: &Signature,
    expected: &Address,
) -> Result<(), Error> {
    if recover(payload, sig)? == *expected {
        Ok(())
    } else {
        Err(Error::SignerMismatch)
    }
}

/// A payload with its signature: the whole `TokenIssueRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SignedRequest {
    /// The signed payload.
    pub payload: TokenIssuePayload,
    /// The signature over the payload's signing hash.
    pub signature: Signature,
}

impl SignedRequest {
    /// Signs `payload` with `key`.
    pub fn sign(payload: TokenIssuePayload, key: &SigningKey) -> Result<Self, Error> {
        let signature = sign(&payload, key)?;
        Ok(SignedRequest { payload, signature })
    }
    /// The address that signed the request.
    pub fn signer(&self) -> Result<Address, Error> {
        recover(&self.payload, &self.signature)
    }
    /// The transaction hash the network answers with.
    pub fn tx_hash(&self) -> [u8; 32] {
        tx_hash(&self.payload, &self.signature)
    }
    /// The payload's signing hash.
    pub fn signing_hash(&self) -> [u8; 32] {
        signing_hash(&self.payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::{PayloadFields, CHAIN_ID_TESTNET};

    const KEY: &str = "01833a126ec45d0191519748146b9e35647aab7fed28de1c8e17824970f964a3";

    fn key() -> SigningKey {
        let bytes: [u8; 32] = hex::decode(KEY).unwrap().try_into().unwrap();
        signing_key_from_bytes(&bytes).unwrap()
    }

    fn payload(nonce: u64, clawback: Option<bool>) -> TokenIssuePayload {
        TokenIssuePayload::new(PayloadFields {
            chain_id: CHAIN_ID_TESTNET,
            nonce,
            symbol: "TEST",
            name: "TEST Stablecoin",
            decimals: 18,
            master_authority: Address::ZERO,
            is_private: false,
            clawback_enabled: clawback,
        })
        .unwrap()
    }

    #[test]
    fn spec_eight_field_vector() {
        let p = payload(2, Some(true));
        assert_eq!(
            hex::encode(signing_hash(&p)),
            "01882eb8bee7e2d0d553a0debc95f5d666d55e481b64ee9c6159b4c50831b9f0"
        );
        let sig = sign(&p, &key()).unwrap();
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
        assert_eq!(recover(&p, &sig), Ok(me));
        assert_eq!(verify(&p, &sig, &me), Ok(()));
        assert_eq!(verify(&p, &sig, &Address::ZERO), Err(Error::SignerMismatch));
    }

    #[test]
    fn spec_seven_field_and_leading_zero_r() {
        let p = payload(2, None);
        let sig = sign(&p, &key()).unwrap();
        assert_eq!(
            hex::encode(sig.r),
            "fe70d12f46caee1a1028dad2d203a3fbd0b1ea7b0453c7dd84916c84c77d958a"
        );
        assert_eq!(sig.v, 0);
        assert_eq!(
            hex::encode(tx_hash(&p, &sig)),
            "071b111c6ce877d2a4e86f69313f32fe646db84d023c679c253071ae0259fc33"
        );
        let p = payload(177, Some(true));
        let sig = sign(&p, &key()).unwrap();
        assert_eq!(
            hex::encode(sig.r),
            "00d2b4c2222421dc3bbd22a3b41e550c11af45fd9ad701e82ce4865372dfe5bd"
        );
        assert_eq!(
            hex::encode(tx_hash(&p, &sig)),
            "a281221ec4188ef9ac8b3d69211b87917b9aef0aa617135b0be23541468dce3c"
        );
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
        let p = payload(2, Some(true));
        let sig = sign(&p, &key()).unwrap();
        assert_eq!(
            recover(&p, &Signature { v: 2, ..sig }),
            Err(Error::InvalidRecoveryId)
        );
        assert_eq!(
            recover(&p, &Signature { v: 27, ..sig }),
            Err(Error::InvalidRecoveryId)
        );
        assert_eq!(
            recover(&p, &Signature { r: [0; 32], ..sig }),
            Err(Error::SignatureScalarOutOfRange)
        );
        assert_eq!(
            recover(&p, &Signature { s: [0; 32], ..sig }),
            Err(Error::SignatureScalarOutOfRange)
        );
        assert_eq!(
            recover(
                &p,
                &Signature {
                    s: [0xff; 32],
                    ..sig
                }
            ),
            Err(Error::SignatureScalarOutOfRange)
        );
        // n - s: the same signature in high-S form.
        let high = Signature {
            s: negate(&sig.s),
            v: 1 - sig.v,
            ..sig
        };
        assert_eq!(recover(&p, &high), Err(Error::HighS));
        // Another payload recovers to another address.
        assert_ne!(
            recover(&payload(3, Some(true)), &sig).unwrap(),
            key().address()
        );
        assert_eq!(
            signing_key_from_bytes(&[0; 32]).err(),
            Some(Error::InvalidSecretKey)
        );
    }
}
