//! `tokensign watch`: the local node's live stream, one line per committed
//! transaction and per checkpoint, or with `--json` each frame as the node
//! sent it, one JSON object a line.

use std::collections::HashMap;
use std::time::Duration;

use clap::Args;
use serde_json::json;
use tokensign_core::Address;

use super::common::write_out;
use super::exit::{CliError, Failure};
use super::session::Network;
use super::Io;
use crate::api::{Checkpoint, StreamFrame, Transaction, TransactionReceipt};
use crate::client::stream::{stream_url, Stream, StreamError, StreamEvent};
use crate::client::{Client, ClientConfig};
use crate::show::{sanitize, whole_tokens};

/// `tokensign watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The node's base URL (default: the local node, http://127.0.0.1:18555).
    #[arg(long, env = "TOKENSIGN_URL", conflicts_with = "network")]
    pub url: Option<String>,
    /// A named network (only a tokensign node serves the stream).
    #[arg(long, env = "TOKENSIGN_NETWORK", value_enum)]
    pub network: Option<Network>,
    /// Start at this checkpoint: its history first, then live. Default:
    /// from the next checkpoint committed.
    #[arg(long, value_name = "N")]
    pub from: Option<u64>,
    /// Stop after this many transactions.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Seconds to wait for the connection and the handshake.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600), value_name = "SECS")]
    pub timeout: u64,
}

/// Token symbols and decimals, read once per token.
struct Tokens {
    client: Option<Client<'static>>,
    known: HashMap<String, Option<(String, u8)>>,
}

impl Tokens {
    fn of(&mut self, token: &str) -> Option<&(String, u8)> {
        if !self.known.contains_key(token) {
            let found = Address::parse(token).ok().and_then(|address| {
                let info = self.client.as_ref()?.token_metadata(&address).ok()?;
                Some((sanitize(&info.symbol), info.decimals))
            });
            self.known.insert(token.to_owned(), found);
        }
        self.known.get(token).and_then(Option::as_ref)
    }
}

/// Runs `watch` until `--count` transactions were shown or the stream
/// ends.
pub fn run(args: &WatchArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let base = match (&args.url, args.network) {
        (Some(url), _) => url.trim().to_owned(),
        (None, Some(network)) => network.url().to_owned(),
        (None, None) => Network::Local.url(),
    };
    let timeout = Duration::from_secs(args.timeout);
    let url = stream_url(&base, args.from).map_err(stream_error)?;
    let mut stream = Stream::open(&base, args.from, timeout).map_err(stream_error)?;
    let start = match args.from {
        Some(n) => format!("from checkpoint {n}, then live"),
        None => "from the next checkpoint committed".to_owned(),
    };
    write_out(io.err, &format!("watching {url} ({start}); Ctrl-C stops\n"))?;
    let mut tokens = Tokens {
        client: Client::new(&base, ClientConfig::default()).ok(),
        known: HashMap::new(),
    };
    let mut shown = 0u64;
    loop {
        let event = stream.next_event().map_err(|e| {
            let resume = stream
                .next_checkpoint()
                .map(|n| format!("; run watch --from {n} to go on"))
                .unwrap_or_default();
            CliError::new(Failure::Network, format!("{e}{resume}"))
        })?;
        match event {
            StreamEvent::Resumed { from, reason } => {
                write_out(
                    io.err,
                    &format!(
                        "the node dropped this stream ({reason}); resumed from checkpoint {from}\n"
                    ),
                )?;
                if json_mode {
                    let line = json!({"type": "resumed", "from": from, "reason": reason});
                    write_out(io.out, &format!("{line}\n"))?;
                }
            }
            StreamEvent::Frame(frame) => {
                let is_tx = matches!(frame, StreamFrame::Transaction { .. });
                let line = if json_mode {
                    serde_json::to_string(&frame)
                        .map_err(|e| CliError::internal(format!("cannot write a frame: {e}")))?
                } else {
                    match &frame {
                        StreamFrame::Transaction {
                            transaction,
                            receipt,
                        } => transaction_line(transaction, receipt, &mut tokens),
                        StreamFrame::Checkpoint { checkpoint } => checkpoint_line(checkpoint),
                    }
                };
                write_out(io.out, &format!("{line}\n"))?;
                if is_tx {
                    shown += 1;
                    if args.count.is_some_and(|n| shown >= n) {
                        return Ok(());
                    }
                }
            }
        }
    }
}

fn stream_error(e: StreamError) -> CliError {
    let kind = match &e {
        StreamError::Url(_) => Failure::BadInput,
        StreamError::Refused(_) => Failure::Rejected,
        _ => Failure::Network,
    };
    let hint = match &e {
        StreamError::Connect { .. } => {
            "; is a node running there? start one with `tokensign node`, or give --url"
        }
        StreamError::Refused(r)
            if r.status == 404 && r.error_code.as_deref() == Some("NOT_FOUND") =>
        {
            "; this server has no live stream (only a tokensign node has one)"
        }
        _ => "",
    };
    let mut error = CliError::new(kind, format!("{e}{hint}"));
    if let StreamError::Refused(r) = &e {
        error.error_code = r.error_code.clone();
    }
    error
}

/// `checkpoint 12 tx 0 0x… TokenTransfer from 0x… to 0x… 1.5 DEVUSD (1500000) token 0x…`
fn transaction_line(tx: &Transaction, receipt: &TransactionReceipt, tokens: &mut Tokens) -> String {
    let text = |key: &str| tx.data.get(key).and_then(|v| v.as_str()).map(sanitize);
    let mut line = format!(
        "checkpoint {} tx {} {} {} from {}",
        tx.checkpoint_number.unwrap_or_default(),
        tx.transaction_index.unwrap_or_default(),
        sanitize(&tx.hash),
        sanitize(&tx.transaction_type),
        sanitize(&tx.from),
    );
    if let Some(to) = &receipt.recipient {
        line.push_str(&format!(" to {}", sanitize(to)));
    }
    let token = receipt
        .token_address
        .as_deref()
        .map(sanitize)
        .or_else(|| text("token"));
    if let Some(value) = text("value") {
        match token.as_deref().and_then(|t| tokens.of(t)) {
            Some((symbol, decimals)) => line.push_str(&format!(
                " {} {symbol} ({value})",
                whole_tokens(&value, *decimals)
            )),
            None => line.push_str(&format!(" value {value}")),
        }
    }
    if let Some(symbol) = text("symbol") {
        line.push_str(&format!(" symbol {symbol}"));
    }
    if let Some(token) = token {
        line.push_str(&format!(" token {token}"));
    }
    if receipt.fee_used != "0" {
        line.push_str(&format!(" fee {}", sanitize(&receipt.fee_used)));
    }
    if !receipt.success {
        line.push_str(" FAILED");
    }
    line
}

/// `checkpoint 12 closed: 1 transaction, hash 0x…, at 1767225600`
fn checkpoint_line(c: &Checkpoint) -> String {
    let n = c.transactions.len();
    format!(
        "checkpoint {} closed: {n} transaction{}, hash {}, at {}",
        c.number,
        if n == 1 { "" } else { "s" },
        sanitize(&c.hash),
        c.timestamp
    )
}
