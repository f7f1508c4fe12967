//! What is wrong with a value: [`Problem`].

use core::fmt;

use crate::address::AddressError;
use crate::amount::AmountError;
use crate::rlp::RlpError;

/// What is wrong with a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Problem {
    /// Empty where a value is required.
    Empty,
    /// Longer than its limit (UTF-8 bytes for a text, bytes for binary
    /// data, elements for a list).
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Fewer list elements than required.
    TooFew {
        /// The minimum.
        min: usize,
    },
    /// A character that is not alphanumeric (a symbol).
    NotAlphanumeric,
    /// A character a signing screen cannot show honestly (see
    /// [`crate::text::is_screen_unsafe`]).
    UnsafeCharacter,
    /// A control character (U+0000..=U+001F, U+007F..=U+009F).
    ControlCharacter,
    /// A character outside the field's allowed set.
    InvalidCharacter,
    /// Not a URL (`scheme:rest`, no spaces).
    NotAUrl,
    /// A number outside the field's range.
    OutOfRange {
        /// The smallest allowed value.
        min: u64,
        /// The largest allowed value.
        max: u64,
    },
    /// Zero where the value must be positive.
    Zero,
    /// The zero address where a real account is required.
    ZeroAddress,
    /// A text that is none of the field's allowed values (an enum).
    UnknownVariant,
    /// `0x`-hex that is malformed: no `0x`, an odd number or a wrong count
    /// of digits, or a non-hex character.
    InvalidHex,
    /// A public key that is not a compressed secp256k1 point.
    InvalidPublicKey,
    /// The same value appears twice where values must be distinct.
    Duplicate,
    /// Not in strictly ascending order where the order is prescribed.
    NotAscending,
    /// Does not match what it must equal (an `operations_hash` that is not
    /// the hash of the operations).
    Mismatch,
    /// A sum exceeds its type (2^256-1 for amounts, 65535 for weights).
    SumOverflow,
    /// Larger than the limit on the whole (a memo's total size).
    TooLarge,
    /// An address was refused.
    Address(AddressError),
    /// An amount was refused.
    Amount(AmountError),
    /// The field's RLP was refused.
    Rlp(RlpError),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Empty => f.write_str("must not be empty"),
            Problem::TooLong { max } => write!(f, "must be at most {max} bytes (or elements)"),
            Problem::TooFew { min } => write!(f, "must hold at least {min} elements"),
            Problem::NotAlphanumeric => f.write_str("must hold only alphanumeric characters"),
            Problem::UnsafeCharacter => f.write_str(
                "holds a control, invisible, bidirectional-override or private-use character",
            ),
            Problem::ControlCharacter => f.write_str("holds a control character"),
            Problem::InvalidCharacter => f.write_str("holds a character the field does not allow"),
            Problem::NotAUrl => f.write_str("must be a URL (scheme:rest, without spaces)"),
            // A type's own range (0..=u8::MAX) says only its top: the
            // field's rules may refuse zero too ("must not be zero").
            Problem::OutOfRange { min: 0, max } => write!(f, "must be at most {max}"),
            Problem::OutOfRange { min, max } => write!(f, "must be between {min} and {max}"),
            Problem::Zero => f.write_str("must not be zero"),
            Problem::ZeroAddress => f.write_str("must not be the zero address"),
            Problem::UnknownVariant => f.write_str("is not one of the allowed values"),
            Problem::InvalidHex => f.write_str("must be 0x followed by hex digits"),
            Problem::InvalidPublicKey => {
                f.write_str("must be a 33-byte compressed secp256k1 public key")
            }
            Problem::Duplicate => f.write_str("appears twice"),
            Problem::NotAscending => f.write_str("must be in strictly ascending order"),
            Problem::Mismatch => f.write_str("does not match the value it must equal"),
            Problem::SumOverflow => f.write_str("sums to more than the type can hold"),
            Problem::TooLarge => f.write_str("is larger than its limit"),
            Problem::Address(e) => write!(f, "is not a valid address: {e}"),
            Problem::Amount(e) => write!(f, "is not a valid amount: {e}"),
            Problem::Rlp(e) => write!(f, "has non-canonical RLP: {e}"),
        }
    }
}

impl core::error::Error for Problem {}
