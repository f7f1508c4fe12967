//! The local API server's request handler, called in process without
//! sockets: `router(state).oneshot(request)`. Any body to any route, with
//! any method, content type and query, gives a 200 or a well-formed
//! `RESTErrorData` 4xx, never a panic and never a 5xx.
//!
//! One tokio runtime and one server state live for the whole process
//! (state carries over between inputs, as on a real server); a fuzz input
//! is a short sequence of requests. Some requests are valid signed issue
//! requests built from the input, with a known expected outcome, so the
//! deep paths (storage, nonces, uniqueness, mint) are reached and checked.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tokensign::node::{router, AppState, NodeConfig};
use tokensign_core::{
    json, signing_key_from_bytes, Address, PayloadFields, SignedRequest, SigningKey,
    TokenIssuePayload, CHAIN_ID_MAINNET, CHAIN_ID_TESTNET, MAX_REQUEST_JSON_LEN,
};
use tower::ServiceExt as _;

use crate::seeds::SPEC_KEY;

/// Most requests in one input.
pub const MAX_REQUESTS: usize = 8;

/// The key of a signer that is not an operator.
pub const OUTSIDER_KEY: [u8; 32] = [7; 32];

/// Symbols the valid requests choose from (besides ones made from input),
/// so that "already exists" refusals are reached too.
const SYMBOL_POOL: &[&str] = &["TEST", "USDX", "ÄÖ日本", "A2345678901234567890"];

/// Master authorities the valid requests choose from.
fn master_pool(i: u8) -> Address {
    match i % 3 {
        0 => Address::ZERO,
        1 => Address([0x11; 20]),
        _ => Address([0xee; 20]),
    }
}

struct Server {
    runtime: tokio::runtime::Runtime,
    /// `router(state)`, built once; each request goes to a clone.
    router: axum::Router,
    operator: SigningKey,
    outsider: SigningKey,
    /// What the server has issued: symbols and (master, symbol) pairs.
    issued: Mutex<Issued>,
}

#[derive(Default)]
struct Issued {
    symbols: Vec<String>,
    tokens: HashSet<Address>,
    symbol_set: HashSet<String>,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let operator = signing_key_from_bytes(&SPEC_KEY).expect("valid key");
        let outsider = signing_key_from_bytes(&OUTSIDER_KEY).expect("valid key");
        let dir =
            std::env::temp_dir().join(format!("tokensign-fuzz-server-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut config = NodeConfig::new(dir.clone(), vec![operator.address()]);
        config.durable = false;
        let state = runtime
            .block_on(AppState::open(config))
            .expect("server state opens");
        // The database stays open through its file handle; nothing is left
        // behind when the fuzzer exits.
        let _ = std::fs::remove_dir_all(&dir);
        Server {
            runtime,
            router: router(state),
            operator,
            outsider,
            issued: Mutex::new(Issued::default()),
        }
    })
}

/// A byte reader that reads zeros past the end.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let (head, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        head.to_vec()
    }
    fn text(&mut self, n: usize) -> String {
        String::from_utf8_lossy(&self.bytes(n)).into_owned()
    }
}

/// The routes a request can go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Issue,
    Mint,
    ChainId,
    Nonce,
    ByHash,
    TokenMetadata,
    OpenApi,
    /// A path from the input.
    Other,
}

impl Route {
    fn from_byte(b: u8) -> Route {
        match b % 8 {
            0 => Route::Issue,
            1 => Route::Mint,
            2 => Route::ChainId,
            3 => Route::Nonce,
            4 => Route::ByHash,
            5 => Route::TokenMetadata,
            6 => Route::OpenApi,
            _ => Route::Other,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Route::Issue => "/v1/tokens/issue",
            Route::Mint => "/api/tokens/mint",
            Route::ChainId => "/v1/chains/chain_id",
            Route::Nonce => "/v1/accounts/nonce",
            Route::ByHash => "/v1/transactions/by_hash",
            Route::TokenMetadata => "/v1/tokens/token_metadata",
            Route::OpenApi => "/openapi.json",
            Route::Other => "/",
        }
    }

    fn method(self) -> Method {
        match self {
            Route::Issue | Route::Mint => Method::POST,
            _ => Method::GET,
        }
    }
}

/// One HTTP request of a fuzz input.
#[derive(Debug)]
pub struct RawRequest {
    pub method: Method,
    pub uri: String,
    pub content_type: Option<Vec<u8>>,
    pub body: Vec<u8>,
    /// For a valid issue request built by the target: what must happen.
    pub expect: Option<Expected>,
}

