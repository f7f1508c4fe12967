//! `tokensign tx HASH`: a transaction by hash, its receipt, and with
//! `--wait` its finalized receipt, polled with a bounded backoff until it
//! comes or the wait runs out. Progress: on a terminal one line that
//! updates; piped, a line at most every 10 s.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::Value;

use super::common::{write_out, Notes};
use super::exit::{CliError, Failure};
use super::session::{resolve_target, ServerArgs, Session};
use super::Io;
use crate::client::{ByHash, Client};
use crate::show::{parse_hex32, sanitize};
use crate::signer;

/// `tx`.
#[derive(Debug, Args)]
pub struct TxArgs {
    /// The transaction hash, 0x + 64 hex digits.
    #[arg(value_name = "HASH")]
    pub hash: String,
    /// Also read the receipt.
    #[arg(long)]
    pub receipt: bool,
    /// --wait, --wait-timeout.
    #[command(flatten)]
    pub wait: WaitArgs,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
}

/// `--wait` and how long (`tx`, `submit`).
#[derive(Debug, Args, Clone, Copy)]
pub struct WaitArgs {
    /// Wait until the transaction is finalized (polls the finalized
    /// receipt), then print it.
    #[arg(long)]
    pub wait: bool,
    /// The longest --wait waits, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub wait_timeout: u64,
}

impl WaitArgs {
    /// `server` with a total wait that outlasts `--wait`.
    pub fn server(&self, server: &ServerArgs) -> ServerArgs {
        let mut server = server.clone();
        if self.wait {
            server.max_wait = server.max_wait.max(self.wait_timeout + server.timeout);
        }
        server
    }
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
    let server = args.wait.server(&args.server);
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
    if args.wait.wait {
        let finalized = wait_finalized(&session.client, &hash, args.wait.wait_timeout, &notes)?;
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

/// What `--wait` says while it waits: on a terminal one line that
/// updates in place; elsewhere (a pipe, a log) a line at most every
/// [`PIPED_PROGRESS_EVERY`].
#[derive(Debug)]
pub struct Progress {
    terminal: bool,
    last_line: Option<Duration>,
}

/// How often `--wait` writes a progress line when stderr is not a
/// terminal.
pub const PIPED_PROGRESS_EVERY: Duration = Duration::from_secs(10);

impl Progress {
    /// Progress for a terminal (`terminal`) or a pipe.
    pub fn new(terminal: bool) -> Self {
        Progress {
            terminal,
            last_line: None,
        }
    }

    /// What to write after `elapsed` of waiting, if anything.
    pub fn tick(&mut self, elapsed: Duration) -> Option<String> {
        if self.terminal {
            return Some(format!("\rnot finalized yet ({} s) ", elapsed.as_secs()));
        }
        let due = match self.last_line {
            None => elapsed >= PIPED_PROGRESS_EVERY,
            Some(last) => elapsed.saturating_sub(last) >= PIPED_PROGRESS_EVERY,
        };
        if !due {
            return None;
        }
        self.last_line = Some(elapsed);
        Some(format!("not finalized yet ({} s)\n", elapsed.as_secs()))
    }

    /// What ends the progress: a line break after an updating line.
    pub fn end(&self) -> &'static str {
        if self.terminal {
            "\n"
        } else {
            ""
        }
    }
}

/// Polls the finalized receipt of `hash` until it comes or `timeout` s
/// pass, saying on `notes` what it waits for.
pub fn wait_finalized(
    client: &Client<'_>,
    hash: &[u8; 32],
    timeout: u64,
    notes: &Notes<'_>,
) -> Result<Value, CliError> {
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    let start = Instant::now();
    let limit = Duration::from_secs(timeout);
    notes.write(&format!(
        "waiting up to {timeout} s for the transaction to be finalized\n"
    ))?;
    let mut round = 0u32;
    loop {
        if let ByHash::Found(f) = client.finalized(hash)? {
            notes.write(progress.end())?;
            return Ok(serde_json::to_value(f).unwrap_or(Value::Null));
        }
        let elapsed = start.elapsed();
        if elapsed >= limit {
            notes.write(progress.end())?;
            return Err(CliError::new(
                Failure::UnknownOutcome,
                format!(
                    "not finalized within {timeout} s; it may still be. Run `tokensign tx {} \
                     --wait` again later (or raise --wait-timeout)",
                    crate::show::hex0x(hash)
                ),
            ));
        }
        if let Some(line) = progress.tick(elapsed) {
            notes.write(&line)?;
        }
        std::thread::sleep(poll_interval(round).min(limit - elapsed));
        round += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piped_progress_is_a_line_every_ten_seconds_at_most() {
        let mut piped = Progress::new(false);
        let lines: Vec<String> = (0..=45)
            .filter_map(|s| piped.tick(Duration::from_secs(s)))
            .collect();
        assert_eq!(
            lines,
            [
                "not finalized yet (10 s)\n",
                "not finalized yet (20 s)\n",
                "not finalized yet (30 s)\n",
                "not finalized yet (40 s)\n"
            ]
        );
        assert_eq!(piped.end(), "");
        let mut terminal = Progress::new(true);
        let t = terminal.tick(Duration::from_millis(2500)).unwrap();
        assert!(t.starts_with('\r') && !t.contains('\n'), "{t:?}");
        assert_eq!(terminal.end(), "\n");
    }
}
