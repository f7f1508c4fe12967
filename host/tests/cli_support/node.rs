//! A `tokensign node` child process for end-to-end tests.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::bin;

/// Kills the child process it holds when dropped.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `tokensign node` on an ephemeral port and returns it with its URL.
pub fn start_node(data: &str, operators: &[&str]) -> (KillOnDrop, String) {
    let mut cmd = bin();
    cmd.args(["node", "--listen", "127.0.0.1:0", "--data-dir", data]);
    for op in operators {
        cmd.args(["--operator", op]);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().expect("spawn node");
    let stdout = child.stdout.take().expect("stdout");
    let guard = KillOnDrop(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .take(100)
        {
            if let Some(url) = line.strip_prefix("listening on ") {
                let _ = tx.send(url.trim().to_owned());
                return;
            }
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("node printed its URL");
    (guard, url)
}
