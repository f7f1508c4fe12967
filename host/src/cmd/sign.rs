//! `tokensign sign`: sign unsigned payloads offline.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use tokensign_core::json as core_json;
use tokensign_core::tx::{OpType, TokenIssue, Transaction};

use super::common::{read_json_input, read_limited_input, required_signer, write_out};
use super::exit::CliError;
use super::review::{object_with_request, request_bytes};
use super::Io;
use crate::batch;
use crate::input::{describe_core_error, Document};
use crate::signer::{self, KeyOptions};
use crate::text::{hex0x, sanitize};

/// `tokensign sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Unsigned payload JSON file, or - for stdin (the default).
    #[arg(long, value_name = "FILE|-", default_value = "-")]
    pub payload: PathBuf,

    /// The input is JSON lines: one unsigned payload per line. Prints one
    /// signed request body per line, in input order, signed on every core;
    /// if any line is refused, prints each refused line's number and cause
    /// and nothing else (exit 2).
    #[arg(long)]
    pub lines: bool,

    /// Worker threads for --lines (default: one per core).
    #[arg(long, value_name = "N", requires = "lines")]
    pub threads: Option<usize>,
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
        return sign_lines(args, keys, json_mode, io);
    }
    let input = read_json_input(&args.payload, io.input, "the payload")?;
    let payload: Transaction =
        core_json::parse_unsigned(OpType::TokenIssue, &input).map_err(|e| {
            CliError::bad_input(format!(
                "invalid payload: {}",
                describe_core_error(e, Document::Payload)
            ))
        })?;
    let signer = required_signer(keys, "sign")?;
    let token = super::issue::issue_of(&payload).map(TokenIssue::token_address);
    let request = signer::sign_legacy(signer.as_ref(), payload)?;
    let body = request_bytes(&request)?;
    if !json_mode {
        let mut text = String::from_utf8_lossy(&body).into_owned();
        text.push('\n');
        return write_out(io.out, &text);
    }
    let fields = json!({
        "signing_hash": request.signing_hash().map(|h| hex0x(&h)).unwrap_or_default(),
        "tx_hash": request.tx_hash().map(|h| hex0x(&h)).unwrap_or_default(),
        "token": token.map(|t| t.to_string()).unwrap_or_default(),
        "signer": signer.address().to_string(),
    });
    write_out(io.out, &object_with_request(&body, fields))
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
    let threads = args.threads.unwrap_or_else(batch::default_threads);
    match batch::sign_lines(&input, signer.as_ref(), threads) {
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
