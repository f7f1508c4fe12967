//! TokenIssue (op 2): an operator creates a token whose master authority is
//! `master_authority`.

use core::ops::ControlFlow;

use super::limits::{MAX_DECIMALS, MAX_NAME_LEN, MAX_SYMBOL_LEN};
use super::{Op, OpType};
use crate::address::Address;
use crate::error::{Error, Field, Problem};
use crate::field::record::record;
use crate::field::{ShowVisitor, Shown};
use crate::hash::Keccak;
use crate::text::{ShownRule, SymbolRule, Text};

/// A token symbol: 1..=20 bytes, every character alphanumeric.
pub type Symbol = Text<MAX_SYMBOL_LEN, SymbolRule>;
/// A token name: 1..=120 bytes, nothing a screen cannot show honestly.
pub type TokenName = Text<MAX_NAME_LEN, ShownRule>;

/// The review label of the token address an issue creates.
pub const LABEL_TOKEN_ADDRESS: &str = "Token address";
/// The review label of `clawback_enabled` (also shown by a v2 review when
/// the field is absent: v2 signs it as `true`).
pub const LABEL_CLAWBACK: &str = "Clawback";

record! {
    /// TokenIssue: creates the token `symbol`.
    ///
    /// `clawback_enabled` absent is the seven-field form of the issue
    /// spec's API (legacy only); native v2 always signs eight fields, an
    /// absent `clawback_enabled` signed as `true` (the node's default).
    pub struct TokenIssue {
        /// The symbol.
        symbol: Symbol => Symbol, "Symbol";
        /// The name.
        name: TokenName => Name, "Name";
        /// Decimal places, 0..=18.
        decimals: u8 => Decimals, "Decimals";
        /// Who holds the token's master authority.
        master_authority: Address => MasterAuthority, "Master authority";
        /// Whether only whitelisted accounts may use the token.
        is_private: bool => IsPrivate, "Private";
        /// Whether the token can be clawed back (can never change later).
        clawback_enabled: Option<bool> => ClawbackEnabled, LABEL_CLAWBACK;
    }
}

impl TokenIssue {
    /// The address of the token this issue creates: the last 20 bytes of
    /// keccak256(master_authority ‖ symbol).
    pub fn token_address(&self) -> Address {
        token_address(&self.master_authority, &self.symbol)
    }
}

/// The token (mint) address of `symbol` issued to `master_authority`.
pub fn token_address(master_authority: &Address, symbol: &str) -> Address {
    let mut hasher = Keccak::new();
    hasher.update(master_authority.as_bytes());
    hasher.update(symbol.as_bytes());
    let hash = hasher.finalize();
    let mut out = [0u8; 20];
    out.copy_from_slice(hash.get(12..).unwrap_or(&[0; 20]));
    Address(out)
}

impl Op for TokenIssue {
    const TYPE: OpType = OpType::TokenIssue;

    fn check(&self) -> Result<(), Error> {
        if self.decimals > MAX_DECIMALS {
            return Err(Error::invalid(
                Field::Decimals,
                Problem::OutOfRange {
                    min: 0,
                    max: u64::from(MAX_DECIMALS),
                },
            ));
        }
        // A default-built record holds empty texts; refuse them as the
        // parsers do.
        if self.symbol.is_empty() {
            return Err(Error::invalid(Field::Symbol, Problem::Empty));
        }
        if self.name.is_empty() {
            return Err(Error::invalid(Field::Name, Problem::Empty));
        }
        Ok(())
    }

    fn show_derived<'a, V: ShowVisitor<'a>>(&'a self, out: &mut V) -> ControlFlow<()> {
        out.item(
            LABEL_TOKEN_ADDRESS,
            None,
            Shown::Address(self.token_address()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_address_vector() {
        assert_eq!(
            hex::encode(token_address(&Address::ZERO, "TEST").0),
            "32b832b49fc164cae5e6e80d4abc995c7d494519"
        );
    }
}
