//! Who authorizes a v2 transaction: the descriptor that the signing hash
//! binds, and the proof that the transaction hash covers.

use heapless::Vec;

use crate::address::Address;
use crate::error::{Error, Field, Location, Problem};
use crate::rlp::encode::{self, put_list, put_string, put_u64, put_uint, Encode};
use crate::rlp::{BufferFull, Item, ListReader, RlpError, Sink};
use crate::signature::Signature;
use crate::tx::limits::MAX_MULTISIG_SIGNERS;

/// The authorization kind of a single signer.
pub const KIND_SINGLE: u8 = 0;
/// The authorization kind of a multisig account.
pub const KIND_MULTISIG: u8 = 1;

/// Who the signing hash binds: one signer, or a multisig account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Descriptor {
    /// `[0]`: one key signs for its own address.
    Single,
    /// `[1, account]`: members sign for the multisig `account`.
    Multisig(Address),
}

impl Encode for Descriptor {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        match self {
            Descriptor::Single => put_list(out, &encode::Str(&[])),
            Descriptor::Multisig(account) => put_list(
                out,
                &(
                    Int(u64::from(KIND_MULTISIG)),
                    encode::Str(account.as_bytes()),
                ),
            ),
        }
    }
}

/// An integer as an RLP value.
#[derive(Clone, Copy, Debug)]
struct Int(u64);

impl Encode for Int {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_u64(out, self.0)
    }
}

/// One member's signature in a multisig authorization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemberSignature {
    /// The member's 33-byte compressed public key.
    pub signer_pubkey: [u8; 33],
    /// Its signature over the shared signing hash.
    pub signature: Signature,
}

/// How a v2 transaction is authorized.
///
/// The multisig variant holds up to 20 signatures inline (about 2 KiB):
/// there is no heap to box them on, and the size is fixed and known.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Authorization {
    /// `single_secp256k1`: one signature by the sending account.
    Single(Signature),
    /// `multisig_secp256k1`: members of `account`, in ascending key order.
    Multisig {
        /// The multisig account.
        account: Address,
        /// The members' signatures, strictly ascending by key.
        signatures: Vec<MemberSignature, MAX_MULTISIG_SIGNERS>,
    },
}

impl Authorization {
    /// The descriptor this authorization signs under.
    pub fn descriptor(&self) -> Descriptor {
        match self {
            Authorization::Single(_) => Descriptor::Single,
            Authorization::Multisig { account, .. } => Descriptor::Multisig(*account),
        }
    }

    /// The wire name of its kind.
    pub fn type_name(&self) -> &'static str {
        match self {
            Authorization::Single(_) => "single_secp256k1",
            Authorization::Multisig { .. } => "multisig_secp256k1",
        }
    }

    /// Checks the proof's form: every signature low-S with `v` in {0, 1}
    /// and scalars in range; a multisig's members non-empty, strictly
    /// ascending by key (so without duplicates), each key a curve point.
    pub fn check_form(&self) -> Result<(), Error> {
        match self {
            Authorization::Single(sig) => sig.check_form(),
            Authorization::Multisig { signatures, .. } => {
                if signatures.is_empty() {
                    return Err(Error::invalid(Field::Signatures, Problem::Empty));
                }
                let mut previous: Option<&[u8; 33]> = None;
                for (i, member) in signatures.iter().enumerate() {
                    let i = u16::try_from(i).unwrap_or(u16::MAX);
                    let at = Location::at(Field::SignerPubkey, i);
                    if let Some(prev) = previous {
                        if member.signer_pubkey == *prev {
                            return Err(Error::Invalid {
                                at,
                                problem: Problem::Duplicate,
                            });
                        }
                        if member.signer_pubkey < *prev {
                            return Err(Error::Invalid {
                                at,
                                problem: Problem::NotAscending,
                            });
                        }
                    }
                    if !crate::signature::is_valid_public_key(&member.signer_pubkey) {
                        return Err(Error::Invalid {
                            at,
                            problem: Problem::InvalidPublicKey,
                        });
                    }
                    member.signature.check_form()?;
                    previous = Some(&member.signer_pubkey);
                }
                Ok(())
            }
        }
    }
}

/// A signature's `[r, s, v]` items (after an optional public key).
struct SigItems<'a>(&'a Signature);

impl Encode for SigItems<'_> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_uint(out, &self.0.r)?;
        put_uint(out, &self.0.s)?;
        put_uint(out, &[self.0.v])
    }
}

