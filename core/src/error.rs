//! The core's error type. Every variant names one cause, and every value
//! error names the field (and list position) it is about.

use core::fmt;

use crate::address::AddressError;
use crate::amount::AmountError;
use crate::rlp::{BufferFull, RlpError};

macro_rules! fields {
    ($( $(#[$doc:meta])* $variant:ident => $key:literal, $path:literal; )*) => {
        /// A field of a payload or request, by its JSON name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Field {
            $( $(#[$doc])* $variant, )*
        }

        impl Field {
            /// Every field, in declaration order (a field's position here is
            /// its number in the device's refusal reasons).
            pub const ALL: &'static [Field] = &[ $( Field::$variant, )* ];

            /// The field's key in its JSON object.
            pub const fn json_key(self) -> &'static str {
                match self { $( Field::$variant => $key, )* }
            }

            /// The field's path from the request body's top level; `[]`
            /// marks a list element.
            pub const fn path(self) -> &'static str {
                match self { $( Field::$variant => $path, )* }
            }
        }
    };
}

fields! {
    /// `chain_id`
    ChainId => "chain_id", "chain_id";
    /// `nonce`
    Nonce => "nonce", "nonce";
    /// `recipient`
    Recipient => "recipient", "recipient";
    /// `value`
    Value => "value", "value";
    /// `token`
    Token => "token", "token";
    /// `symbol`
    Symbol => "symbol", "symbol";
    /// `name`
    Name => "name", "name";
    /// `decimals`
    Decimals => "decimals", "decimals";
    /// `master_authority`
    MasterAuthority => "master_authority", "master_authority";
    /// `is_private`
    IsPrivate => "is_private", "is_private";
    /// `clawback_enabled`
    ClawbackEnabled => "clawback_enabled", "clawback_enabled";
    /// `action`
    Action => "action", "action";
    /// `authority_type`
    AuthorityType => "authority_type", "authority_type";
    /// `authority_address`
    AuthorityAddress => "authority_address", "authority_address";
    /// `address` (the listed address of a blacklist or whitelist change)
    Address => "address", "address";
    /// `from` (the account a clawback takes from)
    From => "from", "from";
    /// `uri`
    Uri => "uri", "uri";
    /// `additional_metadata`
    AdditionalMetadata => "additional_metadata", "additional_metadata";
    /// `additional_metadata[].key`
    MetadataKey => "key", "additional_metadata[].key";
    /// `additional_metadata[].value`
    MetadataValue => "value", "additional_metadata[].value";
    /// `source_chain_id`
    SourceChainId => "source_chain_id", "source_chain_id";
    /// `source_tx_hash`
    SourceTxHash => "source_tx_hash", "source_tx_hash";
    /// `bridge_metadata`
    BridgeMetadata => "bridge_metadata", "bridge_metadata";
    /// `sender`
    Sender => "sender", "sender";
    /// `destination_chain_id`
    DestinationChainId => "destination_chain_id", "destination_chain_id";
    /// `destination_address`
    DestinationAddress => "destination_address", "destination_address";
    /// `escrow_fee`
    EscrowFee => "escrow_fee", "escrow_fee";
    /// `bridge_param`
    BridgeParam => "bridge_param", "bridge_param";
    /// `signers`
    Signers => "signers", "signers";
    /// `signers[].public_key`
    SignerPublicKey => "public_key", "signers[].public_key";
    /// `signers[].weight`
    SignerWeight => "weight", "signers[].weight";
    /// `threshold`
    Threshold => "threshold", "threshold";
    /// `operations`
    Operations => "operations", "operations";
    /// `operations[].recipient`
    OperationRecipient => "recipient", "operations[].recipient";
    /// `operations[].amount`
    OperationAmount => "amount", "operations[].amount";
    /// `created_at`
    CreatedAt => "created_at", "created_at";
    /// `operations_hash`
    OperationsHash => "operations_hash", "operations_hash";
    /// `batch_id`
    BatchId => "batch_id", "batch_id";
    /// `memo`
    Memo => "memo", "memo";
    /// `memo.type`
    MemoType => "type", "memo.type";
    /// `memo.format`
    MemoFormat => "format", "memo.format";
    /// `memo.data`
    MemoData => "data", "memo.data";
    /// `signature` (v1 body, or inside a v2 authorization)
    Signature => "signature", "signature";
    /// `signature.r`
    R => "r", "signature.r";
    /// `signature.s`
    S => "s", "signature.s";
    /// `signature.v`
    V => "v", "signature.v";
    /// `authorization` (v2 body)
    Authorization => "authorization", "authorization";
    /// `authorization.type`
    AuthorizationType => "type", "authorization.type";
    /// `authorization.account`
    Account => "account", "authorization.account";
    /// `authorization.signatures`
    Signatures => "signatures", "authorization.signatures";
    /// `authorization.signatures[].signer_pubkey`
    SignerPubkey => "signer_pubkey", "authorization.signatures[].signer_pubkey";
    /// `operation` (the operation's name, in `tokensign sign` input)
    Operation => "operation", "operation";
}

/// Where a value is: a field, and its position when it is inside a list.
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.field.path();
        match (self.index, path.split_once("[]")) {
            (Some(i), Some((head, tail))) => write!(f, "{head}[{i}]{tail}"),
            (Some(i), None) => write!(f, "{path}[{i}]"),
            (None, _) => f.write_str(path),
        }
    }
}

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