/// The outcome a built issue request must have.
#[derive(Clone, Debug)]
pub struct Expected {
    pub request: SignedRequest,
    /// 200, or the `error_code` of the refusal.
    pub outcome: Result<(), &'static str>,
}

fn method(b: u8, route: Route, r: &mut Reader<'_>) -> Method {
    match b % 9 {
        0..=2 => route.method(),
        3 => Method::GET,
        4 => Method::POST,
        5 => Method::PUT,
        6 => Method::DELETE,
        7 => Method::HEAD,
        _ => {
            let n = usize::from(r.u8() % 12);
            let token = r.bytes(n);
            Method::from_bytes(&token).unwrap_or(Method::PATCH)
        }
    }
}

fn content_type(b: u8, r: &mut Reader<'_>) -> Option<Vec<u8>> {
    match b % 7 {
        0..=2 => Some(b"application/json".to_vec()),
        3 => None,
        4 => Some(b"application/json; charset=utf-8".to_vec()),
        5 => Some(b"text/plain".to_vec()),
        _ => {
            let n = usize::from(r.u8() % 40);
            Some(r.bytes(n))
        }
    }
}

/// The requests of one input, one after the other. Each request is:
///
/// | bytes | meaning |
/// | --- | --- |
/// | 1 | kind: bits 7 and 6 set = a mint request built from the input (below); bit 7 alone = a valid issue request built from the input (below); else route = kind % 8 |
/// | 1 | method: 0-2 the route's own, 3 GET, 4 POST, 5 PUT, 6 DELETE, 7 HEAD, 8 a token from the input |
/// | 1 | content type: 0-2 application/json, 3 none, 4 with charset, 5 text/plain, 6 bytes from the input |
/// | 1 + n | query string (for route 7: the path), n bytes |
/// | 2 + n | body, n bytes (u16 LE) |
///
/// A built issue request reads instead: signer (0 operator, 1 outsider,
/// 2 operator with a broken signature), nonce offset (i8, from the
/// signer's next nonce), chain (0 testnet, 1 mainnet, else that number),
/// symbol (pool index, or 0xff then 1 + n bytes), master (pool index),
/// flags (bit 0 is_private, bit 1 clawback given, bit 2 its value), then a
/// byte edit of the body: offset (u16 LE; past the end: none) and byte.
///
/// A built mint request reads: asset (index into the symbols issued so
/// far; 0xff: a symbol never issued), amount kind, recipient (1 + n bytes).
///
/// Requests are read one at a time, each after the previous one was
/// answered, so a built request sees the state its predecessors left.
fn next_request(srv: &Server, r: &mut Reader<'_>) -> RawRequest {
    let kind = r.u8();
    if kind & 0xc0 == 0xc0 {
        return build_mint(srv, r);
    }
    if kind & 0x80 != 0 {
        return build_issue(srv, r);
    }
    let route = Route::from_byte(kind);
    let m = r.u8();
    let method = method(m, route, r);
    let ct = r.u8();
    let content_type = content_type(ct, r);
    let qn = usize::from(r.u8());
    let query = r.text(qn);
    let bn = usize::from(r.u16());
    let body = r.bytes(bn);
    let uri = if route == Route::Other {
        format!("/{query}")
    } else if query.is_empty() {
        route.path().to_string()
    } else {
        format!("{}?{query}", route.path())
    };
    RawRequest {
        method,
        uri,
        content_type,
        body,
        expect: None,
    }
}

fn build_mint(srv: &Server, r: &mut Reader<'_>) -> RawRequest {
    let index = r.u8();
    let asset = {
        let issued = srv.issued.lock().expect("lock");
        match issued.symbols.len() {
            0 => "NEVERISSUED".to_string(),
            _ if index == 0xff => "NEVERISSUED".to_string(),
            n => issued.symbols[usize::from(index) % n].clone(),
        }
    };
    let amount = match r.u8() % 8 {
        0 => serde_json::json!(r.u16()),
        1 => serde_json::json!(0),
        2 => serde_json::json!(-5),
        3 => serde_json::json!(1.5),
        4 => serde_json::json!(0.0000001),
        5 => serde_json::json!(1e30),
        6 => serde_json::json!("100"),
        _ => serde_json::json!(u64::MAX),
    };
    let n = usize::from(r.u8());
    let recipient = r.text(n);
    let body = serde_json::json!({
        "asset_id": asset,
        "amount": amount,
        "recipient_wallet_address": recipient,
    });
    RawRequest {
        method: Method::POST,
        uri: Route::Mint.path().into(),
        content_type: Some(b"application/json".to_vec()),
        body: body.to_string().into_bytes(),
        expect: None,
    }
}

