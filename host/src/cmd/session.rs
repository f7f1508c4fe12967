//! Which server a command talks to, and how: the server flags, the named
//! networks, the embedded local node, and a [`Session`] that holds the
//! chosen server (and the embedded node, while it lives) and its client.
//!
//! Every command that talks to a server says which one on stderr, every
//! time. Without `--url` or `--network` it is the embedded local node: a
//! `tokensign node` running on the default port is NOT used silently
//! instead (its operators would refuse the development key the embedded
//! node trusts, so an automatic switch would make the same command behave
//! differently on the same machine). When such a node answers on the
//! default port, the command says so and how to use it (`--network local`).

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};
use tokensign_core::Address;

use super::common::Notes;
use super::exit::CliError;
use crate::client::{
    normalize_base_url, redact_url, Client, ClientConfig, RetryPolicy, DEFAULT_MAX_WAIT,
    DEFAULT_TIMEOUT,
};
use crate::node::{NodeConfig, RunningNode};
use crate::show::{io_reason, show_path};
use crate::signer::{self, KeyOptions, KeySigner, Signer};

/// A named network of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Network {
    /// A `tokensign node` on its default address, `http://127.0.0.1:18555`
    /// (the spec's local API server, `localhost:18555`).
    Local,
    /// The testnet, `https://api.testnet.1money.network`.
    Testnet,
    /// The mainnet, `https://api.mainnet.1money.network` (the SDKs' base URL
    /// since 2026-06-26; the issue spec's OpenAPI still names
    /// `https://api.1money.network`, which is also recognised as live).
    Mainnet,
}

impl Network {
    /// The server URL of this network.
    pub fn url(self) -> String {
        match self {
            Network::Local => format!("http://{DEFAULT_NODE_ADDR}"),
            Network::Testnet => "https://api.testnet.1money.network".into(),
            Network::Mainnet => "https://api.mainnet.1money.network".into(),
        }
    }

    /// Whether this is a live 1Money network.
    pub const fn is_live(self) -> bool {
        matches!(self, Network::Testnet | Network::Mainnet)
    }
}

/// The address `tokensign node` listens on by default (one constant, the
/// node's: [`crate::node::DEFAULT_LISTEN`]).
pub const DEFAULT_NODE_ADDR: &str = crate::node::DEFAULT_LISTEN;

/// Which server to talk to, and how patiently.
#[derive(Debug, Args, Clone)]
pub struct ServerArgs {
    /// Server base URL, e.g. `http://127.0.0.1:18555`.
    #[arg(long, env = ENV_URL, conflicts_with = "network")]
    pub url: Option<String>,

    /// A named network: local, testnet or mainnet.
    #[arg(long, env = ENV_NETWORK, value_enum)]
    pub network: Option<Network>,

    /// Data directory of the embedded local node (used when neither --url
    /// nor --network is given). Default: the per-user data directory,
    /// e.g. ~/.local/share/tokensign/embedded.
    #[arg(long, env = "TOKENSIGN_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Timeout of each phase of each request (connect, send, wait for the
    /// answer, read it), in seconds.
    #[arg(long, env = "TOKENSIGN_TIMEOUT", default_value_t = DEFAULT_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=600), value_name = "SECS")]
    pub timeout: u64,

    /// The most time the command spends waiting on the server in all,
    /// retries included, in seconds (a final look-up after an ambiguous
    /// write may take 5 s more).
    #[arg(long, env = "TOKENSIGN_MAX_WAIT", default_value_t = DEFAULT_MAX_WAIT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=3600), value_name = "SECS")]
    pub max_wait: u64,

    /// Retries after a connection failure, 408 or 5xx.
    #[arg(long, env = "TOKENSIGN_RETRIES", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(0..=10), value_name = "N")]
    pub retries: u32,
}