/// A JSON object key, kept (truncated to 32 bytes) so that an
/// "unknown field" error can name it without an allocator, with the field
/// whose object held it (`signature` for `signature.w`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    bytes: [u8; 32],
    len: u8,
    truncated: bool,
    within: Option<Field>,
}

impl Key {
    /// Keeps the first 32 bytes of `key` (cut at a character boundary).
    pub fn new(key: &str) -> Self {
        let mut take = key.len().min(32);
        while !key.is_char_boundary(take) {
            take -= 1;
        }
        let mut bytes = [0u8; 32];
        if let (Some(dst), Some(src)) = (bytes.get_mut(..take), key.as_bytes().get(..take)) {
            dst.copy_from_slice(src);
        }
        Key {
            bytes,
            // take <= 32
            len: take as u8,
            truncated: take < key.len(),
            within: None,
        }
    }

    /// The same key, found in the object of `field`.
    pub const fn within(self, field: Option<Field>) -> Self {
        Key {
            within: field,
            ..self
        }
    }

    /// The key as kept.
    pub fn as_str(&self) -> &str {
        self.bytes
            .get(..usize::from(self.len))
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("")
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Key {
    /// Shown escaped, so a key cannot forge output, after the path of the
    /// object that held it: printable ASCII as it is (`\\`, quotes and the
    /// usual controls escaped as Rust writes them), every other character
    /// as `\u{…}` (lowercase hex, as `char::escape_debug` writes it). Not
    /// `escape_debug` itself, which keeps printable non-ASCII characters
    /// (a look-alike) and links Unicode tables worth 1.9 KB of a device's
    /// flash (docs/embedded.md, "Flash").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(field) = self.within {
            write!(f, "{}.", field.path())?;
        }
        for c in self.as_str().chars() {
            match c {
                '\\' | '"' | '\'' => write!(f, "\\{c}")?,
                '\t' => f.write_str("\\t")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                ' '..='~' => write!(f, "{c}")?,
                _ => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            }
        }
        if self.truncated {
            f.write_str("…")?;
        }
        Ok(())
    }
}

/// Why JSON input was refused (its shape, not its values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonError {
    /// Not well-formed JSON of the expected shape.
    Syntax,
    /// A value of the wrong JSON type.
    WrongType(Field),
    /// A number that is negative, fractional, in exponent form or too large.
    InvalidNumber(Field),
    /// A key this object does not define.
    UnknownField(Key),
    /// A key that appears twice.
    DuplicateField(Field),
    /// A required key that is absent.
    MissingField(Field),
    /// A string with an invalid escape, a lone surrogate or a raw control
    /// character.
    InvalidString(Field),
    /// Non-whitespace after the JSON value.
    TrailingCharacters,
    /// Longer than any valid document of its kind.
    TooLong,
    /// Objects and arrays nested deeper than any valid document
    /// ([`crate::field::json_read::MAX_JSON_DEPTH`]).
    TooDeep,
    /// Not JSON (RFC 8259): the grammar breaks at byte `at` of the input,
    /// as `broken` says ([`crate::field::json_syntax`]).
    Grammar {
        /// Offset of the first byte the grammar does not allow (the
        /// input's length when it ends too early).
        at: u32,
        /// Which rule breaks there.
        broken: Grammar,
    },
}

