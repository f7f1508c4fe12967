//! The HTTP client, the CPU time of threads, and one client's closed loop.

use super::*;

/// Reads one HTTP/1.1 response into `buf`; returns (status, body range).
pub(super) fn read_response(stream: &mut TcpStream, buf: &mut [u8]) -> Result<(u16, usize, usize)> {
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

pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub(super) fn content_length(head: &[u8]) -> Option<usize> {
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
pub(super) fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// CPU time of the whole process (server and client, including threads
/// that have ended), in nanoseconds: utime + stime of /proc/self/stat.
pub(super) fn process_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| stat_cpu_ns(&stat).map(|(_, ns)| ns))
        .unwrap_or(0)
}

/// The command name and the CPU time (utime + stime), in nanoseconds, of
/// one Linux `/proc/…/stat` line (of a process or a thread).
pub(super) fn stat_cpu_ns(stat: &str) -> Option<(&str, u64)> {
    // The command name is in parentheses and may hold anything, so the
    // fields are counted after its last ')'.
    let (open, close) = (stat.find('(')?, stat.rfind(')')?);
    let fields: Vec<&str> = stat.get(close + 1..)?.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13
    // after the name; in clock ticks (100 per second on Linux).
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i)?.parse::<u64>().ok())
        .sum();
    Some((stat.get(open + 1..close)?, ticks * 10_000_000))
}

/// The node's runtime threads (`tokensign-node-rt`) as Linux names them
/// (15 bytes at most).
pub(super) const RUNTIME_THREADS: &str = "tokensign-node-";
/// The node's writer thread (`tokensign-writer`), likewise.
pub(super) const WRITER_THREAD: &str = "tokensign-write";

/// CPU time of this process's threads named `name` (Linux
/// `/proc/self/task/*/stat`: utime + stime, clock ticks of 10 ms), in
/// nanoseconds.
pub(super) fn threads_cpu_ns(name: &str) -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    let mut total = 0;
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        match stat_cpu_ns(&stat) {
            Some((command, ns)) if command == name => total += ns,
            _ => {}
        }
    }
    total
}

pub(super) struct ClientResult {
    pub(super) latencies_us: Vec<u32>,
    pub(super) ok: usize,
    pub(super) errors: usize,
    pub(super) first_error: Option<String>,
    pub(super) cpu_ns: u64,
}

pub(super) fn drive(
    addr: SocketAddr,
    signer: &Signer,
    deadline: Instant,
    stop: &AtomicBool,
) -> ClientResult {
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
