#!/usr/bin/env python3
"""Counts per payment of a `tokensign node`, the figures a loaded machine does not move the way it
moves rates: payments per commit, context switches and CPU time per payment (and, with
--fsyncs, fsync calls per payment). Instructions per payment are scripts/node-instructions.sh's
(callgrind, with a warm-up and the writer thread apart).

The load is the side-by-side script's (/work/shared/bench/anvil/side_by_side.py): a fresh node
(a data directory, or --in-memory), M keep-alive connections of the shared Rust client (BLAST_BIN),
N pre-signed v2 DEVUSD payments each, in nonce order, closed loop. Around the client's run it reads
the node's checkpoint number (each commit that admits anything closes one checkpoint in the
default mode, so checkpoints = commits) and runs `perf stat -e task-clock,context-switches -p PID`
(software events: this VM exposes no hardware counters). --fsyncs runs the node under
`strace -f -c -e trace=fsync,fdatasync` instead (which slows it, so its other figures are not
printed).

Usage: scripts/node-counts.py [--in-memory] [--fsyncs] [-c M] [-n N] TOKENSIGN_BIN
Build the node first: cargo build --release -p tokensign --bin tokensign
"""
import argparse, http.client, json, os, re, shutil, signal, subprocess, sys, tempfile, threading, time

SIDE_BY_SIDE = os.environ.get("SIDE_BY_SIDE", "/work/shared/bench/anvil/side_by_side.py")
sys.path.insert(0, os.path.dirname(SIDE_BY_SIDE))
os.environ.setdefault("BLAST_BIN", "/tmp/blast-target/release/blast")
import side_by_side as sbs  # noqa: E402  (free_port, wait_up, blast, MNEMONIC)


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path)
    body = json.loads(c.getresponse().read())
    c.close()
    return body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--in-memory", action="store_true")
    ap.add_argument("--fsyncs", action="store_true")
    ap.add_argument("-c", type=int, default=8, help="connections")
    ap.add_argument("-n", type=int, default=500, help="payments per connection")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp()
    from eth_account import Account
    Account.enable_unaudited_hdwallet_features()
    accts = [Account.from_mnemonic(sbs.MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in range(10)]
    port = sbs.free_port()
    place = ["--in-memory"] if a.in_memory else ["--data-dir", f"{tmp}/node"]
    cmd = [a.bin, "node", "--listen", f"127.0.0.1:{port}"] + place
    strace_out = f"{tmp}/strace"
    if a.fsyncs:
        cmd = ["strace", "-f", "-c", "-o", strace_out, "-e", "trace=fsync,fdatasync"] + cmd
    node = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    token, t0, banner = None, time.time(), []
    while time.time() - t0 < 120 and token is None:
        line = node.stdout.readline()
        if not line:
            break
        banner.append(line)
        m = re.search(r"DEVUSD.*?(0x[0-9a-fA-F]{40})", line)
        if m:
            token = m.group(1)
    if token is None:
        node.kill()
        raise SystemExit("no DEVUSD token in the banner:\n" + "".join(banner[-20:]))
    out_lines = []
    threading.Thread(target=lambda: [out_lines.append(l) for l in node.stdout], daemon=True).start()
    sbs.wait_up(port, "/api/status", limit=120)
    mfile = f"{tmp}/words"
    open(mfile, "w").write(sbs.MNEMONIC)
    bodies = []
    for k in range(1, a.c + 1):
        to = accts[(k % a.c) + 1].address
        n0 = get(port, "/v1/accounts/nonce?address=" + accts[k].address)["nonce"]
        docs = "\n".join(json.dumps({"operation": "Payment", "chain_id": 1212101, "nonce": n0 + i,
                                     "recipient": to, "value": "1", "token": token}) for i in range(a.n))
        out = subprocess.run([a.bin, "sign", "--lines", "--scheme", "v2", "--mnemonic-file", mfile,
                              "--mnemonic-index", str(k)], input=docs, capture_output=True, text=True)
        if out.returncode != 0:
            node.kill()
            raise SystemExit("tokensign sign failed: " + out.stderr[-500:])
        bodies.append([l.encode() for l in out.stdout.splitlines() if l.strip()])
    before = get(port, "/v1/checkpoints/number")["number"]
    # The node's pid (under strace, the traced child's).
    pid = node.pid
    if a.fsyncs:
        kids = subprocess.run(["pgrep", "-P", str(node.pid)], capture_output=True, text=True).stdout.split()
        pid = int(kids[0]) if kids else node.pid
    perf = None
    if not a.fsyncs:
        perf = subprocess.Popen(["perf", "stat", "-x", ",", "-e", "task-clock,context-switches",
                                 "-p", str(pid)], stderr=subprocess.PIPE, text=True)
        time.sleep(0.3)
    rate, errs = sbs.blast(port, "/v2/transactions/payment", bodies, lambda st, d: st == 200)
    counts = {}
    if perf:
        perf.send_signal(signal.SIGINT)
        for line in perf.communicate()[1].splitlines():
            f = line.split(",")
            if len(f) > 2 and f[0].replace(".", "").isdigit():
                counts[f[2]] = float(f[0])
    after = get(port, "/v1/checkpoints/number")["number"]
    # Under strace the node is its child: strace passes no signal on.
    os.kill(pid, signal.SIGTERM)
    node.wait(120)
    payments = a.c * a.n
    commits = after - before
    mode = "in-memory" if a.in_memory else "durable"
    print(f"{mode}, {a.c} connections, {payments} payments, errors {len(errs)}: "
          f"{commits} commits = {payments / max(commits, 1):.2f} payments per commit")
    if perf:
        print(f"  CPU {counts.get('task-clock', 0) * 1000 / payments:.1f} us per payment, "
              f"context switches {counts.get('context-switches', 0) / payments:.2f} per payment "
              f"(rate {rate:,.0f}/s, machine loaded: load average {os.getloadavg()[0]:.1f})")
    if a.fsyncs:
        text = open(strace_out).read()
        calls = sum(int(m.group(1)) for m in re.finditer(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+\d*\s*(?:fsync|fdatasync)$", text, re.M))
        print(f"  fsync+fdatasync calls (whole run, start-up included): {calls}")
        print(text)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
