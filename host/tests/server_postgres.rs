//! Several `tokensign node` processes on one PostgreSQL database: one
//! ledger. Concurrent payments from the same accounts through two
//! processes; the same nonce raced through both; a kill -9 of one process
//! and a database restart, both mid-load; an unreachable database; the
//! schema's migrations; the live stream of one process showing what the
//! other commits. Each test skips loudly where PostgreSQL is not
//! installed (and fails instead under `TOKENSIGN_REQUIRE_POSTGRES=1`).

mod server_common;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use server_common::postgres::Cluster;
use server_common::*;
use tokensign::api::StreamFrame;
use tokensign::node::{codes, DatabaseUrl, NodeConfig, NodeError};
use tokensign_core::text::Text;
use tokensign_core::tx::{Payment, TokenIssue, TokenMint};
use tokensign_core::{Address, Amount, SigningKey};

const FUNDS: u64 = 1_000_000;

fn node_on(url: &DatabaseUrl) -> CliNode {
    let op = addr(&operator()).to_string();
    CliNode::start(&[
        "--database",
        &url_text(url),
        "--accounts",
        "0",
        "--test-token",
        "none",
        "--operator",
        &op,
    ])
}

/// The URL as given (the fixture's URLs carry no password).
fn url_text(url: &DatabaseUrl) -> String {
    url.to_string()
}

/// Two node processes on the database at `url`, and `n` senders funded
/// with a token `symbol` issued through `a`.
struct TwoNodes {
    a: CliNode,
    b: CliNode,
    keys: Vec<SigningKey>,
    token: Address,
}

fn two_nodes(url: &DatabaseUrl, n: u8, symbol: &str) -> TwoNodes {
    let (a, keys, token) = one_node(url, n, symbol);
    let b = node_on(url);
    TwoNodes { a, b, keys, token }
}

/// A node process on the database at `url`, and `n` senders funded with a
/// token `symbol` issued through it.
fn one_node(url: &DatabaseUrl, n: u8, symbol: &str) -> (CliNode, Vec<SigningKey>, Address) {
    let a = node_on(url);
    let keys = senders(n);
    let token = funded_token(a.addr, symbol, &keys);
    (a, keys, token)
}

fn senders(n: u8) -> Vec<SigningKey> {
    (0..n).map(|i| key(0x70 + i)).collect()
}

fn issuer() -> SigningKey {
    key(0x44)
}

/// Issues a token through `at` (its master is [`issuer`]) and mints
/// [`FUNDS`] to each of `holders`; the token.
fn funded_token(at: SocketAddr, symbol: &str, holders: &[SigningKey]) -> Address {
    let issue = TokenIssue {
        symbol: Text::new(symbol).unwrap(),
        name: Text::new("Shared Sandbox").unwrap(),
        decimals: 6,
        master_authority: issuer().address(),
        is_private: false,
        clawback_enabled: Some(false),
    };
    let r = post_signed(at, &operator(), nonce_at(at, &addr(&operator())), issue);
    assert_eq!(r.status, 200, "{}", r.body);
    let token = Address::parse(r.json()["token"].as_str().unwrap()).unwrap();
    for h in holders {
        let mint = TokenMint {
            recipient: h.address(),
            value: Amount::from_u64(FUNDS),
            token,
        };
        let r = post_signed(at, &issuer(), nonce_at(at, &issuer().address()), mint);
        assert_eq!(r.status, 200, "{}", r.body);
    }
    token
}

/// An acknowledged payment.
#[derive(Clone, Debug)]
struct Acked {
    hash: String,
    from: Address,
    nonce: u64,
}