/// Which rule of the JSON grammar (RFC 8259) a malformed text breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Grammar {
    /// A value must come here: after `:`, after `,` in an array, or as
    /// the whole text.
    ExpectedValue,
    /// A value or `]` must come here (just after `[`): an array cannot
    /// start with a separator.
    ExpectedValueOrClose,
    /// A quoted key or `}` must come here (just after `{`).
    ExpectedKeyOrClose,
    /// A quoted key must come here (after `,` in an object).
    ExpectedKey,
    /// `:` must follow a key.
    ExpectedColon,
    /// `,` or the container's closing bracket must follow a value.
    ExpectedCommaOrClose,
    /// The text must end after its one value (whitespace aside).
    ExpectedEnd,
    /// The text ends inside a value.
    UnexpectedEnd,
    /// A number that is not `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    BadNumber,
    /// Not `true`, `false` or `null`.
    BadLiteral,
    /// An escape other than `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`,
    /// `\t` and `\u` with four hex digits.
    BadEscape,
    /// A `\u` surrogate escape without its pair.
    LoneSurrogate,
    /// A raw control character (below U+0020) inside a string.
    ControlCharacter,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
    /// Objects and arrays nested deeper than allowed.
    TooDeep,
}

impl fmt::Display for Grammar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Grammar::ExpectedValue => "a value must come here",
            Grammar::ExpectedValueOrClose => {
                "a value or `]` must come here (an array cannot start with `,`)"
            }
            Grammar::ExpectedKeyOrClose => {
                "a quoted key or `}` must come here (an object cannot start with `,`)"
            }
            Grammar::ExpectedKey => "a quoted key must come here",
            Grammar::ExpectedColon => "`:` must follow a key",
            Grammar::ExpectedCommaOrClose => "`,` or a closing bracket must follow a value",
            Grammar::ExpectedEnd => "the text must end after its value",
            Grammar::UnexpectedEnd => "the text ends inside a value",
            Grammar::BadNumber => "not a JSON number",
            Grammar::BadLiteral => "not `true`, `false` or `null`",
            Grammar::BadEscape => "not a JSON escape",
            Grammar::LoneSurrogate => "a \\u surrogate escape without its pair",
            Grammar::ControlCharacter => "a raw control character in a string (escape it)",
            Grammar::InvalidUtf8 => "bytes that are not UTF-8",
            Grammar::TooDeep => "nested too deep",
        })
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Syntax => f.write_str("malformed JSON"),
            JsonError::WrongType(field) => {
                write!(f, "field `{}` has the wrong JSON type", field.path())
            }
            JsonError::InvalidNumber(field) => write!(
                f,
                "field `{}`: integers must be non-negative, without fraction or exponent, and fit 64 bits",
                field.path()
            ),
            JsonError::UnknownField(key) => write!(f, "unknown field `{key}`"),
            JsonError::DuplicateField(field) => write!(f, "field `{}` appears twice", field.path()),
            JsonError::MissingField(field) => write!(f, "missing field `{}`", field.path()),
            JsonError::InvalidString(field) => write!(
                f,
                "field `{}`: invalid string (bad escape, lone surrogate or unescaped control character)",
                field.path()
            ),
            JsonError::TrailingCharacters => f.write_str("trailing characters after the JSON value"),
            JsonError::TooLong => f.write_str("JSON document is longer than any valid one"),
            JsonError::TooDeep => {
                f.write_str("JSON objects and arrays are nested deeper than in any valid document")
            }
            JsonError::Grammar { at, broken } => {
                write!(f, "malformed JSON at byte {at}: {broken}")
            }
        }
    }
}

