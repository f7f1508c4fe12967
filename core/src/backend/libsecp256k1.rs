//! Bitcoin Core's libsecp256k1 (through the `secp256k1` crate, no std, no
//! allocator): the backend of the `libsecp256k1` feature.
//!
//! Signing is `secp256k1_ecdsa_sign_recoverable` with its RFC 6979 nonce
//! (libsecp256k1 always returns low-S); recovery comes after the core's own
//! form checks ([`Signature::check_form`]), so high-S and the other
//! malformed signatures that libsecp256k1 itself would accept are refused
//! with the same errors as under k256. On a host (the
//! `precomputed-tables` feature) recovery is `secp256k1_ecdsa_recover`, the
//! fastest; on a device (without it) it is composed of libsecp256k1's
//! constant-time one-point products (`lean`), in far less stack.
//!
//! ## The context
//!
//! libsecp256k1 signs through a *context*: a few hundred bytes holding
//! the blinding state of its constant-time base-point multiplication. The
//! core has no allocator and no `unsafe`, so the caller gives it the memory:
//! a [`Context`] in static memory (a `static` cell in firmware, a leaked box
//! on a host), handed over once with [`install`], optionally randomised with
//! 32 bytes from the device's random source (libsecp256k1's side-channel
//! blinding). Until a context is installed, each call builds a temporary
//! one on its own stack ([`CONTEXT_BYTES`] more stack, and a SHA-256
//! self-test and a few scalar operations more per call), so signing and
//! recovery never depend on the installation; they only get cheaper and
//! blinded with it.
//!
//! ```
//! use tokensign_core::backend::libsecp256k1::{install, installed, Context, InstallError};
//! use tokensign_core::{sign_hash, signing_key_from_bytes};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // On a host: memory that lives as long as the process. A firmware uses
//! // a static instead, e.g. `cortex_m::singleton!(: Context = Context::new())`.
//! let context: &'static mut Context = Box::leak(Box::new(Context::new()));
//! let seed = [0x5e; 32]; // 32 bytes from the random source, in real use
//! install(context, Some(&seed))?;
//! assert!(installed());
//!
//! // Only one context per process: a second one is refused.
//! let again = install(Box::leak(Box::new(Context::new())), None);
//! assert_eq!(again, Err(InstallError::AlreadyInstalled));
//!
//! // The core's API is unchanged.
//! let key = signing_key_from_bytes(&[0x11; 32])?;
//! let signature = sign_hash(&[0x22; 32], &key)?;
//! assert_eq!(tokensign_core::recover_hash(&[0x22; 32], &signature)?, key.address());
//! # Ok(())
//! # }
//! ```

use core::fmt;

use once_cell::race::OnceRef;
use secp256k1::ffi::types::AlignedType;
use secp256k1::{AllPreallocated, Message, PublicKey, Secp256k1, SecretKey};
use zeroize::Zeroize;

use crate::address::Address;
use crate::error::Error;
use crate::signature::Signature;

/// The backend's name, as [`crate::BACKEND`] reports it.
pub const NAME: &str = "libsecp256k1";

/// 16-byte words of a [`Context`]'s memory. libsecp256k1 0.6 needs 208
/// bytes on x86_64 and 176 on a Cortex-M4 (`tests` below and the firmware
/// check it; `install` refuses memory that is too small).
const CONTEXT_WORDS: usize = 16;

/// Bytes of a [`Context`]'s memory for libsecp256k1.
pub const CONTEXT_BYTES: usize = CONTEXT_WORDS * core::mem::size_of::<AlignedType>();

/// The handle of a context built in caller-provided memory.
type Secp = Secp256k1<AllPreallocated<'static>>;

/// The context installed by [`install`]: set once, then shared.
static INSTALLED: OnceRef<'static, Secp> = OnceRef::new();

/// Memory for libsecp256k1's context, and the context once built in it.
/// Put one in static memory and give it to [`install`].
pub struct Context {
    memory: [AlignedType; CONTEXT_WORDS],
    handle: Option<Secp>,
}

impl Context {
    /// An empty context, usable as the initialiser of a `static`.
    pub const fn new() -> Self {
        Context {
            memory: [AlignedType::ZERO; CONTEXT_WORDS],
            handle: None,
        }
    }
}

impl Default for Context {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("built", &self.handle.is_some())
            .finish_non_exhaustive()
    }
}

/// Why [`install`] refused a context.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InstallError {
    /// A context is already installed; the first one stays in use.
    AlreadyInstalled,
    /// libsecp256k1 needs more memory than [`CONTEXT_BYTES`] on this target
    /// (a build of another libsecp256k1 version): raise `CONTEXT_WORDS`.
    MemoryTooSmall,
}

