//! Front-coding the list into the bit stream, at compile time: per word a
//! header symbol, then its new letters, each in its Huffman code.

use super::huffman::Code;
use super::{BLOCK, BLOCKS, HEADERS, LETTERS, MAX_WORD_LEN, WORD_COUNT};

/// Front-codes the newline-terminated list into `stream` (when it is not
/// empty) with `codes` (none: every symbol 0 bits) and the blocks' bit
/// offsets into `starts`, adding each symbol's occurrences to `counts`;
/// returns the bits used. Runs at compile time only: a list that is not
/// 2048 sorted words of 3..=8 lowercase letters fails the build.
#[allow(clippy::indexing_slicing)] // const evaluation: out of bounds is a build error, never a runtime panic
pub(super) const fn encode(
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
