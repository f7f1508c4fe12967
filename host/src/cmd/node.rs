//! `tokensign node`: the local API server in the foreground.

use std::ffi::OsStr;
use std::io::{IsTerminal, Read};
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use zeroize::Zeroizing;

use super::common::{parse_address, read_limited_input, write_out};
use super::exit::CliError;
use super::session::default_data_dir;
use super::Io;
use crate::api::NativeWriteMode;
use crate::node::dev::{self, DevAccount};
use crate::node::{AppState, DatabaseUrl, NodeConfig, NodeError, StateFiles};
use crate::show::show_path;
use crate::signer::dev_address;

/// `tokensign node`.
#[derive(Debug, Args)]
pub struct NodeArgs {
    /// Address to listen on; port 0 picks a free port. Once the data
    /// directory is open and the port bound, the URL is printed on stdout
    /// as `listening on http://…`.
    #[arg(long, env = "TOKENSIGN_LISTEN", default_value = crate::node::DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// Data directory (default: the per-user data directory,
    /// e.g. ~/.local/share/tokensign/node). One node at a time may use it.
    #[arg(long, env = "TOKENSIGN_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Keep the whole state in memory and write no file at all (no data
    /// directory): everything is gone when the node stops, as with
    /// anvil. Without it the state is durable, in the data directory.
    #[arg(long, conflicts_with_all = ["data_dir", "database", "database_url_file"])]
    pub in_memory: bool,
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
    /// Which signing schemes writes may use: `v1_only`, `dual` (both; v1
    /// answers carry `X-1Money-Legacy-Signature: deprecated`) or `v2_only`.
    #[arg(long, value_name = "MODE", default_value = "dual", value_parser = ["v1_only", "dual", "v2_only"])]
    pub write_mode: String,
    /// Developer accounts to derive from the mnemonic (path
    /// m/44'/60'/0'/0/i); account 0 becomes an operator. 0: none.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=1000))]
    pub accounts: u32,
    /// File holding the developer accounts' mnemonic (default: the PUBLIC
    /// test mnemonic `test test … junk`, whose keys are printed at start).
    /// Otherwise $TOKENSIGN_NODE_MNEMONIC holds the words themselves. A
    /// mnemonic given either way is never printed, nor its keys.
    #[arg(long, env = "TOKENSIGN_NODE_MNEMONIC_FILE", value_name = "FILE")]
    pub accounts_mnemonic_file: Option<PathBuf>,
    /// Symbol of a test token to issue at start (account 1 its master) and
    /// mint to every developer account; `none` for no token.
    #[arg(long, value_name = "SYMBOL", default_value = "DEVUSD")]
    pub test_token: String,
    /// Base units of the test token minted to each developer account.
    #[arg(long, value_name = "UNITS", default_value = "1000000000000")]
    pub test_token_amount: String,
    /// Keep the state in this PostgreSQL database instead of the data
    /// directory (`postgres://USER@HOST[:PORT]/DBNAME`); any number of nodes
    /// may share it. Never with a password: a command line is visible to
    /// every user of the machine. The password comes from
    /// $TOKENSIGN_DATABASE_URL (the whole URL, password included), from
    /// --database-url-file, or, for a URL without one, from $PGPASSWORD or
    /// the password file (~/.pgpass or $PGPASSFILE) as psql finds it.
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// Read the PostgreSQL URL (password included) from FILE, `-` for
    /// standard input; instead of --database.
    #[arg(long, value_name = "FILE", conflicts_with = "database")]
    pub database_url_file: Option<PathBuf>,
    /// Load the state from FILE at start if it exists, and write it there
    /// at a clean exit (Ctrl-C, SIGTERM).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["load_state", "dump_state"])]
    pub state: Option<PathBuf>,
    /// Write the state to FILE at a clean exit.
    #[arg(long, value_name = "FILE")]
    pub dump_state: Option<PathBuf>,
    /// Load the state from FILE at start, replacing the node's.
    #[arg(long, value_name = "FILE")]
    pub load_state: Option<PathBuf>,
    /// Flat fee of every Payment and BatchPayment, in the token's base units
    /// (default 0: no fees), paid to the first operator.
    #[arg(long, value_name = "UNITS", default_value = "0")]
    pub fee: String,
    /// Start read-only, as the network's archive profile: every write is
    /// refused (403 NODE_READ_ONLY) and GET /api/status says `read_only`.
    /// The developer accounts are still set up.
    #[arg(long)]
    pub read_only: bool,
    /// Allow the development controls (/dev/…: set balances and nonces,
    /// send as any address, switch modes, …) although the node listens on
    /// a non-loopback address: anyone who can reach it can then change its
    /// state. On loopback they are on without it.
    #[arg(long, conflicts_with = "no_dev_controls")]
    pub dev_controls: bool,
    /// Refuse the development controls even on loopback (for example
    /// behind a reverse proxy that makes the node reachable).
    #[arg(long)]
    pub no_dev_controls: bool,
    /// A host name the node answers besides `localhost`, `127.0.0.1` and `[::1]`
    /// (repeatable, or comma-separated in $TOKENSIGN_ALLOWED_HOSTS): the
    /// node refuses other `Host` headers (403) on loopback, against DNS
    /// rebinding; given on another address, it checks there too.
    #[arg(
        long = "allowed-host",
        env = "TOKENSIGN_ALLOWED_HOSTS",
        value_delimiter = ',',
        value_name = "HOST"
    )]
    pub allowed_hosts: Vec<String>,
    /// Most connections open at once; one more is answered 503.
    #[arg(long, value_name = "N", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
}

