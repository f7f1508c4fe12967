//! Reading a signed request body back: which operation it is and who sent
//! it. What `verify` checks and `submit` sends.
//!
//! A request body does not name its operation (the path does). It is
//! taken from the caller (`--operation`, or the `"operation"` of the
//! `{"request": …}` object `sign --json` prints), else from the fields:
//! the operations whose fields the body has. Two pairs share their fields
//! (Payment/TokenMint, TokenBlacklist/TokenWhitelist): in v1 they sign the
//! same bytes (spec 8.1), so either reading gives the same signer; in v2
//! the operation is signed, and the expected signer decides.

use tokensign_core::json::{parse_legacy, parse_native};
use tokensign_core::tx::OpType;
use tokensign_core::{Address, Error as CoreError};

use super::SignedRequest;

/// A request read from a body, and who sent it (or why that cannot be
/// told: the signature does not recover).
#[derive(Clone, Debug)]
pub struct Reading {
    /// The request.
    pub request: SignedRequest,
    /// The recovered signer, or the multisig account with every member's
    /// signature checked.
    pub sender: Result<Address, CoreError>,
    /// Other operations the same signed bytes are equally valid as (v1's
    /// shared layouts, spec 8.1); empty when the reading is the only one.
    pub also_valid_as: Vec<&'static str>,
}

/// Why a body could not be read as one request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Not JSON at all.
    #[error("not JSON ({0})")]
    NotJson(String),
    /// The core refused the body as the operation named (or the only one
    /// its fields suggest).
    #[error("{0}")]
    Invalid(CoreError),
    /// The fields are those of no operation, or a value is invalid.
    #[error(
        "its fields are those of no operation (spec 2.2), or a value is invalid; name the \
         operation to see what is wrong with it"
    )]
    NoOperation,
    /// The fields fit several operations that sign different bytes, and
    /// nothing says which one it is.
    #[error("the body's fields fit {}", .0.join(" and "))]
    Ambiguous(Vec<&'static str>),
    /// The fields fit several operations, and the expected signer signed
    /// none of them.
    #[error("the request is not signed by {expected} as any operation its fields fit ({})", .names.join(", "))]
    NotSignedBy {
        /// The expected signer.
        expected: Address,
        /// The operations the fields fit.
        names: Vec<&'static str>,
    },
}

fn parse(op: OpType, body: &[u8], native: bool) -> Result<SignedRequest, CoreError> {
    if native {
        parse_native(op, body).map(SignedRequest::Native)
    } else {
        parse_legacy(op, body).map(SignedRequest::Legacy)
    }
}

/// Who sent a request: the host's recovery backend for a single v1
/// signature, the core for v2 (which checks every multisig member).
pub fn sender_of(request: &SignedRequest) -> Result<Address, CoreError> {
    match request {
        SignedRequest::Legacy(r) => crate::curve::recover_hash(&r.signing_hash()?, &r.signature),
        SignedRequest::Native(_) => request.sender(),
    }
}

/// Reads `body` as the operation `named`, else as the operation its
/// fields fit; with several, the one `expect` signed.
pub fn read_request(
    body: &[u8],
    named: Option<OpType>,
    expect: Option<Address>,
) -> Result<Reading, ReadError> {
    let top: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ReadError::NotJson(crate::show::sanitize(&e.to_string())))?;
    let native = top.get("authorization").is_some();
    let reading = |request: SignedRequest, also_valid_as| Reading {
        sender: sender_of(&request),
        request,
        also_valid_as,
    };
    if let Some(op) = named {
        let request = parse(op, body, native).map_err(ReadError::Invalid)?;
        return Ok(reading(request, Vec::new()));
    }
    let mut found: Vec<Reading> = OpType::ALL
        .iter()
        .filter_map(|op| parse(*op, body, native).ok())
        .map(|r| reading(r, Vec::new()))
        .collect();
    match found.len() {
        0 if top.get("symbol").is_some() => Err(ReadError::Invalid(
            parse(OpType::TokenIssue, body, native)
                .err()
                .unwrap_or(CoreError::UnknownOperation),
        )),
        0 => Err(ReadError::NoOperation),
        1 => Ok(found.remove(0)),
        _ => {
            let names: Vec<&'static str> =
                found.iter().map(|r| r.request.op_type().name()).collect();
            let same = found.windows(2).all(|w| w[0].sender == w[1].sender);
            if same {
                // v1: the same bytes are signed for each reading (spec
                // 8.1): the signature is valid for every one of them.
                let mut first = found.remove(0);
                first.also_valid_as = names.into_iter().skip(1).collect();
                return Ok(first);
            }
            match expect {
                Some(want) => match found.iter().position(|r| r.sender.as_ref() == Ok(&want)) {
                    Some(i) => Ok(found.remove(i)),
                    None => Err(ReadError::NotSignedBy {
                        expected: want,
                        names,
                    }),
                },
                None => Err(ReadError::Ambiguous(names)),
            }
        }
    }
}
