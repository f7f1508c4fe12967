//! Ethereum RLP, written here for fixed buffers and streaming hashes.
//!
//! Not taken from `alloy-rlp`, the field's reference codec: `alloy-rlp`
//! links `alloc` unconditionally, and a Cortex-M binary that depends on it
//! does not link without a global allocator. `alloy-rlp` is the test oracle
//! instead (`tests/`).
//!
//! - [`header`]: lengths of headers and items (`const fn`s, so buffer sizes
//!   are computed at compile time);
//! - [`encode`]: a [`Sink`] (fixed buffer, keccak hasher or byte counter)
//!   and the encoders of strings, integers and list headers;
//! - [`decode`]: the strict decoder, which refuses every non-canonical form
//!   with a named [`RlpError`].

pub mod decode;
pub mod encode;
pub mod header;

pub use decode::{decode_exact, Item, ListReader};
pub use encode::{Counter, Sink, SliceSink};

use core::fmt;

/// An encoder's output did not fit its buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BufferFull;

/// Why the strict decoder refused an encoding. Each canonical-form
/// violation has its own name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RlpError {
    /// The input ended before the item it announced.
    UnexpectedEnd,
    /// Bytes follow the outermost item.
    TrailingBytes,
    /// A length was encoded in more bytes than needed, with a leading zero,
    /// or in the long form where the short form fits.
    NonCanonicalLength,
    /// A single byte below 0x80 was wrapped in a string header.
    NonCanonicalSingleByte,
    /// An integer has a leading zero byte (zero itself is the empty string).
    LeadingZero,
    /// An integer is wider than its field allows.
    IntegerOverflow,
    /// A list was found where a string was expected.
    ExpectedString,
    /// A string was found where a list was expected.
    ExpectedList,
    /// A list holds fewer items than its layout requires.
    TooFewItems,
    /// A list holds more items than its layout allows.
    TooManyItems,
    /// A boolean is neither 0x01 nor 0x80.
    InvalidBool,
    /// A fixed-size string (an address, a hash, a public key) has another
    /// length.
    WrongLength,
    /// A text is not valid UTF-8.
    InvalidUtf8,
    /// A list's payload ends in the middle of an item.
    ListLengthMismatch,
    /// An empty placeholder for an absent optional field is not followed by
    /// the field it keeps the place for.
    DanglingPlaceholder,
}

impl fmt::Display for RlpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RlpError::UnexpectedEnd => "input ends before the item it announces",
            RlpError::TrailingBytes => "bytes follow the encoded value",
            RlpError::NonCanonicalLength => "length is not in its shortest form",
            RlpError::NonCanonicalSingleByte => "single byte below 0x80 must be encoded as itself",
            RlpError::LeadingZero => "integer has a leading zero byte",
            RlpError::IntegerOverflow => "integer is too wide for its field",
            RlpError::ExpectedString => "expected a string, found a list",
            RlpError::ExpectedList => "expected a list, found a string",
            RlpError::TooFewItems => "list holds fewer items than its layout requires",
            RlpError::TooManyItems => "list holds more items than its layout allows",
            RlpError::InvalidBool => "boolean must be 0x01 or 0x80",
            RlpError::WrongLength => "fixed-size string has the wrong length",
            RlpError::InvalidUtf8 => "text is not valid UTF-8",
            RlpError::ListLengthMismatch => "list length does not match its items",
            RlpError::DanglingPlaceholder => {
                "placeholder of an absent optional field is not followed by a field"
            }
        })
    }
}
