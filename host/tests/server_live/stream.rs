//! The live stream (`GET /v1/stream`): history then live in commit order,
//! resuming from a checkpoint, closing when the node stops, and the
//! slow-consumer rule.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::server_common::live::*;
use crate::server_common::*;
use tokensign::api::StreamFrame;
use tokensign_core::tx::*;
use tokensign_core::{Address, Amount};
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

#[test]
fn stream_sends_history_then_live_in_commit_order_and_resumes() {
    history_then_live_in_commit_order(|_| {});
}

/// The same on the in-memory node, whose lone writes commit on the
/// request's thread (no writer hop): each is announced, in commit order.
#[test]
fn the_in_memory_stream_sends_history_then_live_in_commit_order() {
    history_then_live_in_commit_order(|c| c.in_memory = true);
}

fn history_then_live_in_commit_order(adjust: fn(&mut tokensign::node::NodeConfig)) {
    let live = live_with(adjust);
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
