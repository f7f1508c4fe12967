//! The wallet's record, as it lies in a flash slot, and the per-device
//! secret's region.
//!
//! ```text
//! record (REGION_LEN = 256 bytes):
//!   0   magic "TSW1"
//!   4   generation (u32, little-endian): the newer of two valid slots wins
//!   8   state: 0 empty, 1 holds a seed
//!   9   failed PIN attempts since the last right PIN
//!   10  trusted definition signers (0..=MAX_TRUSTED)
//!   11  0
//!   12  salt (16): the PIN key's salt
//!   28  sealed seed (64) and its tag (16)
//!   108 trusted signers' addresses (20 each, MAX_TRUSTED of them)
//!   188 zeros
//!   224 SHA-256 of bytes 0..224
//! secret region:
//!   0   the per-device secret (32)
//!   32  SHA-256 of it (32)
//! ```
//!
//! The checksum is the last thing written: a record cut short by a power
//! loss (or never written: erased flash is 0xFF) does not check, so the
//! other slot's record is used.

use sha2::{Digest, Sha256};

use super::platform::REGION_LEN;
use crate::address::Address;

/// The record's magic bytes (its format's version).
pub const MAGIC: [u8; 4] = *b"TSW1";
/// Trusted definition signers a device keeps.
pub const MAX_TRUSTED: usize = 4;
/// Bytes of a sealed seed: the encrypted 64-byte seed and its 16-byte tag.
pub const SEALED_LEN: usize = 64 + 16;
/// Bytes of a seal's salt.
pub const SALT_LEN: usize = 16;

const GENERATION: usize = 4;
const STATE: usize = 8;
const FAILURES: usize = 9;
const TRUSTED_COUNT: usize = 10;
const SALT: usize = 12;
const SEALED: usize = SALT + SALT_LEN;
const TRUSTED: usize = SEALED + SEALED_LEN;
const CHECKED: usize = REGION_LEN - 32;

/// What the wallet keeps in flash.
#[derive(Clone, PartialEq, Eq)]
pub struct Record {
    /// Counts the writes: of two valid slots the one with the larger wins.
    pub generation: u32,
    /// Whether it holds a seed.
    pub provisioned: bool,
    /// Wrong PINs since the last right one, written before each check.
    pub failures: u8,
    /// The salt of the seal's key.
    pub salt: [u8; SALT_LEN],
    /// The seed, encrypted and authenticated under the PIN's key.
    pub sealed: [u8; SEALED_LEN],
    /// Trusted token-definition signers.
    pub trusted: [Address; MAX_TRUSTED],
    /// How many of `trusted` are in use.
    pub trusted_len: u8,
}

impl core::fmt::Debug for Record {
    /// Never the sealed seed or its salt.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Record")
            .field("generation", &self.generation)
            .field("provisioned", &self.provisioned)
            .field("failures", &self.failures)
            .field("trusted", &self.trusted())
            .finish_non_exhaustive()
    }
}

impl Record {
    /// The record of an empty device (generation 0: any written one wins).
    pub const fn empty() -> Self {
        Record {
            generation: 0,
            provisioned: false,
            failures: 0,
            salt: [0; SALT_LEN],
            sealed: [0; SEALED_LEN],
            trusted: [Address::ZERO; MAX_TRUSTED],
            trusted_len: 0,
        }
    }

    /// The trusted signers in use.
    pub fn trusted(&self) -> &[Address] {
        self.trusted
            .get(..usize::from(self.trusted_len))
            .unwrap_or(&[])
    }

    /// Whether the secret material differs from `other`'s (a new seal, or
    /// one present in only one of them): then the older slot is erased
    /// after the write, so no copy sealed under an old PIN stays.
    pub fn secret_differs(&self, other: &Record) -> bool {
        self.provisioned != other.provisioned
            || self.salt != other.salt
            || self.sealed != other.sealed
    }

    /// The record's bytes, checksum last.
    pub fn encode(&self) -> [u8; REGION_LEN] {
        let mut out = [0u8; REGION_LEN];
        put(&mut out, 0, &MAGIC);
        put(&mut out, GENERATION, &self.generation.to_le_bytes());
        put(
            &mut out,
            STATE,
            &[
                u8::from(self.provisioned),
                self.failures,
                self.trusted_len,
                0,
            ],
        );
        put(&mut out, SALT, &self.salt);
        put(&mut out, SEALED, &self.sealed);
        for (i, address) in self.trusted().iter().enumerate() {
            put(&mut out, TRUSTED + 20 * i, address.as_bytes());
        }
        let sum = checksum(out.get(..CHECKED).unwrap_or(&[]));
        put(&mut out, CHECKED, &sum);
        out
    }

    /// The record in `bytes`, if its magic, checksum and fields are valid.
    pub fn decode(bytes: &[u8; REGION_LEN]) -> Option<Self> {
        let (body, sum) = bytes.split_at(CHECKED);
        if body.get(..4)? != MAGIC || checksum(body) != *sum {
            return None;
        }
        let byte = |at: usize| bytes.get(at).copied();
        let provisioned = match byte(STATE)? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let trusted_len = byte(TRUSTED_COUNT)?;
        if usize::from(trusted_len) > MAX_TRUSTED {
            return None;
        }
        let mut record = Record {
            generation: u32::from_le_bytes(bytes.get(GENERATION..STATE)?.try_into().ok()?),
            provisioned,
            failures: byte(FAILURES)?,
            salt: bytes.get(SALT..SEALED)?.try_into().ok()?,
            sealed: bytes.get(SEALED..TRUSTED)?.try_into().ok()?,
            trusted: [Address::ZERO; MAX_TRUSTED],
            trusted_len,
        };
        for (i, slot) in record.trusted.iter_mut().enumerate() {
            let at = TRUSTED + 20 * i;
            *slot = Address(bytes.get(at..at + 20)?.try_into().ok()?);
        }
        Some(record)
    }
}

fn put(out: &mut [u8], at: usize, bytes: &[u8]) {
    if let Some(dst) = out.get_mut(at..at + bytes.len()) {
        dst.copy_from_slice(bytes);
    }
}

/// SHA-256 (already in the firmware for BIP-39: no flash of its own).
pub fn checksum(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Bytes of the secret region the wallet uses.
pub const SECRET_RECORD_LEN: usize = 64;

/// The secret region's bytes for `secret`.
pub fn encode_secret(secret: &[u8; 32]) -> [u8; SECRET_RECORD_LEN] {
    let mut out = [0u8; SECRET_RECORD_LEN];
    put(&mut out, 0, secret);
    put(&mut out, 32, &checksum(secret));
    out
}

/// The secret in the secret region's bytes, if it checks.
pub fn decode_secret(bytes: &[u8; SECRET_RECORD_LEN]) -> Option<[u8; 32]> {
    let (secret, sum) = bytes.split_at(32);
    let secret: [u8; 32] = secret.try_into().ok()?;
    (checksum(&secret) == *sum).then_some(secret)
}
