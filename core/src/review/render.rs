//! How a shown value is written on a screen: printable ASCII only, so that
//! nothing can pass for something else.
//!
//! | kind | written as |
//! |---|---|
//! | text from the transaction | `"` + text + `"`; `\` as `\\`; every character outside printable ASCII (U+0020..=U+007E) as `\u{XXXX}` (hex code point) |
//! | the core's own words | as they are |
//! | address | EIP-55, all 42 characters |
//! | amount, number | decimal digits |
//! | yes/no | `Yes` / `No` |
//! | bytes | `0x` + lowercase hex |
//! | token, from a trusted definition | symbol, space, EIP-55 address: `USDX 0x…` |
//! | token, no definition | `Unknown token 0x…`; with a server's word: `Unknown token 0x… (server says USDX)` |
//! | token amount | whole tokens, exact ([`Amount::to_whole_tokens`](crate::amount::Amount::to_whole_tokens)), space, symbol: `1.5 USDX`; a server's unit adds ` (per server)` |
//! | non-ASCII warning | `<label> contains non-ASCII characters` (`<label> <n>` in a list) |
//! | local chain | `local node (chain id N)` |
//!
//! The text rendering is injective: `USDС` (Cyrillic last letter) is
//! `"USD\u{421}"`, which no ASCII symbol renders to, because a literal
//! backslash is itself escaped. [`unrender_text`] reverses it.

use core::fmt::{self, Write};

use crate::address::ADDRESS_TEXT_LEN;
use crate::amount::Amount;
use crate::field::{Shown, Unit};
use crate::hex::{ascii_str, write_hex_lower};

/// Before a token's address when no trusted definition names it.
pub const UNKNOWN_TOKEN: &str = "Unknown token ";
/// Before the symbol a server reported, after an unknown token.
pub const SERVER_SAYS: &str = " (server says ";
/// After an amount in a unit a server reported.
pub const PER_SERVER: &str = " (per server)";
/// After a label whose text holds characters outside printable ASCII.
pub const NON_ASCII: &str = " contains non-ASCII characters";
/// Before a local node's chain id.
pub const LOCAL_CHAIN: &str = "local node (chain id ";

/// Writes `value` as a screen shows it.
///
/// Through `write_str` alone, never `core::fmt`'s formatting: a device
/// renders every page, and `write!` linked the integer, hex and padding
/// machinery of `core::fmt` into its flash (docs/embedded.md, "Flash").
/// Amounts go through [`Amount::to_decimal`](crate::amount::Amount::to_decimal),
/// other numbers through a 32-bit digit loop.
pub fn render(value: &Shown<'_>, out: &mut impl Write) -> fmt::Result {
    render_ascii(value, &mut FmtSink(out))
}

/// Where a rendering goes, a piece at a time; every piece is printable
/// ASCII. A `fmt::Write` takes pieces of bytes as `&str` ([`FmtSink`]); a
/// device's page writer takes them as bytes, without a UTF-8 check per
/// piece (docs/embedded.md, "How instructions per function add up").
pub(super) trait AsciiSink {
    /// Appends ASCII bytes.
    fn ascii(&mut self, bytes: &[u8]) -> fmt::Result;
    /// Appends a text.
    fn text(&mut self, text: &str) -> fmt::Result {
        self.ascii(text.as_bytes())
    }
}

/// A `fmt::Write` as an [`AsciiSink`].
struct FmtSink<'w, W>(&'w mut W);

impl<W: Write> AsciiSink for FmtSink<'_, W> {
    fn ascii(&mut self, bytes: &[u8]) -> fmt::Result {
        self.0.write_str(ascii_str(bytes))
    }
    fn text(&mut self, text: &str) -> fmt::Result {
        self.0.write_str(text)
    }
}

