//! A small raw HTTP/1.1 client: requests sent exactly as written (slow,
//! partial and oversized bodies included), responses read to the end.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::Value;

use super::schema::assert_schema;

/// An HTTP response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// Asserts an error status and `error_code`, and that the body is a
    /// RESTErrorData as the OpenAPI document describes it.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "status for {code}: {}", self.body);
        let v = self.json();
        assert_eq!(v["error_code"], code, "{}", self.body);
        assert!(
            !v["message"].as_str().unwrap_or("").is_empty(),
            "message: {}",
            self.body
        );
        assert_schema("RESTErrorData", &v);
        assert_schema("RESTErrorDataStrict", &v);
    }
}

fn parse_response(raw: &[u8]) -> Resp {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut rest = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        let mut out = Vec::new();
        let mut data = &rest[..];
        while let Some(pos) = data.windows(2).position(|w| w == b"\r\n") {
            let size_text = String::from_utf8_lossy(&data[..pos]).to_string();
            let size = usize::from_str_radix(size_text.trim(), 16).expect("chunk size");
            data = &data[pos + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(&data[..size]);
            data = &data[size + 2..];
        }
        rest = out;
    }
    Resp {
        status,
        headers,
        body: String::from_utf8(rest).expect("utf8 body"),
    }
}

fn read_all(stream: &mut TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if !buf.is_empty() => {
                // A reset after the whole response arrived.
                let _ = e;
                break;
            }
            Err(e) => panic!("read failed: {e}"),
        }
    }
    buf
}

pub fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    stream
}

/// Sends raw bytes (a whole request) and reads the response to the end.
pub fn raw(addr: SocketAddr, bytes: &[u8]) -> Resp {
    let mut stream = connect(addr);
    stream.write_all(bytes).expect("write");
    parse_response(&read_all(&mut stream))
}

/// Sends `head` (request line and headers, without the blank line) and a
/// partial body, then waits for the response without sending the rest.
pub fn raw_partial(addr: SocketAddr, head: &str, partial: &[u8]) -> Resp {
    let mut stream = connect(addr);
    stream
        .write_all(format!("{head}\r\n\r\n").as_bytes())
        .expect("write");
    stream.write_all(partial).expect("write");
    parse_response(&read_all(&mut stream))
}

/// One request with `Connection: close`.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Resp {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    raw(addr, &bytes)
}

pub fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, None, b"")
}

pub fn post_json(addr: SocketAddr, path: &str, body: &str) -> Resp {
    request(
        addr,
        "POST",
        path,
        Some("application/json"),
        body.as_bytes(),
    )
}

/// Like [`request`], but `None` instead of a panic when the connection
/// fails (for tests that kill the server).
pub fn try_request(addr: SocketAddr, path: &str, body: &str) -> Option<Resp> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .ok()?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).ok()?;
    if !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        return None;
    }
    Some(parse_response(&buf))
}
