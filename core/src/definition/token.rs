//! A definition, bare: its canonical encoding (version 1), its decoding
//! with every field checked, its signing hash and its signature.

use super::{
    DefinitionError, SignedDefinition, TokenSymbol, TokenUnit, DEFINITION_DOMAIN, DEFINITION_LEN,
    DEFINITION_VERSION, MAX_DEFINITION_DECIMALS, MAX_DEFINITION_SYMBOL_LEN,
};
use crate::address::Address;
use crate::error::Error;
use crate::hash::Keccak;
use crate::key::SigningKey;

const AT_CHAIN: usize = 1;
const AT_TOKEN: usize = 9;
pub(super) const AT_DECIMALS: usize = 29;
const AT_SYMBOL_LEN: usize = 30;
const AT_SYMBOL: usize = 31;

/// A definition: this token, on this chain, has this unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TokenDefinition {
    /// The chain the token is on.
    pub chain_id: u64,
    /// The token's address.
    pub token: Address,
    /// Its unit.
    pub unit: TokenUnit,
}

impl TokenDefinition {
    /// The canonical encoding (version 1).
    pub fn encode(&self) -> [u8; DEFINITION_LEN] {
        let mut out = [0u8; DEFINITION_LEN];
        let symbol = self.unit.symbol.as_str().as_bytes();
        let parts: [(usize, &[u8]); 6] = [
            (0, &[DEFINITION_VERSION]),
            (AT_CHAIN, &self.chain_id.to_be_bytes()),
            (AT_TOKEN, &self.token.0),
            (AT_DECIMALS, &[self.unit.decimals]),
            (AT_SYMBOL_LEN, &[self.unit.symbol.len]),
            (AT_SYMBOL, symbol),
        ];
        for (at, bytes) in parts {
            if let Some(dst) = out.get_mut(at..at + bytes.len()) {
                dst.copy_from_slice(bytes);
            }
        }
        out
    }

    /// Reads an encoding: exactly [`DEFINITION_LEN`] bytes of version 1,
    /// every field checked.
    ///
    /// # Errors
    ///
    /// [`DefinitionError::Truncated`] for no bytes; then
    /// [`DefinitionError::UnsupportedVersion`] (the version comes first,
    /// so a definition of another version is named as such whatever its
    /// length); then `Truncated` or [`DefinitionError::TrailingBytes`];
    /// then the fields' errors in encoding order.
    pub fn decode(bytes: &[u8]) -> Result<Self, DefinitionError> {
        match bytes.first() {
            None => {
                return Err(DefinitionError::Truncated {
                    len: 0,
                    expected: DEFINITION_LEN,
                })
            }
            Some(&v) if v != DEFINITION_VERSION => {
                return Err(DefinitionError::UnsupportedVersion(v))
            }
            Some(_) => {}
        }
        let bytes: &[u8; DEFINITION_LEN] = exact(bytes)?;
        let mut chain = [0u8; 8];
        chain.copy_from_slice(field(bytes, AT_CHAIN, 8));
        let mut token = [0u8; 20];
        token.copy_from_slice(field(bytes, AT_TOKEN, 20));
        let decimals = byte(bytes, AT_DECIMALS);
        if decimals > MAX_DEFINITION_DECIMALS {
            return Err(DefinitionError::DecimalsOutOfRange(decimals));
        }
        let len = byte(bytes, AT_SYMBOL_LEN);
        if len == 0 || usize::from(len) > MAX_DEFINITION_SYMBOL_LEN {
            return Err(DefinitionError::SymbolLength(len));
        }
        let (symbol, padding) =
            field(bytes, AT_SYMBOL, MAX_DEFINITION_SYMBOL_LEN).split_at(usize::from(len));
        let symbol = TokenSymbol::from_bytes(symbol)?;
        if padding.iter().any(|&b| b != 0) {
            return Err(DefinitionError::NonZeroPadding);
        }
        Ok(TokenDefinition {
            chain_id: u64::from_be_bytes(chain),
            token: Address(token),
            unit: TokenUnit { symbol, decimals },
        })
    }

    /// What the definitions key signs:
    /// `keccak256(DEFINITION_DOMAIN || encode())`.
    pub fn signing_hash(&self) -> [u8; 32] {
        signing_hash_of(&self.encode())
    }

    /// Signs the definition with `key` (RFC 6979, low-S, as every
    /// signature of the core).
    ///
    /// # Errors
    ///
    /// [`Error::SigningFailed`] (recovery id 2 or 3, about 2^-127).
    pub fn sign(&self, key: &SigningKey) -> Result<SignedDefinition, Error> {
        Ok(SignedDefinition {
            definition: *self,
            signer: key.address(),
            signature: key.sign_hash(&self.signing_hash())?,
        })
    }
}

/// `keccak256(DEFINITION_DOMAIN || encoded)`: the signing hash of the
/// definition whose encoding is `encoded`. Not inlined: the hasher's
/// state is not part of the frame that recovers the signature.
#[inline(never)]
pub(super) fn signing_hash_of(encoded: &[u8]) -> [u8; 32] {
    let mut hasher = Keccak::new();
    hasher.update(DEFINITION_DOMAIN);
    hasher.update(encoded);
    hasher.finalize()
}

/// `bytes` as an array of exactly `N` bytes.
pub(super) fn exact<const N: usize>(bytes: &[u8]) -> Result<&[u8; N], DefinitionError> {
    let len = bytes.len();
    if len < N {
        return Err(DefinitionError::Truncated { len, expected: N });
    }
    bytes
        .try_into()
        .map_err(|_| DefinitionError::TrailingBytes { len, expected: N })
}

/// `len` bytes at `at` of a fixed-size encoding (in range by construction).
pub(super) fn field<const N: usize>(bytes: &[u8; N], at: usize, len: usize) -> &[u8] {
    bytes.get(at..at + len).unwrap_or(&[])
}

pub(super) fn byte<const N: usize>(bytes: &[u8; N], at: usize) -> u8 {
    bytes.get(at).copied().unwrap_or(0)
}
