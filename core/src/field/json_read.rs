//! Reading JSON: serde-json-core tokenises, the core decodes strings and
//! visits objects itself.
//!
//! Strings are taken raw (still escaped) and decoded here, because
//! serde-json-core (0.6 and 0.7) cannot decode a `\uXXXX` surrogate pair and
//! lets raw control characters through. Objects are visited by the core's
//! own visitors (generated per record), so that unknown, duplicate, missing
//! and mistyped fields each get a precise error naming the field.
//!
//! serde's callbacks can only return an opaque error, so the precise cause
//! is kept in a [`Ctx`] on the side and taken out at the end.

use core::cell::Cell;

use serde::de::{self, Deserializer};

use crate::error::{Error, Field, JsonError, Key, Location, Problem};

/// The side channel of one parse: the precise error, and the field being
/// read (for serde's own type errors, which do not say where they are).
#[derive(Debug, Default)]
pub struct Ctx {
    error: Cell<Option<Error>>,
    field: Cell<Option<Field>>,
    /// Whether the last value read was an integer. serde-json-core reads an
    /// integer up to its first non-digit, so `1.5` or `1e3` fails on the
    /// `.` or `e` as a missing comma: that failure is the integer's.
    after_integer: Cell<bool>,
}

impl Ctx {
    /// A fresh context.
    pub fn new() -> Self {
        Ctx::default()
    }

    /// Records `e` as the cause and returns serde's opaque error.
    pub fn fail<E: de::Error>(&self, e: Error) -> E {
        // The first (innermost) cause wins.
        if self.error.get().is_none() {
            self.error.set(Some(e));
        }
        E::custom("")
    }

    /// Records a value problem at `at`.
    pub fn invalid<E: de::Error>(&self, at: Location, problem: Problem) -> E {
        self.fail(Error::Invalid { at, problem })
    }

    /// Notes that the value of `field` is being read next.
    pub fn enter(&self, field: Field) {
        self.field.set(Some(field));
        self.after_integer.set(false);
    }

    /// The precise error of a failed parse: the recorded cause, or serde's
    /// error mapped with the field being read.
    pub fn error(&self, e: serde_json_core::de::Error) -> Error {
        use serde_json_core::de::Error as E;
        if let Some(precise) = self.error.take() {
            return precise;
        }
        let field = self.field.get();
        Error::Json(match (e, field) {
            (E::InvalidNumber, Some(f)) => JsonError::InvalidNumber(f),
            (E::ExpectedObjectCommaOrEnd | E::ExpectedListCommaOrEnd, Some(f))
                if self.after_integer.get() =>
            {
                JsonError::InvalidNumber(f)
            }
            (E::InvalidType, Some(f)) => JsonError::WrongType(f),
            (E::InvalidUnicodeCodePoint | E::EofWhileParsingString, Some(f)) => {
                JsonError::InvalidString(f)
            }
            (E::TrailingCharacters, _) => JsonError::TrailingCharacters,
            _ => JsonError::Syntax,
        })
    }
}

/// Why a raw JSON string could not be decoded into a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unescape {
    /// A bad escape, a lone surrogate or a raw control character.
    Invalid,
    /// The decoded text does not fit the buffer.
    TooLong,
}

fn hex4(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |acc, b| {
        Some((acc << 4) | u32::from(crate::hex::hex_value(*b)?))
    })
}

/// Decodes a raw JSON string body (between its quotes) into `out`.
pub fn unescape<'o>(raw: &str, out: &'o mut [u8]) -> Result<&'o str, Unescape> {
    use Unescape::{Invalid, TooLong};
    let bytes = raw.as_bytes();
    let (mut i, mut o) = (0usize, 0usize);
    let mut push = |o: &mut usize, chunk: &[u8]| -> Result<(), Unescape> {
        let end = o.checked_add(chunk.len()).ok_or(TooLong)?;
        out.get_mut(*o..end).ok_or(TooLong)?.copy_from_slice(chunk);
        *o = end;
        Ok(())
    };
    while let Some(&b) = bytes.get(i) {
        if b < 0x20 {
            return Err(Invalid);
        }
        if b != b'\\' {
            push(&mut o, &[b])?;
            i += 1;
            continue;
        }
        let esc = bytes.get(i + 1).copied().ok_or(Invalid)?;
        i += 2;
        let c = match esc {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = bytes.get(i..i + 4).and_then(hex4).ok_or(Invalid)?;
                i += 4;
                let cp = match hi {
                    0xd800..=0xdbff => {
                        if bytes.get(i..i + 2) != Some(b"\\u") {
                            return Err(Invalid);
                        }
                        let lo = bytes.get(i + 2..i + 6).and_then(hex4).ok_or(Invalid)?;
                        if !(0xdc00..=0xdfff).contains(&lo) {
                            return Err(Invalid);
                        }
                        i += 6;
                        0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                    }
                    0xdc00..=0xdfff => return Err(Invalid),
                    cp => cp,
                };
                char::from_u32(cp).ok_or(Invalid)?
            }
            _ => return Err(Invalid),
        };
        let mut tmp = [0u8; 4];
        push(&mut o, c.encode_utf8(&mut tmp).as_bytes())?;
    }
    core::str::from_utf8(out.get(..o).ok_or(Invalid)?).map_err(|_| Invalid)
}

