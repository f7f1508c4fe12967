//! Load generator for the local API server (`POST /v1/tokens/issue`).
//!
//! Starts the server in this process with `tokensign::node::spawn_background`
//! on 127.0.0.1 (port 0), once with durable commits and once with
//! durability off, everything else the same, and drives each with the same
//! pre-signed requests:
//!
//! - `--signers M` operator keys, each with its own keep-alive connection
//!   and thread sending its requests in nonce order (0, 1, 2, ...), each
//!   waiting for the answer before the next (closed loop): M concurrent
//!   connections;
//! - `--per-signer N` requests per signer, every one with its own symbol;
//! - every phase bounded by `--max-seconds`; only 127.0.0.1 is contacted.
//!
//! In-process (rather than the `tokensign node` binary as a child) so that
//! a counting global allocator can attribute allocations to the server: the
//! client threads are marked and not counted, and allocate nothing per
//! request anyway. The client's own CPU time is measured from
//! `/proc/thread-self/schedstat` and reported, since it shares the 2 cores.
//!
//! The recovery limit is measured in the same run: 2 (cores) divided by one
//! recovery's time, for k256's recovery (what the server's
//! `SignedRequest::signer` uses today) and for the lean one.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rand::SeedableRng;
use tokensign::node::{spawn_background, NodeConfig};
use tokensign_core::legacy::LegacyTx;
use tokensign_core::recover::recover_prehash_lean;
use tokensign_core::text::Text;
use tokensign_core::tx::{TokenIssue, Transaction, CHAIN_ID_TESTNET};
use tokensign_core::{Address, Error, Field, SigningKey};

// ------------------------------------------------------------ allocations

thread_local! {
    /// Set on the load generator's own threads: their allocations are not
    /// the server's.
    static CLIENT: Cell<bool> = const { Cell::new(false) };
}

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static ALLOC_BYTES: AtomicU64 = AtomicU64::new(0);

/// Counts allocations (and reallocations) made outside client threads.
struct Counting;

fn is_client() -> bool {
    CLIENT.try_with(Cell::get).unwrap_or(false)
}

// SAFETY: every method forwards to `System` with the same arguments; the
// counters are plain atomics and the thread-local is const-initialised, so
// counting never allocates or recurses.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !is_client() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            ALLOC_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !is_client() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            ALLOC_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !is_client() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            ALLOC_BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

// ------------------------------------------------------------ options

struct Options {
    signers: usize,
    per_signer: usize,
    rounds: usize,
    max_seconds: u64,
    recoveries: usize,
}

fn parse_options() -> Result<Options> {
    let mut o = Options {
        signers: 64,
        per_signer: 150,
        rounds: 3,
        max_seconds: 60,
        recoveries: 2000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || -> Result<usize> {
            let v = args
                .next()
                .with_context(|| format!("{flag} needs a value"))?;
            v.parse()
                .with_context(|| format!("{flag}: {v} is not a number"))
        };
        match flag.as_str() {
            "--signers" => o.signers = value()?,
            "--per-signer" => o.per_signer = value()?,
            "--rounds" => o.rounds = value()?,
            "--max-seconds" => o.max_seconds = value()? as u64,
            "--recoveries" => o.recoveries = value()?,
            "-h" | "--help" => {
                println!(
                    "loadgen [--signers M=64] [--per-signer N=150] [--rounds R=3] \
                     [--max-seconds S=60] [--recoveries K=2000]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown option {other}"),
        }
    }
    if o.signers == 0 || o.per_signer == 0 || o.rounds == 0 || o.max_seconds == 0 {
        bail!("all counts must be positive");
    }
    if o.signers > 4096 || o.per_signer > 100_000 || o.max_seconds > 600 {
        bail!("bounded: at most 4096 signers, 100000 requests each, 600 s a phase");
    }
    Ok(o)
}

// ------------------------------------------------------------ requests

struct Signer {
    address: Address,
    /// Ready HTTP requests (head and body), in nonce order.
    requests: Vec<Vec<u8>>,
    /// The expected transaction hash of the first request, `0x` + hex.
    first_hash: String,
}

fn presign(o: &Options) -> Result<Vec<Signer>> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x10ad);
    let keys: Vec<SigningKey> = (0..o.signers)
        .map(|_| tokensign_bench::random_key(&mut rng))
        .collect();
    let jobs: Vec<(usize, &SigningKey)> = keys.iter().enumerate().collect();
    // Signing is on both cores; it is set-up, not measured.
    let chunks: Vec<Vec<(usize, &SigningKey)>> = jobs
        .chunks(jobs.len().div_ceil(2))
        .map(<[_]>::to_vec)
        .collect();
    let per_signer = o.per_signer;
    let mut signers: Vec<(usize, Signer)> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || -> Result<Vec<(usize, Signer)>> {
                    chunk
                        .into_iter()
                        .map(|(i, key)| Ok((i, presign_one(i, key, per_signer)?)))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("signing thread panicked"))?
            })
            .collect::<Result<Vec<_>>>()
            .map(|v| v.into_iter().flatten().collect())
    })?;
    signers.sort_by_key(|(i, _)| *i);
    Ok(signers.into_iter().map(|(_, s)| s).collect())
}

