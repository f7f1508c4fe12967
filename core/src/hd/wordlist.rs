//! The BIP-39 English word list, packed at compile time.
//!
//! `bip39-english.txt` is the published list as data (2048 lines, SHA-256
//! `2f5eed53…dbda`, checked by a test). Every word is 3 to 8 lowercase ASCII
//! letters, so each one packs into 40 bits: 5 bits per letter (`a` = 1 …
//! `z` = 26, 0 after the last letter), first letter highest. That keeps
//! alphabetical order as numeric order, so a word is found by binary search,
//! and the table takes 10 KiB of flash where a `[&str; 2048]` table (as the
//! `bip39` crate has) takes about 27 KiB on a 32-bit target: pointer and
//! length per word plus the letters (measured in docs/hd-keys.md).

/// Words in the list.
pub const WORD_COUNT: usize = 2048;

/// The longest word, in letters.
pub const MAX_WORD_LEN: usize = 8;

/// Bytes per packed word: 8 letters of 5 bits.
const PACKED_LEN: usize = 5;

const TEXT: &[u8] = include_bytes!("bip39-english.txt");

static PACKED: [[u8; PACKED_LEN]; WORD_COUNT] = pack(TEXT);

/// Packs the newline-terminated list. Runs at compile time only: a list that
/// is not 2048 sorted words of 3..=8 lowercase letters fails the build.
#[allow(clippy::indexing_slicing)] // const evaluation: out of bounds is a build error, never a runtime panic
const fn pack(text: &[u8]) -> [[u8; PACKED_LEN]; WORD_COUNT] {
    let mut out = [[0u8; PACKED_LEN]; WORD_COUNT];
    let mut word = 0;
    let mut at = 0;
    let mut previous: u64 = 0;
    while word < WORD_COUNT {
        let mut key: u64 = 0;
        let mut len = 0;
        while text[at] != b'\n' {
            let letter = text[at];
            assert!(
                letter.is_ascii_lowercase(),
                "word list: not a lowercase letter"
            );
            key |= ((letter - b'a' + 1) as u64) << (35 - 5 * len);
            len += 1;
            at += 1;
        }
        at += 1; // the newline
        assert!(len >= 3 && len <= MAX_WORD_LEN, "word list: word length");
        assert!(word == 0 || key > previous, "word list: not sorted");
        previous = key;
        let bytes = key.to_be_bytes();
        let mut i = 0;
        while i < PACKED_LEN {
            out[word][i] = bytes[3 + i];
            i += 1;
        }
        word += 1;
    }
    assert!(at == text.len(), "word list: more than 2048 words");
    out
}

/// The packed key of a candidate word, or `None` if it cannot be a list
/// word (empty, longer than 8, or not all lowercase ASCII letters).
fn key_of(word: &[u8]) -> Option<u64> {
    if word.is_empty() || word.len() > MAX_WORD_LEN {
        return None;
    }
    let mut key = 0u64;
    for (i, &letter) in word.iter().enumerate() {
        if !letter.is_ascii_lowercase() {
            return None;
        }
        key |= u64::from(letter - b'a' + 1) << (35 - 5 * i);
    }
    Some(key)
}

fn key_at(packed: &[u8; PACKED_LEN]) -> u64 {
    packed
        .iter()
        .fold(0u64, |key, &b| (key << 8) | u64::from(b))
}

/// The index (0..2048) of `word` in the list.
pub fn index_of(word: &[u8]) -> Option<u16> {
    let key = key_of(word)?;
    let index = PACKED.binary_search_by_key(&key, key_at).ok()?;
    u16::try_from(index).ok()
}

/// The word at `index` (taken modulo 2048) as letters and their count.
pub fn word_at(index: u16) -> ([u8; MAX_WORD_LEN], usize) {
    let mut letters = [0u8; MAX_WORD_LEN];
    let mut len = 0;
    let packed = PACKED
        .get(usize::from(index) % WORD_COUNT)
        .map_or(0, key_at);
    for (i, slot) in letters.iter_mut().enumerate() {
        // The 5-bit letter code at position i; 0 ends the word.
        let code = ((packed >> (35 - 5 * i)) & 0x1f) as u8;
        if code == 0 {
            break;
        }
        *slot = b'a' + code - 1;
        len += 1;
    }
    (letters, len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};
    use std::string::String;

    #[test]
    fn the_list_is_the_published_one() {
        assert_eq!(
            hex::encode(Sha256::digest(TEXT)),
            "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda"
        );
    }

    #[test]
    fn every_word_round_trips() {
        for (i, line) in TEXT.split(|&b| b == b'\n').take(WORD_COUNT).enumerate() {
            let index = u16::try_from(i).unwrap();
            assert_eq!(
                index_of(line),
                Some(index),
                "{}",
                String::from_utf8_lossy(line)
            );
            let (letters, len) = word_at(index);
            assert_eq!(&letters[..len], line);
        }
    }

    #[test]
    fn known_positions() {
        assert_eq!(index_of(b"abandon"), Some(0));
        assert_eq!(index_of(b"ability"), Some(1));
        assert_eq!(index_of(b"zoo"), Some(2047));
        let (w, n) = word_at(2047);
        assert_eq!(&w[..n], b"zoo");
    }

    #[test]
    fn non_words_are_not_found() {
        for w in [
            &b""[..],
            b"a",
            b"abando",
            b"abandons",
            b"Abandon",
            b"ABANDON",
            b"zzzzzzzz",
            b"zoo ",
            b"aaaaaaaaa",
            b"abandonabandon",
            "ａｂａｎｄｏｎ".as_bytes(),
            b"ab\x00ndon",
        ] {
            assert_eq!(index_of(w), None, "{w:?}");
        }
    }
}
