//! Snapshots and revert (`POST /dev/snapshot`, `POST /dev/revert`) and the
//! in-memory node: a snapshot at every point of a sequence of operations
//! and a revert to each gives back every read as it was (balances,
//! nonces, tokens, multisig accounts, transactions, receipts,
//! checkpoints), on a durable node and on an in-memory one; the writer's
//! own state follows (its token cache, nonces, duplicates, pending
//! checkpoints, the live stream's numbering); a revert survives a
//! restart; an unknown or used-up id is refused by name; and an in-memory
//! node writes no file. Done when: a snapshot, a payment and a revert
//! restore the balances.

mod server_common;

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use server_common::live::*;
use server_common::*;
use tokensign::node::NodeConfig;
use tokensign_core::native::NativeTx;
use tokensign_core::Address;

/// An address nobody has the key of.
fn keyless(byte: u8) -> Address {
    Address([byte; 20])
}

fn dev(a: SocketAddr, path: &str, body: Value) -> Resp {
    post_json(a, path, &body.to_string())
}

fn send(a: SocketAddr, body: Value) -> String {
    let r = dev(a, "/dev/send", body);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["hash"].as_str().unwrap().to_owned()
}

fn snapshot(a: SocketAddr) -> u64 {
    let r = post_json(a, "/dev/snapshot", "");
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_schema("DevSnapshot", &v);
    v["id"].as_u64().unwrap()
}

fn revert(a: SocketAddr, id: u64) -> Value {
    let r = dev(a, "/dev/revert", json!({ "id": id }));
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_schema("DevReverted", &v);
    assert_eq!(v["id"], id);
    v
}

/// Everything a client can read about `addresses`, `tokens` and
/// `hashes`, and every checkpoint: (path, status, body).
fn view(a: SocketAddr, addresses: &[Address], tokens: &[Address], hashes: &[String]) -> Vec<Value> {
    let mut paths = vec!["/v1/checkpoints/number".to_owned()];
    let latest = get(a, "/v1/checkpoints/number").json()["number"]
        .as_u64()
        .unwrap();
    // One past the latest: it must be missing as it was.
    for n in 0..=latest + 1 {
        paths.push(format!("/v1/checkpoints/by_number?number={n}&full=true"));
    }
    for who in addresses {
        paths.push(format!("/v1/accounts/nonce?address={who}"));
        paths.push(format!("/explorer/api/account?address={who}"));
        for token in tokens {
            paths.push(format!(
                "/v1/accounts/token_account?address={who}&token={token}"
            ));
        }
    }
    for token in tokens {
        paths.push(format!("/v1/tokens/token_metadata?token={token}"));
    }
    for hash in hashes {
        paths.push(format!("/v1/transactions/by_hash?hash={hash}"));
        paths.push(format!("/v1/transactions/receipt/by_hash?hash={hash}"));
        paths.push(format!("/v1/transactions/finalized/by_hash?hash={hash}"));
    }
    paths
        .into_iter()
        .map(|path| {
            let r = get(a, &path);
            let body = serde_json::from_str::<Value>(&r.body).unwrap_or(Value::Null);
            json!({"path": path, "status": r.status, "body": body})
        })
        .collect()
}

fn assert_same_view(now: &[Value], then: &[Value], at: usize) {
    assert_eq!(now.len(), then.len(), "at point {at}");
    for (n, t) in now.iter().zip(then) {
        assert_eq!(n, t, "at point {at}");
    }
}

