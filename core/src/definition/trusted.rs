//! A definition whose signature was checked and whose signer is trusted,
//! and whether it applies to a transaction.

use super::{DefinitionError, TokenDefinition};
use crate::address::Address;

/// A definition whose signature was checked and whose signer is trusted
/// ([`SignedDefinition::verify`](super::SignedDefinition::verify) is the
/// only way to make one). Whether it applies to a transaction (its chain,
/// its token) is the review's check
/// ([`crate::review::Review::with_definition`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TrustedDefinition {
    pub(super) definition: TokenDefinition,
    pub(super) signer: Address,
}

impl TrustedDefinition {
    /// The definition.
    pub fn definition(&self) -> &TokenDefinition {
        &self.definition
    }

    /// The trusted key that signed it.
    pub fn signer(&self) -> Address {
        self.signer
    }

    /// Checks that the definition is for `token` on `chain_id`.
    ///
    /// # Errors
    ///
    /// [`DefinitionError::WrongChain`], then
    /// [`DefinitionError::WrongToken`].
    pub fn check_applies(
        &self,
        chain_id: u64,
        token: Option<Address>,
    ) -> Result<(), DefinitionError> {
        let d = &self.definition;
        if d.chain_id != chain_id {
            return Err(DefinitionError::WrongChain {
                definition: d.chain_id,
                transaction: chain_id,
            });
        }
        if token != Some(d.token) {
            return Err(DefinitionError::WrongToken {
                definition: d.token,
                transaction: token,
            });
        }
        Ok(())
    }
}
