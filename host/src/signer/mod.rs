//! Signers behind one trait, so that every operation works with every
//! signer: a key held in this process (from a key file, the environment,
//! a v3 keystore, or the development key) and a hardware device.
//!
//! # What a signer is asked to sign
//!
//! A key can sign any 32-byte digest. A device must not: it shows the
//! person what they approve and computes the digest itself from what it
//! showed, so a bare digest would be an unreviewable blank cheque. The
//! trait therefore takes a [`SigningInput`]: the digest *and* the operation
//! it is the digest of. Its constructors compute the digest from the
//! operation (the core's signing hash), so the two cannot disagree. A key
//! signer signs the digest; a device signer sends the operation to the
//! device for review and checks that the signature it returns recovers to
//! the device's address over the same digest. [`sign_checked`] applies that
//! check to every signer.
//!
//! The input carries the transaction, its scheme and its descriptor (a
//! single signer, or a member of a multisig account), so a device can
//! rebuild and show exactly what is signed. A BIP-39 mnemonic signer is one
//! more key signer (a derived key, `key.rs`), and a multisig partial signer
//! is any signer asked with a multisig descriptor.

mod device;
mod error;
mod key;
mod keystore;
mod mnemonic;
pub mod partial;
mod pkcs11;
mod read;
mod request;
mod source;

use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, Authorization, Descriptor, NativeTx};
use tokensign_core::tx::Transaction;
use tokensign_core::{Address, Error as CoreError, Scheme, Signature};

pub use device::DeviceSigner;
pub use error::{SignerError, SourceKind};
pub use key::{dev_address, dev_key, is_dev_address, KeySigner, DEV_PRIVATE_KEY_HEX};
pub use keystore::{decrypt_keystore, keygen, KdfStrength};
pub use mnemonic::{load_mnemonic, MnemonicOrigin, ENV_MNEMONIC, ENV_MNEMONIC_PASSPHRASE};
pub use pkcs11::{network_signature, Pkcs11Key, Pkcs11Signer, SECP256K1_OID_DER};
pub use read::{read_request, sender_of, ReadError, Reading};
pub use request::{scheme_label, Hashes, SignedRequest};
pub use source::{
    load, parse_hex_key, read_limited, read_password, read_pin, KeyOptions, KeySource,
    PasswordSource, PinSource, ENV_PASSWORD, ENV_PRIVATE_KEY,
};

/// A compressed SEC1 secp256k1 public key (33 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PublicKey(pub [u8; 33]);

impl std::fmt::Display for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0x{}", hex::encode(self.0))
    }
}

/// What a signer is asked to sign (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningInput<'a> {
    digest: [u8; 32],
    tx: &'a Transaction,
    scheme: Scheme,
    descriptor: Descriptor,
}

impl<'a> SigningInput<'a> {
    /// A legacy (v1) transaction; the digest is its signing hash.
    pub fn legacy(tx: &'a Transaction) -> Result<Self, CoreError> {
        Ok(SigningInput {
            digest: legacy::signing_hash(tx)?,
            tx,
            scheme: Scheme::Legacy,
            descriptor: Descriptor::Single,
        })
    }

    /// A native (v2) transaction under `descriptor` (normalize it first:
    /// see [`native::normalize`]).
    pub fn native(tx: &'a Transaction, descriptor: Descriptor) -> Self {
        SigningInput {
            digest: native::signing_hash(tx, descriptor),
            tx,
            scheme: Scheme::Native,
            descriptor,
        }
    }

    /// The digest to sign.
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// The transaction it is the digest of.
    pub fn transaction(&self) -> &'a Transaction {
        self.tx
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Single signer, or member of a multisig account.
    pub fn descriptor(&self) -> Descriptor {
        self.descriptor
    }
}

/// Something that signs: a key here, or a device.
pub trait Signer: Send + Sync {
    /// The address its signatures recover to.
    fn address(&self) -> Address;

