//! A definition as it travels, with its signer and signature: its
//! encoding, and the checks (trust, then signature) that make it a
//! [`TrustedDefinition`].

use super::token::{byte, exact, field, signing_hash_of};
use super::{
    DefinitionError, TokenDefinition, TrustedDefinition, DEFINITION_LEN, DEFINITION_VERSION,
    SIGNED_DEFINITION_LEN,
};
use crate::address::Address;
use crate::signature::{recover_hash, Signature};

/// A definition with its signer and signature, as it travels (a file, a
/// sign request, the local node's answer). Not yet checked: see
/// [`SignedDefinition::verify`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SignedDefinition {
    /// The definition.
    pub definition: TokenDefinition,
    /// The address of the key that signed it (a claim until
    /// [`SignedDefinition::check_signature`]).
    pub signer: Address,
    /// The signature over [`TokenDefinition::signing_hash`].
    pub signature: Signature,
}

impl SignedDefinition {
    /// The signed encoding: definition, signer, `r`, `s`, `v`.
    pub fn encode(&self) -> [u8; SIGNED_DEFINITION_LEN] {
        let mut out = [0u8; SIGNED_DEFINITION_LEN];
        let definition = self.definition.encode();
        let parts: [(usize, &[u8]); 5] = [
            (0, &definition),
            (DEFINITION_LEN, &self.signer.0),
            (DEFINITION_LEN + 20, &self.signature.r),
            (DEFINITION_LEN + 52, &self.signature.s),
            (DEFINITION_LEN + 84, &[self.signature.v]),
        ];
        for (at, bytes) in parts {
            if let Some(dst) = out.get_mut(at..at + bytes.len()) {
                dst.copy_from_slice(bytes);
            }
        }
        out
    }

    /// Reads a signed definition: exactly [`SIGNED_DEFINITION_LEN`] bytes.
    /// The signature is not checked here (see
    /// [`SignedDefinition::verify`]).
    ///
    /// # Errors
    ///
    /// As [`TokenDefinition::decode`], with the signed length.
    #[inline(never)]
    pub fn decode(bytes: &[u8]) -> Result<Self, DefinitionError> {
        // The version first, as for a bare definition.
        if let Some(&v) = bytes.first() {
            if v != DEFINITION_VERSION {
                return Err(DefinitionError::UnsupportedVersion(v));
            }
        }
        let bytes: &[u8; SIGNED_DEFINITION_LEN] = exact(bytes)?;
        let definition = TokenDefinition::decode(field(bytes, 0, DEFINITION_LEN))?;
        let mut signer = [0u8; 20];
        signer.copy_from_slice(field(bytes, DEFINITION_LEN, 20));
        let mut r = [0u8; 32];
        r.copy_from_slice(field(bytes, DEFINITION_LEN + 20, 32));
        let mut s = [0u8; 32];
        s.copy_from_slice(field(bytes, DEFINITION_LEN + 52, 32));
        Ok(SignedDefinition {
            definition,
            signer: Address(signer),
            signature: Signature {
                r,
                s,
                v: byte(bytes, DEFINITION_LEN + 84),
            },
        })
    }

    /// Checks that the signature over the definition was made by the
    /// signer it names.
    ///
    /// # Errors
    ///
    /// [`DefinitionError::BadSignature`].
    pub fn check_signature(&self) -> Result<(), DefinitionError> {
        self.check_signature_over(&self.definition.signing_hash())
    }

    /// [`SignedDefinition::check_signature`] with the signing hash given.
    fn check_signature_over(&self, hash: &[u8; 32]) -> Result<(), DefinitionError> {
        match recover_hash(hash, &self.signature) {
            Ok(signer) if signer == self.signer => Ok(()),
            _ => Err(DefinitionError::BadSignature),
        }
    }

    /// Checks the definition for use: its signer is one of `trusted`
    /// (checked first: a definition from an unknown key is refused without
    /// a recovery), and the signature is that signer's. What comes back is
    /// the only kind of definition a review takes.
    ///
    /// # Errors
    ///
    /// [`DefinitionError::UntrustedSigner`], then
    /// [`DefinitionError::BadSignature`].
    pub fn verify(&self, trusted: &[Address]) -> Result<TrustedDefinition, DefinitionError> {
        self.verify_with(
            |signer| trusted.contains(signer),
            || self.definition.signing_hash(),
        )
    }

    /// Reads a signed definition and checks it as
    /// [`SignedDefinition::verify`] does, the signer's trust asked of
    /// `is_trusted`, with the signing hash taken over the definition's
    /// bytes as they came: decoding is exact (a definition has one
    /// encoding), so they are what [`TokenDefinition::encode`] would give,
    /// and a device that only checks definitions links no encoder
    /// (docs/embedded.md, "Protocol 5"). Not inlined, and the hash in a
    /// frame of its own: a device's stack holds little beside the
    /// signature's recovery.
    ///
    /// # Errors
    ///
    /// As [`SignedDefinition::decode`], then as
    /// [`SignedDefinition::verify`].
    #[inline(never)]
    pub fn decode_verified(
        bytes: &[u8],
        is_trusted: impl Fn(&Address) -> bool,
    ) -> Result<TrustedDefinition, DefinitionError> {
        let signed = Self::decode(bytes)?;
        signed.verify_with(is_trusted, || {
            signing_hash_of(bytes.get(..DEFINITION_LEN).unwrap_or(&[]))
        })
    }

    /// The trust check, then the signature over the hash `hash` gives.
    fn verify_with(
        &self,
        is_trusted: impl Fn(&Address) -> bool,
        hash: impl FnOnce() -> [u8; 32],
    ) -> Result<TrustedDefinition, DefinitionError> {
        if !is_trusted(&self.signer) {
            return Err(DefinitionError::UntrustedSigner(self.signer));
        }
        self.check_signature_over(&hash())?;
        Ok(TrustedDefinition {
            definition: self.definition,
            signer: self.signer,
        })
    }
}
