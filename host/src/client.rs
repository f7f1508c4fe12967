//! REST client of the token-issue API: chain id, nonce, submit, look-up by
//! hash, and the ABC-Lab mint call; with timeouts, bounded retries and the
//! ambiguity rules of a non-idempotent submit.
//!
//! The request body is the exact byte string the core wrote; a retry sends
//! the same bytes. After an attempt whose outcome is ambiguous (the request
//! may have reached the server: a timeout after sending, a 5xx, a reset
//! connection), the transaction is looked up by its hash before a failure is
//! reported.

use std::time::Duration;

use serde_json::Value;
use tokensign_core::Address;

use crate::exit::{sanitize, CliError, Failure};

/// Largest response body read, in bytes.
const MAX_RESPONSE: u64 = 1024 * 1024;

/// How often and how patiently to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, at least 1 (the first try plus the retries).
    pub attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub initial_backoff: Duration,
    /// The longest wait between attempts.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(4),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt number `attempt` (0-based; 0 waits nothing).
    pub fn backoff(&self, attempt: u32) -> Duration {
        if attempt == 0 {
            return Duration::ZERO;
        }
        let factor = 1u32 << (attempt - 1).min(16);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// Client settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// Timeout of each phase of a request (connect, send, wait for the
    /// answer, read it).
    pub timeout: Duration,
    /// Retries of connection failures, 408 and 5xx.
    pub retry: RetryPolicy,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// The server's error body, `RESTErrorData`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestError {
    /// The HTTP status.
    pub status: u16,
    /// `error_code`, when the body had one.
    pub error_code: Option<String>,
    /// `message`, or a description of the body when it had none.
    pub message: String,
}

impl RestError {
    fn from_response(status: u16, body: &[u8]) -> Self {
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let field = |name: &str| {
            json.as_ref()
                .and_then(|j| j.get(name))
                .and_then(Value::as_str)
                .map(sanitize)
        };
        let error_code = field("error_code").or_else(|| field("code"));
        let detail = field("detail");
        let message = field("message").unwrap_or_else(|| {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            if text.is_empty() {
                "(no message)".to_owned()
            } else {
                sanitize(&text.chars().take(300).collect::<String>())
            }
        });
        let message = match detail {
            Some(d) if !d.is_empty() && d != message => format!("{message} ({d})"),
            _ => message,
        };
        RestError {
            status,
            error_code,
            message,
        }
    }
}

impl std::fmt::Display for RestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.error_code {
            Some(code) => write!(f, "HTTP {}: {code}: {}", self.status, self.message),
            None => write!(f, "HTTP {}: {}", self.status, self.message),
        }
    }
}

/// Why a single exchange got no HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// The request cannot have reached the server (no connection).
    NotSent(String),
    /// The request may have reached the server (timeout after sending,
    /// reset connection, broken answer).
    MaybeSent(String),
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportError::NotSent(s) | TransportError::MaybeSent(s) => f.write_str(s),
        }
    }
}

/// The hash and token a successful issue answered with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueOutcome {
    /// The transaction hash (checked equal to the local one).
    pub tx_hash: [u8; 32],
    /// The token address (checked equal to the local one).
    pub token: Address,
    /// True when the answer was lost and a look-up by hash found the
    /// transaction.
    pub confirmed_by_lookup: bool,
    /// Attempts made.
    pub attempts: u32,
}

/// A result of a look-up by hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The server knows the transaction (its JSON answer).
    Found(Value),
    /// The server answered 404.
    NotFound,
}

/// A REST client bound to one server.
pub struct Client {
    base: String,
    agent: ureq::Agent,
    config: ClientConfig,
}

/// Lower-case `0x` hex of 32 bytes.
pub fn hex32(bytes: &[u8; 32]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Parses `0x` + 64 hex digits (any case).
pub fn parse_hex32(text: &str) -> Option<[u8; 32]> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))?;
    let mut out = [0u8; 32];
    hex::decode_to_slice(digits, &mut out).ok()?;
    Some(out)
}

