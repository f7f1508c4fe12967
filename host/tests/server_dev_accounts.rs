//! `tokensign node` with its developer accounts: it prints the public test
//! accounts of section 9a with their keys, issues the test token, funds
//! every account, and a payment then works with nothing else set up.

mod server_common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use server_common::*;
use tokensign::node::dev;
use tokensign_core::native::NativeTx;
use tokensign_core::tx::{Payment, Transaction, CHAIN_ID_TESTNET};
use tokensign_core::{json as cjson, Address, Amount};

struct Kill(std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn node_then_a_payment_just_works() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("node");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokensign"))
        .args(["node", "--listen", "127.0.0.1:0", "--accounts", "3"])
        .arg("--data-dir")
        .arg(&data)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _guard = Kill(child);
    let (tx, rx) = mpsc::channel();
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
    let text = lines.join("\n");
    let url = lines[0]
        .strip_prefix("listening on http://")
        .expect("first line");
    let addr: std::net::SocketAddr = url.parse().unwrap();
    // Section 9a's accounts, their (public) keys, the loud warning.
    let accounts = dev::derive_accounts(dev::TEST_MNEMONIC, 3).unwrap();
    for a in &accounts {
        assert!(text.contains(&a.address.to_string()), "{text}");
        assert!(text.contains(&hex::encode(&a.secret[..])), "{text}");
    }
    assert!(text.contains("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
    assert!(text.contains("PUBLIC TEST KEYS"), "{text}");
    assert!(text.contains("Fees: 0"), "{text}");
    let token_line = lines.iter().find(|l| l.starts_with("Test token")).unwrap();
    let token = Address::parse(
        token_line
            .split_whitespace()
            .nth(3)
            .unwrap()
            .trim_end_matches(':'),
    )
    .unwrap();
    // A payment from account 2 to a fresh address.
    let from = &accounts[2];
    let to = Address([0x42; 20]);
    let nonce = get(
        addr,
        &format!("/v1/accounts/nonce?address={}", from.address),
    )
    .json()["nonce"]
        .as_u64()
        .unwrap();
    let pay = Payment {
        recipient: to,
        value: Amount::from_u64(25),
        token,
    };
    let tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, nonce, pay);
    let signed = NativeTx::sign(tx, &from.key).unwrap();
    let mut out = vec![0u8; cjson::MAX_NATIVE_JSON_LEN];
    let n = cjson::write_native(&signed, &mut out).unwrap();
    let r = post_json(addr, signed.path(), std::str::from_utf8(&out[..n]).unwrap());
    assert_eq!(r.status, 200, "{}", r.body);
    let balance = get(
        addr,
        &format!("/v1/accounts/token_account?address={to}&token={token}"),
    )
    .json();
    assert_eq!(balance["balance"], "25");
    // Dual mode by default.
    let status = get(addr, "/api/status").json();
    assert_eq!(status["native_write_mode"], "dual");
}
