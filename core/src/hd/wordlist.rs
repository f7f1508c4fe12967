//! The BIP-39 English word list, packed at compile time.
//!
//! `bip39-english.txt` is the published list as data (2048 lines, SHA-256
//! `2f5eed53…dbda`, checked by a test). Its words are sorted, 3 to 8
//! lowercase ASCII letters, and neighbours share prefixes, so the list is
//! front-coded into a bit stream: per word, the length of the prefix shared
//! with the previous word (3 bits), the number of new letters minus one
//! (3 bits), then each new letter (5 bits). That is 5.4 KiB of flash,
//! where 5 bytes per word would be 10 KiB and a `[&str; 2048]` table (as
//! the `bip39` crate has: pointer and length per word plus the letters)
//! about 27 KiB on a 32-bit target; measured in docs/hd-keys.md. The first word of every block of
//! [`BLOCK`] words is stored whole and its bit offset kept, so a look-up
//! decodes at most 16 block heads and one block.

use zeroize::Zeroize;

/// Words in the list.
pub const WORD_COUNT: usize = 2048;

/// The longest word, in letters.
pub const MAX_WORD_LEN: usize = 8;

/// Words per block: a look-up decodes at most this many words.
const BLOCK: usize = 128;
const BLOCKS: usize = WORD_COUNT / BLOCK;

const TEXT: &[u8] = include_bytes!("bip39-english.txt");

const STREAM_BITS: usize = {
    let mut none: [u8; 0] = [];
    let mut starts = [0u16; BLOCKS];
    encode(TEXT, &mut none, &mut starts)
};
const STREAM_LEN: usize = STREAM_BITS.div_ceil(8);

const PACKED: ([u8; STREAM_LEN], [u16; BLOCKS]) = {
    let mut stream = [0u8; STREAM_LEN];
    let mut starts = [0u16; BLOCKS];
    encode(TEXT, &mut stream, &mut starts);
    (stream, starts)
};

static STREAM: [u8; STREAM_LEN] = PACKED.0;
static BLOCK_STARTS: [u16; BLOCKS] = PACKED.1;

/// Front-codes the newline-terminated list into `stream` (when it is not
/// empty) and the blocks' bit offsets into `starts`; returns the bits used.
/// Runs at compile time only: a list that is not 2048 sorted words of
/// 3..=8 lowercase letters fails the build.
#[allow(clippy::indexing_slicing)] // const evaluation: out of bounds is a build error, never a runtime panic
const fn encode(text: &[u8], stream: &mut [u8], starts: &mut [u16; BLOCKS]) -> usize {
    let mut bits = 0;
    let mut at = 0;
    let mut previous = 0; // start of the previous word in `text`
    let mut previous_len = 0;
    let mut word = 0;
    while word < WORD_COUNT {
        let start = at;
        while text[at] != b'\n' {
            assert!(
                text[at].is_ascii_lowercase(),
                "word list: not a lowercase letter"
            );
            at += 1;
        }
        let len = at - start;
        at += 1; // the newline
        assert!(len >= 3 && len <= MAX_WORD_LEN, "word list: word length");
        let mut shared = 0;
        while shared < len
            && shared < previous_len
            && text[start + shared] == text[previous + shared]
        {
            shared += 1;
        }
        assert!(
            word == 0
                || shared == previous_len
                || (shared < len && text[start + shared] > text[previous + shared]),
            "word list: not sorted"
        );
        assert!(
            shared < len,
            "word list: a word repeats or prefixes the next"
        );
        if word % BLOCK == 0 {
            assert!(bits <= u16::MAX as usize, "word list: stream too long");
            starts[word / BLOCK] = bits as u16;
            shared = 0;
        }
        bits = put(stream, bits, shared as u8, 3);
        bits = put(stream, bits, (len - shared - 1) as u8, 3);
        let mut i = shared;
        while i < len {
            bits = put(stream, bits, text[start + i] - b'a', 5);
            i += 1;
        }
        previous = start;
        previous_len = len;
        word += 1;
    }
    assert!(at == text.len(), "word list: more than 2048 words");
    bits
}

/// Writes the low `width` bits of `value` at bit `at` (most significant
/// first) unless `stream` is empty; returns the next bit.
#[allow(clippy::indexing_slicing)] // const evaluation only, as `encode`
const fn put(stream: &mut [u8], at: usize, value: u8, width: usize) -> usize {
    if !stream.is_empty() {
        let mut k = 0;
        while k < width {
            if (value >> (width - 1 - k)) & 1 == 1 {
                let bit = at + k;
                stream[bit / 8] |= 0x80 >> (bit % 8);
            }
            k += 1;
        }
    }
    at + width
}

