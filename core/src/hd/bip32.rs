//! BIP-32 private derivation on secp256k1: the master key of a seed, child
//! keys (hardened and normal), and derivation along a path.
//!
//! Written here on top of `hmac`/`sha2` and the signing backend's
//! constant-time scalar addition (k256 or libsecp256k1) rather
//! than taken from the `bip32` crate: that crate computes the parent's
//! public key at every step (for the fingerprint of a serialised key, which
//! a device never needs), one scalar multiplication per step, so
//! `m/44'/60'/0'/0/0` costs it 6 multiplications where only the 2 normal
//! steps need one each; measured in docs/hd-keys.md.
//!
//! Invalid children: BIP-32 says that when `IL >= n` or the child key is
//! zero (probability below 2^-127 per step) one should proceed with the
//! next index. This module refuses instead ([`DeriveError::InvalidChild`],
//! naming the step): a device must never sign with the key of another path
//! than the one it shows and the host asked for. The caller may then pick
//! the next index itself, explicitly.
//!
//! Secrets (keys, chain codes, HMAC outputs) live in zeroizing buffers and
//! never appear in `Debug`. The hash states inside `hmac`/`sha2` are not
//! zeroized by those crates (see docs/hd-keys.md).

use core::fmt;

use hmac::digest::{FixedOutput, KeyInit, Update};
use hmac::Hmac;
use sha2::Sha512;
use zeroize::{Zeroize, Zeroizing};

use super::path::{DerivationPath, HARDENED};

/// The HMAC key of the master key, fixed by BIP-32.
const MASTER_HMAC_KEY: &[u8] = b"Bitcoin seed";

/// HMAC-SHA512's block: keys are zero-padded to it (RFC 2104).
const HMAC_BLOCK: usize = 128;

/// The shortest and longest seeds BIP-32 allows (128 and 512 bits).
pub const MIN_SEED_LEN: usize = 16;
/// See [`MIN_SEED_LEN`].
pub const MAX_SEED_LEN: usize = 64;

/// Why a derivation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeriveError {
    /// The seed is shorter than 16 or longer than 64 bytes.
    SeedLength {
        /// The seed's length in bytes.
        len: usize,
    },
    /// The seed's master key is invalid (`IL` is zero or not below the
    /// curve order; probability below 2^-127).
    InvalidMasterKey,
    /// A step's child key is invalid (`IL` not below the curve order, or a
    /// zero key; probability below 2^-127). Not skipped: see the module's
    /// notes.
    InvalidChild {
        /// The step's position in the path, from 1.
        step: u8,
    },
}

impl fmt::Display for DeriveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeriveError::SeedLength { len } => write!(
                f,
                "seed is {len} bytes; BIP-32 takes {MIN_SEED_LEN} to {MAX_SEED_LEN}"
            ),
            DeriveError::InvalidMasterKey => f.write_str(
                "this seed gives no valid BIP-32 master key (probability below 2^-127); use another seed",
            ),
            DeriveError::InvalidChild { step } => write!(
                f,
                "step {step} of the path gives no valid key (probability below 2^-127); use the next index at that step"
            ),
        }
    }
}

impl core::error::Error for DeriveError {}

/// An extended private key: a secp256k1 secret and its chain code.
/// Zeroized on drop; `Debug` shows neither.
pub struct ExtendedPrivateKey {
    /// A scalar in [1, n), big-endian.
    secret: [u8; 32],
    chain_code: [u8; 32],
}

impl ExtendedPrivateKey {
    /// The master key of `seed` (16 to 64 bytes, normally a BIP-39 seed).
    pub fn master(seed: &[u8]) -> Result<Self, DeriveError> {
        let len = seed.len();
        if !(MIN_SEED_LEN..=MAX_SEED_LEN).contains(&len) {
            return Err(DeriveError::SeedLength { len });
        }
        let i = hmac_sha512(MASTER_HMAC_KEY, &[seed]);
        let (il, ir) = split(&i);
        // IL itself is the key: valid when in [1, n), which is exactly
        // "IL + 0 is a valid non-zero scalar".
        let secret =
            crate::backend::add_secret(il, &[0; 32]).ok_or(DeriveError::InvalidMasterKey)?;
        Ok(ExtendedPrivateKey {
            secret: *secret,
            chain_code: *ir,
        })
    }

    /// The child at raw BIP-32 `index` (hardened if it carries
    /// [`HARDENED`]). `step` names the step in a refusal.
    fn child(&self, index: u32, step: u8) -> Result<Self, DeriveError> {
        let i = if index & HARDENED != 0 {
            let secret = self.secret_bytes();
            hmac_sha512(&self.chain_code, &[&[0], &*secret, &index.to_be_bytes()])
        } else {
            hmac_sha512(
                &self.chain_code,
                &[&self.public_key(), &index.to_be_bytes()],
            )
        };
        let (il, ir) = split(&i);
        let secret = crate::backend::add_secret(&self.secret, il)
            .ok_or(DeriveError::InvalidChild { step })?;
        Ok(ExtendedPrivateKey {
            secret: *secret,
            chain_code: *ir,
        })
    }

    /// The child at raw BIP-32 `index` (hardened if it carries
    /// [`HARDENED`]).
    pub fn derive_child(&self, index: u32) -> Result<Self, DeriveError> {
        self.child(index, 1)
    }

    /// The descendant along `path` (the key itself for `m`).
    pub fn derive_path(&self, path: &DerivationPath) -> Result<Self, DeriveError> {
        let mut key = self.clone_secret();
        for (n, &index) in path.indices().iter().enumerate() {
            // n < MAX_PATH_DEPTH, so n + 1 fits a byte.
            key = key.child(index, (n + 1) as u8)?;
        }
        Ok(key)
    }

