//! Differential test of the two backends: k256 and libsecp256k1 sign the
//! same hashes with the same keys into byte-identical signatures, derive
//! the same public keys, and recover (or refuse) every signature, valid or
//! altered, identically. 100,000 signatures and as many recoveries of each
//! backend, keys and hashes at the edges included (keys 1, 2, n−2, n−1,
//! ⌊n/2⌋; hashes 0, 1, n−1, n, n+1, 2^256−1).
//!
//! Needs both backends: `cargo test -p tokensign-core --features
//! libsecp256k1 --test backends` (CI runs it).
#![cfg(all(feature = "k256", feature = "libsecp256k1"))]

use tokensign_core::backend::{k256, libsecp256k1};
use tokensign_core::{address_of_uncompressed, keccak256, Address, Error, Signature};

/// Signatures per backend, in shards that the test harness runs in
/// parallel.
const SIGNATURES: usize = 100_000;
const SHARDS: usize = 4;
/// Random keys besides the edge keys.
const RANDOM_KEYS: usize = 251;

const ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
];

/// `ORDER + delta` as 32 big-endian bytes (wrapping), for small deltas.
fn order_plus(delta: i64) -> [u8; 32] {
    let mut out = ORDER;
    let mut carry = delta;
    for byte in out.iter_mut().rev() {
        let sum = i64::from(*byte) + carry;
        *byte = sum.rem_euclid(256) as u8;
        carry = sum.div_euclid(256);
        if carry == 0 {
            break;
        }
    }
    out
}

fn small(value: u8) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[31] = value;
    out
}

/// Deterministic bytes: a keccak256 chain.
struct Stream([u8; 32]);

impl Stream {
    fn next(&mut self) -> [u8; 32] {
        self.0 = keccak256(&self.0);
        self.0
    }
}

struct Pair {
    k256: k256::Key,
    libsecp: libsecp256k1::Key,
    address: Address,
}

fn pair(secret: &[u8; 32]) -> Pair {
    let k = k256::Key::from_bytes(secret).expect("valid for k256");
    let l = libsecp256k1::Key::from_bytes(secret).expect("valid for libsecp256k1");
    assert_eq!(k.public_key_compressed(), l.public_key_compressed());
    assert_eq!(k.public_key_uncompressed(), l.public_key_uncompressed());
    let address = address_of_uncompressed(&k.public_key_uncompressed());
    Pair {
        k256: k,
        libsecp: l,
        address,
    }
}

/// Recovers with both backends; they must agree, error or address.
fn recover_both(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    let k = k256::recover_hash(hash, sig);
    let l = libsecp256k1::recover_hash(hash, sig);
    assert_eq!(k, l, "recovery of {sig:?} over {hash:02x?}");
    k
}

/// An altered copy of `sig`: each kind of malformation, and valid
/// signatures of other keys.
fn altered(sig: &Signature, which: usize, noise: &[u8; 32]) -> Signature {
    let mut out = *sig;
    match which % 9 {
        0 => out.v ^= 1,
        1 => out.r[31] ^= 1,
        2 => out.s = order_plus(0),
        3 => out.v = 2 + noise[0] % 30,
        4 => out.r = [0; 32],
        5 => {
            // n - s: the high-S twin.
            let mut neg = [0u8; 32];
            let mut borrow = 0i16;
            for i in (0..32).rev() {
                let d = i16::from(ORDER[i]) - i16::from(sig.s[i]) - borrow;
                borrow = i16::from(d < 0);
                neg[i] = d.rem_euclid(256) as u8;
            }
            out.s = neg;
        }
        6 => out.r = *noise,
        7 => out.s = *noise,
        _ => out.r = order_plus(-1),
    }
    out
}

#[test]
fn both_backends_agree_shard_0() {
    agree_on(0);
}

#[test]
fn both_backends_agree_shard_1() {
    agree_on(1);
}

#[test]
fn both_backends_agree_shard_2() {
    agree_on(2);
}

#[test]
fn both_backends_agree_shard_3() {
    agree_on(3);
}

