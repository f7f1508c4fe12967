//! The live stream of one process showing what another commits, and its
//! listener connection's lifetime.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::support::*;
use crate::server_common::postgres::Cluster;
use crate::server_common::*;
use tokensign::api::StreamFrame;
use tokensign::node::{codes, NodeConfig};
use tokensign_core::tx::Payment;
use tokensign_core::Amount;

/// A consumer of one process's live stream.
type Stream = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>;

/// Opens `GET /v1/stream` on `at` (from the next checkpoint); a read
/// waits at most `wait`.
fn stream_of(at: SocketAddr, wait: Duration) -> Stream {
    let (socket, _) =
        tungstenite::connect(format!("ws://{at}/v1/stream")).expect("the stream opens");
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = socket.get_ref() {
        s.set_read_timeout(Some(wait)).unwrap();
    }
    socket
}

/// Reads `socket` until the checkpoint frame after the transaction frame
/// of `hash`; panics if a read waits too long or the stream closes.
fn frames_until_checkpoint_of(socket: &mut Stream, hash: &str, what: &str) -> u64 {
    let mut seen = false;
    loop {
        let message = socket
            .read()
            .unwrap_or_else(|e| panic!("{what}: no frame in time ({e})"));
        let text = match message {
            tungstenite::Message::Text(t) => t,
            tungstenite::Message::Close(c) => panic!("{what}: the stream closed: {c:?}"),
            _ => continue,
        };
        match serde_json::from_str(text.as_str()).expect("a frame") {
            StreamFrame::Transaction { transaction, .. } => {
                seen |= transaction.hash == hash;
            }
            StreamFrame::Checkpoint { checkpoint } if seen => {
                let listed: Vec<&str> = checkpoint
                    .transactions
                    .iter()
                    .filter_map(|v| v.as_str())
                    .collect();
                assert!(listed.contains(&hash), "{what}: {listed:?}");
                return checkpoint.number;
            }
            StreamFrame::Checkpoint { .. } => {}
        }
    }
}

/// The live stream of a process that writes nothing shows what another
/// process commits, at once (LISTEN/NOTIFY), and again once the database
/// has restarted (the listener reconnects and catches up).
#[test]
fn a_stream_shows_the_checkpoints_of_another_process_also_after_a_database_restart() {
    if !crate::server_common::postgres::available(
        "a_stream_shows_the_checkpoints_of_another_process",
    ) {
        return;
    }
    let cluster = Cluster::private();
    let url = cluster.fresh_database();
    let TwoNodes { a, b, keys, token } = two_nodes(&url, 1, "NOTIFY");
    // Pays `value` through A; retried while A's database is away (A's
    // pool reconnects at its next request).
    let pay = |value: u64| {
        let started = Instant::now();
        loop {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "A did not recover"
            );
            let payment = Payment {
                recipient: key(0x98).address(),
                value: Amount::from_u64(value),
                token,
            };
            let Ok(nonce) = std::panic::catch_unwind(|| nonce_at(a.addr, &keys[0].address()))
            else {
                std::thread::sleep(Duration::from_millis(100));
                continue;
            };
            let r = post_signed(a.addr, &keys[0], nonce, payment);
            if r.status == 200 {
                return r.json()["hash"].as_str().unwrap().to_owned();
            }
            r.assert_error(503, codes::DATABASE_UNAVAILABLE);
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    // Only a notification can wake B's stream in time: B commits nothing.
    // The first payment may race the connection's first look at the
    // store; the second comes once it has caught up and waits.
    let mut socket = stream_of(b.addr, Duration::from_secs(20));
    let hash = pay(1);
    frames_until_checkpoint_of(&mut socket, &hash, "the first payment");
    let hash = pay(1);
    let number = frames_until_checkpoint_of(&mut socket, &hash, "the second payment");
    let latest = get(a.addr, "/v1/checkpoints/number").json()["number"].as_u64();
    assert_eq!(latest, Some(number));

    cluster.restart();
    // B's listener reconnects on its own (with a backoff of at most 5 s),
    // then looks for what it missed.
    let hash = pay(2);
    let after = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        frames_until_checkpoint_of(&mut socket, &hash, "after the restart")
    }))
    .unwrap_or_else(|_| panic!("B's log: {}", b.stderr_text()));
    assert!(after > number, "{after} after {number}");
    // B said that it lost its listener (the restart dropped every
    // connection), and reconnected: the frames came.
    let said = b.stderr_text();
    assert!(said.contains("checkpoint notifications lost"), "{said}");
}

/// A node's listener is one connection of its own, and it ends when the
/// node stops: nothing is left behind.
#[test]
fn the_listener_connection_ends_with_the_node() {
    if !crate::server_common::postgres::available("the_listener_connection_ends_with_the_node") {
        return;
    }
    let cluster = Cluster::shared();
    let url = cluster.fresh_database();
    let shown = url.to_string();
    let (_, database) = shown.rsplit_once('/').expect("a database name");
    let listeners = || {
        let rows = cluster.sql(
            "postgres",
            &format!(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}' \
                 AND application_name = 'tokensign-node-listener'"
            ),
        );
        rows[0][0].clone().expect("a count")
    };
    let until = |want: &str, what: &str| {
        let started = Instant::now();
        while listeners() != want {
            assert!(started.elapsed() < Duration::from_secs(30), "{what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let mut config = NodeConfig::new(std::env::temp_dir(), vec![]);
    config.database = Some(url);
    let node = tokensign::node::spawn_background(config, "127.0.0.1:0".parse().unwrap())
        .expect("the node starts");
    until("1", "the node never listened");
    node.shutdown().expect("the node stops");
    until("0", "the listener outlived the node");
}