/// The environment variable holding the developer accounts' mnemonic.
pub const ENV_NODE_MNEMONIC: &str = "TOKENSIGN_NODE_MNEMONIC";

/// The environment variable holding the database URL (password included).
pub const ENV_DATABASE_URL: &str = "TOKENSIGN_DATABASE_URL";

/// The database: `--database` (refused when it holds a password),
/// `--database-url-file`, else `$TOKENSIGN_DATABASE_URL`, else none (redb
/// in the data directory).
fn database_url(args: &NodeArgs, input: &mut dyn Read) -> Result<Option<DatabaseUrl>, CliError> {
    if let Some(text) = &args.database {
        if DatabaseUrl::holds_password(text) {
            return Err(CliError::bad_input(format!(
                "--database must not hold the password: a command line is visible to every \
                 user of the machine (ps, /proc). Put the URL in ${ENV_DATABASE_URL} or in a \
                 file given with --database-url-file FILE, or leave the password out and set \
                 $PGPASSWORD or a line in ~/.pgpass (mode 600) for {}",
                shown_without_password(text)
            )));
        }
        return Ok(Some(DatabaseUrl::parse(text)?));
    }
    if let Some(path) = &args.database_url_file {
        let bytes = Zeroizing::new(read_limited_input(path, input, 4096, "the database URL")?);
        let text = std::str::from_utf8(&bytes)
            .ok()
            .map(str::trim)
            .filter(|t| !t.is_empty() && bytes.len() <= 4096)
            .ok_or_else(|| {
                CliError::bad_input(format!(
                    "{} does not hold a database URL (one line of UTF-8, at most 4096 bytes): \
                     write postgres://USER:PASSWORD@HOST[:PORT]/DBNAME in it",
                    show_path(path)
                ))
            })?;
        return Ok(Some(DatabaseUrl::parse(text)?));
    }
    match std::env::var(ENV_DATABASE_URL) {
        Ok(text) => {
            let text = Zeroizing::new(text);
            if text.trim().is_empty() {
                return Ok(None);
            }
            Ok(Some(DatabaseUrl::parse(text.trim())?))
        }
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(CliError::bad_input(format!(
            "${ENV_DATABASE_URL} is not UTF-8: set it to postgres://USER:PASSWORD@HOST[:PORT]/DBNAME"
        ))),
    }
}

/// A URL for a message: what [`DatabaseUrl`] shows, or nothing of it
/// when it does not parse.
fn shown_without_password(text: &str) -> String {
    DatabaseUrl::parse(text)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| "that URL".to_owned())
}