/// Signatures `shard * SIGNATURES / SHARDS ..` of the 100,000; the first
/// shard pairs every key with every edge hash.
fn agree_on(shard: usize) {
    let edge_keys = [
        small(1),
        small(2),
        order_plus(-2),
        order_plus(-1),
        // ⌊n/2⌋ and ⌊n/2⌋ + 1.
        [
            0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46,
            0x68, 0x1b, 0x20, 0xa0,
        ],
        [
            0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46,
            0x68, 0x1b, 0x20, 0xa1,
        ],
    ];
    let edge_hashes = [
        [0u8; 32],
        small(1),
        order_plus(-1),
        order_plus(0),
        order_plus(1),
        [0xff; 32],
    ];
    let mut stream = Stream(*b"tokensign backend differential 1");
    let mut keys: Vec<Pair> = edge_keys.iter().map(pair).collect();
    while keys.len() < edge_keys.len() + RANDOM_KEYS {
        let secret = stream.next();
        if secret < ORDER && secret != [0; 32] {
            keys.push(pair(&secret));
        }
    }
    // Keys outside the range are refused by both.
    for bad in [[0u8; 32], order_plus(0), order_plus(1), [0xff; 32]] {
        assert_eq!(
            k256::Key::from_bytes(&bad).err(),
            Some(Error::InvalidSecretKey)
        );
        assert_eq!(
            libsecp256k1::Key::from_bytes(&bad).err(),
            Some(Error::InvalidSecretKey)
        );
    }

    stream.0[0] = shard as u8;
    let (mut edge_cases, mut altered_cases, mut refused) = (0usize, 0usize, 0usize);
    let per_shard = SIGNATURES / SHARDS;
    for i in shard * per_shard..(shard + 1) * per_shard {
        let key = &keys[i % keys.len()];
        // The first rounds pair every key with every edge hash.
        let hash = match edge_hashes.get(i / keys.len()) {
            Some(edge) => {
                edge_cases += 1;
                *edge
            }
            None => stream.next(),
        };
        let k = key.k256.sign_hash(&hash).expect("k256 signs");
        let l = key.libsecp.sign_hash(&hash).expect("libsecp256k1 signs");
        assert_eq!(k, l, "signature of {hash:02x?} by key {}", i % keys.len());
        assert_eq!(recover_both(&hash, &k), Ok(key.address));
        if i % 4 == 0 {
            let noise = stream.next();
            let other = altered(&k, i / 4, &noise);
            if recover_both(&hash, &other).is_err() {
                refused += 1;
            }
            altered_cases += 1;
        }
    }
    if shard == 0 {
        assert_eq!(edge_cases, edge_hashes.len() * keys.len());
    }
    assert_eq!(altered_cases, per_shard / 4);
    // Most alterations are malformed (v, range, high-S); the rest recover
    // to other keys, or not at all.
    assert!(refused > altered_cases / 2, "{refused} of {altered_cases}");
}

#[test]
fn spec_vector_with_both_backends() {
    let secret: [u8; 32] = [
        0x01, 0x83, 0x3a, 0x12, 0x6e, 0xc4, 0x5d, 0x01, 0x91, 0x51, 0x97, 0x48, 0x14, 0x6b, 0x9e,
        0x35, 0x64, 0x7a, 0xab, 0x7f, 0xed, 0x28, 0xde, 0x1c, 0x8e, 0x17, 0x82, 0x49, 0x70, 0xf9,
        0x64, 0xa3,
    ];
    let hash: [u8; 32] = [
        0x01, 0x88, 0x2e, 0xb8, 0xbe, 0xe7, 0xe2, 0xd0, 0xd5, 0x53, 0xa0, 0xde, 0xbc, 0x95, 0xf5,
        0xd6, 0x66, 0xd5, 0x5e, 0x48, 0x1b, 0x64, 0xee, 0x9c, 0x61, 0x59, 0xb4, 0xc5, 0x08, 0x31,
        0xb9, 0xf0,
    ];
    let keys = pair(&secret);
    assert_eq!(
        keys.address,
        Address::parse("0x2045a425D0e131E747f8be2F044413733e412d7d").unwrap()
    );
    let sig = keys.libsecp.sign_hash(&hash).unwrap();
    assert_eq!(sig, keys.k256.sign_hash(&hash).unwrap());
    assert_eq!(sig.v, 1);
    assert_eq!(sig.r[..4], [0xdb, 0x47, 0x41, 0xc7]);
    assert_eq!(sig.s[..4], [0x6b, 0xa5, 0x51, 0xad]);
    // The selected backend is libsecp256k1 when both are built.
    assert_eq!(tokensign_core::BACKEND, "libsecp256k1");
    assert_eq!(tokensign_core::recover_hash(&hash, &sig), Ok(keys.address));
}
