//! The local node's request handler, called in process without sockets:
//! `router(state).oneshot(request)`. Every route (each operation's v1 and v2
//! write, every read, status, health, the document, the mint API, unknown
//! paths) with any method, content type, query and body gives a 2xx or a
//! well-formed 4xx, never a panic and never a 5xx; a wrong method gets 405
//! with `Allow`.
//!
//! One tokio runtime and one node (non-durable store in a temp directory,
//! developer-style setup: an operator, a master, a funded token) live for
//! the whole process, so state carries over between inputs as on a real
//! node. An input is a short sequence of requests: raw ones (bytes on a
//! chosen route) and built ones (a valid signed transaction of any of the
//! 14 operations, v1 or v2, made from the input), whose outcome must be
//! 200 with the client's hash or a 422 rule refusal. After each input the
//! ledger's invariant holds: every token's supply is the sum of its
//! balances.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{header, Method, Request};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tokensign::node::{router, AppState, NodeConfig};
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::{json, signing_key_from_bytes, Address, Amount, SigningKey};
use tower::ServiceExt as _;

use crate::ledger_ops::NonceChoice;
use crate::operations::operation_on;

pub mod input;

use input::{BuiltWrite, RawRequest, Requests, MAX_REQUESTS};

/// The routes a raw request picks from (by `route % len`).
pub fn routes() -> Vec<&'static str> {
    let mut out = Vec::new();
    for op in OpType::ALL {
        if let Some(p) = op.v1_path() {
            out.push(p);
        }
        out.push(op.v2_path());
    }
    out.extend([
        "/v1/accounts/nonce",
        "/v1/accounts/bbnonce",
        "/v1/accounts/token_account",
        "/v1/chains/chain_id",
        "/v1/tokens/token_metadata",
        "/v1/transactions/by_hash",
        "/v1/transactions/receipt/by_hash",
        "/v1/transactions/finalized/by_hash",
        "/v1/transactions/estimate_fee",
        "/v1/transactions/batch_payment/estimate_fee",
        "/v1/transactions/raw",
        "/v1/checkpoints/number",
        "/v1/checkpoints/by_number",
        "/v1/checkpoints/by_hash",
        "/v1/checkpoints/receipts/by_number",
        "/api/status",
        "/api/health",
        "/api/tokens/mint",
        "/openapi.json",
        "/nope",
    ]);
    out
}

struct Server {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    state: AppState,
    /// operator, master, two holders.
    keys: Vec<SigningKey>,
    token: Address,
}

fn key(byte: u8) -> SigningKey {
    signing_key_from_bytes(&[byte; 32]).expect("a valid key")
}

/// The node's data directory is this plus the fuzzing process's id.
const DATA_DIR_PREFIX: &str = "tokensign-fuzz-node-";

/// libFuzzer ends a run with `exit` (no destructors), so every run leaves
/// its data directory behind: each new run removes those of processes
/// that are gone (Linux: no `/proc/<pid>`; elsewhere none are removed).
fn remove_stale_data_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(DATA_DIR_PREFIX))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let gone = std::path::Path::new("/proc/self").exists()
            && !std::path::Path::new(&format!("/proc/{pid}")).exists();
        if gone {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let keys: Vec<SigningKey> = (1..=4).map(key).collect();
        remove_stale_data_dirs();
        let dir = std::env::temp_dir().join(format!("{DATA_DIR_PREFIX}{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut config = NodeConfig::new(dir, vec![keys[0].address()]);
        config.durable = false;
        let state = runtime
            .block_on(AppState::open(config))
            .expect("node state opens");
        let issue = TokenIssue {
            symbol: Text::new("FUZ").expect("symbol"),
            name: Text::new("Fuzz").expect("name"),
            decimals: 2,
            master_authority: keys[1].address(),
            is_private: false,
            clawback_enabled: Some(true),
        };
        let token = issue.token_address();
        let setup = async {
            let tx = Transaction::new(CHAIN_ID_TESTNET, 0, issue);
            state
                .submit_native(NativeTx::sign(tx, &keys[0]).expect("sign"))
                .await?;
            for (n, k) in keys.iter().enumerate() {
                let mint = TokenMint {
                    recipient: k.address(),
                    value: Amount::from_u64(1_000_000),
                    token,
                };
                let tx = Transaction::new(CHAIN_ID_TESTNET, n as u64, mint);
                state
                    .submit_native(NativeTx::sign(tx, &keys[1]).expect("sign"))
                    .await?;
            }
            Ok::<_, tokensign::node::ApiError>(())
        };
        runtime.block_on(setup).expect("setup");
        Server {
            router: router(state.clone()),
            runtime,
            state,
            keys,
            token,
        }
    })
}

struct Answer {
    status: u16,
    allow: Option<String>,
    body: Vec<u8>,
}

fn send(s: &Server, request: Request<Body>) -> Answer {
    s.runtime.block_on(async {
        let response = s.router.clone().oneshot(request).await.expect("infallible");
        let status = response.status().as_u16();
        let allow = response
            .headers()
            .get(header::ALLOW)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes().to_vec())
            .unwrap_or_default();
        Answer {
            status,
            allow,
            body,
        }
    })
}

