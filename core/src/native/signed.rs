//! A signed v2 transaction: single-signer signing, multisig members'
//! signatures and their combination, and the sender a node accepts.

use crate::key::SigningKey;
use heapless::Vec;

use crate::address::Address;
use crate::error::{Error, Field, Location, Problem};
use crate::signature::{address_of_compressed, recover_hash, sign_hash, Signature};
use crate::tx::limits::MAX_MULTISIG_SIGNERS;
use crate::tx::memo::Memo;
use crate::tx::{OpType, Operation, Transaction, MAX_BATCH_OPERATIONS, MAX_METADATA_ENTRIES};

use super::authorization::{Authorization, Descriptor, MemberSignature};
use super::envelope::{signing_hash, tx_hash};

/// Makes an absent `clawback_enabled` of a TokenIssue explicit (`true`), as
/// v2 signs it, so that the stored transaction and its JSON say what was
/// signed.
pub fn normalize<const B: usize, const M: usize>(mut tx: Transaction<B, M>) -> Transaction<B, M> {
    normalize_in_place(&mut tx);
    tx
}

/// [`normalize`] of a transaction where it lies.
pub fn normalize_in_place<const B: usize, const M: usize>(tx: &mut Transaction<B, M>) {
    if let Operation::TokenIssue(issue) = &mut tx.operation {
        issue.clawback_enabled.get_or_insert(true);
    }
    if tx.memo.is_none() {
        tx.memo = Some(Memo::default());
    }
}

/// A v2 transaction with its authorization: a `/v2` request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NativeTx<const B: usize = MAX_BATCH_OPERATIONS, const M: usize = MAX_METADATA_ENTRIES> {
    /// What was signed (normalized: memo present, TokenIssue with eight
    /// fields).
    pub tx: Transaction<B, M>,
    /// How it is authorized.
    pub authorization: Authorization,
}

impl<const B: usize, const M: usize> Default for NativeTx<B, M> {
    /// A slot to parse into and sign in place
    /// ([`NativeTx::sign_in_place`]): the default transaction and an
    /// all-zero signature, which no recovery accepts.
    fn default() -> Self {
        NativeTx {
            tx: Transaction::default(),
            authorization: Authorization::Single(Signature::ZERO),
        }
    }
}

impl<const B: usize, const M: usize> NativeTx<B, M> {
    /// Signs `tx` as a single signer, after checking every rule.
    pub fn sign(tx: Transaction<B, M>, key: &SigningKey) -> Result<Self, Error> {
        let mut request = NativeTx {
            tx,
            ..NativeTx::default()
        };
        request.sign_in_place(key)?;
        Ok(request)
    }

    /// [`NativeTx::sign`] where the request lies: normalizes and checks
    /// `self.tx`, then sets `self.authorization` to the single signer's
    /// signature. For callers that parse into a request they own
    /// ([`crate::json::parse_unsigned_into`]), so no 15 KB transaction is
    /// moved; on an error the authorization is left as it was.
    pub fn sign_in_place(&mut self, key: &SigningKey) -> Result<(), Error> {
        normalize_in_place(&mut self.tx);
        self.tx.check()?;
        let signature = sign_hash(&signing_hash(&self.tx, Descriptor::Single), key)?;
        self.authorization = Authorization::Single(signature);
        Ok(())
    }

    /// Assembles a multisig authorization from members' signatures over
    /// `tx` for `account`: each signature is checked against its member's
    /// key before anything is sent, and the members are put in the proof's
    /// order (ascending key). A duplicate member is refused.
    pub fn combine(
        tx: Transaction<B, M>,
        account: Address,
        members: &[MemberSignature],
    ) -> Result<Self, Error> {
        let tx = normalize(tx);
        tx.check()?;
        let hash = signing_hash(&tx, Descriptor::Multisig(account));
        let mut signatures: Vec<MemberSignature, MAX_MULTISIG_SIGNERS> = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            let at = Location::at(Field::SignerPubkey, i);
            let expected = address_of_compressed(&member.signer_pubkey).ok_or(Error::Invalid {
                at,
                problem: Problem::InvalidPublicKey,
            })?;
            if recover_hash(&hash, &member.signature)? != expected {
                return Err(Error::SignerMismatch);
            }
            signatures.push(*member).map_err(|_| Error::Invalid {
                at: Location::field(Field::Signatures),
                problem: Problem::TooLong {
                    max: MAX_MULTISIG_SIGNERS,
                },
            })?;
        }
        signatures.sort_unstable_by_key(|m| m.signer_pubkey);
        let authorization = Authorization::Multisig {
            account,
            signatures,
        };
        authorization.check_form()?;
        Ok(NativeTx { tx, authorization })
    }

    /// The digest the signatures cover.
    pub fn signing_hash(&self) -> [u8; 32] {
        signing_hash(&self.tx, self.authorization.descriptor())
    }

    /// The transaction hash.
    pub fn tx_hash(&self) -> [u8; 32] {
        tx_hash(&self.tx, &self.authorization)
    }

    /// The sending account: the single signer's recovered address, or the
    /// multisig account (after checking every member's signature against
    /// its key; whether the members reach the threshold is the ledger's
    /// question).
    pub fn sender(&self) -> Result<Address, Error> {
        self.authorization.check_form()?;
        let hash = self.signing_hash();
        match &self.authorization {
            Authorization::Single(sig) => recover_hash(&hash, sig),
            Authorization::Multisig {
                account,
                signatures,
            } => {
                for (i, member) in signatures.iter().enumerate() {
                    let i = u16::try_from(i).unwrap_or(u16::MAX);
                    let expected =
                        address_of_compressed(&member.signer_pubkey).ok_or(Error::Invalid {
                            at: Location::at(Field::SignerPubkey, i),
                            problem: Problem::InvalidPublicKey,
                        })?;
                    if recover_hash(&hash, &member.signature)? != expected {
                        return Err(Error::SignerMismatch);
                    }
                }
                Ok(*account)
            }
        }
    }

    /// The REST path to send this to.
    pub fn path(&self) -> &'static str {
        self.tx.op_type().v2_path()
    }

    /// The operation type.
    pub fn op_type(&self) -> OpType {
        self.tx.op_type()
    }
}

/// One member's signature over `tx` for the multisig `account`: what each
/// member produces separately, to be combined with [`NativeTx::combine`].
pub fn sign_as_member<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    account: Address,
    key: &SigningKey,
) -> Result<MemberSignature, Error> {
    let tx = normalize(tx.clone());
    tx.check()?;
    let signature = sign_hash(&signing_hash(&tx, Descriptor::Multisig(account)), key)?;
    Ok(MemberSignature {
        signer_pubkey: key.public_key_compressed(),
        signature,
    })
}
