//! The node's live side: the `read_only` mode (spec 1.2), the live stream
//! (`GET /v1/stream`: order, resume, the slow-consumer rule), the
//! explorer's reads and page, and `tokensign watch`.

mod server_common;

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use server_common::live::*;
use server_common::*;
use tokensign::api::StreamFrame;
use tokensign::node::{dev, NodeConfig};
use tokensign_core::native::{sign_as_member, Descriptor, NativeTx};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH};
use tokensign_core::tx::*;
use tokensign_core::{Address, Amount, Scheme};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

fn stream_path(from: Option<u64>) -> String {
    match from {
        Some(n) => format!("/v1/stream?from={n}"),
        None => "/v1/stream".into(),
    }
}

fn open_stream(addr: SocketAddr, from: Option<u64>) -> Socket {
    let (socket, _) =
        tungstenite::connect(format!("ws://{addr}{}", stream_path(from))).expect("stream opens");
    if let MaybeTlsStream::Plain(s) = socket.get_ref() {
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    }
    socket
}

/// The next frame, or the close frame's (code, reason).
fn next_frame(socket: &mut Socket) -> Result<StreamFrame, (u16, String)> {
    loop {
        match socket.read().expect("a frame") {
            Message::Text(t) => return Ok(serde_json::from_str(t.as_str()).expect("a frame")),
            Message::Close(Some(c)) => return Err((u16::from(c.code), c.reason.to_string())),
            Message::Close(None) => return Err((0, String::new())),
            _ => {}
        }
    }
}

/// Reads frames up to and including checkpoint `last`; returns the
/// transaction hashes and the checkpoint numbers seen, checking that each
/// checkpoint frame lists exactly the transactions sent before it.
fn read_until(socket: &mut Socket, last: u64) -> (Vec<String>, Vec<u64>) {
    let (mut hashes, mut numbers, mut pending) = (Vec::new(), Vec::new(), Vec::new());
    loop {
        match next_frame(socket).unwrap_or_else(|c| panic!("closed: {c:?}")) {
            StreamFrame::Transaction {
                transaction,
                receipt,
            } => {
                assert_eq!(transaction.hash, receipt.transaction_hash);
                assert_eq!(transaction.transaction_index, Some(pending.len() as u64));
                pending.push(transaction.hash.clone());
                hashes.push(transaction.hash);
            }
            StreamFrame::Checkpoint { checkpoint } => {
                let listed: Vec<String> = checkpoint
                    .transactions
                    .iter()
                    .map(|v| v.as_str().unwrap().to_owned())
                    .collect();
                assert_eq!(listed, pending, "checkpoint {}", checkpoint.number);
                pending.clear();
                numbers.push(checkpoint.number);
                if checkpoint.number == last {
                    return (hashes, numbers);
                }
            }
        }
    }
}

// ---------------------------------------------------------------- read_only

#[test]
fn read_only_refuses_every_native_write_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = NodeConfig::new(dir.path().to_path_buf(), vec![addr(&operator())]);
    config.read_only = true;
    let node = start_with(config);
    let status = get(node.addr, "/api/status");
    assert_eq!(status.status, 200);
    let s = status.json();
    assert_schema("NodeStatus", &s);
    assert_eq!(s["read_only"], true);
    // The archive profile never activates dual.
    assert_eq!(s["native_write_mode"], "v1_only");
    assert_eq!(s["activation_source"], "not_activated");
    assert_eq!(s["dual_activated_at_secs"], Value::Null);
    // A valid signed write on each scheme, then every write path with any
    // body: 403 NODE_READ_ONLY, before the body is read.
    let signed = sign(&operator(), payload(0, "RO", Some(true)));
    issue(node.addr, &signed).assert_error(403, "NODE_READ_ONLY");
    let native = NativeTx::sign(payload(0, "RO", Some(true)), &operator()).unwrap();
    post_native(node.addr, &native).assert_error(403, "NODE_READ_ONLY");
    for &op in OpType::ALL {
        for path in [Some(op.v2_path()), op.v1_path()].into_iter().flatten() {
            let r = request(node.addr, "POST", path, Some("text/plain"), b"not json");
            r.assert_error(403, "NODE_READ_ONLY");
            assert!(r.json()["message"].as_str().unwrap().contains(op.name()));
        }
    }
    // Nothing was stored; reads still answer; the retired route stays 410.
    assert_eq!(
        get(
            node.addr,
            &format!("/v1/accounts/nonce?address={}", addr(&operator()))
        )
        .json()["nonce"],
        0
    );
    assert_eq!(get(node.addr, "/v1/checkpoints/number").json()["number"], 0);
    post_json(node.addr, "/v1/transactions/raw", "{}")
        .assert_error(410, "RAW_TRANSACTION_ENDPOINT_REMOVED");
}

