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

use crate::address::Address;
use crate::error::Error;
use crate::hash::Keccak;
use crate::key::SigningKey;
use crate::signature::{recover_hash, Signature};

mod error;
mod unit;

pub use error::DefinitionError;
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

const AT_CHAIN: usize = 1;
const AT_TOKEN: usize = 9;
const AT_DECIMALS: usize = 29;
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
fn signing_hash_of(encoded: &[u8]) -> [u8; 32] {
    let mut hasher = Keccak::new();
    hasher.update(DEFINITION_DOMAIN);
    hasher.update(encoded);
    hasher.finalize()
}

/// `bytes` as an array of exactly `N` bytes.
fn exact<const N: usize>(bytes: &[u8]) -> Result<&[u8; N], DefinitionError> {
    let len = bytes.len();
    if len < N {
        return Err(DefinitionError::Truncated { len, expected: N });
    }
    bytes
        .try_into()
        .map_err(|_| DefinitionError::TrailingBytes { len, expected: N })
}

/// `len` bytes at `at` of a fixed-size encoding (in range by construction).
fn field<const N: usize>(bytes: &[u8; N], at: usize, len: usize) -> &[u8] {
    bytes.get(at..at + len).unwrap_or(&[])
}

fn byte<const N: usize>(bytes: &[u8; N], at: usize) -> u8 {
    bytes.get(at).copied().unwrap_or(0)
}

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