/// The developer accounts' mnemonic: `--accounts-mnemonic-file`, else
/// `$TOKENSIGN_NODE_MNEMONIC`, else none (the public test mnemonic).
fn accounts_mnemonic(args: &NodeArgs) -> Result<Option<Zeroizing<String>>, CliError> {
    if let Some(path) = &args.accounts_mnemonic_file {
        let bytes = read_limited_input(path, &mut std::io::empty(), 1024, "the mnemonic")?;
        let bytes = Zeroizing::new(bytes);
        if bytes.len() > 1024 {
            return Err(CliError::bad_input(format!(
                "{} is larger than a mnemonic (1024 bytes)",
                show_path(path)
            )));
        }
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| CliError::bad_input(format!("{} is not UTF-8 text", show_path(path))))?;
        return Ok(Some(Zeroizing::new(
            text.split_whitespace().collect::<Vec<_>>().join(" "),
        )));
    }
    match std::env::var(ENV_NODE_MNEMONIC) {
        Ok(words) => Ok(Some(Zeroizing::new(words))),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(CliError::bad_input(format!(
            "${ENV_NODE_MNEMONIC} is not valid text"
        ))),
    }
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
        None if args.in_memory => PathBuf::new(),
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
    if operators.is_empty() && args.accounts == 0 {
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
    let amount = |flag: &str, text: &str| {
        tokensign_core::Amount::parse(text.trim()).map_err(|e| {
            CliError::bad_input(format!(
                "invalid {flag} {text:?}: {e}; give a decimal integer of base units"
            ))
        })
    };
    let fee = amount("--fee", &args.fee)?;
    let test_amount = amount("--test-token-amount", &args.test_token_amount)?;
    let mnemonic = accounts_mnemonic(args)?;
    let public_mnemonic = mnemonic.is_none();
    let accounts = dev::derive_accounts(
        mnemonic
            .as_deref()
            .map_or(dev::TEST_MNEMONIC, |m| m.as_str()),
        args.accounts,
    )
    .map_err(|e| CliError::bad_input(e.to_string()))?;
    drop(mnemonic);
    if !args.listen.ip().is_loopback() {
        write_out(
            io.err,
            &format!(
                "warning: listening on {}: not a loopback address: anyone who can reach it may \
                 use this node{}\n",
                args.listen,
                if public_mnemonic && !accounts.is_empty() {
                    ", and its developer accounts' keys are public"
                } else {
                    ""
                }
            ),
        )?;
    }
    let mut operators = operators;
    if let Some(first) = accounts.first() {
        if !operators.contains(&first.address) {
            operators.push(first.address);
        }
    }
    let mut config = NodeConfig::new(data_dir.clone(), operators);
    config.in_memory = args.in_memory;
    if let Some(chain_id) = args.chain_id {
        config.chain_id = chain_id;
    }
    config.write_mode = match args.write_mode.as_str() {
        "v1_only" => NativeWriteMode::V1Only,
        "v2_only" => NativeWriteMode::V2Only,
        _ => NativeWriteMode::Dual,
    };
    config.fees.flat = fee;
    config.database = database_url(args, io.input)?;
    config.state = match &args.state {
        Some(file) => StateFiles {
            load: Some(file.clone()),
            load_if_exists: true,
            dump: Some(file.clone()),
        },
        None => StateFiles {
            load: args.load_state.clone(),
            load_if_exists: false,
            dump: args.dump_state.clone(),
        },
    };
    config.read_only = args.read_only;
    config.dev_controls = match (args.dev_controls, args.no_dev_controls) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let forced = config.dev_controls;
    config.allowed_hosts = args
        .allowed_hosts
        .iter()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .collect();
    config.max_connections = usize::try_from(args.max_connections).unwrap_or(usize::MAX);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::internal(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        // The data directory first: a busy one is refused before anything
        // is announced.
        let state = AppState::open(config).await.map_err(|e| {
            // The library says "another data directory"; here it has a flag.
            let in_use = matches!(e, NodeError::DataDirInUse { .. });
            let mut err = CliError::from(e);
            if in_use {
                err.message.push_str(" (--data-dir DIR)");
            }
            err
        })?;
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
        let token = if args.test_token != "none" && accounts.len() >= 2 {
            match dev::setup_test_token(&state, &accounts, &args.test_token, test_amount).await {
                Ok(token) => Some(token),
                Err(e) => {
                    state.close().await;
                    return Err(CliError::bad_input(format!(
                        "{e}; choose another --test-token SYMBOL, or --test-token none"
                    )));
                }
            }
        } else {
            None
        };
        let where_state = if args.in_memory {
            "state in memory: no file is written, and it is gone when the node stops\n".to_owned()
        } else if let Some(url) = &state.config().database {
            format!("database {url}\n")
        } else {
            format!("data directory {}\n", show_path(&data_dir))
        };
        write_out(io.err, &where_state)?;
        if args.read_only {
            write_out(
                io.err,
                "read-only: every write is refused (GET /api/status says read_only)\n",
            )?;
        }
        let controls = if dev::controls_on(forced, &addr) {
            "development controls: on (/dev/…, `tokensign dev`)\n"
        } else if forced == Some(false) {
            "development controls: off (--no-dev-controls)\n"
        } else {
            "development controls: off (not listening on loopback; --dev-controls allows them)\n"
        };
        write_out(io.err, controls)?;
        write_out(io.out, &format!("listening on http://{addr}\n"))?;
        // Best effort: a reader that stops after the `listening on` line
        // (closing the pipe) must not stop the node.
        let _ = write_out(
            io.out,
            &banner(
                &accounts,
                public_mnemonic,
                token.as_ref().map(|t| (&args.test_token[..], t)),
                &args.fee,
            ),
        );
        crate::node::serve_state(state, listener)
            .await
            .map_err(CliError::from)
    })
}

/// The developer accounts banner, written after the `listening on` line.
fn banner(
    accounts: &[DevAccount],
    public: bool,
    token: Option<(&str, &tokensign_core::Address)>,
    fee: &str,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if accounts.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nDeveloper accounts (m/44'/60'/0'/0/i; account 0 is an operator, account 1 the test token's master):");
    for a in accounts {
        let _ = writeln!(out, "  ({}) {}", a.index, a.address);
    }
    if public {
        let _ = writeln!(
            out,
            "\nPrivate keys: PUBLIC TEST KEYS of the mnemonic \"{}\".",
            dev::TEST_MNEMONIC
        );
        let _ = writeln!(
            out,
            "EVERYONE KNOWS THEM. NEVER SEND REAL FUNDS TO THESE ACCOUNTS."
        );
        for a in accounts {
            let _ = writeln!(out, "  ({}) 0x{}", a.index, hex::encode(&a.secret[..]));
        }
    } else {
        let _ = writeln!(out, "(derived from your mnemonic: keys not printed)");
    }
    if let Some((symbol, token)) = token {
        let _ = writeln!(
            out,
            "\nTest token {symbol}: {token} (minted to every account above)"
        );
    }
    let _ = writeln!(
        out,
        "Fees: {fee} base units per payment{}",
        if fee == "0" { " (none)" } else { "" }
    );
    out
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
