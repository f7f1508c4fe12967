//! The keccak-f[1600] study's second interleaved permutation (BENCH 10 to
//! 13, `--features keccak-study`, not in the shipped firmware): each round
//! written out lane by lane (the lines between the markers come from
//! `tests/firmware/keccak_round.py`), with a Keccak-256 sponge around it.
//!
//! Each lane is kept as its even-indexed and its odd-indexed bits in two
//! `u32`s ("bit interleaving", the form of the Keccak team's 32-bit code),
//! so every 64-bit rotation is two 32-bit rotations, which Thumb-2 can fold
//! into the next `EOR` or `BIC`. Rounds go out of place, from one state to
//! the other and back, so nothing moves for pi; rho and pi are the operands
//! of chi. docs/embedded.md, "Keccak on the Cortex-M4", has what it
//! measures against the `keccak` crate (not the 1.5x that own code in the
//! core would need) and what limits it.

use core::sync::atomic::{compiler_fence, Ordering};

/// The rate of Keccak-256: 1600 - 2 * 256 bits.
const RATE: usize = 136;

/// The 24 round constants of iota, as 64-bit lanes.
const RC: [u64; 24] = [
    0x0000_0000_0000_0001,
    0x0000_0000_0000_8082,
    0x8000_0000_0000_808A,
    0x8000_0000_8000_8000,
    0x0000_0000_0000_808B,
    0x0000_0000_8000_0001,
    0x8000_0000_8000_8081,
    0x8000_0000_0000_8009,
    0x0000_0000_0000_008A,
    0x0000_0000_0000_0088,
    0x0000_0000_8000_8009,
    0x0000_0000_8000_000A,
    0x0000_0000_8000_808B,
    0x8000_0000_0000_008B,
    0x8000_0000_0000_8089,
    0x8000_0000_0000_8003,
    0x8000_0000_0000_8002,
    0x8000_0000_0000_0080,
    0x0000_0000_0000_800A,
    0x8000_0000_8000_000A,
    0x8000_0000_8000_8081,
    0x8000_0000_0000_8080,
    0x0000_0000_8000_0001,
    0x8000_0000_8000_8008,
];

/// The round constants, interleaved at compile time.
const RC_INTERLEAVED: [[u32; 2]; 24] = {
    let mut out = [[0u32; 2]; 24];
    let mut i = 0;
    while i < 24 {
        let lane = RC[i];
        out[i] = interleave(lane as u32, (lane >> 32) as u32);
        i += 1;
    }
    out
};

/// Gathers the even-indexed bits of `x` into its low half and the
/// odd-indexed ones into its high half (Hacker's Delight's "unshuffle":
/// four swaps of bit groups).
const fn unshuffle(mut x: u32) -> u32 {
    let mut t = (x ^ (x >> 1)) & 0x2222_2222;
    x ^= t ^ (t << 1);
    t = (x ^ (x >> 2)) & 0x0C0C_0C0C;
    x ^= t ^ (t << 2);
    t = (x ^ (x >> 4)) & 0x00F0_00F0;
    x ^= t ^ (t << 4);
    t = (x ^ (x >> 8)) & 0x0000_FF00;
    x ^ t ^ (t << 8)
}

/// The inverse of [`unshuffle`]: the same swaps in the reverse order.
const fn shuffle(mut x: u32) -> u32 {
    let mut t = (x ^ (x >> 8)) & 0x0000_FF00;
    x ^= t ^ (t << 8);
    t = (x ^ (x >> 4)) & 0x00F0_00F0;
    x ^= t ^ (t << 4);
    t = (x ^ (x >> 2)) & 0x0C0C_0C0C;
    x ^= t ^ (t << 2);
    t = (x ^ (x >> 1)) & 0x2222_2222;
    x ^ t ^ (t << 1)
}

/// A 64-bit lane (its low and high words) as `[even bits, odd bits]`.
const fn interleave(lo: u32, hi: u32) -> [u32; 2] {
    let lo = unshuffle(lo);
    let hi = unshuffle(hi);
    [(lo & 0xFFFF) | (hi << 16), (lo >> 16) | (hi & 0xFFFF_0000)]
}

/// The inverse of [`interleave`]: `[even bits, odd bits]` as the lane's
/// low and high words.
const fn deinterleave(lane: [u32; 2]) -> [u32; 2] {
    let [even, odd] = lane;
    [
        shuffle((even & 0xFFFF) | (odd << 16)),
        shuffle((even >> 16) | (odd & 0xFFFF_0000)),
    ]
}

