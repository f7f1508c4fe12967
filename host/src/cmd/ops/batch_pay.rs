//! `batch-pay` (BatchPayment, native v2 only): many payments of one token
//! in one transaction.

use std::path::PathBuf;

use clap::Args;
use heapless::Vec as BoundedVec;
use tokensign_core::tx::{BatchEntry, BatchPayment, MAX_BATCH_OPERATIONS};
use tokensign_core::{Error as CoreError, Field, Problem};

use crate::cmd::amount::base_units;
use crate::cmd::common::{parse_address, read_limited_input};
use crate::cmd::exit::CliError;
use crate::cmd::write::{self, flags, Draft, WriteArgs};
use crate::cmd::Io;
use crate::show::sanitize;
use crate::signer::KeyOptions;

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

/// One payment from `RECIPIENT<sep>BASE_UNITS`; `what` names where it
/// was given (`--pay`, `payments line 3`).
fn payment(text: &str, sep: char, what: &str) -> Result<BatchEntry, CliError> {
    let (to, amount) = text.split_once(sep).ok_or_else(|| {
        CliError::bad_input(format!(
            "invalid {what} {:?}: write it as RECIPIENT{sep}BASE_UNITS",
            sanitize(text)
        ))
    })?;
    Ok(BatchEntry {
        recipient: parse_address(what, to)?,
        amount: base_units(what, amount)?,
    })
}

/// Runs `batch-pay`.
pub fn run(
    args: &BatchPayArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let mut operations = BoundedVec::<BatchEntry, MAX_BATCH_OPERATIONS>::new();
    let mut push = |entry: BatchEntry| {
        operations.push(entry).map_err(|_| {
            flags::refused(CoreError::invalid(
                Field::Operations,
                Problem::TooLong {
                    max: MAX_BATCH_OPERATIONS,
                },
            ))
        })
    };
    for p in &args.pay {
        push(payment(p, '=', "--pay")?)?;
    }
    if let Some(path) = &args.payments {
        let bytes = read_limited_input(path, io.input, MAX_PAYMENTS_FILE, "the payments")?;
        let text = String::from_utf8(bytes)
            .map_err(|_| CliError::bad_input("the payments file is not UTF-8 text"))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            push(payment(line, ',', &format!("payments line {}", n + 1))?)?;
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
    let draft = Draft::new(BatchPayment {
        token: flags::address(Field::Token, &args.token)?,
        operations,
        created_at,
        operations_hash: None,
        batch_id: args
            .batch_id
            .as_deref()
            .map(|id| flags::text(Field::BatchId, id))
            .transpose()?,
    });
    write::run(draft, &args.write, keys, json_mode, io)
}
