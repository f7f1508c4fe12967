//! The BIP-39 English word list, packed at compile time.
//!
//! `bip39-english.txt` is the published list as data (2048 lines, SHA-256
//! `2f5eed53…dbda`, checked by a test). Its words are sorted, 3 to 8
//! lowercase ASCII letters, and neighbours share prefixes, so the list is
//! front-coded into a bit stream: per word, one header symbol (the length
//! of the prefix shared with the previous word, 0 to 7, and the number of
//! new letters minus one, 0 to 7), then each new letter. Headers and
//! letters are written in two canonical Huffman codes built at compile
//! time from the list's own counts (a common header such as "3 shared, 4
//! new" takes 3 bits, a rare one 12; `e` 3 bits, `q` 10). That is 4.5 KiB
//! of flash with the two decoding tables, where fixed-width fields (3 + 3
//! bits a header, 5 a letter) took 5.4 KiB, 5 bytes per word would be 10
//! KiB and a `[&str; 2048]` table (as the `bip39` crate has: pointer and
//! length per word plus the letters) about 27 KiB on a 32-bit target;
//! measured in docs/hd-keys.md and docs/embedded.md. The first word of
//! every block of [`BLOCK`] words is stored whole and its bit offset kept,
//! so a look-up decodes at most 16 block heads and one block.

use zeroize::Zeroize;

/// Words in the list.
pub const WORD_COUNT: usize = 2048;

/// The longest word, in letters.
pub const MAX_WORD_LEN: usize = 8;

/// Words per block: a look-up decodes at most this many words.
const BLOCK: usize = 128;
const BLOCKS: usize = WORD_COUNT / BLOCK;

/// Header symbols: `shared * 8 + new - 1`, both 0..8.
const HEADERS: usize = 64;
/// Letter symbols: `letter - b'a'`.
const LETTERS: usize = 26;
/// The longest code either Huffman code may have (the build fails past it).
const MAX_BITS: usize = 16;

const TEXT: &[u8] = include_bytes!("bip39-english.txt");

/// How often each header and letter symbol occurs in the front-coded list.
const COUNTS: ([u32; HEADERS], [u32; LETTERS]) = {
    let mut counts = ([0u32; HEADERS], [0u32; LETTERS]);
    let mut none: [u8; 0] = [];
    let mut starts = [0u16; BLOCKS];
    encode(TEXT, &mut none, &mut starts, None, &mut counts);
    counts
};

const HEADER_CODE: Code<HEADERS> = Code::new(&COUNTS.0);
const LETTER_CODE: Code<LETTERS> = Code::new(&COUNTS.1);

const STREAM_BITS: usize = {
    let mut counts = ([0u32; HEADERS], [0u32; LETTERS]);
    let mut none: [u8; 0] = [];
    let mut starts = [0u16; BLOCKS];
    encode(
        TEXT,
        &mut none,
        &mut starts,
        Some((&HEADER_CODE, &LETTER_CODE)),
        &mut counts,
    )
};
const STREAM_LEN: usize = STREAM_BITS.div_ceil(8);

const PACKED: ([u8; STREAM_LEN], [u16; BLOCKS]) = {
    let mut counts = ([0u32; HEADERS], [0u32; LETTERS]);
    let mut stream = [0u8; STREAM_LEN];
    let mut starts = [0u16; BLOCKS];
    encode(
        TEXT,
        &mut stream,
        &mut starts,
        Some((&HEADER_CODE, &LETTER_CODE)),
        &mut counts,
    );
    (stream, starts)
};

static STREAM: [u8; STREAM_LEN] = PACKED.0;
static BLOCK_STARTS: [u16; BLOCKS] = PACKED.1;
// Only the decoding tables are in flash (the codes are compile-time only).
static HEADER_TABLE: Table<HEADERS> = HEADER_CODE.table;
static LETTER_TABLE: Table<LETTERS> = LETTER_CODE.table;

/// A canonical Huffman code's decoding table: how many codes each length
/// has, and the symbols in code order (by length, then by symbol).
struct Table<const S: usize> {
    counts: [u8; MAX_BITS + 1],
    symbols: [u8; S],
}