/// `tokensign node --read-only`: the developer accounts are set up, then
/// every write is refused.
#[test]
fn node_flag_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let (node, lines) = spawn_node(dir.path(), &["--read-only", "--accounts", "2"]);
    let url = banner_addr(&lines);
    assert_eq!(get(url, "/api/status").json()["read_only"], true);
    let accounts = dev::derive_accounts(dev::TEST_MNEMONIC, 2).unwrap();
    let token = banner_token(&lines);
    let tx: Transaction = Transaction::new(
        CHAIN_ID_TESTNET,
        0,
        Payment {
            recipient: Address([0x42; 20]),
            value: Amount::from_u64(1),
            token,
        },
    );
    let signed = NativeTx::sign(tx, &accounts[0].key).unwrap();
    post_native(url, &signed).assert_error(403, "NODE_READ_ONLY");
    let balance = get(
        url,
        &format!(
            "/v1/accounts/token_account?address={}&token={token}",
            accounts[0].address
        ),
    );
    assert_eq!(balance.json()["balance"], "1000000000000");
    drop(node);
}

// ------------------------------------------------------------------ stream

#[test]
fn stream_sends_history_then_live_in_commit_order_and_resumes() {
    let live = live_with(|_| {});
    let to = Address([0x42; 20]);
    let mut sent: Vec<String> = (1..=4).map(|v| live.pay(to, v)).collect();
    sent.push(live.v1_pay(&payer(), to, 5));
    let latest = live.latest();
    // From genesis: everything, each checkpoint once, in order.
    let mut all = open_stream(live.a(), Some(0));
    let (hashes, numbers) = read_until(&mut all, latest);
    assert_eq!(numbers, (0..=latest).collect::<Vec<_>>());
    assert_eq!(hashes.len(), 2 + sent.len(), "issue, mint, payments");
    assert_eq!(&hashes[2..], &sent[..]);
    // Resume from the middle: exactly the rest.
    let from = latest - 2;
    let mut resumed = open_stream(live.a(), Some(from));
    let (rest, numbers) = read_until(&mut resumed, latest);
    assert_eq!(numbers, (from..=latest).collect::<Vec<_>>());
    assert_eq!(&rest[..], &sent[sent.len() - 3..]);
    // A live-only consumer (no `from`) sees only what comes next; all
    // three see the new payments.
    let mut fresh = open_stream(live.a(), None);
    // The upgrade is answered before the first read: make sure the
    // connection is served before paying.
    let later: Vec<String> = (6..=7).map(|v| live.pay(to, v)).collect();
    let now = live.latest();
    for socket in [&mut all, &mut resumed, &mut fresh] {
        let (hashes, numbers) = read_until(socket, now);
        assert_eq!(hashes, later);
        assert_eq!(numbers, vec![now - 1, now]);
    }
    // The frames are the reads' answers.
    let by_hash = get(
        live.a(),
        &format!("/v1/transactions/by_hash?hash={}", later[0]),
    );
    let mut again = open_stream(live.a(), Some(now - 1));
    match next_frame(&mut again).unwrap() {
        StreamFrame::Transaction { transaction, .. } => {
            assert_eq!(serde_json::to_value(&transaction).unwrap(), by_hash.json());
        }
        other => panic!("{other:?}"),
    }
    // Refusals before the upgrade: a future checkpoint, a bad number, no
    // WebSocket.
    get(live.a(), &format!("/v1/stream?from={}", now + 2))
        .assert_error(404, "CHECKPOINT_NOT_FOUND");
    get(live.a(), "/v1/stream?from=x").assert_error(400, "INVALID_NUMBER");
    get(live.a(), "/v1/stream").assert_error(426, "UPGRADE_REQUIRED");
    // from = latest + 1 is "everything after what I have".
    let mut next = open_stream(live.a(), Some(now + 1));
    let h = live.pay(to, 8);
    let (hashes, _) = read_until(&mut next, now + 1);
    assert_eq!(hashes, vec![h]);
}

/// The node's stopping closes every stream with 1001, and the node still
/// stops (the streams hold no state open).
#[test]
fn stopping_the_node_closes_streams() {
    let live = live_with(|_| {});
    let mut socket = open_stream(live.a(), None);
    live.pay(Address([0x42; 20]), 1);
    let latest = live.latest();
    read_until(&mut socket, latest);
    let Live { node, _dir, .. } = live;
    node.shutdown().expect("stops cleanly");
    assert_eq!(next_frame(&mut socket).unwrap_err().0, 1001);
}

