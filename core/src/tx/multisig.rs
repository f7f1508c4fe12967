//! CreateMultiSig (op 13): creates a weighted multisig account, and the
//! derivation of that account's address.

use core::ops::ControlFlow;

use heapless::Vec;

use super::limits::{MAX_MULTISIG_SIGNERS, MIN_MULTISIG_SIGNERS};
use super::{Op, OpType};
use crate::address::Address;
use crate::error::{Error, Field, Problem};
use crate::field::record::record;
use crate::field::{KeyAsIntegers, ShowVisitor, Shown};
use crate::hash::Keccak;

/// The domain prefix of a multisig account's address preimage.
pub const MULTISIG_ADDRESS_PREFIX: &[u8] = b"MULTISIG_V1";

/// The review label of the account a CreateMultiSig creates.
pub const LABEL_ACCOUNT_ADDRESS: &str = "Account address";

record! {
    /// One member of a multisig account.
    pub struct MultisigSigner {
        /// The member's 33-byte compressed public key.
        public_key: KeyAsIntegers => SignerPublicKey, "Signer key";
        /// The member's weight, 1..=255.
        weight: u8 => SignerWeight, "Signer weight";
    }
}

record! {
    /// CreateMultiSig: creates the account of `signers` that acts when the
    /// weights of the members who sign reach `threshold`. Signed by the
    /// creating account (v2 only).
    pub struct CreateMultiSig {
        /// The members, in the caller's order (the address does not depend
        /// on it).
        signers: Vec<MultisigSigner, MAX_MULTISIG_SIGNERS> => Signers, "Signers";
        /// The weight that must be reached.
        threshold: u16 => Threshold, "Threshold";
    }
}

impl CreateMultiSig {
    /// The address of the account this creates.
    pub fn account_address(&self) -> Address {
        multisig_address(&self.signers, self.threshold)
    }
}

/// A multisig account's address: the last 20 bytes of
/// keccak256("MULTISIG_V1" ‖ for each signer in ascending order of its
/// compressed key: key (33) ‖ weight (1) ‖ threshold as 2 bytes big-endian).
/// Independent of the order the signers are given in.
pub fn multisig_address(signers: &[MultisigSigner], threshold: u16) -> Address {
    let mut hasher = Keccak::new();
    hasher.update(MULTISIG_ADDRESS_PREFIX);
    let mut sorted: Vec<&MultisigSigner, MAX_MULTISIG_SIGNERS> = Vec::new();
    for signer in signers {
        if sorted.push(signer).is_err() {
            // More signers than an account can have: hash them as given
            // after the sorted ones (such a set is refused by `check`).
            break;
        }
    }
    // Ties (a duplicate key, refused by `check`) break on the weight, so
    // the result is the same on every platform.
    sort_signers(&mut sorted);
    for signer in &sorted {
        hasher.update(&signer.public_key.0);
        hasher.update(&[signer.weight]);
    }
    for signer in signers.iter().skip(sorted.len()) {
        hasher.update(&signer.public_key.0);
        hasher.update(&[signer.weight]);
    }
    hasher.update(&threshold.to_be_bytes());
    let hash = hasher.finalize();
    let mut out = [0u8; 20];
    out.copy_from_slice(hash.get(12..).unwrap_or(&[0; 20]));
    Address(out)
}

/// Sorts at most [`MAX_MULTISIG_SIGNERS`] signers by key, then weight.
/// An insertion sort rather than `sort_unstable_by_key`: for 20 elements
/// it is as fast, and it keeps core's pattern-defeating quicksort (1.5 KB
/// of a 96 KiB firmware, docs/embedded.md "Flash") out of the device.
fn sort_signers(signers: &mut [&MultisigSigner]) {
    for i in 1..signers.len() {
        let mut j = i;
        while j > 0 {
            let (before, after) = signers.split_at_mut(j);
            let (Some(a), Some(b)) = (before.last_mut(), after.first_mut()) else {
                break;
            };
            if (a.public_key, a.weight) <= (b.public_key, b.weight) {
                break;
            }
            core::mem::swap(a, b);
            j -= 1;
        }
    }
}

impl Op for CreateMultiSig {
    const TYPE: OpType = OpType::CreateMultiSig;

    /// The node's `MultiSigAccountV1::validate`: 2..=20 distinct compressed
    /// keys (on the curve), weights 1..=255 summing to at most 65535, a
    /// threshold of 1..=that sum.
    fn check(&self) -> Result<(), Error> {
        if self.signers.len() < MIN_MULTISIG_SIGNERS {
            return Err(Error::invalid(
                Field::Signers,
                Problem::TooFew {
                    min: MIN_MULTISIG_SIGNERS,
                },
            ));
        }
        let mut total: u32 = 0;
        for (i, signer) in self.signers.iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            if !crate::signature::is_valid_public_key(&signer.public_key.0) {
                return Err(Error::invalid_at(
                    Field::SignerPublicKey,
                    i,
                    Problem::InvalidPublicKey,
                ));
            }
            let mut earlier = self.signers.iter().take(usize::from(i));
            if earlier.any(|s| s.public_key == signer.public_key) {
                return Err(Error::invalid_at(
                    Field::SignerPublicKey,
                    i,
                    Problem::Duplicate,
                ));
            }
            if signer.weight == 0 {
                return Err(Error::invalid_at(Field::SignerWeight, i, Problem::Zero));
            }
            total += u32::from(signer.weight);
        }
        if total > u32::from(u16::MAX) {
            return Err(Error::invalid(Field::Signers, Problem::SumOverflow));
        }
        if self.threshold == 0 {
            return Err(Error::invalid(Field::Threshold, Problem::Zero));
        }
        if u32::from(self.threshold) > total {
            return Err(Error::invalid(
                Field::Threshold,
                Problem::OutOfRange {
                    min: 1,
                    max: u64::from(total),
                },
            ));
        }
        Ok(())
    }

    fn show_derived<'a, V: ShowVisitor<'a>>(&'a self, out: &mut V) -> ControlFlow<()> {
        out.item(
            LABEL_ACCOUNT_ADDRESS,
            None,
            Shown::Address(self.account_address()),
        )
    }
}
