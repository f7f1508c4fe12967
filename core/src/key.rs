//! The core's signing key, whichever backend signs with it.

use core::fmt;

use crate::address::Address;
use crate::backend;
use crate::error::Error;
use crate::signature::{address_of_uncompressed, Signature};

/// A secp256k1 signing key held by the build's backend ([`crate::BACKEND`]).
///
/// The secret is zeroized when the key is dropped, and `Debug` shows the
/// address only. Callers name this type, never a backend's own, so that
/// the backend is a compile-time choice.
///
/// ```
/// use tokensign_core::SigningKey;
///
/// # fn main() -> Result<(), tokensign_core::Error> {
/// let mut one = [0u8; 32];
/// one[31] = 1; // the secret scalar 1: public key = the generator G
/// let key = SigningKey::from_bytes(&one)?;
/// assert_eq!(
///     key.address().to_string(),
///     "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"
/// );
/// assert_eq!(key.public_key_compressed()[0], 0x02); // G has an even y
/// assert!(format!("{key:?}").contains("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"));
/// assert_eq!(SigningKey::from_bytes(&[0; 32]).err(), Some(tokensign_core::Error::InvalidSecretKey));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct SigningKey(backend::Key);

impl SigningKey {
    /// The key of a 32-byte big-endian secret scalar. The caller should
    /// zeroize `secret` too.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSecretKey`] if the scalar is zero or not below the
    /// curve order.
    pub fn from_bytes(secret: &[u8; 32]) -> Result<Self, Error> {
        backend::Key::from_bytes(secret).map(SigningKey)
    }

    /// The key's account address: the last 20 bytes of keccak256 of the
    /// uncompressed public key without its `0x04` prefix.
    pub fn address(&self) -> Address {
        address_of_uncompressed(&self.0.public_key_uncompressed())
    }

    /// The public key, compressed SEC1 (33 bytes: `0x02`/`0x03`, then x).
    pub fn public_key_compressed(&self) -> [u8; 33] {
        self.0.public_key_compressed()
    }

    /// The public key, uncompressed SEC1 (65 bytes: `0x04`, x, y).
    pub fn public_key_uncompressed(&self) -> [u8; 65] {
        self.0.public_key_uncompressed()
    }

    /// Signs a 32-byte prehash; the same as [`crate::sign_hash`].
    ///
    /// # Errors
    ///
    /// [`Error::SigningFailed`] for a recovery id of 2 or 3.
    pub fn sign_hash(&self, hash: &[u8; 32]) -> Result<Signature, Error> {
        #[cfg(fuzzing)]
        if crate::fuzzing::stand_ins() {
            return Ok(crate::fuzzing::sign(&self.address(), hash));
        }
        self.0.sign_hash(hash)
    }
}

impl fmt::Debug for SigningKey {
    /// The address, never the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("address", &format_args!("{}", self.address()))
            .finish_non_exhaustive()
    }
}
