//! REST client of the 1Money API and the ABC-Lab mint API: the reads
//! (chain id, nonce, status, look-up by hash), the submit of a signed write
//! with the ambiguity rules of a non-idempotent request, and the mint.
//!
//! Every wait is bounded twice: each phase of each request by
//! [`ClientConfig::timeout`], and all the requests of one client together
//! by [`ClientConfig::max_wait`]. Before each attempt the client tells its
//! [`Observer`] what it is about to wait for, so that the command layer can
//! say so on stderr.
//!
//! Errors are [`ClientError`]s; this module knows nothing of exit codes.

mod dev;
mod error;
mod reads;
pub mod stream;
mod submit;
mod transport;
mod url;

use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use tokensign_core::Address;

use crate::api::{ChainIdAnswer, NonceAnswer};
use crate::show::hex0x;

pub use error::{show_duration, ClientError, RestError, TransportError};
pub use reads::ByHash;
pub use submit::{Expected, Submitted};
pub use url::{normalize_base_url, redact_url};

use transport::send;

/// Largest response body read, in bytes.
const MAX_RESPONSE: u64 = 1024 * 1024;

/// After an ambiguous write, the look-up by hash runs even when the total
/// budget is spent, with at most this long: without it the outcome would
/// be reported unknown for want of asking.
pub const LOOKUP_GRACE: Duration = Duration::from_secs(5);

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

/// The default timeout of each phase of a request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
/// The default total wait of one client, all requests and retries.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(60);

/// Client settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// Timeout of each phase of a request (connect, send, wait for the
    /// answer, read it).
    pub timeout: Duration,
    /// The most time all requests of this client may take together,
    /// counted from [`Client::new`]; no attempt starts after it (but see
    /// [`LOOKUP_GRACE`]).
    pub max_wait: Duration,
    /// Retries of connection failures, 408 and 5xx.
    pub retry: RetryPolicy,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            timeout: DEFAULT_TIMEOUT,
            max_wait: DEFAULT_MAX_WAIT,
            retry: RetryPolicy::default(),
        }
    }
}

/// One attempt the client is about to wait on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The full URL, credentials redacted ([`redact_url`]).
    pub url: &'a str,
    /// 1-based attempt number.
    pub attempt: u32,
    /// Attempts allowed.
    pub attempts: u32,
    /// The longest this attempt may wait.
    pub limit: Duration,
}

/// How often an [`Observer`] hears that an attempt still waits.
pub const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// Told what the client waits for, before each attempt and every
/// [`PROGRESS_EVERY`] while an attempt waits.
pub trait Observer {
    /// A request attempt is about to be sent.
    fn waiting(&self, waiting: &Waiting<'_>);

    /// An attempt has waited `elapsed` so far, without an answer.
    fn still_waiting(&self, waiting: &Waiting<'_>, elapsed: Duration) {
        let _ = (waiting, elapsed);
    }
}

/// A REST client bound to one server.
pub struct Client<'o> {
    base: String,
    /// `base` as shown in messages ([`redact_url`]).
    shown: String,
    agent: ureq::Agent,
    config: ClientConfig,
    deadline: Instant,
    observer: Option<&'o dyn Observer>,
}

impl std::fmt::Debug for Client<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.shown)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Client<'static> {
    /// A client of the server at `base_url` (e.g. `http://127.0.0.1:18555`).
    /// Its total budget ([`ClientConfig::max_wait`]) starts now.
    pub fn new(base_url: &str, config: ClientConfig) -> Result<Self, ClientError> {
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
            shown: redact_url(&base),
            base,
            agent: agent_config.into(),
            config,
            deadline: Instant::now() + config.max_wait,
            observer: None,
        })
    }
}

