//! The keccak-f[1600] study (`--features keccak-study`, not in the shipped
//! firmware): the `keccak` crate's permutation (what `sha3` runs, 64-bit
//! lanes on a 32-bit core) against a bit-interleaved one written here in
//! safe Rust (each 64-bit lane as its even and odd bits in two 32-bit words,
//! so every rotation is two 32-bit rotations). BENCH 7 and 8 run one each,
//! BENCH 9 checks both agree on a state. BENCH 10 to 13 measure and check
//! the unrolled interleaved permutation and its sponge
//! (`src/keccak_unrolled.rs`). docs/embedded.md, "Keccak on the
//! Cortex-M4", has the figures and how to reproduce them.

/// Round constants, interleaved at compile time.
const RC: [u64; 24] = [
    0x0000000000000001,
    0x0000000000008082,
    0x800000000000808A,
    0x8000000080008000,
    0x000000000000808B,
    0x0000000080000001,
    0x8000000080008081,
    0x8000000000008009,
    0x000000000000008A,
    0x0000000000000088,
    0x0000000080008009,
    0x000000008000000A,
    0x000000008000808B,
    0x800000000000008B,
    0x8000000000008089,
    0x8000000000008003,
    0x8000000000008002,
    0x8000000000000080,
    0x000000000000800A,
    0x800000008000000A,
    0x8000000080008081,
    0x8000000000008080,
    0x0000000080000001,
    0x8000000080008008,
];

const fn interleave(x: u64) -> [u32; 2] {
    let mut e = 0u32;
    let mut o = 0u32;
    let mut i = 0;
    while i < 32 {
        e |= (((x >> (2 * i)) & 1) as u32) << i;
        o |= (((x >> (2 * i + 1)) & 1) as u32) << i;
        i += 1;
    }
    [e, o]
}

const RC_I: [[u32; 2]; 24] = {
    let mut out = [[0u32; 2]; 24];
    let mut i = 0;
    while i < 24 {
        out[i] = interleave(RC[i]);
        i += 1;
    }
    out
};

/// Rotation offsets of rho, by lane index x + 5y.
const RHO: [u32; 25] = [
    0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
];

/// pi: lane x + 5y moves to y + 5((2x + 3y) mod 5).
const PI: [usize; 25] = {
    let mut out = [0usize; 25];
    let mut i = 0;
    while i < 25 {
        let (x, y) = (i % 5, i / 5);
        out[i] = y + 5 * ((2 * x + 3 * y) % 5);
        i += 1;
    }
    out
};

#[inline(always)]
fn rot(lane: [u32; 2], r: u32) -> [u32; 2] {
    let [e, o] = lane;
    if r.is_multiple_of(2) {
        [e.rotate_left(r / 2), o.rotate_left(r / 2)]
    } else {
        [o.rotate_left(r.div_ceil(2)), e.rotate_left(r / 2)]
    }
}

/// keccak-f[1600] on a bit-interleaved state.
#[inline(never)]
pub fn f1600_interleaved(s: &mut [[u32; 2]; 25]) {
    for rc in RC_I {
        let mut c = [[0u32; 2]; 5];
        for x in 0..5 {
            for h in 0..2 {
                c[x][h] = s[x][h] ^ s[x + 5][h] ^ s[x + 10][h] ^ s[x + 15][h] ^ s[x + 20][h];
            }
        }
        for x in 0..5 {
            let d = rot(c[(x + 1) % 5], 1);
            let d = [c[(x + 4) % 5][0] ^ d[0], c[(x + 4) % 5][1] ^ d[1]];
            for y in 0..5 {
                s[x + 5 * y][0] ^= d[0];
                s[x + 5 * y][1] ^= d[1];
            }
        }
        let mut b = [[0u32; 2]; 25];
        for i in 0..25 {
            b[PI[i]] = rot(s[i], RHO[i]);
        }
        for y in 0..5 {
            for x in 0..5 {
                for h in 0..2 {
                    s[x + 5 * y][h] =
                        b[x + 5 * y][h] ^ (!b[(x + 1) % 5 + 5 * y][h] & b[(x + 2) % 5 + 5 * y][h]);
                }
            }
        }
        s[0][0] ^= rc[0];
        s[0][1] ^= rc[1];
    }
}

/// The interleaved permutation of a plain state (for the check against the
/// crate's: same output).
pub fn f1600_via_interleaved(state: &mut [u64; 25]) {
    f1600_via(state, |s| {
        let mut lanes = [[0u32; 2]; 25];
        for (lane, half) in lanes.iter_mut().zip(s.chunks_exact(2)) {
            *lane = [half[0], half[1]];
        }
        f1600_interleaved(&mut lanes);
        for (lane, half) in lanes.iter().zip(s.chunks_exact_mut(2)) {
            half.copy_from_slice(lane);
        }
    });
}

/// An interleaved permutation `f` (word 2i lane i's even bits, 2i + 1 its
/// odd bits) applied to a plain state.
pub fn f1600_via(state: &mut [u64; 25], f: impl FnOnce(&mut [u32; 50])) {
    let mut s = [0u32; 50];
    for (lane, x) in s.chunks_exact_mut(2).zip(state.iter()) {
        lane.copy_from_slice(&interleave(*x));
    }
    f(&mut s);
    for (x, lane) in state.iter_mut().zip(s.chunks_exact(2)) {
        let (e, o) = (lane[0], lane[1]);
        let mut v = 0u64;
        for i in 0..32 {
            v |= u64::from((e >> i) & 1) << (2 * i);
            v |= u64::from((o >> i) & 1) << (2 * i + 1);
        }
        *x = v;
    }
}

/// The unrolled permutation (`src/keccak_unrolled.rs`) against the
/// `keccak` crate's on chained states, and its Keccak-256 against `sha3`
/// on every prefix of `message` (the rate's edges among them: 135, 136
/// and 137 bytes), in one piece and in two.
pub fn unrolled_agrees(message: &[u8]) -> bool {
    use sha3::Digest;
    let mut plain = [0u64; 25];
    for (i, lane) in plain.iter_mut().enumerate() {
        *lane = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    for _ in 0..4 {
        let mut other = plain;
        keccak::f1600(&mut plain);
        f1600_via(&mut other, crate::keccak_unrolled::f1600);
        if plain != other {
            return false;
        }
    }
    (0..=message.len()).all(|n| {
        let expected: [u8; 32] = sha3::Keccak256::digest(&message[..n]).into();
        let mut split = crate::keccak_unrolled::Keccak::new();
        split.update(&message[..n / 3]);
        split.update(&message[n / 3..n]);
        crate::keccak_unrolled::keccak256(&message[..n]) == expected && split.finalize() == expected
    })
}
