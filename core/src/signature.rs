//! Signatures: deterministic signing (RFC 6979, low-S), recovery and
//! verification, all over the payload's signing hash.

use k256::ecdsa::{RecoveryId, Signature as EcdsaSignature, SigningKey, VerifyingKey};

use crate::address::Address;
use crate::encode::{keccak256, signing_hash, tx_hash};
use crate::error::Error;
use crate::payload::TokenIssuePayload;

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

/// Signs a payload: [`sign_hash`] over its [`signing_hash`].
pub fn sign(payload: &TokenIssuePayload, key: &SigningKey) -> Result<Signature, Error> {
    sign_hash(&signing_hash(payload), key)
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
        let me = address_of(key().verifying_key());
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
        let (k, _) = sig.to_k256().unwrap();
        let high = EcdsaSignature::from_scalars(k.r().to_bytes(), (-*k.s()).to_bytes()).unwrap();
        let high = Signature {
            s: high.s().to_bytes().into(),
            v: 1 - sig.v,
            ..sig
        };
        assert_eq!(recover(&p, &high), Err(Error::HighS));
        // Another payload recovers to another address.
        assert_ne!(
            recover(&payload(3, Some(true)), &sig).unwrap(),
            address_of(key().verifying_key())
        );
        assert_eq!(
            signing_key_from_bytes(&[0; 32]).err(),
            Some(Error::InvalidSecretKey)
        );
    }
}