// GENERATED-BEGIN (tests/firmware/keccak_round.py)
/// theta's D into `d`: for each column x, `C[x-1] ^ rot(C[x+1], 1)`, C
/// being the columns' parities (the fences as in [`round`]).
#[inline(never)]
fn theta(a: &[u32; 50], d: &mut [[u32; 2]; 5]) {
    d[0][0] = a[0] ^ a[10] ^ a[20] ^ a[30] ^ a[40];
    d[0][1] = a[1] ^ a[11] ^ a[21] ^ a[31] ^ a[41];
    compiler_fence(Ordering::SeqCst);
    d[1][0] = a[2] ^ a[12] ^ a[22] ^ a[32] ^ a[42];
    d[1][1] = a[3] ^ a[13] ^ a[23] ^ a[33] ^ a[43];
    compiler_fence(Ordering::SeqCst);
    d[2][0] = a[4] ^ a[14] ^ a[24] ^ a[34] ^ a[44];
    d[2][1] = a[5] ^ a[15] ^ a[25] ^ a[35] ^ a[45];
    compiler_fence(Ordering::SeqCst);
    d[3][0] = a[6] ^ a[16] ^ a[26] ^ a[36] ^ a[46];
    d[3][1] = a[7] ^ a[17] ^ a[27] ^ a[37] ^ a[47];
    compiler_fence(Ordering::SeqCst);
    d[4][0] = a[8] ^ a[18] ^ a[28] ^ a[38] ^ a[48];
    d[4][1] = a[9] ^ a[19] ^ a[29] ^ a[39] ^ a[49];
    compiler_fence(Ordering::SeqCst);
    let c0 = [d[0][0], d[0][1]];
    let c1 = [d[1][0], d[1][1]];
    let c2 = [d[2][0], d[2][1]];
    let c3 = [d[3][0], d[3][1]];
    let c4 = [d[4][0], d[4][1]];
    d[0][0] = c4[0] ^ c1[1].rotate_left(1);
    d[0][1] = c4[1] ^ c1[0];
    d[1][0] = c0[0] ^ c2[1].rotate_left(1);
    d[1][1] = c0[1] ^ c2[0];
    d[2][0] = c1[0] ^ c3[1].rotate_left(1);
    d[2][1] = c1[1] ^ c3[0];
    d[3][0] = c2[0] ^ c4[1].rotate_left(1);
    d[3][1] = c2[1] ^ c4[0];
    d[4][0] = c3[0] ^ c0[1].rotate_left(1);
    d[4][1] = c3[1] ^ c0[0];
}

