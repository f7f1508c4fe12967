//! A transaction before any signature: chain, nonce, one operation, and an
//! optional memo. Both schemes sign it; they differ in how.

use super::limits::{MAX_CHAIN_ID, MAX_NONCE};
use super::memo::Memo;
use super::{OpType, Operation, MAX_BATCH_OPERATIONS, MAX_METADATA_ENTRIES};
use crate::error::{Error, Field, Location, Problem};
use crate::field::record::FieldReader;
use crate::field::FieldValue;
use crate::rlp::encode::{put_list, put_u64, Encode};
use crate::rlp::header::list_len;
use crate::rlp::{BufferFull, Item, Sink};

/// What a signer signs: `P = [chain_id, nonce, fields…]` and, when there is
/// one, a memo.
///
/// `memo` is `None` for a legacy transaction without a memo (its signed
/// bytes are `rlp(P)`); `Some` switches legacy to `rlp([P, M])`. Native v2
/// always signs a memo: `None` is the empty memo there.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Transaction<const B: usize = MAX_BATCH_OPERATIONS, const M: usize = MAX_METADATA_ENTRIES>
{
    /// The chain, 0..=2^63-1.
    pub chain_id: u64,
    /// The signer's nonce, 0..=2^63-1.
    pub nonce: u64,
    /// The operation.
    pub operation: Operation<B, M>,
    /// The memo, if any.
    pub memo: Option<Memo>,
}

impl<const B: usize, const M: usize> Default for Transaction<B, M> {
    /// A slot to read a transaction into in place (chain 0, nonce 0, a
    /// zero payment, no memo): not a transaction anyone means to sign.
    fn default() -> Self {
        Transaction::new(0, 0, super::Payment::default())
    }
}

impl<const B: usize, const M: usize> Transaction<B, M> {
    /// Largest RLP of `P` for these capacities.
    pub const MAX_PAYLOAD_RLP_LEN: usize = list_len(2 * 9 + Operation::<B, M>::MAX_FIELDS_RLP_LEN);
    /// Largest RLP of `[P, M]` for these capacities.
    pub const MAX_PAYLOAD_WITH_MEMO_RLP_LEN: usize =
        list_len(Self::MAX_PAYLOAD_RLP_LEN + <Memo as FieldValue>::MAX_RLP_LEN);

    /// A transaction without a memo.
    pub fn new(chain_id: u64, nonce: u64, operation: impl Into<Operation<B, M>>) -> Self {
        Transaction {
            chain_id,
            nonce,
            operation: operation.into(),
            memo: None,
        }
    }

    /// The same transaction with `memo`.
    pub fn with_memo(mut self, memo: Memo) -> Self {
        self.memo = Some(memo);
        self
    }

    /// The operation's type.
    pub fn op_type(&self) -> OpType {
        self.operation.op_type()
    }

    /// Every rule a signer enforces: the ranges of `chain_id` and `nonce`,
    /// the operation's own rules, the memo's size.
    pub fn check(&self) -> Result<(), Error> {
        if self.chain_id > MAX_CHAIN_ID {
            return Err(Error::Invalid {
                at: Location::field(Field::ChainId),
                problem: Problem::OutOfRange {
                    min: 0,
                    max: MAX_CHAIN_ID,
                },
            });
        }
        if self.nonce > MAX_NONCE {
            return Err(Error::Invalid {
                at: Location::field(Field::Nonce),
                problem: Problem::OutOfRange {
                    min: 0,
                    max: MAX_NONCE,
                },
            });
        }
        self.operation.check()?;
        if let Some(memo) = &self.memo {
            memo.check()?;
        }
        Ok(())
    }

    /// `P` as an RLP value: the list `[chain_id, nonce, fields…]`.
    pub fn payload(&self) -> PayloadList<'_, B, M> {
        PayloadList(self)
    }

    /// Reads `P` of an operation of type `op`: chain id, nonce and
    /// operation.
    pub fn decode_payload(
        op: OpType,
        item: Item<'_>,
    ) -> Result<(u64, u64, Operation<B, M>), Error> {
        let mut list = item.list().map_err(Error::Rlp)?;
        let mut reader = FieldReader::new(&mut list);
        let (mut chain_id, mut nonce) = (0, 0);
        reader.field_into(&mut chain_id, Location::field(Field::ChainId))?;
        reader.field_into(&mut nonce, Location::field(Field::Nonce))?;
        let operation = Operation::decode_fields(op, &mut list)?;
        Ok((chain_id, nonce, operation))
    }

    /// Reads `P` of an operation of type `op` into `self`, in place:
    /// chain id, nonce and operation (the memo is left as it is). What
    /// [`Transaction::decode_payload`] does without a second transaction
    /// on the stack; on an error `self` is some valid transaction.
    pub fn decode_payload_into(&mut self, op: OpType, item: Item<'_>) -> Result<(), Error> {
        let mut list = item.list().map_err(Error::Rlp)?;
        let mut reader = FieldReader::new(&mut list);
        reader.field_into(&mut self.chain_id, Location::field(Field::ChainId))?;
        reader.field_into(&mut self.nonce, Location::field(Field::Nonce))?;
        self.operation.decode_fields_into(op, &mut list)
    }

    /// Reads a memo's RLP into `self.memo`, in place.
    pub(crate) fn decode_memo_into(&mut self, item: Item<'_>) -> Result<(), Error> {
        let memo = self.memo.get_or_insert_with(Memo::default);
        memo.decode_rlp_into(item, Location::field(Field::Memo))
    }
}

/// `P = [chain_id, nonce, fields…]` of a transaction, as an RLP value.
#[derive(Clone, Copy, Debug)]
pub struct PayloadList<'a, const B: usize, const M: usize>(&'a Transaction<B, M>);

struct PayloadItems<'a, const B: usize, const M: usize>(&'a Transaction<B, M>);

impl<const B: usize, const M: usize> Encode for PayloadItems<'_, B, M> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_u64(out, self.0.chain_id)?;
        put_u64(out, self.0.nonce)?;
        self.0.operation.encode_fields(out)
    }
}

impl<const B: usize, const M: usize> Encode for PayloadList<'_, B, M> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_list(out, &PayloadItems(self.0))
    }
}