/// Reads a raw string value and decodes it into `buf`; `too_long` is the
/// problem reported when it does not fit.
pub fn read_str<'de, 'b, D: Deserializer<'de>>(
    d: D,
    ctx: &Ctx,
    at: Location,
    buf: &'b mut [u8],
    too_long: Problem,
) -> Result<&'b str, D::Error> {
    ctx.enter(at.field);
    let raw = <&'de str as de::Deserialize<'de>>::deserialize(d)?;
    unescape(raw, buf).map_err(|e| match e {
        Unescape::Invalid => ctx.fail(Error::Json(JsonError::InvalidString(at.field))),
        Unescape::TooLong => ctx.invalid(at, too_long),
    })
}

/// Reads a `u64` number.
pub fn read_u64<'de, D: Deserializer<'de>>(d: D, ctx: &Ctx, at: Location) -> Result<u64, D::Error> {
    ctx.enter(at.field);
    let value = <u64 as de::Deserialize<'de>>::deserialize(d)?;
    ctx.after_integer.set(true);
    Ok(value)
}

/// Reads an object key and decodes it; a key longer than any field name is
/// an unknown field (named, truncated; `within` the object's field).
pub fn key_text<'k, E: de::Error>(
    raw: &str,
    ctx: &Ctx,
    buf: &'k mut [u8; 32],
    within: Option<Field>,
) -> Result<&'k str, E> {
    match unescape(raw, buf) {
        Ok(key) => Ok(key),
        Err(Unescape::TooLong) => Err(ctx.fail(Error::Json(JsonError::UnknownField(
            Key::new(raw).within(within),
        )))),
        Err(Unescape::Invalid) => Err(ctx.fail(Error::Json(JsonError::Syntax))),
    }
}

/// The error for an unknown key of the object of `within` (`None`: the
/// top-level object).
pub fn unknown_key<E: de::Error>(ctx: &Ctx, key: &str, within: Option<Field>) -> E {
    ctx.fail(Error::Json(JsonError::UnknownField(
        Key::new(key).within(within),
    )))
}

/// Stores a member's value, refusing a second occurrence of its key.
pub fn put_once<T, E: de::Error>(
    ctx: &Ctx,
    slot: &mut Option<T>,
    value: T,
    field: Field,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(ctx.fail(Error::Json(JsonError::DuplicateField(field))));
    }
    *slot = Some(value);
    Ok(())
}

/// A required member's value, or the "missing field" error.
pub fn required<T>(slot: Option<T>, field: Field) -> Result<T, Error> {
    slot.ok_or(Error::Json(JsonError::MissingField(field)))
}

/// Deepest nesting of objects and arrays the parsers read. The deepest
/// valid body nests 5 levels (a v2 multisig body: the body,
/// `authorization`, `signatures`, a member, its `signature`).
///
/// Why a limit: serde-json-core has none, and skipping a value (the first
/// pass over a document looking for `operation`) recurses once per level;
/// a document of 20,000 nested arrays overflowed a 1 MiB stack, and a
/// device's stack holds far fewer levels.
pub const MAX_JSON_DEPTH: usize = 8;