/// One round from state `a` into state `e` with round constant `rc`
/// (`d` is theta's scratch, zeroed once per permutation rather than
/// per round). The compiler fences emit nothing: they keep LLVM from
/// loading every lane at the top and spilling them to the stack
/// (docs/embedded.md, "Keccak on the Cortex-M4").
#[inline(never)]
fn round(a: &[u32; 50], e: &mut [u32; 50], d: &mut [[u32; 2]; 5], rc: [u32; 2]) {
    theta(a, d);
    let d = &*d;
    // plane 0, even halves
    compiler_fence(Ordering::SeqCst);
    let b0 = a[0] ^ d[0][0];
    let b1 = (a[12] ^ d[1][0]).rotate_left(22);
    let b2 = (a[25] ^ d[2][1]).rotate_left(22);
    let b3 = (a[37] ^ d[3][1]).rotate_left(11);
    let b4 = (a[48] ^ d[4][0]).rotate_left(7);
    e[0] = b0 ^ (!b1 & b2) ^ rc[0];
    e[2] = b1 ^ (!b2 & b3);
    e[4] = b2 ^ (!b3 & b4);
    e[6] = b3 ^ (!b4 & b0);
    e[8] = b4 ^ (!b0 & b1);
    // plane 0, odd halves
    compiler_fence(Ordering::SeqCst);
    let b0 = a[1] ^ d[0][1];
    let b1 = (a[13] ^ d[1][1]).rotate_left(22);
    let b2 = (a[24] ^ d[2][0]).rotate_left(21);
    let b3 = (a[36] ^ d[3][0]).rotate_left(10);
    let b4 = (a[49] ^ d[4][1]).rotate_left(7);
    e[1] = b0 ^ (!b1 & b2) ^ rc[1];
    e[3] = b1 ^ (!b2 & b3);
    e[5] = b2 ^ (!b3 & b4);
    e[7] = b3 ^ (!b4 & b0);
    e[9] = b4 ^ (!b0 & b1);
    // plane 1, even halves
    compiler_fence(Ordering::SeqCst);
    let b0 = (a[6] ^ d[3][0]).rotate_left(14);
    let b1 = (a[18] ^ d[4][0]).rotate_left(10);
    let b2 = (a[21] ^ d[0][1]).rotate_left(2);
    let b3 = (a[33] ^ d[1][1]).rotate_left(23);
    let b4 = (a[45] ^ d[2][1]).rotate_left(31);
    e[10] = b0 ^ (!b1 & b2);
    e[12] = b1 ^ (!b2 & b3);
    e[14] = b2 ^ (!b3 & b4);
    e[16] = b3 ^ (!b4 & b0);
    e[18] = b4 ^ (!b0 & b1);
    // plane 1, odd halves
    compiler_fence(Ordering::SeqCst);
    let b0 = (a[7] ^ d[3][1]).rotate_left(14);
    let b1 = (a[19] ^ d[4][1]).rotate_left(10);
    let b2 = (a[20] ^ d[0][0]).rotate_left(1);
    let b3 = (a[32] ^ d[1][0]).rotate_left(22);
    let b4 = (a[44] ^ d[2][0]).rotate_left(30);
    e[11] = b0 ^ (!b1 & b2);
    e[13] = b1 ^ (!b2 & b3);
    e[15] = b2 ^ (!b3 & b4);
    e[17] = b3 ^ (!b4 & b0);
    e[19] = b4 ^ (!b0 & b1);
    // plane 2, even halves
    compiler_fence(Ordering::SeqCst);
    let b0 = (a[3] ^ d[1][1]).rotate_left(1);
    let b1 = (a[14] ^ d[2][0]).rotate_left(3);
    let b2 = (a[27] ^ d[3][1]).rotate_left(13);
    let b3 = (a[38] ^ d[4][0]).rotate_left(4);
    let b4 = (a[40] ^ d[0][0]).rotate_left(9);
    e[20] = b0 ^ (!b1 & b2);
    e[22] = b1 ^ (!b2 & b3);
    e[24] = b2 ^ (!b3 & b4);
    e[26] = b3 ^ (!b4 & b0);
    e[28] = b4 ^ (!b0 & b1);
    // plane 2, odd halves
    compiler_fence(Ordering::SeqCst);
    let b0 = a[2] ^ d[1][0];
    let b1 = (a[15] ^ d[2][1]).rotate_left(3);
    let b2 = (a[26] ^ d[3][0]).rotate_left(12);
    let b3 = (a[39] ^ d[4][1]).rotate_left(4);
    let b4 = (a[41] ^ d[0][1]).rotate_left(9);
    e[21] = b0 ^ (!b1 & b2);
    e[23] = b1 ^ (!b2 & b3);
    e[25] = b2 ^ (!b3 & b4);
    e[27] = b3 ^ (!b4 & b0);
    e[29] = b4 ^ (!b0 & b1);
    // plane 3, even halves
    compiler_fence(Ordering::SeqCst);
    let b0 = (a[9] ^ d[4][1]).rotate_left(14);
    let b1 = (a[10] ^ d[0][0]).rotate_left(18);
    let b2 = (a[22] ^ d[1][0]).rotate_left(5);
    let b3 = (a[35] ^ d[2][1]).rotate_left(8);
    let b4 = (a[46] ^ d[3][0]).rotate_left(28);
    e[30] = b0 ^ (!b1 & b2);
    e[32] = b1 ^ (!b2 & b3);
    e[34] = b2 ^ (!b3 & b4);
    e[36] = b3 ^ (!b4 & b0);
    e[38] = b4 ^ (!b0 & b1);
    // plane 3, odd halves
    compiler_fence(Ordering::SeqCst);
    let b0 = (a[8] ^ d[4][0]).rotate_left(13);
    let b1 = (a[11] ^ d[0][1]).rotate_left(18);
    let b2 = (a[23] ^ d[1][1]).rotate_left(5);
    let b3 = (a[34] ^ d[2][0]).rotate_left(7);
    let b4 = (a[47] ^ d[3][1]).rotate_left(28);
    e[31] = b0 ^ (!b1 & b2);
    e[33] = b1 ^ (!b2 & b3);
    e[35] = b2 ^ (!b3 & b4);
    e[37] = b3 ^ (!b4 & b0);
    e[39] = b4 ^ (!b0 & b1);
    // plane 4, even halves
    compiler_fence(Ordering::SeqCst);
    let b0 = (a[4] ^ d[2][0]).rotate_left(31);
    let b1 = (a[17] ^ d[3][1]).rotate_left(28);
    let b2 = (a[29] ^ d[4][1]).rotate_left(20);
    let b3 = (a[31] ^ d[0][1]).rotate_left(21);
    let b4 = (a[42] ^ d[1][0]).rotate_left(1);
    e[40] = b0 ^ (!b1 & b2);
    e[42] = b1 ^ (!b2 & b3);
    e[44] = b2 ^ (!b3 & b4);
    e[46] = b3 ^ (!b4 & b0);
    e[48] = b4 ^ (!b0 & b1);
    // plane 4, odd halves
    compiler_fence(Ordering::SeqCst);
    let b0 = (a[5] ^ d[2][1]).rotate_left(31);
    let b1 = (a[16] ^ d[3][0]).rotate_left(27);
    let b2 = (a[28] ^ d[4][0]).rotate_left(19);
    let b3 = (a[30] ^ d[0][0]).rotate_left(20);
    let b4 = (a[43] ^ d[1][1]).rotate_left(1);
    e[41] = b0 ^ (!b1 & b2);
    e[43] = b1 ^ (!b2 & b3);
    e[45] = b2 ^ (!b3 & b4);
    e[47] = b3 ^ (!b4 & b0);
    e[49] = b4 ^ (!b0 & b1);
}
// GENERATED-END

