//! # tokensign-core
//!
//! A `no_std`, allocation-free signing core for the 1Money Network's
//! fourteen native operations, in both signing schemes (legacy v1 and the
//! domain-separated native v2), for hosts and for hardware-wallet firmware.
//!
//! - No heap: no `alloc` anywhere in the dependency graph; every value lives
//!   in a fixed-capacity type whose largest encodings are public constants.
//! - No `unsafe`, and no panic reachable from any input: every failure is an
//!   [`Error`] naming its cause and the field it is about.
//! - Deterministic: no random number source; the caller supplies the key.
//!
//! ## Layers (each only uses the ones above it)
//!
//! | module | what |
//! |---|---|
//! | [`hash`] | keccak256, nothing under it |
//! | [`rlp`], [`hex`] | canonical RLP (header, encode, decode), hex text |
//! | [`address`], [`amount`], [`text`] | addresses (EIP-55), U256 amounts, bounded texts and their character rules |
//! | [`backend`], [`key`], [`signature`], [`recover`], [`hd`] | secp256k1 (k256 or libsecp256k1) over a digest; the signing key; BIP-39/BIP-32 keys |
//! | [`definition`] | signed token definitions: a token's symbol and decimals, from a trusted key |
//! | [`field`] | field kinds and records: one declaration drives RLP, JSON and review |
//! | [`tx`] | the fourteen operations, the memo, the transaction |
//! | [`legacy`], [`native`], [`scheme`] | the two signing schemes |
//! | [`json`], [`review`] | request bodies; what a person sees |
//! | [`device`] | the hardware-wallet protocol |
//!
//! ## Signing a payment (native v2)
//!
//! ```
//! use tokensign_core::tx::{Memo, Payment, Transaction};
//! use tokensign_core::{json, native::NativeTx, signing_key_from_bytes, Address, Amount};
//!
//! # fn main() -> Result<(), tokensign_core::Error> {
//! // The spec's test key (never a real one); `SigningKey` zeroizes on drop.
//! let secret: [u8; 32] = [
//!     0x01, 0x83, 0x3a, 0x12, 0x6e, 0xc4, 0x5d, 0x01, 0x91, 0x51, 0x97, 0x48, 0x14, 0x6b, 0x9e,
//!     0x35, 0x64, 0x7a, 0xab, 0x7f, 0xed, 0x28, 0xde, 0x1c, 0x8e, 0x17, 0x82, 0x49, 0x70, 0xf9,
//!     0x64, 0xa3,
//! ];
//! let key = signing_key_from_bytes(&secret)?;
//!
//! let payment = Payment {
//!     recipient: Address([0x02; 20]),
//!     value: Amount::from_u64(1_000_000_000_000_000_000),
//!     token: Address([0x01; 20]),
//! };
//! let memo = Memo::new("purpose/SALA", "text/plain", "invoice-0001")?;
//! let tx: Transaction = Transaction::new(1_212_101, 1, payment).with_memo(memo);
//!
//! let signed = NativeTx::sign(tx, &key)?; // checked, RFC 6979, low-S
//! assert_eq!(signed.path(), "/v2/transactions/payment");
//!
//! let mut body = [0u8; json::MAX_NATIVE_JSON_LEN]; // sized at compile time
//! let len = json::write_native(&signed, &mut body)?;
//! assert_eq!(json::parse_native(signed.op_type(), &body[..len])?, signed);
//! # Ok(())
//! # }
//! ```
//!
//! The same transaction signs in legacy v1 with
//! [`legacy::LegacyTx::sign`]; a device shows [`review::Review`] first.
//!
//! ## Features
//!
//! - `k256` (default): sign and recover with RustCrypto's pure-Rust `k256`.
//! - `libsecp256k1`: sign and recover with Bitcoin Core's libsecp256k1 (C,
//!   through the `secp256k1` crate; no allocator), in under a quarter of
//!   k256's instructions on a Cortex-M4. Wins if both are enabled. See
//!   [`backend`] for when to choose which and how to give it its context.
//! - `precomputed-tables`: k256's basepoint tables. Faster on hosts; off by
//!   default because on a Cortex-M they cost about 31 KB and a very large
//!   stack frame.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

#[cfg(test)]
#[macro_use]
extern crate std;

pub mod address;
pub mod amount;
pub mod backend;
pub mod definition;
pub mod device;
pub mod error;
pub mod field;
#[cfg(fuzzing)]
pub mod fuzzing;
pub mod hash;
pub mod hd;
pub mod hex;
pub mod json;
pub mod key;
pub mod legacy;
pub mod native;
#[cfg(feature = "k256")]
pub mod recover;
pub mod review;
pub mod rlp;
pub mod scheme;
pub mod signature;
pub mod text;
pub mod tx;

pub use address::Address;
pub use amount::Amount;
pub use backend::BACKEND;
pub use error::{Error, Field, Grammar, JsonError, Location, Problem};
pub use hash::keccak256;
pub use key::SigningKey;
pub use rlp::RlpError;
pub use scheme::Scheme;
#[cfg(feature = "k256")]
pub use signature::address_of;
pub use signature::{
    address_of_compressed, address_of_uncompressed, decompress_public_key, is_valid_public_key,
    recover_hash, sign_hash, signing_key_from_bytes, verify_hash, Signature,
};
pub use tx::{OpType, Operation, Transaction};