impl<'o> Client<'o> {
    /// This client, telling `observer` what it waits for.
    pub fn with_observer<'n>(self, observer: &'n dyn Observer) -> Client<'n> {
        Client {
            base: self.base,
            shown: self.shown,
            agent: self.agent,
            config: self.config,
            deadline: self.deadline,
            observer: Some(observer),
        }
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The base URL as messages show it, credentials redacted.
    pub fn shown_url(&self) -> &str {
        &self.shown
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Time left of the total budget.
    fn left(&self, deadline: Instant) -> Duration {
        deadline.saturating_duration_since(Instant::now())
    }

    fn budget_spent(&self) -> String {
        format!(
            "gave up: the total wait of {} is used up",
            show_duration(self.config.max_wait)
        )
    }

    /// One exchange, no retries, within `deadline`: status and body, or why
    /// there was none.
    pub fn exchange(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<&[u8]>,
    ) -> Result<(u16, Vec<u8>), TransportError> {
        self.exchange_by(method, path_and_query, body, self.deadline, (1, 1))
    }

    fn exchange_by(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<&[u8]>,
        deadline: Instant,
        (attempt, attempts): (u32, u32),
    ) -> Result<(u16, Vec<u8>), TransportError> {
        let left = self.left(deadline);
        if left.is_zero() {
            return Err(TransportError::NotSent(self.budget_spent()));
        }
        let url = format!("{}{}", self.base, path_and_query);
        let shown = format!("{}{}", self.shown, path_and_query);
        let waiting = Waiting {
            method,
            url: &shown,
            attempt,
            attempts,
            limit: left.min(self.config.timeout),
        };
        let agent = &self.agent;
        let Some(observer) = self.observer else {
            return send(agent, method, &url, body, left).map_err(|e| self.scrub(e));
        };
        observer.waiting(&waiting);
        // The exchange runs on a thread of its own so that this one can
        // tell the observer, every PROGRESS_EVERY, that it still waits: a
        // silent server is never a silent command.
        let started = Instant::now();
        std::thread::scope(|scope| {
            let (done, outcome) = std::sync::mpsc::channel();
            scope.spawn(move || {
                let _ = done.send(send(agent, method, &url, body, left));
            });
            loop {
                match outcome.recv_timeout(PROGRESS_EVERY) {
                    Ok(result) => return result.map_err(|e| self.scrub(e)),
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        observer.still_waiting(&waiting, started.elapsed());
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(TransportError::MaybeSent(
                            "the request's thread ended without an answer".into(),
                        ))
                    }
                }
            }
        })
    }

    /// `e` without the credentials of the base URL, should the HTTP
    /// library's text quote them.
    fn scrub(&self, e: TransportError) -> TransportError {
        let userinfo = self
            .base
            .split_once("://")
            .map(|(_, rest)| &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())])
            .and_then(|authority| authority.rsplit_once('@'))
            .map(|(userinfo, _)| userinfo)
            .filter(|u| !u.is_empty());
        let Some(userinfo) = userinfo else {
            return e;
        };
        match e {
            TransportError::NotSent(t) => TransportError::NotSent(t.replace(userinfo, "***")),
            TransportError::NoListener(t) => TransportError::NoListener(t.replace(userinfo, "***")),
            TransportError::MaybeSent(t) => TransportError::MaybeSent(t.replace(userinfo, "***")),
        }
    }

    /// Sleeps the backoff before `attempt`, within `deadline`.
    fn pause(&self, attempt: u32, deadline: Instant) {
        let wait = self.config.retry.backoff(attempt).min(self.left(deadline));
        std::thread::sleep(wait);
    }

    /// A GET with retries of connection failures, 408 and 5xx, within
    /// `deadline`; returns the final status and body (any status).
    fn get_until(
        &self,
        path_and_query: &str,
        deadline: Instant,
    ) -> Result<(u16, Vec<u8>), ClientError> {
        let attempts = self.config.retry.attempts.max(1);
        let mut last = String::new();
        let mut refused = false;
        let mut made = 0;
        for attempt in 0..attempts {
            self.pause(attempt, deadline);
            if attempt > 0 && self.left(deadline).is_zero() {
                last = format!("{last}; {}", self.budget_spent());
                break;
            }
            made += 1;
            let answer = self.exchange_by(
                "GET",
                path_and_query,
                None,
                deadline,
                (attempt + 1, attempts),
            );
            refused = matches!(answer, Err(TransportError::NoListener(_)));
            match answer {
                Ok((status, body)) if status == 408 || status >= 500 => {
                    last = RestError::from_response(status, &body).to_string();
                }
                Ok(answer) => return Ok(answer),
                Err(e) => last = e.to_string(),
            }
        }
        let message = format!(
            "GET {}{} failed after {made} attempt{}: {last}",
            self.shown,
            path_and_query,
            if made == 1 { "" } else { "s" }
        );
        Err(if refused {
            ClientError::NoListener(message)
        } else {
            ClientError::NotDelivered(message)
        })
    }

    /// A GET whose 200 answer is the JSON of `T`; any other status is the
    /// server's refusal.
    fn get_json<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
        shape: &str,
    ) -> Result<T, ClientError> {
        let (status, body) = self.get_until(path_and_query, self.deadline)?;
        if status != 200 {
            return Err(ClientError::Refused {
                what: format!("GET {path_and_query}"),
                error: RestError::from_response(status, &body),
            });
        }
        serde_json::from_slice(&body).map_err(|_| ClientError::BadAnswer {
            what: format!("GET {path_and_query}"),
            why: format!("the answer is not {shape}"),
        })
    }

    /// `GET /v1/chains/chain_id`.
    pub fn chain_id(&self) -> Result<u64, ClientError> {
        self.get_json::<ChainIdAnswer>(
            "/v1/chains/chain_id",
            "a JSON object with an integer `chain_id`",
        )
        .map(|a| a.chain_id)
    }

    /// `GET /v1/accounts/nonce?address=`.
    pub fn nonce(&self, address: &Address) -> Result<u64, ClientError> {
        self.get_json::<NonceAnswer>(
            &format!("/v1/accounts/nonce?address={address}"),
            "a JSON object with an integer `nonce`",
        )
        .map(|a| a.nonce)
    }

    /// `GET /v1/transactions/by_hash?hash=`: found (the raw JSON answer),
    /// not found, or an error (network failure or an unexpected answer).
    pub fn lookup(&self, tx_hash: &[u8; 32]) -> Result<Lookup, ClientError> {
        self.lookup_until(tx_hash, self.deadline)
    }

    fn lookup_until(&self, tx_hash: &[u8; 32], deadline: Instant) -> Result<Lookup, ClientError> {
        let path = format!("/v1/transactions/by_hash?hash={}", hex0x(tx_hash));
        let (status, body) = self.get_until(&path, deadline)?;
        match status {
            200 => Ok(Lookup::Found(body)),
            404 => Ok(Lookup::NotFound),
            _ => Err(ClientError::BadAnswer {
                what: "look-up by hash".into(),
                why: RestError::from_response(status, &body).to_string(),
            }),
        }
    }
}