/// A canonical Huffman code over `S` symbols (compile time only).
struct Code<const S: usize> {
    lengths: [u8; S],
    codes: [u16; S],
    table: Table<S>,
}

impl<const S: usize> Code<S> {
    /// The optimal prefix code for these counts (Huffman's merging of the
    /// two lightest groups, each merge one bit deeper for their symbols),
    /// in canonical form (as DEFLATE assigns it). Symbols that never occur
    /// get no code.
    #[allow(clippy::indexing_slicing)] // const evaluation only, as `encode`
    const fn new(counts: &[u32; S]) -> Self {
        let mut weight = [0u64; S];
        let mut group = [0usize; S];
        let mut lengths = [0u8; S];
        let mut i = 0;
        while i < S {
            weight[i] = counts[i] as u64;
            group[i] = i;
            i += 1;
        }
        loop {
            // The two lightest live groups (a group lives at its first
            // symbol's index while its weight is not zero).
            let (mut a, mut b) = (S, S);
            let mut g = 0;
            while g < S {
                if weight[g] != 0 {
                    if a == S || weight[g] < weight[a] {
                        b = a;
                        a = g;
                    } else if b == S || weight[g] < weight[b] {
                        b = g;
                    }
                }
                g += 1;
            }
            if b == S {
                break;
            }
            weight[a] += weight[b];
            weight[b] = 0;
            let mut k = 0;
            while k < S {
                if group[k] == a || group[k] == b {
                    group[k] = a;
                    lengths[k] += 1;
                }
                k += 1;
            }
        }
        let mut table = Table {
            counts: [0; MAX_BITS + 1],
            symbols: [0; S],
        };
        let mut k = 0;
        while k < S {
            assert!(
                (lengths[k] as usize) <= MAX_BITS,
                "word list: code too long"
            );
            table.counts[lengths[k] as usize] += 1;
            k += 1;
        }
        table.counts[0] = 0;
        // The first code of each length, then each symbol's code.
        let mut next = [0u32; MAX_BITS + 1];
        let mut code = 0u32;
        let mut len = 1;
        while len <= MAX_BITS {
            code = (code + table.counts[len - 1] as u32) << 1;
            next[len] = code;
            len += 1;
        }
        let mut codes = [0u16; S];
        let mut at = 0;
        let mut len = 1;
        while len <= MAX_BITS {
            let mut k = 0;
            while k < S {
                if lengths[k] as usize == len {
                    codes[k] = next[len] as u16;
                    next[len] += 1;
                    table.symbols[at] = k as u8;
                    at += 1;
                }
                k += 1;
            }
            len += 1;
        }
        Code {
            lengths,
            codes,
            table,
        }
    }
}

