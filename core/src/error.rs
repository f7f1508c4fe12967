//! The one error type of the core: every variant names a precise cause.

use core::fmt;

/// The field of a payload or request that an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// `chain_id`
    ChainId,
    /// `nonce`
    Nonce,
    /// `symbol`
    Symbol,
    /// `name`
    Name,
    /// `decimals`
    Decimals,
    /// `master_authority`
    MasterAuthority,
    /// `is_private`
    IsPrivate,
    /// `clawback_enabled`
    ClawbackEnabled,
    /// `signature`
    Signature,
    /// `signature.r`
    R,
    /// `signature.s`
    S,
    /// `signature.v`
    V,
}

impl Field {
    /// The field's name as it appears in the JSON body.
    pub const fn json_name(self) -> &'static str {
        match self {
            Field::ChainId => "chain_id",
            Field::Nonce => "nonce",
            Field::Symbol => "symbol",
            Field::Name => "name",
            Field::Decimals => "decimals",
            Field::MasterAuthority => "master_authority",
            Field::IsPrivate => "is_private",
            Field::ClawbackEnabled => "clawback_enabled",
            Field::Signature => "signature",
            Field::R => "signature.r",
            Field::S => "signature.s",
            Field::V => "signature.v",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.json_name())
    }
}

/// Why an RLP encoding was refused by the strict decoder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RlpError {
    /// The input ended before the item it announced.
    UnexpectedEnd,
    /// Bytes follow the outermost list.
    TrailingBytes,
    /// A length was encoded in more bytes than needed, with a leading zero,
    /// or in the long form where the short form fits.
    NonCanonicalLength,
    /// A single byte below 0x80 was wrapped in a string header.
    NonCanonicalSingleByte,
    /// An integer has a leading zero byte.
    LeadingZero,
    /// An integer is wider than the field allows.
    IntegerOverflow,
    /// A list was found where a string was expected.
    ExpectedString,
    /// A string was found where a list was expected.
    ExpectedList,
    /// The payload list does not hold seven or eight items.
    WrongFieldCount,
    /// A boolean is neither 0x01 nor 0x80.
    InvalidBool,
    /// An address is not exactly 20 bytes.
    InvalidAddressLength,
    /// A string field is not valid UTF-8.
    InvalidUtf8,
    /// The list's payload ends in the middle of an item.
    ListLengthMismatch,
}

impl fmt::Display for RlpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RlpError::UnexpectedEnd => "input ends before the item it announces",
            RlpError::TrailingBytes => "bytes follow the payload list",
            RlpError::NonCanonicalLength => "length is not in its shortest form",
            RlpError::NonCanonicalSingleByte => "single byte below 0x80 must be encoded as itself",
            RlpError::LeadingZero => "integer has a leading zero byte",
            RlpError::IntegerOverflow => "integer is too wide for its field",
            RlpError::ExpectedString => "expected a string, found a list",
            RlpError::ExpectedList => "expected a list, found a string",
            RlpError::WrongFieldCount => "payload list must hold 7 or 8 items",
            RlpError::InvalidBool => "boolean must be 0x01 or 0x80",
            RlpError::InvalidAddressLength => "address must be exactly 20 bytes",
            RlpError::InvalidUtf8 => "string is not valid UTF-8",
            RlpError::ListLengthMismatch => "list length does not match its items",
        })
    }
}

/// Why JSON input was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonError {
    /// The input is not well-formed JSON of the expected shape.
    Syntax,
    /// A value has the wrong JSON type (for example a string for an integer).
    WrongType(Field),
    /// A number is negative, fractional, in exponent form or too large.
    InvalidNumber,
    /// The object has a field this format does not define.
    UnknownField,
    /// The object holds the same field twice.
    DuplicateField(Field),
    /// A required field is absent.
    MissingField(Field),
    /// A string holds an invalid escape, a lone surrogate or a raw control
    /// character.
    InvalidString,
    /// Non-whitespace bytes follow the JSON value.
    TrailingCharacters,
    /// The input is longer than any valid document of this kind.
    TooLong,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Syntax => f.write_str("malformed JSON"),
            JsonError::WrongType(field) => write!(f, "field `{field}` has the wrong JSON type"),
            JsonError::InvalidNumber => f.write_str(
                "invalid number: integers must be non-negative, without fraction or exponent, and fit 64 bits",
            ),
            JsonError::UnknownField => f.write_str("unknown field"),
            JsonError::DuplicateField(field) => write!(f, "field `{field}` appears twice"),
            JsonError::MissingField(field) => write!(f, "missing field `{field}`"),
            JsonError::InvalidString => f.write_str(
                "invalid string: bad escape, lone surrogate or unescaped control character",
            ),
            JsonError::TrailingCharacters => f.write_str("trailing characters after the JSON value"),
            JsonError::TooLong => f.write_str("JSON document is longer than any valid one"),
        }
    }
}

