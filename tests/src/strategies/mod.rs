//! proptest generators.
//!
//! Valid values ([`ops`], [`text`]): every operation and transaction, each
//! field within its rules and biased to its limits (longest texts in bytes,
//! 0, 1 and 2^256-1 amounts, RLP integer boundaries, empty and full lists
//! up to the capacity or a small bound, optional fields absent and present,
//! memo absent, empty and populated). Every generated transaction passes
//! `Transaction::check`, and the tests assert so.
//!
//! Arbitrary inputs ([`mutations`], [`signature`], …): any bytes, valid
//! encodings with bytes flipped, inserted and deleted, any signature value.

pub mod ops;
pub mod text;

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::select;
use tokensign_core::SigningKey;
use tokensign_core::{keccak256, signing_key_from_bytes, Address, Amount, Signature};

pub use ops::{
    authorization, b256, create_multisig, legacy_ops, legacy_transaction, memo, operation,
    transaction, transaction_for, LIST_MAX,
};

/// Integers at the RLP boundaries (0, 0x7f, 0x80, 0xff, 0x100, each byte
/// width), the schema's maximum and the two chains.
pub const EDGE_INTS: &[u64] = &[
    0,
    1,
    127,
    128,
    255,
    256,
    0xffff,
    0x1_0000,
    0xff_ffff,
    0x100_0000,
    0xffff_ffff,
    0x1_0000_0000,
    0xff_ffff_ffff_ffff,
    0x100_0000_0000_0000,
    i64::MAX as u64 - 1,
    i64::MAX as u64,
    21210,
    1_212_101,
];

/// A chain id or nonce: 0..=i64::MAX, biased to [`EDGE_INTS`].
pub fn int() -> impl Strategy<Value = u64> + Clone {
    prop_oneof![
        1 => select(EDGE_INTS),
        1 => 0..=(i64::MAX as u64),
        1 => 0u64..=300,
    ]
}

/// Any u64, biased to the boundaries (fields without a range: `created_at`,
/// the bridges' chain ids).
pub fn any_u64() -> impl Strategy<Value = u64> + Clone {
    prop_oneof![
        1 => select(EDGE_INTS),
        1 => Just(u64::MAX),
        2 => any::<u64>(),
        1 => 0u64..=300,
    ]
}

/// An address: random, zero, or all 0xff.
pub fn address() -> impl Strategy<Value = Address> + Clone {
    prop_oneof![
        3 => any::<[u8; 20]>().prop_map(Address),
        1 => Just(Address::ZERO),
        1 => Just(Address([0xff; 20])),
    ]
}

/// A non-zero address.
pub fn nonzero_address() -> impl Strategy<Value = Address> + Clone {
    address().prop_map(|a| if a.is_zero() { Address([0x01; 20]) } else { a })
}

/// Amounts at the edges: 0, 1, 2^64±1, 2^128, 2^255, 2^256-1 and its
/// neighbour.
fn edge_amounts() -> Vec<Amount> {
    let pow2 = |bit: usize| {
        let mut b = [0u8; 32];
        b[31 - bit / 8] = 1 << (bit % 8);
        Amount::from_be_bytes(b)
    };
    let mut almost = [0xff; 32];
    almost[31] = 0xfe;
    vec![
        Amount::ZERO,
        Amount::from_u64(1),
        Amount::from_u64(u64::MAX),
        pow2(64),
        pow2(128),
        pow2(255),
        Amount::MAX,
        Amount::from_be_bytes(almost),
        Amount::from_u64(1_000_000_000_000_000_000),
    ]
}

/// Any U256 amount, biased to the edges and to short values.
pub fn amount() -> impl Strategy<Value = Amount> + Clone {
    prop_oneof![
        2 => select(edge_amounts()),
        2 => any::<u64>().prop_map(Amount::from_u64),
        1 => any::<u128>().prop_map(Amount::from_u128),
        2 => any::<[u8; 32]>().prop_map(Amount::from_be_bytes),
    ]
}

/// A non-zero amount.
pub fn nonzero_amount() -> impl Strategy<Value = Amount> + Clone {
    amount().prop_map(|a| if a.is_zero() { Amount::from_u64(1) } else { a })
}

