//! `tokensign verify`: check a signed request body, bare or inside the
//! `{"request": …}` object that `sign --json` and `issue --json` print.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use tokensign_core::legacy::LegacyTx;
use tokensign_core::tx::OpType;
use tokensign_core::{json as core_json, Address};

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
    let request: LegacyTx = core_json::parse_legacy(OpType::TokenIssue, &body).map_err(|e| {
        CliError::bad_input(format!(
            "invalid request body: {}",
            describe_core_error(e, Document::Request)
        ))
    })?;
    let hashes = request
        .signing_hash()
        .and_then(|s| request.tx_hash().map(|t| (s, t)));
    let (signing_hash, tx_hash) =
        hashes.map_err(|e| CliError::bad_input(format!("invalid request body: {e}")))?;
    let signer = crate::recovery::recover_hash(&signing_hash, &request.signature)
        .map_err(|e| CliError::bad_input(format!("invalid signature: {e}")))?;
    let issue = super::issue::issue_of(&request.tx)
        .ok_or_else(|| CliError::bad_input("not a token issue"))?;
    let token = issue.token_address();
    if let Some(claims) = &claims {
        check_claims(claims, (signing_hash, tx_hash, token), &signer)?;
    }
    let p = &request.tx;
    if json_mode {
        let obj = json!({
            "valid": true,
            "signer": signer.to_string(),
            "signing_hash": hex0x(&signing_hash),
            "tx_hash": hex0x(&tx_hash),
            "token": token.to_string(),
            "chain_id": p.chain_id,
            "nonce": p.nonce,
            "symbol": issue.symbol.as_str(),
            "name": issue.name.as_str(),
            "decimals": issue.decimals,
            "master_authority": issue.master_authority.to_string(),
            "is_private": issue.is_private,
            "clawback_enabled": issue.clawback_enabled,
            "wrapped": claims.is_some(),
        });
        return write_out(io.out, &format!("{obj}\n"));
    }
    let clawback = issue
        .clawback_enabled
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
            hex0x(&signing_hash),
            hex0x(&tx_hash),
            token,
            field_lines(p, &clawback),
        ),
    )
}

/// The wrapper's `signer`, `signing_hash`, `tx_hash` and `token`, where
/// present, must be the request's own.
fn check_claims(
    claims: &WrapperClaims,
    (signing_hash, tx_hash, token): ([u8; 32], [u8; 32], Address),
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
            hash_ok(&claims.signing_hash, signing_hash),
            &claims.signing_hash,
            hex0x(&signing_hash),
        ),
        (
            "tx_hash",
            hash_ok(&claims.tx_hash, tx_hash),
            &claims.tx_hash,
            hex0x(&tx_hash),
        ),
        (
            "token",
            address_ok(&claims.token, &token),
            &claims.token,
            token.to_string(),
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
