//! proptest generators.
//!
//! Valid payloads (every one is accepted by `TokenIssuePayload::new`, and
//! the tests assert so): symbols of 1..=20 bytes of Unicode alphanumeric
//! characters (ASCII, Latin, Greek, Cyrillic, CJK, digits of other
//! scripts, 4-byte letters), names of 1..=120 bytes of anything not
//! [`is_screen_unsafe`] (with `"` and `\` for JSON escaping, emoji,
//! combining marks, right-to-left letters), biased to the RLP and size
//! boundaries (55, 56, 119, 120 bytes), integers biased to the RLP length
//! boundaries and `i64::MAX`.
//!
//! Arbitrary inputs: any bytes, and valid encodings with bytes flipped,
//! inserted and deleted.

use proptest::prelude::*;
use proptest::sample::select;
use tokensign_core::payload::is_screen_unsafe;
use tokensign_core::{
    Address, PayloadFields, Signature, TokenIssuePayload, MAX_NAME_LEN, MAX_SYMBOL_LEN,
};

/// Owned payload fields, as a generator produces them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    pub chain_id: u64,
    pub nonce: u64,
    pub symbol: String,
    pub name: String,
    pub decimals: u8,
    pub master: [u8; 20],
    pub is_private: bool,
    pub clawback_enabled: Option<bool>,
}

impl Fields {
    /// Borrowed core fields.
    pub fn fields(&self) -> PayloadFields<'_> {
        PayloadFields {
            chain_id: self.chain_id,
            nonce: self.nonce,
            symbol: &self.symbol,
            name: &self.name,
            decimals: u64::from(self.decimals),
            master_authority: Address(self.master),
            is_private: self.is_private,
            clawback_enabled: self.clawback_enabled,
        }
    }

    /// The validated payload; panics if the core refuses it (a generator
    /// bug or a core bug: either way the test must fail).
    pub fn payload(&self) -> TokenIssuePayload {
        TokenIssuePayload::new(self.fields())
            .unwrap_or_else(|e| panic!("core refuses generated payload {self:?}: {e}"))
    }
}

/// Integers at the RLP boundaries (0, 0x7f, 0x80, 0xff, 0x100, each byte
/// width) and the schema's maximum.
pub const EDGE_INTS: &[u64] = &[
    0,
    1,
    127,
    128,
    255,
    256,
    0xffff,
    0x1_0000,
    0xff_ffff,
    0x100_0000,
    0xffff_ffff,
    0x1_0000_0000,
    0xff_ffff_ffff_ffff,
    0x100_0000_0000_0000,
    i64::MAX as u64 - 1,
    i64::MAX as u64,
    21210,
    1_212_101,
];

/// A chain id or nonce: 0..=i64::MAX, biased to [`EDGE_INTS`].
pub fn int() -> impl Strategy<Value = u64> {
    prop_oneof![
        1 => select(EDGE_INTS),
        1 => 0..=(i64::MAX as u64),
        1 => 0u64..=300,
    ]
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

/// One alphanumeric character.
pub fn symbol_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::ranges(vec!['A'..='Z', 'a'..='z', '0'..='9'].into()),
        2 => select(UNICODE_ALNUM),
        1 => any::<char>().prop_map(next_alphanumeric),
    ]
}

/// Keeps whole characters while the UTF-8 length stays within `max` bytes.
fn take_bytes(chars: impl IntoIterator<Item = char>, max: usize) -> String {
    let mut out = String::new();
    for c in chars {
        if out.len() + c.len_utf8() > max {
            break;
        }
        out.push(c);
    }
    out
}

/// A valid symbol: 1..=20 bytes, alphanumeric.
pub fn symbol() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::collection::vec(symbol_char(), 1..=MAX_SYMBOL_LEN)
            .prop_map(|cs| take_bytes(cs, MAX_SYMBOL_LEN)),
        1 => (1..=MAX_SYMBOL_LEN, prop_oneof![Just('S'), Just('9'), Just('ж')])
            .prop_map(|(n, c)| take_bytes(std::iter::repeat(c), n.max(c.len_utf8()))),
    ]
}

/// Screen-safe non-ASCII characters, some of them tricky for JSON or
/// rendering but not refused by the core.
const NAME_SPECIALS: &[char] = &[
    '"', '\\', '/', '\'', '<', '>', '&', ' ', '\u{a0}', 'é', '€', '—', '✓', '😀', '🇩', '🇪',
    '\u{301}', 'ع', 'ש', '日', '本', '\u{2027}', '\u{fffd}', '𝕏',
];

