//! `tokensign verify`: check any signed request body, v1 or v2, of any
//! operation, bare or inside the `{"request": …}` object that `sign
//! --json` and the write commands print, or one member's partial
//! signature file; print its signer (or multisig account, or member) and
//! the core's review of what it signs, every field (with `--definition`,
//! amounts in whole tokens); with `--expect-signer` fail when it is
//! someone else. Offline: nothing is asked of a server.
//!
//! A request body does not name its operation (the path does). It is
//! taken from `--operation`, else from the wrapper's `"operation"`, else
//! from the fields: the operations whose fields the body has. Two pairs
//! share their fields (Payment/TokenMint, TokenBlacklist/TokenWhitelist):
//! in v1 they sign the same bytes (spec 8.1), so either reading gives the
//! same signer; in v2 the operation is signed, and `--expect-signer` or
//! `--operation` decides.

use std::path::PathBuf;

use clap::Args;
use serde_json::{json, Value};
use tokensign_core::json::{write_document, MAX_DOCUMENT_JSON_LEN};
use tokensign_core::native::Authorization;
use tokensign_core::tx::OpType;
use tokensign_core::{Address, Error as CoreError};

use super::common::{named_operation, parse_address, read_json_input, write_out};
use super::exit::CliError;
use super::multisig::partial_label;
use super::review::{
    request_descriptor, review_json, review_lines, review_text, unit_json, ReviewArgs,
    ReviewContext,
};
use super::Io;
use crate::input::{describe_core_error, request_body, Document};
use crate::show::hex0x;
use crate::signer::partial::{Partial, PARTIAL_FORMAT};
use crate::signer::{read_request, scheme_label, ReadError, SignedRequest};

/// `tokensign verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Signed request body, or the `--json` output holding it under
    /// "request"; a file, or - for stdin (the default).
    #[arg(value_name = "FILE|-", default_value = "-")]
    pub file: PathBuf,
    /// The operation (spec name, e.g. Payment), when the body's fields fit
    /// more than one.
    #[arg(long, value_name = "NAME")]
    pub operation: Option<String>,
    /// Exit non-zero (2) unless the request is signed by (or, for a
    /// multisig request, sent from) this address.
    #[arg(long, value_name = "ADDRESS")]
    pub expect_signer: Option<String>,
    /// Token definitions and their trusted signers.
    #[command(flatten)]
    pub review: ReviewArgs,
}

/// One reading of the body: the request and who sent it (or why not).
type Reading = (SignedRequest, Result<Address, CoreError>);