struct MemberItems<'a>(&'a MemberSignature);

impl Encode for MemberItems<'_> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_string(out, &self.0.signer_pubkey)?;
        SigItems(&self.0.signature).encode(out)
    }
}

struct Members<'a>(&'a [MemberSignature]);

impl Encode for Members<'_> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        self.0
            .iter()
            .try_for_each(|m| put_list(out, &MemberItems(m)))
    }
}

/// The proof: `[r, s, v]` or `[[pubkey, r, s, v], …]`.
#[derive(Clone, Copy, Debug)]
pub struct Proof<'a>(pub &'a Authorization);

impl Encode for Proof<'_> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        match self.0 {
            Authorization::Single(sig) => put_list(out, &SigItems(sig)),
            Authorization::Multisig { signatures, .. } => put_list(out, &Members(signatures)),
        }
    }
}

fn rlp_at(field: Field) -> impl Fn(RlpError) -> Error {
    move |e| Error::invalid(field, Problem::Rlp(e))
}

impl Descriptor {
    /// Reads `[0]` or `[1, account]`.
    pub fn decode(item: Item<'_>) -> Result<Self, Error> {
        let rlp = rlp_at(Field::Authorization);
        let mut list = item.list().map_err(&rlp)?;
        let kind = list.required().and_then(|i| i.u64()).map_err(&rlp)?;
        let descriptor = match kind {
            0 => Descriptor::Single,
            1 => {
                let account = list
                    .required()
                    .and_then(|i| i.fixed::<20>())
                    .map_err(rlp_at(Field::Account))?;
                Descriptor::Multisig(Address(account))
            }
            _ => {
                return Err(Error::invalid(
                    Field::AuthorizationType,
                    Problem::UnknownVariant,
                ))
            }
        };
        list.finish().map_err(&rlp)?;
        Ok(descriptor)
    }
}

/// Reads `r, s, v` from a proof list: `r` and `s` integers of at most 32
/// bytes, `v` 0 or 1. Their range and low-S are [`Authorization::check_form`]'s.
fn decode_signature(list: &mut ListReader<'_>) -> Result<Signature, Error> {
    let r = list
        .required()
        .and_then(|i| i.uint::<32>())
        .map_err(rlp_at(Field::R))?;
    let s = list
        .required()
        .and_then(|i| i.uint::<32>())
        .map_err(rlp_at(Field::S))?;
    let v = list
        .required()
        .and_then(|i| i.u64())
        .map_err(rlp_at(Field::V))?;
    let v = match v {
        0 | 1 => v as u8,
        _ => return Err(Error::InvalidRecoveryId),
    };
    Ok(Signature { r, s, v })
}

impl Authorization {
    /// Reads the proof of a transaction signed under `descriptor`. The
    /// signatures' form is not checked here (vectors carry high-S dummies);
    /// see [`Authorization::check_form`].
    pub fn decode_proof(descriptor: Descriptor, item: Item<'_>) -> Result<Self, Error> {
        let rlp = rlp_at(Field::Authorization);
        let mut list = item.list().map_err(&rlp)?;
        match descriptor {
            Descriptor::Single => {
                let sig = decode_signature(&mut list)?;
                list.finish().map_err(&rlp)?;
                Ok(Authorization::Single(sig))
            }
            Descriptor::Multisig(account) => {
                let mut signatures = Vec::new();
                let mut index: u16 = 0;
                while let Some(entry) = list.next().map_err(&rlp)? {
                    let mut entry = entry.list().map_err(&rlp)?;
                    let signer_pubkey =
                        entry
                            .required()
                            .and_then(|i| i.fixed::<33>())
                            .map_err(|e| {
                                Error::invalid_at(Field::SignerPubkey, index, Problem::Rlp(e))
                            })?;
                    let signature = decode_signature(&mut entry)?;
                    entry.finish().map_err(&rlp)?;
                    signatures
                        .push(MemberSignature {
                            signer_pubkey,
                            signature,
                        })
                        .map_err(|_| {
                            Error::invalid(
                                Field::Signatures,
                                Problem::TooLong {
                                    max: MAX_MULTISIG_SIGNERS,
                                },
                            )
                        })?;
                    index = index.saturating_add(1);
                }
                Ok(Authorization::Multisig {
                    account,
                    signatures,
                })
            }
        }
    }
}
