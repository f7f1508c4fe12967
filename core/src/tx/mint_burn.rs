//! TokenMint (op 3) and TokenBurn (op 8): supply in and out.

use super::{Op, OpType};
use crate::address::Address;
use crate::amount::Amount;
use crate::field::record::record;

record! {
    /// TokenMint: creates `value` base units of `token` for `recipient`
    /// (the master authority, or a minter within its allowance).
    pub struct TokenMint {
        /// Who receives the new tokens.
        recipient: Address => Recipient, "Recipient";
        /// Base units to mint.
        value: Amount => Value, "Amount";
        /// The token.
        token: Address => Token, "Token";
    }
}

impl Op for TokenMint {
    const TYPE: OpType = OpType::TokenMint;
}

record! {
    /// TokenBurn: destroys `value` base units of `token` from the signer's
    /// own balance.
    pub struct TokenBurn {
        /// Base units to burn.
        value: Amount => Value, "Amount";
        /// The token.
        token: Address => Token, "Token";
    }
}

impl Op for TokenBurn {
    const TYPE: OpType = OpType::TokenBurn;
}
