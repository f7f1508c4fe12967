//! Texts of every rule (`tokensign_core::text`), valid by construction and
//! biased to their limits: empty where the rule allows it, one byte, and
//! exactly the limit in bytes (with multi-byte characters where the rule
//! allows them, so that byte and character counts differ).

use proptest::prelude::*;
use proptest::sample::select;
use tokensign_core::text::is_screen_unsafe;

/// Keeps whole characters while the UTF-8 length stays within `max` bytes.
pub fn take_bytes(chars: impl IntoIterator<Item = char>, max: usize) -> String {
    let mut out = String::new();
    for c in chars {
        if out.len() + c.len_utf8() > max {
            break;
        }
        out.push(c);
    }
    out
}

/// `chars` cut to at most `n` bytes, then padded with `pad` (one byte) to
/// exactly `n` bytes.
pub fn exactly(chars: impl IntoIterator<Item = char>, n: usize, pad: char) -> String {
    debug_assert_eq!(pad.len_utf8(), 1);
    let mut s = take_bytes(chars, n);
    while s.len() < n {
        s.push(pad);
    }
    s
}

/// A text of `min..=max` bytes of characters from `ch`: random lengths,
/// and a third of the time exactly `min` or `max` bytes.
fn sized(ch: BoxedStrategy<char>, min: usize, max: usize, pad: char) -> BoxedStrategy<String> {
    let random = proptest::collection::vec(ch.clone(), min..=max)
        .prop_map(move |cs| take_bytes(cs, max))
        .prop_map(move |s| {
            if s.len() < min {
                exactly(s.chars(), min, pad)
            } else {
                s
            }
        });
    let edge = (
        select(vec![min, min.max(1), max]),
        proptest::collection::vec(ch, 1..8),
    )
        .prop_map(move |(n, cs)| exactly(cs.into_iter().cycle().take(4 * max + 4), n, pad));
    prop_oneof![2 => random, 1 => edge].boxed()
}

/// Non-ASCII alphanumeric characters of 2, 3 and 4 UTF-8 bytes.
const UNICODE_ALNUM: &[char] = &[
    'é', 'ß', 'Ä', 'ø', 'Ω', 'λ', 'Ж', 'я', 'א', 'ب', '٣', '३', '日', '本', '語', '한', 'ア', 'ー',
    'Ⅻ', '²', '½', 'ǅ', '𝔘', '𐐀', '𠀋', '𝟘',
];

/// The first alphanumeric character at or after `c` (mapping instead of
/// filtering: no rejected cases), or `q` past a long unassigned gap.
fn next_alphanumeric(c: char) -> char {
    (u32::from(c)..u32::from(c).saturating_add(4096))
        .filter_map(char::from_u32)
        .find(|c| c.is_alphanumeric())
        .unwrap_or('q')
}

/// One alphanumeric character (a symbol's).
pub fn symbol_char() -> BoxedStrategy<char> {
    prop_oneof![
        4 => proptest::char::ranges(vec!['A'..='Z', 'a'..='z', '0'..='9'].into()),
        2 => select(UNICODE_ALNUM),
        1 => any::<char>().prop_map(next_alphanumeric),
    ]
    .boxed()
}

/// A valid symbol: 1..=20 bytes, alphanumeric.
pub fn symbol() -> BoxedStrategy<String> {
    sized(symbol_char(), 1, tokensign_core::tx::MAX_SYMBOL_LEN, 'S')
}

/// Screen-safe characters that are tricky for JSON or rendering but not
/// refused by the core.
const SHOWN_SPECIALS: &[char] = &[
    '"', '\\', '/', '\'', '<', '>', '&', ' ', '\u{a0}', 'é', '€', '—', '✓', '😀', '🇩', '🇪',
    '\u{301}', 'ع', 'ש', '日', '本', '\u{2027}', '\u{fffd}', '𝕏', 'С', 'ℂ',
];

/// One screen-safe character (names, metadata).
pub fn shown_char() -> BoxedStrategy<char> {
    prop_oneof![
        4 => proptest::char::range(' ', '~'),
        2 => select(SHOWN_SPECIALS),
        2 => any::<char>().prop_map(|c| if is_screen_unsafe(c) { '\u{b7}' } else { c }),
    ]
    .boxed()
}

/// A screen-safe text of 1..=`max` bytes (token names, metadata keys and
/// values).
pub fn shown(max: usize) -> BoxedStrategy<String> {
    sized(shown_char(), 1, max, 'x')
}

/// A token name: 1..=120 bytes.
pub fn name() -> BoxedStrategy<String> {
    shown(tokensign_core::tx::MAX_NAME_LEN)
}

/// URI schemes (RFC 3986: a letter, then letters, digits, `+ - .`).
const SCHEMES: &[&str] = &["https", "http", "ipfs", "urn", "a", "x-y.z+w", "data"];

/// A valid metadata URI: `scheme:rest`, screen-safe, without whitespace,
/// 1..=512 bytes.
pub fn uri() -> BoxedStrategy<String> {
    let max = tokensign_core::tx::MAX_URI_LEN;
    let rest_char = shown_char().prop_map(|c| if c.is_whitespace() { '_' } else { c });
    (select(SCHEMES), sized(rest_char.boxed(), 0, max, 'u'))
        .prop_map(move |(scheme, rest)| {
            let head = format!("{scheme}:");
            let body = take_bytes(rest.chars(), max - head.len());
            format!("{head}{body}")
        })
        .boxed()
}

/// Characters that are not control characters: everything the free-text
/// and identifier rules allow, including invisible and bidirectional ones.
const FREE_SPECIALS: &[char] = &[
    '"',
    '\\',
    '\u{200b}',
    '\u{202e}',
    '\u{feff}',
    '\u{e000}',
    '\u{10ffff}',
    '😀',
    'С',
    ' ',
];

/// One character that is not a control character.
pub fn free_char() -> BoxedStrategy<char> {
    prop_oneof![
        4 => proptest::char::range(' ', '~'),
        1 => select(FREE_SPECIALS),
        2 => any::<char>().prop_map(|c| if c.is_control() { '?' } else { c }),
    ]
    .boxed()
}

/// A text of 0..=`max` bytes without control characters (bridge metadata,
/// batch ids, memo data).
pub fn free_text(max: usize) -> BoxedStrategy<String> {
    sized(free_char(), 0, max, 'f')
}

/// A text of 1..=`max` bytes without control characters (source tx hash,
/// destination address), sometimes hex-looking, in either case.
pub fn identifier(max: usize) -> BoxedStrategy<String> {
    let hexish = (any::<[u8; 32]>(), any::<bool>(), 1usize..=32).prop_map(|(b, upper, n)| {
        let h = hex::encode(&b[..n]);
        format!("0x{}", if upper { h.to_uppercase() } else { h })
    });
    prop_oneof![3 => sized(free_char(), 1, max, 'i'), 1 => hexish].boxed()
}

/// The memo `type`/`format` character set (the network's `Memo::validate`).
pub const MEMO_TOKEN_CHARS: &str =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%";

/// A memo `type` or `format` of 0..=`max` bytes.
pub fn memo_token(max: usize) -> BoxedStrategy<String> {
    let chars: Vec<char> = MEMO_TOKEN_CHARS.chars().collect();
    sized(select(chars).boxed(), 0, max, 'm')
}
