//! TokenPause (op 7): stops or resumes a token.

use super::{Op, OpType};
use crate::address::Address;
use crate::field::record::record;
use crate::field::word::word_enum;

word_enum! {
    /// Pause or unpause.
    pub enum PauseAction {
        /// Stop transfers, mints and burns.
        Pause => "Pause",
        /// Resume them.
        Unpause => "Unpause",
    }
}

record! {
    /// TokenPause: pauses or unpauses `token`.
    pub struct TokenPause {
        /// Pause or unpause.
        action: PauseAction => Action, "Action";
        /// The token.
        token: Address => Token, "Token";
    }
}

impl Op for TokenPause {
    const TYPE: OpType = OpType::TokenPause;
}
