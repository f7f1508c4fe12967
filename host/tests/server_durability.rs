//! Durability: the server runs as a real child process (this test binary
//! re-executed with an environment variable, so no other binary is needed
//! from a clean checkout), is killed with SIGKILL during a stream of
//! submissions, and restarted on the same data directory: every
//! acknowledged transaction, nonce, token and mint must be there.

mod server_common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::json;
use server_common::*;
use tokensign::node::NodeConfig;
use tokensign_core::legacy::LegacyTx;

const CHILD_DIR: &str = "TOKENSIGN_TEST_CHILD_NODE_DIR";
const CHILD_OPS: &str = "TOKENSIGN_TEST_CHILD_NODE_OPERATORS";

/// Not a test of its own: the body of the child process. Returns at once
/// unless this binary was started as a child by `spawn_child`.
#[test]
fn child_node_process() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let operators = std::env::var(CHILD_OPS)
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| tokensign_core::Address::parse(s).unwrap())
        .collect();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let tmp = dir.join("addr.tmp");
        std::fs::write(&tmp, addr.to_string()).unwrap();
        std::fs::rename(&tmp, dir.join("addr")).unwrap();
        tokensign::node::serve(NodeConfig::new(dir.join("data"), operators), listener)
            .await
            .unwrap();
    });
}

/// Kills the child on drop, so that no server outlives a failed test.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_child(dir: &Path, operators: &str) -> (ChildGuard, SocketAddr) {
    let _ = std::fs::remove_file(dir.join("addr"));
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["child_node_process", "--exact", "--nocapture"])
        .env(CHILD_DIR, dir)
        .env(CHILD_OPS, operators)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let guard = ChildGuard(child);
    for _ in 0..1200 {
        if let Ok(text) = std::fs::read_to_string(dir.join("addr")) {
            return (guard, text.parse().unwrap());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("child server did not start");
}

#[test]
fn acknowledged_transactions_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let keys: Vec<_> = (0..4u8).map(|i| key(0x51 + i)).collect();
    let ops: Vec<String> = keys.iter().map(|k| addr(k).to_string()).collect();
    let ops = ops.join(",");

    let (mut child, a) = spawn_child(dir.path(), &ops);
    let acked: Mutex<Vec<Vec<LegacyTx>>> = Mutex::new(vec![Vec::new(); keys.len()]);
    let minted: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for (i, k) in keys.iter().enumerate() {
            let acked = &acked;
            let minted = &minted;
            s.spawn(move || {
                for n in 0..400u64 {
                    let symbol = format!("K{i}N{n}");
                    let req = sign(k, payload(n, &symbol, None));
                    let Some(r) = try_request(a, "/v1/tokens/issue", &body_of(&req)) else {
                        return; // killed
                    };
                    assert_eq!(r.status, 200, "{}", r.body);
                    acked.lock().unwrap()[i].push(req);
                    if n % 5 == 0 {
                        let body = format!(
                            r#"{{"asset_id":"{symbol}","amount":1,"recipient_wallet_address":"w"}}"#
                        );
                        let Some(r) = try_request(a, "/api/tokens/mint", &body) else {
                            return;
                        };
                        assert_eq!(r.status, 200, "{}", r.body);
                        minted.lock().unwrap().push(symbol);
                    }
                }
            });
        }
        // Kill once enough have been acknowledged, while the stream goes on.
        for _ in 0..6000 {
            let total: usize = acked.lock().unwrap().iter().map(Vec::len).sum();
            if total >= 60 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        child.0.kill().unwrap(); // SIGKILL
        child.0.wait().unwrap();
    });

    let acked = acked.into_inner().unwrap();
    let minted = minted.into_inner().unwrap();
    let total: usize = acked.iter().map(Vec::len).sum();
    assert!(total >= 60, "only {total} acknowledged before the kill");

    let (_child, a) = spawn_child(dir.path(), &ops);
    for (i, (k, reqs)) in keys.iter().zip(&acked).enumerate() {
        for req in reqs {
            let tx = get(
                a,
                &format!("/v1/transactions/by_hash?hash={}", hex0x(&tx_hash_of(req))),
            );
            assert_eq!(tx.status, 200, "acknowledged transaction lost: {}", tx.body);
            assert_eq!(tx.json()["nonce"], req.tx.nonce);
            let token = token_of(req);
            assert_eq!(
                get(a, &format!("/v1/tokens/token_metadata?token={token}")).status,
                200
            );
        }
        // Each client had at most one request in flight at the kill.
        let nonce = get(a, &format!("/v1/accounts/nonce?address={}", addr(k))).json()["nonce"]
            .as_u64()
            .unwrap();
        let n = reqs.len() as u64;
        assert!(
            nonce == n || nonce == n + 1,
            "nonce {nonce} after {n} acknowledged"
        );
        // The server goes on from there.
        let next = sign(k, payload(nonce, &format!("AFTER{i}N{nonce}"), None));
        assert_eq!(issue(a, &next).status, 200);
        assert_eq!(
            get(a, &format!("/v1/accounts/nonce?address={}", addr(k))).json(),
            json!({"nonce": nonce + 1})
        );
    }
    for symbol in minted {
        let body =
            format!(r#"{{"asset_id":"{symbol}","amount":1,"recipient_wallet_address":"w"}}"#);
        assert_eq!(
            post_json(a, "/api/tokens/mint", &body).status,
            409,
            "mint of {symbol} lost"
        );
    }
}

