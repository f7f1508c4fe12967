//! The command line, as clap types. [`crate::commands::run`] carries it out.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit::CliError;
use crate::keys::KeyOptions;

/// Build, sign and submit 1Money Network token-issue requests.
///
/// With neither --url nor --network, `issue` and `mint` run against an
/// embedded local API server that trusts the public, insecure development
/// key. Exit codes: 0 ok, 1 internal error, 2 bad input, 3 rejected by the
/// server, 4 network failure, 5 unknown outcome, 6 accepted but the answer
/// differs from what was signed (do not resend). See docs/cli.md.
#[derive(Debug, Parser)]
#[command(name = "tokensign", version, about, long_about)]
pub struct Cli {
    /// Print one JSON object on stdout (the result, or the error).
    #[arg(long, global = true)]
    pub json: bool,

    /// Where the signing key comes from.
    #[command(flatten)]
    pub keys: KeyArgs,

    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Key flags, shared by every command.
#[derive(Debug, Args, Clone, Default)]
pub struct KeyArgs {
    /// Ethereum v3 JSON keystore file (scrypt + aes-128-ctr).
    #[arg(long, global = true, env = "TOKENSIGN_KEYSTORE", value_name = "FILE")]
    pub keystore: Option<PathBuf>,

    /// File holding the keystore password (one trailing newline removed).
    /// Otherwise $TOKENSIGN_PASSWORD, otherwise a no-echo prompt.
    #[arg(
        long,
        global = true,
        env = "TOKENSIGN_PASSWORD_FILE",
        value_name = "FILE"
    )]
    pub password_file: Option<PathBuf>,

    /// File holding the private key as 64 hex digits (optional 0x).
    /// Otherwise $TOKENSIGN_PRIVATE_KEY holds the hex key itself.
    #[arg(
        long,
        global = true,
        env = "TOKENSIGN_PRIVATE_KEY_FILE",
        value_name = "FILE"
    )]
    pub private_key_file: Option<PathBuf>,

    /// Sign with the PUBLIC, INSECURE development key (embedded server and
    /// offline use only; refused against any other server).
    #[arg(long, global = true)]
    pub dev_key: bool,

    /// What signs: a key held by this process (`key`, the default) or a
    /// hardware device (`device`, with --device).
    #[arg(long, global = true, env = "TOKENSIGN_SIGNER", value_enum, default_value_t = SignerKind::Key)]
    pub signer: SignerKind,

    /// The device for `--signer device`: `emulated` (in-process, public
    /// test key), `cmd:<command>` (a program speaking the device protocol on
    /// stdin/stdout, such as the QEMU line in the README) or a serial port
    /// path.
    #[arg(long, global = true, env = "TOKENSIGN_DEVICE", value_name = "SPEC")]
    pub device: Option<String>,
}

/// What signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum SignerKind {
    /// A key held by this process.
    #[default]
    Key,
    /// A hardware device speaking the device protocol.
    Device,
}

impl KeyArgs {
    /// The library's view of these flags; `--signer device` needs `--device`.
    pub fn options(&self) -> Result<KeyOptions, CliError> {
        let device = match (self.signer, &self.device) {
            (SignerKind::Device, Some(spec)) => Some(spec.clone()),
            (SignerKind::Device, None) => {
                return Err(CliError::bad_input(
                    "--signer device needs --device SPEC (emulated, cmd:<command> or a serial port path)",
                ))
            }
            (SignerKind::Key, _) => None,
        };
        Ok(KeyOptions {
            keystore: self.keystore.clone(),
            password_file: self.password_file.clone(),
            private_key_file: self.private_key_file.clone(),
            dev_key: self.dev_key,
            device,
        })
    }
}

/// A named network of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Network {
    /// The spec's local API server, `http://localhost:18555`.
    Local,
    /// The testnet, `https://api.testnet.1money.network`.
    Testnet,
    /// The mainnet, `https://api.1money.network`.
    Mainnet,
}

impl Network {
    /// The server URL the spec names for this network.
    pub const fn url(self) -> &'static str {
        match self {
            Network::Local => "http://localhost:18555",
            Network::Testnet => "https://api.testnet.1money.network",
            Network::Mainnet => "https://api.1money.network",
        }
    }

    /// Whether this is a live 1Money network.
    pub const fn is_live(self) -> bool {
        matches!(self, Network::Testnet | Network::Mainnet)
    }
}

