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
//!
//! The text rendering is injective: `USDС` (Cyrillic last letter) is
//! `"USD\u{421}"`, which no ASCII symbol renders to, because a literal
//! backslash is itself escaped. [`unrender_text`] reverses it.

use core::fmt::{self, Write};

use crate::field::Shown;
use crate::hex::Hex0x;

/// Writes `value` as a screen shows it.
pub fn render(value: &Shown<'_>, out: &mut impl Write) -> fmt::Result {
    match value {
        Shown::Text(text) => {
            out.write_char('"')?;
            for c in text.chars() {
                match c {
                    '\\' => out.write_str("\\\\")?,
                    ' '..='~' => out.write_char(c)?,
                    _ => write!(out, "\\u{{{:X}}}", u32::from(c))?,
                }
            }
            out.write_char('"')
        }
        Shown::Word(word) => out.write_str(word),
        Shown::Address(address) => write!(out, "{address}"),
        Shown::Amount(amount) => write!(out, "{amount}"),
        Shown::Number(n) => write!(out, "{n}"),
        Shown::Bool(b) => out.write_str(if *b { "Yes" } else { "No" }),
        Shown::Hex(bytes) => write!(out, "{}", Hex0x(bytes)),
    }
}

/// The length of `value`'s rendering, computed without rendering it (an
/// address's EIP-55 checksum is a keccak, a number's digits are
/// divisions): a page needs its item's length first, and this halved a
/// device's review cost (docs/embedded.md, "Instructions").
pub fn rendered_len(value: &Shown<'_>) -> usize {
    match value {
        Shown::Text(text) => {
            2 + text
                .chars()
                .map(|c| match c {
                    '\\' => 2,
                    ' '..='~' => 1,
                    // `\u{` + hex digits + `}`
                    _ => 4 + hex_digits(u32::from(c)),
                })
                .sum::<usize>()
        }
        Shown::Word(word) => word.len(),
        Shown::Address(_) => crate::address::ADDRESS_TEXT_LEN,
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
    }
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
        values.extend([
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
