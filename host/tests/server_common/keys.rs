//! Fixed test keys and the addresses the tests use.

use serde_json::{json, Value};
use tokensign_core::{Address, SigningKey};

/// A fixed test key: the secret is 32 copies of `byte` (non-zero).
pub fn key(byte: u8) -> SigningKey {
    tokensign_fixtures::repeated_byte_key(byte)
}

/// Two members of weight 1 (keys 0x61 and 0x62), as a CreateMultiSig
/// body's `signers`.
pub fn two_signers() -> Value {
    let mut keys: Vec<[u8; 33]> = [key(0x61), key(0x62)]
        .iter()
        .map(|k| k.public_key_compressed())
        .collect();
    keys.sort();
    json!([{"public_key": keys[0].to_vec(), "weight": 1},
           {"public_key": keys[1].to_vec(), "weight": 1}])
}

/// The address of a key.
pub fn addr(key: &SigningKey) -> Address {
    key.address()
}

/// Operator keys used by most tests.
pub fn operator() -> SigningKey {
    key(0x11)
}
pub fn operator2() -> SigningKey {
    key(0x22)
}
pub fn outsider() -> SigningKey {
    key(0x33)
}

/// The master authority used by tests.
pub fn master() -> Address {
    tokensign_fixtures::spec_address()
}

/// An address nobody has the key of (20 copies of `byte`).
pub fn keyless(byte: u8) -> Address {
    Address([byte; 20])
}
