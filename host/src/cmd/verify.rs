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
use tokensign_core::json::{parse_legacy, parse_native, write_document, MAX_DOCUMENT_JSON_LEN};
use tokensign_core::native::Authorization;
use tokensign_core::tx::OpType;
use tokensign_core::{Address, Error as CoreError};

use super::common::{parse_address, read_json_input, write_out};
use super::exit::CliError;
use super::multisig::partial_label;
use super::review::{
    request_descriptor, review_json, review_lines, review_text, unit_json, ReviewArgs,
    ReviewContext,
};
use super::Io;
use crate::input::{describe_core_error, request_body, Document, WrapperClaims};
use crate::signer::partial::{Partial, PARTIAL_FORMAT};
use crate::signer::{scheme_label, SignedRequest};
use crate::text::{hex0x, parse_hex32, sanitize};

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

fn parse(op: OpType, body: &[u8], native: bool) -> Result<SignedRequest, CoreError> {
    if native {
        parse_native(op, body).map(SignedRequest::Native)
    } else {
        parse_legacy(op, body).map(SignedRequest::Legacy)
    }
}

/// Who sent a request: the host's recovery backend for a single v1
/// signature, the core for v2 (which checks every multisig member).
fn sender(request: &SignedRequest) -> Result<Address, CoreError> {
    match request {
        SignedRequest::Legacy(r) => crate::recovery::recover_hash(&r.signing_hash()?, &r.signature),
        SignedRequest::Native(_) => request.sender(),
    }
}

/// The readings of `body` as the operation(s) it can be.
fn readings(
    body: &[u8],
    named: Option<OpType>,
    expect: Option<Address>,
) -> Result<Chosen, CliError> {
    let top: Value = serde_json::from_slice(body).map_err(|e| {
        CliError::bad_input(format!(
            "invalid request body: not JSON ({}); give the body a write command or `sign` printed",
            sanitize(&e.to_string())
        ))
    })?;
    let native = top.get("authorization").is_some();
    let invalid = |e: CoreError| {
        CliError::bad_input(format!(
            "invalid request body: {}",
            describe_core_error(e, Document::Request)
        ))
    };
    if let Some(op) = named {
        let request = parse(op, body, native).map_err(invalid)?;
        let who = sender(&request);
        return Ok(((request, who), Vec::new()));
    }
    let mut found: Vec<Reading> = OpType::ALL
        .iter()
        .filter_map(|op| parse(*op, body, native).ok())
        .map(|r| {
            let who = sender(&r);
            (r, who)
        })
        .collect();
    match found.len() {
        0 if top.get("symbol").is_some() => Err(invalid(
            parse(OpType::TokenIssue, body, native)
                .err()
                .unwrap_or(CoreError::UnknownOperation),
        )),
        0 => Err(CliError::bad_input(
            "invalid request body: its fields are those of no operation (spec 2.2), or a value \
             is invalid; give --operation NAME to see what is wrong with it",
        )),
        1 => Ok((found.remove(0), Vec::new())),
        _ => {
            let names: Vec<&'static str> = found.iter().map(|(r, _)| r.op_type().name()).collect();
            let same = found.windows(2).all(|w| w[0].1 == w[1].1);
            let others = |i: usize| {
                let mut rest = names.clone();
                rest.remove(i);
                rest
            };
            if same {
                // v1: the same bytes are signed for each reading (spec 8.1):
                // say that the signature is valid for every one of them.
                return Ok((found.remove(0), others(0)));
            }
            if let Some(want) = expect {
                if let Some(i) = found.iter().position(|(_, who)| who.as_ref() == Ok(&want)) {
                    return Ok((found.remove(i), Vec::new()));
                }
            }
            Err(CliError::bad_input(format!(
                "the body's fields fit {}: give --operation NAME (or --expect-signer ADDRESS)",
                names.join(" and ")
            )))
        }
    }
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
    let named = args
        .operation
        .as_deref()
        .or(claims.as_ref().and_then(|c| c.operation.as_deref()))
        .map(|name| {
            OpType::from_name(name.trim()).ok_or_else(|| {
                CliError::bad_input(format!(
                    "unknown operation {:?}: use a spec name such as Payment, TokenIssue, \
                     TokenMint, CreateMultiSig, BatchPayment",
                    sanitize(name)
                ))
            })
        })
        .transpose()?;
    let ((request, who), also) = readings(&body, named, expect)?;
    let signer = who.map_err(|e| CliError::bad_input(format!("invalid signature: {e}")))?;
    let signing_hash = request.signing_hash()?;
    let tx_hash = request.tx_hash()?;
    let token = request.token();
    if let Some(claims) = &claims {
        check_claims(claims, (signing_hash, tx_hash, token), &signer)?;
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
        if let Some(issue) = super::issue::issue_of(tx) {
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

/// The wrapper's `signer`, `signing_hash`, `tx_hash` and `token`, where
/// present, must be the request's own.
fn check_claims(
    claims: &WrapperClaims,
    (signing_hash, tx_hash, token): ([u8; 32], [u8; 32], Option<Address>),
    signer: &Address,
) -> Result<(), CliError> {
    let address_ok = |claim: &Option<String>, actual: Option<&Address>| {
        claim
            .as_deref()
            .is_none_or(|c| Address::parse(c).is_ok_and(|a| Some(&a) == actual))
    };
    let hash_ok = |claim: &Option<String>, actual: [u8; 32]| {
        claim
            .as_deref()
            .is_none_or(|c| parse_hex32(c) == Some(actual))
    };
    let checks = [
        (
            "signer",
            address_ok(&claims.signer, Some(signer)),
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
            address_ok(&claims.token, token.as_ref()),
            &claims.token,
            token.map_or("no token".to_owned(), |t| t.to_string()),
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
