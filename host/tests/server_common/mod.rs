//! Helpers shared by the server tests: fixed test keys, signed request
//! bodies (signed with the core), a small raw HTTP/1.1 client (so that
//! slow and oversized bodies can be sent exactly), and OpenAPI schema
//! validation.
#![allow(dead_code)]

pub mod live;
pub mod postgres;

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{json, Value};
use tokensign::node::{openapi as node_openapi, spawn_background, NodeConfig, RunningNode};
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::text::Text;
use tokensign_core::tx::{TokenIssue, Transaction, CHAIN_ID_TESTNET};
use tokensign_core::{json as cjson, Address, SigningKey};

/// A fixed test key: the secret is 32 copies of `byte` (non-zero).
pub fn key(byte: u8) -> SigningKey {
    tokensign_fixtures::repeated_byte_key(byte)
}

/// Two members of weight 1 (keys 0x61 and 0x62), as a CreateMultiSig
/// body's `signers`.
pub fn two_signers() -> Value {
    let mut keys: Vec<[u8; 33]> = [key(0x61), key(0x62)]
        .iter()
        .map(|k| k.public_key_compressed())
        .collect();
    keys.sort();
    json!([{"public_key": keys[0].to_vec(), "weight": 1},
           {"public_key": keys[1].to_vec(), "weight": 1}])
}

/// The address of a key.
pub fn addr(key: &SigningKey) -> Address {
    key.address()
}

/// Operator keys used by most tests.
pub fn operator() -> SigningKey {
    key(0x11)
}
pub fn operator2() -> SigningKey {
    key(0x22)
}
pub fn outsider() -> SigningKey {
    key(0x33)
}

/// The master authority used by tests.
pub fn master() -> Address {
    tokensign_fixtures::spec_address()
}

/// A testnet payload.
pub fn payload(nonce: u64, symbol: &str, clawback: Option<bool>) -> Transaction {
    payload_with(CHAIN_ID_TESTNET, nonce, symbol, master(), clawback)
}

pub fn payload_with(
    chain_id: u64,
    nonce: u64,
    symbol: &str,
    master_authority: Address,
    clawback: Option<bool>,
) -> Transaction {
    let issue = TokenIssue {
        symbol: Text::new(symbol).expect("valid symbol"),
        name: Text::new("Test Token").expect("valid name"),
        decimals: 6,
        master_authority,
        is_private: false,
        clawback_enabled: clawback,
    };
    Transaction::new(chain_id, nonce, issue)
}

/// Signs with the core.
pub fn sign(key: &SigningKey, payload: Transaction) -> LegacyTx {
    LegacyTx::sign(payload, key).expect("sign")
}

/// The token an issue request creates.
pub fn token_of(request: &LegacyTx) -> Address {
    tokensign_fixtures::issued_token(&request.tx).expect("an issue")
}

/// The transaction hash of a request.
pub fn tx_hash_of(request: &LegacyTx) -> [u8; 32] {
    request.tx_hash().expect("a v1 operation")
}

/// The request JSON, written by the core.
pub fn body_of(request: &LegacyTx) -> String {
    let mut out = vec![0u8; cjson::MAX_LEGACY_JSON_LEN];
    let len = cjson::write_legacy(request, &mut out).expect("write");
    String::from_utf8(out[..len].to_vec()).expect("utf8")
}

/// `0x` + lowercase hex.
pub fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Starts a node on an ephemeral 127.0.0.1 port.
pub fn start(dir: &Path, operators: Vec<Address>) -> RunningNode {
    start_with(NodeConfig::new(dir.to_path_buf(), operators))
}

pub fn start_with(mut config: NodeConfig) -> RunningNode {
    on_backend(&mut config);
    spawn_background(config, "127.0.0.1:0".parse().expect("addr")).expect("node starts")
}

/// Where a test's nodes keep their state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The data directory's redb file (the default).
    Redb,
    /// A fresh database in the test process's PostgreSQL cluster
    /// ([`postgres::Cluster::shared`]), one per data directory.
    Postgres,
}

thread_local! {
    static BACKEND: Cell<Backend> = const { Cell::new(Backend::Redb) };
}

