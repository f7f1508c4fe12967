//! Load generator for the local node: a steady mix of v2 payments
//! (`POST /v2/transactions/payment`) between many funded accounts.
//!
//! Starts the node in this process with `tokensign::node::spawn_background`
//! on 127.0.0.1 (port 0), once with durable commits and once with
//! durability off, everything else the same, and drives each with the same
//! pre-signed payments:
//!
//! - `--signers M` funded accounts, each with its own keep-alive connection
//!   and thread sending its payments in nonce order (0, 1, 2, ...) to the
//!   other accounts in turn, each waiting for the answer before the next
//!   (closed loop): M concurrent connections;
//! - set-up per phase, over one connection: the operator issues a token,
//!   its master mints to every account (not measured);
//! - `--per-signer N` payments per account; every phase bounded by
//!   `--max-seconds`; only 127.0.0.1 is contacted.
//!
//! In-process so that a counting global allocator can attribute
//! allocations to the node (client threads are marked) and so that the CPU
//! time of the node's threads can be read by name from
//! `/proc/self/task/*/stat`: the runtime threads (`tokensign-node-rt`:
//! HTTP, JSON parsing, hashing, signature recovery) and the single writer
//! (`tokensign-writer`: the ledger's rules, records, redb, commit). The
//! per-payment split into HTTP, recovery, ledger and storage combines those
//! with the time of one recovery, one parse-and-hash and one ledger
//! `apply`, measured in the same run on the same inputs.
//!
//! The recovery bound is 2 (cores) divided by one recovery's time through
//! the node's own path (`tokensign::recovery`, libsecp256k1 in `bench/`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rand::SeedableRng;
use tokensign::node::ledger::{self, MemoryLedger, Rules, SignedBy, Submission};
use tokensign::node::{spawn_background, NodeConfig};
use tokensign_core::native::NativeTx;
use tokensign_core::text::Text;
use tokensign_core::tx::{OpType, Payment, TokenIssue, TokenMint, Transaction, CHAIN_ID_TESTNET};
use tokensign_core::{json, Address, Amount, Error, Field, SigningKey};

mod alloc;
mod client;
mod options;
mod postgres;
mod requests;

use alloc::{ALLOCS, ALLOC_BYTES, CLIENT};
use client::*;
use options::*;
use postgres::*;
use requests::*;

// ------------------------------------------------------------ one phase