/// Every way the core can refuse an input. Each variant names one cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Error {
    /// An address does not start with `0x`.
    AddressMissingPrefix,
    /// An address does not have exactly 40 hex digits after `0x`.
    AddressLength,
    /// An address holds a character that is not a hex digit.
    AddressNotHex,
    /// A mixed-case address does not match its EIP-55 checksum.
    AddressChecksum,
    /// `chain_id` is above `i64::MAX`.
    ChainIdOutOfRange,
    /// `nonce` is above `i64::MAX`.
    NonceOutOfRange,
    /// `decimals` is above 18.
    DecimalsOutOfRange,
    /// `symbol` is empty.
    SymbolEmpty,
    /// `symbol` is longer than 20 bytes.
    SymbolTooLong,
    /// `symbol` holds a character that is not alphanumeric.
    SymbolNotAlphanumeric,
    /// `name` is empty.
    NameEmpty,
    /// `name` is longer than 120 bytes.
    NameTooLong,
    /// `name` holds a character a signing screen cannot show honestly
    /// (see [`crate::payload::is_screen_unsafe`]).
    NameUnsafeCharacter,
    /// The output buffer is too small for the encoding.
    BufferTooSmall,
    /// The RLP input is not a canonical payload encoding.
    Rlp(RlpError),
    /// The JSON input was refused.
    Json(JsonError),
    /// A hex string (`r` or `s`) is empty, too long, lacks `0x` or holds a
    /// non-hex character.
    InvalidHex(Field),
    /// `v` is not 0 or 1.
    InvalidRecoveryId,
    /// `r` or `s` is zero or not below the curve order.
    SignatureScalarOutOfRange,
    /// `s` is in the upper half of the curve order (not low-S).
    HighS,
    /// The signature does not recover to a public key.
    RecoveryFailed,
    /// The signature recovers to another address than the expected one.
    SignerMismatch,
    /// Signing produced a recovery id of 2 or 3 (x-coordinate reduced),
    /// which the network cannot express; or the key could not sign.
    SigningFailed,
    /// A secret key is zero or not below the curve order.
    InvalidSecretKey,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::AddressMissingPrefix => f.write_str("address must start with 0x"),
            Error::AddressLength => f.write_str("address must have exactly 40 hex digits after 0x"),
            Error::AddressNotHex => f.write_str("address holds a non-hex character"),
            Error::AddressChecksum => {
                f.write_str("mixed-case address does not match its EIP-55 checksum")
            }
            Error::ChainIdOutOfRange => f.write_str("chain_id must be between 0 and 2^63-1"),
            Error::NonceOutOfRange => f.write_str("nonce must be between 0 and 2^63-1"),
            Error::DecimalsOutOfRange => f.write_str("decimals must be between 0 and 18"),
            Error::SymbolEmpty => f.write_str("symbol must not be empty"),
            Error::SymbolTooLong => f.write_str("symbol must be at most 20 bytes"),
            Error::SymbolNotAlphanumeric => {
                f.write_str("symbol must hold only alphanumeric characters")
            }
            Error::NameEmpty => f.write_str("name must not be empty"),
            Error::NameTooLong => f.write_str("name must be at most 120 bytes"),
            Error::NameUnsafeCharacter => {
                f.write_str("name holds a control, invisible or bidirectional-override character")
            }
            Error::BufferTooSmall => f.write_str("output buffer is too small"),
            Error::Rlp(e) => write!(f, "non-canonical RLP: {e}"),
            Error::Json(e) => write!(f, "invalid JSON: {e}"),
            Error::InvalidHex(field) => write!(
                f,
                "field `{field}` must be 0x followed by 1 to 64 hex digits"
            ),
            Error::InvalidRecoveryId => f.write_str("signature v must be 0 or 1"),
            Error::SignatureScalarOutOfRange => {
                f.write_str("signature r and s must be non-zero and below the curve order")
            }
            Error::HighS => f.write_str("signature s must be in the lower half of the curve order"),
            Error::RecoveryFailed => f.write_str("signature does not recover to a public key"),
            Error::SignerMismatch => f.write_str("signature was made by another key"),
            Error::SigningFailed => f.write_str("signing failed (recovery id 2 or 3)"),
            Error::InvalidSecretKey => {
                f.write_str("secret key is zero or not below the curve order")
            }
        }
    }
}

impl core::error::Error for Error {}

impl From<RlpError> for Error {
    fn from(e: RlpError) -> Self {
        Error::Rlp(e)
    }
}

impl From<JsonError> for Error {
    fn from(e: JsonError) -> Self {
        Error::Json(e)
    }
}
