//! PROVIDE_DEFINITION: a signed token definition for the next sign request
//! (as Ledger's "provide token information" before a transaction). The
//! device checks it against its own trusted signers here, keeps it for
//! the next SIGN only, and that sign's review shows the token's amounts in
//! whole tokens, or refuses the sign if the definition is for another
//! chain or token. Any request other than SIGN forgets it.
//!
//! Data: the signed definition, [`SIGNED_DEFINITION_LEN`](crate::definition::SIGNED_DEFINITION_LEN) bytes
//! (`docs/definitions.md`). A refusal is
//! [`DefinitionRefused`](super::Status::DefinitionRefused)
//! with one data byte, the cause ([`refusal_code`]). A core built without
//! the `device-definitions` feature (a firmware short of flash) answers
//! the instruction with
//! [`InsNotSupported`](super::Status::InsNotSupported).

#[cfg(feature = "device-definitions")]
use super::apdu::{Command, Instruction, Response, Status};
#[cfg(feature = "device-definitions")]
use super::{wallet::Platform, Approver, Device};
use crate::definition::DefinitionError;
#[cfg(feature = "device-definitions")]
use crate::definition::{SignedDefinition, TrustedDefinition};

/// The cause byte of a [`Status::DefinitionRefused`] answer: 1 truncated,
/// 2 trailing bytes, 3 unsupported version, 4 decimals, 5 symbol length,
/// 6 symbol character, 7 padding, 8 bad signature, 9 untrusted signer,
/// 10 wrong chain, 11 wrong token.
pub fn refusal_code(e: &DefinitionError) -> u8 {
    match e {
        DefinitionError::Truncated { .. } => 1,
        DefinitionError::TrailingBytes { .. } => 2,
        DefinitionError::UnsupportedVersion(_) => 3,
        DefinitionError::DecimalsOutOfRange(_) => 4,
        DefinitionError::SymbolLength(_) => 5,
        DefinitionError::SymbolCharacter => 6,
        DefinitionError::NonZeroPadding => 7,
        DefinitionError::BadSignature => 8,
        DefinitionError::UntrustedSigner(_) => 9,
        DefinitionError::WrongChain { .. } => 10,
        DefinitionError::WrongToken { .. } => 11,
    }
}

/// The cause a [`refusal_code`] byte names, in words (for the host).
pub fn refusal_text(code: u8) -> &'static str {
    match code {
        1 => "the definition is truncated",
        2 => "the definition has trailing bytes",
        3 => "the definition's version is not one this device reads",
        4 => "the definition's decimals are above 18",
        5 => "the definition's symbol length is not 1 to 20",
        6 => "the definition's symbol holds a character other than an ASCII letter or digit",
        7 => "the definition has non-zero padding after its symbol",
        8 => "the definition's signature is bad (altered or forged)",
        9 => "the definition's signer is not trusted by the device (trust it on the device first)",
        10 => "the definition is for another chain than the transaction's",
        11 => "the definition is for another token than the transaction's",
        _ => "unknown cause",
    }
}

/// Answers a refusal: the status and its cause byte.
#[cfg(feature = "device-definitions")]
pub(super) fn refused(e: &DefinitionError, out: &mut Response<'_>) -> Status {
    // One byte always fits a response buffer the device was given.
    let _ = out.push(&[refusal_code(e)]);
    Status::DefinitionRefused
}

#[cfg(feature = "device-definitions")]
impl<A: Approver, const N: usize, const B: usize, const M: usize, P: Platform>
    Device<A, N, B, M, P>
{
    /// PROVIDE_DEFINITION: decode, check the signature and that a trusted
    /// signer made it; keep it for the next SIGN. Unlocked only (the
    /// trusted signers belong to the wallet).
    #[inline(never)]
    pub(super) fn provide_definition(
        &mut self,
        command: Command<'_>,
        out: &mut Response<'_>,
    ) -> Status {
        if (command.p1, command.p2) != (0, 0) {
            return Status::WrongP1P2;
        }
        match self.wallet.require_unlocked() {
            Ok(()) => {}
            Err(super::WalletError::Locked) => return Status::Locked,
            Err(_) => return Status::NotProvisioned,
        }
        match self.check_definition(command.data) {
            Ok(definition) => {
                self.definition = Some(definition);
                Status::Ok
            }
            Err(e) => refused(&e, out),
        }
    }

    /// Decodes `data` and checks that a trusted signer made it. The
    /// signature's recovery (most of the cost: 1.7x a bare sign on the
    /// k256 firmware) is skipped when `data` is, byte for byte, the last
    /// definition whose signature passed: a host signing several payments
    /// of one token sends the same definition before each. Its signer's
    /// trust is checked every time.
    fn check_definition(&mut self, data: &[u8]) -> Result<TrustedDefinition, DefinitionError> {
        if let Some(last) = &self.last_checked {
            if last.bytes[..] == *data {
                let signer = last.definition.signer();
                return if self.wallet.is_trusted(&signer) {
                    Ok(last.definition)
                } else {
                    Err(DefinitionError::UntrustedSigner(signer))
                };
            }
        }
        let trusted =
            SignedDefinition::decode_verified(data, |signer| self.wallet.is_trusted(signer))?;
        self.remember(data, &trusted);
        Ok(trusted)
    }

    /// Keeps `data` as the last definition checked. Not inlined: the
    /// record is not part of the frame that recovers a signature.
    #[inline(never)]
    fn remember(&mut self, data: &[u8], trusted: &TrustedDefinition) {
        // `decode` takes exactly SIGNED_DEFINITION_LEN bytes.
        if let Ok(bytes) = data.try_into() {
            self.last_checked = Some(LastChecked {
                bytes,
                definition: *trusted,
            });
        }
    }
}

/// The last definition whose signature the device checked: its exact
/// bytes and what they proved.
#[cfg(feature = "device-definitions")]
#[derive(Clone, Copy, Debug)]
pub(super) struct LastChecked {
    bytes: [u8; crate::definition::SIGNED_DEFINITION_LEN],
    definition: TrustedDefinition,
}

/// Whether a request keeps the definition provided before it: only a
/// sign's chunks do.
#[cfg(feature = "device-definitions")]
pub(super) fn keeps_definition(ins: Option<Instruction>) -> bool {
    ins == Some(Instruction::Sign)
}