/// Refuses input whose objects and arrays nest deeper than `max` levels,
/// in one pass without recursion (strings and their escapes are skipped;
/// unbalanced input is the parser's to refuse).
pub fn check_depth(input: &[u8], max: usize) -> Result<(), Error> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in input {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(Error::Json(JsonError::TooDeep));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Parses `input` with `parse`, enforcing `max_len` and
/// [`MAX_JSON_DEPTH`] and refusing trailing characters; maps every failure
/// to its precise [`Error`].
///
/// A value is returned only when the input is also JSON by the grammar
/// check of [`json_syntax`](super::json_syntax) (serde-json-core alone
/// takes `[,1]`). When serde-json-core fails without naming a field, the
/// grammar check names the byte and the rule instead.
pub fn parse_document<'de, T>(
    input: &'de [u8],
    max_len: usize,
    parse: impl FnOnce(
        &mut serde_json_core::de::Deserializer<'de, '_>,
        &Ctx,
    ) -> Result<T, serde_json_core::de::Error>,
) -> Result<T, Error> {
    if input.len() > max_len {
        return Err(Error::Json(JsonError::TooLong));
    }
    check_depth(input, MAX_JSON_DEPTH)?;
    let ctx = Ctx::new();
    let mut de = serde_json_core::de::Deserializer::new(input, None);
    let result = parse(&mut de, &ctx).and_then(|v| de.end().map(|_| v));
    let grammar = || super::json_syntax::check(input, MAX_JSON_DEPTH);
    match result {
        Ok(value) => match grammar() {
            Ok(()) => Ok(value),
            Err(broken) => Err(Error::Json(broken.to_json_error())),
        },
        Err(e) => match ctx.error(e) {
            Error::Json(JsonError::Syntax | JsonError::TrailingCharacters) => Err(Error::Json(
                grammar()
                    .err()
                    .map_or(JsonError::Syntax, |b| b.to_json_error()),
            )),
            precise => Err(precise),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> std::string::String {
        let mut s = "[".repeat(depth);
        s.push_str(&"]".repeat(depth));
        s
    }

    #[test]
    fn nesting_depth_is_bounded() {
        let too_deep = Err(Error::Json(JsonError::TooDeep));
        assert_eq!(
            check_depth(nested(MAX_JSON_DEPTH).as_bytes(), MAX_JSON_DEPTH),
            Ok(())
        );
        assert_eq!(
            check_depth(nested(MAX_JSON_DEPTH + 1).as_bytes(), MAX_JSON_DEPTH),
            too_deep
        );
        let objects = format!("{}1{}", "{\"a\":".repeat(9), "}".repeat(9));
        assert_eq!(check_depth(objects.as_bytes(), MAX_JSON_DEPTH), too_deep);
        // Brackets in strings, escaped quotes included, do not count.
        let text = format!("{{\"a\":\"\\\"{}\"}}", "[{".repeat(20));
        assert_eq!(check_depth(text.as_bytes(), 1), Ok(()));
        // Closing more than was opened is the parser's to refuse.
        assert_eq!(check_depth(b"]]]{}", 1), Ok(()));
        // Through a parser: refused before serde-json-core recurses.
        let deep = nested(100_000);
        let parsed = parse_document(deep.as_bytes(), usize::MAX, |de, _| {
            serde::de::Deserialize::deserialize(de).map(|_: serde::de::IgnoredAny| ())
        });
        assert_eq!(parsed, too_deep);
    }

    use crate::tx::{OpType, Transaction};

    const PAYMENT: &str = r#"{"chain_id":1,"nonce":NONCE,"recipient":"0x0000000000000000000000000000000000000001","value":"10","token":"0x0000000000000000000000000000000000000002"}"#;

    fn nonce(text: &str) -> Result<u64, Error> {
        let body = PAYMENT.replace("NONCE", text);
        crate::json::parse_unsigned::<1, 1>(OpType::Payment, body.as_bytes())
            .map(|tx: Transaction<1, 1>| tx.nonce)
    }

    /// Found by the `tx_json` fuzz target: a fraction or an exponent (valid
    /// JSON) was refused as malformed JSON instead of an invalid integer
    /// naming its field.
    #[test]
    fn fractions_and_exponents_are_invalid_numbers_of_their_field() {
        let invalid = Err(Error::Json(JsonError::InvalidNumber(Field::Nonce)));
        for text in [
            "1.5",
            "1.0",
            "0.5",
            "1e3",
            "1E3",
            "2e-1",
            "-1",
            "-0",
            "18446744073709551616",
        ] {
            assert_eq!(nonce(text), invalid, "{text}");
        }
        assert_eq!(nonce("7"), Ok(7));
        assert_eq!(nonce("7 "), Ok(7));
        // In an array of integers (a CreateMultiSig key), the element's field.
        let key = format!("[{}1.5]", "2,".repeat(32));
        let body = format!(
            r#"{{"chain_id":1,"nonce":1,"signers":[{{"public_key":{key},"weight":1}}],"threshold":1}}"#
        );
        assert_eq!(
            crate::json::parse_unsigned::<1, 1>(OpType::CreateMultiSig, body.as_bytes()),
            Err(Error::Json(JsonError::InvalidNumber(
                Field::SignerPublicKey
            )))
        );
        // Malformed JSON after a string is still malformed JSON, named at
        // its byte.
        let body = PAYMENT.replace("\"10\"", "\"10\".5").replace("NONCE", "1");
        let at = body.find(".5").and_then(|at| u32::try_from(at).ok());
        assert_eq!(
            crate::json::parse_unsigned::<1, 1>(OpType::Payment, body.as_bytes()),
            Err(Error::Json(JsonError::Grammar {
                at: at.unwrap_or_default(),
                broken: crate::error::Grammar::ExpectedCommaOrClose
            }))
        );
    }
}
