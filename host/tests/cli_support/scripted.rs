//! A scripted 1Money server for the CLI's tests: std `TcpListener` on
//! 127.0.0.1, one thread per connection, every request recorded. Each
//! write path answers from its own script (status modes, refusals, a
//! stall, a wrong hash, a 200 without a hash); reads answer from the
//! settings. The hash of an accepted write is computed from the body it
//! received, so a wrong body is a wrong hash. All loops are bounded.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokensign_core::json::{parse_legacy, parse_native};
use tokensign_core::tx::{OpType, Operation};

/// How the server answers one POST to a write path.
#[derive(Clone, Debug)]
pub enum Answer {
    /// 200 with the body's own hash (and token for an issue).
    Ok,
    /// 200 with another hash.
    WrongHash,
    /// 200 `{}`: no hash.
    NoHash,
    /// This status with a `RESTErrorData` of this code.
    Status(u16, &'static str),
    /// Read the request, wait, close without answering.
    Stall(Duration),
}

/// What the reads answer.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `native_write_mode` of `/api/status`; `None`: the route is a 404.
    pub mode: Option<&'static str>,
    /// `read_only` of `/api/status`.
    pub read_only: bool,
    /// Every account's nonce.
    pub nonce: u64,
    /// Every token's decimals.
    pub decimals: u8,
    /// Whether `token_metadata` knows the token (else 404 TOKEN_NOT_FOUND).
    pub token_known: bool,
    /// Every token account's balance.
    pub balance: &'static str,
    /// Look-ups by hash find the transaction.
    pub found: bool,
    /// The finalized receipt appears at this look-up (1-based); 0: never.
    pub finalized_at: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Some("dual"),
            read_only: false,
            nonce: 7,
            decimals: 6,
            token_known: true,
            balance: "12500000",
            found: false,
            finalized_at: 2,
        }
    }
}

/// One request the server received.
#[derive(Clone, Debug)]
pub struct Seen {
    /// `GET` or `POST`.
    pub method: String,
    /// Path and query.
    pub target: String,
    /// The body.
    pub body: Vec<u8>,
}

/// A running scripted server.
pub struct Scripted {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Scripted {
    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The POSTs so far.
    pub fn posts(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == "POST")
            .collect()
    }

    /// How many requests started with `prefix` (`GET /api/status`).
    pub fn count(&self, prefix: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| format!("{} {}", s.method, s.target).starts_with(prefix))
            .count()
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut length = 0usize;
    for _ in 0..100 {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            break;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0u8; length.min(1 << 20)];
    reader.read_exact(&mut body).ok()?;
    Some(Seen {
        method,
        target,
        body,
    })
}

fn respond(stream: &mut TcpStream, status: u16, body: &str) {
    let text = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(text.as_bytes());
    let _ = stream.flush();
}

/// The operation a write path is for, and whether it is v2.
pub fn op_of_path(path: &str) -> Option<(OpType, bool)> {
    OpType::ALL.iter().find_map(|op| {
        if op.v2_path() == path {
            Some((*op, true))
        } else if op.v1_path() == Some(path) {
            Some((*op, false))
        } else {
            None
        }
    })
}

