//! The fourteen operations, each declared once as its ordered field list
//! (one file per operation or family), and the transaction that carries
//! one.
//!
//! Adding a fifteenth operation: a file here with its `record!` and its
//! [`Op`] impl, and one line in the `operations!` table below.

pub mod authority;
pub mod batch;
pub mod bridge;
pub mod clawback;
pub mod issue;
pub mod limits;
pub mod lists;
pub mod memo;
pub mod metadata;
pub mod mint_burn;
pub mod multisig;
pub mod pause;
pub mod payment;
mod transaction;

use core::ops::ControlFlow;

use serde::de::Deserializer;

use crate::address::Address;
use crate::error::Error;
use crate::field::object::{read_object, Extras};
use crate::field::{Ctx, FieldSpec, JsonWriter, Record, ShowVisitor};
use crate::rlp::{BufferFull, ListReader, Sink};

pub use authority::{AuthorityAction, AuthorityType, TokenAuthority};
pub use batch::{BatchEntry, BatchId, BatchPayment};
pub use bridge::{TokenBridgeAndMint, TokenBurnAndBridge};
pub use clawback::TokenClawback;
pub use issue::{token_address, Symbol, TokenIssue, TokenName};
pub use limits::*;
pub use lists::{ListAction, TokenBlacklist, TokenWhitelist};
pub use memo::Memo;
pub use metadata::{MetadataEntry, TokenMetadata};
pub use mint_burn::{TokenBurn, TokenMint};
pub use multisig::{multisig_address, CreateMultiSig, MultisigSigner};
pub use pause::{PauseAction, TokenPause};
pub use payment::Payment;
pub use transaction::{PayloadList, Transaction};

/// Chain id of the 1Money mainnet.
pub const CHAIN_ID_MAINNET: u64 = 21210;
/// Chain id of the 1Money testnet (also the local node's).
pub const CHAIN_ID_TESTNET: u64 = 1_212_101;

/// What every operation adds to its field list.
pub trait Op: Record {
    /// The operation's type.
    const TYPE: OpType;

    /// The rules beyond each field's own (ranges, cross-field sums, the
    /// network's static admission checks). Signing refuses an operation
    /// that fails them; the encoders do not (vectors pin the encoding of
    /// refused payloads too).
    fn check(&self) -> Result<(), Error> {
        Ok(())
    }

    /// Review items derived from the fields (the token an issue creates,
    /// the account a CreateMultiSig creates), shown after them.
    fn show_derived<'a, V: ShowVisitor<'a>>(&'a self, _out: &mut V) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}

/// `max` in a const context.
const fn max(a: usize, b: usize) -> usize {
    if a > b {
        a
    } else {
        b
    }
}

macro_rules! operations {
    (
        $(
            $(#[$doc:meta])*
            $variant:ident = $number:literal, $ty:ty,
            v1: $v1:expr, v2: $v2:literal, title: $title:literal;
        )+
    ) => {
        /// The operation types, numbered as the network numbers them
        /// (frozen: never reordered or reused).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum OpType {
            $( $(#[$doc])* $variant = $number, )+
        }

        impl OpType {
            /// All fourteen, in number order.
            pub const ALL: &'static [OpType] = &[$( OpType::$variant ),+];

            /// The spec's names of all fourteen, in number order.
            pub const NAMES: &'static [&'static str] = &[$( stringify!($variant) ),+];

            /// The type with this number.
            pub const fn from_number(n: u64) -> Option<OpType> {
                match n {
                    $( $number => Some(OpType::$variant), )+
                    _ => None,
                }
            }

            /// The number (1..=14).
            pub const fn number(self) -> u8 {
                self as u8
            }

            /// The spec's name (`Payment`, `TokenIssue`, …).
            pub const fn name(self) -> &'static str {
                match self { $( OpType::$variant => stringify!($variant), )+ }
            }

            /// The type whose spec name is exactly `name`.
            pub fn from_name(name: &str) -> Option<OpType> {
                match name {
                    $( stringify!($variant) => Some(OpType::$variant), )+
                    _ => None,
                }
            }

            /// The legacy v1 path, if the operation has one.
            pub const fn v1_path(self) -> Option<&'static str> {
                match self { $( OpType::$variant => $v1, )+ }
            }

            /// The native v2 path.
            pub const fn v2_path(self) -> &'static str {
                match self { $( OpType::$variant => $v2, )+ }
            }

            /// The operation's fields, in order, as its `record!` declares
            /// them (for the host's list capacities).
            pub const fn fields(self) -> &'static [FieldSpec] {
                <Operation>::fields_of(self)
            }

            /// What a review calls the operation.
            pub const fn title(self) -> &'static str {
                match self { $( OpType::$variant => $title, )+ }
            }

