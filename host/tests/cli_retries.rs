//! Retries, ambiguity and answer checks of the submit path, against a tiny
//! scripted HTTP server on 127.0.0.1 (std `TcpListener`). All loops are
//! bounded; nothing asserts a timing.

mod cli_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use cli_support::*;
use tokensign::api::MintRequest;
use tokensign::client::{Client, ClientConfig, ClientError, RetryPolicy};
use tokensign::cmd::Failure;
use tokensign_core::Address;
use tokensign_fixtures::{issued_token, parse_issue_request};

/// What the fake server does with one POST /v1/tokens/issue.
#[derive(Clone, Debug)]
enum Issue {
    /// Answer with this status and a RESTErrorData body.
    Status(u16, &'static str),
    /// Read the request, then close without answering.
    Close,
    /// Read the request, wait this long, then close (a client timeout).
    Stall(Duration),
    /// Answer 200 with the hash and token computed from the body.
    Ok,
    /// Answer 200 with a wrong hash.
    WrongHash,
}

/// A scripted server. `issue` answers POSTs in order (the last repeats);
/// `by_hash` answers look-ups.
struct Fake {
    url: String,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
    lookups: Arc<Mutex<u32>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Submits a signed token issue to its v1 path, the answer checked for
/// its hash and token.
fn submit_issue(
    client: &Client<'_>,
    body: &[u8],
    hash: &[u8; 32],
    token: &tokensign_core::Address,
) -> Result<tokensign::client::Submitted, ClientError> {
    let expected = tokensign::client::Expected {
        tx_hash: *hash,
        token: Some(*token),
    };
    client.submit("/v1/tokens/issue", body, &expected)
}

fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let target = line
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
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
    let mut body = vec![0u8; length.min(65536)];
    reader.read_exact(&mut body).ok()?;
    Some((target, body))
}

fn respond(stream: &mut TcpStream, status: u16, body: &str) {
    let text = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(text.as_bytes());
    let _ = stream.flush();
}

fn answer_for(body: &[u8]) -> (String, String) {
    let request = parse_issue_request(body).expect("the client sends a valid request");
    (
        format!("0x{}", hex::encode(request.tx_hash().unwrap())),
        issued_token(&request.tx).unwrap().to_string(),
    )
}

fn handle(
    mut stream: TcpStream,
    bodies: &Mutex<Vec<Vec<u8>>>,
    lookups: &Mutex<u32>,
    script: &[Issue],
    posts: &AtomicUsize,
    by_hash: u16,
) {
    let _ = stream.set_nonblocking(false);
    let Some((target, body)) = read_request(&mut stream) else {
        return;
    };
    if target.starts_with("GET /v1/transactions/by_hash") {
        *lookups.lock().unwrap() += 1;
        let text = if by_hash == 200 {
            "{\"hash\":\"found\"}"
        } else {
            "{\"error_code\":\"TRANSACTION_NOT_FOUND\",\"message\":\"no such transaction\"}"
        };
        respond(&mut stream, by_hash, text);
        return;
    }
    if target.starts_with("GET /api/status") || target.starts_with("GET /v1/tokens/definition") {
        // The issue spec's server: no status route, read as v1_only; not a
        // tokensign local node.
        respond(
            &mut stream,
            404,
            "{\"error_code\":\"NOT_FOUND\",\"message\":\"no route\"}",
        );
        return;
    }
    if target.starts_with("GET /v1/chains/chain_id") {
        respond(&mut stream, 200, "{\"chain_id\":1212101}");
        return;
    }
    if target.starts_with("GET /v1/accounts/nonce") {
        respond(&mut stream, 200, "{\"nonce\":7}");
        return;
    }
    bodies.lock().unwrap().push(body.clone());
    let n = posts.fetch_add(1, Ordering::SeqCst);
    let action = script
        .get(n)
        .or(script.last())
        .cloned()
        .unwrap_or(Issue::Ok);
    match action {
        Issue::Status(code, error_code) => respond(
            &mut stream,
            code,
            &format!("{{\"error_code\":\"{error_code}\",\"message\":\"scripted {code}\"}}"),
        ),
        Issue::Close => drop(stream),
        Issue::Stall(d) => {
            std::thread::sleep(d);
            drop(stream);
        }
        Issue::Ok => {
            let (hash, token) = answer_for(&body);
            respond(
                &mut stream,
                200,
                &format!("{{\"hash\":\"{hash}\",\"token\":\"{token}\"}}"),
            );
        }
        Issue::WrongHash => {
            let (_, token) = answer_for(&body);
            respond(
                &mut stream,
                200,
                &format!(
                    "{{\"hash\":\"0x{}\",\"token\":\"{token}\"}}",
                    "ab".repeat(32)
                ),
            );
        }
    }
}

fn fake(script: Vec<Issue>, by_hash: u16) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let lookups = Arc::new(Mutex::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (b, l, s) = (bodies.clone(), lookups.clone(), stop.clone());
    let script = Arc::new(script);
    let posts = Arc::new(AtomicUsize::new(0));
    let thread = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut handlers = Vec::new();
        // Bounded: at most 200 connections, at most two minutes.
        while !s.load(Ordering::SeqCst) && Instant::now() < deadline && handlers.len() < 200 {
            match listener.accept() {
                Ok((stream, _)) => {
                    let (b, l, script, posts) =
                        (b.clone(), l.clone(), script.clone(), posts.clone());
                    handlers.push(std::thread::spawn(move || {
                        handle(stream, &b, &l, &script, &posts, by_hash)
                    }));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        for h in handlers {
            let _ = h.join();
        }
    });
    Fake {
        url,
        bodies,
        lookups,
        stop,
        thread: Some(thread),
    }
}

fn quick(timeout: Duration) -> ClientConfig {
    ClientConfig {
        timeout,
        max_wait: Duration::from_secs(60),
        retry: RetryPolicy {
            attempts: 4,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        },
    }
}

/// A signed spec request: its body, hash and token.
fn signed() -> (Vec<u8>, [u8; 32], Address) {
    let key = tokensign_fixtures::spec_key();
    let payload = tokensign_fixtures::spec_payload(7, None);
    let request = tokensign_core::legacy::LegacyTx::sign(payload, &key).unwrap();
    let mut buf = vec![0u8; tokensign_core::json::MAX_LEGACY_JSON_LEN];
    let n = tokensign_core::json::write_legacy(&request, &mut buf).unwrap();
    (
        buf[..n].to_vec(),
        request.tx_hash().unwrap(),
        issued_token(&request.tx).unwrap(),
    )
}

fn all_same(bodies: &[Vec<u8>], expected: &[u8]) {
    assert!(!bodies.is_empty());
    for b in bodies {
        assert_eq!(b.as_slice(), expected, "a retry changed the bytes");
    }
}

#[test]
fn server_errors_then_success_resend_the_same_bytes() {
    let server = fake(
        vec![
            Issue::Status(500, "INTERNAL_ERROR"),
            Issue::Status(408, "REQUEST_TIMEOUT"),
            Issue::Close,
            Issue::Ok,
        ],
        404,
    );
    let (body, hash, token) = signed();
    let client = Client::new(&server.url, quick(Duration::from_secs(10))).unwrap();
    let outcome = submit_issue(&client, &body, &hash, &token).unwrap();
    assert_eq!(outcome.attempts, 4);
    assert!(!outcome.confirmed_by_lookup);
    assert_eq!(outcome.tx_hash, hash);
    let bodies = server.bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 4);
    all_same(&bodies, &body);
}

#[test]
fn lost_answer_then_duplicate_rejection_is_found_by_hash() {
    // The first attempt arrives but its answer is lost; the retry is refused
    // as a duplicate; the look-up finds the transaction: success.
    let server = fake(
        vec![Issue::Close, Issue::Status(422, "NONCE_MISMATCH")],
        200,
    );
    let (body, hash, token) = signed();
    let client = Client::new(&server.url, quick(Duration::from_secs(10))).unwrap();
    let outcome = submit_issue(&client, &body, &hash, &token).unwrap();
    assert!(outcome.confirmed_by_lookup);
    assert_eq!(*server.lookups.lock().unwrap(), 1);
    all_same(&server.bodies.lock().unwrap(), &body);
}

#[test]
fn timeout_after_sending_then_lookup_finds_it() {
    // Every attempt times out waiting for the answer: ambiguous; the look-up
    // by hash finds the transaction, so it is a success.
    let server = fake(vec![Issue::Stall(Duration::from_secs(3))], 200);
    let (body, hash, token) = signed();
    let mut config = quick(Duration::from_secs(1));
    config.retry.attempts = 2;
    let client = Client::new(&server.url, config).unwrap();
    let outcome = submit_issue(&client, &body, &hash, &token).unwrap();
    assert!(outcome.confirmed_by_lookup);
    all_same(&server.bodies.lock().unwrap(), &body);
}

#[test]
fn persistent_5xx_and_not_found_is_unknown_outcome() {
    let server = fake(vec![Issue::Status(503, "UNAVAILABLE")], 404);
    let (body, hash, token) = signed();
    let client = Client::new(&server.url, quick(Duration::from_secs(10))).unwrap();
    let err = submit_issue(&client, &body, &hash, &token).unwrap_err();
    let ClientError::UnknownOutcome(message) = &err else {
        panic!("not an unknown outcome: {err:?}");
    };
    assert!(message.contains("OUTCOME UNKNOWN"), "{message}");
    assert!(message.contains("UNAVAILABLE"), "{message}");
    // Bounded: exactly the policy's attempts, then one look-up.
    assert_eq!(server.bodies.lock().unwrap().len(), 4);
    assert_eq!(*server.lookups.lock().unwrap(), 1);
}

#[test]
fn persistent_5xx_but_found_by_hash_is_success() {
    let server = fake(vec![Issue::Status(500, "INTERNAL_ERROR")], 200);
    let (body, hash, token) = signed();
    let client = Client::new(&server.url, quick(Duration::from_secs(10))).unwrap();
    let outcome = submit_issue(&client, &body, &hash, &token).unwrap();
    assert!(outcome.confirmed_by_lookup);
}

#[test]
fn a_plain_rejection_is_not_retried() {
    let server = fake(vec![Issue::Status(422, "SYMBOL_ALREADY_EXISTS")], 200);
    let (body, hash, token) = signed();
    let client = Client::new(&server.url, quick(Duration::from_secs(10))).unwrap();
    let err = submit_issue(&client, &body, &hash, &token).unwrap_err();
    assert!(matches!(err, ClientError::Refused { .. }), "{err:?}");
    assert_eq!(err.error_code(), Some("SYMBOL_ALREADY_EXISTS"));
    assert_eq!(server.bodies.lock().unwrap().len(), 1);
    // Nothing ambiguous happened, so no look-up.
    assert_eq!(*server.lookups.lock().unwrap(), 0);
}

#[test]
fn nothing_listening_is_a_network_failure() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (body, hash, token) = signed();
    let client = Client::new(
        &format!("http://127.0.0.1:{port}"),
        quick(Duration::from_secs(5)),
    )
    .unwrap();
    let err = submit_issue(&client, &body, &hash, &token).unwrap_err();
    // Refused: nothing listens, which the command layer turns into "is
    // the node running?".
    let ClientError::NoListener(message) = &err else {
        panic!("not a refused connection: {err:?}");
    };
    assert!(message.contains("did not arrive"), "{message}");
}