impl ServerArgs {
    /// The client settings these flags give.
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig {
            timeout: Duration::from_secs(self.timeout),
            max_wait: Duration::from_secs(self.max_wait),
            retry: RetryPolicy {
                attempts: self.retries.saturating_add(1),
                ..RetryPolicy::default()
            },
        }
    }
}

/// Which server a command talks to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The embedded local node, in process, with its data here.
    Embedded(PathBuf),
    /// A server by URL.
    Remote {
        /// Base URL.
        url: String,
        /// Whether this is a live 1Money network (testnet or mainnet).
        live: bool,
        /// How it was chosen, for people (`--url`, `--network testnet`).
        how: String,
    },
}

/// Whether a URL names a live 1Money network server.
pub fn is_live_url(url: &str) -> bool {
    let host = url.parse::<ureq::http::Uri>().ok().and_then(|u| {
        u.host()
            .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
    });
    host.is_some_and(|h| h == "1money.network" || h.ends_with(".1money.network"))
}

/// The per-user data directory `…/tokensign/<leaf>`.
pub fn default_data_dir(leaf: &str) -> Result<PathBuf, CliError> {
    dirs::data_dir()
        .map(|d| d.join("tokensign").join(leaf))
        .ok_or_else(|| {
            CliError::bad_input(
                "no per-user data directory is known on this system: give --data-dir DIR \
                 (or $TOKENSIGN_DATA_DIR)",
            )
        })
}

/// The environment variable of `--url`.
pub const ENV_URL: &str = "TOKENSIGN_URL";
/// The environment variable of `--network`.
pub const ENV_NETWORK: &str = "TOKENSIGN_NETWORK";

/// How a value was given: `$VAR` when the environment holds exactly it
/// (clap read it from there, or the flag repeats it), else the flag.
fn given_by(var: &str, value: Option<&str>, flag: &str) -> String {
    match (std::env::var(var), value) {
        (Ok(env), Some(value)) if env == value => format!("${var}"),
        _ => flag.to_owned(),
    }
}

/// Resolves `--url`, `--network` and the embedded default.
pub fn resolve_target(server: &ServerArgs) -> Result<Target, CliError> {
    if let Some(url) = &server.url {
        let url = normalize_base_url(url)?;
        let live = is_live_url(&url);
        return Ok(Target::Remote {
            url,
            live,
            how: given_by(ENV_URL, server.url.as_deref(), "--url"),
        });
    }
    if let Some(network) = server.network {
        let name = network
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned());
        let how = match std::env::var(ENV_NETWORK) {
            Ok(v) if v == name => format!("${ENV_NETWORK}={name}"),
            _ => format!("--network {name}"),
        };
        return Ok(Target::Remote {
            url: network.url(),
            live: network.is_live(),
            how,
        });
    }
    let dir = match &server.data_dir {
        Some(d) => d.clone(),
        None => default_data_dir("embedded")?,
    };
    Ok(Target::Embedded(dir))
}

/// Starts the embedded node on 127.0.0.1 (free port), trusting
/// `operators`.
pub fn start_embedded(data_dir: &Path, operators: Vec<Address>) -> Result<RunningNode, CliError> {
    std::fs::create_dir_all(data_dir).map_err(|e| {
        CliError::bad_input(format!(
            "cannot create the data directory {}: {}",
            show_path(data_dir),
            io_reason(e.kind())
        ))
    })?;
    let config = NodeConfig::new(data_dir.to_path_buf(), operators);
    let listen = SocketAddr::from(([127, 0, 0, 1], 0));
    crate::node::spawn_background(config, listen).map_err(|e| {
        let mut err = CliError::from(e);
        err.message = format!("cannot start the embedded local node: {}", err.message);
        err
    })
}

