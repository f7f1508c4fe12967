//! Signed token definitions: what lets a review show amounts in whole
//! tokens (`1.5 USDX`) instead of base units, and tell a known token from a
//! look-alike.
//!
//! A definition binds a token, (chain id, token address), to its unit,
//! (symbol, decimals). A definitions key signs it; a signer (the device,
//! `tokensign`) uses it only if that key is on its list of trusted
//! definition signers, and only for that chain and that token. Everything
//! is fixed-size: a definition is [`DEFINITION_LEN`] bytes, a signed one
//! [`SIGNED_DEFINITION_LEN`], decoded without an allocator.
//!
//! ## Encoding (version 1)
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 1 | version, `0x01` |
//! | 1 | 8 | chain id, big-endian |
//! | 9 | 20 | token address |
//! | 29 | 1 | decimals, 0..=18 |
//! | 30 | 1 | symbol length, 1..=20 |
//! | 31 | 20 | symbol: ASCII letters and digits, then zero bytes |
//!
//! A signed definition is the encoding, then the signer's address (20
//! bytes), then the signature: `r` (32), `s` (32), `v` (1, 0 or 1). The
//! signature is over [`TokenDefinition::signing_hash`]:
//! `keccak256("tokensign.token-definition" || encoding)`. The prefix is
//! ASCII, so the hashed bytes are never an RLP list (whose first byte is at
//! least `0xc0`): no transaction of either scheme signs the same hash.
//!
//! Every byte has one meaning: lengths are exact, the padding is zero and
//! the symbol's characters are checked, so one definition has exactly one
//! encoding. `docs/definitions.md` is the full description, with vectors in
//! `tests/vectors/definitions/`.
//!
//! ```
//! use tokensign_core::definition::{SignedDefinition, TokenDefinition, TokenUnit};
//! use tokensign_core::native::Descriptor;
//! use tokensign_core::review::Review;
//! use tokensign_core::tx::{Payment, Transaction};
//! use tokensign_core::{Address, Amount, Scheme, SigningKey};
//!
//! # fn main() -> Result<(), Box<dyn core::error::Error>> {
//! // A definitions key signs (a test key here).
//! let key = SigningKey::from_bytes(&[0x42; 32])?;
//! let usdx = Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3")?;
//! let definition = TokenDefinition {
//!     chain_id: 1_212_101,
//!     token: usdx,
//!     unit: TokenUnit::new("USDX", 6)?,
//! };
//! let bytes = definition.sign(&key)?.encode(); // 136 bytes, as they travel
//!
//! // A signer that trusts that key reads and checks it.
//! let trusted = SignedDefinition::decode(&bytes)?.verify(&[key.address()])?;
//! let tx: Transaction = Transaction::new(
//!     1_212_101,
//!     7,
//!     Payment { recipient: Address([2; 20]), value: Amount::from_u64(1_500_000), token: usdx },
//! );
//! let review = Review::new(&tx, Scheme::Native, Descriptor::Single).with_definition(&trusted)?;
//! let amount: Vec<String> = review.pages(64).filter(|p| p.label == "Amount").map(|p| p.to_string()).collect();
//! assert_eq!(amount, ["Amount: 1.5 USDX"]);
//! # Ok(())
//! # }
//! ```

mod error;
mod signed;
#[cfg(test)]
mod tests;
mod token;
mod trusted;
mod unit;

pub use error::DefinitionError;
pub use signed::SignedDefinition;
pub use token::TokenDefinition;
pub use trusted::TrustedDefinition;
pub use unit::{TokenSymbol, TokenUnit};

/// The version this core writes and reads.
pub const DEFINITION_VERSION: u8 = 1;
/// Bytes of an encoded definition.
pub const DEFINITION_LEN: usize = 51;
/// Bytes of a signed definition: the encoding, the signer, `r`, `s`, `v`.
pub const SIGNED_DEFINITION_LEN: usize = DEFINITION_LEN + 20 + 65;
/// What the signing hash puts before the encoding.
pub const DEFINITION_DOMAIN: &[u8] = b"tokensign.token-definition";
/// Longest symbol, in bytes (the network's `symbol` limit).
pub const MAX_DEFINITION_SYMBOL_LEN: usize = 20;
/// Most decimals (the network's limit).
pub const MAX_DEFINITION_DECIMALS: u8 = crate::amount::MAX_WHOLE_TOKEN_DECIMALS;