    /// Its compressed public key, when it is known: always for a key; for
    /// a device of protocol 1 (which reports only an address) once it has
    /// signed (the key is recovered from its first signature).
    fn public_key(&self) -> Option<PublicKey>;

    /// What it is, for people: `key from file "k.hex"`, `device emulated`.
    fn describe(&self) -> String;

    /// Signs `input` (for a device: after the person approved the
    /// operation on the device). Callers use [`sign_checked`].
    fn sign(&self, input: &SigningInput<'_>) -> Result<Signature, SignerError>;

    /// Signs a token definition (`docs/definitions.md`) with a key held
    /// here; `None` for a signer that signs only transactions it can show
    /// (a device never signs a bare hash).
    fn sign_definition(
        &self,
        _definition: &tokensign_core::definition::TokenDefinition,
    ) -> Option<Result<Signature, SignerError>> {
        None
    }

    /// For a device: the signed token definition to give it with the
    /// next transaction (it checks the definition itself and shows whole
    /// tokens); ignored by a key held here, whose review is the host's.
    fn offer_definition(&self, _definition: Option<&tokensign_core::definition::SignedDefinition>) {
    }

    /// For a device: the pages it displayed for its last signature, in
    /// order, as it showed them; `None` for a key held here.
    fn device_pages(&self) -> Option<Vec<String>> {
        None
    }
}

/// Whether `signer` is the public development key.
pub fn is_dev_signer(signer: &dyn Signer) -> bool {
    is_dev_address(&signer.address())
}

/// Signs with `signer` and checks that the signature recovers to its
/// address over the digest: a device, or a bug, cannot slip another
/// signer's signature into a request.
pub fn sign_checked(
    signer: &dyn Signer,
    input: &SigningInput<'_>,
) -> Result<Signature, SignerError> {
    let signature = signer.sign(input)?;
    let expected = signer.address();
    match crate::curve::recover_hash(input.digest(), &signature) {
        Ok(got) if got == expected => Ok(signature),
        Ok(got) => Err(SignerError::WrongSigner {
            expected,
            got: got.to_string(),
        }),
        Err(e) => Err(SignerError::WrongSigner {
            expected,
            got: format!("nothing ({e})"),
        }),
    }
}

/// Signs a legacy (v1) transaction into a complete request, after the
/// core's checks of every rule.
pub fn sign_legacy(signer: &dyn Signer, tx: Transaction) -> Result<LegacyTx, SignerError> {
    sign_legacy_digest(signer, tx).map(|(request, _)| request)
}

/// [`sign_legacy`], and the digest signed.
pub(crate) fn sign_legacy_digest(
    signer: &dyn Signer,
    tx: Transaction,
) -> Result<(LegacyTx, [u8; 32]), SignerError> {
    tx.check().map_err(SignerError::Core)?;
    let input = SigningInput::legacy(&tx).map_err(SignerError::Core)?;
    let signature = sign_checked(signer, &input)?;
    let digest = *input.digest();
    Ok((LegacyTx { tx, signature }, digest))
}

/// Signs a native (v2) transaction as its single signer, after the core's
/// checks of every rule.
pub fn sign_native(signer: &dyn Signer, tx: Transaction) -> Result<NativeTx, SignerError> {
    sign_native_digest(signer, tx).map(|(request, _)| request)
}

/// [`sign_native`], and the digest signed.
pub(crate) fn sign_native_digest(
    signer: &dyn Signer,
    tx: Transaction,
) -> Result<(NativeTx, [u8; 32]), SignerError> {
    let tx = native::normalize(tx);
    tx.check().map_err(SignerError::Core)?;
    let input = SigningInput::native(&tx, Descriptor::Single);
    let signature = sign_checked(signer, &input)?;
    let digest = *input.digest();
    Ok((
        NativeTx {
            tx,
            authorization: Authorization::Single(signature),
        },
        digest,
    ))
}

#[cfg(test)]
mod tests;