/// Front-codes the newline-terminated list into `stream` (when it is not
/// empty) with `codes` (none: every symbol 0 bits) and the blocks' bit
/// offsets into `starts`, adding each symbol's occurrences to `counts`;
/// returns the bits used. Runs at compile time only: a list that is not
/// 2048 sorted words of 3..=8 lowercase letters fails the build.
#[allow(clippy::indexing_slicing)] // const evaluation: out of bounds is a build error, never a runtime panic
const fn encode(
    text: &[u8],
    stream: &mut [u8],
    starts: &mut [u16; BLOCKS],
    codes: Option<(&Code<HEADERS>, &Code<LETTERS>)>,
    counts: &mut ([u32; HEADERS], [u32; LETTERS]),
) -> usize {
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
        let header = shared * 8 + (len - shared - 1);
        counts.0[header] += 1;
        if let Some((code, _)) = codes {
            bits = put(stream, bits, code.codes[header], code.lengths[header]);
        }
        let mut i = shared;
        while i < len {
            let letter = (text[start + i] - b'a') as usize;
            counts.1[letter] += 1;
            if let Some((_, code)) = codes {
                bits = put(stream, bits, code.codes[letter], code.lengths[letter]);
            }
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
const fn put(stream: &mut [u8], at: usize, value: u16, width: u8) -> usize {
    let width = width as usize;
    assert!(width > 0, "word list: a symbol without a code");
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

    /// The next symbol of a canonical code: a code of `len` bits is the
    /// `code - first`-th symbol of that length, `first` being that length's
    /// first code.
    fn symbol<const S: usize>(&mut self, table: &Table<S>) -> u8 {
        let (mut code, mut first, mut index) = (0usize, 0usize, 0usize);
        for &count in table.counts.iter().skip(1) {
            let byte = STREAM.get(self.bit / 8).copied().unwrap_or(0);
            code |= usize::from((byte >> (7 - self.bit % 8)) & 1);
            self.bit += 1;
            let count = usize::from(count);
            if let Some(offset) = code.checked_sub(first).filter(|&o| o < count) {
                return table.symbols.get(index + offset).copied().unwrap_or(0);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        0
    }

    fn next_word(&mut self) -> &[u8] {
        let header = usize::from(self.symbol(&HEADER_TABLE));
        let shared = header / 8;
        let len = (shared + header % 8 + 1).min(MAX_WORD_LEN);
        for i in shared..len {
            let letter = b'a' + self.symbol(&LETTER_TABLE);
            if let Some(slot) = self.letters.get_mut(i) {
                *slot = letter;
            }
        }
        self.len = len;
        self.letters.get(..len).unwrap_or(&[])
    }
}

impl Drop for Cursor {
    fn drop(&mut self) {
        self.letters.zeroize();
    }
}

/// The index (0..2048) of `word` in the list.
pub fn index_of(word: &[u8]) -> Option<u16> {
    // From a table decoded once, in a fuzzing build with the stand-ins on
    // (crate::fuzzing).
    #[cfg(fuzzing)]
    if let Some(found) = crate::fuzzing::word_index(word) {
        return found;
    }
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
    // From a table decoded once, in a fuzzing build with the stand-ins on
    // (crate::fuzzing).
    #[cfg(fuzzing)]
    if let Some(word) = crate::fuzzing::word_letters(index) {
        return word;
    }
    decode_word_at(index)
}

/// [`word_at`] from the packed list.
pub(crate) fn decode_word_at(index: u16) -> ([u8; MAX_WORD_LEN], usize) {
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
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
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
    fn the_stream_is_huffman_coded() {
        // Recount the symbols independently: per word its header (shared
        // prefix, 0 at a block's start; new letters) and its new letters.
        let words: Vec<&[u8]> = TEXT.split(|&b| b == b'\n').take(WORD_COUNT).collect();
        let mut headers = [0u64; HEADERS];
        let mut letters = [0u64; LETTERS];
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
            headers[shared * 8 + word.len() - shared - 1] += 1;
            for &l in &word[shared..] {
                letters[usize::from(l - b'a')] += 1;
            }
        }
        // The optimal prefix code's cost, by a heap (Huffman): the sum of
        // every merge's weight. The stream is exactly that long.
        fn optimal(counts: &[u64]) -> u64 {
            let mut heap: BinaryHeap<Reverse<u64>> = counts
                .iter()
                .filter(|&&c| c > 0)
                .map(|&c| Reverse(c))
                .collect();
            let mut cost = 0;
            while heap.len() > 1 {
                let (Reverse(a), Reverse(b)) = (heap.pop().unwrap(), heap.pop().unwrap());
                cost += a + b;
                heap.push(Reverse(a + b));
            }
            cost
        }
        assert_eq!(STREAM_BITS as u64, optimal(&headers) + optimal(&letters));
        // Both codes are complete prefix codes (Kraft's sum exactly 1), and
        // every symbol that occurs has a code.
        for (lengths, counts) in [
            (&HEADER_CODE.lengths[..], &headers[..]),
            (&LETTER_CODE.lengths[..], &letters[..]),
        ] {
            let kraft: u64 = lengths
                .iter()
                .filter(|&&l| l > 0)
                .map(|&l| 1u64 << (MAX_BITS - usize::from(l)))
                .sum();
            assert_eq!(kraft, 1 << MAX_BITS);
            for (&l, &c) in lengths.iter().zip(counts) {
                assert_eq!(l > 0, c > 0);
            }
        }
        // Well under the 5,461 bytes of fixed-width fields.
        assert_eq!(STREAM_LEN, 4_287);
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
