//! The JSON grammar of RFC 8259, checked in one pass, without recursion
//! and without allocating.
//!
//! serde-json-core tokenises the core's JSON, but it is not a complete
//! grammar check: its array reader takes a `,` before the first element
//! (`[,1]`, even `[,1 2]`), which no JSON reader accepts. A signer must
//! refuse what the network refuses, so that the review, the signature and
//! the node all agree on one reading of the bytes. Every parser of the core
//! therefore also runs this checker ([`super::json_read::parse_document`]),
//! and a text is read only when both agree that it is JSON.
//!
//! What is checked, in full: the structure (objects, arrays, members,
//! separators), numbers (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`),
//! the literals `true`, `false` and `null`, strings (no raw control
//! character, only the eight short escapes and `\uXXXX`, a high surrogate
//! escape always followed by a low one and a low one never alone), UTF-8
//! (the whole text must be valid UTF-8; outside strings only ASCII can
//! appear), whitespace (space, tab, line feed, carriage return only; no
//! byte-order mark), one value per text, and the nesting depth. Lone
//! surrogate escapes are valid by the RFC's grammar but name no character;
//! they are refused, as `serde_json` refuses them.

use crate::error::{Grammar, JsonError};

/// Deepest nesting this checker can follow: it keeps one bit per level.
pub const MAX_CHECKED_DEPTH: usize = 128;

/// Why a text is not JSON: the byte offset where the grammar broke, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Offset of the first byte the grammar does not allow (the length of
    /// the text when it ends too early).
    pub at: usize,
    /// What broke.
    pub broken: Grammar,
}

impl SyntaxError {
    /// The core's error for this break: [`JsonError::TrailingCharacters`]
    /// after a complete value, [`JsonError::TooDeep`] for nesting, otherwise
    /// [`JsonError::Grammar`] with the offset.
    pub fn to_json_error(self) -> JsonError {
        match self.broken {
            Grammar::ExpectedEnd => JsonError::TrailingCharacters,
            Grammar::TooDeep => JsonError::TooDeep,
            broken => JsonError::Grammar {
                at: u32::try_from(self.at).unwrap_or(u32::MAX),
                broken,
            },
        }
    }
}

/// What the grammar allows next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    /// A value (after `:` or after `,` in an array, or the whole text).
    Value,
    /// A value or `]` (just after `[`).
    ValueOrClose,
    /// A key or `}` (just after `{`).
    KeyOrClose,
    /// A key (after `,` in an object).
    Key,
    /// `:` (after a key).
    Colon,
    /// `,` or the closing bracket of the innermost container, or the end
    /// of the text at the top level (after a value).
    CommaOrClose,
}

/// The open containers, innermost last: one bit per level (1 = object).
struct Stack {
    bits: u128,
    depth: usize,
    max: usize,
}

impl Stack {
    fn push(&mut self, object: bool, at: usize) -> Result<(), SyntaxError> {
        if self.depth >= self.max {
            return Err(SyntaxError {
                at,
                broken: Grammar::TooDeep,
            });
        }
        self.bits = (self.bits << 1) | u128::from(object);
        self.depth += 1;
        Ok(())
    }

    fn top_is_object(&self) -> bool {
        self.depth > 0 && self.bits & 1 == 1
    }

    fn pop(&mut self) {
        self.bits >>= 1;
        self.depth = self.depth.saturating_sub(1);
    }
}

