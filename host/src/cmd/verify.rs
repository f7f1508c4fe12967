//! `tokensign verify`: check a signed request body, bare or inside the
//! `{"request": …}` object that `sign --json` and `issue --json` print.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use tokensign_core::{json as core_json, Address, SignedRequest};

use super::common::{read_json_input, write_out};
use super::exit::CliError;
use super::review::field_lines;
use super::Io;
use crate::input::{describe_core_error, request_body, Document, WrapperClaims};
use crate::text::{hex0x, parse_hex32, sanitize};

/// `tokensign verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Signed request body, or the `sign --json` / `issue --json` output
    /// holding it under "request"; a file, or - for stdin (the default).
    #[arg(value_name = "FILE|-", default_value = "-")]
    pub file: PathBuf,
}

/// Runs `verify`.
pub fn run(args: &VerifyArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let input = read_json_input(&args.file, io.input, "the request")?;
    let (body, claims) = request_body(&input);
    let request = core_json::parse_request(&body).map_err(|e| {
        CliError::bad_input(format!(
            "invalid request body: {}",
            describe_core_error(e, &body, Document::Request)
        ))
    })?;
    let signer = crate::recovery::recover_signer(&request)
        .map_err(|e| CliError::bad_input(format!("invalid signature: {e}")))?;
    if let Some(claims) = &claims {
        check_claims(claims, &request, &signer)?;
    }
    let p = &request.payload;
    if json_mode {
        let obj = json!({
            "valid": true,
            "signer": signer.to_string(),
            "signing_hash": hex0x(&request.signing_hash()),
            "tx_hash": hex0x(&request.tx_hash()),
            "token": p.token_address().to_string(),
            "chain_id": p.chain_id(),
            "nonce": p.nonce(),
            "symbol": p.symbol(),
            "name": p.name(),
            "decimals": p.decimals(),
            "master_authority": p.master_authority().to_string(),
            "is_private": p.is_private(),
            "clawback_enabled": p.clawback_enabled(),
            "wrapped": claims.is_some(),
        });
        return write_out(io.out, &format!("{obj}\n"));
    }
    let clawback = p
        .clawback_enabled()
        .map_or("(not sent: seven-field form)".to_owned(), |c| c.to_string());
    let wrapped = if claims.is_some() {
        "  (read from the \"request\" member; the object's signer, hashes and token match)\n"
    } else {
        ""
    };
    write_out(
        io.out,
        &format!(
            "Valid signature.\n{wrapped}  \
             signer            {signer}\n  \
             signing hash      {}\n  \
             transaction hash  {}\n  \
             token             {}\n{}",
            hex0x(&request.signing_hash()),
            hex0x(&request.tx_hash()),
            p.token_address(),
            field_lines(p, &clawback),
        ),
    )
}

/// The wrapper's `signer`, `signing_hash`, `tx_hash` and `token`, where
/// present, must be the request's own.
fn check_claims(
    claims: &WrapperClaims,
    request: &SignedRequest,
    signer: &Address,
) -> Result<(), CliError> {
    let address_ok = |claim: &Option<String>, actual: &Address| {
        claim
            .as_deref()
            .is_none_or(|c| Address::parse(c).is_ok_and(|a| a == *actual))
    };
    let hash_ok = |claim: &Option<String>, actual: [u8; 32]| {
        claim
            .as_deref()
            .is_none_or(|c| parse_hex32(c) == Some(actual))
    };
    let checks = [
        (
            "signer",
            address_ok(&claims.signer, signer),
            &claims.signer,
            signer.to_string(),
        ),
        (
            "signing_hash",
            hash_ok(&claims.signing_hash, request.signing_hash()),
            &claims.signing_hash,
            hex0x(&request.signing_hash()),
        ),
        (
            "tx_hash",
            hash_ok(&claims.tx_hash, request.tx_hash()),
            &claims.tx_hash,
            hex0x(&request.tx_hash()),
        ),
        (
            "token",
            address_ok(&claims.token, &request.payload.token_address()),
            &claims.token,
            request.payload.token_address().to_string(),
        ),
    ];
    for (name, ok, claim, actual) in checks {
        if !ok {
            return Err(CliError::bad_input(format!(
                "the object's \"{name}\" is {} but its request gives {actual}: the object was \
                 altered or assembled from different requests; do not send it",
                sanitize(claim.as_deref().unwrap_or_default())
            )));
        }
    }
    Ok(())
}