    fn clone_secret(&self) -> Self {
        ExtendedPrivateKey {
            secret: self.secret,
            chain_code: self.chain_code,
        }
    }

    /// The 32-byte big-endian secret key, in a zeroizing buffer.
    pub fn secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.secret)
    }

    /// The secret as the core's signing key (computes its public key: one
    /// scalar multiplication). The secret is in [1, n), so this cannot fail
    /// in practice; a failure is [`DeriveError::InvalidChild`].
    pub fn signing_key(&self) -> Result<crate::key::SigningKey, DeriveError> {
        crate::key::SigningKey::from_bytes(&self.secret)
            .map_err(|_| DeriveError::InvalidChild { step: 0 })
    }

    /// The chain code.
    pub fn chain_code(&self) -> &[u8; 32] {
        &self.chain_code
    }

    /// The compressed SEC1 public key (33 bytes; one scalar multiplication).
    pub fn public_key(&self) -> [u8; 33] {
        self.signing_key()
            .map(|key| key.public_key_compressed())
            .unwrap_or([0; 33])
    }
}

impl Drop for ExtendedPrivateKey {
    fn drop(&mut self) {
        self.secret.zeroize();
        self.chain_code.zeroize();
    }
}

impl fmt::Debug for ExtendedPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ExtendedPrivateKey(redacted)")
    }
}

/// HMAC-SHA512 of the concatenated `parts` under `key` (at most one block),
/// into a zeroizing buffer.
fn hmac_sha512(key: &[u8], parts: &[&[u8]]) -> Zeroizing<[u8; 64]> {
    // `KeyInit::new` with the key zero-padded to the block gives the same
    // MAC as `new_from_slice(key)` (RFC 2104 pads it so) and cannot fail.
    let mut block = Zeroizing::new([0u8; HMAC_BLOCK]);
    if let Some(dst) = block.get_mut(..key.len()) {
        dst.copy_from_slice(key);
    }
    let mut mac = <Hmac<Sha512> as KeyInit>::new((&*block).into());
    for part in parts {
        mac.update(part);
    }
    let mut out = Zeroizing::new([0u8; 64]);
    mac.finalize_into((&mut *out).into());
    out
}

fn split(i: &[u8; 64]) -> (&[u8; 32], &[u8; 32]) {
    let (il, ir) = i.split_at(32);
    // Both halves are exactly 32 bytes.
    (
        il.try_into().unwrap_or(&[0; 32]),
        ir.try_into().unwrap_or(&[0; 32]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// secp256k1's order n, big-endian.
    const ORDER: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36,
        0x41, 0x41,
    ];

    fn order_minus(k: u8) -> [u8; 32] {
        let mut v = ORDER;
        v[31] -= k;
        v
    }

    fn one() -> [u8; 32] {
        let mut v = [0u8; 32];
        v[31] = 1;
        v
    }

    #[test]
    fn il_at_or_above_the_order_is_refused() {
        let add = crate::backend::add_secret;
        assert!(add(&one(), &ORDER).is_none());
        assert!(add(&one(), &[0xff; 32]).is_none());
        assert!(add(&one(), &order_minus(2)).is_some());
        assert!(add(&one(), &[0; 32]).is_some());
        // The master key: IL itself must be in [1, n).
        assert!(add(&ORDER, &[0; 32]).is_none());
        assert!(add(&[0; 32], &[0; 32]).is_none());
        assert!(add(&order_minus(1), &[0; 32]).is_some());
    }

    #[test]
    fn a_zero_child_key_is_refused() {
        // parent = 1, tweak = n - 1: the sum is 0 mod n.
        assert!(crate::backend::add_secret(&one(), &order_minus(1)).is_none());
        let sum = crate::backend::add_secret(&one(), &order_minus(2)).unwrap();
        assert_eq!(*sum, order_minus(1));
        // A wrap-around: (n - 1) + 2 = 1 mod n.
        let mut two = [0u8; 32];
        two[31] = 2;
        assert_eq!(
            *crate::backend::add_secret(&order_minus(1), &two).unwrap(),
            one()
        );
    }

    #[test]
    fn seed_lengths() {
        for len in [0, 15, 65, 128] {
            assert_eq!(
                ExtendedPrivateKey::master(&vec![1; len]).unwrap_err(),
                DeriveError::SeedLength { len }
            );
        }
        for len in [16, 32, 64] {
            assert!(ExtendedPrivateKey::master(&vec![1; len]).is_ok());
        }
    }

    #[test]
    fn bip32_vector_1_master_and_first_child() {
        let seed = hex::decode("000102030405060708090a0b0c0d0e0f").unwrap();
        let m = ExtendedPrivateKey::master(&seed).unwrap();
        assert_eq!(
            hex::encode(*m.secret_bytes()),
            "e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35"
        );
        assert_eq!(
            hex::encode(m.chain_code()),
            "873dff81c02f525623fd1fe5167eac3a55a049de3d314bb42ee227ffed37d508"
        );
        assert_eq!(
            hex::encode(m.public_key()),
            "0339a36013301597daef41fbe593a02cc513d0b55527ec2df1050e2e8ff49c85c2"
        );
        let child = m.derive_child(HARDENED).unwrap();
        assert_eq!(
            hex::encode(*child.secret_bytes()),
            "edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea"
        );
        assert_eq!(
            child.signing_key().unwrap().public_key_compressed(),
            child.public_key()
        );
    }

    #[test]
    fn debug_hides_the_key() {
        let m = ExtendedPrivateKey::master(&[7; 32]).unwrap();
        let text = format!("{m:?}");
        assert_eq!(text, "ExtendedPrivateKey(redacted)");
        let secret = hex::encode(*m.secret_bytes());
        assert!(!text.contains(&secret[..6]));
    }
}
