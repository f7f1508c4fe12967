//! Hierarchical keys: a BIP-39 mnemonic to a seed, BIP-32 derivation of a
//! secp256k1 key along a path, and the key's compressed public key and
//! address.
//!
//! ```
//! use tokensign_core::hd::{self, DerivationPath, Mnemonic};
//!
//! # fn main() -> Result<(), hd::HdError> {
//! let mnemonic = Mnemonic::parse("test test test test test test test test test test test junk")?;
//! let seed = mnemonic.to_seed("")?; // zeroized on drop
//! let path = DerivationPath::parse("m/44'/60'/0'/0/0")?;
//! let key = hd::derive_signing_key(seed.as_bytes(), &path)?;
//! let address = key.address();
//! assert_eq!(
//!     &address.to_checksum()[..],
//!     b"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
//! );
//! # Ok(())
//! # }
//! ```
//!
//! Everything is in fixed buffers (no allocation); every secret is zeroized
//! on drop and redacted in `Debug`; every refusal is a typed error that
//! carries no secret. The choices (own code or crates, path limits,
//! passphrase normalisation, invalid children) and their measurements on a
//! Cortex-M4 are in `docs/hd-keys.md`.

use core::fmt;

pub mod bip32;
pub mod bip39;
pub mod path;
pub(crate) mod wordlist;

pub use bip32::{DeriveError, ExtendedPrivateKey};
pub use bip39::{Mnemonic, MnemonicError, Phrase, Seed};
pub use path::{DerivationPath, PathError, HARDENED, MAX_PATH_BYTES, MAX_PATH_DEPTH};
pub use zeroize::Zeroizing;

/// Any refusal of this module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HdError {
    /// A derivation path was refused.
    Path(PathError),
    /// A mnemonic, entropy or passphrase was refused.
    Mnemonic(MnemonicError),
    /// The seed or a derivation step was refused.
    Derive(DeriveError),
}

impl fmt::Display for HdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HdError::Path(e) => e.fmt(f),
            HdError::Mnemonic(e) => e.fmt(f),
            HdError::Derive(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for HdError {}

impl From<PathError> for HdError {
    fn from(e: PathError) -> Self {
        HdError::Path(e)
    }
}

impl From<MnemonicError> for HdError {
    fn from(e: MnemonicError) -> Self {
        HdError::Mnemonic(e)
    }
}

impl From<DeriveError> for HdError {
    fn from(e: DeriveError) -> Self {
        HdError::Derive(e)
    }
}

/// The 32-byte secret key at `path` below the master key of `seed`, in a
/// zeroizing buffer.
pub fn derive_secret(seed: &[u8], path: &DerivationPath) -> Result<Zeroizing<[u8; 32]>, HdError> {
    let key = ExtendedPrivateKey::master(seed)?.derive_path(path)?;
    Ok(key.secret_bytes())
}

/// The signing key at `path` below the master key of `seed` (the core's
/// key type: zeroized on drop, whichever backend holds it).
pub fn derive_signing_key(
    seed: &[u8],
    path: &DerivationPath,
) -> Result<crate::key::SigningKey, HdError> {
    let derive = || -> Result<crate::key::SigningKey, HdError> {
        let key = ExtendedPrivateKey::master(seed)?.derive_path(path)?;
        Ok(key.signing_key()?)
    };
    // Derived once per seed and path in a fuzzing build with the stand-ins
    // on (crate::fuzzing).
    #[cfg(fuzzing)]
    return crate::fuzzing::memoised_key(seed, path, derive);
    #[cfg(not(fuzzing))]
    derive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    const TEST_JUNK: &str = "test test test test test test test test test test test junk";

    #[test]
    fn anvil_first_account() {
        let seed = Mnemonic::parse(TEST_JUNK).unwrap().to_seed("").unwrap();
        let path = DerivationPath::ethereum(0).unwrap();
        let secret = derive_secret(seed.as_bytes(), &path).unwrap();
        assert_eq!(
            hex::encode(*secret),
            "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
        );
        let key = derive_signing_key(seed.as_bytes(), &path).unwrap();
        assert_eq!(
            &key.address().to_checksum()[..],
            b"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        );
        let public = key.public_key_compressed();
        let master = ExtendedPrivateKey::master(seed.as_bytes()).unwrap();
        assert_eq!(public, master.derive_path(&path).unwrap().public_key());
    }

    #[test]
    fn errors_convert_and_print() {
        let e: HdError = DerivationPath::parse("m/x").unwrap_err().into();
        assert_eq!(e, HdError::Path(PathError::InvalidStep { step: 1 }));
        let e: HdError = Mnemonic::parse("junk").unwrap_err().into();
        assert_eq!(
            e.to_string(),
            "a BIP-39 mnemonic has 12, 15, 18, 21 or 24 words; this one has 1"
        );
        assert_eq!(
            derive_secret(&[0; 8], &DerivationPath::MASTER).unwrap_err(),
            HdError::Derive(DeriveError::SeedLength { len: 8 })
        );
    }
}