fn presign_one(index: usize, key: &SigningKey, count: usize) -> Result<Signer> {
    let address = key.address();
    let mut requests = Vec::with_capacity(count);
    let mut first_hash = String::new();
    for nonce in 0..count as u64 {
        // Symbols are unique on the server: signer and nonce in base 36.
        let symbol = format!("L{}X{}", base36(index as u64), base36(nonce));
        let name = format!("Load test token {index} {nonce}");
        let issue = TokenIssue {
            symbol: Text::new(&symbol).map_err(|p| Error::invalid(Field::Symbol, p))?,
            name: Text::new(&name).map_err(|p| Error::invalid(Field::Name, p))?,
            decimals: 6,
            master_authority: address,
            is_private: false,
            clawback_enabled: None,
        };
        let request: LegacyTx =
            LegacyTx::sign(Transaction::new(CHAIN_ID_TESTNET, nonce, issue), key)?;
        if nonce == 0 {
            first_hash = format!("0x{}", hex::encode(request.tx_hash()?));
        }
        let body = tokensign_bench::legacy_json(&request)?;
        let mut http = format!(
            "POST /v1/tokens/issue HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        http.extend_from_slice(&body);
        requests.push(http);
    }
    Ok(Signer {
        address,
        requests,
        first_hash,
    })
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

// ------------------------------------------------------------ HTTP client

/// Reads one HTTP/1.1 response into `buf`; returns (status, body range).
fn read_response(stream: &mut TcpStream, buf: &mut [u8]) -> Result<(u16, usize, usize)> {
    let mut filled = 0usize;
    loop {
        if filled == buf.len() {
            bail!("response larger than {} bytes", buf.len());
        }
        let n = stream.read(&mut buf[filled..])?;
        if n == 0 {
            bail!("connection closed by the server");
        }
        filled += n;
        let Some(head_end) = find(&buf[..filled], b"\r\n\r\n") else {
            continue;
        };
        let head = &buf[..head_end];
        let status = head
            .get(9..12)
            .and_then(|s| std::str::from_utf8(s).ok())
            .and_then(|s| s.parse::<u16>().ok())
            .context("malformed status line")?;
        let len = content_length(head).context("response without Content-Length")?;
        let body_start = head_end + 4;
        let total = body_start + len;
        if total > buf.len() {
            bail!("response larger than {} bytes", buf.len());
        }
        while filled < total {
            let n = stream.read(&mut buf[filled..total])?;
            if n == 0 {
                bail!("connection closed in a response body");
            }
            filled += n;
        }
        return Ok((status, body_start, total));
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &[u8]) -> Option<usize> {
    head.split(|b| *b == b'\n').find_map(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let colon = line.iter().position(|b| *b == b':')?;
        let (name, value) = line.split_at(colon);
        if !name.eq_ignore_ascii_case(b"content-length") {
            return None;
        }
        std::str::from_utf8(&value[1..]).ok()?.trim().parse().ok()
    })
}

/// CPU time this thread has run, in nanoseconds (Linux schedstat).
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// CPU time of the whole process (server and client, including threads
/// that have ended), in nanoseconds: utime + stime of /proc/self/stat.
fn process_cpu_ns() -> u64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0;
    };
    // Fields after the command name (which is in parentheses).
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13
    // after the name; in clock ticks (100 per second on Linux).
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i)?.parse::<u64>().ok())
        .sum();
    ticks * 10_000_000
}