/// A result of a look-up by hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The server knows the transaction (its JSON answer, as sent).
    Found(Vec<u8>),
    /// The server answered 404.
    NotFound,
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
    fn credentials_are_never_shown() {
        assert_eq!(
            redact_url("http://alice:pw@127.0.0.1:9/x?q#f"),
            "http://***@127.0.0.1:9/x?q#f"
        );
        assert_eq!(redact_url("https://a@b@host"), "https://***@host");
        assert_eq!(redact_url("http://host/p@q"), "http://host/p@q");
        assert_eq!(redact_url("alice:pw@host"), "***@host");
        let e = normalize_base_url("ftp://alice:pw@host").unwrap_err();
        assert!(!e.to_string().contains("pw"), "{e}");
        let client = Client::new("http://alice:pw@127.0.0.1:9", ClientConfig::default()).unwrap();
        assert_eq!(client.shown_url(), "http://***@127.0.0.1:9");
        assert!(!format!("{client:?}").contains("pw"));
        let e = client.scrub(TransportError::NotSent("alice:pw refused".into()));
        assert_eq!(e, TransportError::NotSent("*** refused".into()));
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
            assert!(
                matches!(normalize_base_url(bad), Err(ClientError::InvalidUrl { .. })),
                "{bad}"
            );
        }
    }
}
