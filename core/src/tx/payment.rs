//! Payment (op 1): moves `value` of `token` from the signer to `recipient`.

use super::{Op, OpType};
use crate::address::Address;
use crate::amount::Amount;
use crate::field::record::record;

record! {
    /// Payment: the signer pays `value` base units of `token` to
    /// `recipient`.
    pub struct Payment {
        /// Who receives the value.
        recipient: Address => Recipient, "Recipient";
        /// Base units of the token.
        value: Amount => Value, "Amount";
        /// The token (mint) address.
        token: Address => Token, "Token";
    }
}

impl Op for Payment {
    const TYPE: OpType = OpType::Payment;
}
