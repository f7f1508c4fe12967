//! `tokensign sign`: sign signing documents of any operation offline.
//!
//! The contract scripts rely on: one JSON object with `"operation"` (the
//! spec's name), the operation's fields under their JSON names and an
//! optional `"memo"`; without `"operation"` it is a token issue. With
//! `--json` it prints `operation, scheme, path, signing_hash, tx_hash,
//! signer, request` (and `token` for an issue).

use std::path::PathBuf;

use clap::Args;
use serde_json::Value;
use tokensign_core::Scheme;

use super::common::{read_json_input, read_limited_input, required_signer, write_out, Notes};
use super::exit::CliError;
use super::review::{
    object_with_request, request_descriptor, request_fields, review_json, review_lines,
    review_text, signed_lines, unit_json, ReviewArgs, ReviewContext,
};
use super::write::finish::device_screen;
use super::write::scheme::SchemeChoice;
use super::Io;
use crate::documents;
use crate::show::sanitize;
use crate::signer::{KeyOptions, SignedRequest};

/// `tokensign sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Signing document JSON file, or - for stdin (the default).
    #[arg(long, value_name = "FILE|-", default_value = "-")]
    pub payload: PathBuf,

    /// The input is JSON lines: one signing document per line. Prints one
    /// signed request body per line, in input order, signed on every core;
    /// if any line is refused, prints each refused line's number and cause
    /// and nothing else (exit 2).
    #[arg(long)]
    pub lines: bool,

    /// Worker threads for --lines (default: one per core).
    #[arg(long, value_name = "N", requires = "lines")]
    pub threads: Option<usize>,

    /// v1 (legacy) or v2 (native). auto (the default): v1 for a document
    /// without "operation" (a token issue, as before), v2 for one that
    /// names its operation.
    #[arg(long, value_enum, default_value_t = SchemeChoice::Auto)]
    pub scheme: SchemeChoice,

    /// Token definitions and their trusted signers (the review printed on
    /// stderr; not with --lines).
    #[command(flatten)]
    pub review: ReviewArgs,
}

/// The scheme `--scheme` forces, if any.
fn forced(choice: SchemeChoice) -> Option<Scheme> {
    match choice {
        SchemeChoice::Auto => None,
        SchemeChoice::V1 => Some(Scheme::Legacy),
        SchemeChoice::V2 => Some(Scheme::Native),
    }
}

/// Largest JSON-lines input `sign --lines` reads (1 GiB).
const MAX_LINES_INPUT: u64 = 1 << 30;

/// Runs `sign`.
pub fn run(
    args: &SignArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    if args.lines {
        if !args.review.definitions.is_empty() {
            return Err(CliError::bad_input(
                "--definition shows one document's review; sign --lines prints no review: \
                 leave --definition out, or sign the documents one by one",
            ));
        }
        return sign_lines(args, keys, json_mode, io);
    }
    let mut context = ReviewContext::from_args(&args.review)?;
    context.trust_device_signers(keys);
    let input = read_json_input(&args.payload, io.input, "the payload")?;
    // Parsed before the key is loaded: a bad document never asks for a
    // password, and a definition that cannot be used is refused first.
    let (tx, scheme) =
        documents::parse(&input, forced(args.scheme)).map_err(CliError::bad_input)?;
    let resolved = context.resolve(&tx, None)?;
    let signer = required_signer(keys, "sign")?;
    signer.offer_definition(resolved.definition_for_device());
    let (request, hashes) = SignedRequest::sign_hashed(signer.as_ref(), tx, scheme)?;
    let body = request.body()?;
    // The review goes to stderr: stdout is the request.
    let descriptor = request_descriptor(&request);
    let lines = review_lines(
        request.transaction(),
        request.scheme(),
        descriptor,
        &resolved,
    )?;
    let mut review = review_text(
        "signed",
        request.transaction(),
        request.scheme(),
        &lines,
        &resolved,
    );
    review.push_str(&signed_lines(&request, &hashes, signer.address()));
    write_out(io.err, &review)?;
    // A device's own pages, apart from the host's review.
    let mut device = serde_json::Map::new();
    device_screen(
        signer.as_ref(),
        json_mode,
        &mut device,
        &Notes::new(&mut *io.err),
    )?;
    if !json_mode {
        let mut text = String::from_utf8_lossy(&body).into_owned();
        text.push('\n');
        return write_out(io.out, &text);
    }
    let mut fields = request_fields(&request, &hashes, &signer.address())?;
    fields.insert("review".into(), review_json(&lines));
    fields.insert("token_unit".into(), unit_json(&resolved));
    fields.extend(device);
    write_out(io.out, &object_with_request(&body, Value::Object(fields)))
}

fn sign_lines(
    args: &SignArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    if json_mode {
        return Err(CliError::bad_input(
            "--lines prints JSON lines already (one request body per line); drop --json",
        ));
    }
    let input = read_limited_input(&args.payload, io.input, MAX_LINES_INPUT, "the JSON lines")?;
    if input.len() as u64 > MAX_LINES_INPUT {
        return Err(CliError::bad_input(
            "the JSON-lines input is larger than 1 GiB",
        ));
    }
    let signer = required_signer(keys, "sign")?;
    let threads = args.threads.unwrap_or_else(documents::default_threads);
    match documents::sign_lines(&input, signer.as_ref(), threads, forced(args.scheme)) {
        Ok(bodies) => {
            let mut text = String::new();
            for body in bodies {
                text.push_str(&String::from_utf8_lossy(&body));
                text.push('\n');
            }
            write_out(io.out, &text)
        }
        Err(errors) => {
            let shown: Vec<String> = errors
                .iter()
                .take(20)
                .map(|e| format!("line {}: {}", e.line, sanitize(&e.message)))
                .collect();
            let more = errors.len().saturating_sub(shown.len());
            let tail = if more > 0 {
                format!("\n… and {more} more")
            } else {
                String::new()
            };
            Err(CliError::bad_input(format!(
                "{} of the input lines were refused; nothing was signed:\n{}{tail}",
                errors.len(),
                shown.join("\n")
            )))
        }
    }
}
