//! The signature and authorization objects of request bodies, declared as
//! records like everything else.
//!
//! - v1: `"signature": {"r": "0x…", "s": "0x…", "v": 0}`;
//! - v2: `"authorization": {"type": "single_secp256k1", "signature": {…}}`
//!   or `{"type": "multisig_secp256k1", "account": "0x…", "signatures":
//!   [{"signer_pubkey": "0x…66 hex…", "signature": {…}}, …]}`.
//!
//! `r` and `s` are read with 1 to 64 hex digits (any case) and written
//! with 64 lowercase; `v` must be 0 or 1.

use core::ops::ControlFlow;

use heapless::Vec;
use serde::de::{self, Deserializer};

use crate::address::Address;
use crate::error::{Error, Field, Location, Problem};
use crate::field::json_read::read_str;
use crate::field::record::record;
use crate::field::word::word_enum;
use crate::field::{Ctx, FieldValue, JsonWriter, ShowVisitor, Shown, ValueSchema};
use crate::hex::{self, hex_value, write_hex_lower};
use crate::native::{Authorization, MemberSignature};
use crate::rlp::encode::{put_string, put_uint};
use crate::rlp::{BufferFull, Item, RlpError, Sink};
use crate::signature::Signature;
use crate::tx::limits::MAX_MULTISIG_SIGNERS;

/// A 32-byte scalar (`r` or `s`): JSON `0x` + 1..=64 hex digits, written
/// with 64.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Scalar(pub [u8; 32]);

fn parse_scalar(text: &str) -> Option<[u8; 32]> {
    let digits = text.strip_prefix("0x")?.as_bytes();
    if digits.is_empty() || digits.len() > 64 {
        return None;
    }
    let mut out = [0u8; 32];
    // Digit k from the right sets nibble k of the 64-nibble value.
    for (k, d) in digits.iter().rev().enumerate() {
        let v = hex_value(*d)?;
        let byte = out.get_mut(31 - k / 2)?;
        *byte |= if k % 2 == 0 { v } else { v << 4 };
    }
    Some(out)
}

impl FieldValue for Scalar {
    const MAX_RLP_LEN: usize = 33;
    const MAX_JSON_LEN: usize = 68;
    const EMPTY_IS_VALUE: bool = true;
    const SCHEMA: ValueSchema = ValueSchema::HexNumber { max_len: 32 };

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_uint(out, &self.0)
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        item.uint::<32>().map(Scalar).map_err(|e| Error::Invalid {
            at,
            problem: Problem::Rlp(e),
        })
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        let mut text = [0u8; 66];
        text[0] = b'0';
        text[1] = b'x';
        write_hex_lower(&self.0, &mut text[2..]);
        out.ascii_string(&text)
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        let mut buf = [0u8; 66];
        let text = read_str(d, ctx, at, &mut buf, Problem::InvalidHex)?;
        parse_scalar(text)
            .map(Scalar)
            .ok_or_else(|| ctx.invalid(at, Problem::InvalidHex))
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        out.item(label, at.index, Shown::Hex(&self.0))
    }
}

/// The recovery id `v`: 0 or 1 (27, 28 and the rest are refused, not
/// converted: they mean another digest was signed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Parity(pub u8);

impl FieldValue for Parity {
    const MAX_RLP_LEN: usize = 1;
    const MAX_JSON_LEN: usize = 1;
    const EMPTY_IS_VALUE: bool = true;
    const SCHEMA: ValueSchema = ValueSchema::Integer { min: 0, max: 1 };

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_uint(out, &[self.0])
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        match item.u64() {
            Ok(v @ (0 | 1)) => Ok(Parity(v as u8)),
            Ok(_) => Err(Error::InvalidRecoveryId),
            Err(e) => Err(Error::Invalid {
                at,
                problem: Problem::Rlp(e),
            }),
        }
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        out.u64(u64::from(self.0))
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        match crate::field::json_read::read_u64(d, ctx, at)? {
            v @ (0 | 1) => Ok(Parity(v as u8)),
            _ => Err(ctx.fail(Error::InvalidRecoveryId)),
        }
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        out.item(label, at.index, Shown::Number(u64::from(self.0)))
    }
}

/// A compressed public key as a multisig proof carries it: JSON `0x` + 66
/// hex digits, RLP a 33-byte string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PubkeyHex(pub [u8; 33]);

impl Default for PubkeyHex {
    fn default() -> Self {
        PubkeyHex([0; 33])
    }
}