fn next_nonce(srv: &Server, address: &Address) -> u64 {
    let uri = format!("/v1/accounts/nonce?address={address:#x}");
    let (status, body) = send(srv, Method::GET, &uri, None, Vec::new()).expect("sent");
    assert_eq!(status, StatusCode::OK, "nonce query");
    let v: Value = serde_json::from_slice(&body).expect("nonce JSON");
    v["nonce"].as_u64().expect("nonce number")
}

fn build_issue(srv: &Server, r: &mut Reader<'_>) -> RawRequest {
    let signer_mode = r.u8() % 3;
    let nonce_offset = i64::from(r.u8() as i8);
    let chain = match r.u8() {
        0 => CHAIN_ID_TESTNET,
        1 => CHAIN_ID_MAINNET,
        b => u64::from(b),
    };
    let symbol_index = r.u8();
    let symbol = if symbol_index == 0xff {
        let n = usize::from(r.u8());
        r.bytes(n)
            .iter()
            .map(|b| {
                let alnum = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
                char::from(alnum[usize::from(*b) % alnum.len()])
            })
            .collect()
    } else {
        SYMBOL_POOL[usize::from(symbol_index) % SYMBOL_POOL.len()].to_string()
    };
    let master = master_pool(r.u8());
    let flags = r.u8();
    let edit_at = r.u16();
    let edit_byte = r.u8();

    let key = if signer_mode == 1 {
        &srv.outsider
    } else {
        &srv.operator
    };
    let signer = key.address();
    let next = next_nonce(srv, &signer);
    let nonce = next.saturating_add_signed(nonce_offset);
    let fields = PayloadFields {
        chain_id: chain,
        nonce,
        symbol: &symbol,
        name: "Fuzz Token",
        decimals: 6,
        master_authority: master,
        is_private: flags & 1 != 0,
        clawback_enabled: (flags & 2 != 0).then_some(flags & 4 != 0),
    };
    let Ok(payload) = TokenIssuePayload::new(fields) else {
        // An empty or over-long symbol: send it as raw JSON, no expectation.
        return RawRequest {
            method: Method::POST,
            uri: Route::Issue.path().into(),
            content_type: Some(b"application/json".to_vec()),
            body: symbol.into_bytes(),
            expect: None,
        };
    };
    let mut request = SignedRequest::sign(payload, key).expect("signs");
    if signer_mode == 2 {
        request.signature.v ^= 1;
    }
    let mut buf = [0u8; MAX_REQUEST_JSON_LEN];
    let n = json::write_request(&request, &mut buf).expect("fits");
    let mut body = buf[..n].to_vec();
    let edited = usize::from(edit_at) < body.len() && body[usize::from(edit_at)] != edit_byte;
    if edited {
        body[usize::from(edit_at)] = edit_byte;
    }

    let expect = (!edited).then(|| {
        let p = &request.payload;
        let token = p.token_address();
        let issued = srv.issued.lock().expect("lock");
        // The server recovers the signer, then checks the chain, the
        // operator, and (in storage) nonce, token and symbol, in that order.
        let outcome = if signer_mode == 2 {
            // v flipped: recovers another key (not an operator), or none.
            if p.chain_id() != CHAIN_ID_TESTNET {
                Err("INVALID_SIGNATURE or WRONG_CHAIN_ID")
            } else {
                Err("INVALID_SIGNATURE or SIGNER_NOT_OPERATOR")
            }
        } else if p.chain_id() != CHAIN_ID_TESTNET {
            Err("WRONG_CHAIN_ID")
        } else if signer_mode == 1 {
            Err("SIGNER_NOT_OPERATOR")
        } else if nonce != next {
            Err("NONCE_MISMATCH")
        } else if issued.tokens.contains(&token) {
            Err("TOKEN_ALREADY_EXISTS")
        } else if issued.symbol_set.contains(p.symbol()) {
            Err("SYMBOL_ALREADY_EXISTS")
        } else {
            Ok(())
        };
        Expected {
            request: request.clone(),
            outcome,
        }
    });
    RawRequest {
        method: Method::POST,
        uri: Route::Issue.path().into(),
        content_type: Some(b"application/json".to_vec()),
        body,
        expect,
    }
}