/// The `{hash[, token]}` answer for a request body sent to `path`.
pub fn answer_for(path: &str, body: &[u8]) -> String {
    let Some((op, v2)) = op_of_path(path) else {
        return "{}".into();
    };
    let (hash, tx) = if v2 {
        let r = parse_native::<256, 32>(op, body).expect("the CLI sends a valid v2 body");
        (r.tx_hash(), r.tx)
    } else {
        let r = parse_legacy::<256, 32>(op, body).expect("the CLI sends a valid v1 body");
        (r.tx_hash().unwrap(), r.tx)
    };
    let hash = format!("0x{}", hex::encode(hash));
    match &tx.operation {
        Operation::TokenIssue(issue) => {
            format!(r#"{{"hash":"{hash}","token":"{}"}}"#, issue.token_address())
        }
        _ => format!(r#"{{"hash":"{hash}"}}"#),
    }
}

const RECEIPT: &str = r#""success":true,"transaction_hash":"0xab","fee_used":"0","from":"0x2045a425d0e131e747f8be2f044413733e412d7d""#;

fn handle(
    mut stream: TcpStream,
    settings: &Settings,
    scripts: &Mutex<HashMap<String, Vec<Answer>>>,
    seen: &Mutex<Vec<Seen>>,
) {
    let _ = stream.set_nonblocking(false);
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    seen.lock().unwrap().push(request.clone());
    let path = request
        .target
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    let not_found =
        r#"{"error_code":"resource_transaction_not_found","message":"no such transaction"}"#;
    if request.method == "POST" {
        let answer = {
            let mut scripts = scripts.lock().unwrap();
            match scripts.get_mut(&path) {
                Some(list) if list.len() > 1 => list.remove(0),
                Some(list) => list.first().cloned().unwrap_or(Answer::Ok),
                None => Answer::Ok,
            }
        };
        match answer {
            Answer::Ok => respond(&mut stream, 200, &answer_for(&path, &request.body)),
            Answer::WrongHash => respond(
                &mut stream,
                200,
                &format!(r#"{{"hash":"0x{}"}}"#, "ab".repeat(32)),
            ),
            Answer::NoHash => respond(&mut stream, 200, "{}"),
            Answer::Status(code, error_code) => respond(
                &mut stream,
                code,
                &format!(r#"{{"error_code":"{error_code}","message":"scripted {code}"}}"#),
            ),
            Answer::Stall(d) => {
                std::thread::sleep(d);
            }
        }
        return;
    }
    match path.as_str() {
        "/api/status" => match settings.mode {
            None => respond(
                &mut stream,
                404,
                r#"{"error_code":"NOT_FOUND","message":"no route"}"#,
            ),
            Some(mode) => respond(
                &mut stream,
                200,
                &format!(
                    r#"{{"native_write_mode":"{mode}","read_only":{},"activation_source":"capability_full","dual_activated_at_secs":null,"native_domain_separated_transactions":{{"support_count":4,"required_count":4,"full_support":true}}}}"#,
                    settings.read_only
                ),
            ),
        },
        "/v1/chains/chain_id" => respond(&mut stream, 200, r#"{"chain_id":1212101}"#),
        "/v1/accounts/nonce" => respond(
            &mut stream,
            200,
            &format!(r#"{{"nonce":{}}}"#, settings.nonce),
        ),
        "/v1/accounts/token_account" => respond(
            &mut stream,
            200,
            &format!(r#"{{"balance":"{}","nonce":3}}"#, settings.balance),
        ),
        "/v1/tokens/token_metadata" if !settings.token_known => respond(
            &mut stream,
            404,
            r#"{"error_code":"TOKEN_NOT_FOUND","message":"no such token"}"#,
        ),
        "/v1/tokens/token_metadata" => respond(
            &mut stream,
            200,
            &format!(
                r#"{{"symbol":"USDX","master_authority":"0x2045a425d0e131e747f8be2f044413733e412d7d","master_mint_burn_authority":"0x0000000000000000000000000000000000000000","mint_burn_authorities":[{{"minter":"0x0202020202020202020202020202020202020202","allowance":"1000"}}],"pause_authorities":[],"list_authorities":[],"black_list":["0x0303030303030303030303030303030303030303"],"white_list":[],"metadata_update_authorities":[],"bridge_mint_authorities":[],"supply":"99000000","decimals":{},"is_paused":false,"is_private":false,"clawback_enabled":true,"meta":{{"name":"USD X","uri":"https://x.example","additional_metadata":[]}}}}"#,
                settings.decimals
            ),
        ),
        "/v1/transactions/by_hash" if settings.found => respond(
            &mut stream,
            200,
            r#"{"hash":"0xab","chain_id":1212101,"from":"0x2045a425d0e131e747f8be2f044413733e412d7d","nonce":7,"signature":{"r":"0x1","s":"0x2","v":0},"transaction_type":"TokenTransfer","data":{}}"#,
        ),
        "/v1/transactions/receipt/by_hash" if settings.found => {
            respond(&mut stream, 200, &format!("{{{RECEIPT}}}"))
        }
        "/v1/transactions/finalized/by_hash" => {
            let polls = seen
                .lock()
                .unwrap()
                .iter()
                .filter(|s| s.target.starts_with("/v1/transactions/finalized/by_hash"))
                .count();
            if settings.finalized_at > 0 && polls >= settings.finalized_at {
                respond(
                    &mut stream,
                    200,
                    &format!(
                        r#"{{{RECEIPT},"epoch":9,"counter_signatures":[{{"r":"0x1","s":"0x2","v":1}}]}}"#
                    ),
                );
            } else {
                respond(&mut stream, 404, not_found);
            }
        }
        _ => respond(&mut stream, 404, not_found),
    }
}

/// Starts a scripted server: `scripts` maps a write path to its answers
/// (in order; the last repeats; a path without a script answers Ok).
pub fn scripted(settings: Settings, scripts: Vec<(&str, Vec<Answer>)>) -> Scripted {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let scripts: HashMap<String, Vec<Answer>> = scripts
        .into_iter()
        .map(|(p, a)| (p.to_owned(), a))
        .collect();
    let scripts = Arc::new(Mutex::new(scripts));
    let (seen2, stop2) = (seen.clone(), stop.clone());
    let thread = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut handlers = Vec::new();
        // Bounded: at most 400 connections, at most two minutes.
        while !stop2.load(Ordering::SeqCst) && Instant::now() < deadline && handlers.len() < 400 {
            match listener.accept() {
                Ok((stream, _)) => {
                    let (settings, scripts, seen) =
                        (settings.clone(), scripts.clone(), seen2.clone());
                    handlers.push(std::thread::spawn(move || {
                        handle(stream, &settings, &scripts, &seen)
                    }));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
        for h in handlers {
            let _ = h.join();
        }
    });
    Scripted {
        url,
        seen,
        stop,
        thread: Some(thread),
    }
}