/// Through the binary: retried, then mismatch and unknown-outcome exit codes.
#[test]
fn binary_exit_codes_for_retry_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = write_file(dir.path(), "k", SPEC_KEY);
    let issue = |url: &str, json: bool| {
        let mut args = vec![];
        if json {
            args.push("--json");
        }
        args.extend_from_slice(&[
            "issue",
            "--url",
            url,
            "--symbol",
            "RTRY",
            "--name",
            "Retry",
            "--decimals",
            "2",
            "--master-authority",
            SPEC_ADDRESS,
            "--private-key-file",
            &key_file,
            "--retries",
            "2",
        ]);
        run(&args)
    };

    // 500 then 200: success, the chain id and nonce came from the server.
    let server = fake(vec![Issue::Status(500, "INTERNAL_ERROR"), Issue::Ok], 404);
    let out = issue(&server.url, true);
    assert_eq!(out.code, 0, "{out:?}");
    let obj = json_of(&out);
    assert_eq!(obj["attempts"], 2);
    assert_eq!(obj["request"]["nonce"], 7);
    let bodies = server.bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 2);
    all_same(&bodies, &bodies[0]);
    drop(server);

    // A 200 with another hash: accepted-but-mismatch, its own exit code.
    let server = fake(vec![Issue::WrongHash], 404);
    let out = issue(&server.url, false);
    assert_eq!(
        out.code,
        i32::from(Failure::AcceptedMismatch.code()),
        "{out:?}"
    );
    assert!(out.stderr.contains("WAS ACCEPTED"), "{out:?}");
    assert!(out.stderr.contains("Do NOT send it again"), "{out:?}");
    assert_eq!(server.bodies.lock().unwrap().len(), 1, "never resent");
    drop(server);

    // Persistent 5xx and not found by hash: unknown outcome.
    let server = fake(vec![Issue::Status(502, "BAD_GATEWAY")], 404);
    let out = issue(&server.url, true);
    assert_eq!(
        out.code,
        i32::from(Failure::UnknownOutcome.code()),
        "{out:?}"
    );
    assert_eq!(json_of(&out)["error"]["kind"], "unknown_outcome");
    assert_eq!(server.bodies.lock().unwrap().len(), 3);
    drop(server);

    // Nothing listening: network failure.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let out = issue(&format!("http://127.0.0.1:{port}"), false);
    assert_eq!(out.code, i32::from(Failure::Network.code()), "{out:?}");
    assert!(!out.all().contains(SPEC_KEY));
}

/// A mint is never sent twice: a possibly-arrived mint is an unknown
/// outcome, not a retry.
#[test]
fn a_lost_mint_answer_is_not_resent() {
    let server = fake(vec![Issue::Close], 404);
    let client = Client::new(&server.url, quick(Duration::from_secs(10))).unwrap();
    let body = MintRequest {
        asset_id: "UKGILT2030".into(),
        amount: 100.into(),
        recipient_wallet_address: "0xA1B2C3D4E5F6A7B8C9D0".into(),
    };
    let err = client.mint(&body).unwrap_err();
    assert!(matches!(err, ClientError::UnknownOutcome(_)), "{err:?}");
    assert_eq!(server.bodies.lock().unwrap().len(), 1);
}