/// Sends one request through a fresh router; returns status and body.
fn send(
    srv: &Server,
    method: Method,
    uri: &str,
    content_type: Option<&[u8]>,
    body: Vec<u8>,
) -> Option<(StatusCode, Vec<u8>)> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(ct) = content_type.and_then(|ct| HeaderValue::from_bytes(ct).ok()) {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    // Not a valid HTTP request (a URI that hyper would refuse): not sent.
    let request = builder.body(Body::from(body)).ok()?;
    srv.runtime.block_on(async {
        let response = srv
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        if status != StatusCode::OK {
            let ct = response.headers().get(header::CONTENT_TYPE).cloned();
            assert!(
                ct.as_ref()
                    .is_some_and(|v| v.as_bytes().starts_with(b"application/json")),
                "error {status} without a JSON content type: {ct:?}"
            );
        }
        let body = response
            .into_body()
            .collect()
            .await
            .expect("response body")
            .to_bytes()
            .to_vec();
        Some((status, body))
    })
}

/// Checks one response: 200 or 4xx; an error body is `{"error_code":
/// string, "message": string, ...}`; a 200 body is JSON.
fn check_response(method: &Method, uri: &str, status: StatusCode, body: &[u8]) -> Option<Value> {
    let shown = || String::from_utf8_lossy(body).into_owned();
    assert!(
        status == StatusCode::OK || status.is_client_error(),
        "{method} {uri}: status {status}, body {}",
        shown()
    );
    if *method == Method::HEAD {
        return None;
    }
    let value: Value = serde_json::from_slice(body).unwrap_or_else(|e| {
        panic!(
            "{method} {uri}: {status} body is not JSON ({e}): {}",
            shown()
        )
    });
    if status != StatusCode::OK {
        let code = value.get("error_code").and_then(Value::as_str);
        let message = value.get("message").and_then(Value::as_str);
        assert!(
            code.is_some_and(
                |c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
            ) && message.is_some_and(|m| !m.is_empty()),
            "{method} {uri}: {status} body is not RESTErrorData: {}",
            shown()
        );
    }
    Some(value)
}

/// After a 200 to an issue request: the response names the transaction
/// and token, which the read endpoints then show.
fn check_issued(srv: &Server, request: &SignedRequest, value: &Value) {
    let hash = format!("0x{}", hex(&request.tx_hash()));
    let token = request.payload.token_address();
    assert_eq!(value["hash"].as_str(), Some(hash.as_str()), "hash");
    assert_eq!(
        value["token"].as_str().map(Address::parse),
        Some(Ok(token)),
        "token"
    );
    {
        let mut issued = srv.issued.lock().expect("lock");
        assert!(issued.tokens.insert(token), "token issued twice");
        assert!(
            issued
                .symbol_set
                .insert(request.payload.symbol().to_string()),
            "symbol issued twice"
        );
        issued.symbols.push(request.payload.symbol().to_string());
    }
    let (status, body) = send(
        srv,
        Method::GET,
        &format!("/v1/transactions/by_hash?hash={hash}"),
        None,
        Vec::new(),
    )
    .expect("sent");
    assert_eq!(status, StatusCode::OK, "the transaction is found");
    let tx: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(tx["hash"].as_str(), Some(hash.as_str()));
    let (status, _) = send(
        srv,
        Method::GET,
        &format!("/v1/tokens/token_metadata?token={token:#x}"),
        None,
        Vec::new(),
    )
    .expect("sent");
    assert_eq!(status, StatusCode::OK, "the token is found");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The target: every request of the input through the router.
pub fn server_handler(data: &[u8]) {
    let srv = server();
    let mut r = Reader(data);
    for _ in 0..MAX_REQUESTS {
        if r.0.is_empty() {
            break;
        }
        let req = next_request(srv, &mut r);
        let Some((status, body)) = send(
            srv,
            req.method.clone(),
            &req.uri,
            req.content_type.as_deref(),
            req.body.clone(),
        ) else {
            continue;
        };
        let value = check_response(&req.method, &req.uri, status, &body);
        let is_issue = req.method == Method::POST && req.uri == Route::Issue.path();
        if let Some(expect) = &req.expect {
            let code = value
                .as_ref()
                .and_then(|v| v.get("error_code"))
                .and_then(Value::as_str);
            match expect.outcome {
                Ok(()) => assert_eq!(
                    (status, code),
                    (StatusCode::OK, None),
                    "a valid issue request was refused: {expect:?}"
                ),
                Err(want) => assert!(
                    status.is_client_error()
                        && code.is_some_and(|c| want.split(" or ").any(|w| w == c)),
                    "expected {want}, got {status} {code:?}: {expect:?}"
                ),
            }
        }
        if is_issue && status == StatusCode::OK {
            let request = json::parse_request(&req.body).expect("an accepted request parses");
            check_issued(srv, &request, value.as_ref().expect("JSON body"));
        }
    }
}
