//! `batch-pay` (BatchPayment, native v2 only): many payments of one token
//! in one transaction.

use std::path::PathBuf;

use clap::Args;
use serde_json::{json, Value};
use tokensign_core::tx::OpType;

use super::amount::base_units;
use super::common::{parse_address, read_limited_input};
use super::exit::CliError;
use super::ops::{address, fields};
use super::write::{self, Draft, WriteArgs};
use super::Io;
use crate::signer::KeyOptions;
use crate::text::sanitize;

/// Largest payments file read (1 MiB).
const MAX_PAYMENTS_FILE: u64 = 1 << 20;

/// `batch-pay`.
#[derive(Debug, Args)]
pub struct BatchPayArgs {
    /// The token's address.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// One payment, RECIPIENT=BASE_UNITS (repeat; order kept).
    #[arg(long = "pay", value_name = "RECIPIENT=BASE_UNITS")]
    pub pay: Vec<String>,
    /// A file of payments, one `RECIPIENT,BASE_UNITS` per line (blank
    /// lines and lines starting with # skipped), after any --pay.
    #[arg(long, value_name = "FILE")]
    pub payments: Option<PathBuf>,
    /// The batch's creation time, unix seconds (default: now).
    #[arg(long, value_name = "SECS")]
    pub created_at: Option<u64>,
    /// A correlation id for the batch.
    #[arg(long, value_name = "TEXT")]
    pub batch_id: Option<String>,
    /// Chain id, nonce, memo, scheme, dry run, multisig, server.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// One payment from `RECIPIENT<sep>BASE_UNITS`.
fn payment(text: &str, sep: char, what: &str) -> Result<Value, CliError> {
    let (to, amount) = text.split_once(sep).ok_or_else(|| {
        CliError::bad_input(format!(
            "invalid {what} {:?}: write it as RECIPIENT{sep}BASE_UNITS",
            sanitize(text)
        ))
    })?;
    Ok(json!({
        "recipient": parse_address(what, to)?.to_string(),
        "amount": base_units(what, amount)?,
    }))
}

/// Runs `batch-pay`.
pub fn run(
    args: &BatchPayArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let mut operations = args
        .pay
        .iter()
        .map(|p| payment(p, '=', "--pay"))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(path) = &args.payments {
        let bytes = read_limited_input(path, io.input, MAX_PAYMENTS_FILE, "the payments")?;
        let text = String::from_utf8(bytes)
            .map_err(|_| CliError::bad_input("the payments file is not UTF-8 text"))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            operations.push(payment(line, ',', &format!("payments line {}", n + 1))?);
        }
    }
    if operations.is_empty() {
        return Err(CliError::bad_input(
            "a batch needs at least one payment: give --pay RECIPIENT=BASE_UNITS or --payments FILE",
        ));
    }
    let created_at = match args.created_at {
        Some(t) => t,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .map_err(|_| CliError::internal("the system clock is before 1970"))?,
    };
    let mut pairs = vec![
        ("token", address("--token", &args.token)?),
        ("operations", json!(operations)),
        ("created_at", json!(created_at)),
    ];
    if let Some(id) = &args.batch_id {
        pairs.push(("batch_id", json!(id)));
    }
    let mut draft = Draft::new(OpType::BatchPayment, fields(pairs));
    draft.flags = &[
        ("operations", "--pay/--payments"),
        ("operations[].recipient", "--pay (a recipient)"),
        ("operations[].amount", "--pay (an amount)"),
    ];
    write::run(&draft, &args.write, keys, json_mode, io)
}
