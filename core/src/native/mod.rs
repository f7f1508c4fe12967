//! Native v2, the domain-separated scheme: all fourteen operations on
//! `/v2`, single-signer and multisig authorization.
//!
//! ```text
//! payload_rlp  = rlp([P, M])                                   (memo always present)
//! unsigned     = rlp([DOMAIN, op_type, descriptor, payload_rlp])   (payload_rlp as ONE byte string)
//! signing_hash = keccak(unsigned)
//! signed       = rlp([DOMAIN, op_type, descriptor, payload_rlp, proof])
//! tx_hash      = keccak(signed)
//! ```
//!
//! The descriptor is `[0]` for a single signer and `[1, account]` for a
//! multisig account; the proof is `[r, s, v]` (integers: a leading zero
//! byte of `r` or `s` is dropped) or, for a multisig, one
//! `[pubkey, r, s, v]` per signing member in strictly ascending order of
//! the 33-byte compressed key. A v2 TokenIssue always signs eight fields:
//! an absent `clawback_enabled` is signed as `true`, the node's default.

mod authorization;
mod envelope;
mod signed;

pub use authorization::{
    Authorization, Descriptor, MemberSignature, Proof, KIND_MULTISIG, KIND_SINGLE,
};
pub use envelope::{
    decode_payload_rlp, decode_payload_rlp_into, decode_signed, decode_unsigned,
    max_payload_rlp_len, max_signed_rlp_len, payload_rlp, signed, signing_hash,
    signing_hash_of_payload_rlp, tx_hash, unsigned, PayloadRlp,
};
pub use signed::{normalize, normalize_in_place, sign_as_member, NativeTx};

/// The domain tag, signed first: ASCII `1money.native.transaction.v2`.
pub const DOMAIN: &[u8; 28] = b"1money.native.transaction.v2";
