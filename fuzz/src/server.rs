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
use tokensign_core::field::{Bytes, KeyAsIntegers};
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::{json, signing_key_from_bytes, Address, Amount, SigningKey};
use tower::ServiceExt as _;

/// Most requests in one input.
pub const MAX_REQUESTS: usize = 8;

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

const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::DELETE,
    Method::HEAD,
];

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

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let keys: Vec<SigningKey> = (1..=4).map(key).collect();
        let dir = std::env::temp_dir().join(format!("tokensign-fuzz-node-{}", std::process::id()));
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

/// Reads `n` bytes (fewer at the end).
fn take<'a>(input: &mut &'a [u8], n: usize) -> &'a [u8] {
    let n = n.min(input.len());
    let (head, rest) = input.split_at(n);
    *input = rest;
    head
}

fn byte(input: &mut &[u8]) -> u8 {
    take(input, 1).first().copied().unwrap_or(0)
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

/// A raw request: `route, method, content type, query length, query, body
/// length (u16 LE), body`.
fn raw(s: &Server, route: u8, input: &mut &[u8]) {
    let routes = routes();
    let path = routes[usize::from(route) % routes.len()];
    let method = METHODS[usize::from(byte(input)) % METHODS.len()].clone();
    let content_type = match byte(input) % 4 {
        0 => Some("application/json"),
        1 => Some("application/json; charset=utf-8"),
        2 => Some("text/plain"),
        _ => None,
    };
    let qlen = usize::from(byte(input));
    let query = String::from_utf8_lossy(take(input, qlen)).into_owned();
    let blen = take(input, 2);
    let blen = usize::from(u16::from_le_bytes([
        blen.first().copied().unwrap_or(0),
        blen.get(1).copied().unwrap_or(0),
    ]));
    let body = take(input, blen).to_vec();
    let uri = if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.replace([' ', '#', '\n', '\r'], "%20"))
    };
    let mut builder = Request::builder().method(method.clone()).uri(&uri);
    if let Some(ct) = content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    let Ok(request) = builder.body(Body::from(body)) else {
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

/// A valid operation of kind `op` made from the input.
fn operation(s: &Server, op: OpType, input: &mut &[u8]) -> Operation {
    let token = if byte(input).is_multiple_of(8) {
        Address([0x99; 20])
    } else {
        s.token
    };
    operation_on(&s.keys, op, token, input)
}

/// A valid operation of kind `op` on `token`, its other fields made from
/// the input (the keys' addresses as parties, the first two to four keys
/// as a multisig account's members).
pub fn operation_on(
    keys: &[SigningKey],
    op: OpType,
    token: Address,
    input: &mut &[u8],
) -> Operation {
    let who = |b: u8| keys[usize::from(b) % keys.len()].address();
    let value = Amount::from_u64(u64::from(byte(input)) * u64::from(byte(input) % 4 + 1) * 100);
    let (a, b) = (byte(input), byte(input));
    match op {
        OpType::Payment => Payment {
            recipient: who(a),
            value,
            token,
        }
        .into(),
        OpType::TokenIssue => TokenIssue {
            symbol: Text::new(&format!("S{a}")).expect("symbol"),
            name: Text::new("Fuzz Issue").expect("name"),
            decimals: b % 19,
            master_authority: who(b),
            is_private: a % 2 == 0,
            clawback_enabled: (b % 3 != 0).then_some(b % 2 == 0),
        }
        .into(),
        OpType::TokenMint => TokenMint {
            recipient: who(a),
            value,
            token,
        }
        .into(),
        OpType::TokenAuthority => TokenAuthority {
            action: if a % 2 == 0 {
                AuthorityAction::Grant
            } else {
                AuthorityAction::Revoke
            },
            authority_type: [
                AuthorityType::MasterMintBurn,
                AuthorityType::MintBurnTokens,
                AuthorityType::Pause,
                AuthorityType::ManageList,
                AuthorityType::UpdateMetadata,
                AuthorityType::Bridge,
                AuthorityType::Clawback,
            ][usize::from(b) % 7],
            authority_address: who(a / 2),
            token,
            value,
        }
        .into(),
        OpType::TokenBlacklist => TokenBlacklist {
            action: if a % 2 == 0 {
                ListAction::Add
            } else {
                ListAction::Remove
            },
            address: who(b),
            token,
        }
        .into(),
        OpType::TokenWhitelist => TokenWhitelist {
            action: if a % 2 == 0 {
                ListAction::Add
            } else {
                ListAction::Remove
            },
            address: who(b),
            token,
        }
        .into(),
        OpType::TokenPause => TokenPause {
            action: if a % 2 == 0 {
                PauseAction::Pause
            } else {
                PauseAction::Unpause
            },
            token,
        }
        .into(),
        OpType::TokenBurn => TokenBurn { value, token }.into(),
        OpType::TokenClawback => TokenClawback {
            token,
            from: who(a),
            recipient: who(b),
            value,
        }
        .into(),
        OpType::TokenMetadata => TokenMetadata {
            name: Text::new("Renamed").expect("name"),
            uri: Text::new("https://fuzz.example").expect("uri"),
            token,
            additional_metadata: Default::default(),
        }
        .into(),
        OpType::TokenBridgeAndMint => TokenBridgeAndMint {
            recipient: who(a),
            value,
            token,
            source_chain_id: u64::from(b) + 1,
            source_tx_hash: Text::new("0xfeed").expect("text"),
            bridge_metadata: Text::new("").expect("text"),
        }
        .into(),
        OpType::TokenBurnAndBridge => TokenBurnAndBridge {
            sender: who(a),
            value,
            token,
            destination_chain_id: u64::from(b) + 1,
            destination_address: Text::new("0xdead").expect("text"),
            escrow_fee: Amount::from_u64(u64::from(b % 3)),
            bridge_metadata: Text::new("").expect("text"),
            bridge_param: Bytes(Default::default()),
        }
        .into(),
        OpType::CreateMultiSig => {
            let mut signers: heapless::Vec<MultisigSigner, MAX_MULTISIG_SIGNERS> =
                heapless::Vec::new();
            for (i, k) in keys.iter().enumerate().take(2 + usize::from(a % 3)) {
                let _ = signers.push(MultisigSigner {
                    public_key: KeyAsIntegers(k.public_key_compressed()),
                    weight: 1 + (b.wrapping_add(i as u8)) % 3,
                });
            }
            CreateMultiSig {
                signers,
                threshold: 1 + u16::from(b % 2),
            }
            .into()
        }
        OpType::BatchPayment => {
            let mut operations: heapless::Vec<BatchEntry, MAX_BATCH_OPERATIONS> =
                heapless::Vec::new();
            for i in 0..1 + usize::from(a % 4) {
                let _ = operations.push(BatchEntry {
                    recipient: who(b.wrapping_add(i as u8)),
                    amount: Amount::from_u64(1 + u64::from(b) * (i as u64 + 1)),
                });
            }
            BatchPayment {
                token,
                operations,
                created_at: u64::from(a),
                operations_hash: None,
                batch_id: None,
            }
            .into()
        }
    }
}

/// A built write: `kind (0x80 | op), signer, flags, fields…`. Flags: bit 0
/// v1 (when the operation has a v1 path), bits 1-2 nonce offset (0, +1,
/// −1), bit 3 wrong chain id.
fn built(s: &Server, kind: u8, input: &mut &[u8]) {
    let op = OpType::ALL[usize::from(kind & 0x7f) % OpType::ALL.len()];
    let signer = &s.keys[usize::from(byte(input)) % s.keys.len()];
    let flags = byte(input);
    let current = nonce(s, &signer.address());
    let nonce = match (flags >> 1) & 3 {
        1 => current + 1,
        2 => current.wrapping_sub(1) & (i64::MAX as u64),
        _ => current,
    };
    let chain = if flags & 8 != 0 {
        CHAIN_ID_MAINNET
    } else {
        CHAIN_ID_TESTNET
    };
    let tx: Transaction = Transaction::new(chain, nonce, operation(s, op, input));
    let v1 = flags & 1 == 1 && op.v1_path().is_some();
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

/// The check of one input.
pub fn server_handler(data: &[u8]) {
    let s = server();
    let mut input = data;
    for _ in 0..MAX_REQUESTS {
        let Some((&kind, rest)) = input.split_first() else {
            break;
        };
        input = rest;
        if kind & 0x80 == 0 {
            raw(s, kind, &mut input);
        } else {
            built(s, kind, &mut input);
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