impl fmt::Display for InstallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InstallError::AlreadyInstalled => {
                "a libsecp256k1 context is already installed; install one context at start-up"
            }
            InstallError::MemoryTooSmall => {
                "libsecp256k1 needs a larger context on this target; raise CONTEXT_WORDS in the core"
            }
        })
    }
}

impl core::error::Error for InstallError {}

/// Builds libsecp256k1's context in `context`, randomises its blinding with
/// `seed` if given, and makes it the one every later sign and recovery
/// uses. Call it once at start-up, before signing.
///
/// # Errors
///
/// [`InstallError::AlreadyInstalled`] if a context is installed (then
/// `context` is left unused); [`InstallError::MemoryTooSmall`] if the
/// linked libsecp256k1 needs more than [`CONTEXT_BYTES`].
pub fn install(context: &'static mut Context, seed: Option<&[u8; 32]>) -> Result<(), InstallError> {
    if INSTALLED.get().is_some() {
        return Err(InstallError::AlreadyInstalled);
    }
    let Context { memory, handle } = context;
    let mut secp = Secp::preallocated_new(memory).map_err(|_| InstallError::MemoryTooSmall)?;
    if let Some(seed) = seed {
        secp.seeded_randomize(seed);
    }
    let built: &'static Secp = handle.insert(secp);
    INSTALLED
        .set(built)
        .map_err(|()| InstallError::AlreadyInstalled)
}

/// Whether a context has been installed.
pub fn installed() -> bool {
    INSTALLED.get().is_some()
}

