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
//! Today the only operation is the legacy token issue
//! ([`Operation::TokenIssue`]). The native (v2) operations of the new core
//! add variants carrying the operation and its scheme; a BIP-39 mnemonic
//! signer is one more key signer (a derived key, `key.rs`), and a multisig
//! partial signer wraps any signer and signs the same digest for one slot
//! of the account's proof.

mod device;
mod error;
mod key;
mod keystore;
mod source;

use tokensign_core::{Address, Signature, SignedRequest, TokenIssuePayload};

pub use device::DeviceSigner;
pub use error::SignerError;
pub use key::{dev_address, dev_key, is_dev_address, KeySigner, DEV_PRIVATE_KEY_HEX};
pub use keystore::{decrypt_keystore, keygen};
pub use source::{
    load, parse_hex_key, read_password, KeyOptions, KeySource, PasswordSource, ENV_PASSWORD,
    ENV_PRIVATE_KEY,
};

/// A compressed SEC1 secp256k1 public key (33 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PublicKey(pub [u8; 33]);

impl std::fmt::Display for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0x{}", hex::encode(self.0))
    }
}

/// The operation a digest is the signing hash of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Operation<'a> {
    /// A legacy (v1) token issue.
    TokenIssue(&'a TokenIssuePayload),
}

impl Operation<'_> {
    /// A name for people: `token issue`.
    pub fn name(&self) -> &'static str {
        match self {
            Operation::TokenIssue(_) => "token issue",
        }
    }
}

/// What a signer is asked to sign: a digest and the operation it is the
/// signing hash of (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningInput<'a> {
    digest: [u8; 32],
    operation: Operation<'a>,
}

impl<'a> SigningInput<'a> {
    /// A legacy token issue; the digest is its signing hash.
    pub fn token_issue(payload: &'a TokenIssuePayload) -> Self {
        SigningInput {
            digest: payload.signing_hash(),
            operation: Operation::TokenIssue(payload),
        }
    }

    /// The digest to sign.
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// The operation it is the digest of.
    pub fn operation(&self) -> Operation<'a> {
        self.operation
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
    match crate::recovery::recover_hash(input.digest(), &signature) {
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

/// Signs a token issue into a complete request.
pub fn sign_issue(
    signer: &dyn Signer,
    payload: TokenIssuePayload,
) -> Result<SignedRequest, SignerError> {
    let signature = sign_checked(signer, &SigningInput::token_issue(&payload))?;
    Ok(SignedRequest { payload, signature })
}

#[cfg(test)]
mod tests;