/// A 32-byte scalar with 0..=3 leading zero bytes (transaction hashes drop
/// them), or random.
pub fn scalar_bytes() -> impl Strategy<Value = [u8; 32]> + Clone {
    (
        any::<[u8; 32]>(),
        prop_oneof![3 => Just(0usize), 1 => 1usize..=3, 1 => Just(32)],
    )
        .prop_map(|(mut b, zeros)| {
            b[..zeros].fill(0);
            b
        })
}

/// Any signature value (not necessarily valid: high S, zero scalars): the
/// hashes, encoders and JSON writers must handle them all.
pub fn signature() -> impl Strategy<Value = Signature> + Clone {
    (scalar_bytes(), scalar_bytes(), 0u8..=1).prop_map(|(r, s, v)| Signature { r, s, v })
}

/// A valid secret key (RFC 6979 over it must work).
pub fn secret_key() -> impl Strategy<Value = [u8; 32]> + Clone {
    any::<[u8; 32]>().prop_filter("valid secp256k1 scalar", |b| {
        tokensign_core::signing_key_from_bytes(b).is_ok()
    })
}

/// One key of [`pool`].
#[derive(Clone, Debug)]
pub struct PoolKey {
    /// The secret scalar.
    pub secret: [u8; 32],
    /// Its 33-byte compressed public key.
    pub public: [u8; 33],
    /// Its address.
    pub address: Address,
}

impl PoolKey {
    /// The signing key.
    pub fn key(&self) -> SigningKey {
        signing_key_from_bytes(&self.secret).expect("pool keys are valid")
    }
}

/// How many keys [`pool`] holds: more than a multisig account's 20 members.
pub const POOL_SIZE: usize = 24;

/// Fixed keys (secret = keccak256 of one byte), computed once: multisig
/// members and CreateMultiSig signers are drawn from these, which keeps the
/// generators from deriving public keys in every case.
pub fn pool() -> &'static [PoolKey] {
    static POOL: OnceLock<Vec<PoolKey>> = OnceLock::new();
    POOL.get_or_init(|| {
        (0..POOL_SIZE as u8)
            .map(|i| {
                let secret = keccak256(&[b'k', i]);
                let key =
                    signing_key_from_bytes(&secret).expect("a keccak output is a valid scalar");
                PoolKey {
                    secret,
                    public: key.public_key_compressed(),
                    address: key.address(),
                }
            })
            .collect()
    })
}

/// `min..=max` distinct keys of [`pool`], in random order.
pub fn pool_keys(min: usize, max: usize) -> impl Strategy<Value = Vec<PoolKey>> + Clone {
    proptest::sample::subsequence((0..POOL_SIZE).collect::<Vec<_>>(), min..=max)
        .prop_shuffle()
        .prop_map(|idx| idx.into_iter().map(|i| pool()[i].clone()).collect())
}

/// One edit of a byte string.
#[derive(Clone, Debug)]
pub enum Mutation {
    /// XOR the byte at (index mod len) with a non-zero mask.
    Flip(usize, u8),
    /// Insert a byte at (index mod (len + 1)).
    Insert(usize, u8),
    /// Delete the byte at (index mod len).
    Delete(usize),
    /// Keep only the first (index mod (len + 1)) bytes.
    Truncate(usize),
}

/// 1..=4 edits.
pub fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    let one = prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(i, m)| Mutation::Flip(i, m)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Truncate),
    ];
    proptest::collection::vec(one, 1..=4)
}

/// Applies the edits in order.
pub fn mutate(bytes: &[u8], edits: &[Mutation]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for edit in edits {
        match *edit {
            Mutation::Flip(i, m) if !out.is_empty() => {
                let at = i % out.len();
                out[at] ^= m;
            }
            Mutation::Insert(i, b) => out.insert(i % (out.len() + 1), b),
            Mutation::Delete(i) if !out.is_empty() => {
                out.remove(i % out.len());
            }
            Mutation::Truncate(i) => out.truncate(i % (out.len() + 1)),
            _ => {}
        }
    }
    out
}
