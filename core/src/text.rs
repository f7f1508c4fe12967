//! Bounded texts and the character rules of each kind of text field.
//!
//! A [`Text<N, R>`] holds at most `N` UTF-8 bytes that satisfy the rule
//! `R`; it can only be made through [`Text::new`], so every value is valid.
//! The rules:
//!
//! | rule | fields | may be empty | characters |
//! |---|---|---|---|
//! | [`SymbolRule`] | `symbol` | no | `char::is_alphanumeric` (the network's rule) |
//! | [`ShownRule`] | `name`, metadata keys and values | no | nothing [`is_screen_unsafe`] |
//! | [`UriRule`] | `uri` | no | nothing screen-unsafe, no space, `scheme:rest` |
//! | [`IdentifierRule`] | `source_tx_hash`, `destination_address` | no | no control character |
//! | [`FreeTextRule`] | `bridge_metadata`, `batch_id`, `memo.data` | yes | no control character |
//! | [`MemoTokenRule`] | `memo.type`, `memo.format` | yes | the spec's URI-like ASCII set |
//!
//! Why the split: texts that name a token (its symbol, name and metadata)
//! are what a person judges a token by, so the core refuses what a screen
//! cannot show honestly, as it always has for `name`. Texts that carry
//! data for machines (bridge references, correlation ids, memo data) accept
//! everything the network accepts except control characters; a device
//! shows their non-ASCII characters as code points (see `review`), so a
//! look-alike cannot pass there either.

use core::fmt;
use core::marker::PhantomData;

use heapless::String;

use crate::error::Problem;

/// Whether a character cannot be shown honestly on a signing screen.
///
/// The exact set:
///
/// - control characters (`char::is_control`: U+0000..=U+001F, U+007F..=U+009F);
/// - bidirectional marks, embeddings, overrides and isolates: U+061C,
///   U+200E, U+200F, U+202A..=U+202E, U+2066..=U+2069;
/// - invisible characters that hide or join text: U+00AD soft hyphen,
///   U+034F, U+115F, U+1160, U+17B4, U+17B5, U+180B..=U+180F, U+200B..=U+200D
///   zero-width space and (non-)joiners, U+2028 and U+2029 line and paragraph
///   separators, U+2060..=U+2064 word joiner and invisible operators,
///   U+206A..=U+206F deprecated format characters, U+3164, U+FE00..=U+FE0F
///   variation selectors, U+FEFF byte order mark, U+FFA0, U+FFF9..=U+FFFB
///   interlinear annotations, U+E0000..=U+E007F tag characters,
///   U+E0100..=U+E01EF variation selectors supplement;
/// - private-use code points that render differently on every device:
///   U+E000..=U+F8FF, U+F0000..=U+10FFFF.
pub const fn is_screen_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{ad}' | '\u{34f}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200d}' | '\u{2028}' | '\u{2029}'
        | '\u{2060}'..='\u{2064}' | '\u{206a}'..='\u{206f}' | '\u{3164}'
        | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}' | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}' | '\u{e0100}'..='\u{e01ef}'
        | '\u{e000}'..='\u{f8ff}' | '\u{f0000}'..='\u{10ffff}')
}

/// Which rule a text field follows, as data (to describe the field to other
/// tools, such as the node's OpenAPI document).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextKind {
    /// [`SymbolRule`].
    Symbol,
    /// [`ShownRule`].
    Shown,
    /// [`UriRule`].
    Uri,
    /// [`IdentifierRule`].
    Identifier,
    /// [`FreeTextRule`].
    FreeText,
    /// [`MemoTokenRule`].
    MemoToken,
}

/// The character rule of a kind of text field.
pub trait TextRule {
    /// Which rule this is.
    const KIND: TextKind;
    /// Whether the empty text is allowed.
    const MAY_BE_EMPTY: bool;
    /// Checks a non-empty text that fits its length limit.
    fn check(text: &str) -> Result<(), Problem>;
}

/// `symbol`: every character alphanumeric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SymbolRule;
impl TextRule for SymbolRule {
    const KIND: TextKind = TextKind::Symbol;
    const MAY_BE_EMPTY: bool = false;
    fn check(text: &str) -> Result<(), Problem> {
        if text.chars().all(char::is_alphanumeric) {
            Ok(())
        } else {
            Err(Problem::NotAlphanumeric)
        }
    }
}

