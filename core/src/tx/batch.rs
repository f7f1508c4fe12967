//! BatchPayment (op 14, v2 only): one token from the signer to many
//! recipients, all or nothing.

use core::ops::ControlFlow;

use heapless::Vec;

use super::limits::{MAX_BATCH_ID_LEN, MAX_BATCH_OPERATIONS};
use super::{Op, OpType};
use crate::address::Address;
use crate::amount::Amount;
use crate::error::{Error, Field, Problem};
use crate::field::record::record;
use crate::field::{FieldValue, ShowVisitor, Shown, B256};
use crate::hash::Keccak;
use crate::text::{FreeTextRule, Text};

/// The label of a batch's total (a derived review item).
pub const LABEL_BATCH_TOTAL: &str = "Total";
/// How a review shows a total above 2^256-1 (a batch signing refuses).
pub const TOTAL_OVERFLOW: &str = "more than 2^256-1";

/// A batch's correlation id (may be empty, which is still present).
pub type BatchId = Text<MAX_BATCH_ID_LEN, FreeTextRule>;

record! {
    /// One payment of a batch.
    pub struct BatchEntry {
        /// Who receives it.
        recipient: Address => OperationRecipient, "Recipient";
        /// Base units.
        amount: Amount => OperationAmount, "Amount";
    }
}

record! {
    /// BatchPayment: pays every `operations` entry in `token`, in order, or
    /// none. `operations_hash`, when given, must be
    /// keccak256(rlp(operations)); `batch_id` is correlation only. `B` is
    /// the list's capacity.
    pub struct BatchPayment<const B: usize = MAX_BATCH_OPERATIONS> {
        /// The token.
        token: Address => Token, "Token";
        /// The payments, in order.
        operations: Vec<BatchEntry, B> => Operations, "Payments";
        /// Unix seconds the batch was made.
        created_at: u64 => CreatedAt, "Created at";
        /// keccak256 of the operations' RLP (optional).
        operations_hash: Option<B256> => OperationsHash, "Operations hash";
        /// A correlation id (optional; `""` is present).
        batch_id: Option<BatchId> => BatchId, "Batch id";
    }
}

impl<const B: usize> BatchPayment<B> {
    /// keccak256(rlp(operations)): what `operations_hash` must be.
    pub fn compute_operations_hash(&self) -> B256 {
        let mut hasher = Keccak::new();
        // A hasher never refuses bytes.
        let _ = self.operations.encode_rlp(&mut hasher);
        B256(hasher.finalize())
    }

    /// The sum of the amounts, or `None` above 2^256-1.
    pub fn total(&self) -> Option<Amount> {
        self.operations
            .iter()
            .try_fold(Amount::ZERO, |sum, op| sum.checked_add(&op.amount))
    }
}

impl<const B: usize> Op for BatchPayment<B> {
    const TYPE: OpType = OpType::BatchPayment;

    /// The node's static checks, in its order: operations not empty; then,
    /// in operation order, the first zero recipient or zero amount; then an
    /// `operations_hash` mismatch; then a total above 2^256-1.
    fn check(&self) -> Result<(), Error> {
        if self.operations.is_empty() {
            return Err(Error::invalid(Field::Operations, Problem::Empty));
        }
        for (i, op) in self.operations.iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            if op.recipient.is_zero() {
                return Err(Error::invalid_at(
                    Field::OperationRecipient,
                    i,
                    Problem::ZeroAddress,
                ));
            }
            if op.amount.is_zero() {
                return Err(Error::invalid_at(Field::OperationAmount, i, Problem::Zero));
            }
        }
        if let Some(given) = self.operations_hash {
            if given != self.compute_operations_hash() {
                return Err(Error::invalid(Field::OperationsHash, Problem::Mismatch));
            }
        }
        if self.total().is_none() {
            return Err(Error::invalid(Field::Operations, Problem::SumOverflow));
        }
        Ok(())
    }

    /// The sum of the payments, after them: what leaves the signer's
    /// account.
    fn show_derived<'a, V: ShowVisitor<'a>>(&'a self, out: &mut V) -> ControlFlow<()> {
        let total = match self.total() {
            Some(total) => Shown::Amount(total),
            None => Shown::Word(TOTAL_OVERFLOW),
        };
        out.item(LABEL_BATCH_TOTAL, None, total)
    }
}
