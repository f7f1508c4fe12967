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
//!
//! The codes are built in `huffman`, the stream written in `front_coding`
//! (both at compile time); the look-ups, which decode it, are here.

mod front_coding;
mod huffman;
#[cfg(test)]
mod tests;

use zeroize::Zeroize;

use front_coding::encode;
use huffman::{Code, Table};

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
