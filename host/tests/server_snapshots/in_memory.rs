//! The in-memory node: snapshots and reverts as a durable one, and no file
//! written.

use std::path::Path;
use std::process::{Command, Stdio};

use super::sequence::*;
use super::support::*;
use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::json;
use tokensign_core::Address;

#[test]
fn an_in_memory_node_snapshots_and_reverts_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let unused = dir.path().join("never");
    let live = live_with(|c| {
        c.in_memory = true;
        c.data_dir = unused.clone();
    });
    every_point(&live);
    // Its definitions key lives in memory too.
    let r = get(live.a(), "/v1/tokens/definition");
    assert_eq!(r.status, 200, "{}", r.body);
    drop(live);
    assert!(
        !unused.exists(),
        "an in-memory node wrote its data directory"
    );
}

/// The files under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            out.push(path.display().to_string());
            if path.is_dir() {
                out.extend(files_under(&path));
            }
        }
    }
    out
}

#[test]
fn tokensign_node_in_memory_keeps_no_files_and_serves_everything() {
    let home = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_tokensign"))
        .args(["node", "--in-memory", "--listen", "127.0.0.1:0"])
        .current_dir(cwd.path())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env_remove("TOKENSIGN_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut guard = Kill(Some(child));
    let stdout = guard.0.as_mut().unwrap().stdout.take().unwrap();
    let mut lines = Vec::new();
    {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let done = line.starts_with("Fees:");
            lines.push(line);
            if done {
                break;
            }
        }
    }
    let a = banner_addr(&lines);
    let token = banner_token(&lines);
    // The developer accounts, a payment, a snapshot and a revert, the
    // stream's first checkpoint and the explorer all work.
    let account0 = Address::parse(
        lines
            .iter()
            .find_map(|l| {
                l.split_whitespace()
                    .find(|w| w.starts_with("0x") && w.len() == 42)
            })
            .unwrap(),
    )
    .unwrap();
    let id = snapshot(a);
    let to = keyless(0x31);
    send(
        a,
        json!({"from": account0.to_string(), "operation": "Payment", "recipient": to.to_string(),
               "value": "5", "token": token.to_string()}),
    );
    let balance = || {
        get(
            a,
            &format!("/v1/accounts/token_account?address={to}&token={token}"),
        )
        .json()["balance"]
            .clone()
    };
    assert_eq!(balance(), "5");
    revert(a, id);
    assert_eq!(balance(), "0");
    assert_eq!(get(a, "/explorer").status, 200);
    assert_eq!(get(a, "/v1/tokens/definition").status, 200);
    assert_eq!(get(a, "/api/status").status, 200);
    // Stopped: nothing was written, neither in the working directory nor
    // in the per-user data directory.
    let mut child = guard.take();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(files_under(cwd.path()), Vec::<String>::new());
    assert_eq!(files_under(home.path()), Vec::<String>::new());
    // And --in-memory with a data directory is refused.
    let out = Command::new(env!("CARGO_BIN_EXE_tokensign"))
        .args(["node", "--in-memory", "--data-dir"])
        .arg(cwd.path().join("d"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--data-dir"));
}