/// The reading taken, and the other operations the same signed bytes are
/// equally valid as (v1's shared layouts, spec 8.1).
type Chosen = (Reading, Vec<&'static str>);

/// The readings of `body` as the operation(s) it can be
/// ([`crate::signer::read_request`]).
fn readings(
    body: &[u8],
    named: Option<OpType>,
    expect: Option<Address>,
) -> Result<Chosen, CliError> {
    let reading = read_request(body, named, expect).map_err(|e| match e {
        ReadError::NotJson(why) => CliError::bad_input(format!(
            "invalid request body: not JSON ({why}); give the body a write command or `sign` \
             printed"
        )),
        ReadError::Invalid(e) => CliError::bad_input(format!(
            "invalid request body: {}",
            describe_core_error(e, Document::Request)
        )),
        ReadError::NoOperation => CliError::bad_input(
            "invalid request body: its fields are those of no operation (spec 2.2), or a value \
             is invalid; give --operation NAME to see what is wrong with it",
        ),
        ReadError::Ambiguous(names) => CliError::bad_input(format!(
            "the body's fields fit {}: give --operation NAME (or --expect-signer ADDRESS)",
            names.join(" and ")
        )),
        e @ ReadError::NotSignedBy { .. } => CliError::bad_input(format!("{e}: do not send it")),
    })?;
    Ok(((reading.request, reading.sender), reading.also_valid_as))
}

/// Whether `input` is a partial signature file (its `format`).
fn is_partial(input: &[u8]) -> bool {
    serde_json::from_slice::<Value>(input)
        .ok()
        .is_some_and(|v| v.get("format").and_then(Value::as_str) == Some(PARTIAL_FORMAT))
}

/// Runs `verify`.
pub fn run(args: &VerifyArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let context = ReviewContext::from_args(&args.review)?;
    let input = read_json_input(&args.file, io.input, "the request")?;
    if is_partial(&input) {
        return verify_partial(args, &input, &context, json_mode, io);
    }
    let (body, claims) = request_body(&input);
    let expect = args
        .expect_signer
        .as_deref()
        .map(|a| parse_address("--expect-signer", a))
        .transpose()?;
    let named = named_operation(
        args.operation.as_deref(),
        claims.as_ref().and_then(|c| c.operation.as_deref()),
    )?;
    let ((request, who), also) = readings(&body, named, expect)?;
    let signer = who.map_err(|e| CliError::bad_input(format!("invalid signature: {e}")))?;
    let signing_hash = request.signing_hash()?;
    let tx_hash = request.tx_hash()?;
    let token = request.token();
    if let Some(claims) = &claims {
        claims
            .check(signing_hash, tx_hash, token, &signer)
            .map_err(|e| CliError::bad_input(e.to_string()))?;
    }
    if let Some(want) = expect {
        if want != signer {
            return Err(CliError::bad_input(format!(
                "the request is signed by {signer}, not by the expected {want}: do not send it"
            )));
        }
    }
    let multisig = match &request {
        SignedRequest::Native(n) => match &n.authorization {
            Authorization::Multisig { signatures, .. } => Some(signatures.len()),
            Authorization::Single(_) => None,
        },
        SignedRequest::Legacy(_) => None,
    };
    let tx = request.transaction();
    let resolved = context.resolve(tx, None)?;
    let lines = review_lines(
        tx,
        request.scheme(),
        request_descriptor(&request),
        &resolved,
    )?;
    if json_mode {
        let mut buf = vec![0u8; MAX_DOCUMENT_JSON_LEN];
        let document: Value = write_document(tx, &mut buf)
            .ok()
            .and_then(|n| serde_json::from_slice(buf.get(..n).unwrap_or_default()).ok())
            .unwrap_or(Value::Null);
        let mut obj = json!({
            "valid": true,
            "kind": "request",
            "operation": request.op_type().name(),
            "scheme": scheme_label(request.scheme()),
            "path": request.path(),
            "signer": signer.to_string(),
            "signing_hash": hex0x(&signing_hash),
            "tx_hash": hex0x(&tx_hash),
            "chain_id": tx.chain_id,
            "nonce": tx.nonce,
            "wrapped": claims.is_some(),
            "transaction": document,
            "review": review_json(&lines),
            "token_unit": unit_json(&resolved),
        });
        if let Some(token) = token {
            obj["token"] = json!(token.to_string());
        }
        if let Some(members) = multisig {
            obj["multisig_members"] = json!(members);
        }
        if !also.is_empty() {
            obj["also_valid_as"] = json!(also);
        }
        if let Some(issue) = super::ops::issue::issue_of(tx) {
            obj["symbol"] = json!(issue.symbol.as_str());
            obj["name"] = json!(issue.name.as_str());
            obj["decimals"] = json!(issue.decimals);
            obj["master_authority"] = json!(issue.master_authority.to_string());
            obj["is_private"] = json!(issue.is_private);
            obj["clawback_enabled"] = json!(issue.clawback_enabled);
        }
        return write_out(io.out, &format!("{obj}\n"));
    }
    let wrapped = if claims.is_some() {
        "  (read from the \"request\" member; the object's signer, hashes and token match)\n"
    } else {
        ""
    };
    let who = match multisig {
        Some(n) => format!("account           {signer} (multisig; {n} member signatures checked)"),
        None => format!("signer            {signer}"),
    };
    let also_line = if also.is_empty() {
        String::new()
    } else {
        format!(
            "  (the same signed bytes are also a valid {}: v1 does not sign the operation, \
             spec 8.1; give --operation to choose)\n",
            also.join(", ")
        )
    };
    let token_line = token
        .map(|t| format!("  token             {t}\n"))
        .unwrap_or_default();
    write_out(
        io.out,
        &format!(
            "Valid signature.\n{wrapped}  \
             operation         {} ({}, POST {})\n{also_line}  \
             {who}\n  \
             signing hash      {}\n  \
             transaction hash  {}\n{token_line}{}",
            request.op_type().name(),
            scheme_label(request.scheme()),
            request.path(),
            hex0x(&signing_hash),
            hex0x(&tx_hash),
            review_text("signed", tx, request.scheme(), &lines, &resolved),
        ),
    )
}

/// `verify` of one member's partial signature file: the file checked
/// against its transaction and its member's key (errors name the file and
/// the member), then the member, the account and the review of what the
/// member signed.
fn verify_partial(
    args: &VerifyArgs,
    input: &[u8],
    context: &ReviewContext,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let label = partial_label(&args.file, input);
    let (tx, account, member) =
        Partial::check(input, &label).map_err(|e| CliError::bad_input(e.to_string()))?;
    let signer = tokensign_core::address_of_compressed(&member.signer_pubkey).ok_or_else(|| {
        CliError::bad_input(format!("{label}: its public key is not a secp256k1 point"))
    })?;
    if let Some(want) = args.expect_signer.as_deref() {
        let want = parse_address("--expect-signer", want)?;
        if want != signer && want != account {
            return Err(CliError::bad_input(format!(
                "{label} is signed by member {signer} of account {account}, not by the expected \
                 {want}: do not combine it"
            )));
        }
    }
    let descriptor = tokensign_core::native::Descriptor::Multisig(account);
    let signing_hash = tokensign_core::native::signing_hash(&tx, descriptor);
    let resolved = context.resolve(&tx, None)?;
    let lines = review_lines(&tx, tokensign_core::Scheme::Native, descriptor, &resolved)?;
    if json_mode {
        let obj = json!({
            "valid": true,
            "kind": "partial",
            "operation": tx.op_type().name(),
            "scheme": "v2",
            "account": account.to_string(),
            "member": signer.to_string(),
            "member_pubkey": hex0x(&member.signer_pubkey),
            "signing_hash": hex0x(&signing_hash),
            "chain_id": tx.chain_id,
            "nonce": tx.nonce,
            "review": review_json(&lines),
            "token_unit": unit_json(&resolved),
        });
        return write_out(io.out, &format!("{obj}\n"));
    }
    write_out(
        io.out,
        &format!(
            "Valid partial signature (one member of a multisig account; combine every \
             member's file with `tokensign multisig combine`).\n  \
             operation         {} (v2, POST {})\n  \
             member            {signer}\n  \
             account           {account}\n  \
             signing hash      {}\n{}",
            tx.op_type().name(),
            tx.op_type().v2_path(),
            hex0x(&signing_hash),
            review_text(
                "signed",
                &tx,
                tokensign_core::Scheme::Native,
                &lines,
                &resolved
            ),
        ),
    )
}