/// Every way the core can refuse an input. Each variant names one cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Error {
    /// A value breaks its field's rules.
    Invalid {
        /// Where the value is.
        at: Location,
        /// What is wrong with it.
        problem: Problem,
    },
    /// The JSON's shape was refused.
    Json(JsonError),
    /// The RLP's outer shape was refused (a field's own RLP error is
    /// [`Error::Invalid`] with [`Problem::Rlp`]).
    Rlp(RlpError),
    /// An operation that this scheme cannot carry (CreateMultiSig and
    /// BatchPayment exist only in native v2).
    NotInScheme,
    /// A native v2 body carries a legacy top-level `signature`.
    LegacySignatureInNativeBody,
    /// An operation type number or name that is none of the fourteen.
    UnknownOperation,
    /// A v2 envelope whose domain tag is not `1money.native.transaction.v2`.
    WrongDomain,
    /// The output buffer is too small for the encoding.
    BufferTooSmall,
    /// `v` is not 0 or 1.
    InvalidRecoveryId,
    /// `r` or `s` is zero or not below the curve order.
    SignatureScalarOutOfRange,
    /// `s` is in the upper half of the curve order (not low-S).
    HighS,
    /// The signature does not recover to a public key.
    RecoveryFailed,
    /// The signature recovers to another signer than the expected one.
    SignerMismatch,
    /// Signing produced a recovery id of 2 or 3 (x-coordinate reduced),
    /// which the network cannot express; or the key could not sign.
    SigningFailed,
    /// A secret key is zero or not below the curve order.
    InvalidSecretKey,
}

impl Error {
    /// A value error for `field`.
    pub const fn invalid(field: Field, problem: Problem) -> Self {
        Error::Invalid {
            at: Location::field(field),
            problem,
        }
    }

    /// A value error for `field` of the `index`-th list element.
    pub const fn invalid_at(field: Field, index: u16, problem: Problem) -> Self {
        Error::Invalid {
            at: Location::at(field, index),
            problem,
        }
    }

    /// The field this error is about, if any.
    pub const fn field(&self) -> Option<Field> {
        match self {
            Error::Invalid { at, .. } => Some(at.field),
            Error::Json(
                JsonError::WrongType(f)
                | JsonError::InvalidNumber(f)
                | JsonError::DuplicateField(f)
                | JsonError::MissingField(f)
                | JsonError::InvalidString(f),
            ) => Some(*f),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { at, problem } => write!(f, "`{at}` {problem}"),
            Error::Json(e) => write!(f, "invalid JSON: {e}"),
            Error::Rlp(e) => write!(f, "non-canonical RLP: {e}"),
            Error::NotInScheme => f.write_str(
                "this operation exists only in the native v2 scheme (CreateMultiSig, BatchPayment): sign it as v2",
            ),
            Error::LegacySignatureInNativeBody => f.write_str(
                "a v2 body carries `authorization`, not a legacy top-level `signature`: sign it as v2",
            ),
            Error::UnknownOperation => f.write_str(
                "unknown operation: use one of the fourteen names (Payment, TokenIssue, …, BatchPayment)",
            ),
            Error::WrongDomain => f.write_str(
                "the envelope's domain tag is not 1money.native.transaction.v2: not a v2 transaction",
            ),
            Error::BufferTooSmall => f.write_str("output buffer is too small"),
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

impl From<BufferFull> for Error {
    fn from(_: BufferFull) -> Self {
        Error::BufferTooSmall
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn messages_name_the_field_and_position() {
        let e = Error::invalid_at(Field::OperationAmount, 3, Problem::Zero);
        assert_eq!(e.to_string(), "`operations[3].amount` must not be zero");
        let e = Error::invalid(Field::Symbol, Problem::Empty);
        assert_eq!(e.to_string(), "`symbol` must not be empty");
        let e = Error::Json(JsonError::UnknownField(Key::new("colour\u{202e}")));
        assert_eq!(
            e.to_string(),
            "invalid JSON: unknown field `colour\\u{202e}`"
        );
        // Look-alikes and quotes are escaped too.
        let e = Error::Json(JsonError::UnknownField(Key::new("a\"b\\c\td\u{441}'")));
        assert_eq!(
            e.to_string(),
            "invalid JSON: unknown field `a\\\"b\\\\c\\td\\u{441}\\'`"
        );
        let long = Key::new(&"k".repeat(40));
        assert_eq!(long.as_str().len(), 32);
        assert!(long.to_string().ends_with('…'));
        assert_eq!(Key::new("é".repeat(20).as_str()).as_str().len(), 32);
        assert_eq!(e.field(), None);
        assert_eq!(
            Error::Json(JsonError::MissingField(Field::Nonce)).field(),
            Some(Field::Nonce)
        );
    }
}
