//! `tokensign tx HASH`: a transaction by hash, its receipt, and with
//! `--wait` its finalized receipt, polled with a bounded backoff until it
//! comes or the wait runs out. Progress is shown only on a terminal.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::{json, Value};

use super::common::{write_out, Notes};
use super::exit::{CliError, Failure};
use super::session::{resolve_target, ServerArgs, Session};
use super::Io;
use crate::client::ByHash;
use crate::signer;
use crate::text::{parse_hex32, sanitize};

/// `tx`.
#[derive(Debug, Args)]
pub struct TxArgs {
    /// The transaction hash, 0x + 64 hex digits.
    #[arg(value_name = "HASH")]
    pub hash: String,
    /// Also read the receipt.
    #[arg(long)]
    pub receipt: bool,
    /// Wait until the transaction is finalized (polls the finalized
    /// receipt), then print it.
    #[arg(long)]
    pub wait: bool,
    /// The longest --wait waits, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub wait_timeout: u64,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
}

/// Polls between look-ups: 250 ms doubling to 2 s.
fn poll_interval(round: u32) -> Duration {
    Duration::from_millis(250u64.saturating_mul(1 << round.min(3)))
}

/// Runs `tx`.
pub fn run(args: &TxArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let hash = parse_hex32(args.hash.trim()).ok_or_else(|| {
        CliError::bad_input(format!(
            "invalid transaction hash {:?}: write 0x and 64 hex digits",
            sanitize(&args.hash)
        ))
    })?;
    let mut server = args.server.clone();
    if args.wait {
        // The client's total budget must outlast the wait.
        server.max_wait = server.max_wait.max(args.wait_timeout + server.timeout);
    }
    let target = resolve_target(&server)?;
    let notes = Notes::new(&mut *io.err);
    let session = Session::open(&target, &server, vec![signer::dev_address()], &notes)?;
    let client = &session.client;
    let not_found = || {
        CliError::new(
            Failure::Rejected,
            format!(
                "the server does not know transaction {}: check the hash, or wait and look \
                 again (a new transaction takes a moment to appear)",
                sanitize(&args.hash)
            ),
        )
    };
    let mut out = serde_json::Map::new();
    if args.wait {
        let finalized = wait_finalized(&session, &hash, args.wait_timeout, &notes)?;
        out.insert("finalized".into(), finalized);
    } else {
        match client.transaction(&hash)? {
            ByHash::Found(tx) => out.insert("transaction".into(), tx),
            ByHash::NotFound => return Err(not_found()),
        };
        if args.receipt {
            let receipt = match client.receipt(&hash)? {
                ByHash::Found(r) => serde_json::to_value(r).unwrap_or(Value::Null),
                ByHash::NotFound => Value::Null,
            };
            out.insert("receipt".into(), receipt);
        }
    }
    let text = if json_mode {
        Value::Object(out).to_string()
    } else {
        serde_json::to_string_pretty(&Value::Object(out)).unwrap_or_default()
    };
    write_out(io.out, &format!("{text}\n"))
}

fn wait_finalized(
    session: &Session<'_>,
    hash: &[u8; 32],
    timeout: u64,
    notes: &Notes<'_>,
) -> Result<Value, CliError> {
    let terminal = std::io::stderr().is_terminal();
    let start = Instant::now();
    let limit = Duration::from_secs(timeout);
    notes.write(&format!(
        "waiting up to {timeout} s for the transaction to be finalized\n"
    ))?;
    let mut round = 0u32;
    loop {
        if let ByHash::Found(f) = session.client.finalized(hash)? {
            if terminal {
                notes.write("\n")?;
            }
            return Ok(serde_json::to_value(f).unwrap_or(Value::Null));
        }
        let elapsed = start.elapsed();
        if elapsed >= limit {
            if terminal {
                notes.write("\n")?;
            }
            return Err(CliError::new(
                Failure::UnknownOutcome,
                format!(
                    "not finalized within {timeout} s; it may still be. Run `tokensign tx {} \
                     --wait` again later (or raise --wait-timeout)",
                    json!(crate::text::hex0x(hash)).as_str().unwrap_or_default()
                ),
            ));
        }
        if terminal {
            notes.write(&format!("\rnot finalized yet ({} s) ", elapsed.as_secs()))?;
        }
        std::thread::sleep(poll_interval(round).min(limit - elapsed));
        round += 1;
    }
}
