//! The sign request's header: which scheme, which operation, who signs
//! (single signer or a member of a multisig account), and the key's path,
//! before the transaction's RLP.
//!
//! ```text
//! scheme (1: 1 = legacy v1, 2 = native v2)
//! op_type (1: 1..=14)
//! descriptor (1: 0 = single signer, 1 = member of a multisig account, v2 only)
//!   [account (20) when the descriptor is 1]
//! path (1 + 4 * depth: depth, then each index big-endian, hardened bit set)
//! payload: v1 the signed bytes rlp(P) or rlp([P, M]); v2 payload_rlp = rlp([P, M])
//! ```

use core::fmt;

use crate::address::Address;
use crate::error::Error;
use crate::hd::{DerivationPath, PathError};
use crate::native::Descriptor;
use crate::scheme::Scheme;
use crate::tx::OpType;

/// The scheme byte of legacy v1.
pub const SCHEME_LEGACY: u8 = 1;
/// The scheme byte of native v2.
pub const SCHEME_NATIVE: u8 = 2;

/// What a sign request says besides the transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignHeader {
    /// The scheme.
    pub scheme: Scheme,
    /// The operation.
    pub op: OpType,
    /// Single signer, or a member of this multisig account.
    pub descriptor: Descriptor,
    /// The signing key's path.
    pub path: DerivationPath,
}

impl SignHeader {
    /// The digest to sign for the transaction whose RLP, as the request
    /// carries it, is `payload`: v1 keccak of the signed bytes, v2 the
    /// domain-separated envelope around `payload_rlp`. Hashed as sent, not
    /// encoded again: only for a payload the strict decoders accepted
    /// (the canonical encoding of the transaction shown), for which this
    /// is [`Scheme::signing_hash`] of that transaction.
    pub fn signing_hash(&self, payload: &[u8]) -> [u8; 32] {
        match self.scheme {
            Scheme::Legacy => crate::hash::keccak256(payload),
            Scheme::Native => {
                crate::native::signing_hash_of_payload_rlp(self.op, self.descriptor, payload)
            }
        }
    }
}

/// Why a sign request's header was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestError {
    /// The request ends inside its header.
    Truncated,
    /// The scheme byte is neither 1 nor 2.
    UnknownScheme,
    /// The descriptor byte is neither 0 nor 1, or 1 with legacy v1.
    UnknownDescriptor,
    /// The path is malformed or too deep.
    Path(PathError),
    /// The operation is unknown or not in the scheme.
    Core(Error),
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Truncated => f.write_str("sign request ends inside its header"),
            RequestError::UnknownScheme => f.write_str("scheme byte must be 1 (v1) or 2 (v2)"),
            RequestError::UnknownDescriptor => {
                f.write_str("descriptor byte must be 0 (single) or 1 (multisig member, v2 only)")
            }
            RequestError::Path(e) => write!(f, "derivation path: {e}"),
            RequestError::Core(e) => write!(f, "{e}"),
        }
    }
}

impl From<Error> for RequestError {
    fn from(e: Error) -> Self {
        RequestError::Core(e)
    }
}

/// Splits a sign request into its header and the transaction's RLP.
pub fn parse_sign_request(bytes: &[u8]) -> Result<(SignHeader, &[u8]), RequestError> {
    let (&scheme, rest) = bytes.split_first().ok_or(RequestError::Truncated)?;
    let scheme = match scheme {
        SCHEME_LEGACY => Scheme::Legacy,
        SCHEME_NATIVE => Scheme::Native,
        _ => return Err(RequestError::UnknownScheme),
    };
    let (&op, rest) = rest.split_first().ok_or(RequestError::Truncated)?;
    let op =
        OpType::from_number(u64::from(op)).ok_or(RequestError::Core(Error::UnknownOperation))?;
    if scheme == Scheme::Legacy && op.v1_path().is_none() {
        return Err(RequestError::Core(Error::NotInScheme));
    }
    let (&descriptor, rest) = rest.split_first().ok_or(RequestError::Truncated)?;
    let (descriptor, rest) = match (descriptor, scheme) {
        (0, _) => (Descriptor::Single, rest),
        (1, Scheme::Native) => {
            let (account, rest) = rest
                .split_first_chunk::<20>()
                .ok_or(RequestError::Truncated)?;
            (Descriptor::Multisig(Address(*account)), rest)
        }
        _ => return Err(RequestError::UnknownDescriptor),
    };
    let (path, payload) = DerivationPath::split_from_bytes(rest).map_err(RequestError::Path)?;
    Ok((
        SignHeader {
            scheme,
            op,
            descriptor,
            path,
        },
        payload,
    ))
}

/// Writes a sign request's header into `out`, returning its length (the
/// transaction's RLP follows it).
pub fn encode_sign_header(header: &SignHeader, out: &mut [u8]) -> Result<usize, Error> {
    let mut len = 0usize;
    let mut put = |bytes: &[u8]| -> Result<(), Error> {
        let end = len + bytes.len();
        out.get_mut(len..end)
            .ok_or(Error::BufferTooSmall)?
            .copy_from_slice(bytes);
        len = end;
        Ok(())
    };
    let scheme = match header.scheme {
        Scheme::Legacy => SCHEME_LEGACY,
        Scheme::Native => SCHEME_NATIVE,
    };
    put(&[scheme, header.op.number()])?;
    match header.descriptor {
        Descriptor::Single => put(&[0])?,
        Descriptor::Multisig(account) => {
            put(&[1])?;
            put(account.as_bytes())?;
        }
    }
    let mut path = [0u8; crate::hd::MAX_PATH_BYTES];
    let n = header
        .path
        .write_bytes(&mut path)
        .map_err(|_| Error::BufferTooSmall)?;
    put(path.get(..n).unwrap_or(&[]))?;
    Ok(len)
}
