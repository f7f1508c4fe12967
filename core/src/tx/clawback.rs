//! TokenClawback (op 9): takes tokens back from a frozen account. Note the
//! field order: `token` comes first.

use super::{Op, OpType};
use crate::address::Address;
use crate::amount::Amount;
use crate::field::record::record;

record! {
    /// TokenClawback: moves `value` of `token` from `from` to `recipient`.
    pub struct TokenClawback {
        /// The token (first in RLP).
        token: Address => Token, "Token";
        /// The account the tokens are taken from.
        from: Address => From, "From";
        /// Who receives them.
        recipient: Address => Recipient, "Recipient";
        /// Base units.
        value: Amount => Value, "Amount";
    }
}

impl Op for TokenClawback {
    const TYPE: OpType = OpType::TokenClawback;
}