/// Sends `count` payments from `key` through `at`: each
/// reads the nonce there and pays `base`..`base + 2` units to one of `to`
/// (threads of one sender use different bases, so that their payments
/// differ). Records what
/// was acknowledged; other answers must be a nonce race, a node gone or a
/// database unavailable.
fn pay_loop(
    at: SocketAddr,
    base: u64,
    key: SigningKey,
    token: Address,
    to: Vec<Address>,
    count: usize,
    acked: Arc<Mutex<Vec<Acked>>>,
) {
    for i in 0..count {
        let Ok(nonce) = std::panic::catch_unwind(|| nonce_at(at, &key.address())) else {
            // The node is gone or the database is down: try again.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let pay = Payment {
            recipient: to[i % to.len()],
            value: Amount::from_u64(base + (i % 3) as u64),
            token,
        };
        let r = match std::panic::catch_unwind(|| post_signed(at, &key, nonce, pay)) {
            Ok(r) => r,
            Err(_) => continue,
        };
        match r.status {
            200 => acked.lock().unwrap().push(Acked {
                hash: r.json()["hash"].as_str().unwrap().to_owned(),
                from: key.address(),
                nonce,
            }),
            422 => assert_eq!(r.json()["error_code"], codes::NONCE_MISMATCH, "{}", r.body),
            503 => {
                assert_eq!(
                    r.json()["error_code"],
                    codes::DATABASE_UNAVAILABLE,
                    "{}",
                    r.body
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
}

/// Every acknowledged payment is stored (read through `at`), no nonce was
/// used twice, each sender's nonce and balance add up, and the state's
/// invariants hold.
fn check_after_load(at: SocketAddr, token: Address, keys: &[SigningKey], acked: &[Acked]) {
    let mut seen = HashSet::new();
    for a in acked {
        assert!(
            seen.insert((a.from, a.nonce)),
            "nonce {} of {} acknowledged twice",
            a.nonce,
            a.from
        );
        let r = get(at, &format!("/v1/transactions/by_hash?hash={}", a.hash));
        assert_eq!(r.status, 200, "acknowledged {} lost: {}", a.hash, r.body);
    }
    let state = dump_at(at);
    assert_invariants(&state);
    // Each sender: its nonce counts its payments; minted = held + sent -
    // received.
    let mut sent: HashMap<String, u128> = HashMap::new();
    let mut received: HashMap<String, u128> = HashMap::new();
    let mut count: HashMap<String, u64> = HashMap::new();
    for r in &state.transactions {
        if r.transaction.transaction_type != "TokenTransfer" {
            continue;
        }
        let value: u128 = r.transaction.data["value"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let to = r.transaction.data["recipient"].as_str().unwrap().to_owned();
        *sent.entry(r.transaction.from.clone()).or_default() += value;
        *received.entry(to).or_default() += value;
        *count.entry(r.transaction.from.clone()).or_default() += 1;
    }
    for k in keys {
        let who = k.address().to_string();
        assert_eq!(
            nonce_at(at, &k.address()),
            count.get(&who).copied().unwrap_or(0),
            "{who}: nonce vs stored payments"
        );
        let r = get(
            at,
            &format!("/v1/accounts/token_account?address={who}&token={token}"),
        );
        let held: u128 = r.json()["balance"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            held + sent.get(&who).copied().unwrap_or(0),
            u128::from(FUNDS) + received.get(&who).copied().unwrap_or(0),
            "{who}: no double spend"
        );
    }
}

/// Two processes on one database under concurrent payments from the same
/// accounts through both.
#[test]
fn two_processes_one_ledger_concurrent_payments_from_the_same_accounts() {
    if !server_common::postgres::available("two_processes_one_ledger") {
        return;
    }
    let url = Cluster::shared().fresh_database();
    let TwoNodes { a, b, keys, token } = two_nodes(&url, 4, "SHARE");
    // Acknowledged by A, readable from B at once.
    let r = get(b.addr, &format!("/v1/tokens/token_metadata?token={token}"));
    assert_eq!(r.status, 200, "{}", r.body);
    let pay = Payment {
        recipient: keys[1].address(),
        value: Amount::from_u64(5),
        token,
    };
    let r = post_signed(a.addr, &keys[0], 0, pay);
    assert_eq!(r.status, 200, "{}", r.body);
    let hash = r.json()["hash"].as_str().unwrap().to_owned();
    let seen = get(
        b.addr,
        &format!("/v1/transactions/receipt/by_hash?hash={hash}"),
    );
    assert_eq!(
        seen.status, 200,
        "B does not see A's payment: {}",
        seen.body
    );
    assert_eq!(nonce_at(b.addr, &keys[0].address()), 1);

    let acked = Arc::new(Mutex::new(vec![Acked {
        hash,
        from: keys[0].address(),
        nonce: 0,
    }]));
    let to: Vec<Address> = keys.iter().map(|k| k.address()).collect();
    let mut threads = Vec::new();
    for k in &keys {
        for (at, base) in [(a.addr, 1), (b.addr, 4)] {
            let (k, to, acked) = (k.clone(), to.clone(), acked.clone());
            threads.push(std::thread::spawn(move || {
                pay_loop(at, base, k, token, to, 40, acked)
            }));
        }
    }
    for t in threads {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 40,
        "only {} payments went through",
        acked.len()
    );
    check_after_load(a.addr, token, &keys, &acked);
    check_after_load(b.addr, token, &keys, &acked);
}

/// The same account's nonce raced through both processes: exactly one
/// transaction is admitted each time.
#[test]
fn the_same_nonce_through_two_processes_admits_exactly_one() {
    if !server_common::postgres::available("the_same_nonce_through_two_processes") {
        return;
    }
    let url = Cluster::shared().fresh_database();
    let TwoNodes { a, b, keys, token } = two_nodes(&url, 1, "RACE");
    for round in 0..20u64 {
        let barrier = Arc::new(Barrier::new(2));
        let answers: Vec<Resp> = [(a.addr, 1u64), (b.addr, 2u64)]
            .into_iter()
            .map(|(at, value)| {
                let (k, barrier) = (keys[0].clone(), barrier.clone());
                std::thread::spawn(move || {
                    let pay = Payment {
                        recipient: key(0x99).address(),
                        value: Amount::from_u64(value),
                        token,
                    };
                    barrier.wait();
                    post_signed(at, &k, round, pay)
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        let wins = answers.iter().filter(|r| r.status == 200).count();
        assert_eq!(wins, 1, "round {round}: {answers:?}");
        for r in answers.iter().filter(|r| r.status != 200) {
            r.assert_error(422, codes::NONCE_MISMATCH);
        }
    }
    assert_eq!(nonce_at(b.addr, &keys[0].address()), 20);
    assert_invariants(&dump_at(b.addr));
}

/// kill -9 of one process mid-load: nothing it acknowledged is lost, and
/// the other keeps serving.
#[test]
fn kill_9_of_one_process_mid_load_loses_nothing() {
    if !server_common::postgres::available("kill_9_of_one_process_mid_load") {
        return;
    }
    let url = Cluster::shared().fresh_database();
    let TwoNodes {
        mut a,
        b,
        keys,
        token,
    } = two_nodes(&url, 4, "KILL");
    let acked = Arc::new(Mutex::new(Vec::new()));
    let to: Vec<Address> = keys.iter().map(|k| k.address()).collect();
    let mut threads = Vec::new();
    for k in &keys {
        for (at, base) in [(a.addr, 1), (b.addr, 4)] {
            let (k, to, acked) = (k.clone(), to.clone(), acked.clone());
            threads.push(std::thread::spawn(move || {
                pay_loop(at, base, k, token, to, 60, acked)
            }));
        }
    }
    // Kill A once the load is under way.
    let started = Instant::now();
    while acked.lock().unwrap().len() < 30 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
    }
    a.kill9();
    for t in threads {
        t.join().unwrap();
    }
    // B still serves: a new payment goes through.
    let n = nonce_at(b.addr, &keys[0].address());
    let pay = Payment {
        recipient: keys[1].address(),
        value: Amount::from_u64(1),
        token,
    };
    let r = post_signed(b.addr, &keys[0], n, pay);
    assert_eq!(r.status, 200, "{}", r.body);
    let mut acked = acked.lock().unwrap().clone();
    acked.push(Acked {
        hash: r.json()["hash"].as_str().unwrap().to_owned(),
        from: keys[0].address(),
        nonce: n,
    });
    check_after_load(b.addr, token, &keys, &acked);
}

/// The database restarted mid-load: the node answers 503 while it is down,
/// recovers by itself, and nothing acknowledged is lost.
#[test]
fn a_database_restart_mid_load_loses_nothing_and_the_node_recovers() {
    if !server_common::postgres::available("a_database_restart_mid_load") {
        return;
    }
    let cluster = Cluster::private();
    let url = cluster.fresh_database();
    let (a, keys, token) = one_node(&url, 3, "RESTART");
    let acked = Arc::new(Mutex::new(Vec::new()));
    let to: Vec<Address> = keys.iter().map(|k| k.address()).collect();
    let at = a.addr;
    let threads: Vec<_> = keys
        .iter()
        .map(|k| {
            let (k, to, acked) = (k.clone(), to.clone(), acked.clone());
            std::thread::spawn(move || pay_loop(at, 1, k, token, to, 80, acked))
        })
        .collect();
    let started = Instant::now();
    while acked.lock().unwrap().len() < 20 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let before = acked.lock().unwrap().len();
    cluster.restart();
    for t in threads {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > before,
        "no payment was acknowledged after the restart ({before} before)"
    );
    check_after_load(a.addr, token, &keys, &acked);
}

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
    if !server_common::postgres::available("a_stream_shows_the_checkpoints_of_another_process") {
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
    if !server_common::postgres::available("the_listener_connection_ends_with_the_node") {
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

/// An unreachable database: reads and writes answer 503
/// DATABASE_UNAVAILABLE promptly (never a hang); back to 200 once it is up.
#[test]
fn an_unreachable_database_gives_503_and_the_node_recovers() {
    if !server_common::postgres::available("an_unreachable_database_gives_503") {
        return;
    }
    let cluster = Cluster::private();
    let url = cluster.fresh_database();
    let (a, keys, token) = one_node(&url, 1, "DOWN");
    cluster.halt();
    let started = Instant::now();
    let r = get(
        a.addr,
        &format!("/v1/accounts/nonce?address={}", keys[0].address()),
    );
    r.assert_error(503, codes::DATABASE_UNAVAILABLE);
    let pay = Payment {
        recipient: key(0x99).address(),
        value: Amount::from_u64(1),
        token,
    };
    let r = post_signed(a.addr, &keys[0], 0, pay.clone());
    r.assert_error(503, codes::DATABASE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    cluster.resume();
    let r = post_signed(a.addr, &keys[0], 0, pay);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(nonce_at(a.addr, &keys[0].address()), 1);
}

/// The schema from an empty database, from the previous version (with
/// data written in that version's shape), and a newer database refused.
#[test]
fn migrations_from_empty_and_from_the_previous_version() {
    if !server_common::postgres::available("migrations") {
        return;
    }
    let cluster = Cluster::shared();
    let latest = tokensign::node::database_schema_version();
    assert!(latest >= 2, "schema version {latest}");

    // Empty → latest: a node starts and serves.
    let empty = cluster.fresh_database();
    let name = |url: &DatabaseUrl| url.to_string().rsplit('/').next().unwrap().to_owned();
    let (a, keys, token) = one_node(&empty, 2, "MIGR");
    let pay = Payment {
        recipient: keys[1].address(),
        value: Amount::from_u64(7),
        token,
    };
    assert_eq!(post_signed(a.addr, &keys[0], 0, pay).status, 200);
    let state = dump_at(a.addr);
    drop(a);
    let version = cluster.sql(
        &name(&empty),
        "SELECT max(version) FROM refinery_schema_history",
    );
    assert_eq!(version[0][0].as_deref(), Some(latest.to_string().as_str()));

    // The previous version, holding that ledger in its shape (version 1:
    // transactions are only hash and record).
    let old = cluster.fresh_database();
    tokensign::node::migrate_to(&old, Some(latest - 1)).unwrap();
    let mut sql = String::new();
    let last = state.checkpoints.last().unwrap();
    for c in &state.checkpoints {
        sql.push_str(&format!(
            "INSERT INTO checkpoints VALUES ({}, decode('{}', 'hex'), $j${}$j$);\n",
            c.number,
            hex::encode(c.hash),
            serde_json::to_string(c).unwrap()
        ));
    }
    sql.push_str(&format!(
        "INSERT INTO head VALUES (true, {}, decode('{}', 'hex'), 0);\n",
        last.number,
        hex::encode(last.hash)
    ));
    for r in &state.transactions {
        sql.push_str(&format!(
            "INSERT INTO transactions VALUES (decode('{}', 'hex'), $j${}$j$);\n",
            &r.transaction.hash[2..],
            serde_json::to_string(r).unwrap()
        ));
    }
    for acc in &state.accounts {
        sql.push_str(&format!(
            "INSERT INTO accounts VALUES (decode('{}', 'hex'), {}, {});\n",
            hex::encode(acc.address.as_bytes()),
            acc.nonce,
            acc.bbnonce
        ));
    }
    for t in &state.tokens {
        sql.push_str(&format!(
            "INSERT INTO tokens VALUES (decode('{}', 'hex'), '{}', $j${}$j$);\n",
            hex::encode(t.address.as_bytes()),
            t.symbol,
            serde_json::to_string(t).unwrap()
        ));
    }
    for b in &state.balances {
        sql.push_str(&format!(
            "INSERT INTO balances VALUES (decode('{}', 'hex'), decode('{}', 'hex'), {});\n",
            hex::encode(b.owner.as_bytes()),
            hex::encode(b.token.as_bytes()),
            b.amount
        ));
    }
    cluster.sql(&name(&old), &sql);
    let b = node_on(&old);
    // Migrated: the same state, the new columns filled from the records.
    assert_eq!(dump_at(b.addr), state);
    let rows = cluster.sql(
        &name(&old),
        "SELECT count(*) FROM transactions WHERE checkpoint IS NOT NULL AND sender IS NOT NULL",
    );
    assert_eq!(
        rows[0][0].as_deref(),
        Some(state.transactions.len().to_string().as_str())
    );
    // And it keeps working.
    let pay = Payment {
        recipient: keys[0].address(),
        value: Amount::from_u64(1),
        token,
    };
    assert_eq!(post_signed(b.addr, &keys[1], 0, pay).status, 200);
    drop(b);

    // A database from a newer tokensign is refused by name.
    cluster.sql(
        &name(&old),
        "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) \
         VALUES (999, 'from_the_future', '2030-01-01T00:00:00Z', '0')",
    );
    let mut config = NodeConfig::new(std::env::temp_dir(), vec![]);
    config.database = Some(old);
    match tokensign::node::spawn_background(config, "127.0.0.1:0".parse().unwrap()) {
        Err(NodeError::DatabaseTooNew {
            found, supported, ..
        }) => {
            assert_eq!(found, 999);
            assert_eq!(supported, latest);
        }
        other => panic!("expected DatabaseTooNew, got {:?}", other.err()),
    }
}

/// The database password never on a command line nor in the output: a
/// `--database` URL holding one is refused (pointing at the ways that
/// work); `$TOKENSIGN_DATABASE_URL`, `--database-url-file`, `$PGPASSWORD`
/// and a private password file each sign in as a role that needs its
/// password; a password file others may read is ignored with a warning;
/// a wrong password fails at once, by name. No output holds the password.
#[test]
fn the_database_password_comes_from_the_environment_a_file_or_pgpass_never_argv() {
    if !server_common::postgres::available("the_database_password") {
        return;
    }
    let cluster = Cluster::shared();
    let url = cluster.fresh_database();
    let db = url.to_string().rsplit('/').next().unwrap().to_owned();
    let role = format!("alice_{db}");
    let secret = format!("pw-{}-s3cret", std::process::id());
    cluster.sql(
        "postgres",
        &format!(
            "CREATE ROLE {role} LOGIN PASSWORD '{secret}'; ALTER DATABASE {db} OWNER TO {role}"
        ),
    );
    let plain = cluster
        .url_of(&db)
        .replacen("postgres@", &format!("{role}@"), 1);
    let with_password = plain.replacen(&format!("{role}@"), &format!("{role}:{secret}@"), 1);
    assert_ne!(plain, with_password);
    let dir = tempfile::tempdir().unwrap();
    let nowhere = dir.path().join("no-pgpass");
    let nowhere = nowhere.to_str().unwrap();
    let op = addr(&operator()).to_string();
    let base = ["--accounts", "0", "--test-token", "none", "--operator", &op];
    // Each start sees only what the case gives it.
    let start = |extra: &[&str], envs: &[(&str, &str)]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let mut all = vec![
            ("TOKENSIGN_DATABASE_URL", ""),
            ("PGPASSWORD", ""),
            ("PGPASSFILE", nowhere),
            ("RUST_LOG", "debug"),
        ];
        all.extend_from_slice(envs);
        CliNode::try_start_with(&args, &all)
    };

    // On the command line: refused before anything connects, the password
    // not echoed.
    let key_value = format!("host=127.0.0.1 dbname={db} user={role} password={secret}");
    for given in [&with_password, &key_value] {
        let err = start(&["--database", given], &[]).err().expect("refused");
        for hint in [
            "must not hold the password",
            "TOKENSIGN_DATABASE_URL",
            "--database-url-file",
            "PGPASSWORD",
            ".pgpass",
        ] {
            assert!(err.contains(hint), "no {hint:?} in: {err}");
        }
        assert!(!err.contains(&secret), "the password was echoed: {err}");
    }

    // $TOKENSIGN_DATABASE_URL with the password: serves, and a payment
    // through it shows at once on a node signed in from a URL file.
    let a = start(&[], &[("TOKENSIGN_DATABASE_URL", &with_password)]).expect("env URL");
    let file = dir.path().join("database-url");
    std::fs::write(&file, format!("{with_password}\n")).unwrap();
    let b = start(&["--database-url-file", file.to_str().unwrap()], &[]).expect("URL file");
    let keys = senders(2);
    let token = funded_token(a.addr, "SECRET", &keys);
    let pay = Payment {
        recipient: keys[1].address(),
        value: Amount::from_u64(3),
        token,
    };
    assert_eq!(post_signed(a.addr, &keys[0], 0, pay).status, 200);
    assert_eq!(nonce_at(b.addr, &keys[0].address()), 1);

    // A URL without the password: $PGPASSWORD, then a private password file.
    let c = start(&["--database", &plain], &[("PGPASSWORD", &secret)]).expect("PGPASSWORD");
    assert_eq!(nonce_at(c.addr, &keys[0].address()), 1);
    let port = plain.rsplit(':').next().unwrap().split('/').next().unwrap();
    let pgpass = dir.path().join("pgpass");
    std::fs::write(
        &pgpass,
        format!("# tokensign test\n127.0.0.1:{port}:other:{role}:wrong\n127.0.0.1:{port}:{db}:{role}:{secret}\n"),
    )
    .unwrap();
    let pgpass_text = pgpass.to_str().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let d = start(&["--database", &plain], &[("PGPASSFILE", pgpass_text)]).expect("pgpass");
    assert_eq!(nonce_at(d.addr, &keys[0].address()), 1);

    // A password file others may read is ignored, as psql ignores it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = start(&["--database", &plain], &[("PGPASSFILE", pgpass_text)])
            .err()
            .expect("an open password file is ignored");
        assert!(err.contains("chmod 600"), "{err}");
        assert!(!err.contains(&secret), "{err}");
    }

    // A wrong password: a prompt, named refusal (no hang, no echo).
    let started = Instant::now();
    let wrong = plain.replacen(&format!("{role}@"), &format!("{role}:not-it@"), 1);
    let err = start(&[], &[("TOKENSIGN_DATABASE_URL", &wrong)])
        .err()
        .expect("a wrong password is refused");
    assert!(err.contains("password authentication failed"), "{err}");
    assert!(!err.contains("not-it"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30));

    // Nothing any node wrote holds the password.
    for node in [&a, &b, &c, &d] {
        let out = node.stderr_text();
        assert!(out.contains(&format!("{role}@127.0.0.1")), "{out}");
        assert!(!out.contains(&secret), "the password was logged: {out}");
    }
}

/// The development controls on a shared database: set_balance and
/// set_nonce through one process are committed under the database's write
/// lock and read at once through the other (the supply following the
/// balance); per_write and `POST /dev/checkpoint` (an empty checkpoint,
/// numbered by the database, seen by both) work; the checkpoint modes
/// that leave transactions pending, snapshot and revert are refused by
/// name (501), naming the embedded store, and change nothing.
#[test]
fn dev_controls_on_a_shared_database() {
    if !server_common::postgres::available("dev_controls_on_a_shared_database") {
        return;
    }
    let url = Cluster::shared().fresh_database();
    let TwoNodes { a, b, keys, token } = two_nodes(&url, 1, "DEVC");
    let holder = keys[0].address();
    let balance_at = |at: SocketAddr| {
        get(
            at,
            &format!("/v1/accounts/token_account?address={holder}&token={token}"),
        )
        .json()["balance"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    let set = post_json(
        a.addr,
        "/dev/set_balance",
        &format!(r#"{{"address": "{holder}", "token": "{token}", "balance": "5000"}}"#),
    );
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.json()["previous"], FUNDS.to_string());
    assert_eq!(set.json()["supply"], "5000");
    assert_eq!(balance_at(b.addr), "5000");
    let r = post_json(
        b.addr,
        "/dev/set_nonce",
        &format!(r#"{{"address": "{holder}", "nonce": 7}}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(nonce_at(a.addr, &holder), 7);

    let before = get(b.addr, "/v1/checkpoints/number").json()["number"]
        .as_u64()
        .unwrap();
    for body in [
        r#"{"mode": "manual"}"#,
        r#"{"mode": "interval", "interval_ms": 100}"#,
    ] {
        let r = post_json(a.addr, "/dev/checkpoint_mode", body);
        r.assert_error(501, codes::DEV_CONTROL_UNSUPPORTED_ON_POSTGRES);
        assert!(r.body.contains("embedded store"), "{}", r.body);
        let mode = get(a.addr, "/dev/checkpoint_mode").json();
        assert_eq!(
            (mode["mode"].as_str(), mode["pending"].as_u64()),
            (Some("auto"), Some(0))
        );
    }
    // Snapshots: none on a shared database (a revert would undo the other
    // process's writes).
    for (path, body) in [("/dev/snapshot", ""), ("/dev/revert", r#"{"id": 1}"#)] {
        let r = post_json(a.addr, path, body);
        r.assert_error(501, codes::DEV_CONTROL_UNSUPPORTED_ON_POSTGRES);
        assert!(r.body.contains("embedded store"), "{path}: {}", r.body);
    }
    let r = post_json(a.addr, "/dev/checkpoint_mode", r#"{"mode": "per_write"}"#);
    assert_eq!(r.status, 200, "{}", r.body);
    // A payment through each: each in a checkpoint at once.
    for (at, nonce) in [(a.addr, 7), (b.addr, 8)] {
        let pay = Payment {
            recipient: key(0x99).address(),
            value: Amount::from_u64(1),
            token,
        };
        let r = post_signed(at, &keys[0], nonce, pay);
        assert_eq!(r.status, 200, "{}", r.body);
        let hash = r
            .json()
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| r.json()["hash"].as_str().unwrap().to_owned());
        let receipt = get(
            a.addr,
            &format!("/v1/transactions/receipt/by_hash?hash={hash}"),
        );
        assert_eq!(receipt.status, 200, "{}", receipt.body);
        assert!(
            receipt.json()["checkpoint_number"].as_u64().is_some(),
            "{}",
            receipt.body
        );
    }
    let closed = post_json(b.addr, "/dev/checkpoint", "");
    assert_eq!(closed.status, 200, "{}", closed.body);
    let closed = closed.json();
    assert_eq!(closed["transactions"], 0);
    assert_eq!(closed["number"].as_u64(), Some(before + 3));
    assert_eq!(
        get(a.addr, "/v1/checkpoints/number").json()["number"].as_u64(),
        Some(before + 3)
    );
    assert_invariants(&dump_at(a.addr));
}