            /// The type a review title names.
            pub fn from_title(title: &str) -> Option<OpType> {
                match title {
                    $( $title => Some(OpType::$variant), )+
                    _ => None,
                }
            }
        }

        /// One operation's fields. `B` is a BatchPayment's capacity and `M`
        /// a TokenMetadata's (a firmware picks small ones; the defaults are
        /// the host's).
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum Operation<
            const B: usize = MAX_BATCH_OPERATIONS,
            const M: usize = MAX_METADATA_ENTRIES,
        > {
            $( $(#[$doc])* $variant($ty), )+
        }

        $(
            impl<const B: usize, const M: usize> From<$ty> for Operation<B, M> {
                fn from(op: $ty) -> Self {
                    Operation::$variant(op)
                }
            }
        )+

        impl<const B: usize, const M: usize> Operation<B, M> {
            /// Largest RLP of any operation's fields (no list header).
            pub const MAX_FIELDS_RLP_LEN: usize = {
                let mut m = 0;
                $( m = max(m, <$ty as Record>::MAX_FIELDS_RLP_LEN); )+
                m
            };
            /// Largest JSON of any operation's fields as object members.
            pub const MAX_FIELDS_JSON_LEN: usize = {
                let mut m = 0;
                $( m = max(m, <$ty as Record>::MAX_FIELDS_JSON_LEN); )+
                m
            };

            /// The fields of an operation of type `op` with these
            /// capacities ([`Record::FIELDS`]).
            pub const fn fields_of(op: OpType) -> &'static [FieldSpec] {
                match op { $( OpType::$variant => <$ty as Record>::FIELDS, )+ }
            }

            /// The operation's type.
            pub const fn op_type(&self) -> OpType {
                match self { $( Operation::$variant(_) => OpType::$variant, )+ }
            }

            /// The operation's own rules ([`Op::check`]).
            pub fn check(&self) -> Result<(), Error> {
                match self { $( Operation::$variant(op) => op.check(), )+ }
            }

            /// Writes the fields' RLP items (after `chain_id` and `nonce`).
            pub fn encode_fields<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
                match self { $( Operation::$variant(op) => op.encode_fields(out), )+ }
            }

            /// Reads the fields of an operation of type `op` from the rest
            /// of a payload list.
            pub fn decode_fields(op: OpType, list: &mut ListReader<'_>) -> Result<Self, Error> {
                Ok(match op {
                    $( OpType::$variant => Operation::$variant(<$ty>::decode_fields(list, None)?), )+
                })
            }

            /// Reads the fields of an operation of type `op` into `self`, in
            /// place (the device's way: no second operation on the stack).
            /// On an error `self` is some valid operation of type `op`.
            pub fn decode_fields_into(
                &mut self,
                op: OpType,
                list: &mut ListReader<'_>,
            ) -> Result<(), Error> {
                match op {
                    $( OpType::$variant => {
                        if !matches!(self, Operation::$variant(_)) {
                            *self = Operation::$variant(<$ty>::default());
                        }
                        match self {
                            Operation::$variant(slot) => slot.decode_fields_into(list, None),
                            // Set just above.
                            _ => Err(Error::UnknownOperation),
                        }
                    } )+
                }
            }

            /// Writes the fields as JSON object members.
            pub fn write_fields(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
                match self { $( Operation::$variant(op) => op.write_fields(out), )+ }
            }

            /// Reads a JSON object as an operation of type `op` into
            /// `self`, passing other members to `extras`. In place: the
            /// operation's own fields are built, then written into `self`
            /// without moving a whole `Operation` (its size is the largest
            /// variant's, 14.7 KB on the host for a 256-payment batch).
            pub fn read_json_into<'de, E: Extras<'de>, D: Deserializer<'de>>(
                &mut self,
                op: OpType,
                d: D,
                ctx: &Ctx,
                extras: &mut E,
            ) -> Result<(), D::Error> {
                match op {
                    $( OpType::$variant => {
                        *self = Operation::$variant(read_object::<$ty, E, D>(d, ctx, None, None, extras)?);
                    } )+
                }
                Ok(())
            }

            /// Shows the fields in order.
            pub fn show_fields<'a, V: ShowVisitor<'a>>(&'a self, out: &mut V) -> ControlFlow<()> {
                match self { $( Operation::$variant(op) => op.show_fields(None, out), )+ }
            }

            /// Shows the derived items ([`Op::show_derived`]).
            pub fn show_derived<'a, V: ShowVisitor<'a>>(&'a self, out: &mut V) -> ControlFlow<()> {
                match self { $( Operation::$variant(op) => op.show_derived(out), )+ }
            }
        }
    };
}

