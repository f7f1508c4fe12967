//! `tokensign watch`: payments printed as they are committed, and a clear
//! refusal without a node.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::server_common::*;
use serde_json::Value;
use tokensign::node::dev;
use tokensign_core::native::NativeTx;
use tokensign_core::tx::*;
use tokensign_core::{Address, Amount};

/// `tokensign watch` prints a payment made after it connected: its hash,
/// its checkpoint (the receipt's) and the amount in whole tokens; with
/// `--json` the frames as the node sent them, from a checkpoint.
#[test]
fn watch_shows_a_payment_as_it_is_committed() {
    let dir = tempfile::tempdir().unwrap();
    let (_node, lines) = spawn_node(dir.path(), &["--accounts", "3"]);
    let node = banner_addr(&lines);
    let token = banner_token(&lines);
    let mut watch = Command::new(env!("CARGO_BIN_EXE_tokensign"))
        .args(["watch", "--count", "1", "--url", &format!("http://{node}")])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Connected once it says so on stderr.
    let stderr = watch.stderr.take().unwrap();
    let mut err_lines = BufReader::new(stderr).lines();
    let first = err_lines.next().unwrap().unwrap();
    assert!(
        first.starts_with(&format!("watching ws://{node}/v1/stream")),
        "{first}"
    );
    let watch = Kill(Some(watch));
    let accounts = dev::derive_accounts(dev::TEST_MNEMONIC, 3).unwrap();
    let to = Address([0x42; 20]);
    let tx: Transaction = Transaction::new(
        CHAIN_ID_TESTNET,
        0,
        Payment {
            recipient: to,
            value: Amount::from_u64(1_500_000),
            token,
        },
    );
    let signed = NativeTx::sign(tx, &accounts[2].key).unwrap();
    let r = post_native(node, &signed);
    assert_eq!(r.status, 200, "{}", r.body);
    let hash = r.json()["hash"].as_str().unwrap().to_owned();
    let receipt = get(
        node,
        &format!("/v1/transactions/receipt/by_hash?hash={hash}"),
    )
    .json();
    let output = watch.take().wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let printed = String::from_utf8(output.stdout).unwrap();
    let line = printed.lines().next().unwrap();
    assert!(
        line.starts_with(&format!(
            "checkpoint {} tx 0 {hash} TokenTransfer from {}",
            receipt["checkpoint_number"], accounts[2].address
        )),
        "{line}"
    );
    assert!(
        line.contains(&format!("to {to} 1.5 DEVUSD (1500000)")),
        "{line}"
    );
    // --json from that checkpoint: the same transaction, as the read
    // answers it.
    let out = Command::new(env!("CARGO_BIN_EXE_tokensign"))
        .args([
            "--json",
            "watch",
            "--count",
            "1",
            "--url",
            &format!("http://{node}"),
        ])
        .args(["--from", &receipt["checkpoint_number"].to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let frame: Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(frame["type"], "transaction");
    assert_eq!(
        frame["transaction"],
        get(node, &format!("/v1/transactions/by_hash?hash={hash}")).json()
    );
    // A checkpoint in the future: refused by the node (exit 3), with its code.
    let out = Command::new(env!("CARGO_BIN_EXE_tokensign"))
        .args([
            "watch",
            "--url",
            &format!("http://{node}"),
            "--from",
            "999999",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("CHECKPOINT_NOT_FOUND"));
}

/// No node there: exit 4 and what to do.
#[test]
fn watch_without_a_node() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap();
    drop(free);
    let out = Command::new(env!("CARGO_BIN_EXE_tokensign"))
        .args([
            "watch",
            "--timeout",
            "5",
            "--url",
            &format!("http://{addr}"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("tokensign node"));
}