/// Which server to talk to, and how.
#[derive(Debug, Args, Clone, Default)]
pub struct ServerArgs {
    /// Server base URL, e.g. `http://127.0.0.1:18555`.
    #[arg(long, env = "TOKENSIGN_URL", conflicts_with = "network")]
    pub url: Option<String>,

    /// A named network: local, testnet or mainnet.
    #[arg(long, env = "TOKENSIGN_NETWORK", value_enum)]
    pub network: Option<Network>,

    /// Data directory of the embedded server (used when neither --url nor
    /// --network is given). Default: the per-user data directory,
    /// e.g. ~/.local/share/tokensign/embedded.
    #[arg(long, env = "TOKENSIGN_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Timeout of each phase of each request, in seconds (1..=600).
    #[arg(long, env = "TOKENSIGN_TIMEOUT", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=600), value_name = "SECS")]
    pub timeout: u64,

    /// Retries after a connection failure, 408 or 5xx (0..=10).
    #[arg(long, env = "TOKENSIGN_RETRIES", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(0..=10), value_name = "N")]
    pub retries: u32,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build, sign and submit a token issue (POST /v1/tokens/issue).
    Issue(IssueArgs),
    /// Sign an unsigned payload JSON offline; print the request body.
    Sign(SignArgs),
    /// Check a signed request body; print signer, hashes and token.
    Verify(VerifyArgs),
    /// Print the configured key's address.
    Address,
    /// Create a new key in an encrypted keystore file.
    Keygen(KeygenArgs),
    /// Mint an issued asset to a wallet (ABC-Lab POST /api/tokens/mint).
    Mint(MintArgs),
    /// Run the local API server in the foreground.
    Node(NodeArgs),
}

/// `tokensign issue`.
#[derive(Debug, Args)]
pub struct IssueArgs {
    /// Token symbol: 1..=20 bytes, alphanumeric.
    #[arg(long)]
    pub symbol: String,
    /// Token name: 1..=120 bytes.
    #[arg(long)]
    pub name: String,
    /// Decimals, 0..=18.
    #[arg(long)]
    pub decimals: u64,
    /// Address that receives the token's master authority.
    #[arg(long, value_name = "ADDRESS")]
    pub master_authority: String,
    /// Only whitelisted addresses may use the token.
    #[arg(long)]
    pub is_private: bool,
    /// Sign the eight-field form with this clawback choice (true or false).
    /// Required for testnet and mainnet; it can never be changed later.
    #[arg(long, value_name = "BOOL", action = clap::ArgAction::Set,
          value_parser = clap::value_parser!(bool))]
    pub clawback_enabled: Option<bool>,
    /// Chain id (default: GET /v1/chains/chain_id).
    #[arg(long)]
    pub chain_id: Option<u64>,
    /// Nonce (default: GET /v1/accounts/nonce for the signer).
    #[arg(long)]
    pub nonce: Option<u64>,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
}

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

/// `tokensign verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Signed request body file, or - for stdin (the default).
    #[arg(value_name = "FILE|-", default_value = "-")]
    pub file: PathBuf,
}

/// `tokensign keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The keystore file to create (never overwritten).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `tokensign mint`.
#[derive(Debug, Args)]
pub struct MintArgs {
    /// The asset to mint (e.g. an issued token's symbol, UKGILT2030).
    #[arg(long)]
    pub asset_id: String,
    /// Number of tokens to mint (a positive JSON number).
    #[arg(long, allow_hyphen_values = true)]
    pub amount: String,
    /// Wallet address that receives the tokens.
    #[arg(long, value_name = "ADDRESS")]
    pub recipient: String,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
}

/// `tokensign node`.
#[derive(Debug, Args)]
pub struct NodeArgs {
    /// Address to listen on; port 0 picks a free port. The bound URL is
    /// printed on stdout as `listening on http://…`.
    #[arg(long, env = "TOKENSIGN_LISTEN", default_value = "127.0.0.1:18555")]
    pub listen: SocketAddr,
    /// Data directory (default: the per-user data directory,
    /// e.g. ~/.local/share/tokensign/node).
    #[arg(long, env = "TOKENSIGN_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Operator address allowed to sign issues (repeatable; at least one).
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
