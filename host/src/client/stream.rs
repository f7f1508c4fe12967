//! The client of the local node's live stream (`GET /v1/stream`, a
//! WebSocket; docs/server.md, "Live stream"): frames in commit order, and
//! an automatic resume when the node drops this consumer for being slow
//! (close 1008, `… resume with from=N`): the stream goes on from the
//! checkpoint named, so nothing is missed or repeated; and when a revert
//! of the node's history (`POST /dev/revert`) removed checkpoints it had
//! sent (close 4000), from the first checkpoint of the new history.
//!
//! Blocking (tungstenite over a std `TcpStream`; `wss://` through rustls
//! for an `https://` base URL). Errors are [`StreamError`]s; this module
//! knows nothing of exit codes.

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{HandshakeError, Message, WebSocket};

use super::{normalize_base_url, RestError};
use crate::api::stream::{resume_point, CLOSE_REVERTED, CLOSE_SLOW_CONSUMER};
use crate::api::StreamFrame;
use crate::show::sanitize;

/// What the stream delivers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamEvent {
    /// A frame, in commit order.
    Frame(StreamFrame),
    /// The node dropped this consumer for being slow, or its history was
    /// reverted; the stream was opened again from checkpoint `from`.
    Resumed {
        /// Where the stream goes on.
        from: u64,
        /// The node's close reason.
        reason: String,
    },
}

/// Why the stream could not be opened or ended.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The base URL is not usable.
    #[error("invalid URL: {0}")]
    Url(String),
    /// No connection could be made.
    #[error("cannot connect to {url}: {why}")]
    Connect {
        /// The stream's URL.
        url: String,
        /// Why.
        why: String,
    },
    /// The node answered the handshake with an error.
    #[error("the node refused the stream: {0}")]
    Refused(RestError),
    /// The node closed the stream.
    #[error("the node closed the stream ({code}): {reason}")]
    Closed {
        /// The WebSocket close code.
        code: u16,
        /// The node's reason.
        reason: String,
    },
    /// The connection failed.
    #[error("the stream's connection failed: {0}")]
    Connection(String),
    /// A frame is not one the stream sends.
    #[error("the node sent a frame this client does not understand: {0}")]
    Malformed(String),
}

/// An open stream.
pub struct Stream {
    base: String,
    timeout: Duration,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    /// The checkpoint to resume from: after the last checkpoint frame.
    next: Option<u64>,
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream")
            .field("base", &self.base)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

/// `ws://` or `wss://` URL of the stream of the node at `base` (an
/// `http://` or `https://` base URL), from checkpoint `from`.
pub fn stream_url(base: &str, from: Option<u64>) -> Result<String, StreamError> {
    let base = normalize_base_url(base).map_err(|e| StreamError::Url(e.to_string()))?;
    let rest = base
        .strip_prefix("http")
        .ok_or_else(|| StreamError::Url(sanitize(&base)))?;
    let query = from.map(|n| format!("?from={n}")).unwrap_or_default();
    Ok(format!("ws{rest}/v1/stream{query}"))
}

impl Stream {
    /// Opens the stream of the node at `base` (its `http(s)://` base URL)
    /// from checkpoint `from` (history first, then live), or from the next
    /// checkpoint committed. `timeout` bounds the connection and the
    /// handshake; frames are then awaited without limit.
    pub fn open(base: &str, from: Option<u64>, timeout: Duration) -> Result<Stream, StreamError> {
        let socket = handshake(base, from, timeout)?;
        Ok(Stream {
            base: base.to_owned(),
            timeout,
            socket,
            next: from,
        })
    }

    /// The checkpoint a new stream would resume from (after the last
    /// checkpoint frame delivered), if one was delivered or asked for.
    pub fn next_checkpoint(&self) -> Option<u64> {
        self.next
    }