struct Phase {
    durable: bool,
    /// CPU of the PostgreSQL client's threads per payment, µs.
    pg_client_us: f64,
    /// CPU of the database server's processes per payment, µs.
    database_us: f64,
    requests: usize,
    errors: usize,
    first_error: Option<String>,
    seconds: f64,
    rate: f64,
    p50_us: u32,
    p99_us: u32,
    max_us: u32,
    allocs_per_request: f64,
    alloc_bytes_per_request: f64,
    client_cpu_share: f64,
    process_cpu_share: f64,
    /// CPU of the runtime threads per payment, µs.
    runtime_us: f64,
    /// CPU of the writer thread per payment, µs.
    writer_us: f64,
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// Sends the set-up requests in order over one connection; each must be
/// admitted.
fn set_up(addr: SocketAddr, setup: &[Vec<u8>]) -> Result<()> {
    CLIENT.with(|c| c.set(true));
    let mut stream = TcpStream::connect(addr)?;
    let _ = stream.set_nodelay(true);
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut buf = vec![0u8; 16 * 1024];
    for request in setup {
        stream.write_all(request)?;
        let (status, start, end) = read_response(&mut stream, &mut buf)?;
        if status != 200 {
            bail!(
                "set-up refused: HTTP {status}: {}",
                String::from_utf8_lossy(&buf[start..end])
            );
        }
    }
    Ok(())
}

fn run_phase(o: &Options, work: &Workload, durable: bool) -> Result<Phase> {
    let signers = &work.signers;
    let dir = tempfile::Builder::new()
        .prefix("tokensign-load-")
        .tempdir()
        .context("temporary data directory")?;
    let database = match &o.database {
        Some(admin) => Some(tokensign::node::DatabaseUrl::parse(&fresh_database(
            admin,
        )?)?),
        None => None,
    };
    let mut nodes = Vec::with_capacity(o.nodes);
    for _ in 0..o.nodes {
        let mut config = NodeConfig::new(dir.path().to_path_buf(), vec![work.operator]);
        config.durable = durable;
        config.database = database.clone();
        nodes.push(spawn_background(
            config,
            SocketAddr::from(([127, 0, 0, 1], 0)),
        )?);
    }
    let addrs: Vec<SocketAddr> = nodes.iter().map(|n| n.addr).collect();
    if addrs.iter().any(|a| !a.ip().is_loopback()) {
        bail!("refusing to load a non-loopback address");
    }
    set_up(addrs[0], &work.setup)?;
    let rt0 = threads_cpu_ns(RUNTIME_THREADS);
    let writer0 = threads_cpu_ns(WRITER_THREAD);
    let pg0 = threads_cpu_ns(PG_THREADS);
    let db0 = postgres_cpu_ns();
    let stop = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + Duration::from_secs(o.max_seconds);

    let allocs0 = ALLOCS.load(Ordering::Relaxed);
    let bytes0 = ALLOC_BYTES.load(Ordering::Relaxed);
    let cpu0 = process_cpu_ns();
    let started = Instant::now();
    let results: Vec<ClientResult> = std::thread::scope(|s| {
        let handles: Vec<_> = signers
            .iter()
            .enumerate()
            .map(|(i, signer)| {
                let stop = &stop;
                let addr = addrs[i % addrs.len()];
                std::thread::Builder::new()
                    .stack_size(256 * 1024)
                    .spawn_scoped(s, move || drive(addr, signer, deadline, stop))
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("client thread panicked"))
            })
            .collect::<Result<Vec<_>>>()
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let cpu = process_cpu_ns().saturating_sub(cpu0);
    let rt_cpu = threads_cpu_ns(RUNTIME_THREADS).saturating_sub(rt0);
    let writer_cpu = threads_cpu_ns(WRITER_THREAD).saturating_sub(writer0);
    let pg_cpu = threads_cpu_ns(PG_THREADS).saturating_sub(pg0);
    let db_cpu = postgres_cpu_ns().saturating_sub(db0);
    let allocs = ALLOCS.load(Ordering::Relaxed) - allocs0;
    let bytes = ALLOC_BYTES.load(Ordering::Relaxed) - bytes0;
    for node in nodes {
        node.shutdown()?;
    }
    drop(dir);

    let requests: usize = results.iter().map(|r| r.ok).sum();
    let errors: usize = results.iter().map(|r| r.errors).sum();
    let first_error = results.iter().find_map(|r| r.first_error.clone());
    let client_cpu: u64 = results.iter().map(|r| r.cpu_ns).sum();
    let mut lat: Vec<u32> = results.into_iter().flat_map(|r| r.latencies_us).collect();
    lat.sort_unstable();
    let cores = 2.0 * seconds * 1e9;
    Ok(Phase {
        durable,
        requests,
        errors,
        first_error,
        seconds,
        rate: requests as f64 / seconds,
        p50_us: percentile(&lat, 0.50),
        p99_us: percentile(&lat, 0.99),
        max_us: lat.last().copied().unwrap_or(0),
        allocs_per_request: allocs as f64 / requests.max(1) as f64,
        alloc_bytes_per_request: bytes as f64 / requests.max(1) as f64,
        client_cpu_share: client_cpu as f64 / cores,
        process_cpu_share: cpu as f64 / cores,
        runtime_us: rt_cpu as f64 / 1e3 / requests.max(1) as f64,
        writer_us: writer_cpu as f64 / 1e3 / requests.max(1) as f64,
        pg_client_us: pg_cpu as f64 / 1e3 / requests.max(1) as f64,
        database_us: db_cpu as f64 / 1e3 / requests.max(1) as f64,
    })
}

// ------------------------------------------------------------ steps

/// Median time of `f` per call, in seconds, over `count` calls in batches.
fn median_time(count: usize, mut f: impl FnMut()) -> f64 {
    let batches = 9;
    let per = (count / batches).max(1);
    let mut times: Vec<f64> = (0..batches)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per {
                f();
            }
            t.elapsed().as_secs_f64() / per as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[batches / 2]
}

/// The node's per-payment steps, each timed alone on the sample payment:
/// (parse and hash, recovery, ledger rules).
fn step_times(work: &Workload, count: usize) -> Result<(f64, f64, f64)> {
    let body = &work.sample;
    let parsed: NativeTx = json::parse_native(OpType::Payment, body)?;
    let parse = median_time(count, || {
        let tx: NativeTx =
            json::parse_native(OpType::Payment, std::hint::black_box(body)).expect("parses");
        std::hint::black_box((tx.signing_hash(), tx.tx_hash()));
    });
    let hash = parsed.signing_hash();
    let tokensign_core::native::Authorization::Single(sig) = parsed.authorization else {
        bail!("the sample is single-signed");
    };
    let sender = tokensign::curve::recover_hash(&hash, &sig)?;
    let recovery = median_time(count, || {
        std::hint::black_box(tokensign::curve::recover_hash(
            std::hint::black_box(&hash),
            &sig,
        ))
        .ok();
    });
    // The ledger: a funded sender in memory, the payment applied (staged,
    // not committed, so every call sees the same state).
    let mut memory = MemoryLedger::default();
    let rules = Rules {
        chain_id: CHAIN_ID_TESTNET,
        ..Rules::default()
    };
    let tokensign_core::tx::Operation::Payment(p) = &parsed.tx.operation else {
        bail!("the sample is a payment");
    };
    let issue = TokenIssue {
        symbol: Text::new("LOAD").map_err(|e| Error::invalid(Field::Symbol, e))?,
        name: Text::new("Load test").map_err(|e| Error::invalid(Field::Name, e))?,
        decimals: 0,
        master_authority: sender,
        is_private: false,
        clawback_enabled: Some(true),
    };
    let mut run = |from: Address, nonce: u64, op: tokensign_core::tx::Operation| -> Result<()> {
        let tx = Transaction::new(CHAIN_ID_TESTNET, nonce, op);
        let sub = Submission {
            tx: &tx,
            sender: from,
            signed_by: &SignedBy::Single,
        };
        match ledger::apply(&memory, &rules, &sub)? {
            Ok(e) => {
                memory.commit(e.changes);
                Ok(())
            }
            Err(r) => bail!("set-up refused: {r}"),
        }
    };
    let token = issue.token_address();
    run(sender, 0, issue.into())?;
    run(
        sender,
        1,
        TokenMint {
            recipient: sender,
            value: Amount::from_u64(FUNDING),
            token,
        }
        .into(),
    )?;
    let payment = Payment { token, ..p.clone() };
    let tx = Transaction::new(CHAIN_ID_TESTNET, 2, payment);
    let sub = Submission {
        tx: &tx,
        sender,
        signed_by: &SignedBy::Single,
    };
    let ledger_t = median_time(count, || {
        let r = ledger::apply(&memory, &rules, std::hint::black_box(&sub));
        std::hint::black_box(r.map(|r| r.is_ok())).ok();
    });
    Ok((parse, recovery, ledger_t))
}

fn main() -> Result<()> {
    let o = parse_options()?;
    println!(
        "loadgen: v2 payments, {} accounts (= concurrent connections), {} payments each, {} round(s) of \
         durable/non-durable, at most {} s a phase, 127.0.0.1 only",
        o.signers, o.per_signer, o.rounds, o.max_seconds
    );
    let t = Instant::now();
    let work = presign(&o)?;
    println!(
        "pre-signed {} payments in {:.1} s",
        o.signers * o.per_signer,
        t.elapsed().as_secs_f64()
    );
    let (parse_t, recovery_t, ledger_t) = step_times(&work, o.recoveries)?;

    let mut phases = Vec::new();
    for round in 0..o.rounds {
        for durable in [true, false] {
            let p = run_phase(&o, &work, durable)?;
            println!(
                "round {} {:>11}: {:>6} ok, {} errors, {:>6.2} s, {:>7.0} payments/s, p50 {:>6.2} ms, p99 {:>6.2} ms, \
                 max {:>6.2} ms, {:.1} allocs ({:.0} B)/payment, runtime {:.1} us + writer {:.1} us CPU/payment, \
                 loadgen CPU {:.0}% of 2 cores, process CPU {:.0}%",
                round + 1,
                if p.durable { "durable" } else { "non-durable" },
                p.requests,
                p.errors,
                p.seconds,
                p.rate,
                f64::from(p.p50_us) / 1000.0,
                f64::from(p.p99_us) / 1000.0,
                f64::from(p.max_us) / 1000.0,
                p.allocs_per_request,
                p.alloc_bytes_per_request,
                p.runtime_us,
                p.writer_us,
                p.client_cpu_share * 100.0,
                p.process_cpu_share * 100.0,
            );
            if o.database.is_some() {
                println!(
                    "  PostgreSQL ({} node(s)): client threads {:.1} us, database server {:.1} us CPU/payment; \
                     node total {:.1} us, node + database {:.1} us",
                    o.nodes,
                    p.pg_client_us,
                    p.database_us,
                    p.runtime_us + p.writer_us + p.pg_client_us,
                    p.runtime_us + p.writer_us + p.pg_client_us + p.database_us,
                );
            }
            if let Some(e) = &p.first_error {
                println!("  first error: {e}");
            }
            phases.push(p);
        }
    }
    let median = |durable: bool, f: &dyn Fn(&Phase) -> f64| -> f64 {
        let mut v: Vec<f64> = phases
            .iter()
            .filter(|p| p.durable == durable)
            .map(f)
            .collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    if phases.is_empty() {
        bail!("no phase ran");
    }
    let d_rate = median(true, &|p| p.rate);
    let n_rate = median(false, &|p| p.rate);
    let bound = 2.0 / recovery_t;
    let us = 1e6;
    println!();
    println!("| {} connections | durable | non-durable |", o.signers);
    println!("|---|---:|---:|");
    println!(
        "| payments/s (median of {} rounds) | {:.0} | {:.0} |",
        o.rounds, d_rate, n_rate
    );
    println!(
        "| p50 / p99 latency, ms | {:.2} / {:.2} | {:.2} / {:.2} |",
        median(true, &|p| f64::from(p.p50_us)) / 1000.0,
        median(true, &|p| f64::from(p.p99_us)) / 1000.0,
        median(false, &|p| f64::from(p.p50_us)) / 1000.0,
        median(false, &|p| f64::from(p.p99_us)) / 1000.0
    );
    for durable in [true, false] {
        let rt = median(durable, &|p| p.runtime_us);
        let wr = median(durable, &|p| p.writer_us);
        let http = (rt - (parse_t + recovery_t) * us).max(0.0);
        let storage = (wr - ledger_t * us).max(0.0);
        println!(
            "| CPU per payment ({}), us: HTTP {:.1} + parse/hash {:.1} + recovery {:.1} + ledger {:.1} + storage {:.1} = {:.1} |",
            if durable { "durable" } else { "non-durable" },
            http,
            parse_t * us,
            recovery_t * us,
            ledger_t * us,
            storage,
            rt + wr
        );
    }
    println!(
        "| server allocations per payment | {:.1} ({:.0} B) | {:.1} ({:.0} B) |",
        median(true, &|p| p.allocs_per_request),
        median(true, &|p| p.alloc_bytes_per_request),
        median(false, &|p| p.allocs_per_request),
        median(false, &|p| p.alloc_bytes_per_request)
    );
    println!(
        "| load generator / whole process CPU, share of 2 cores | {:.0}% / {:.0}% | {:.0}% / {:.0}% |",
        median(true, &|p| p.client_cpu_share) * 100.0,
        median(true, &|p| p.process_cpu_share) * 100.0,
        median(false, &|p| p.client_cpu_share) * 100.0,
        median(false, &|p| p.process_cpu_share) * 100.0
    );
    println!();
    println!(
        "durable / non-durable: {:.2} (target >= 0.70: {})",
        d_rate / n_rate,
        if d_rate / n_rate >= 0.70 {
            "met"
        } else {
            "NOT met"
        }
    );
    println!(
        "one recovery ({}): {:.1} us -> recovery bound {:.0} payments/s on 2 cores; durable = {:.0}% of it \
         (target >= 30%: {}), non-durable = {:.0}%",
        tokensign_core::BACKEND,
        recovery_t * us,
        bound,
        d_rate / bound * 100.0,
        if d_rate / bound >= 0.30 { "met" } else { "NOT met" },
        n_rate / bound * 100.0
    );
    let errors: usize = phases.iter().map(|p| p.errors).sum();
    if errors > 0 {
        bail!("{errors} request(s) failed");
    }
    Ok(())
}