struct ClientResult {
    latencies_us: Vec<u32>,
    ok: usize,
    errors: usize,
    first_error: Option<String>,
    cpu_ns: u64,
}

fn drive(addr: SocketAddr, signer: &Signer, deadline: Instant, stop: &AtomicBool) -> ClientResult {
    CLIENT.with(|c| c.set(true));
    let cpu_start = thread_cpu_ns();
    let mut result = ClientResult {
        latencies_us: Vec::with_capacity(signer.requests.len()),
        ok: 0,
        errors: 0,
        first_error: None,
        cpu_ns: 0,
    };
    let fail = |result: &mut ClientResult, e: String| {
        result.errors += 1;
        result.first_error.get_or_insert(e);
        // Later nonces would all be refused: stop this signer.
        stop.store(true, Ordering::Relaxed);
    };
    let mut stream = match TcpStream::connect(addr) {
        Ok(s) => s,
        Err(e) => {
            fail(&mut result, format!("connect: {e}"));
            return result;
        }
    };
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut buf = vec![0u8; 16 * 1024];
    for (i, request) in signer.requests.iter().enumerate() {
        if Instant::now() >= deadline || stop.load(Ordering::Relaxed) {
            break;
        }
        let t0 = Instant::now();
        if let Err(e) = stream.write_all(request) {
            fail(&mut result, format!("write: {e}"));
            break;
        }
        match read_response(&mut stream, &mut buf) {
            Ok((200, start, end)) => {
                let us = t0.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                result.latencies_us.push(us);
                result.ok += 1;
                if i == 0 {
                    let body = String::from_utf8_lossy(&buf[start..end]);
                    if !body.contains(&signer.first_hash) {
                        fail(&mut result, format!("unexpected answer: {body}"));
                        break;
                    }
                }
            }
            Ok((status, start, end)) => {
                let body = String::from_utf8_lossy(&buf[start..end]).into_owned();
                fail(&mut result, format!("HTTP {status}: {body}"));
                break;
            }
            Err(e) => {
                fail(&mut result, format!("read: {e}"));
                break;
            }
        }
    }
    result.cpu_ns = thread_cpu_ns().saturating_sub(cpu_start);
    result
}

// ------------------------------------------------------------ one phase