/// Texts a person judges a token by: nothing [`is_screen_unsafe`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ShownRule;
impl TextRule for ShownRule {
    const KIND: TextKind = TextKind::Shown;
    const MAY_BE_EMPTY: bool = false;
    fn check(text: &str) -> Result<(), Problem> {
        if any_char(text, is_screen_unsafe) {
            Err(Problem::UnsafeCharacter)
        } else {
            Ok(())
        }
    }
}

/// `uri`: screen-safe, no whitespace, and `scheme:rest` with the scheme of
/// RFC 3986 (a letter, then letters, digits, `+`, `-`, `.`). The node parses
/// it with a full URL parser; this is the part of that check a signer can
/// make without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UriRule;
impl TextRule for UriRule {
    const KIND: TextKind = TextKind::Uri;
    const MAY_BE_EMPTY: bool = false;
    fn check(text: &str) -> Result<(), Problem> {
        ShownRule::check(text)?;
        if text.chars().any(is_white_space) {
            return Err(Problem::NotAUrl);
        }
        let Some((scheme, _)) = text.split_once(':') else {
            return Err(Problem::NotAUrl);
        };
        let mut chars = scheme.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if first_ok && rest_ok {
            Ok(())
        } else {
            Err(Problem::NotAUrl)
        }
    }
}

/// `char::is_whitespace` written out: Unicode's White_Space property, 25
/// code points (stable since Unicode 4.1). The same answer for every
/// character (a test compares all of them); `char::is_whitespace` looks
/// non-ASCII characters up in a 256-byte table that, with its code, is
/// 264 bytes of a firmware's flash (docs/embedded.md, "Protocol 5").
const fn is_white_space(c: char) -> bool {
    matches!(c,
        '\u{9}'..='\u{d}' | ' ' | '\u{85}' | '\u{a0}' | '\u{1680}'
        | '\u{2000}'..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}'
        | '\u{3000}')
}

/// Whether `refused` refuses a character of `text`, for a `refused` that
/// refuses exactly the ASCII control characters among ASCII (U+0000..=
/// U+001F and U+007F; [`is_screen_unsafe`] and `char::is_control` do):
/// ASCII bytes are checked as bytes, only the others are decoded. A
/// device checks every text of a request, and decoding each character was
/// a visible share of a sign request (docs/embedded.md, "How instructions
/// per function add up").
fn any_char(text: &str, refused: fn(char) -> bool) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        // Four bytes at a time while they are ASCII and none is below
        // 0x20 or 0x7F (the bit tricks of "Bit Twiddling Hacks": a byte
        // below n, a zero byte).
        if let Some(Ok(word)) = bytes.get(at..at + 4).map(<[u8; 4]>::try_from) {
            let w = u32::from_le_bytes(word);
            let del = w ^ 0x7f7f_7f7f;
            if (w | w.wrapping_sub(0x2020_2020) | (del.wrapping_sub(0x0101_0101) & !del))
                & 0x8080_8080
                == 0
            {
                at += 4;
                continue;
            }
        }
        if b.is_ascii() {
            if b < 0x20 || b == 0x7f {
                return true;
            }
            at += 1;
            continue;
        }
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            return false;
        };
        if refused(c) {
            return true;
        }
        at += c.len_utf8();
    }
    false
}

fn no_control(text: &str) -> Result<(), Problem> {
    if any_char(text, char::is_control) {
        Err(Problem::ControlCharacter)
    } else {
        Ok(())
    }
}

/// Machine references that must be given: no control characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IdentifierRule;
impl TextRule for IdentifierRule {
    const KIND: TextKind = TextKind::Identifier;
    const MAY_BE_EMPTY: bool = false;
    fn check(text: &str) -> Result<(), Problem> {
        no_control(text)
    }
}

/// Free data that may be empty: no control characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FreeTextRule;
impl TextRule for FreeTextRule {
    const KIND: TextKind = TextKind::FreeText;
    const MAY_BE_EMPTY: bool = true;
    fn check(text: &str) -> Result<(), Problem> {
        no_control(text)
    }
}