/// [`render`] into an [`AsciiSink`]; one function for every sink (a
/// device renders into two, and a copy of this per sink was most of a
/// kilobyte of its flash).
pub(super) fn render_ascii(value: &Shown<'_>, out: &mut dyn AsciiSink) -> fmt::Result {
    match value {
        Shown::Text(text) => {
            out.ascii(b"\"")?;
            for_each_piece(text, |piece| match piece {
                Piece::Plain(run) => out.text(run),
                Piece::Backslash => out.ascii(b"\\\\"),
                Piece::CodePoint(cp) => write_code_point(cp, out),
            })?;
            out.ascii(b"\"")
        }
        Shown::Word(word) => out.text(word),
        Shown::Address(address) => out.ascii(&address.to_checksum()),
        Shown::Amount(amount) => out.ascii(amount.to_decimal().as_bytes()),
        Shown::Number(n) => write_number(*n, out),
        Shown::Bool(b) => out.text(if *b { "Yes" } else { "No" }),
        Shown::Hex(bytes) => {
            out.ascii(b"0x")?;
            for chunk in bytes.chunks(32) {
                let mut buf = [0u8; 64];
                write_hex_lower(chunk, &mut buf);
                out.ascii(buf.get(..chunk.len() * 2).unwrap_or(&[]))?;
            }
            Ok(())
        }
        Shown::Token(address, unit) => {
            match unit {
                Some(Unit::Verified(u)) => {
                    out.text(u.symbol().as_str())?;
                    out.ascii(b" ")?;
                }
                _ => out.text(UNKNOWN_TOKEN)?,
            }
            out.ascii(&address.to_checksum())?;
            if let Some(Unit::Reported(u)) = unit {
                out.text(SERVER_SAYS)?;
                out.text(u.symbol().as_str())?;
                out.ascii(b")")?;
            }
            Ok(())
        }
        Shown::TokenAmount(amount, unit) => {
            let u = unit.unit();
            match amount.to_whole_tokens(u.decimals()) {
                Some(whole) => {
                    out.ascii(whole.as_bytes())?;
                    out.ascii(b" ")?;
                    out.text(u.symbol().as_str())?;
                }
                // A unit has at most 18 decimals: not reached.
                None => out.ascii(amount.to_decimal().as_bytes())?,
            }
            match unit {
                Unit::Verified(_) => Ok(()),
                Unit::Reported(_) => out.text(PER_SERVER),
            }
        }
        Shown::NonAscii { label, index } => {
            out.text(label)?;
            if let Some(i) = index {
                out.ascii(b" ")?;
                write_number(u64::from(*i) + 1, out)?;
            }
            out.text(NON_ASCII)
        }
        Shown::LocalChain(id) => {
            out.text(LOCAL_CHAIN)?;
            write_number(*id, out)?;
            out.ascii(b")")
        }
    }
}

/// A piece of a text's rendering.
#[derive(Clone, Copy)]
enum Piece<'t> {
    /// A run of printable ASCII other than `\`, written as it is.
    Plain(&'t str),
    /// A backslash, written `\\`.
    Backslash,
    /// Any other character, written as its code point.
    CodePoint(u32),
}

