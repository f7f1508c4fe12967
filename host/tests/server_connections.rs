//! The node's connections: slow and idle connections are closed (a
//! header-read timeout, an idle timeout, a connection limit that answers
//! 503), and on loopback only loopback names and the allowed hosts are
//! answered (DNS rebinding). The timeouts are made short here through
//! `NodeConfig`, so that the tests take about a second.

mod server_common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use server_common::*;
use tokensign::node::{codes, NodeConfig, RunningNode};

const SHORT: Duration = Duration::from_millis(300);

fn node_with(f: impl FnOnce(&mut NodeConfig)) -> (RunningNode, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = NodeConfig::new(dir.path().to_path_buf(), vec![addr(&operator())]);
    f(&mut config);
    (start_with(config), dir)
}

fn open(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    stream
}

/// Whether the server closed `stream` within `within`, sending `trickle`
/// bytes (if any) about every 100 ms meanwhile (the read timeout). Bytes the server sends are read
/// and returned.
fn closed_within(stream: &mut TcpStream, within: Duration, trickle: &[u8]) -> Option<Vec<u8>> {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while start.elapsed() < within {
        if !trickle.is_empty() && stream.write_all(trickle).is_err() {
            return Some(got);
        }
        match stream.read(&mut buf) {
            Ok(0) => return Some(got),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Some(got),
        }
    }
    None
}

fn health(addr: SocketAddr, host: Option<&str>) -> Resp {
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    let mut stream = connect(addr);
    stream
        .write_all(
            format!("GET /api/health HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes(),
        )
        .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Resp {
    let text = String::from_utf8_lossy(raw).to_string();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no response: {text:?}"));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Resp {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// An idle connection, a connection that trickles its headers
/// (slowloris), and a keep-alive connection idle after its answer are all
/// closed by the node; a connection busy with a slow body gets its 408.
#[test]
fn slow_and_idle_connections_are_closed() {
    let (node, _dir) = node_with(|c| {
        c.header_timeout = SHORT;
        c.idle_timeout = SHORT;
        c.body_timeout = Duration::from_millis(600);
    });
    let a = node.addr;
    // Nothing sent at all.
    let mut idle = open(a);
    // Headers that never end: a byte every 50 ms keeps it from being idle.
    let mut slow = open(a);
    slow.write_all(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    assert!(
        closed_within(&mut idle, Duration::from_secs(3), b"").is_some(),
        "an idle connection stayed open"
    );
    assert!(
        closed_within(&mut slow, Duration::from_secs(3), b"X").is_some(),
        "a connection trickling its headers stayed open"
    );
    // A keep-alive connection: answered, then closed once idle.
    let mut kept = open(a);
    kept.write_all(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let answer = closed_within(&mut kept, Duration::from_secs(3), b"").expect("closed when idle");
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"),
        "{answer:?}"
    );
    // The idle timeout does not cut a request in progress: a slow body gets
    // its 408 from the body timeout, longer than the idle one.
    let r = raw_partial(
        a,
        "POST /v1/tokens/issue HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 100",
        b"{\"chain_id\":",
    );
    r.assert_error(408, codes::REQUEST_TIMEOUT);
}

/// Beyond the connection limit a connection is answered 503
/// `TOO_MANY_CONNECTIONS` and closed; once the held connections are
/// closed (here by the idle timeout), new ones are served again.
#[test]
fn the_connection_limit_answers_503_and_frees_up() {
    let (node, _dir) = node_with(|c| {
        c.idle_timeout = Duration::from_millis(800);
        c.max_connections = 4;
    });
    let a = node.addr;
    let held: Vec<TcpStream> = (0..4).map(|_| open(a)).collect();
    std::thread::sleep(Duration::from_millis(100));
    let mut extra = open(a);
    let answer = closed_within(&mut extra, Duration::from_secs(3), b"").expect("closed");
    let r = parse(&answer);
    r.assert_error(503, codes::TOO_MANY_CONNECTIONS);
    assert_eq!(r.header("connection"), Some("close"));
    drop(held);
    let start = Instant::now();
    loop {
        let r = health(a, Some("127.0.0.1"));
        if r.status == 200 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "{r:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// On loopback the node answers only loopback names and addresses (and
/// the allowed hosts): a web page that rebinds its own name to 127.0.0.1
/// gets 403 `HOST_NOT_ALLOWED`.
#[test]
fn on_loopback_only_loopback_hosts_are_answered() {
    let (node, _dir) = node_with(|c| c.allowed_hosts = vec!["Node.Internal".into()]);
    let a = node.addr;
    let port = a.port();
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".into(),
        "127.1.2.3".into(),
        format!("localhost:{port}"),
        "LOCALHOST".into(),
        "app.localhost".into(),
        format!("[::1]:{port}"),
        "node.internal".into(),
        format!("node.internal:{port}"),
    ] {
        let r = health(a, Some(&host));
        assert_eq!(r.status, 200, "{host}: {r:?}");
    }
    for host in [
        Some("evil.example"),
        Some("evil.example:18555"),
        Some("127.0.0.1.evil.example"),
        Some("localhost.evil.example"),
        Some("10.0.0.1"),
        Some("[::2]"),
        Some(""),
        None,
    ] {
        let r = health(a, host);
        r.assert_error(403, codes::HOST_NOT_ALLOWED);
        assert!(
            r.json()["message"].as_str().unwrap().contains("127.0.0.1"),
            "{r:?}"
        );
    }
    // Every route is guarded, known or not, before anything else.
    let r = request(a, "GET", "/nope", None, b"");
    assert_eq!(r.status, 404, "{r:?}");
    let mut stream = connect(a);
    stream
        .write_all(b"POST /v2/transactions/payment HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse(&raw).assert_error(403, codes::HOST_NOT_ALLOWED);
}

/// `tokensign node --listen` on an address other than loopback warns at
/// start that anyone who can reach it may use it.
#[test]
fn listening_beyond_loopback_warns() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokensign"))
        .args(["node", "--listen", "0.0.0.0:0", "--accounts", "0"])
        .arg("--data-dir")
        .arg(dir.path().join("node"))
        .env("RUST_LOG", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("listening on http://0.0.0.0:"), "{line}");
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: listening on 0.0.0.0"), "{stderr}");
    assert!(stderr.contains("not a loopback address"), "{stderr}");
}
