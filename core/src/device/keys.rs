//! The device's keys: a BIP-39 seed, and the key of the last path used,
//! derived once and kept until another path is asked for.

use crate::key::SigningKey;

use super::apdu::Status;
use crate::address::Address;
use crate::hd::{self, DerivationPath, Seed};

/// A derived key with what the protocol answers about it.
pub struct DerivedKey {
    /// The path it was derived along.
    pub path: DerivationPath,
    /// The key (zeroized on drop by k256).
    pub key: SigningKey,
    /// Its address.
    pub address: Address,
    /// Its compressed public key.
    pub public_key: [u8; 33],
}

impl core::fmt::Debug for DerivedKey {
    /// The path and address; never the key.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DerivedKey")
            .field("path", &self.path)
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

/// The seed and the cached key of the last path.
#[derive(Debug, Default)]
pub struct Keys {
    seed: Option<Seed>,
    cached: Option<DerivedKey>,
}

impl Keys {
    /// Keys from `seed` (zeroized when dropped).
    pub fn new(seed: Seed) -> Self {
        Keys {
            seed: Some(seed),
            cached: None,
        }
    }

    /// No seed: every key request is [`Status::NotProvisioned`].
    pub fn empty() -> Self {
        Keys::default()
    }

    /// The seed, if any (for emulators that keep a device's RAM; see
    /// [`super::Device::powered_session`]).
    pub fn seed(&self) -> Option<&Seed> {
        self.seed.as_ref()
    }

    /// The key of `path`, derived now or taken from the cache.
    pub fn derive(&mut self, path: &DerivationPath) -> Result<&DerivedKey, Status> {
        if self.cached.as_ref().is_some_and(|c| c.path == *path) {
            return self.cached.as_ref().ok_or(Status::SigningFailed);
        }
        // Drop the old key before deriving the new one.
        self.cached = None;
        let seed = self.seed.as_ref().ok_or(Status::NotProvisioned)?;
        let key =
            hd::derive_signing_key(seed.as_bytes(), path).map_err(|_| Status::SigningFailed)?;
        let derived = DerivedKey {
            path: *path,
            address: key.address(),
            public_key: key.public_key_compressed(),
            key,
        };
        Ok(self.cached.insert(derived))
    }
}