/// Hands `text` to `f` in [`Piece`]s, whole runs of plain ASCII at once:
/// a device renders every text it shows, and a character at a time
/// (decoded from UTF-8, written one by one) was a large part of a sign
/// request's instructions (docs/embedded.md, "How instructions per
/// function add up").
fn for_each_piece<'t>(text: &'t str, mut f: impl FnMut(Piece<'t>) -> fmt::Result) -> fmt::Result {
    let mut rest = text;
    while !rest.is_empty() {
        let run = rest
            .bytes()
            // Printable ASCII but `\` (0x5C, between `[` and `]`).
            .take_while(|&b| matches!(b, b' '..=b'[' | b']'..=b'~'))
            .count();
        if run > 0 {
            let (plain, after) = rest.split_at_checked(run).unwrap_or((rest, ""));
            f(Piece::Plain(plain))?;
            rest = after;
            continue;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else {
            break;
        };
        f(if c == '\\' {
            Piece::Backslash
        } else {
            Piece::CodePoint(u32::from(c))
        })?;
        rest = chars.as_str();
    }
    Ok(())
}

/// `n` in decimal, by the amounts' own digits: their division works in
/// 16-bit pieces, so a Cortex-M4 divides in hardware and links no 64-bit
/// division (docs/embedded.md, "Flash").
fn write_number(n: u64, out: &mut dyn AsciiSink) -> fmt::Result {
    out.ascii(Amount::from_u64(n).to_decimal().as_bytes())
}

/// `\u{` + the code point in uppercase hex, no leading zeros + `}`, as one
/// piece.
fn write_code_point(cp: u32, out: &mut dyn AsciiSink) -> fmt::Result {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut buf = *b"\\u{000000}";
    let n = hex_digits(cp);
    for (i, slot) in buf.iter_mut().skip(3).take(n).enumerate() {
        let shift = 4 * (n - 1 - i);
        *slot = DIGITS
            .get(((cp >> shift) & 0xf) as usize)
            .copied()
            .unwrap_or(b'0');
    }
    if let Some(close) = buf.get_mut(3 + n) {
        *close = b'}';
    }
    out.ascii(buf.get(..4 + n).unwrap_or(&[]))
}

/// The length of `value`'s rendering, computed without rendering it (an
/// address's EIP-55 checksum is a keccak, a number's digits are
/// divisions): a page needs its item's length first, and this halved a
/// device's review cost (docs/embedded.md, "What each change bought").
pub fn rendered_len(value: &Shown<'_>) -> usize {
    match value {
        Shown::Text(text) => text_len(text),
        Shown::Word(word) => word.len(),
        Shown::Address(_) => ADDRESS_TEXT_LEN,
        Shown::Amount(amount) => amount.to_decimal().as_str().len(),
        Shown::Number(n) => decimal_digits(*n),
        Shown::Bool(b) => {
            if *b {
                3
            } else {
                2
            }
        }
        Shown::Hex(bytes) => 2 + 2 * bytes.len(),
        Shown::Token(_, unit) => match unit {
            Some(Unit::Verified(u)) => u.symbol().as_str().len() + 1 + ADDRESS_TEXT_LEN,
            None => UNKNOWN_TOKEN.len() + ADDRESS_TEXT_LEN,
            Some(Unit::Reported(u)) => {
                UNKNOWN_TOKEN.len()
                    + ADDRESS_TEXT_LEN
                    + SERVER_SAYS.len()
                    + u.symbol().as_str().len()
                    + 1
            }
        },
        Shown::TokenAmount(amount, unit) => {
            let u = unit.unit();
            let number = match amount.to_whole_tokens(u.decimals()) {
                Some(whole) => whole.as_str().len() + 1 + u.symbol().as_str().len(),
                None => amount.to_decimal().as_str().len(),
            };
            match unit {
                Unit::Verified(_) => number,
                Unit::Reported(_) => number + PER_SERVER.len(),
            }
        }
        Shown::NonAscii { label, index } => {
            label.len()
                + index.map_or(0, |i| 1 + decimal_digits(u64::from(i) + 1))
                + NON_ASCII.len()
        }
        Shown::LocalChain(id) => LOCAL_CHAIN.len() + decimal_digits(*id) + 1,
    }
}

/// The length of a text's rendering ([`Shown::Text`]).
pub(super) fn text_len(text: &str) -> usize {
    let mut len = 2;
    let _ = for_each_piece(text, |piece| {
        len += match piece {
            Piece::Plain(run) => run.len(),
            Piece::Backslash => 2,
            // `\u{` + hex digits + `}`
            Piece::CodePoint(cp) => 4 + hex_digits(cp),
        };
        Ok(())
    });
    len
}

/// Whether a text holds a character outside printable ASCII (U+0020..=U+007E):
/// such a text gets a [`Shown::NonAscii`] warning before it.
pub fn has_non_ascii(text: &str) -> bool {
    !text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

fn hex_digits(n: u32) -> usize {
    let bits = 32 - n.leading_zeros() as usize;
    bits.div_ceil(4).max(1)
}

fn decimal_digits(n: u64) -> usize {
    let mut digits = 1;
    let mut bound: u64 = 10;
    while digits < 20 && n >= bound {
        digits += 1;
        bound = bound.saturating_mul(10);
    }
    digits
}

/// Whether a text value holds characters that are shown as code points.
pub fn has_escapes(text: &str) -> bool {
    !text
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'\\')
}

/// Reverses the text rendering into `out`: the text a rendered value came
/// from, or `None` if it is not a rendered text.
pub fn unrender_text<'o>(rendered: &str, out: &'o mut [u8]) -> Option<&'o str> {
    let inner = rendered.strip_prefix('"')?.strip_suffix('"')?;
    let mut len = 0usize;
    let mut push = |c: char, len: &mut usize| -> Option<()> {
        let mut tmp = [0u8; 4];
        let bytes = c.encode_utf8(&mut tmp).as_bytes();
        out.get_mut(*len..*len + bytes.len())?
            .copy_from_slice(bytes);
        *len += bytes.len();
        Some(())
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            push(c, &mut len)?;
            continue;
        }
        match chars.next()? {
            '\\' => push('\\', &mut len)?,
            'u' => {
                if chars.next()? != '{' {
                    return None;
                }
                let mut cp: u32 = 0;
                loop {
                    let d = chars.next()?;
                    if d == '}' {
                        break;
                    }
                    cp = cp.checked_mul(16)?.checked_add(d.to_digit(16)?)?;
                }
                push(char::from_u32(cp)?, &mut len)?;
            }
            _ => return None,
        }
    }
    core::str::from_utf8(out.get(..len)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;

    fn text(s: &str) -> String {
        let mut out = String::new();
        render(&Shown::Text(s), &mut out).unwrap();
        out
    }

    #[test]
    fn rendered_len_is_the_rendering_s_length() {
        use crate::address::Address;
        use crate::amount::Amount;
        let texts = [
            "",
            "a",
            "\\",
            "\"",
            "USD\u{421}",
            "\u{0}",
            "\u{f}",
            "\u{10}",
            "\u{7f}",
            "\u{ff}",
            "\u{100}",
            "\u{fff}",
            "\u{1000}",
            "\u{ffff}",
            "\u{10000}",
            "\u{10ffff}",
            "é\n\t~ ",
        ];
        let mut values: std::vec::Vec<Shown<'_>> = texts.iter().map(|t| Shown::Text(t)).collect();
        for n in [
            0,
            9,
            10,
            99,
            100,
            999_999_999,
            1_000_000_000,
            u64::MAX / 10,
            u64::MAX,
        ] {
            values.push(Shown::Number(n));
            values.push(Shown::Amount(Amount::from_u64(n)));
        }
        let units = [
            crate::definition::TokenUnit::new("USDX", 6).unwrap(),
            crate::definition::TokenUnit::new("A", 0).unwrap(),
            crate::definition::TokenUnit::new("S2345678901234567890", 18).unwrap(),
        ];
        for unit in &units {
            for u in [Unit::Verified(unit), Unit::Reported(unit)] {
                values.push(Shown::Token(Address([7; 20]), Some(u)));
                for a in [Amount::ZERO, Amount::from_u64(1_500_000), Amount::MAX] {
                    values.push(Shown::TokenAmount(a, u));
                }
            }
        }
        values.extend([
            Shown::Token(Address([7; 20]), None),
            Shown::NonAscii {
                label: "Symbol",
                index: None,
            },
            Shown::NonAscii {
                label: "Metadata value",
                index: Some(9),
            },
            Shown::LocalChain(0),
            Shown::LocalChain(1_212_101),
            Shown::LocalChain(u64::MAX),
            Shown::Amount(Amount::MAX),
            Shown::Word("Token issue"),
            Shown::Address(Address([0xab; 20])),
            Shown::Bool(true),
            Shown::Bool(false),
            Shown::Hex(&[]),
            Shown::Hex(&[0, 1, 0xff]),
        ]);
        for value in &values {
            let mut out = String::new();
            render(value, &mut out).unwrap();
            assert_eq!(rendered_len(value), out.len(), "{value:?}");
        }
    }

    #[test]
    fn numbers_and_code_points_as_std_writes_them() {
        use std::string::ToString;
        for n in [
            0,
            9,
            10,
            4_294_967_295,
            4_294_967_296,
            9_999_999_999,
            10_000_000_000_000_000_000,
            u64::MAX,
        ] {
            let mut out = String::new();
            render(&Shown::Number(n), &mut out).unwrap();
            assert_eq!(out, n.to_string());
        }
        for c in [
            '\u{0}',
            '\u{7f}',
            '\u{e9}',
            '\u{421}',
            '\u{FFFF}',
            '\u{10000}',
            '\u{10FFFF}',
        ] {
            let mut s = [0u8; 4];
            assert_eq!(
                text(c.encode_utf8(&mut s)),
                std::format!("\"\\u{{{:X}}}\"", u32::from(c))
            );
        }
    }

    #[test]
    fn token_values() {
        let unit = crate::definition::TokenUnit::new("USDX", 6).unwrap();
        let token =
            crate::address::Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3").unwrap();
        let shown = |v: Shown<'_>| {
            let mut out = String::new();
            render(&v, &mut out).unwrap();
            out
        };
        let amount = crate::amount::Amount::from_u64(1_500_000);
        assert_eq!(
            shown(Shown::TokenAmount(amount, Unit::Verified(&unit))),
            "1.5 USDX"
        );
        assert_eq!(
            shown(Shown::TokenAmount(amount, Unit::Reported(&unit))),
            "1.5 USDX (per server)"
        );
        assert_eq!(
            shown(Shown::Token(token, Some(Unit::Verified(&unit)))),
            "USDX 0x5FbDB2315678afecb367f032d93F642f64180aa3"
        );
        assert_eq!(
            shown(Shown::Token(token, None)),
            "Unknown token 0x5FbDB2315678afecb367f032d93F642f64180aa3"
        );
        assert_eq!(
            shown(Shown::Token(token, Some(Unit::Reported(&unit)))),
            "Unknown token 0x5FbDB2315678afecb367f032d93F642f64180aa3 (server says USDX)"
        );
        assert_eq!(
            shown(Shown::NonAscii {
                label: "Symbol",
                index: None
            }),
            "Symbol contains non-ASCII characters"
        );
        assert_eq!(
            shown(Shown::NonAscii {
                label: "Metadata key",
                index: Some(2)
            }),
            "Metadata key 3 contains non-ASCII characters"
        );
        assert_eq!(
            shown(Shown::LocalChain(1_212_101)),
            "local node (chain id 1212101)"
        );
        assert!(has_non_ascii("USD\u{421}"));
        assert!(has_non_ascii("caf\u{e9}"));
        assert!(!has_non_ascii("a\\b ~"));
    }

    #[test]
    fn look_alikes_cannot_pass() {
        assert_eq!(text("USDC"), "\"USDC\"");
        assert_eq!(text("USD\u{421}"), "\"USD\\u{421}\"");
        // An ASCII name that spells the escape renders differently.
        assert_eq!(text("USD\\u{421}"), "\"USD\\\\u{421}\"");
        assert_eq!(text("a\u{202e}b"), "\"a\\u{202E}b\"");
        assert_eq!(text(""), "\"\"");
        assert_eq!(text("say \"hi\""), "\"say \"hi\"\"");
        for s in [
            "USD\u{421}",
            "USD\\u{421}",
            "",
            "日本 ✓",
            "\\",
            "a\"b",
            "\u{10FFFF}",
        ] {
            let mut buf = [0u8; 64];
            assert_eq!(unrender_text(&text(s), &mut buf), Some(s), "{s:?}");
        }
        assert!(has_escapes("USD\u{421}"));
        assert!(has_escapes("a\\b"));
        assert!(!has_escapes("USDC 1.0"));
    }
}