/// The operations of the sequence, each as `/dev/send` bodies or signed
/// writes; every one leaves something a read shows. Returns the hashes
/// it made.
fn step(live: &Live, i: usize, multisig: &mut Option<Address>) -> Vec<String> {
    let a = live.a();
    let op = operator().address();
    let master = master_key().address();
    let gilt = gilt_token();
    match i {
        // A signed v2 payment.
        0 => vec![live.pay(keyless(0xc1), 1_000)],
        // An issue (as the operator, without its key), then a mint.
        1 => vec![send(
            a,
            json!({"from": op.to_string(), "operation": "TokenIssue", "symbol": "GILT",
                   "name": "Gilt", "decimals": 2, "master_authority": master.to_string(),
                   "is_private": false, "clawback_enabled": true}),
        )],
        2 => vec![send(
            a,
            json!({"from": master.to_string(), "operation": "TokenMint",
                   "recipient": keyless(0xc1).to_string(), "value": "700",
                   "token": gilt.to_string()}),
        )],
        // A payment as a keyless holder, a blacklist and a clawback.
        3 => vec![send(
            a,
            json!({"from": keyless(0xc1).to_string(), "operation": "Payment",
                   "recipient": keyless(0xc2).to_string(), "value": "100",
                   "token": gilt.to_string()}),
        )],
        4 => vec![
            send(
                a,
                json!({"from": master.to_string(), "operation": "TokenBlacklist",
                       "action": "Add", "address": keyless(0xc2).to_string(),
                       "token": gilt.to_string()}),
            ),
            send(
                a,
                json!({"from": master.to_string(), "operation": "TokenClawback",
                       "clawback_from": keyless(0xc2).to_string(),
                       "recipient": master.to_string(), "value": "40",
                       "token": gilt.to_string()}),
            ),
        ],
        // A multisig account, funded, paying.
        5 => {
            let hash = send(
                a,
                json!({"from": keyless(0xc3).to_string(), "operation": "CreateMultiSig",
                       "signers": two_signers(), "threshold": 2}),
            );
            let created = get(a, &format!("/v1/transactions/by_hash?hash={hash}")).json();
            *multisig = Some(
                Address::parse(created["data"]["multisig_address"].as_str().unwrap()).unwrap(),
            );
            vec![hash]
        }
        6 => {
            let account = multisig.expect("created at step 5");
            vec![
                live.pay(account, 5_000),
                send(
                    a,
                    json!({"from": account.to_string(), "operation": "Payment",
                           "recipient": keyless(0xc4).to_string(), "value": "2000",
                           "token": live.token.to_string()}),
                ),
            ]
        }
        // State controls: a balance (the supply follows) and a nonce.
        7 => {
            let r = dev(
                a,
                "/dev/set_balance",
                json!({"address": keyless(0xc4).to_string(), "token": gilt.to_string(),
                       "balance": "12345"}),
            );
            assert_eq!(r.status, 200, "{}", r.body);
            let r = dev(
                a,
                "/dev/set_nonce",
                json!({"address": keyless(0xc1).to_string(), "nonce": 40}),
            );
            assert_eq!(r.status, 200, "{}", r.body);
            Vec::new()
        }
        // A v1 payment.
        _ => vec![live.v1_pay(&payer(), keyless(0xc2), 3)],
    }
}

const STEPS: usize = 9;

fn gilt_token() -> Address {
    tokensign_core::tx::TokenIssue {
        symbol: tokensign_core::text::Text::new("GILT").unwrap(),
        name: tokensign_core::text::Text::new("Gilt").unwrap(),
        decimals: 2,
        master_authority: master_key().address(),
        is_private: false,
        clawback_enabled: Some(true),
    }
    .token_address()
}

/// Snapshot before every step, with every read at that moment; then
/// revert to each point from the last to the first: every read is what it
/// was, and what was made later is gone. Then the sequence again (the
/// same hashes: nonces and duplicates followed), and a revert to its
/// middle, which uses up the later snapshots and keeps the earlier ones.
fn every_point(live: &Live) {
    let a = live.a();
    let tokens = [live.token, gilt_token()];
    let mut addresses = vec![
        payer().address(),
        master_key().address(),
        operator().address(),
        keyless(0xc1),
        keyless(0xc2),
        keyless(0xc3),
        keyless(0xc4),
    ];
    // (id, hashes made before it, the addresses then, the reads then)
    let mut points = Vec::new();
    let mut hashes: Vec<String> = Vec::new();
    let mut multisig = None;
    for i in 0..=STEPS {
        let id = snapshot(a);
        let reads = view(a, &addresses, &tokens, &hashes);
        points.push((id, hashes.len(), addresses.clone(), reads));
        if i < STEPS {
            hashes.extend(step(live, i, &mut multisig));
            if let Some(account) = multisig {
                if !addresses.contains(&account) {
                    addresses.push(account);
                }
            }
        }
    }
    let ids: Vec<u64> = points.iter().map(|p| p.0).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, ids, "ids grow and differ");
    for (at, (id, made, then_addresses, then)) in points.iter().enumerate().rev() {
        revert(a, *id);
        let now = view(a, then_addresses, &tokens, &hashes[..*made]);
        assert_same_view(&now, then, at);
        // What was made after the point is gone.
        for hash in &hashes[*made..] {
            get(a, &format!("/v1/transactions/by_hash?hash={hash}"))
                .assert_error(404, "resource_transaction_not_found");
            get(a, &format!("/v1/transactions/receipt/by_hash?hash={hash}"))
                .assert_error(404, "resource_transaction_not_found");
        }
    }
    // Every id is used up now; each is refused by name.
    for id in &ids {
        dev(a, "/dev/revert", json!({ "id": id })).assert_error(404, "SNAPSHOT_NOT_FOUND");
    }
    // The same sequence again makes the same transactions: the writer's
    // nonces and duplicate check followed every revert.
    let mut multisig = None;
    let mut replayed = Vec::new();
    let mut replay_hashes = Vec::new();
    for i in 0..=STEPS {
        let id = snapshot(a);
        replayed.push((id, view(a, &addresses, &tokens, &hashes)));
        if i < STEPS {
            replay_hashes.extend(step(live, i, &mut multisig));
        }
    }
    assert_eq!(replay_hashes, hashes);
    // A revert to the middle uses it and every later snapshot up, and
    // keeps the earlier ones.
    let middle = STEPS / 2;
    revert(a, replayed[middle].0);
    assert_same_view(
        &view(a, &addresses, &tokens, &hashes),
        &replayed[middle].1,
        middle,
    );
    for (id, _) in &replayed[middle..] {
        dev(a, "/dev/revert", json!({ "id": id })).assert_error(404, "SNAPSHOT_NOT_FOUND");
    }
    revert(a, replayed[1].0);
    assert_same_view(&view(a, &addresses, &tokens, &hashes), &replayed[1].1, 1);
}

