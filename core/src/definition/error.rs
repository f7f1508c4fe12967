//! Why a definition was refused: one named cause each.

use core::fmt;

use super::{DEFINITION_VERSION, MAX_DEFINITION_DECIMALS, MAX_DEFINITION_SYMBOL_LEN};
use crate::address::Address;

/// Why a definition was refused. Each names one cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DefinitionError {
    /// Fewer bytes than a definition of this version has.
    Truncated {
        /// The bytes given.
        len: usize,
        /// The bytes it must have.
        expected: usize,
    },
    /// More bytes than a definition of this version has.
    TrailingBytes {
        /// The bytes given.
        len: usize,
        /// The bytes it must have.
        expected: usize,
    },
    /// A version this core does not read.
    UnsupportedVersion(u8),
    /// Decimals above 18.
    DecimalsOutOfRange(u8),
    /// A symbol length of 0 or above 20.
    SymbolLength(u8),
    /// A symbol character that is not an ASCII letter or digit.
    SymbolCharacter,
    /// A non-zero byte after the symbol.
    NonZeroPadding,
    /// The signature is malformed, does not recover, or was not made by
    /// the signer the definition names: the definition was altered or
    /// forged.
    BadSignature,
    /// Signed correctly, by a key that is not a trusted definitions signer.
    UntrustedSigner(Address),
    /// The definition is for another chain than the transaction's.
    WrongChain {
        /// The definition's chain id.
        definition: u64,
        /// The transaction's chain id.
        transaction: u64,
    },
    /// The definition is for another token than the transaction's (or the
    /// transaction moves no token: `None`).
    WrongToken {
        /// The definition's token.
        definition: Address,
        /// The transaction's token, if it has one.
        transaction: Option<Address>,
    },
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefinitionError::Truncated { len, expected } => write!(
                f,
                "token definition is truncated: {len} bytes, a definition has {expected}"
            ),
            DefinitionError::TrailingBytes { len, expected } => write!(
                f,
                "token definition is too long: {len} bytes, a definition has {expected}"
            ),
            DefinitionError::UnsupportedVersion(v) => write!(
                f,
                "token definition version {v} is not supported (this signer reads version {DEFINITION_VERSION}): get a version {DEFINITION_VERSION} definition"
            ),
            DefinitionError::DecimalsOutOfRange(d) => write!(
                f,
                "token definition has {d} decimals; at most {MAX_DEFINITION_DECIMALS} are allowed"
            ),
            DefinitionError::SymbolLength(n) => write!(
                f,
                "token definition's symbol is {n} bytes; it must be 1 to {MAX_DEFINITION_SYMBOL_LEN}"
            ),
            DefinitionError::SymbolCharacter => f.write_str(
                "token definition's symbol holds a character that is not an ASCII letter or digit",
            ),
            DefinitionError::NonZeroPadding => {
                f.write_str("token definition has non-zero bytes after its symbol")
            }
            DefinitionError::BadSignature => f.write_str(
                "token definition's signature is not valid for its signer: it was altered or forged; do not use it",
            ),
            DefinitionError::UntrustedSigner(a) => write!(
                f,
                "token definition is signed by {a}, which is not a trusted definitions signer: trust that key first if you know it"
            ),
            DefinitionError::WrongChain {
                definition,
                transaction,
            } => write!(
                f,
                "token definition is for chain {definition}, the transaction is on chain {transaction}: use the definition for this chain"
            ),
            DefinitionError::WrongToken {
                definition,
                transaction: Some(token),
            } => write!(
                f,
                "token definition is for token {definition}, the transaction moves token {token}: use the definition for this token"
            ),
            DefinitionError::WrongToken {
                definition,
                transaction: None,
            } => write!(
                f,
                "token definition is for token {definition}, but the transaction moves no token: leave the definition out"
            ),
        }
    }
}

impl core::error::Error for DefinitionError {}
