//! What an operation command hands the pipeline: the core's operation,
//! built from its flags, and what only a server can complete (an amount
//! in whole tokens whose decimals are not given, a sender that defaults to
//! the sending account).

use serde_json::{Map, Value};
use tokensign_core::tx::{Memo, OpType};
use tokensign_core::{Address, Amount, Operation, Transaction};

use super::super::amount::{whole_to_base, GivenAmount};
use crate::cmd::exit::CliError;

/// An amount in whole tokens waiting for its token's decimals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingAmount {
    /// The whole tokens as typed (syntax checked).
    pub tokens: String,
    /// The token whose decimals convert it.
    pub token: Address,
}

/// An operation as its command built it, before the server is asked
/// anything.
#[derive(Clone, Debug)]
pub struct Draft {
    /// The operation. While [`Draft::amount`] is pending its amount is
    /// zero; while [`Draft::default_sender`] holds its sender is the zero
    /// address.
    pub operation: Operation,
    /// The amount, when it waits for the token's decimals.
    pub amount: Option<PendingAmount>,
    /// The operation's sender (burn-bridge's `sender`) is the sending
    /// account, known once the signer is.
    pub default_sender: bool,
    /// What the command adds to its output (`account` of a new multisig).
    pub extra: Map<String, Value>,
}

impl Draft {
    /// A draft of `operation`, complete as it is.
    pub fn new(operation: impl Into<Operation>) -> Self {
        Draft {
            operation: operation.into(),
            amount: None,
            default_sender: false,
            extra: Map::new(),
        }
    }

    /// The operation's type.
    pub fn op_type(&self) -> OpType {
        self.operation.op_type()
    }

    /// Sets the operation's amount as given: base units, whole tokens with
    /// the decimals given, or whole tokens of `token` whose decimals the
    /// server will tell.
    pub fn with_amount(mut self, given: GivenAmount, token: Address) -> Result<Self, CliError> {
        let value = match given {
            GivenAmount::Base(amount) => amount,
            GivenAmount::Tokens(tokens, Some(decimals)) => whole_to_base(&tokens, decimals)?,
            GivenAmount::Tokens(tokens, None) => {
                self.amount = Some(PendingAmount { tokens, token });
                Amount::ZERO
            }
        };
        *amount_of(&mut self.operation)
            .ok_or_else(|| CliError::internal("this operation has no amount"))? = value;
        Ok(self)
    }

    /// The transaction of this draft with the values the pipeline found:
    /// the amount in base units when it was pending, the sending account.
    /// Not checked here: the pipeline checks it once with what the flags
    /// give, the signer again before it signs.
    pub fn complete(
        &self,
        chain_id: u64,
        nonce: u64,
        memo: Option<Memo>,
        amount: Option<Amount>,
        sender: Address,
    ) -> Transaction {
        let mut operation = self.operation.clone();
        if let (Some(amount), Some(slot)) = (amount, amount_of(&mut operation)) {
            *slot = amount;
        }
        if let (true, Operation::TokenBurnAndBridge(burn)) = (self.default_sender, &mut operation) {
            burn.sender = sender;
        }
        Transaction {
            chain_id,
            nonce,
            operation,
            memo,
        }
    }
}

/// The amount an operation moves (`value`), for the operations whose
/// amount `--value`/`--amount` give.
fn amount_of(operation: &mut Operation) -> Option<&mut Amount> {
    match operation {
        Operation::Payment(op) => Some(&mut op.value),
        Operation::TokenMint(op) => Some(&mut op.value),
        Operation::TokenBurn(op) => Some(&mut op.value),
        Operation::TokenClawback(op) => Some(&mut op.value),
        Operation::TokenBridgeAndMint(op) => Some(&mut op.value),
        Operation::TokenBurnAndBridge(op) => Some(&mut op.value),
        _ => None,
    }
}
