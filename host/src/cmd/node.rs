//! `tokensign node`: the local API server in the foreground.

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use super::common::{parse_address, write_out};
use super::exit::CliError;
use super::server::default_data_dir;
use super::Io;
use crate::node::{AppState, NodeConfig, NodeError};
use crate::signer::dev_address;
use crate::text::show_path;

/// `tokensign node`.
#[derive(Debug, Args)]
pub struct NodeArgs {
    /// Address to listen on; port 0 picks a free port. Once the data
    /// directory is open and the port bound, the URL is printed on stdout
    /// as `listening on http://…`.
    #[arg(long, env = "TOKENSIGN_LISTEN", default_value = "127.0.0.1:18555")]
    pub listen: SocketAddr,
    /// Data directory (default: the per-user data directory,
    /// e.g. ~/.local/share/tokensign/node). One node at a time may use it.
    #[arg(long, env = "TOKENSIGN_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Operator address allowed to sign issues (optional, repeatable, or
    /// comma-separated in $TOKENSIGN_OPERATORS). Without any, the server
    /// accepts issues signed by ANY valid key, and warns so at start.
    #[arg(
        long = "operator",
        env = "TOKENSIGN_OPERATORS",
        value_delimiter = ',',
        value_name = "ADDRESS"
    )]
    pub operators: Vec<String>,
    /// Chain id the server reports and checks (default: testnet, 1212101).
    #[arg(long)]
    pub chain_id: Option<u64>,
}

/// Whether logs on stderr may carry colour: only on a terminal, and not
/// when `NO_COLOR` is set to anything but the empty string
/// (<https://no-color.org>).
pub fn log_colour(stderr_is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    stderr_is_terminal && no_color.is_none_or(OsStr::is_empty)
}

/// Runs `node` until Ctrl-C or SIGTERM.
pub fn run(args: &NodeArgs, io: &mut Io<'_>) -> Result<(), CliError> {
    let operators = args
        .operators
        .iter()
        .filter(|o| !o.trim().is_empty())
        .map(|o| parse_address("--operator", o))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(chain_id) = args.chain_id {
        if chain_id > tokensign_core::tx::MAX_CHAIN_ID {
            return Err(CliError::bad_input(
                "--chain-id must be between 0 and 2^63-1",
            ));
        }
    }
    let data_dir = match &args.data_dir {
        Some(d) => d.clone(),
        None => default_data_dir("node")?,
    };
    let colour = log_colour(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_ansi(colour)
        .with_writer(std::io::stderr)
        .try_init();
    if operators.is_empty() {
        write_out(
            io.err,
            "warning: no --operator given: the server accepts issues signed by ANY valid key\n",
        )?;
    }
    if operators.contains(&dev_address()) {
        write_out(
            io.err,
            "warning: the PUBLIC, INSECURE development key is an operator of this server\n",
        )?;
    }
    let mut config = NodeConfig::new(data_dir.clone(), operators);
    if let Some(chain_id) = args.chain_id {
        config.chain_id = chain_id;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::internal(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        // The data directory first: a busy one is refused before anything
        // is announced.
        let state = AppState::open(config).await?;
        let listener = match tokio::net::TcpListener::bind(args.listen).await {
            Ok(listener) => listener,
            Err(source) => {
                state.close().await;
                return Err(CliError::from(NodeError::Bind {
                    addr: args.listen,
                    source,
                }));
            }
        };
        let addr = listener
            .local_addr()
            .map_err(|e| CliError::internal(format!("cannot read the bound address: {e}")))?;
        write_out(
            io.err,
            &format!("data directory {}\n", show_path(&data_dir)),
        )?;
        write_out(io.out, &format!("listening on http://{addr}\n"))?;
        crate::node::serve_state(state, listener)
            .await
            .map_err(CliError::from)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(log_colour(true, None));
        assert!(log_colour(true, Some(OsStr::new(""))));
        assert!(!log_colour(true, Some(OsStr::new("1"))));
        assert!(!log_colour(false, None));
    }
}