/// Runs `test` with its nodes on `backend` (PostgreSQL: skipped loudly
/// where it is not installed, unless required).
pub fn with_backend(backend: Backend, name: &str, test: fn()) {
    if backend == Backend::Postgres && !postgres::available(name) {
        return;
    }
    BACKEND.with(|b| b.set(backend));
    test();
}

/// The backend of the running test.
pub fn backend() -> Backend {
    BACKEND.with(Cell::get)
}

/// Puts `config` on the running test's backend: on PostgreSQL, the
/// database of its data directory (a fresh one the first time, the same
/// one when a node is started again on the directory).
pub fn on_backend(config: &mut NodeConfig) {
    if backend() != Backend::Postgres || config.database.is_some() {
        return;
    }
    static DATABASES: Mutex<Option<HashMap<PathBuf, tokensign::node::DatabaseUrl>>> =
        Mutex::new(None);
    let mut map = DATABASES.lock().unwrap_or_else(|e| e.into_inner());
    let url = map
        .get_or_insert_with(HashMap::new)
        .entry(config.data_dir.clone())
        .or_insert_with(|| postgres::Cluster::shared().fresh_database())
        .clone();
    config.database = Some(url);
}

/// Declares each listed test function (a plain `fn()`, no `#[test]`) as
/// two tests, `redb::NAME` and `postgres::NAME`: the same test with its
/// nodes on each backend. A function left out of the list is never called,
/// which the compiler reports (dead code).
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod redb {
            $(
                #[test]
                fn $test() {
                    $crate::server_common::with_backend(
                        $crate::server_common::Backend::Redb, stringify!($test), super::$test);
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $test() {
                    $crate::server_common::with_backend(
                        $crate::server_common::Backend::Postgres, stringify!($test), super::$test);
                }
            )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_both_backends;

/// A `tokensign node` process (the real binary), killed on drop.
pub struct CliNode {
    pub child: std::process::Child,
    pub addr: SocketAddr,
    /// Everything it has written to stderr so far.
    pub stderr: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

impl CliNode {
    /// Starts `tokensign node --listen 127.0.0.1:0 ARGS` and waits for its
    /// `listening on` line.
    pub fn start(args: &[&str]) -> CliNode {
        Self::try_start(args).unwrap_or_else(|e| panic!("tokensign node {args:?}: {e}"))
    }

    /// As [`CliNode::start`]; `Err` with its stderr if it exits first.
    pub fn try_start(args: &[&str]) -> Result<CliNode, String> {
        Self::try_start_with(args, &[])
    }

    /// As [`CliNode::try_start`], with these environment variables set
    /// (`RUST_LOG=warn` unless given).
    pub fn try_start_with(args: &[&str], envs: &[(&str, &str)]) -> Result<CliNode, String> {
        use std::io::BufRead;
        use std::process::{Command, Stdio};
        let mut child = Command::new(env!("CARGO_BIN_EXE_tokensign"))
            .args(["node", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "warn")
            .envs(envs.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn tokensign node");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = std::io::BufReader::new(stdout).lines();
        let addr = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(url) = line.strip_prefix("listening on http://") {
                        break url.trim().parse().expect("address");
                    }
                }
                _ => {
                    let _ = child.wait();
                    let mut err = String::new();
                    if let Some(mut e) = child.stderr.take() {
                        let _ = e.read_to_string(&mut err);
                    }
                    return Err(err);
                }
            }
        };
        // Keep draining both pipes so the node never blocks on them.
        std::thread::spawn(move || for _ in lines {});
        let captured = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        if let Some(mut stderr) = child.stderr.take() {
            let captured = captured.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = stderr.read(&mut buf) {
                    captured.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
        }
        Ok(CliNode {
            child,
            addr,
            stderr: captured,
        })
    }

    /// Its stderr so far, as text.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// SIGKILL.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM (a clean exit), then waits for the exit; its status.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().expect("wait")
    }
}

impl Drop for CliNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Signs `op` as `key` at `nonce` (v2) and posts it to `addr`.
pub fn post_signed(
    addr: SocketAddr,
    key: &SigningKey,
    nonce: u64,
    op: impl Into<tokensign_core::tx::Operation>,
) -> Resp {
    let tx = Transaction::new(CHAIN_ID_TESTNET, nonce, op);
    let signed = tokensign_core::native::NativeTx::sign(tx, key).expect("sign");
    let mut out = vec![0u8; cjson::MAX_NATIVE_JSON_LEN];
    let n = cjson::write_native(&signed, &mut out).expect("write");
    post_json(
        addr,
        signed.path(),
        std::str::from_utf8(&out[..n]).expect("utf8"),
    )
}

/// The next nonce of `who` on the node at `addr`.
pub fn nonce_at(addr: SocketAddr, who: &Address) -> u64 {
    let r = get(addr, &format!("/v1/accounts/nonce?address={who}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["nonce"].as_u64().expect("nonce")
}

/// The whole state of the node at `addr` (`POST /dev/dump_state`).
pub fn dump_at(addr: SocketAddr) -> tokensign::node::StateDocument {
    let r = post_json(addr, "/dev/dump_state", "");
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).expect("a state document")
}

/// Asserts the invariants every state holds: each token's supply is the
/// sum of its balances; checkpoints numbered 0, 1, … once each; every
/// transaction in exactly one checkpoint; no (sender, nonce) twice.
pub fn assert_invariants(state: &tokensign::node::StateDocument) {
    use std::collections::HashSet;
    for t in &state.tokens {
        let mut sum = tokensign_core::Amount::ZERO;
        for b in state.balances.iter().filter(|b| b.token == t.address) {
            sum = sum.checked_add(&b.amount).expect("sum");
        }
        assert_eq!(sum, t.supply, "supply of {}", t.symbol);
    }
    for (i, c) in state.checkpoints.iter().enumerate() {
        assert_eq!(c.number, i as u64, "checkpoint numbering");
    }
    let listed: usize = state.checkpoints.iter().map(|c| c.transactions.len()).sum();
    assert_eq!(
        listed,
        state.transactions.len(),
        "transactions in checkpoints"
    );
    let mut nonces = HashSet::new();
    for r in &state.transactions {
        assert!(
            nonces.insert((r.transaction.from.clone(), r.transaction.nonce)),
            "nonce {} of {} used twice",
            r.transaction.nonce,
            r.transaction.from
        );
    }
}

/// An HTTP response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// Asserts an error status and `error_code`, and that the body is a
    /// RESTErrorData as the OpenAPI document describes it.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "status for {code}: {}", self.body);
        let v = self.json();
        assert_eq!(v["error_code"], code, "{}", self.body);
        assert!(
            !v["message"].as_str().unwrap_or("").is_empty(),
            "message: {}",
            self.body
        );
        assert_schema("RESTErrorData", &v);
        assert_schema("RESTErrorDataStrict", &v);
    }
}

fn parse_response(raw: &[u8]) -> Resp {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut rest = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        let mut out = Vec::new();
        let mut data = &rest[..];
        while let Some(pos) = data.windows(2).position(|w| w == b"\r\n") {
            let size_text = String::from_utf8_lossy(&data[..pos]).to_string();
            let size = usize::from_str_radix(size_text.trim(), 16).expect("chunk size");
            data = &data[pos + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(&data[..size]);
            data = &data[size + 2..];
        }
        rest = out;
    }
    Resp {
        status,
        headers,
        body: String::from_utf8(rest).expect("utf8 body"),
    }
}

fn read_all(stream: &mut TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if !buf.is_empty() => {
                // A reset after the whole response arrived.
                let _ = e;
                break;
            }
            Err(e) => panic!("read failed: {e}"),
        }
    }
    buf
}