/// Invariants of a stored ledger, read from the data directory itself:
/// every token's supply is the sum of its balances, and every account's
/// nonce is the number of its transactions, whose nonces are exactly
/// 0..nonce.
fn check_invariants(data: &Path) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let state = tokensign::node::AppState::open(NodeConfig::new(data.to_path_buf(), vec![]))
            .await
            .unwrap();
        let ledger = state.snapshot().unwrap();
        let mut sums = std::collections::HashMap::new();
        for ((_, token), balance) in &ledger.balances {
            let s: &mut tokensign_core::Amount = sums.entry(*token).or_default();
            *s = s.checked_add(balance).unwrap();
        }
        assert!(!ledger.tokens.is_empty());
        for (address, token) in &ledger.tokens {
            assert_eq!(
                sums.get(address).copied().unwrap_or_default(),
                token.supply,
                "supply of {}",
                token.symbol
            );
        }
        let mut nonces: std::collections::HashMap<String, Vec<u64>> = Default::default();
        for record in state.transactions().unwrap() {
            nonces
                .entry(record.transaction.from.clone())
                .or_default()
                .push(record.transaction.nonce);
        }
        for (address, account) in &ledger.accounts {
            let mut seen = nonces.remove(&address.to_string()).unwrap_or_default();
            seen.sort_unstable();
            assert_eq!(
                seen,
                (0..account.nonce).collect::<Vec<_>>(),
                "nonces of {address}"
            );
        }
        assert!(
            nonces.is_empty(),
            "transactions of unknown accounts: {nonces:?}"
        );
        state.close().await;
    });
}

#[test]
fn payments_under_load_survive_kill_9_with_the_invariants() {
    use tokensign_core::native::NativeTx;
    use tokensign_core::tx::{Payment, TokenIssue, TokenMint, Transaction, CHAIN_ID_TESTNET};
    use tokensign_core::{json as cjson, Amount};

    let dir = tempfile::tempdir().unwrap();
    let op = key(0x61);
    let master = key(0x62);
    let payers: Vec<_> = (0..4u8).map(|i| key(0x63 + i)).collect();
    let (mut child, a) = spawn_child(dir.path(), &addr(&op).to_string());
    let send = |k: &tokensign_core::SigningKey, nonce: u64, op: tokensign_core::tx::Operation| {
        let tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, nonce, op);
        let signed = NativeTx::sign(tx, k).unwrap();
        let mut out = vec![0u8; cjson::MAX_NATIVE_JSON_LEN];
        let n = cjson::write_native(&signed, &mut out).unwrap();
        let body = String::from_utf8(out[..n].to_vec()).unwrap();
        (signed.tx_hash(), try_request(a, signed.path(), &body))
    };
    let issue = TokenIssue {
        symbol: tokensign_core::text::Text::new("LOAD").unwrap(),
        name: tokensign_core::text::Text::new("Load").unwrap(),
        decimals: 0,
        master_authority: addr(&master),
        is_private: false,
        clawback_enabled: Some(true),
    };
    let token = issue.token_address();
    assert_eq!(send(&op, 0, issue.into()).1.unwrap().status, 200);
    for (i, p) in payers.iter().enumerate() {
        let mint = TokenMint {
            recipient: addr(p),
            value: Amount::from_u64(1_000_000),
            token,
        };
        assert_eq!(send(&master, i as u64, mint.into()).1.unwrap().status, 200);
    }
    let acked: Mutex<Vec<[u8; 32]>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for (i, p) in payers.iter().enumerate() {
            let (acked, payers, send) = (&acked, &payers, &send);
            s.spawn(move || {
                for n in 0..2000u64 {
                    let to = addr(&payers[(i + 1 + n as usize) % payers.len()]);
                    let pay = Payment {
                        recipient: to,
                        value: Amount::from_u64(1 + n % 7),
                        token,
                    };
                    let (hash, r) = send(p, n, pay.into());
                    let Some(r) = r else { return };
                    assert_eq!(r.status, 200, "{}", r.body);
                    acked.lock().unwrap().push(hash);
                }
            });
        }
        for _ in 0..6000 {
            if acked.lock().unwrap().len() >= 100 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        child.0.kill().unwrap(); // SIGKILL, payments in flight
        child.0.wait().unwrap();
    });
    let acked = acked.into_inner().unwrap();
    assert!(acked.len() >= 100, "only {} acknowledged", acked.len());
    check_invariants(&dir.path().join("data"));
    let (_child, a) = spawn_child(dir.path(), &addr(&op).to_string());
    for hash in &acked {
        let r = get(
            a,
            &format!("/v1/transactions/receipt/by_hash?hash={}", hex0x(hash)),
        );
        assert_eq!(r.status, 200, "acknowledged payment lost: {}", r.body);
    }
}
