//! One HTTP exchange through ureq, and what its failures mean for a
//! request: not sent, sent perhaps, or nothing listening.

use std::time::Duration;

use super::{TransportError, MAX_RESPONSE};
use crate::show::sanitize;

pub(super) fn classify(e: ureq::Error) -> TransportError {
    use std::io::ErrorKind as K;
    use ureq::Error as E;
    let text = sanitize(&e.to_string());
    match e {
        E::HostNotFound | E::ConnectionFailed => TransportError::NotSent(text),
        E::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => {
            TransportError::NotSent(format!("{text} (while connecting)"))
        }
        // The per-request global timeout is what is left of the budget.
        E::Timeout(ureq::Timeout::Global) => {
            TransportError::MaybeSent("no answer before the client's total wait ran out".into())
        }
        E::Timeout(_) => {
            TransportError::MaybeSent(format!("{text}: no answer within the per-request timeout"))
        }
        E::Io(io) if io.kind() == K::ConnectionRefused => TransportError::NoListener(text),
        E::Io(io)
            if matches!(
                io.kind(),
                K::AddrNotAvailable | K::NetworkUnreachable | K::HostUnreachable | K::NotFound
            ) =>
        {
            TransportError::NotSent(text)
        }
        E::Tls(_) | E::Rustls(_) => TransportError::NotSent(text),
        _ => TransportError::MaybeSent(text),
    }
}

/// One exchange on this thread: status and body, or why there was
/// none, within `left`.
pub(super) fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    body: Option<&[u8]>,
    left: Duration,
) -> Result<(u16, Vec<u8>), TransportError> {
    let global = Some(left);
    let result = match (method, body) {
        ("POST", Some(body)) => agent
            .post(url)
            .header("content-type", "application/json")
            .config()
            .timeout_global(global)
            .build()
            .send(body),
        ("POST", None) => agent
            .post(url)
            .config()
            .timeout_global(global)
            .build()
            .send_empty(),
        _ => agent
            .get(url)
            .header("accept", "application/json")
            .config()
            .timeout_global(global)
            .build()
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
            TransportError::MaybeSent(format!("reading the answer: {}", sanitize(&e.to_string())))
        })?;
    Ok((status, bytes))
}