/// Whether something accepts connections at `addr` (within 200 ms).
pub fn listening(addr: SocketAddr) -> bool {
    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

/// The note shown when the embedded node is used while something listens
/// on the default node address.
pub fn default_node_note(addr: SocketAddr) -> String {
    format!(
        "note: something listens on {addr}, the default address of `tokensign node`; this \
         command does not use it. To send there, add --url http://{addr} (or --network local).\n"
    )
}

/// The signer a write to `target` uses: the configured one, else the
/// development key for the embedded node; the development key is refused
/// for every other server.
pub fn signer_for(keys: &KeyOptions, target: &Target) -> Result<Box<dyn Signer>, CliError> {
    let signer: Box<dyn Signer> = match (keys.source()?, target) {
        (Some(source), _) => signer::load(&source)?,
        (None, Target::Embedded(_)) => Box::new(KeySigner::dev()),
        (None, Target::Remote { .. }) => {
            return Err(CliError::bad_input(
                "no signing key: give --keystore FILE, --private-key-file FILE, \
                 $TOKENSIGN_PRIVATE_KEY or --signer device --device SPEC (the development key \
                 is only for the embedded local node)",
            ))
        }
    };
    if let (true, Target::Remote { url, .. }) = (signer::is_dev_signer(signer.as_ref()), target) {
        return Err(CliError::bad_input(format!(
            "refusing to sign for {} with the development key {}: it is PUBLIC and \
             INSECURE and only the embedded local node trusts it. Use your own key \
             (--keystore, --private-key-file or $TOKENSIGN_PRIVATE_KEY).",
            redact_url(url),
            signer::dev_address()
        )));
    }
    Ok(signer)
}

/// A server in use: its URL, how people should read it, the embedded node
/// while it runs, and the client.
pub struct Session<'n> {
    /// The base URL.
    pub url: String,
    /// `http://… (--url)`, `the embedded local node …`.
    pub label: String,
    /// The client, telling the notes what it waits for.
    pub client: Client<'n>,
    // Dropped after the client: the embedded node lives as long as this.
    _embedded: Option<RunningNode>,
}

impl<'n> Session<'n> {
    /// The base URL as messages show it, credentials redacted.
    pub fn shown_url(&self) -> &str {
        self.client.shown_url()
    }

    /// Opens `target` (starting the embedded node, trusting `operators`),
    /// and says on `notes` which server is used.
    pub fn open(
        target: &Target,
        server: &ServerArgs,
        operators: Vec<Address>,
        notes: &'n Notes<'_>,
    ) -> Result<Self, CliError> {
        let (url, label, embedded) = match target {
            Target::Embedded(dir) => {
                let node = start_embedded(dir, operators)?;
                let url = node.url.clone();
                let label = format!(
                    "the embedded local node (data in {}), on {url}",
                    show_path(dir)
                );
                (url, label, Some(node))
            }
            Target::Remote { url, how, .. } => {
                (url.clone(), format!("{} ({how})", redact_url(url)), None)
            }
        };
        notes.write(&format!("server: {label}\n"))?;
        if embedded.is_some() {
            if let Ok(addr) = DEFAULT_NODE_ADDR.parse::<SocketAddr>() {
                if listening(addr) {
                    notes.write(&default_node_note(addr))?;
                }
            }
        }
        let client = Client::new(&url, server.client_config())?.with_observer(notes);
        Ok(Session {
            url,
            label,
            client,
            _embedded: embedded,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_urls() {
        assert!(is_live_url("https://api.testnet.1money.network"));
        assert!(is_live_url("https://API.1money.network./"));
        assert!(is_live_url("https://api.mainnet.1money.network"));
        assert!(!is_live_url("http://localhost:18555"));
        assert!(!is_live_url("https://1money.network.evil.example"));
        assert_eq!(Network::Local.url(), "http://127.0.0.1:18555");
    }

    #[test]
    fn a_listener_is_seen_and_named() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        assert!(listening(addr));
        let note = default_node_note(addr);
        assert!(note.contains(&format!("--url http://{addr}")), "{note}");
        drop(l);
        assert!(!listening(addr));
    }
}