/// `memo.type` and `memo.format`: `A-Z a-z 0-9 - . _ ~ : / ? # [ ] @ ! $ &
/// ' ( ) * + , ; = %` only (the network's `Memo::validate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemoTokenRule;
impl TextRule for MemoTokenRule {
    const KIND: TextKind = TextKind::MemoToken;
    const MAY_BE_EMPTY: bool = true;
    fn check(text: &str) -> Result<(), Problem> {
        let allowed = |b: u8| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'.'
                        | b'_'
                        | b'~'
                        | b':'
                        | b'/'
                        | b'?'
                        | b'#'
                        | b'['
                        | b']'
                        | b'@'
                        | b'!'
                        | b'$'
                        | b'&'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b'+'
                        | b','
                        | b';'
                        | b'='
                        | b'%'
                )
        };
        if text.bytes().all(allowed) {
            Ok(())
        } else {
            Err(Problem::InvalidCharacter)
        }
    }
}

/// The checks of [`Text::new`] in one non-generic function, the rule
/// passed by address: each text kind's decoder is then a thin wrapper
/// around it instead of a copy of it (less firmware flash:
/// docs/embedded.md, "Protocol 5").
#[inline(never)]
fn check_text(
    text: &str,
    max: usize,
    may_be_empty: bool,
    rule: fn(&str) -> Result<(), Problem>,
) -> Result<(), Problem> {
    if text.is_empty() {
        if may_be_empty {
            Ok(())
        } else {
            Err(Problem::Empty)
        }
    } else if text.len() > max {
        Err(Problem::TooLong { max })
    } else {
        rule(text)
    }
}

/// A text of at most `N` UTF-8 bytes that satisfies rule `R`.
pub struct Text<const N: usize, R> {
    text: String<N>,
    rule: PhantomData<R>,
}

impl<const N: usize, R: TextRule> Text<N, R> {
    /// The limit, in UTF-8 bytes.
    pub const MAX_LEN: usize = N;

    /// Checks `text` and keeps it: empty (unless the rule allows it), longer
    /// than `N` bytes, or a character the rule refuses, is an error.
    pub fn new(text: &str) -> Result<Self, Problem> {
        let mut t = Self::default();
        t.set(text)?;
        Ok(t)
    }

    /// Checks `text` as [`Text::new`] does and keeps it in place of the
    /// current text (left empty on an error).
    pub fn set(&mut self, text: &str) -> Result<(), Problem> {
        self.text.clear();
        Self::check(text)?;
        self.keep_checked(text)
    }

    /// Checks `text` as [`Text::new`] does, without keeping it.
    pub fn check(text: &str) -> Result<(), Problem> {
        check_text(text, N, R::MAY_BE_EMPTY, R::check)
    }