/// The rule: a consumer that has caught up and then falls more than
/// `lag_limit` checkpoints behind is dropped with close 1008 naming the
/// checkpoint to resume from; resuming there misses nothing and repeats
/// nothing.
#[test]
fn a_slow_consumer_is_dropped_and_resumes_where_it_was() {
    let live = live_with(|c| {
        c.durable = false;
        c.stream.lag_limit = 4;
        c.stream.stall_timeout = Duration::from_secs(300);
    });
    // A consumer with a small receive buffer that stops reading.
    let latest = live.latest();
    let mut slow = small_buffer_stream(live.a(), latest + 1);
    // Enough frames to fill both sockets' buffers many times over: the
    // node's send buffer may grow to tcp_wmem's maximum.
    let wmem_max: usize = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_wmem")
        .ok()
        .and_then(|t| t.split_whitespace().nth(2).and_then(|v| v.parse().ok()))
        .unwrap_or(4 << 20);
    let recipients: Vec<Address> = (0..256u32)
        .map(|i| {
            let mut a = [0x10u8; 20];
            a[..4].copy_from_slice(&i.to_be_bytes());
            Address(a)
        })
        .collect();
    let batch = |created_at| {
        let mut operations = heapless::Vec::new();
        for r in &recipients {
            operations
                .push(BatchEntry {
                    recipient: *r,
                    amount: Amount::from_u64(1),
                })
                .unwrap();
        }
        BatchPayment {
            token: live.token,
            operations,
            created_at,
            operations_hash: None,
            batch_id: None,
        }
    };
    let first = live.v2(&payer(), batch(1));
    let frame = get(live.a(), &format!("/v1/transactions/by_hash?hash={first}"))
        .body
        .len()
        + get(
            live.a(),
            &format!("/v1/transactions/receipt/by_hash?hash={first}"),
        )
        .body
        .len();
    let mut sent = vec![first];
    while sent.len() * frame < 3 * wmem_max + (1 << 20) {
        sent.push(live.v2(&payer(), batch(sent.len() as u64 + 1)));
    }
    let last = live.latest();
    // Now read: a prefix of the checkpoints, then the close.
    let (mut seen, mut next) = (Vec::new(), latest + 1);
    let (code, reason) = loop {
        match next_frame(&mut slow) {
            Ok(StreamFrame::Transaction { transaction, .. }) => seen.push(transaction.hash),
            Ok(StreamFrame::Checkpoint { checkpoint }) => {
                assert_eq!(checkpoint.number, next);
                next += 1;
            }
            Err(close) => break close,
        }
    };
    assert_eq!(code, 1008, "{reason}");
    assert!(reason.starts_with("slow consumer:"), "{reason}");
    assert_eq!(
        tokensign::api::stream::resume_point(&reason),
        Some(next),
        "{reason}"
    );
    assert!(next <= last, "dropped before the end: {next} of {last}");
    let (rest, numbers) = read_until(&mut open_stream(live.a(), Some(next)), last);
    assert_eq!(numbers.first(), Some(&next));
    seen.extend(rest);
    assert_eq!(seen, sent, "every transaction once, in order");
}

fn small_buffer_stream(addr: SocketAddr, from: u64) -> Socket {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let tcp = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        socket.connect(addr).await.unwrap().into_std().unwrap()
    });
    tcp.set_nonblocking(false).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let (socket, _) = tungstenite::client(
        format!("ws://{addr}{}", stream_path(Some(from))),
        MaybeTlsStream::Plain(tcp),
    )
    .expect("handshake");
    socket
}

// ---------------------------------------------------------------- explorer

