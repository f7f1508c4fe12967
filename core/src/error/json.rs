//! Why JSON was refused: [`JsonError`], the [`Grammar`] rule malformed JSON
//! breaks, and the [`Key`] an unknown member had.

use core::fmt;

use super::Field;

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
