//! The `Host` header check, against DNS rebinding: a web page whose own
//! name the attacker re-points at 127.0.0.1 can make the browser send
//! requests to a node on loopback, but the browser still sends that name
//! as the `Host`. So a node on loopback answers only requests addressed
//! to a loopback name or address (`localhost`, `*.localhost`,
//! `127.0.0.0/8`, `[::1]`) or to a host it was told to allow; any other is
//! refused with 403 `HOST_NOT_ALLOWED` before routing.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::{codes, ApiError};

/// Which `Host` values a node answers.
#[derive(Clone, Debug)]
pub(crate) struct AllowedHosts {
    /// Allowed names besides the loopback ones, lower case, without port.
    extra: Vec<String>,
}

impl AllowedHosts {
    /// The check for a node listening on `addr` with `allowed` extra
    /// hosts: on loopback always, elsewhere only when hosts are given
    /// (otherwise the node is reachable by any name on purpose).
    pub(crate) fn for_listener(addr: SocketAddr, allowed: &[String]) -> Option<AllowedHosts> {
        (addr.ip().is_loopback() || !allowed.is_empty()).then(|| AllowedHosts {
            extra: allowed
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
        })
    }

    /// Whether a `Host` header value is answered.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let name = host_name(host).to_ascii_lowercase();
        if name.is_empty() {
            return false;
        }
        is_loopback_name(&name) || self.extra.iter().any(|h| host_name(h) == name)
    }
}

/// The name of a `Host` value: without the port, an IPv6 literal without
/// its brackets.
fn host_name(host: &str) -> &str {
    let host = host.trim();
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("");
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

fn is_loopback_name(name: &str) -> bool {
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The middleware: refuses a request whose `Host` is not allowed.
pub(crate) async fn check(
    State(allowed): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    match host {
        Some(host) if allowed.allows(host) => next.run(request).await,
        _ => {
            let shown: String = host
                .unwrap_or("(none)")
                .chars()
                .take(100)
                .filter(|c| !c.is_control())
                .collect();
            tracing::warn!(host = %shown, "request refused: Host not allowed");
            ApiError::new(
                StatusCode::FORBIDDEN,
                codes::HOST_NOT_ALLOWED,
                format!(
                    "Host {shown:?} is not allowed: this node answers only requests addressed to \
                     a loopback name or address (localhost, 127.0.0.1, [::1]) or to the hosts \
                     it was started with as allowed hosts; use http://127.0.0.1:<port> or \
                     http://localhost:<port>, or have the node started with this host allowed"
                ),
            )
            .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_and_loopback() {
        assert_eq!(host_name("a.b:80"), "a.b");
        assert_eq!(host_name("[::1]:80"), "::1");
        assert_eq!(host_name("[::1]"), "::1");
        assert_eq!(host_name("a.b"), "a.b");
        let on_loopback =
            AllowedHosts::for_listener("127.0.0.1:1".parse().unwrap(), &["X.Y".into()]).unwrap();
        for ok in [
            "localhost",
            "a.LOCALHOST:9",
            "127.0.0.1",
            "127.9.9.9:1",
            "[::1]",
            "x.y",
            "X.Y:3",
        ] {
            assert!(on_loopback.allows(ok), "{ok}");
        }
        for bad in [
            "",
            ":80",
            "evil",
            "localhost.evil",
            "0.0.0.0",
            "[::]",
            "x.y.z",
            "192.168.0.1",
        ] {
            assert!(!on_loopback.allows(bad), "{bad}");
        }
        // Beyond loopback: no check unless hosts are given.
        assert!(AllowedHosts::for_listener("0.0.0.0:1".parse().unwrap(), &[]).is_none());
        assert!(AllowedHosts::for_listener("0.0.0.0:1".parse().unwrap(), &["a".into()]).is_some());
    }
}