/// Checks that `input` is exactly one JSON text (RFC 8259) nesting objects
/// and arrays at most `max_depth` levels (at most [`MAX_CHECKED_DEPTH`]).
pub fn check(input: &[u8], max_depth: usize) -> Result<(), SyntaxError> {
    let fail = |at: usize, broken: Grammar| Err(SyntaxError { at, broken });
    if let Err(e) = core::str::from_utf8(input) {
        return fail(e.valid_up_to(), Grammar::InvalidUtf8);
    }
    let mut stack = Stack {
        bits: 0,
        depth: 0,
        max: max_depth.min(MAX_CHECKED_DEPTH),
    };
    let mut next = Next::Value;
    let mut i = 0usize;
    loop {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = input.get(i) {
            i += 1;
        }
        let Some(&b) = input.get(i) else { break };
        match next {
            Next::Value | Next::ValueOrClose => match b {
                b']' if next == Next::ValueOrClose => {
                    stack.pop();
                    i += 1;
                    next = Next::CommaOrClose;
                }
                b'{' => {
                    stack.push(true, i)?;
                    i += 1;
                    next = Next::KeyOrClose;
                }
                b'[' => {
                    stack.push(false, i)?;
                    i += 1;
                    next = Next::ValueOrClose;
                }
                b'"' => {
                    i = string(input, i)?;
                    next = Next::CommaOrClose;
                }
                b'-' | b'0'..=b'9' => {
                    i = number(input, i)?;
                    next = Next::CommaOrClose;
                }
                b't' | b'f' | b'n' => {
                    i = literal(input, i)?;
                    next = Next::CommaOrClose;
                }
                _ if next == Next::ValueOrClose => return fail(i, Grammar::ExpectedValueOrClose),
                _ => return fail(i, Grammar::ExpectedValue),
            },
            Next::KeyOrClose | Next::Key => match b {
                b'}' if next == Next::KeyOrClose => {
                    stack.pop();
                    i += 1;
                    next = Next::CommaOrClose;
                }
                b'"' => {
                    i = string(input, i)?;
                    next = Next::Colon;
                }
                _ if next == Next::KeyOrClose => return fail(i, Grammar::ExpectedKeyOrClose),
                _ => return fail(i, Grammar::ExpectedKey),
            },
            Next::Colon => {
                if b != b':' {
                    return fail(i, Grammar::ExpectedColon);
                }
                i += 1;
                next = Next::Value;
            }
            Next::CommaOrClose => {
                if stack.depth == 0 {
                    return fail(i, Grammar::ExpectedEnd);
                }
                let object = stack.top_is_object();
                match (b, object) {
                    (b',', true) => next = Next::Key,
                    (b',', false) => next = Next::Value,
                    (b'}', true) | (b']', false) => {
                        stack.pop();
                        next = Next::CommaOrClose;
                    }
                    _ => return fail(i, Grammar::ExpectedCommaOrClose),
                }
                i += 1;
            }
        }
    }
    if next == Next::CommaOrClose && stack.depth == 0 {
        Ok(())
    } else {
        fail(input.len(), Grammar::UnexpectedEnd)
    }
}

/// Checks the string starting with the `"` at `start`; returns the offset
/// after its closing quote.
fn string(input: &[u8], start: usize) -> Result<usize, SyntaxError> {
    let fail = |at: usize, broken: Grammar| Err(SyntaxError { at, broken });
    let mut i = start + 1;
    loop {
        let Some(&b) = input.get(i) else {
            return fail(input.len(), Grammar::UnexpectedEnd);
        };
        match b {
            b'"' => return Ok(i + 1),
            0x00..=0x1f => return fail(i, Grammar::ControlCharacter),
            b'\\' => {
                let Some(&escape) = input.get(i + 1) else {
                    return fail(input.len(), Grammar::UnexpectedEnd);
                };
                match escape {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                    b'u' => {
                        let unit = hex4(input, i + 2)?;
                        match unit {
                            0xd800..=0xdbff => {
                                // A high surrogate: a low one must follow.
                                let low = (input.get(i + 6..i + 8) == Some(b"\\u"))
                                    .then(|| hex4(input, i + 8))
                                    .transpose()?;
                                match low {
                                    Some(0xdc00..=0xdfff) => i += 12,
                                    _ => return fail(i, Grammar::LoneSurrogate),
                                }
                            }
                            0xdc00..=0xdfff => return fail(i, Grammar::LoneSurrogate),
                            _ => i += 6,
                        }
                    }
                    _ => return fail(i, Grammar::BadEscape),
                }
            }
            // Any other byte: the whole text is valid UTF-8 (checked first),
            // so a multi-byte character's bytes are all >= 0x80.
            _ => i += 1,
        }
    }
}

/// The four hex digits of a `\u` escape at `at`.
fn hex4(input: &[u8], at: usize) -> Result<u32, SyntaxError> {
    let digits = input.get(at..at + 4).ok_or(SyntaxError {
        at: input.len().min(at),
        broken: Grammar::BadEscape,
    })?;
    digits.iter().enumerate().try_fold(0u32, |acc, (k, d)| {
        crate::hex::hex_value(*d)
            .map(|v| (acc << 4) | u32::from(v))
            .ok_or(SyntaxError {
                at: at + k,
                broken: Grammar::BadEscape,
            })
    })
}

/// Checks the number starting at `start`; returns the offset after it.
fn number(input: &[u8], start: usize) -> Result<usize, SyntaxError> {
    let digit = |i: usize| matches!(input.get(i), Some(b'0'..=b'9'));
    let bad = |at: usize| SyntaxError {
        at,
        broken: Grammar::BadNumber,
    };
    let mut i = start;
    if input.get(i) == Some(&b'-') {
        i += 1;
    }
    match input.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while digit(i) {
                i += 1;
            }
        }
        _ => return Err(bad(i)),
    }
    if input.get(i) == Some(&b'.') {
        i += 1;
        if !digit(i) {
            return Err(bad(i));
        }
        while digit(i) {
            i += 1;
        }
    }
    if let Some(b'e' | b'E') = input.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = input.get(i) {
            i += 1;
        }
        if !digit(i) {
            return Err(bad(i));
        }
        while digit(i) {
            i += 1;
        }
    }
    Ok(i)
}