impl FieldValue for PubkeyHex {
    const MAX_RLP_LEN: usize = 34;
    const MAX_JSON_LEN: usize = 70;
    const EMPTY_IS_VALUE: bool = false;
    const SCHEMA: ValueSchema = ValueSchema::Hex {
        min_len: 33,
        max_len: 33,
    };

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_string(out, &self.0)
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        item.fixed::<33>()
            .map(PubkeyHex)
            .map_err(|e: RlpError| Error::Invalid {
                at,
                problem: Problem::Rlp(e),
            })
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        let mut text = [0u8; 68];
        text[0] = b'0';
        text[1] = b'x';
        write_hex_lower(&self.0, &mut text[2..]);
        out.ascii_string(&text)
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        ctx.enter(at.field);
        let raw = <&'de str as de::Deserialize<'de>>::deserialize(d)?;
        hex::decode_fixed::<33>(raw.as_bytes())
            .map(PubkeyHex)
            .map_err(|_| ctx.invalid(at, Problem::InvalidPublicKey))
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        out.item(label, at.index, Shown::Hex(&self.0))
    }
}

record! {
    /// `{"r", "s", "v"}`.
    pub struct SignatureJson {
        /// `r`.
        r: Scalar => R, "r";
        /// `s`.
        s: Scalar => S, "s";
        /// `v`.
        v: Parity => V, "v";
    }
}

impl From<&Signature> for SignatureJson {
    fn from(sig: &Signature) -> Self {
        SignatureJson {
            r: Scalar(sig.r),
            s: Scalar(sig.s),
            v: Parity(sig.v),
        }
    }
}

impl From<&SignatureJson> for Signature {
    fn from(json: &SignatureJson) -> Self {
        Signature {
            r: json.r.0,
            s: json.s.0,
            v: json.v.0,
        }
    }
}

word_enum! {
    /// `authorization.type`.
    pub enum AuthorizationType {
        /// One signature.
        Single => "single_secp256k1",
        /// Members of a multisig account.
        Multisig => "multisig_secp256k1",
    }
}

record! {
    /// One member's entry of a multisig authorization.
    pub struct MemberJson {
        /// The member's compressed key.
        signer_pubkey: PubkeyHex => SignerPubkey, "Signer key";
        /// Its signature.
        signature: SignatureJson => Signature, "Signature";
    }
}

record! {
    /// The v2 `authorization` object.
    pub struct AuthorizationJson {
        /// Single or multisig.
        kind as "type": AuthorizationType => AuthorizationType, "Authorization";
        /// The multisig account.
        account: Option<Address> => Account, "Account";
        /// The single signature.
        signature: Option<SignatureJson> => Signature, "Signature";
        /// The members' signatures.
        signatures: Option<Vec<MemberJson, MAX_MULTISIG_SIGNERS>> => Signatures, "Signatures";
    }
}

impl From<&Authorization> for AuthorizationJson {
    fn from(auth: &Authorization) -> Self {
        match auth {
            Authorization::Single(sig) => AuthorizationJson {
                kind: AuthorizationType::Single,
                account: None,
                signature: Some(sig.into()),
                signatures: None,
            },
            Authorization::Multisig {
                account,
                signatures,
            } => AuthorizationJson {
                kind: AuthorizationType::Multisig,
                account: Some(*account),
                signature: None,
                signatures: Some(
                    signatures
                        .iter()
                        .map(|m| MemberJson {
                            signer_pubkey: PubkeyHex(m.signer_pubkey),
                            signature: (&m.signature).into(),
                        })
                        .collect(),
                ),
            },
        }
    }
}

impl TryFrom<&AuthorizationJson> for Authorization {
    type Error = Error;

    /// A single authorization must carry `signature` and nothing else; a
    /// multisig one `account` and `signatures`.
    fn try_from(json: &AuthorizationJson) -> Result<Self, Error> {
        let missing = |f| Error::Json(crate::error::JsonError::MissingField(f));
        let unexpected = |f: Field| {
            Error::Json(crate::error::JsonError::UnknownField(
                crate::error::Key::new(f.json_key()),
            ))
        };
        match json.kind {
            AuthorizationType::Single => {
                if json.account.is_some() {
                    return Err(unexpected(Field::Account));
                }
                if json.signatures.is_some() {
                    return Err(unexpected(Field::Signatures));
                }
                let sig = json.signature.as_ref().ok_or(missing(Field::Signature))?;
                Ok(Authorization::Single(sig.into()))
            }
            AuthorizationType::Multisig => {
                if json.signature.is_some() {
                    return Err(unexpected(Field::Signature));
                }
                let account = json.account.ok_or(missing(Field::Account))?;
                let members = json.signatures.as_ref().ok_or(missing(Field::Signatures))?;
                let signatures = members
                    .iter()
                    .map(|m| MemberSignature {
                        signer_pubkey: m.signer_pubkey.0,
                        signature: (&m.signature).into(),
                    })
                    .collect();
                Ok(Authorization::Multisig {
                    account,
                    signatures,
                })
            }
        }
    }
}
