//! The list is the published one, every word round-trips, the stream is
//! exactly as long as the optimal prefix codes make it, and non-words are
//! not found.

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