/// A raw request on one of the routes.
fn raw(s: &Server, r: &RawRequest) {
    let routes = routes();
    let path = routes[usize::from(r.route) % routes.len()];
    let method = r.method.method();
    let query = String::from_utf8_lossy(&r.query.0).into_owned();
    let uri = if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.replace([' ', '#', '\n', '\r'], "%20"))
    };
    let mut builder = Request::builder().method(method.clone()).uri(&uri);
    if let Some(ct) = r.content_type.header() {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    let Ok(request) = builder.body(Body::from(r.body.0.clone())) else {
        return; // not a URI axum would ever see
    };
    let a = send(s, request);
    assert!(
        a.status < 500,
        "{method} {uri}: {} {}",
        a.status,
        String::from_utf8_lossy(&a.body)
    );
    if a.status == 405 {
        assert!(a.allow.is_some(), "{method} {uri}: 405 without Allow");
    }
    if a.status >= 400 && path.starts_with("/v") && method != Method::HEAD {
        let v: Value = serde_json::from_slice(&a.body).expect("an error body is JSON");
        assert!(
            v["error_code"].is_string() && v["message"].is_string(),
            "{v}"
        );
    }
}

fn nonce(s: &Server, who: &Address) -> u64 {
    let request = Request::get(format!("/v1/accounts/nonce?address={who}"))
        .body(Body::empty())
        .expect("request");
    let a = send(s, request);
    let v: Value = serde_json::from_slice(&a.body).expect("JSON");
    v["nonce"].as_u64().expect("a nonce")
}

/// A built write: a valid signed transaction of the operation, sent to
/// its v1 or v2 route.
fn built(s: &Server, w: &BuiltWrite) {
    let op = OpType::ALL[usize::from(w.op) % OpType::ALL.len()];
    let signer = &s.keys[usize::from(w.signer) % s.keys.len()];
    let current = nonce(s, &signer.address());
    let nonce = match w.nonce {
        NonceChoice::Current => current,
        NonceChoice::Ahead => current + 1,
        // Below zero: far ahead instead (still refused).
        NonceChoice::Behind => current.wrapping_sub(1) & (i64::MAX as u64),
    };
    let chain = if w.wrong_chain {
        CHAIN_ID_MAINNET
    } else {
        CHAIN_ID_TESTNET
    };
    let token = if w.unknown_token {
        Address([0x99; 20])
    } else {
        s.token
    };
    let operation = operation_on(&s.keys, op, token, &mut &w.fields[..]);
    let tx: Transaction = Transaction::new(chain, nonce, operation);
    let v1 = w.v1 && op.v1_path().is_some();
    let (path, body, hash) = if v1 {
        let Ok(signed) = LegacyTx::sign(tx, signer) else {
            return;
        };
        let mut out = vec![0u8; json::MAX_LEGACY_JSON_LEN];
        let n = json::write_legacy(&signed, &mut out).expect("written");
        out.truncate(n);
        (
            op.v1_path().unwrap_or_default(),
            out,
            signed.tx_hash().expect("hash"),
        )
    } else {
        let Ok(signed) = NativeTx::sign(tx, signer) else {
            return;
        };
        let mut out = vec![0u8; json::MAX_NATIVE_JSON_LEN];
        let n = json::write_native(&signed, &mut out).expect("written");
        out.truncate(n);
        (op.v2_path(), out, signed.tx_hash())
    };
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("request");
    let a = send(s, request);
    let v: Value = serde_json::from_slice(&a.body).expect("JSON answer");
    match a.status {
        200 => assert_eq!(
            v["hash"].as_str(),
            Some(format!("0x{}", hex_of(&hash)).as_str()),
            "{path}: the node's hash is the client's"
        ),
        422 => assert!(v["error_code"].is_string(), "{v}"),
        other => panic!("{path}: a valid signed {op} answered {other}: {v}"),
    }
}

/// Lowercase hex without `0x`.
pub fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The check of one input: [`Requests`] from the bytes (`arbitrary`).
pub fn server_handler(data: &[u8]) {
    let s = server();
    let Some(input) = Requests::from_bytes(data) else {
        return;
    };
    for request in input.requests.iter().take(MAX_REQUESTS) {
        match request {
            input::Request::Raw(r) => raw(s, r),
            input::Request::Write(w) => built(s, w),
        }
    }
    let ledger = s.state.snapshot().expect("snapshot");
    let mut sums: HashMap<Address, Amount> = HashMap::new();
    for ((_, token), balance) in &ledger.balances {
        let sum = sums.entry(*token).or_default();
        *sum = sum.checked_add(balance).expect("sum fits");
    }
    for (address, token) in &ledger.tokens {
        assert_eq!(
            sums.get(address).copied().unwrap_or_default(),
            token.supply,
            "supply of {}",
            token.symbol
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seeds' writer writes what `arbitrary` reads.
    #[test]
    fn seed_bytes_read_back() {
        for (name, bytes) in crate::server_seeds::server_sessions() {
            let read = Requests::from_bytes(&bytes).expect(name);
            assert_eq!(read.to_bytes(), bytes, "{name}");
            assert!(!read.requests.is_empty(), "{name}");
        }
    }

    /// The seeds' built writes reach the ledger: the master's nonce rises
    /// (so they are admitted, not all refused), and the invariant holds.
    #[test]
    fn built_writes_are_admitted() {
        let s = server();
        let master = s.keys[1].address();
        let before = nonce(s, &master);
        for (_, bytes) in crate::server_seeds::server_sessions() {
            server_handler(&bytes);
        }
        let after = nonce(s, &master);
        assert!(after >= before + 5, "{before} -> {after}");
    }
}
