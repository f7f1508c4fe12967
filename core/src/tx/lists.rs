//! TokenBlacklist (op 5) and TokenWhitelist (op 6): the two account lists.
//! In legacy v1 they sign identical bytes; native v2 tells them apart by
//! the operation type.

use super::{Op, OpType};
use crate::address::Address;
use crate::field::record::record;
use crate::field::word::word_enum;

word_enum! {
    /// Add to or remove from a list.
    pub enum ListAction {
        /// Put the address on the list.
        Add => "Add",
        /// Take it off.
        Remove => "Remove",
    }
}

record! {
    /// TokenBlacklist: adds `address` to, or removes it from, `token`'s
    /// blacklist.
    pub struct TokenBlacklist {
        /// Add or remove.
        action: ListAction => Action, "Action";
        /// The account.
        address: Address => Address, "Account";
        /// The token.
        token: Address => Token, "Token";
    }
}

impl Op for TokenBlacklist {
    const TYPE: OpType = OpType::TokenBlacklist;
}

record! {
    /// TokenWhitelist: adds `address` to, or removes it from, `token`'s
    /// whitelist.
    pub struct TokenWhitelist {
        /// Add or remove.
        action: ListAction => Action, "Action";
        /// The account.
        address: Address => Address, "Account";
        /// The token.
        token: Address => Token, "Token";
    }
}

impl Op for TokenWhitelist {
    const TYPE: OpType = OpType::TokenWhitelist;
}