pub fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    stream
}

/// Sends raw bytes (a whole request) and reads the response to the end.
pub fn raw(addr: SocketAddr, bytes: &[u8]) -> Resp {
    let mut stream = connect(addr);
    stream.write_all(bytes).expect("write");
    parse_response(&read_all(&mut stream))
}

/// Sends `head` (request line and headers, without the blank line) and a
/// partial body, then waits for the response without sending the rest.
pub fn raw_partial(addr: SocketAddr, head: &str, partial: &[u8]) -> Resp {
    let mut stream = connect(addr);
    stream
        .write_all(format!("{head}\r\n\r\n").as_bytes())
        .expect("write");
    stream.write_all(partial).expect("write");
    parse_response(&read_all(&mut stream))
}

/// One request with `Connection: close`.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Resp {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    raw(addr, &bytes)
}

pub fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, None, b"")
}

pub fn post_json(addr: SocketAddr, path: &str, body: &str) -> Resp {
    request(
        addr,
        "POST",
        path,
        Some("application/json"),
        body.as_bytes(),
    )
}

pub fn issue(addr: SocketAddr, request: &LegacyTx) -> Resp {
    post_json(addr, "/v1/tokens/issue", &body_of(request))
}

/// The served OpenAPI document.
pub fn openapi() -> Value {
    serde_json::from_str(node_openapi::document()).expect("openapi parses")
}

