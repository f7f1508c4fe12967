//! TokenAuthority (op 4): the master authority grants or revokes a power.

use super::{Op, OpType};
use crate::address::Address;
use crate::amount::Amount;
use crate::field::record::record;
use crate::field::word::word_enum;

word_enum! {
    /// Grant or revoke.
    pub enum AuthorityAction {
        /// Give the power (and, for `MintBurnTokens`, set the allowance).
        Grant => "Grant",
        /// Take the power away.
        Revoke => "Revoke",
    }
}

word_enum! {
    /// The powers a token's master authority hands out.
    pub enum AuthorityType {
        /// Grants and revokes `MintBurnTokens` (one holder).
        MasterMintBurn => "MasterMintBurn",
        /// Mints within an allowance, burns.
        MintBurnTokens => "MintBurnTokens",
        /// Pauses and unpauses.
        Pause => "Pause",
        /// Manages the blacklist and whitelist.
        ManageList => "ManageList",
        /// Updates the metadata.
        UpdateMetadata => "UpdateMetadata",
        /// Mints bridged tokens.
        Bridge => "Bridge",
        /// Claws back.
        Clawback => "Clawback",
    }
}

record! {
    /// TokenAuthority: grants or revokes `authority_type` on `token` to
    /// `authority_address`. `value` is always signed (`0` when no
    /// allowance applies; only `MintBurnTokens` reads it).
    pub struct TokenAuthority {
        /// Grant or revoke.
        action: AuthorityAction => Action, "Action";
        /// Which power.
        authority_type: AuthorityType => AuthorityType, "Authority";
        /// Who gets or loses it.
        authority_address: Address => AuthorityAddress, "Holder";
        /// The token.
        token: Address => Token, "Token";
        /// The allowance (base units), `0` when none applies.
        value: Amount => Value, "Allowance";
    }
}

impl Op for TokenAuthority {
    const TYPE: OpType = OpType::TokenAuthority;
}