struct Phase {
    durable: bool,
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
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn run_phase(o: &Options, signers: &[Signer], durable: bool) -> Result<Phase> {
    let dir = tempfile::Builder::new()
        .prefix("tokensign-load-")
        .tempdir()
        .context("temporary data directory")?;
    let mut config = NodeConfig::new(
        dir.path().to_path_buf(),
        signers.iter().map(|s| s.address).collect(),
    );
    config.durable = durable;
    let node = spawn_background(config, SocketAddr::from(([127, 0, 0, 1], 0)))?;
    let addr = node.addr;
    if !addr.ip().is_loopback() {
        bail!("refusing to load a non-loopback address {addr}");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + Duration::from_secs(o.max_seconds);

    let allocs0 = ALLOCS.load(Ordering::Relaxed);
    let bytes0 = ALLOC_BYTES.load(Ordering::Relaxed);
    let cpu0 = process_cpu_ns();
    let started = Instant::now();
    let results: Vec<ClientResult> = std::thread::scope(|s| {
        let handles: Vec<_> = signers
            .iter()
            .map(|signer| {
                let stop = &stop;
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
    let allocs = ALLOCS.load(Ordering::Relaxed) - allocs0;
    let bytes = ALLOC_BYTES.load(Ordering::Relaxed) - bytes0;
    node.shutdown()?;
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
    })
}

// ------------------------------------------------------------ recovery

/// Median time of one recovery, in seconds, over `count` recoveries in
/// batches.
fn recovery_time(count: usize, lean: bool) -> f64 {
    let inputs = tokensign_bench::signed_hashes(64, 8, 7);
    let batches = 9;
    let per = (count / batches).max(1);
    let mut times: Vec<f64> = (0..batches)
        .map(|_| {
            let t = Instant::now();
            for i in 0..per {
                let (h, s) = &inputs[i % inputs.len()];
                let r = if lean {
                    recover_prehash_lean(h, s)
                } else {
                    tokensign_bench::recover_k256_reference(h, s)
                };
                std::hint::black_box(r).ok();
            }
            t.elapsed().as_secs_f64() / per as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[batches / 2]
}

fn main() -> Result<()> {
    let o = parse_options()?;
    println!(
        "loadgen: {} signers (= concurrent connections), {} requests each, {} round(s) of durable/non-durable, \
         at most {} s a phase, 127.0.0.1 only",
        o.signers, o.per_signer, o.rounds, o.max_seconds
    );
    let t = Instant::now();
    let signers = presign(&o)?;
    println!(
        "pre-signed {} requests in {:.1} s",
        o.signers * o.per_signer,
        t.elapsed().as_secs_f64()
    );

    let k256_t = recovery_time(o.recoveries, false);
    let lean_t = recovery_time(o.recoveries, true);

    let mut phases = Vec::new();
    for round in 0..o.rounds {
        for durable in [true, false] {
            let p = run_phase(&o, &signers, durable)?;
            println!(
                "round {} {:>11}: {:>6} ok, {} errors, {:>6.2} s, {:>7.0} req/s, p50 {:>6.2} ms, p99 {:>6.2} ms, max {:>6.2} ms, \
                 {:.1} allocs ({:.0} B)/req, loadgen CPU {:.0}% of 2 cores, process CPU {:.0}%",
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
                p.client_cpu_share * 100.0,
                p.process_cpu_share * 100.0,
            );
            if let Some(e) = &p.first_error {
                println!("  first error: {e}");
            }
            phases.push(p);
        }
    }

    let best = |durable: bool| -> Option<&Phase> {
        phases
            .iter()
            .filter(|p| p.durable == durable)
            .max_by(|a, b| a.rate.total_cmp(&b.rate))
    };
    let median = |durable: bool, f: &dyn Fn(&Phase) -> f64| -> f64 {
        let mut v: Vec<f64> = phases
            .iter()
            .filter(|p| p.durable == durable)
            .map(f)
            .collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let (Some(_), Some(_)) = (best(true), best(false)) else {
        bail!("no phase ran");
    };
    let d_rate = median(true, &|p| p.rate);
    let n_rate = median(false, &|p| p.rate);
    let limit_k256 = 2.0 / k256_t;
    let limit_lean = 2.0 / lean_t;
    println!();
    println!("| | durable | non-durable |");
    println!("|---|---:|---:|");
    println!(
        "| issue requests/s (median of {} rounds) | {:.0} | {:.0} |",
        o.rounds, d_rate, n_rate
    );
    println!(
        "| p50 latency, ms | {:.2} | {:.2} |",
        median(true, &|p| f64::from(p.p50_us)) / 1000.0,
        median(false, &|p| f64::from(p.p50_us)) / 1000.0
    );
    println!(
        "| p99 latency, ms | {:.2} | {:.2} |",
        median(true, &|p| f64::from(p.p99_us)) / 1000.0,
        median(false, &|p| f64::from(p.p99_us)) / 1000.0
    );
    println!(
        "| server allocations per request | {:.1} ({:.0} B) | {:.1} ({:.0} B) |",
        median(true, &|p| p.allocs_per_request),
        median(true, &|p| p.alloc_bytes_per_request),
        median(false, &|p| p.allocs_per_request),
        median(false, &|p| p.alloc_bytes_per_request)
    );
    println!(
        "| load generator CPU, share of 2 cores | {:.0}% | {:.0}% |",
        median(true, &|p| p.client_cpu_share) * 100.0,
        median(false, &|p| p.client_cpu_share) * 100.0
    );
    println!(
        "| whole process CPU, share of 2 cores | {:.0}% | {:.0}% |",
        median(true, &|p| p.process_cpu_share) * 100.0,
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
        "one recovery: k256 (server today) {:.1} us -> limit {:.0} req/s; lean {:.1} us -> limit {:.0} req/s",
        k256_t * 1e6,
        limit_k256,
        lean_t * 1e6,
        limit_lean
    );
    println!(
        "non-durable rate = {:.0}% of the k256 recovery limit ({:.0}% of the lean limit); durable = {:.0}%",
        n_rate / limit_k256 * 100.0,
        n_rate / limit_lean * 100.0,
        d_rate / limit_k256 * 100.0
    );
    let errors: usize = phases.iter().map(|p| p.errors).sum();
    if errors > 0 {
        bail!("{errors} request(s) failed");
    }
    Ok(())
}
