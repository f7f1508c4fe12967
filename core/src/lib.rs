//! # tokensign-core
//!
//! A `no_std`, allocation-free signing core for the 1Money Network's
//! fourteen native operations, in both of its signing schemes.
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
pub mod device;
pub mod error;
pub mod field;
pub mod hash;
pub mod hd;
pub mod hex;
pub mod json;
pub mod legacy;
pub mod native;
pub mod recover;
pub mod review;
pub mod rlp;
pub mod scheme;
pub mod signature;
pub mod text;
pub mod tx;

pub use address::Address;
pub use amount::Amount;
pub use error::{Error, Field, JsonError, Location, Problem};
pub use hash::keccak256;
pub use rlp::RlpError;
pub use signature::{
    address_of, address_of_compressed, address_of_uncompressed, is_valid_public_key,
    public_key_of, recover_hash, sign_hash, signing_key_from_bytes, verify_hash, Signature,
};
pub use tx::{OpType, Operation, Transaction};

/// The k256 crate this core signs with, re-exported so callers name the
/// same `SigningKey` type.
pub use k256;