operations! {
    /// Payment.
    Payment = 1, Payment,
        v1: Some("/v1/transactions/payment"), v2: "/v2/transactions/payment", title: "Payment";
    /// TokenIssue.
    TokenIssue = 2, TokenIssue,
        v1: Some("/v1/tokens/issue"), v2: "/v2/tokens/issue", title: "Issue token";
    /// TokenMint.
    TokenMint = 3, TokenMint,
        v1: Some("/v1/tokens/mint"), v2: "/v2/tokens/mint", title: "Mint";
    /// TokenAuthority.
    TokenAuthority = 4, TokenAuthority,
        v1: Some("/v1/tokens/grant_authority"), v2: "/v2/tokens/grant_authority",
        title: "Token authority";
    /// TokenBlacklist.
    TokenBlacklist = 5, TokenBlacklist,
        v1: Some("/v1/tokens/manage_blacklist"), v2: "/v2/tokens/manage_blacklist",
        title: "Blacklist";
    /// TokenWhitelist.
    TokenWhitelist = 6, TokenWhitelist,
        v1: Some("/v1/tokens/manage_whitelist"), v2: "/v2/tokens/manage_whitelist",
        title: "Whitelist";
    /// TokenPause.
    TokenPause = 7, TokenPause,
        v1: Some("/v1/tokens/pause"), v2: "/v2/tokens/pause", title: "Pause or unpause";
    /// TokenBurn.
    TokenBurn = 8, TokenBurn,
        v1: Some("/v1/tokens/burn"), v2: "/v2/tokens/burn", title: "Burn";
    /// TokenClawback.
    TokenClawback = 9, TokenClawback,
        v1: Some("/v1/tokens/clawback"), v2: "/v2/tokens/clawback", title: "Clawback";
    /// TokenMetadata.
    TokenMetadata = 10, TokenMetadata<M>,
        v1: Some("/v1/tokens/update_metadata"), v2: "/v2/tokens/update_metadata",
        title: "Update metadata";
    /// TokenBridgeAndMint.
    TokenBridgeAndMint = 11, TokenBridgeAndMint,
        v1: Some("/v1/tokens/bridge_and_mint"), v2: "/v2/tokens/bridge_and_mint",
        title: "Bridge and mint";
    /// TokenBurnAndBridge.
    TokenBurnAndBridge = 12, TokenBurnAndBridge,
        v1: Some("/v1/tokens/burn_and_bridge"), v2: "/v2/tokens/burn_and_bridge",
        title: "Burn and bridge";
    /// CreateMultiSig (native v2 only).
    CreateMultiSig = 13, CreateMultiSig,
        v1: None, v2: "/v2/accounts/multisig", title: "Create multisig account";
    /// BatchPayment (native v2 only).
    BatchPayment = 14, BatchPayment<B>,
        v1: None, v2: "/v2/transactions/batch_payment", title: "Batch payment";
}

impl<const B: usize, const M: usize> Operation<B, M> {
    /// The token the operation acts on (its `token` field), whose amounts
    /// are all of its amounts; `None` for a TokenIssue (which creates a
    /// token and moves none) and a CreateMultiSig.
    pub fn token(&self) -> Option<Address> {
        match self {
            Operation::Payment(op) => Some(op.token),
            Operation::TokenMint(op) => Some(op.token),
            Operation::TokenAuthority(op) => Some(op.token),
            Operation::TokenBlacklist(op) => Some(op.token),
            Operation::TokenWhitelist(op) => Some(op.token),
            Operation::TokenPause(op) => Some(op.token),
            Operation::TokenBurn(op) => Some(op.token),
            Operation::TokenClawback(op) => Some(op.token),
            Operation::TokenMetadata(op) => Some(op.token),
            Operation::TokenBridgeAndMint(op) => Some(op.token),
            Operation::TokenBurnAndBridge(op) => Some(op.token),
            Operation::BatchPayment(op) => Some(op.token),
            Operation::TokenIssue(_) | Operation::CreateMultiSig(_) => None,
        }
    }
}

impl core::fmt::Display for OpType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}