#[test]
fn explorer_reads_show_the_ledger_and_reviews_as_a_device_shows_them() {
    let live = live_with(|_| {});
    let to = Address([0x42; 20]);
    let v2 = live.pay(to, 1_500_000);
    let v1 = live.v1_pay(&payer(), to, 250_000);
    // A multisig account paying on its own nonce.
    let members = [key(0x71), key(0x72)];
    let mut signers = heapless::Vec::new();
    for k in &members {
        signers
            .push(MultisigSigner {
                public_key: tokensign_core::field::KeyAsIntegers(k.public_key_compressed()),
                weight: 1,
            })
            .unwrap();
    }
    let create = CreateMultiSig {
        signers,
        threshold: 2,
    };
    let account = create.account_address();
    live.v2(&payer(), create);
    live.pay(account, 10);
    let pay: Transaction = Transaction::new(CHAIN_ID_TESTNET, 0, live.payment(to, 3));
    let sigs: Vec<_> = members
        .iter()
        .map(|k| sign_as_member(&pay, account, k).unwrap())
        .collect();
    let multi = live.post_native(&NativeTx::combine(pay.clone(), account, &sigs).unwrap());

    // Overview: the token, the accounts, the latest transactions.
    let o = get(live.a(), "/explorer/api/overview");
    assert_eq!(o.status, 200, "{}", o.body);
    let o = o.json();
    assert_eq!(o["tokens"][0]["symbol"], "LIVE");
    assert_eq!(o["tokens"][0]["holders"], 3, "payer, recipient, multisig");
    assert_eq!(o["latest_checkpoint"], live.latest());
    assert_eq!(o["transactions"][0]["transaction"]["hash"], multi);
    assert_eq!(o["transactions"][0]["receipt"]["success"], true);
    let listed: Vec<&str> = o["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["address"].as_str().unwrap())
        .collect();
    for a in [payer().address(), to, account] {
        assert!(
            listed.contains(&a.to_string().as_str()),
            "{a} in {listed:?}"
        );
    }
    // A token: metadata, supply in whole tokens, authorities, holders.
    let t = get(
        live.a(),
        &format!("/explorer/api/token?token={}", live.token),
    )
    .json();
    assert_eq!(
        t["metadata"]["master_authority"],
        master_key().address().to_string()
    );
    assert_eq!(t["supply_whole"], "1000000000");
    assert_eq!(t["holders"][0]["address"], payer().address().to_string());
    // An account: balances in base units and whole tokens, nonce.
    let a = get(live.a(), &format!("/explorer/api/account?address={to}")).json();
    assert_eq!(a["balances"][0]["balance"], "1750003");
    assert_eq!(a["balances"][0]["balance_whole"], "1.750003");
    assert_eq!(a["nonce"], 0);
    let m = get(
        live.a(),
        &format!("/explorer/api/account?address={account}"),
    )
    .json();
    assert_eq!(m["multisig"]["threshold"], 2);
    assert_eq!(m["multisig"]["members"].as_array().unwrap().len(), 2);
    assert_eq!(m["nonce"], 1);
    // Transactions: receipt, and the review pages the core shows for the
    // same transaction in the scheme and form it was signed in.
    let expect = |tx: &Transaction, scheme, descriptor| -> Vec<String> {
        Review::new(tx, scheme, descriptor)
            .pages(DEFAULT_PAGE_WIDTH)
            .map(|p| p.to_string())
            .collect()
    };
    let v2_tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, 0, live.payment(to, 1_500_000));
    let v1_tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, 1, live.payment(to, 250_000));
    for (hash, tx, scheme, descriptor, label) in [
        (
            &v2,
            &v2_tx,
            Scheme::Native,
            Descriptor::Single,
            "v2 (domain-separated)",
        ),
        (
            &v1,
            &v1_tx,
            Scheme::Legacy,
            Descriptor::Single,
            "v1 (legacy)",
        ),
        (
            &multi,
            &pay,
            Scheme::Native,
            Descriptor::Multisig(account),
            "v2 (domain-separated)",
        ),
    ] {
        let v = get(live.a(), &format!("/explorer/api/transaction?hash={hash}"));
        assert_eq!(v.status, 200, "{}", v.body);
        let v = v.json();
        assert_eq!(v["review_error"], Value::Null, "{v}");
        assert_eq!(v["review"]["scheme"], label);
        let pages: Vec<String> = serde_json::from_value(v["review"]["pages"].clone()).unwrap();
        let mut tx = tx.clone();
        if scheme == Scheme::Native {
            tx.memo = Some(Default::default());
        }
        assert_eq!(pages, expect(&tx, scheme, descriptor), "{hash}");
        assert!(pages[0].starts_with("Operation: Payment"), "{pages:?}");
        assert_eq!(v["receipt"]["transaction_hash"], *hash);
    }
    // Search: a transaction, a checkpoint hash and number, a token, an
    // account; nothing; a malformed address.
    let search = |q: &str| get(live.a(), &format!("/explorer/api/search?q={q}"));
    assert_eq!(search(&v1).json()["kind"], "transaction");
    let checkpoint = get(live.a(), "/v1/checkpoints/by_number?number=1").json();
    let found = search(checkpoint["hash"].as_str().unwrap()).json();
    assert_eq!(
        (found["kind"].as_str(), found["key"].as_str()),
        (Some("checkpoint"), Some("1"))
    );
    assert_eq!(search("1").json()["kind"], "checkpoint");
    assert_eq!(search(&live.token.to_string()).json()["kind"], "token");
    let found = search(&to.to_string().to_lowercase()).json();
    assert_eq!(
        (found["kind"].as_str(), found["key"].as_str()),
        (Some("account"), Some(to.to_string().as_str()))
    );
    search(&format!("0x{}", "ab".repeat(32))).assert_error(404, "NOT_FOUND");
    search("0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266").assert_error(400, "INVALID_ADDRESS");
    get(
        live.a(),
        "/explorer/api/token?token=0x0000000000000000000000000000000000000001",
    )
    .assert_error(404, "TOKEN_NOT_FOUND");
    // The page: from the binary, no external asset, its policy says so.
    let page = get(live.a(), "/explorer");
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    for external in ["http://", "https://", "src=", "<link", "@import"] {
        assert!(
            !page.body.contains(external),
            "the page refers to {external}"
        );
    }
}

// ------------------------------------------------------------------- watch

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
