//! The node's configuration ([`NodeConfig`]) and its defaults.

use std::path::PathBuf;
use std::time::Duration;

use tokensign_core::tx::CHAIN_ID_TESTNET;
use tokensign_core::Address;

use super::ledger::Fees;
use super::storage::postgres::DatabaseUrl;
use super::storage::state::StateFiles;
use super::stream::StreamConfig;
use crate::api::NativeWriteMode;

/// The default listen address, the spec's "Local API server".
pub const DEFAULT_LISTEN: &str = "127.0.0.1:18555";
/// Default request body limit: the core's longest JSON input (8 KiB).
pub const DEFAULT_BODY_LIMIT: usize = tokensign_core::json::MAX_JSON_INPUT_LEN;
/// Default time a request body has to arrive.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time a request's headers have to arrive, from their first byte.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time a connection may stay open with no request in progress
/// and nothing sent.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(15);
/// Default number of connections open at once.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

/// The server's configuration.
#[derive(Clone, Debug)]
pub struct NodeConfig {
    /// Directory of the database (created if missing). Only one process may
    /// use it at a time. Unused when `database` is set or `in_memory`.
    pub data_dir: PathBuf,
    /// A PostgreSQL database to keep the state in instead of the data
    /// directory's redb file; any number of node processes may share it.
    pub database: Option<DatabaseUrl>,
    /// `true`: the whole state lives in memory (the memory store,
    /// `storage::memory_store`) and the node writes no file at all, not
    /// even its data directory; everything is gone when it stops, as with
    /// anvil's default. `false` (default): durable state in `data_dir`.
    /// Refused with `database`.
    pub in_memory: bool,
    /// Addresses allowed to sign issue requests. Empty: any valid signer is
    /// accepted (open mode; logged as a warning at start).
    pub operators: Vec<Address>,
    /// The chain id requests must carry.
    pub chain_id: u64,
    /// `true` (default): every commit is fsynced before it is acknowledged.
    /// `false`: for benchmarks only, redb commits with `Durability::None`
    /// but for one durable commit in 64 (or the first 100 ms after the
    /// oldest unsynced one), which keeps the file from growing with every
    /// commit; a crash loses the acknowledged commits since the last
    /// durable one (PostgreSQL: `synchronous_commit = off`).
    pub durable: bool,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Time a request body has to arrive completely; later gives 408.
    pub body_timeout: Duration,
    /// Which signing schemes writes may use (default `dual`).
    pub write_mode: NativeWriteMode,
    /// Payment and BatchPayment fees (default zero).
    pub fees: Fees,
    /// A state file to load at start and one to write at a clean exit.
    pub state: StateFiles,
    /// Start read-only (spec 1.2): every native write refused (default
    /// false).
    pub read_only: bool,
    /// When the live stream drops a slow consumer.
    pub stream: StreamConfig,
    /// The development controls (`/dev/…`): `None` (default) on when the
    /// node listens on a loopback address, `Some(true)` on wherever it
    /// listens (`--dev-controls`), `Some(false)` off (`--no-dev-controls`).
    pub dev_controls: Option<bool>,
    /// Time a request's headers have to arrive once its first byte has;
    /// later the connection is closed (slowloris).
    pub header_timeout: Duration,
    /// Time a connection may stay open with no request in progress and
    /// nothing sent (before its first request, or between keep-alive
    /// requests); later it is closed.
    pub idle_timeout: Duration,
    /// Most connections open at once; one more is answered 503
    /// `TOO_MANY_CONNECTIONS` and closed.
    pub max_connections: usize,
    /// Host names (without port, any case) answered besides the loopback
    /// names and addresses, when the `Host` header is checked: always on a
    /// loopback listener, and on any listener once this is not empty.
    pub allowed_hosts: Vec<String>,
}

impl NodeConfig {
    /// A configuration with the testnet chain id, durable commits, the
    /// core's body limit, a 10 s body timeout, `dual` mode, no fees, a
    /// 10 s header timeout, a 15 s idle timeout, 1024 connections and no
    /// allowed hosts beyond loopback.
    pub fn new(data_dir: PathBuf, operators: Vec<Address>) -> Self {
        NodeConfig {
            data_dir,
            database: None,
            in_memory: false,
            operators,
            chain_id: CHAIN_ID_TESTNET,
            durable: true,
            body_limit: DEFAULT_BODY_LIMIT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            write_mode: NativeWriteMode::Dual,
            fees: Fees::default(),
            state: StateFiles::default(),
            read_only: false,
            stream: StreamConfig::default(),
            dev_controls: None,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            allowed_hosts: Vec::new(),
        }
    }
}
