//! `tokensign submit FILE|-`: send a request signed elsewhere (offline
//! with `sign`, a write's `--dry-run --out`, or `multisig combine
//! --dry-run`), the last step of the offline flow: sign, carry the file,
//! `verify`, `submit`.
//!
//! Before anything is sent: the signature is checked (and the `--json`
//! object's claims against its request); the server's mode is read and a
//! request in a scheme it does not take is refused, never re-signed or
//! resent under the other scheme; a transaction the server already knows
//! (by hash) is reported and not sent again. The path comes from the
//! operation and the scheme.

use std::path::PathBuf;

use clap::Args;
use serde_json::{json, Value};
use tokensign_core::tx::OpType;
use tokensign_core::Scheme;

use super::common::{named_operation, parse_address, read_json_input, write_out, Notes};
use super::exit::{CliError, Failure};
use super::review::{ReviewArgs, ReviewContext};
use super::session::{resolve_target, ServerArgs, Session};
use super::tx::{wait_finalized, WaitArgs};
use super::write::finish::{accepted, show, submit, Shown};
use super::write::Signed;
use super::Io;
use crate::api::NativeWriteMode;
use crate::client::Lookup;
use crate::input::request_body;
use crate::show::{hex0x, sanitize};
use crate::signer::{self, read_request, scheme_label, ReadError, SignedRequest};

/// `tokensign submit`.
#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// The signed request: a request body, or the `--json` object holding
    /// it under "request" (`sign --json`, a write's `--dry-run --out`,
    /// `multisig combine --dry-run --json`); a file, or - for stdin.
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
    /// The operation (spec name, e.g. Payment), when the body's fields fit
    /// more than one (a bare Payment or TokenMint body).
    #[arg(long, value_name = "NAME")]
    pub operation: Option<String>,
    /// Refuse (exit 2, nothing sent) unless the request is signed by (or,
    /// for a multisig request, sent from) this address.
    #[arg(long, value_name = "ADDRESS")]
    pub expect_signer: Option<String>,
    /// After it is accepted (or found already known): --wait.
    #[command(flatten)]
    pub wait: WaitArgs,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
    /// Token definitions and their trusted signers (the review).
    #[command(flatten)]
    pub review: ReviewArgs,
}

/// Runs `submit`.
pub fn run(args: &SubmitArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let mut context = ReviewContext::from_args(&args.review)?;
    let input = read_json_input(&args.file, io.input, "the signed request")?;
    refuse_partial(&input)?;
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

    // 1. The signature and the object's claims, before anything is sent.
    let (request, sender) = checked_request(&body, named, expect)?;
    let hashes = request.hashes()?;
    if let Some(claims) = &claims {
        claims
            .check(hashes.signing, hashes.tx, request.token(), &sender)
            .map_err(|e| CliError::bad_input(e.to_string()))?;
    }
    let signed = Signed::new(request, hashes)?;

    // 2. The server, and whether it takes this scheme.
    let server = args.wait.server(&args.server);
    let target = resolve_target(&server)?;
    let notes = Notes::new(&mut *io.err);
    let operators = vec![signer::dev_address(), sender];
    let session = Session::open(&target, &server, operators, &notes)?;
    context.learn_server(&session.client, &session.url);
    let resolved = context.resolve(signed.request.transaction(), Some(&session.client))?;
    refuse_other_scheme(&session, signed.request.scheme(), signed.request.op_type())?;

    // 3. Shown, then sent unless the server knows it already.
    let shown = Shown {
        sender,
        server: Some(&session.label),
        dry_run: false,
        json_mode,
        resolved: &resolved,
    };
    let mut fields = show(&signed, &shown, io.out, &notes, &serde_json::Map::new())?;
    let known = matches!(session.client.lookup(&hashes.tx)?, Lookup::Found(_));
    let submitted = if known {
        None
    } else {
        Some(submit(&signed, &session)?)
    };

    // 4. Finalized, with --wait.
    let finalized = if args.wait.wait {
        Some(wait_finalized(
            &session.client,
            &hashes.tx,
            args.wait.wait_timeout,
            &notes,
        )?)
    } else {
        None
    };
    if let Some(f) = &finalized {
        fields.insert("finalized".into(), f.clone());
    }
    match submitted {
        Some(submitted) => {
            accepted(&submitted, &session, json_mode, fields, &signed, io.out)?;
        }
        None if json_mode => {
            fields.insert("status".into(), json!("already_known"));
            fields.insert("server".into(), json!(session.shown_url()));
            let text = super::review::object_with_request(&signed.body, Value::Object(fields));
            return write_out(io.out, &text);
        }
        None => write_out(
            io.out,
            &format!(
                "Already known: {} has transaction {}; nothing was sent.\n",
                session.shown_url(),
                hex0x(&hashes.tx)
            ),
        )?,
    }
    match finalized {
        Some(f) if !json_mode => write_out(
            io.out,
            &format!(
                "Finalized.\n{}\n",
                serde_json::to_string_pretty(&f).unwrap_or_default()
            ),
        ),
        _ => Ok(()),
    }
}