/// Validates `value` against `#/components/schemas/<name>` of the OpenAPI
/// document, resolving `$ref`s inside the document.
pub fn assert_schema(name: &str, value: &Value) {
    let doc = openapi();
    assert!(
        doc["components"]["schemas"].get(name).is_some(),
        "no schema {name}"
    );
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": doc["components"].clone(),
    });
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    if let Err(e) = validator.validate(value) {
        panic!("{value} does not match schema {name}: {e}");
    }
}

/// Like [`request`], but `None` instead of a panic when the connection
/// fails (for tests that kill the server).
pub fn try_request(addr: SocketAddr, path: &str, body: &str) -> Option<Resp> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .ok()?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).ok()?;
    if !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        return None;
    }
    Some(parse_response(&buf))
}

pub fn mint(a: std::net::SocketAddr, body: &str) -> Resp {
    post_json(a, "/api/tokens/mint", body)
}

pub fn assert_mint_error(r: &Resp, status: u16, code: &str, message: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let v = r.json();
    assert_eq!(v["error_code"], code, "{}", r.body);
    assert_eq!(v["message"], message, "{}", r.body);
    assert_schema("MintError", &v);
}

/// POSTs a v2 request, as the core writes it, to its path.
pub fn post_native(addr: SocketAddr, signed: &NativeTx) -> Resp {
    let mut out = vec![0u8; cjson::MAX_NATIVE_JSON_LEN];
    let n = cjson::write_native(signed, &mut out).expect("write");
    post_json(
        addr,
        signed.path(),
        std::str::from_utf8(&out[..n]).expect("utf8"),
    )
}

/// A child process, killed and reaped when dropped.
pub struct Kill(pub Option<Child>);

impl Kill {
    /// The process, no longer killed on drop.
    pub fn take(mut self) -> Child {
        self.0.take().expect("a process")
    }
}

impl Drop for Kill {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `tokensign node --listen 127.0.0.1:0 --data-dir DIR/node` with `extra`
/// flags: the process and its banner's lines (up to `Fees:`).
pub fn spawn_node(dir: &Path, extra: &[&str]) -> (Kill, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokensign"))
        .args(["node", "--listen", "127.0.0.1:0"])
        .args(extra)
        .arg("--data-dir")
        .arg(dir.join("node"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tokensign node starts");
    let stdout = child.stdout.take().expect("stdout");
    let guard = Kill(Some(child));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let done = line.starts_with("Fees:");
            lines.push(line);
            if done {
                break;
            }
        }
        let _ = tx.send(lines);
    });
    let lines = rx.recv_timeout(Duration::from_secs(120)).expect("banner");
    (guard, lines)
}

/// The address of the banner's `listening on http://…` line.
pub fn banner_addr(lines: &[String]) -> SocketAddr {
    lines[0]
        .strip_prefix("listening on http://")
        .expect("the listening line first")
        .parse()
        .expect("an address")
}

/// The test token of the banner's `Test token SYMBOL: ADDRESS` line.
pub fn banner_token(lines: &[String]) -> Address {
    let line = lines
        .iter()
        .find(|l| l.starts_with("Test token"))
        .expect("a test token line");
    Address::parse(
        line.split_whitespace()
            .nth(3)
            .expect("an address")
            .trim_end_matches(':'),
    )
    .expect("an address")
}