#[test]
fn a_revert_gives_back_every_read_at_every_point_of_a_sequence() {
    every_point(&live_with(|_| {}));
}

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

#[test]
fn the_writer_follows_a_revert_tokens_nonces_and_duplicates() {
    let live = live_with(|_| {});
    let a = live.a();
    let before = snapshot(a);
    // A token issued after the snapshot: the writer caches it.
    send(
        a,
        json!({"from": operator().address().to_string(), "operation": "TokenIssue",
               "symbol": "GILT", "name": "Gilt", "decimals": 2,
               "master_authority": master_key().address().to_string(), "is_private": false,
               "clawback_enabled": true}),
    );
    let signed =
        NativeTx::sign(live.tx(&payer(), live.payment(keyless(0xe1), 9)), &payer()).unwrap();
    let hash = live.post_native(&signed);
    revert(a, before);
    // The token is gone for the writer too (not only for the reads): a
    // mint of it is refused.
    dev(
        a,
        "/dev/send",
        json!({"from": master_key().address().to_string(), "operation": "TokenMint",
               "recipient": keyless(0xe1).to_string(), "value": "1",
               "token": gilt_token().to_string()}),
    )
    .assert_error(422, "UNKNOWN_TOKEN");
    // The same signed payment is new again (same nonce, no duplicate).
    assert_eq!(live.post_native(&signed), hash);
    // A token's supply in the writer's cache follows too.
    let at = snapshot(a);
    let supply = |a| {
        get(
            a,
            &format!("/v1/tokens/token_metadata?token={}", live.token),
        )
        .json()["supply"]
            .as_str()
            .unwrap()
            .parse::<u128>()
            .unwrap()
    };
    let s0 = supply(a);
    let r = dev(
        a,
        "/dev/set_balance",
        json!({"address": keyless(0xe2).to_string(), "token": live.token.to_string(),
               "balance": "1000"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(supply(a), s0 + 1000);
    revert(a, at);
    assert_eq!(supply(a), s0);
    live.v2(
        &master_key(),
        tokensign_core::tx::TokenMint {
            recipient: keyless(0xe3),
            value: tokensign_core::Amount::from_u64(7),
            token: live.token,
        },
    );
    assert_eq!(
        supply(a),
        s0 + 7,
        "the mint started from the reverted supply"
    );
    // ABC-Lab mints: the counter goes back too.
    send(
        a,
        json!({"from": operator().address().to_string(), "operation": "TokenIssue",
               "symbol": "UKGILT2030", "name": "Gilt", "decimals": 2,
               "master_authority": master_key().address().to_string(), "is_private": false}),
    );
    let body = r#"{"asset_id": "UKGILT2030", "amount": 5, "recipient_wallet_address": "0xA1B2C3D4E5F6A7B8C9D0"}"#;
    let at = snapshot(a);
    let first = mint(a, body);
    assert_eq!(first.status, 200, "{}", first.body);
    revert(a, at);
    let again = mint(a, body);
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(first.json()["token_id"], again.json()["token_id"]);
}

#[test]
fn pending_transactions_and_checkpoint_numbers_follow_a_revert() {
    let live = live_with(|_| {});
    let a = live.a();
    let mode = |m: &str| {
        let r = dev(a, "/dev/checkpoint_mode", json!({ "mode": m }));
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    };
    mode("manual");
    let placed = live.pay(keyless(0xf1), 1);
    // A snapshot is a checkpoint: the pending payment is placed first.
    let latest_before = live.latest();
    let r = post_json(a, "/dev/snapshot", "");
    let taken = r.json();
    assert_eq!(taken["checkpoint"], latest_before + 1, "{taken}");
    let id = taken["id"].as_u64().unwrap();
    let receipt = get(
        a,
        &format!("/v1/transactions/receipt/by_hash?hash={placed}"),
    )
    .json();
    assert_eq!(receipt["checkpoint_number"], latest_before + 1);
    // Pending after the snapshot, then reverted away.
    let gone = live.pay(keyless(0xf2), 2);
    assert_eq!(mode("manual")["pending"], 1);
    let back = revert(a, id);
    assert_eq!(back["checkpoint"], latest_before + 1);
    assert_eq!(
        mode("manual")["pending"],
        0,
        "nothing pending after a revert"
    );
    get(a, &format!("/v1/transactions/by_hash?hash={gone}"))
        .assert_error(404, "resource_transaction_not_found");
    // The next checkpoint follows the reverted one, over what is pending
    // now only.
    let next = live.pay(keyless(0xf3), 3);
    let r = post_json(a, "/dev/checkpoint", "");
    assert_eq!(r.status, 200, "{}", r.body);
    let closed = r.json();
    assert_eq!(closed["number"], latest_before + 2);
    assert_eq!(closed["transactions"], 1);
    let c = get(
        a,
        &format!("/v1/checkpoints/by_number?number={}", latest_before + 2),
    )
    .json();
    assert!(c.to_string().contains(next.trim_start_matches("0x")), "{c}");
    assert!(
        !c.to_string().contains(gone.trim_start_matches("0x")),
        "{c}"
    );
    // In auto mode a revert and a payment: the new checkpoint takes the
    // number after the restored one.
    mode("auto");
    let id = snapshot(a);
    let at = live.latest();
    live.pay(keyless(0xf4), 4);
    live.pay(keyless(0xf4), 4);
    assert_eq!(live.latest(), at + 2);
    revert(a, id);
    assert_eq!(live.latest(), at);
    live.pay(keyless(0xf5), 5);
    assert_eq!(live.latest(), at + 1);
}

#[test]
fn a_revert_survives_a_restart_and_so_do_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let config = NodeConfig::new(dir.path().to_path_buf(), vec![addr(&operator())]);
    let node = start_with(config.clone());
    let a = node.addr;
    let holder = keyless(0x71);
    let issue = send(
        a,
        json!({"from": operator().address().to_string(), "operation": "TokenIssue",
               "symbol": "GILT", "name": "Gilt", "decimals": 2,
               "master_authority": master_key().address().to_string(), "is_private": false,
               "clawback_enabled": true}),
    );
    let mint_to = |a, value: &str| {
        send(
            a,
            json!({"from": master_key().address().to_string(), "operation": "TokenMint",
                   "recipient": holder.to_string(), "value": value,
                   "token": gilt_token().to_string()}),
        )
    };
    let balance = |a| {
        get(
            a,
            &format!(
                "/v1/accounts/token_account?address={holder}&token={}",
                gilt_token()
            ),
        )
        .json()["balance"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    mint_to(a, "10");
    let first = snapshot(a);
    mint_to(a, "20");
    let second = snapshot(a);
    let later = mint_to(a, "30");
    assert_eq!(balance(a), "60");
    revert(a, second);
    assert_eq!(balance(a), "30");
    node.shutdown().unwrap();
    // The revert is durable, and the earlier snapshot still there.
    let node = start_with(config.clone());
    let a = node.addr;
    assert_eq!(balance(a), "30");
    get(a, &format!("/v1/transactions/by_hash?hash={later}"))
        .assert_error(404, "resource_transaction_not_found");
    dev(a, "/dev/revert", json!({ "id": second })).assert_error(404, "SNAPSHOT_NOT_FOUND");
    revert(a, first);
    assert_eq!(balance(a), "10");
    assert_eq!(
        get(a, &format!("/v1/transactions/by_hash?hash={issue}")).status,
        200
    );
    node.shutdown().unwrap();
    let node = start_with(config);
    assert_eq!(balance(node.addr), "10");
}

#[test]
fn a_revert_names_its_refusals() {
    let live = live_with(|_| {});
    let a = live.a();
    let r = dev(a, "/dev/revert", json!({ "id": 987_654 }));
    r.assert_error(404, "SNAPSHOT_NOT_FOUND");
    assert!(
        r.json()["message"].as_str().unwrap().contains("987654"),
        "{}",
        r.body
    );
    dev(a, "/dev/revert", json!({})).assert_error(400, "MISSING_FIELD");
    dev(a, "/dev/revert", json!({"id": "1"})).assert_error(400, "INVALID_TYPE");
    dev(a, "/dev/revert", json!({"id": -1})).assert_error(400, "INVALID_NUMBER");
    dev(a, "/dev/revert", json!({"id": 1, "x": 1})).assert_error(400, "UNKNOWN_FIELD");
    // Done when: a snapshot, a payment and a revert restore the balances.
    let to = keyless(0x61);
    let id = snapshot(a);
    let before = view(a, &[payer().address(), to], &[live.token], &[]);
    live.pay(to, 77);
    revert(a, id);
    assert_same_view(
        &view(a, &[payer().address(), to], &[live.token], &[]),
        &before,
        0,
    );
    // The controls' gate covers them.
    let off = live_with(|c| c.dev_controls = Some(false));
    post_json(off.a(), "/dev/snapshot", "").assert_error(403, "DEV_CONTROLS_DISABLED");
    dev(off.a(), "/dev/revert", json!({"id": 1})).assert_error(403, "DEV_CONTROLS_DISABLED");
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

#[test]
fn the_live_stream_closes_a_consumer_whose_checkpoints_were_reverted() {
    use tungstenite::stream::MaybeTlsStream;
    use tungstenite::Message;
    let live = live_with(|_| {});
    let a = live.a();
    let id = snapshot(a);
    let at = live.latest();
    let (mut socket, _) =
        tungstenite::connect(format!("ws://{a}/v1/stream")).expect("stream opens");
    if let MaybeTlsStream::Plain(s) = socket.get_ref() {
        s.set_read_timeout(Some(std::time::Duration::from_secs(60)))
            .unwrap();
    }
    live.pay(keyless(0x91), 1);
    // The payment's frame, then its checkpoint's.
    let mut seen = 0;
    while seen < 2 {
        if let Message::Text(_) = socket.read().expect("a frame") {
            seen += 1;
        }
    }
    revert(a, id);
    let close = loop {
        match socket.read().expect("a close frame") {
            Message::Close(Some(c)) => break (u16::from(c.code), c.reason.to_string()),
            Message::Text(t) => panic!("a frame of the reverted history: {t}"),
            _ => {}
        }
    };
    assert_eq!(close.0, tokensign::api::stream::CLOSE_REVERTED, "{close:?}");
    assert_eq!(
        tokensign::api::stream::resume_point(&close.1),
        Some(at + 1),
        "{close:?}"
    );
    // The client (`tokensign watch`) resumes on the new history by itself.
    use tokensign::client::stream::{Stream, StreamEvent};
    let id = snapshot(a);
    let mut client = Stream::open(
        &format!("http://{a}"),
        None,
        std::time::Duration::from_secs(60),
    )
    .unwrap();
    live.pay(keyless(0x92), 1);
    for _ in 0..2 {
        assert!(matches!(
            client.next_event().unwrap(),
            StreamEvent::Frame(_)
        ));
    }
    revert(a, id);
    match client.next_event().unwrap() {
        StreamEvent::Resumed { from, reason } => {
            assert_eq!(from, at + 1);
            assert!(reason.contains("reverted"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let hash = live.pay(keyless(0x93), 1);
    match client.next_event().unwrap() {
        StreamEvent::Frame(tokensign::api::StreamFrame::Transaction { transaction, .. }) => {
            assert_eq!(transaction.hash, hash);
            assert_eq!(transaction.checkpoint_number, Some(at + 1));
        }
        other => panic!("{other:?}"),
    }
}