/// A definition whose signature was checked and whose signer is trusted
/// ([`SignedDefinition::verify`] is the only way to make one). Whether it
/// applies to a transaction (its chain, its token) is the review's check
/// ([`crate::review::Review::with_definition`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TrustedDefinition {
    definition: TokenDefinition,
    signer: Address,
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    fn key(byte: u8) -> SigningKey {
        SigningKey::from_bytes(&[byte; 32]).unwrap()
    }

    fn usdx() -> TokenDefinition {
        TokenDefinition {
            chain_id: 1_212_101,
            token: Address([0x5f; 20]),
            unit: TokenUnit::new("USDX", 6).unwrap(),
        }
    }

    #[test]
    fn round_trips_and_verifies() {
        let def = usdx();
        let bytes = def.encode();
        assert_eq!(bytes[0], 1);
        assert_eq!(&bytes[31..35], b"USDX");
        assert!(bytes[35..].iter().all(|&b| b == 0));
        assert_eq!(TokenDefinition::decode(&bytes), Ok(def));
        let signed = def.sign(&key(7)).unwrap();
        let wire = signed.encode();
        assert_eq!(SignedDefinition::decode(&wire), Ok(signed));
        let trusted = signed.verify(&[key(7).address()]).unwrap();
        assert_eq!(trusted.definition(), &def);
        assert_eq!(trusted.signer(), key(7).address());
        assert_eq!(trusted.check_applies(1_212_101, Some(def.token)), Ok(()));
    }

    /// `decode_verified` hashes the bytes it received: the same answers as
    /// `decode` then `verify`, for a good definition and for every kind of
    /// refusal, in the same order (decoding, trust, signature).
    #[test]
    fn decode_verified_is_decode_then_verify() {
        let signed = usdx().sign(&key(7)).unwrap();
        let wire = signed.encode();
        let signer = key(7).address();
        let trusted = |a: &Address| *a == signer;
        assert_eq!(
            SignedDefinition::decode_verified(&wire, trusted),
            signed.verify(&[signer])
        );
        assert!(SignedDefinition::decode_verified(&wire, trusted).is_ok());
        // Any byte of the definition changed (decimals here) breaks the
        // signature the hash of the received bytes is checked against.
        let mut altered = wire;
        altered[AT_DECIMALS] = 2;
        let decoded = SignedDefinition::decode(&altered).unwrap();
        assert_eq!(decoded.definition.unit.decimals(), 2);
        assert_eq!(
            SignedDefinition::decode_verified(&altered, trusted),
            Err(DefinitionError::BadSignature)
        );
        assert_eq!(
            SignedDefinition::decode_verified(&wire, |_| false),
            Err(DefinitionError::UntrustedSigner(signer))
        );
        // A decoding error comes before the trust check.
        assert_eq!(
            SignedDefinition::decode_verified(&wire[1..], |_| false),
            Err(SignedDefinition::decode(&wire[1..]).unwrap_err())
        );
    }

    #[test]
    fn every_refusal_by_name() {
        let def = usdx();
        let signed = def.sign(&key(7)).unwrap();
        let trusted = [key(7).address()];
        // Untrusted signer, bad signature.
        assert_eq!(
            signed.verify(&[key(8).address()]),
            Err(DefinitionError::UntrustedSigner(key(7).address()))
        );
        let mut altered = signed;
        altered.definition.unit = TokenUnit::new("USDX", 2).unwrap();
        assert_eq!(altered.verify(&trusted), Err(DefinitionError::BadSignature));
        let mut claimed = def.sign(&key(8)).unwrap();
        claimed.signer = key(7).address();
        assert_eq!(claimed.verify(&trusted), Err(DefinitionError::BadSignature));
        let mut high = signed;
        high.signature.v = 2;
        assert_eq!(high.verify(&trusted), Err(DefinitionError::BadSignature));
        // Wrong chain, wrong token, no token.
        let ok = signed.verify(&trusted).unwrap();
        assert_eq!(
            ok.check_applies(21210, Some(def.token)),
            Err(DefinitionError::WrongChain {
                definition: 1_212_101,
                transaction: 21210
            })
        );
        let other = Address([1; 20]);
        assert_eq!(
            ok.check_applies(1_212_101, Some(other)),
            Err(DefinitionError::WrongToken {
                definition: def.token,
                transaction: Some(other)
            })
        );
        assert!(ok
            .check_applies(1_212_101, None)
            .unwrap_err()
            .to_string()
            .contains("moves no token"));
        // Malformed encodings.
        let wire = signed.encode();
        assert_eq!(
            SignedDefinition::decode(&wire[..100]),
            Err(DefinitionError::Truncated {
                len: 100,
                expected: SIGNED_DEFINITION_LEN
            })
        );
        assert_eq!(
            SignedDefinition::decode(&[]),
            Err(DefinitionError::Truncated {
                len: 0,
                expected: SIGNED_DEFINITION_LEN
            })
        );
        let mut long = [0u8; SIGNED_DEFINITION_LEN + 1];
        long[..SIGNED_DEFINITION_LEN].copy_from_slice(&wire);
        assert_eq!(
            SignedDefinition::decode(&long),
            Err(DefinitionError::TrailingBytes {
                len: SIGNED_DEFINITION_LEN + 1,
                expected: SIGNED_DEFINITION_LEN
            })
        );
        let patched = |at: usize, b: u8| {
            let mut w = wire;
            w[at] = b;
            SignedDefinition::decode(&w)
        };
        assert_eq!(patched(0, 2), Err(DefinitionError::UnsupportedVersion(2)));
        assert_eq!(patched(0, 0), Err(DefinitionError::UnsupportedVersion(0)));
        assert_eq!(
            SignedDefinition::decode(&[2]),
            Err(DefinitionError::UnsupportedVersion(2))
        );
        assert_eq!(
            patched(29, 19),
            Err(DefinitionError::DecimalsOutOfRange(19))
        );
        assert_eq!(patched(30, 0), Err(DefinitionError::SymbolLength(0)));
        assert_eq!(patched(30, 21), Err(DefinitionError::SymbolLength(21)));
        assert_eq!(patched(32, b'-'), Err(DefinitionError::SymbolCharacter));
        assert_eq!(patched(32, 0xd0), Err(DefinitionError::SymbolCharacter));
        // Length 5 takes the first padding byte (zero) as a character.
        assert_eq!(patched(30, 5), Err(DefinitionError::SymbolCharacter));
        assert_eq!(patched(50, b'A'), Err(DefinitionError::NonZeroPadding));
        // Every message is one line that says what is wrong.
        for e in [
            DefinitionError::BadSignature,
            DefinitionError::UntrustedSigner(Address::ZERO),
            DefinitionError::NonZeroPadding,
        ] {
            assert!(!e.to_string().contains('\n'));
        }
    }

    #[test]
    fn units_and_symbols() {
        assert_eq!(
            TokenUnit::new("USDX", 19),
            Err(DefinitionError::DecimalsOutOfRange(19))
        );
        assert_eq!(TokenUnit::new("", 6), Err(DefinitionError::SymbolLength(0)));
        assert_eq!(
            TokenUnit::new(&"A".repeat(21), 6),
            Err(DefinitionError::SymbolLength(21))
        );
        assert_eq!(
            TokenUnit::new("USD\u{421}", 6),
            Err(DefinitionError::SymbolCharacter)
        );
        assert_eq!(
            TokenUnit::new("USD C", 6),
            Err(DefinitionError::SymbolCharacter)
        );
        let unit = TokenUnit::new("A1b2", 0).unwrap();
        assert_eq!(unit.symbol().as_str(), "A1b2");
        assert_eq!(unit.decimals(), 0);
        assert_eq!(std::format!("{:?}", unit.symbol()), "\"A1b2\"");
    }
}