/// keccak-f[1600] on an interleaved state.
pub fn f1600(state: &mut [u32; 50]) {
    let mut other = [0u32; 50];
    let mut d = [[0u32; 2]; 5];
    for pair in RC_INTERLEAVED.chunks_exact(2) {
        round(state, &mut other, &mut d, pair[0]);
        round(&other, state, &mut d, pair[1]);
    }
}

/// A streaming Keccak-256 over an interleaved state: whole blocks of the
/// rate are interleaved and absorbed as they fill, the tail waits in
/// `buffer`.
#[derive(Clone)]
pub struct Keccak {
    state: [u32; 50],
    buffer: [u8; RATE],
    /// Bytes waiting in `buffer` (always below `RATE`).
    filled: usize,
}

impl Default for Keccak {
    fn default() -> Self {
        Self::new()
    }
}

impl Keccak {
    /// An empty hasher.
    pub const fn new() -> Self {
        Keccak {
            state: [0; 50],
            buffer: [0; RATE],
            filled: 0,
        }
    }

    /// XORs one block into the state's rate and permutes.
    fn absorb(state: &mut [u32; 50], block: &[u8; RATE]) {
        for (lane, bytes) in state.chunks_exact_mut(2).zip(block.chunks_exact(8)) {
            let [lo, hi] = [word(&bytes[..4]), word(&bytes[4..])];
            let [even, odd] = interleave(lo, hi);
            lane[0] ^= even;
            lane[1] ^= odd;
        }
        f1600(state);
    }

    /// Appends `data`.
    pub fn update(&mut self, mut data: &[u8]) {
        if self.filled > 0 {
            let take = data.len().min(RATE - self.filled);
            let (head, rest) = data.split_at(take);
            self.buffer[self.filled..self.filled + take].copy_from_slice(head);
            self.filled += take;
            data = rest;
            if self.filled < RATE {
                return;
            }
            Self::absorb(&mut self.state, &self.buffer);
            self.filled = 0;
        }
        let mut blocks = data.chunks_exact(RATE);
        for block in &mut blocks {
            if let Ok(block) = block.try_into() {
                Self::absorb(&mut self.state, block);
            }
        }
        let tail = blocks.remainder();
        self.buffer[..tail.len()].copy_from_slice(tail);
        self.filled = tail.len();
    }

    /// The hash of everything appended: Keccak's own padding (0x01 ...
    /// 0x80, Ethereum's, not SHA-3's 0x06), then the first four lanes.
    pub fn finalize(mut self) -> [u8; 32] {
        self.buffer[self.filled..].fill(0);
        self.buffer[self.filled] ^= 0x01;
        self.buffer[RATE - 1] ^= 0x80;
        Self::absorb(&mut self.state, &self.buffer);
        let mut out = [0u8; 32];
        for (bytes, lane) in out.chunks_exact_mut(8).zip(self.state.chunks_exact(2)) {
            let [lo, hi] = deinterleave([lane[0], lane[1]]);
            bytes[..4].copy_from_slice(&lo.to_le_bytes());
            bytes[4..].copy_from_slice(&hi.to_le_bytes());
        }
        out
    }
}

/// keccak256 of `data`.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    let mut hasher = Keccak::new();
    hasher.update(data);
    hasher.finalize()
}

/// A little-endian word of four bytes (`bytes` is always four long).
fn word(bytes: &[u8]) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(bytes);
    u32::from_le_bytes(w)
}