/// Decodes words one after another from a block's start.
struct Cursor {
    bit: usize,
    letters: [u8; MAX_WORD_LEN],
    len: usize,
}

impl Cursor {
    fn at_block(block: usize) -> Self {
        Cursor {
            bit: BLOCK_STARTS
                .get(block)
                .map_or(STREAM_BITS, |&b| usize::from(b)),
            letters: [0; MAX_WORD_LEN],
            len: 0,
        }
    }

    /// The next `width` (at most 8) bits.
    fn take(&mut self, width: usize) -> u8 {
        let byte = |i: usize| u16::from(STREAM.get(i).copied().unwrap_or(0));
        let window = (byte(self.bit / 8) << 8) | byte(self.bit / 8 + 1);
        let value = (window >> (16 - self.bit % 8 - width)) & ((1 << width) - 1);
        self.bit += width;
        value as u8
    }

    /// Decodes the next word over the previous one.
    fn next_word(&mut self) -> &[u8] {
        let shared = usize::from(self.take(3));
        let len = (shared + usize::from(self.take(3)) + 1).min(MAX_WORD_LEN);
        for i in shared..len {
            let letter = b'a' + self.take(5);
            if let Some(slot) = self.letters.get_mut(i) {
                *slot = letter;
            }
        }
        self.len = len;
        self.letters.get(..len).unwrap_or(&[])
    }
}

impl Drop for Cursor {
    /// The letters decoded last may be a word of someone's mnemonic.
    fn drop(&mut self) {
        self.letters.zeroize();
    }
}

/// The index (0..2048) of `word` in the list.
pub fn index_of(word: &[u8]) -> Option<u16> {
    if word.len() > MAX_WORD_LEN || !word.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    // The last block whose first word is not after `word`.
    let block = (0..BLOCKS)
        .take_while(|&b| Cursor::at_block(b).next_word() <= word)
        .last()?;
    let mut cursor = Cursor::at_block(block);
    for offset in 0..BLOCK {
        let candidate = cursor.next_word();
        if candidate == word {
            return u16::try_from(block * BLOCK + offset).ok();
        }
        if candidate > word {
            return None;
        }
    }
    None
}

/// The word at `index` (taken modulo 2048) as letters and their count.
pub fn word_at(index: u16) -> ([u8; MAX_WORD_LEN], usize) {
    let index = usize::from(index) % WORD_COUNT;
    let mut cursor = Cursor::at_block(index / BLOCK);
    for _ in 0..=index % BLOCK {
        cursor.next_word();
    }
    (cursor.letters, cursor.len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};
    use std::string::String;
    use std::vec::Vec;

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
        assert_eq!(word_at(2048), word_at(0));
    }

    #[test]
    fn the_stream_is_front_coded() {
        // Recount the bits independently: 6 header bits per word, 5 per
        // letter not shared with the previous word (all letters at a
        // block's start).
        let words: Vec<&[u8]> = TEXT.split(|&b| b == b'\n').take(WORD_COUNT).collect();
        let mut bits = 0;
        for (i, word) in words.iter().enumerate() {
            let shared = if i % BLOCK == 0 {
                0
            } else {
                let previous = words[i - 1];
                word.iter()
                    .zip(previous)
                    .take_while(|(a, b)| a == b)
                    .count()
            };
            bits += 6 + 5 * (word.len() - shared);
        }
        assert_eq!(STREAM_BITS, bits);
        // Well under the 10 KiB of 5 bytes per word.
        assert_eq!(STREAM_LEN, 5_461);
        assert_eq!(BLOCK_STARTS[0], 0);
    }

    #[test]
    fn non_words_are_not_found() {
        for w in [
            &b""[..],
            b"a",
            b"aa",
            b"abando",
            b"abandons",
            b"Abandon",
            b"ABANDON",
            b"zzzzzzzz",
            b"zoo ",
            b"zoom",
            b"aaaaaaaaa",
            b"abandonabandon",
            "ａｂａｎｄｏｎ".as_bytes(),
            b"ab\x00ndon",
        ] {
            assert_eq!(index_of(w), None, "{w:?}");
        }
    }
}