/// Runs `f` with the installed context, or with a temporary one on the
/// stack. `None` only if libsecp256k1 needs more than [`CONTEXT_BYTES`].
fn with_context<R>(f: impl FnOnce(&Secp256k1<AllPreallocated<'_>>) -> R) -> Option<R> {
    match INSTALLED.get() {
        Some(secp) => Some(f(secp)),
        None => with_stack_context(f),
    }
}

/// A context on this frame only; not inlined, so its memory is not part
/// of the frame of a sign with an installed context.
#[inline(never)]
fn with_stack_context<R>(f: impl FnOnce(&Secp256k1<AllPreallocated<'_>>) -> R) -> Option<R> {
    let mut memory = [AlignedType::ZERO; CONTEXT_WORDS];
    let secp = Secp256k1::preallocated_new(&mut memory).ok()?;
    Some(f(&secp))
}

/// The uncompressed SEC1 form of a compressed public key, if it is a point
/// on the curve.
pub fn decompress(key: &[u8; 33]) -> Option<[u8; 65]> {
    PublicKey::from_slice(key)
        .ok()
        .map(|key| key.serialize_uncompressed())
}

/// `(secret + tweak) mod n` through libsecp256k1's constant-time tweak:
/// `None` if either is not below the curve order or the sum is zero
/// (BIP-32's invalid child).
pub fn add_secret(secret: &[u8; 32], tweak: &[u8; 32]) -> Option<zeroize::Zeroizing<[u8; 32]>> {
    let tweak = secp256k1::Scalar::from_be_bytes(*tweak).ok()?;
    let mut key = SecretKey::from_byte_array(*secret).ok()?;
    let sum = key.add_tweak(&tweak);
    key.non_secure_erase();
    let mut sum = sum.ok()?;
    let out = zeroize::Zeroizing::new(sum.secret_bytes());
    sum.non_secure_erase();
    Some(out)
}

/// A libsecp256k1 signing key: the secret bytes (zeroized on drop) and the
/// public key computed once.
#[derive(Clone)]
pub struct Key {
    secret: [u8; 32],
    public: PublicKey,
}

impl Key {
    /// The key of a 32-byte big-endian secret scalar.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSecretKey`] if the scalar is zero or not below the
    /// curve order; [`Error::SigningFailed`] only if no context could be
    /// built (see [`InstallError::MemoryTooSmall`]).
    pub fn from_bytes(secret: &[u8; 32]) -> Result<Self, Error> {
        let mut secret_key =
            SecretKey::from_byte_array(*secret).map_err(|_| Error::InvalidSecretKey)?;
        let public = with_context(|secp| PublicKey::from_secret_key(secp, &secret_key));
        secret_key.non_secure_erase();
        Ok(Key {
            secret: *secret,
            public: public.ok_or(Error::SigningFailed)?,
        })
    }

    /// The public key, uncompressed SEC1: `0x04 || x || y`.
    pub fn public_key_uncompressed(&self) -> [u8; 65] {
        self.public.serialize_uncompressed()
    }

    /// The public key, compressed SEC1: `0x02`/`0x03` (y-parity) `|| x`.
    pub fn public_key_compressed(&self) -> [u8; 33] {
        self.public.serialize()
    }

    /// Signs a 32-byte prehash: RFC 6979 deterministic nonce, low-S, `v` the
    /// y-parity.
    ///
    /// # Errors
    ///
    /// [`Error::SigningFailed`] for a recovery id of 2 or 3 (probability
    /// about 2^-127), which `v` cannot express.
    pub fn sign_hash(&self, hash: &[u8; 32]) -> Result<Signature, Error> {
        let mut secret_key =
            SecretKey::from_byte_array(self.secret).map_err(|_| Error::InvalidSecretKey)?;
        let signed = with_context(|secp| {
            secp.sign_ecdsa_recoverable(Message::from_digest(*hash), &secret_key)
        });
        secret_key.non_secure_erase();
        let (recid, compact) = signed.ok_or(Error::SigningFailed)?.serialize_compact();
        let v = match i32::from(recid) {
            0 => 0,
            1 => 1,
            _ => return Err(Error::SigningFailed),
        };
        let (r, s) = compact.split_at(32);
        Ok(Signature {
            r: r.try_into().map_err(|_| Error::SigningFailed)?,
            s: s.try_into().map_err(|_| Error::SigningFailed)?,
            v,
        })
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl fmt::Debug for Key {
    /// Never the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("libsecp256k1::Key").finish_non_exhaustive()
    }
}

#[cfg(any(test, not(feature = "precomputed-tables")))]
mod lean;

/// Recovers the signer's address from a prehash and a signature: on a
/// device (no `precomputed-tables`), from libsecp256k1's one-point products
/// in little stack (the `lean` module: the math and why).
///
/// # Errors
///
/// As [`crate::recover_hash`]: the core's form checks first, then
/// [`Error::RecoveryFailed`] if no key has this signature.
#[cfg(not(feature = "precomputed-tables"))]
pub fn recover_hash(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    lean::recover_hash(hash, sig)
}

/// Recovers the signer's address from a prehash and a signature, on a host
/// (`precomputed-tables`): `secp256k1_ecdsa_recover`, the fastest.
///
/// # Errors
///
/// As [`crate::recover_hash`]: the core's form checks first, then
/// [`Error::RecoveryFailed`] if libsecp256k1 finds no key.
#[cfg(feature = "precomputed-tables")]
pub fn recover_hash(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    recover_hash_strauss(hash, sig)
}

/// `secp256k1_ecdsa_recover` after the core's form checks: one Strauss
/// linear combination (fast, but about 5.2 KB of stack on a Cortex-M4).
#[cfg(any(test, feature = "precomputed-tables"))]
fn recover_hash_strauss(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    sig.check_form()?;
    use secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
    let recid = RecoveryId::try_from(i32::from(sig.v)).map_err(|_| Error::InvalidRecoveryId)?;
    let mut compact = [0u8; 64];
    let (r, s) = compact.split_at_mut(32);
    r.copy_from_slice(&sig.r);
    s.copy_from_slice(&sig.s);
    let rsig = RecoverableSignature::from_compact(&compact, recid)
        .map_err(|_| Error::SignatureScalarOutOfRange)?;
    let public = recover_public(hash, &rsig).ok_or(Error::RecoveryFailed)?;
    Ok(crate::signature::address_of_uncompressed(
        &public.serialize_uncompressed(),
    ))
}

/// libsecp256k1's recovery, in a frame of its own (its C frames hold the
/// Strauss tables).
#[cfg(any(test, feature = "precomputed-tables"))]
#[inline(never)]
fn recover_public(
    hash: &[u8; 32],
    rsig: &secp256k1::ecdsa::RecoverableSignature,
) -> Option<PublicKey> {
    with_context(|secp| secp.recover_ecdsa(Message::from_digest(*hash), rsig))?.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_memory_is_large_enough() {
        let needed = Secp256k1::<AllPreallocated<'static>>::preallocate_size();
        assert!(needed <= CONTEXT_WORDS, "{needed} words needed");
        // The temporary context works (nothing is installed in unit tests).
        assert!(with_stack_context(|_| ()).is_some());
    }

    #[test]
    fn key_debug_shows_no_secret() {
        let key = Key::from_bytes(&[0x42; 32]).unwrap();
        let text = format!("{key:?}");
        assert!(!text.contains("42"), "{text}");
        assert!(!text.contains("66"), "{text}");
    }
}