/// Checks that `url` is an absolute http(s) URL without a query, and
/// returns it without a trailing slash.
pub fn normalize_base_url(url: &str) -> Result<String, CliError> {
    let bad =
        |why: &str| CliError::bad_input(format!("invalid server URL {:?}: {why}", sanitize(url)));
    let uri: ureq::http::Uri = url.parse().map_err(|_| bad("not a URL"))?;
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        _ => return Err(bad("it must start with http:// or https://")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(bad("it has no host"));
    }
    if uri.query().is_some() {
        return Err(bad("it must not have a query"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

fn classify(e: ureq::Error) -> TransportError {
    use std::io::ErrorKind as K;
    use ureq::Error as E;
    let text = sanitize(&e.to_string());
    match e {
        E::HostNotFound | E::ConnectionFailed => TransportError::NotSent(text),
        E::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => {
            TransportError::NotSent(format!("{text} (while connecting)"))
        }
        E::Io(io)
            if matches!(
                io.kind(),
                K::ConnectionRefused
                    | K::AddrNotAvailable
                    | K::NetworkUnreachable
                    | K::HostUnreachable
                    | K::NotFound
            ) =>
        {
            TransportError::NotSent(text)
        }
        E::Tls(_) | E::Rustls(_) => TransportError::NotSent(text),
        _ => TransportError::MaybeSent(text),
    }
}

impl Client {
    /// A client of the server at `base_url` (e.g. `http://127.0.0.1:18555`).
    pub fn new(base_url: &str, config: ClientConfig) -> Result<Self, CliError> {
        let base = normalize_base_url(base_url)?;
        let t = Some(config.timeout);
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_resolve(t)
            .timeout_connect(t)
            .timeout_send_request(t)
            .timeout_send_body(t)
            .timeout_recv_response(t)
            .timeout_recv_body(t)
            .max_idle_connections(0)
            .max_idle_connections_per_host(0)
            .user_agent(concat!("tokensign/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Client {
            base,
            agent: agent_config.into(),
            config,
        })
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// One exchange, no retries: status and body, or why there was none.
    pub fn exchange(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<&[u8]>,
    ) -> Result<(u16, Vec<u8>), TransportError> {
        let url = format!("{}{}", self.base, path_and_query);
        let result = match (method, body) {
            ("POST", Some(body)) => self
                .agent
                .post(&url)
                .header("content-type", "application/json")
                .send(body),
            ("POST", None) => self.agent.post(&url).send_empty(),
            _ => self
                .agent
                .get(&url)
                .header("accept", "application/json")
                .call(),
        };
        let mut response = result.map_err(classify)?;
        let status = response.status().as_u16();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE)
            .read_to_vec()
            .map_err(|e| {
                TransportError::MaybeSent(format!(
                    "reading the answer: {}",
                    sanitize(&e.to_string())
                ))
            })?;
        Ok((status, bytes))
    }

    /// A GET with retries of connection failures, 408 and 5xx; returns
    /// the final status and body (any status), or the network error.
    fn get_with_retries(&self, path_and_query: &str) -> Result<(u16, Vec<u8>), CliError> {
        let policy = self.config.retry;
        let mut last = String::new();
        for attempt in 0..policy.attempts.max(1) {
            std::thread::sleep(policy.backoff(attempt));
            match self.exchange("GET", path_and_query, None) {
                Ok((status, body)) if status == 408 || status >= 500 => {
                    last = RestError::from_response(status, &body).to_string();
                }
                Ok(answer) => return Ok(answer),
                Err(e) => last = e.to_string(),
            }
        }
        Err(CliError::new(
            Failure::Network,
            format!(
                "GET {}{} failed after {} attempts: {last}",
                self.base,
                path_and_query,
                policy.attempts.max(1)
            ),
        ))
    }

    /// A GET whose 200 answer is a JSON object holding the integer `field`.
    fn get_u64(&self, path_and_query: &str, field: &str) -> Result<u64, CliError> {
        let (status, body) = self.get_with_retries(path_and_query)?;
        if status != 200 {
            let e = RestError::from_response(status, &body);
            return Err(rejected(format!("GET {path_and_query}: {e}"), &e));
        }
        serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|j| j.get(field).and_then(Value::as_u64))
            .ok_or_else(|| {
                CliError::new(
                    Failure::Network,
                    format!(
                        "GET {path_and_query}: the answer is not a JSON object with an integer `{field}`"
                    ),
                )
            })
    }

    /// `GET /v1/chains/chain_id`.
    pub fn chain_id(&self) -> Result<u64, CliError> {
        self.get_u64("/v1/chains/chain_id", "chain_id")
    }

    /// `GET /v1/accounts/nonce?address=`.
    pub fn nonce(&self, address: &Address) -> Result<u64, CliError> {
        self.get_u64(&format!("/v1/accounts/nonce?address={address}"), "nonce")
    }

    /// `GET /v1/transactions/by_hash?hash=`: found, not found, or an error
    /// (network failure or an unexpected answer).
    pub fn lookup(&self, tx_hash: &[u8; 32]) -> Result<Lookup, CliError> {
        let path = format!("/v1/transactions/by_hash?hash={}", hex32(tx_hash));
        let (status, body) = self.get_with_retries(&path)?;
        match status {
            200 => Ok(Lookup::Found(
                serde_json::from_slice(&body).unwrap_or(Value::Null),
            )),
            404 => Ok(Lookup::NotFound),
            _ => Err(CliError::new(
                Failure::Network,
                format!(
                    "look-up by hash: {}",
                    RestError::from_response(status, &body)
                ),
            )),
        }
    }

    /// Submits a signed issue request (`POST /v1/tokens/issue`) and checks
    /// the answer against the locally computed transaction hash and token.
    ///
    /// `body` is sent unchanged on every attempt. Connection failures, 408
    /// and 5xx are retried within the policy. After an ambiguous attempt, a
    /// look-up by hash decides: found is success. Errors carry the exit
    /// code's [`Failure`] kind: `Rejected`, `Network`, `UnknownOutcome` or
    /// `AcceptedMismatch`.
    pub fn submit_issue(
        &self,
        body: &[u8],
        tx_hash: &[u8; 32],
        token: &Address,
    ) -> Result<IssueOutcome, CliError> {
        let policy = self.config.retry;
        let attempts = policy.attempts.max(1);
        let mut maybe_arrived = false;
        let mut last = String::new();
        for attempt in 0..attempts {
            std::thread::sleep(policy.backoff(attempt));
            match self.exchange("POST", "/v1/tokens/issue", Some(body)) {
                Ok((200, answer)) => {
                    return check_answer(&answer, tx_hash, token).map(|()| IssueOutcome {
                        tx_hash: *tx_hash,
                        token: *token,
                        confirmed_by_lookup: false,
                        attempts: attempt + 1,
                    })
                }
                Ok((408, answer)) => {
                    last = RestError::from_response(408, &answer).to_string();
                }
                Ok((status, answer)) if status >= 500 => {
                    maybe_arrived = true;
                    last = RestError::from_response(status, &answer).to_string();
                }
                Ok((status, answer)) => {
                    let e = RestError::from_response(status, &answer);
                    // An earlier attempt may have been accepted; this one
                    // may then be refused as a duplicate. Look first.
                    if maybe_arrived {
                        if let Ok(Lookup::Found(_)) = self.lookup(tx_hash) {
                            return Ok(IssueOutcome {
                                tx_hash: *tx_hash,
                                token: *token,
                                confirmed_by_lookup: true,
                                attempts: attempt + 1,
                            });
                        }
                    }
                    return Err(rejected(
                        format!("the server rejected the request: {e}"),
                        &e,
                    ));
                }
                Err(TransportError::NotSent(why)) => last = why,
                Err(TransportError::MaybeSent(why)) => {
                    maybe_arrived = true;
                    last = why;
                }
            }
        }
        if !maybe_arrived {
            return Err(CliError::new(
                Failure::Network,
                format!(
                    "could not deliver the request to {} after {attempts} attempts: {last}. \
                     It did not arrive; it is safe to send again.",
                    self.base
                ),
            ));
        }
        match self.lookup(tx_hash) {
            Ok(Lookup::Found(_)) => Ok(IssueOutcome {
                tx_hash: *tx_hash,
                token: *token,
                confirmed_by_lookup: true,
                attempts,
            }),
            Ok(Lookup::NotFound) => Err(CliError::new(
                Failure::UnknownOutcome,
                format!(
                    "OUTCOME UNKNOWN: after {attempts} attempts the last error was: {last}. \
                     The request may have reached the server; a look-up of transaction {} \
                     found nothing yet. Look it up again (GET /v1/transactions/by_hash) \
                     before sending anything again.",
                    hex32(tx_hash)
                ),
            )),
            Err(e) => Err(CliError::new(
                Failure::UnknownOutcome,
                format!(
                    "OUTCOME UNKNOWN: after {attempts} attempts the last error was: {last}. \
                     The request may have reached the server, and the look-up of transaction {} \
                     failed too ({}). Look it up before sending anything again.",
                    hex32(tx_hash),
                    e.message
                ),
            )),
        }
    }

    /// `POST /api/tokens/mint` (ABC-Lab): returns the JSON answer of a 2xx.
    /// Retries only failures where the request cannot have arrived, so a
    /// mint is never sent twice.
    pub fn mint(&self, body: &Value) -> Result<Value, CliError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| CliError::internal(format!("cannot write the mint request: {e}")))?;
        let policy = self.config.retry;
        let attempts = policy.attempts.max(1);
        let mut last = String::new();
        for attempt in 0..attempts {
            std::thread::sleep(policy.backoff(attempt));
            match self.exchange("POST", "/api/tokens/mint", Some(&bytes)) {
                Ok((status, answer)) if (200..300).contains(&status) => {
                    return serde_json::from_slice(&answer).map_err(|_| {
                        CliError::new(
                            Failure::UnknownOutcome,
                            format!("the mint answered HTTP {status} but its body is not JSON"),
                        )
                    })
                }
                Ok((status, answer)) => {
                    let e = RestError::from_response(status, &answer);
                    let kind = if status >= 500 {
                        Failure::UnknownOutcome
                    } else {
                        Failure::Rejected
                    };
                    let mut err = CliError::new(kind, format!("the server refused the mint: {e}"));
                    err.error_code = e.error_code;
                    return Err(err);
                }
                Err(TransportError::NotSent(why)) => last = why,
                Err(TransportError::MaybeSent(why)) => {
                    return Err(CliError::new(
                        Failure::UnknownOutcome,
                        format!(
                            "OUTCOME UNKNOWN: the mint request may have reached the server: {why}"
                        ),
                    ))
                }
            }
        }
        Err(CliError::new(
            Failure::Network,
            format!(
                "could not deliver the mint request to {} after {attempts} attempts: {last}",
                self.base
            ),
        ))
    }
}

fn rejected(message: String, e: &RestError) -> CliError {
    let mut err = CliError::new(Failure::Rejected, message);
    err.error_code = e.error_code.clone();
    err
}

/// Checks a 200 answer `{hash, token}` against the local values.
fn check_answer(answer: &[u8], tx_hash: &[u8; 32], token: &Address) -> Result<(), CliError> {
    let json: Option<Value> = serde_json::from_slice(answer).ok();
    let text = |name: &str| {
        json.as_ref()
            .and_then(|j| j.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let got_hash = text("hash");
    let got_token = text("token");
    let hash_ok = got_hash.as_deref().and_then(parse_hex32) == Some(*tx_hash);
    let token_ok = got_token
        .as_deref()
        .and_then(|t| Address::parse(t).ok())
        .is_some_and(|t| t == *token);
    if hash_ok && token_ok {
        return Ok(());
    }
    let show = |v: Option<String>| v.map_or("(missing)".to_owned(), |s| sanitize(&s));
    Err(CliError::new(
        Failure::AcceptedMismatch,
        format!(
            "THE REQUEST WAS ACCEPTED (HTTP 200), BUT THE ANSWER DIFFERS FROM WHAT WAS SIGNED.\n\
             Do NOT send it again.\n  \
             expected hash  {}\n  server hash    {}\n  \
             expected token {}\n  server token   {}",
            hex32(tx_hash),
            show(got_hash),
            token,
            show(got_token)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(0), Duration::ZERO);
        assert_eq!(p.backoff(1), Duration::from_millis(250));
        assert_eq!(p.backoff(2), Duration::from_millis(500));
        assert_eq!(p.backoff(40), p.max_backoff);
    }

    #[test]
    fn urls() {
        assert_eq!(
            normalize_base_url("http://127.0.0.1:1/").unwrap(),
            "http://127.0.0.1:1"
        );
        for bad in [
            "",
            "ftp://x",
            "localhost:1",
            "http://",
            "http://a/?q=1",
            "http://a b",
        ] {
            assert!(normalize_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rest_errors() {
        let e = RestError::from_response(422, br#"{"error_code":"X","message":"m\u001b"}"#);
        assert_eq!(e.to_string(), "HTTP 422: X: m?");
        let e = RestError::from_response(500, b"");
        assert_eq!(e.to_string(), "HTTP 500: (no message)");
    }
}