    /// The next event; blocks until there is one.
    pub fn next_event(&mut self) -> Result<StreamEvent, StreamError> {
        loop {
            let message = self
                .socket
                .read()
                .map_err(|e| StreamError::Connection(sanitize(&e.to_string())))?;
            match message {
                Message::Text(text) => {
                    let frame: StreamFrame = serde_json::from_str(text.as_str())
                        .map_err(|e| StreamError::Malformed(e.to_string()))?;
                    if let StreamFrame::Checkpoint { checkpoint } = &frame {
                        self.next = checkpoint.number.checked_add(1);
                    }
                    return Ok(StreamEvent::Frame(frame));
                }
                Message::Close(frame) => {
                    let (code, reason) = frame
                        .map(|f| (u16::from(f.code), f.reason.as_str().to_owned()))
                        .unwrap_or((u16::from(CloseCode::Status), String::new()));
                    let reason = sanitize(&reason);
                    // A slow consumer resumes where this client's own
                    // count says (the node's reason names the same
                    // checkpoint); after a revert of the node's history,
                    // where the node says the new history starts.
                    let from = match code {
                        CLOSE_SLOW_CONSUMER => self.next.or_else(|| resume_point(&reason)),
                        CLOSE_REVERTED => resume_point(&reason),
                        _ => None,
                    };
                    let Some(from) = from else {
                        return Err(StreamError::Closed { code, reason });
                    };
                    self.socket = handshake(&self.base, Some(from), self.timeout)?;
                    self.next = Some(from);
                    return Ok(StreamEvent::Resumed { from, reason });
                }
                // Pings are answered by the library; nothing else is sent.
                _ => {}
            }
        }
    }
}

fn handshake(
    base: &str,
    from: Option<u64>,
    timeout: Duration,
) -> Result<WebSocket<MaybeTlsStream<TcpStream>>, StreamError> {
    let url = stream_url(base, from)?;
    let uri: tungstenite::http::Uri = url.parse().map_err(|_| StreamError::Url(sanitize(&url)))?;
    let host = uri.host().unwrap_or_default().trim_matches(['[', ']']);
    let port = uri
        .port_u16()
        .unwrap_or(if uri.scheme_str() == Some("wss") {
            443
        } else {
            80
        });
    let connect = |why: String| StreamError::Connect {
        url: sanitize(&url),
        why,
    };
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|e| connect(e.to_string()))?
        .collect();
    let mut last = "the host has no address".to_owned();
    let mut tcp = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last = e.to_string(),
        }
    }
    let tcp = tcp.ok_or_else(|| connect(last))?;
    tcp.set_read_timeout(Some(timeout))
        .and_then(|()| tcp.set_write_timeout(Some(timeout)))
        .map_err(|e| connect(e.to_string()))?;
    let (socket, _) = tungstenite::client_tls(url.as_str(), tcp).map_err(|e| match e {
        HandshakeError::Interrupted(_) => connect(format!(
            "no handshake answer within {} s",
            timeout.as_secs()
        )),
        HandshakeError::Failure(tungstenite::Error::Http(response)) => {
            let body = response.body().as_deref().unwrap_or_default();
            StreamError::Refused(RestError::from_response(response.status().as_u16(), body))
        }
        HandshakeError::Failure(e) => connect(sanitize(&e.to_string())),
    })?;
    // Frames may be minutes apart: no read timeout once open.
    let stream = match socket.get_ref() {
        MaybeTlsStream::Plain(s) => Some(s),
        MaybeTlsStream::Rustls(s) => Some(s.get_ref()),
        _ => None,
    };
    if let Some(s) = stream {
        s.set_read_timeout(None)
            .map_err(|e| StreamError::Connection(e.to_string()))?;
    }
    Ok(socket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_urls() {
        assert_eq!(
            stream_url("http://127.0.0.1:18555/", None).unwrap(),
            "ws://127.0.0.1:18555/v1/stream"
        );
        assert_eq!(
            stream_url("https://node.example", Some(7)).unwrap(),
            "wss://node.example/v1/stream?from=7"
        );
        assert!(stream_url("ftp://x", None).is_err());
    }
}