/// A partial signature file is one member's signature, not a request.
fn refuse_partial(input: &[u8]) -> Result<(), CliError> {
    #[derive(serde::Deserialize)]
    struct Probe {
        format: Option<String>,
        signer: Option<String>,
        account: Option<String>,
    }
    let Ok(probe) = serde_json::from_slice::<Probe>(input) else {
        return Ok(());
    };
    if probe.format.as_deref() != Some(signer::partial::PARTIAL_FORMAT) {
        return Ok(());
    }
    Err(CliError::bad_input(format!(
        "this is one member's partial signature (member {} of multisig account {}), not a \
         request: give every member's file to `tokensign multisig combine`, which submits \
         the combined request",
        sanitize(probe.signer.as_deref().unwrap_or("?")),
        sanitize(probe.account.as_deref().unwrap_or("?"))
    )))
}

/// The request in `body` with its checked sender, or why it must not be
/// sent.
fn checked_request(
    body: &[u8],
    named: Option<OpType>,
    expect: Option<tokensign_core::Address>,
) -> Result<(SignedRequest, tokensign_core::Address), CliError> {
    let reading = read_request(body, named, expect).map_err(|e| match e {
        ReadError::Ambiguous(names) => CliError::bad_input(format!(
            "the body's fields fit {}, which go to different paths: give --operation NAME (or \
             submit the `sign --json` object, which names it); nothing was sent",
            names.join(" and ")
        )),
        e @ ReadError::NotSignedBy { .. } => CliError::bad_input(format!("{e}: nothing was sent")),
        other => CliError::bad_input(format!(
            "invalid request: {}; nothing was sent",
            match other {
                ReadError::Invalid(e) =>
                    crate::input::describe_core_error(e, crate::input::Document::Request),
                other => other.to_string(),
            }
        )),
    })?;
    let sender = reading.sender.map_err(|e| {
        CliError::bad_input(format!(
            "invalid signature: {e}; nothing was sent. Sign the document again"
        ))
    })?;
    if !reading.also_valid_as.is_empty() && named.is_none() {
        let mut names = vec![reading.request.op_type().name()];
        names.extend(&reading.also_valid_as);
        return Err(CliError::bad_input(format!(
            "the body's fields fit {}: the same signed bytes (v1) go to different paths; give \
             --operation NAME; nothing was sent",
            names.join(" and ")
        )));
    }
    if let Some(want) = expect {
        if want != sender {
            return Err(CliError::bad_input(format!(
                "the request is signed by {sender}, not by the expected {want}: nothing was sent"
            )));
        }
    }
    Ok((reading.request, sender))
}

/// Refuses a request in a scheme the server does not take (never resent
/// under the other: the signature covers the scheme).
fn refuse_other_scheme(session: &Session<'_>, scheme: Scheme, op: OpType) -> Result<(), CliError> {
    let status = session.client.status()?;
    if status.is_some_and(|s| s.read_only) {
        return Err(CliError::new(
            Failure::Rejected,
            "the server's /api/status says read_only: it rejects every write; nothing was sent",
        ));
    }
    let mode = status.map_or(NativeWriteMode::V1Only, |s| s.native_write_mode);
    let takes = matches!(
        (mode, scheme),
        (NativeWriteMode::Dual, _)
            | (NativeWriteMode::V1Only, Scheme::Legacy)
            | (NativeWriteMode::V2Only, Scheme::Native)
    );
    if takes {
        return Ok(());
    }
    let (mode_name, other) = match mode {
        NativeWriteMode::V1Only => ("v1_only", "v1"),
        _ => ("v2_only", "v2"),
    };
    Err(CliError::new(
        Failure::Rejected,
        format!(
            "this {op} is signed in {}, and the server is {mode_name}: it takes only {other} \
             writes. Nothing was sent, and the request is never resent under the other scheme \
             (its signature covers the scheme): sign the document again with --scheme {other}",
            scheme_label(scheme)
        ),
    ))
}