/// One screen-safe character.
pub fn name_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range(' ', '~'),
        2 => select(NAME_SPECIALS),
        2 => any::<char>().prop_map(|c| if is_screen_unsafe(c) { '\u{b7}' } else { c }),
    ]
}

/// A valid name: 1..=120 bytes, nothing screen-unsafe; a third of them at
/// the boundaries 1, 55, 56, 119 and 120 bytes.
pub fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => proptest::collection::vec(name_char(), 1..=MAX_NAME_LEN)
            .prop_map(|cs| take_bytes(cs, MAX_NAME_LEN)),
        1 => (select(&[1usize, 54, 55, 56, 57, 119, 120][..]), name_char(), name_char())
            .prop_map(|(n, a, b)| {
                // Alternate two characters, then pad with ASCII to exactly n bytes.
                let mut s = take_bytes([a, b].into_iter().cycle(), n);
                while s.len() < n {
                    s.push('x');
                }
                s
            }),
    ]
}

/// An address: random, zero, or all 0xff.
pub fn address() -> impl Strategy<Value = [u8; 20]> {
    prop_oneof![
        3 => any::<[u8; 20]>(),
        1 => Just([0u8; 20]),
        1 => Just([0xffu8; 20]),
    ]
}

/// Valid fields in the seven- or eight-field form.
pub fn fields() -> impl Strategy<Value = Fields> {
    fields_with(prop_oneof![Just(None), any::<bool>().prop_map(Some)].boxed())
}

/// Valid fields in the eight-field form (the network's current types).
pub fn fields8() -> impl Strategy<Value = Fields> {
    fields_with(any::<bool>().prop_map(Some).boxed())
}

/// Valid fields in the seven-field form.
pub fn fields7() -> impl Strategy<Value = Fields> {
    fields_with(Just(None).boxed())
}

fn fields_with(clawback: BoxedStrategy<Option<bool>>) -> impl Strategy<Value = Fields> {
    (
        int(),
        int(),
        symbol(),
        name(),
        0u8..=18,
        address(),
        any::<bool>(),
        clawback,
    )
        .prop_map(
            |(chain_id, nonce, symbol, name, decimals, master, is_private, clawback_enabled)| {
                Fields {
                    chain_id,
                    nonce,
                    symbol,
                    name,
                    decimals,
                    master,
                    is_private,
                    clawback_enabled,
                }
            },
        )
}

/// A valid payload.
pub fn payload() -> impl Strategy<Value = TokenIssuePayload> {
    fields().prop_map(|f| f.payload())
}

/// A 32-byte scalar with 0..=3 leading zero bytes (the transaction hash
/// drops them), or all 0xff.
pub fn scalar_bytes() -> impl Strategy<Value = [u8; 32]> {
    (
        any::<[u8; 32]>(),
        prop_oneof![3 => Just(0usize), 1 => 1usize..=3],
    )
        .prop_map(|(mut b, zeros)| {
            b[..zeros].fill(0);
            b
        })
}

/// Any signature value (not necessarily valid): the transaction hash and
/// the JSON writer must handle them all.
pub fn signature() -> impl Strategy<Value = Signature> {
    (scalar_bytes(), scalar_bytes(), 0u8..=1).prop_map(|(r, s, v)| Signature { r, s, v })
}

/// A valid secret key (RFC 6979 over it must work).
pub fn secret_key() -> impl Strategy<Value = [u8; 32]> {
    any::<[u8; 32]>().prop_filter("valid secp256k1 scalar", |b| {
        tokensign_core::signing_key_from_bytes(b).is_ok()
    })
}

/// One edit of a byte string.
#[derive(Clone, Debug)]
pub enum Mutation {
    /// XOR the byte at (index mod len) with a non-zero mask.
    Flip(usize, u8),
    /// Insert a byte at (index mod (len + 1)).
    Insert(usize, u8),
    /// Delete the byte at (index mod len).
    Delete(usize),
    /// Keep only the first (index mod (len + 1)) bytes.
    Truncate(usize),
}

/// 1..=4 edits.
pub fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    let one = prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(i, m)| Mutation::Flip(i, m)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Truncate),
    ];
    proptest::collection::vec(one, 1..=4)
}

/// Applies the edits in order.
pub fn mutate(bytes: &[u8], edits: &[Mutation]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for edit in edits {
        match *edit {
            Mutation::Flip(i, m) if !out.is_empty() => {
                let at = i % out.len();
                out[at] ^= m;
            }
            Mutation::Insert(i, b) => out.insert(i % (out.len() + 1), b),
            Mutation::Delete(i) if !out.is_empty() => {
                out.remove(i % out.len());
            }
            Mutation::Truncate(i) => out.truncate(i % (out.len() + 1)),
            _ => {}
        }
    }
    out
}