/// Checks `true`, `false` or `null` at `start`; returns the offset after it.
fn literal(input: &[u8], start: usize) -> Result<usize, SyntaxError> {
    let word: &[u8] = match input.get(start) {
        Some(b't') => b"true",
        Some(b'f') => b"false",
        _ => b"null",
    };
    let end = start + word.len();
    if input.get(start..end) == Some(word) {
        Ok(end)
    } else {
        Err(SyntaxError {
            at: start,
            broken: Grammar::BadLiteral,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broken(text: &str) -> Option<(usize, Grammar)> {
        check(text.as_bytes(), 8).err().map(|e| (e.at, e.broken))
    }

    #[test]
    fn valid_texts_pass() {
        for text in [
            "{}",
            "[]",
            " [ ] ",
            "0",
            "-0",
            "-0.0e+1",
            "1E-7",
            "123.456",
            "\"\"",
            "\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
            "\"é😀\"",
            "true",
            "false",
            "null",
            "{\"a\":[1,{\"b\":null}],\"c\":\"d\"}",
            "\t\r\n[\n1 ,\t2\r]\n",
        ] {
            assert_eq!(broken(text), None, "{text:?}");
        }
    }

    #[test]
    fn each_rule_is_named_where_it_breaks() {
        use Grammar::*;
        for (text, at, why) in [
            // The fuzz target's find: an array starting with a separator.
            ("[,1]", 1, ExpectedValueOrClose),
            ("[,1 2]", 1, ExpectedValueOrClose),
            ("{\"a\":[,{}]}", 6, ExpectedValueOrClose),
            ("{,\"a\":1}", 1, ExpectedKeyOrClose),
            ("[1,]", 3, ExpectedValue),
            ("[1,,2]", 3, ExpectedValue),
            ("{\"a\":1,}", 7, ExpectedKey),
            ("{\"a\" 1}", 5, ExpectedColon),
            ("{\"a\":1 \"b\":2}", 7, ExpectedCommaOrClose),
            ("[1}", 2, ExpectedCommaOrClose),
            ("{\"a\":1]", 6, ExpectedCommaOrClose),
            ("{1:1}", 1, ExpectedKeyOrClose),
            ("{'a':1}", 1, ExpectedKeyOrClose),
            ("{a:1}", 1, ExpectedKeyOrClose),
            ("[01]", 2, ExpectedCommaOrClose),
            ("[+1]", 1, ExpectedValueOrClose),
            ("[.5]", 1, ExpectedValueOrClose),
            ("[1.]", 3, BadNumber),
            ("[1e]", 3, BadNumber),
            ("[-]", 2, BadNumber),
            ("[NaN]", 1, ExpectedValueOrClose),
            ("[tru]", 1, BadLiteral),
            ("[nul", 1, BadLiteral),
            ("[\"a\tb\"]", 3, ControlCharacter),
            ("[\"\\x\"]", 2, BadEscape),
            ("[\"\\u12g4\"]", 6, BadEscape),
            ("[\"\\ud800\"]", 2, LoneSurrogate),
            ("[\"\\ud800\\u0041\"]", 2, LoneSurrogate),
            ("[\"\\udc00\"]", 2, LoneSurrogate),
            ("[1] [2]", 4, ExpectedEnd),
            ("{}x", 2, ExpectedEnd),
            ("[1] /* c */", 4, ExpectedEnd),
            ("", 0, UnexpectedEnd),
            ("  ", 2, UnexpectedEnd),
            ("[1", 2, UnexpectedEnd),
            ("{\"a\":", 5, UnexpectedEnd),
            ("[\"abc", 5, UnexpectedEnd),
            ("\u{feff}{}", 0, ExpectedValue),
            ("[\u{a0}1]", 1, ExpectedValueOrClose),
            ("[[[[[[[[[]]]]]]]]]", 8, TooDeep),
        ] {
            assert_eq!(broken(text), Some((at, why)), "{text:?}");
        }
        assert_eq!(
            check(b"[\"\xff\"]", 8).map_err(|e| (e.at, e.broken)),
            Err((2, InvalidUtf8))
        );
    }

    #[test]
    fn depth_is_bounded_by_the_caller_and_the_checker() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(check(nested(3).as_bytes(), 3), Ok(()));
        assert!(check(nested(4).as_bytes(), 3).is_err());
        assert_eq!(
            check(nested(MAX_CHECKED_DEPTH).as_bytes(), usize::MAX),
            Ok(())
        );
        assert_eq!(
            check(nested(MAX_CHECKED_DEPTH + 1).as_bytes(), usize::MAX).map_err(|e| e.broken),
            Err(Grammar::TooDeep)
        );
    }
}
