//! # tokensign-core
//!
//! A `no_std`, allocation-free signing core for 1Money Network token-issue
//! requests (`POST /v1/tokens/issue`). It validates a [`TokenIssuePayload`],
//! encodes it as canonical RLP, signs its keccak256 hash with secp256k1
//! (RFC 6979, low-S), and reads and writes the request JSON, all in fixed
//! buffers whose sizes are public constants.
//!
//! - No heap: no `alloc` anywhere in the dependency graph.
//! - No `unsafe`, and no panic reachable from any input: every failure is an
//!   [`Error`] naming its cause.
//! - Deterministic: no random number source; the caller supplies the key.
//!
//! ## Firmware-style use
//!
//! Fixed buffers in, signed request JSON out:
//!
//! ```
//! use tokensign_core::{json, signing_key_from_bytes, SignedRequest, MAX_REQUEST_JSON_LEN};
//!
//! # fn main() -> Result<(), tokensign_core::Error> {
//! // Bytes received from the host, e.g. over a UART into a static buffer.
//! let payload_json = br#"{"chain_id":1212101,"nonce":2,"symbol":"TEST",
//!     "name":"TEST Stablecoin","decimals":18,
//!     "master_authority":"0x0000000000000000000000000000000000000000",
//!     "is_private":false,"clawback_enabled":true}"#;
//!
//! // The device key, from secure storage. `SigningKey` zeroizes on drop.
//! let secret: [u8; 32] = [
//!     0x01, 0x83, 0x3a, 0x12, 0x6e, 0xc4, 0x5d, 0x01, 0x91, 0x51, 0x97, 0x48, 0x14, 0x6b, 0x9e,
//!     0x35, 0x64, 0x7a, 0xab, 0x7f, 0xed, 0x28, 0xde, 0x1c, 0x8e, 0x17, 0x82, 0x49, 0x70, 0xf9,
//!     0x64, 0xa3,
//! ];
//! let key = signing_key_from_bytes(&secret)?;
//!
//! let payload = json::parse_payload(payload_json)?; // validated
//! let request = SignedRequest::sign(payload, &key)?;
//!
//! let mut out = [0u8; MAX_REQUEST_JSON_LEN]; // sized at compile time
//! let len = json::write_request(&request, &mut out)?;
//! let body = &out[..len]; // send this to the host
//!
//! assert_eq!(request.signature.v, 1);
//! assert!(body.starts_with(b"{\"chain_id\":1212101,"));
//! assert_eq!(json::parse_request(body)?, request);
//! # Ok(())
//! # }
//! ```
//!
//! ## What is signed
//!
//! The RLP list `[chain_id, nonce, symbol, name, decimals,
//! master_authority, is_private]`, plus `clawback_enabled` when the payload
//! carries it (the eight-field form). See [`encode`].
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
pub mod backend;
pub mod device;
pub mod encode;
pub mod error;
pub mod hd;
pub mod json;
pub mod key;
pub mod payload;
#[cfg(feature = "k256")]
pub mod recover;
pub mod review;
pub mod signature;

pub use address::Address;
pub use backend::BACKEND;
pub use encode::{
    decode_rlp, encode_rlp, keccak256, rlp_len, signing_hash, token_address, tx_hash, MAX_RLP_LEN,
    MAX_TX_RLP_LEN,
};
pub use error::{Error, Field, JsonError, RlpError};
pub use json::{
    parse_payload, parse_request, write_payload, write_request, MAX_JSON_INPUT_LEN,
    MAX_PAYLOAD_JSON_LEN, MAX_REQUEST_JSON_LEN,
};
pub use key::SigningKey;
pub use payload::{
    PayloadFields, TokenIssuePayload, CHAIN_ID_MAINNET, CHAIN_ID_TESTNET, MAX_CHAIN_ID,
    MAX_DECIMALS, MAX_NAME_LEN, MAX_NONCE, MAX_SYMBOL_LEN,
};
#[cfg(feature = "k256")]
pub use signature::address_of;
pub use signature::{
    address_of_uncompressed, recover, recover_hash, sign, sign_hash, signing_key_from_bytes,
    verify, Signature, SignedRequest,
};
