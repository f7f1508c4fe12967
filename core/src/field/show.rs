//! What a review shows of a value: the kinds of shown values, and the
//! visitor that receives them. Rendering and paging are `review`'s.

use core::ops::ControlFlow;

use crate::address::Address;
use crate::amount::Amount;
use crate::definition::TokenUnit;

/// A value as a device shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown<'a> {
    /// Free text from the transaction: shown quoted, with every character
    /// outside printable ASCII as its code point, so that nothing can pass
    /// for something else.
    Text(&'a str),
    /// A fixed word of the core's own (an enum value, a chain name, an
    /// operation's title): printable ASCII, shown as is.
    Word(&'static str),
    /// An address, in EIP-55 form.
    Address(Address),
    /// An amount, as an exact decimal integer of base units.
    Amount(Amount),
    /// A number.
    Number(u64),
    /// `Yes` or `No`.
    Bool(bool),
    /// Binary data, as `0x` + lowercase hex.
    Hex(&'a [u8]),
    /// The token a transaction acts on, with what the review knows of its
    /// unit: `USDX 0x…` from a trusted definition, `Unknown token 0x…`
    /// otherwise (with what a server says of it, when a host asked one).
    Token(Address, Option<Unit<'a>>),
    /// An amount of the transaction's token in whole tokens (`1.5 USDX`),
    /// exact; the base units follow as their own item.
    TokenAmount(Amount, Unit<'a>),
    /// A warning before a text item holding characters outside printable
    /// ASCII: `<label> [n] contains non-ASCII characters`.
    NonAscii {
        /// The text item's label.
        label: &'static str,
        /// The text item's list position, if it is in a list.
        index: Option<u16>,
    },
    /// A chain the host says is a local node's, not a network:
    /// `local node (chain id N)`.
    LocalChain(u64),
}

/// What a review knows of the unit of a token's amounts, and from whom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit<'a> {
    /// From a definition signed by a trusted key, checked for this chain
    /// and this token.
    Verified(&'a TokenUnit),
    /// What a server reported (a host's review only): shown as the
    /// server's word, never as verified.
    Reported(&'a TokenUnit),
}

impl<'a> Unit<'a> {
    /// The unit, whoever vouches for it.
    pub fn unit(&self) -> &'a TokenUnit {
        match self {
            Unit::Verified(u) | Unit::Reported(u) => u,
        }
    }
}

/// Receives the review items of a value, in display order. Returning
/// `Break` stops the walk (a reader looking for one item stops there).
pub trait ShowVisitor<'a> {
    /// One item: its label, its list position (from 0) for an element of a
    /// list, and its value.
    fn item(
        &mut self,
        label: &'static str,
        index: Option<u16>,
        value: Shown<'a>,
    ) -> ControlFlow<()>;
}
