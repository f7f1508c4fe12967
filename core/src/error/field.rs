//! Which field an error is about: [`Field`], and [`Location`] (a field and
//! its list position).

use core::fmt;

/// Declares [`Field`] and [`Field::ALL`] from one list, so that `ALL` cannot
/// miss a variant.
macro_rules! fields {
    ($( $(#[$doc:meta])* $variant:ident, )*) => {
        /// A field of a request body: an operation's field, a member of the
        /// body around it (chain id, nonce, memo, signature,
        /// authorization), or a field of an object inside one.
        ///
        /// This is only each field's name in code and its number. Its JSON
        /// key, review label and value are declared once, by the record
        /// that holds it (`record!`, the records' `FIELDS` tables), and its
        /// path from the body's top level follows from where the records
        /// nest: [`Field::json_key`] and [`Field::path`] (in
        /// [`crate::json::shape`]) read them there.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Field {
            $( $(#[$doc])* $variant, )*
        }

        impl Field {
            /// Every field, in declaration order. A field's position here is
            /// its number in the device's refusal reasons: append new
            /// fields at the end, never reorder.
            pub const ALL: &'static [Field] = &[ $( Field::$variant, )* ];
        }
    };
}

fields! {
    /// The chain the transaction is for.
    ChainId,
    /// The signer's nonce.
    Nonce,
    /// Who receives tokens.
    Recipient,
    /// An amount or allowance in base units.
    Value,
    /// The token (mint) address.
    Token,
    /// A token's symbol.
    Symbol,
    /// A token's name.
    Name,
    /// A token's decimal places.
    Decimals,
    /// Who holds a new token's master authority.
    MasterAuthority,
    /// Whether a token is private (whitelist only).
    IsPrivate,
    /// Whether a token can be clawed back.
    ClawbackEnabled,
    /// What a TokenAuthority, TokenPause or list change does.
    Action,
    /// Which power a TokenAuthority grants or revokes.
    AuthorityType,
    /// Who gets or loses the power.
    AuthorityAddress,
    /// The listed account of a blacklist or whitelist change.
    Address,
    /// The account a clawback takes from.
    From,
    /// A token's metadata URI.
    Uri,
    /// A token's extra metadata entries.
    AdditionalMetadata,
    /// A metadata entry's key.
    MetadataKey,
    /// A metadata entry's value.
    MetadataValue,
    /// The chain bridged tokens come from.
    SourceChainId,
    /// The transaction on that chain.
    SourceTxHash,
    /// A bridge's reference.
    BridgeMetadata,
    /// The sender of a TokenBurnAndBridge, as signed.
    Sender,
    /// The chain bridged tokens go to.
    DestinationChainId,
    /// The account on that chain.
    DestinationAddress,
    /// What a TokenBurnAndBridge pays the bridge.
    EscrowFee,
    /// A bridge's parameters.
    BridgeParam,
    /// The members of a new multisig account.
    Signers,
    /// A member's public key.
    SignerPublicKey,
    /// A member's weight.
    SignerWeight,
    /// The weight a multisig account needs.
    Threshold,
    /// A BatchPayment's payments.
    Operations,
    /// Who receives one payment of a batch.
    OperationRecipient,
    /// The amount of one payment of a batch.
    OperationAmount,
    /// When a batch was made.
    CreatedAt,
    /// The hash a batch's payments must have.
    OperationsHash,
    /// A batch's correlation id.
    BatchId,
    /// The memo.
    Memo,
    /// What a memo is.
    MemoType,
    /// How a memo's data is written.
    MemoFormat,
    /// A memo's data.
    MemoData,
    /// A signature (the v1 body's, or inside a v2 authorization).
    Signature,
    /// A signature's `r`.
    R,
    /// A signature's `s`.
    S,
    /// A signature's recovery id `v`.
    V,
    /// The v2 body's authorization.
    Authorization,
    /// Whether an authorization is single or multisig.
    AuthorizationType,
    /// The multisig account an authorization signs for.
    Account,
    /// The members' signatures of a multisig authorization.
    Signatures,
    /// A member's public key in a multisig authorization.
    SignerPubkey,
    /// The operation's name (in `tokensign sign` input).
    Operation,
}

/// Where a value is: a field, and its position when it is inside a list.
/// Shown as its path (`operations[3].amount`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// The field.
    pub field: Field,
    /// The list position (from 0), for a field of a list element.
    pub index: Option<u16>,
}

impl Location {
    /// A field outside any list.
    pub const fn field(field: Field) -> Self {
        Location { field, index: None }
    }

    /// A field of the `index`-th list element.
    pub const fn at(field: Field, index: u16) -> Self {
        Location {
            field,
            index: Some(index),
        }
    }
}

impl fmt::Display for Location {
    /// The path from the body's top level, with the list position:
    /// `operations[3].amount`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.field.path().at(self.index), f)
    }
}
