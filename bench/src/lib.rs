//! Shared pieces of the tokensign benchmarks: fixtures, the recovery
//! prototypes measured against each other, and helpers for the load
//! generator.
//!
//! Nothing here is used by the product; the lead decides whether a
//! prototype moves into the core or the host.

#![forbid(unsafe_code)]

use k256::elliptic_curve::ops::{Invert, LinearCombination, Reduce};
use k256::elliptic_curve::point::DecompressPoint;
use k256::elliptic_curve::subtle::Choice;
use k256::elliptic_curve::{Group, PrimeField};
use k256::{AffinePoint, FieldBytes, ProjectivePoint, Scalar, U256};
use tokensign_core::{
    Address, Error, PayloadFields, Signature, SigningKey, TokenIssuePayload, CHAIN_ID_TESTNET,
};

pub use tokensign_fixtures::{spec_key, SPEC_KEY_HEX, SPEC_SECRET};

/// The spec's eight-field payload (nonce 2), as the JSON a caller sends.
pub const SPEC_PAYLOAD_JSON: &[u8] = tokensign_fixtures::SPEC_PAYLOAD8_JSON.as_bytes();

/// The spec's private key as bytes.
pub fn spec_secret() -> [u8; 32] {
    SPEC_SECRET
}

/// The spec's key as k256's own type, for the bare-k256 baselines.
pub fn spec_k256_key() -> k256::ecdsa::SigningKey {
    k256::ecdsa::SigningKey::from_bytes(&spec_secret().into())
        .unwrap_or_else(|e| panic!("spec key: {e}"))
}

/// A random signing key (the core's type).
pub fn random_key(rng: &mut impl rand::Rng) -> SigningKey {
    loop {
        if let Ok(key) = SigningKey::from_bytes(&rng.gen()) {
            return key;
        }
    }
}

/// The spec's eight-field payload with another nonce.
pub fn spec_payload(nonce: u64) -> TokenIssuePayload {
    tokensign_fixtures::spec_payload(nonce, Some(true))
}

/// The other form of the lean recovery: one two-point `lincomb` for
/// `u1·G + u2·R` (what the core uses without k256's basepoint tables),
/// measured here with the tables on against the core's
/// `recover_prehash_lean`, which then takes `u1·G` from the tables, and
/// tested differentially in the same run.
pub fn recover_lean_lincomb(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    let (ksig, recid) = sig.to_k256()?;
    let r = ksig.r();
    let s = ksig.s();
    let r_bytes: FieldBytes = r.to_repr();
    let big_r: Option<AffinePoint> =
        AffinePoint::decompress(&r_bytes, Choice::from(u8::from(recid.is_y_odd()))).into();
    let big_r = ProjectivePoint::from(big_r.ok_or(Error::RecoveryFailed)?);
    let e = <Scalar as Reduce<U256>>::reduce_bytes(&FieldBytes::from(*hash));
    let r_inv: Scalar = *r.invert();
    let u1 = -(r_inv * e);
    let u2 = r_inv * *s;
    let q = ProjectivePoint::lincomb(&ProjectivePoint::GENERATOR, &u1, &big_r, &u2);
    if bool::from(q.is_identity()) {
        return Err(Error::RecoveryFailed);
    }
    let key =
        k256::ecdsa::VerifyingKey::from_affine(q.to_affine()).map_err(|_| Error::RecoveryFailed)?;
    Ok(tokensign_core::address_of(&key))
}

/// k256's own recovery (`VerifyingKey::recover_from_prehash`, which
/// verifies the recovered key again), then the address: the reference the
/// core's routes are compared with.
pub fn recover_k256_reference(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    let (ksig, recid) = sig.to_k256()?;
    k256::ecdsa::VerifyingKey::recover_from_prehash(hash, &ksig, recid)
        .map(|key| tokensign_core::address_of(&key))
        .map_err(|_| Error::RecoveryFailed)
}

/// The core's libsecp256k1 backend's recovery (what the host's feature
/// `libsecp256k1` selects): the core's form checks first, then
/// libsecp256k1's `secp256k1_ecdsa_recover`.
pub use tokensign_core::backend::libsecp256k1::recover_hash as recover_secp256k1;

/// `count` distinct (prehash, signature) pairs from `keys` signing keys,
/// deterministic from `seed`.
pub fn signed_hashes(count: usize, keys: usize, seed: u64) -> Vec<([u8; 32], Signature)> {
    use rand::{RngCore, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let keys: Vec<SigningKey> = (0..keys.max(1)).map(|_| random_key(&mut rng)).collect();
    (0..count)
        .map(|i| {
            let mut hash = [0u8; 32];
            rng.fill_bytes(&mut hash);
            let key = &keys[i % keys.len()];
            let sig = tokensign_core::sign_hash(&hash, key)
                .unwrap_or_else(|e| panic!("signing a random hash: {e}"));
            (hash, sig)
        })
        .collect()
}
