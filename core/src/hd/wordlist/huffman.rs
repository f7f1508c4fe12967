//! The canonical Huffman codes of the list's headers and letters, built at
//! compile time from the list's own counts; only their decoding tables
//! reach flash.

use super::MAX_BITS;

/// A canonical Huffman code's decoding table: how many codes each length
/// has, and the symbols in code order (by length, then by symbol).
pub(super) struct Table<const S: usize> {
    pub(super) counts: [u8; MAX_BITS + 1],
    pub(super) symbols: [u8; S],
}

/// A canonical Huffman code over `S` symbols (compile time only).
pub(super) struct Code<const S: usize> {
    pub(super) lengths: [u8; S],
    pub(super) codes: [u16; S],
    pub(super) table: Table<S>,
}

impl<const S: usize> Code<S> {
    /// The optimal prefix code for these counts (Huffman's merging of the
    /// two lightest groups, each merge one bit deeper for their symbols),
    /// in canonical form (as DEFLATE assigns it). Symbols that never occur
    /// get no code.
    #[allow(clippy::indexing_slicing)] // const evaluation only, as `encode`
    pub(super) const fn new(counts: &[u32; S]) -> Self {
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