    /// Keeps `text`, which [`Text::check`] passed (a decoder checks a text
    /// in a function of its own that is not generic).
    pub(crate) fn keep_checked(&mut self, text: &str) -> Result<(), Problem> {
        self.text.clear();
        self.text
            .push_str(text)
            .map_err(|()| Problem::TooLong { max: N })
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl<const N: usize, R: TextRule> Default for Text<N, R> {
    /// The empty text. For a rule that refuses empty texts this is not a
    /// valid value; it exists so that records can be built field by field,
    /// and validation refuses it.
    fn default() -> Self {
        Text {
            text: String::new(),
            rule: PhantomData,
        }
    }
}

// Manual impls: derives would require `R: Clone` etc. of the marker.
impl<const N: usize, R> Clone for Text<N, R> {
    fn clone(&self) -> Self {
        Text {
            text: self.text.clone(),
            rule: PhantomData,
        }
    }
}
impl<const N: usize, R> PartialEq for Text<N, R> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}
impl<const N: usize, R> Eq for Text<N, R> {}
impl<const N: usize, R> core::hash::Hash for Text<N, R> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}
impl<const N: usize, R> fmt::Debug for Text<N, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.text.as_str(), f)
    }
}
impl<const N: usize, R> core::ops::Deref for Text<N, R> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_fast_path_refuses_what_the_rules_refuse() {
        for c in (0..=0x7f_u8).map(char::from) {
            assert_eq!(c.is_control(), c < ' ' || c == '\u{7f}', "{c:?}");
            assert_eq!(is_screen_unsafe(c), c.is_control(), "{c:?}");
        }
        let mut buf = [0u8; 4];
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            for text in ["a", "a\u{e9}"] {
                let mut s = std::string::String::from(text);
                s.push_str(c.encode_utf8(&mut buf));
                s.push('b');
                assert_eq!(
                    any_char(&s, char::is_control),
                    s.chars().any(char::is_control)
                );
                assert_eq!(
                    any_char(&s, is_screen_unsafe),
                    s.chars().any(is_screen_unsafe)
                );
            }
        }
    }

    #[test]
    fn the_word_at_a_time_path_finds_every_control_character() {
        // Every position in a text long enough for several words, every
        // ASCII byte and a few others around the limits.
        for c in (0..=0x7f_u8)
            .map(char::from)
            .chain(['\u{80}', '\u{9f}', '\u{a0}', '\u{e9}', '\u{202e}'])
        {
            for at in 0..13 {
                let mut s = std::string::String::from("abcdefghijkl");
                s.insert(at, c);
                assert_eq!(
                    any_char(&s, char::is_control),
                    c.is_control(),
                    "{c:?} at {at}"
                );
                assert_eq!(
                    any_char(&s, is_screen_unsafe),
                    is_screen_unsafe(c),
                    "{c:?} at {at}"
                );
            }
        }
    }

    #[test]
    fn white_space_is_char_is_whitespace() {
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            assert_eq!(
                is_white_space(c),
                c.is_whitespace(),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn rules() {
        type Symbol = Text<20, SymbolRule>;
        assert!(Symbol::new("USDX").is_ok());
        assert!(Symbol::new("ÄÖ日本").is_ok());
        assert_eq!(Symbol::new("").err(), Some(Problem::Empty));
        assert_eq!(Symbol::new("US-D").err(), Some(Problem::NotAlphanumeric));
        assert_eq!(
            Symbol::new("A23456789012345678901").err(),
            Some(Problem::TooLong { max: 20 })
        );
        type Shown = Text<120, ShownRule>;
        for bad in [
            "a\u{202e}b",
            "tab\there",
            "nul\0",
            "zw\u{200b}j",
            "vs\u{e0100}",
        ] {
            assert_eq!(
                Shown::new(bad).err(),
                Some(Problem::UnsafeCharacter),
                "{bad:?}"
            );
        }
        assert!(Shown::new("Café — €, ✓ 日本").is_ok());
        type Uri = Text<512, UriRule>;
        for good in [
            "https://example.com/x?y=1",
            "ipfs:Qm123",
            "urn:isbn:0451450523",
        ] {
            assert!(Uri::new(good).is_ok(), "{good}");
        }
        for bad in [
            "example.com",
            "https://exa mple.com",
            "1http://x",
            ":x",
            "ht_tp://x",
        ] {
            assert_eq!(Uri::new(bad).err(), Some(Problem::NotAUrl), "{bad}");
        }
        type Memo = Text<128, MemoTokenRule>;
        assert!(Memo::new("").is_ok());
        assert!(Memo::new("purpose/SALA").is_ok());
        assert_eq!(Memo::new("a b").err(), Some(Problem::InvalidCharacter));
        assert_eq!(Memo::new("é").err(), Some(Problem::InvalidCharacter));
        type Free = Text<256, FreeTextRule>;
        assert!(Free::new("").is_ok());
        assert!(Free::new("👨\u{200d}👩 ok").is_ok());
        assert_eq!(Free::new("a\nb").err(), Some(Problem::ControlCharacter));
        assert_eq!(Free::new("a\u{85}b").err(), Some(Problem::ControlCharacter));
        type Ident = Text<128, IdentifierRule>;
        assert_eq!(Ident::new("").err(), Some(Problem::Empty));
        assert_eq!(Text::<2, FreeTextRule>::new("é").map(|t| t.len()), Ok(2));
        assert_eq!(
            Text::<2, FreeTextRule>::new("éa").err(),
            Some(Problem::TooLong { max: 2 })
        );
    }
}
