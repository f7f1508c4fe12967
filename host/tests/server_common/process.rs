//! `tokensign node` processes (the real binary), killed when dropped.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tokensign_core::Address;

/// A `tokensign node` process (the real binary), killed on drop.
pub struct CliNode {
    pub child: std::process::Child,
    pub addr: SocketAddr,
    /// Everything it has written to stderr so far.
    pub stderr: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

impl CliNode {
    /// Starts `tokensign node --listen 127.0.0.1:0 ARGS` and waits for its
    /// `listening on` line.
    pub fn start(args: &[&str]) -> CliNode {
        Self::try_start(args).unwrap_or_else(|e| panic!("tokensign node {args:?}: {e}"))
    }

    /// As [`CliNode::start`]; `Err` with its stderr if it exits first.
    pub fn try_start(args: &[&str]) -> Result<CliNode, String> {
        Self::try_start_with(args, &[])
    }

    /// As [`CliNode::try_start`], with these environment variables set
    /// (`RUST_LOG=warn` unless given).
    pub fn try_start_with(args: &[&str], envs: &[(&str, &str)]) -> Result<CliNode, String> {
        use std::io::BufRead;
        use std::process::{Command, Stdio};
        let mut child = Command::new(env!("CARGO_BIN_EXE_tokensign"))
            .args(["node", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "warn")
            .envs(envs.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn tokensign node");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = std::io::BufReader::new(stdout).lines();
        let addr = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(url) = line.strip_prefix("listening on http://") {
                        break url.trim().parse().expect("address");
                    }
                }
                _ => {
                    let _ = child.wait();
                    let mut err = String::new();
                    if let Some(mut e) = child.stderr.take() {
                        let _ = e.read_to_string(&mut err);
                    }
                    return Err(err);
                }
            }
        };
        // Keep draining both pipes so the node never blocks on them.
        std::thread::spawn(move || for _ in lines {});
        let captured = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        if let Some(mut stderr) = child.stderr.take() {
            let captured = captured.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = stderr.read(&mut buf) {
                    captured.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
        }
        Ok(CliNode {
            child,
            addr,
            stderr: captured,
        })
    }

    /// Its stderr so far, as text.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// SIGKILL.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM (a clean exit), then waits for the exit; its status.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().expect("wait")
    }
}

impl Drop for CliNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A child process, killed and reaped when dropped.
pub struct Kill(pub Option<Child>);

impl Kill {
    /// The process, no longer killed on drop.
    pub fn take(mut self) -> Child {
        self.0.take().expect("a process")
    }
}

impl Drop for Kill {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `tokensign node --listen 127.0.0.1:0 --data-dir DIR/node` with `extra`
/// flags: the process and its banner's lines (up to `Fees:`).
pub fn spawn_node(dir: &Path, extra: &[&str]) -> (Kill, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokensign"))
        .args(["node", "--listen", "127.0.0.1:0"])
        .args(extra)
        .arg("--data-dir")
        .arg(dir.join("node"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tokensign node starts");
    let stdout = child.stdout.take().expect("stdout");
    let guard = Kill(Some(child));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let done = line.starts_with("Fees:");
            lines.push(line);
            if done {
                break;
            }
        }
        let _ = tx.send(lines);
    });
    let lines = rx.recv_timeout(Duration::from_secs(120)).expect("banner");
    (guard, lines)
}

/// The address of the banner's `listening on http://…` line.
pub fn banner_addr(lines: &[String]) -> SocketAddr {
    lines[0]
        .strip_prefix("listening on http://")
        .expect("the listening line first")
        .parse()
        .expect("an address")
}

/// The test token of the banner's `Test token SYMBOL: ADDRESS` line.
pub fn banner_token(lines: &[String]) -> Address {
    let line = lines
        .iter()
        .find(|l| l.starts_with("Test token"))
        .expect("a test token line");
    Address::parse(
        line.split_whitespace()
            .nth(3)
            .expect("an address")
            .trim_end_matches(':'),
    )
    .expect("an address")
}
