//! What a review shows of a value: the kinds of shown values, and the
//! visitor that receives them. Rendering and paging are `review`'s.

use core::ops::ControlFlow;

use crate::address::Address;
use crate::amount::Amount;

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
