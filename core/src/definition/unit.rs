//! A token's unit as a definition carries it: the symbol (checked ASCII)
//! and the decimals.

use core::fmt;

use super::{DefinitionError, MAX_DEFINITION_DECIMALS, MAX_DEFINITION_SYMBOL_LEN};

/// A token's symbol as a definition carries it: 1 to 20 ASCII letters and
/// digits, so that it shows the same on every screen and no look-alike
/// character can be in it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenSymbol {
    bytes: [u8; MAX_DEFINITION_SYMBOL_LEN],
    pub(super) len: u8,
}

impl TokenSymbol {
    /// Checks `symbol`.
    ///
    /// # Errors
    ///
    /// [`DefinitionError::SymbolLength`] or
    /// [`DefinitionError::SymbolCharacter`].
    pub fn new(symbol: &str) -> Result<Self, DefinitionError> {
        Self::from_bytes(symbol.as_bytes())
    }

    pub(super) fn from_bytes(symbol: &[u8]) -> Result<Self, DefinitionError> {
        let len = symbol.len();
        if len == 0 || len > MAX_DEFINITION_SYMBOL_LEN {
            return Err(DefinitionError::SymbolLength(
                u8::try_from(len).unwrap_or(u8::MAX),
            ));
        }
        if !symbol.iter().all(u8::is_ascii_alphanumeric) {
            return Err(DefinitionError::SymbolCharacter);
        }
        let mut bytes = [0u8; MAX_DEFINITION_SYMBOL_LEN];
        if let Some(dst) = bytes.get_mut(..len) {
            dst.copy_from_slice(symbol);
        }
        Ok(TokenSymbol {
            bytes,
            // len <= 20
            len: len as u8,
        })
    }

    /// The symbol.
    pub fn as_str(&self) -> &str {
        crate::hex::ascii_str(self.bytes.get(..usize::from(self.len)).unwrap_or(&[]))
    }
}

impl fmt::Debug for TokenSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for TokenSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A token's unit: how many base units make one token, and what one token
/// is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TokenUnit {
    pub(super) symbol: TokenSymbol,
    pub(super) decimals: u8,
}

impl TokenUnit {
    /// The unit of `decimals` decimals named `symbol`.
    ///
    /// # Errors
    ///
    /// A symbol error, or [`DefinitionError::DecimalsOutOfRange`].
    pub fn new(symbol: &str, decimals: u8) -> Result<Self, DefinitionError> {
        if decimals > MAX_DEFINITION_DECIMALS {
            return Err(DefinitionError::DecimalsOutOfRange(decimals));
        }
        Ok(TokenUnit {
            symbol: TokenSymbol::new(symbol)?,
            decimals,
        })
    }

    /// The symbol.
    pub fn symbol(&self) -> &TokenSymbol {
        &self.symbol
    }

    /// The decimals (0..=18): one token is 10^decimals base units.
    pub fn decimals(&self) -> u8 {
        self.decimals
    }
}
