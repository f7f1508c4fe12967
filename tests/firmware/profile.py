#!/usr/bin/env python3
"""Instructions per function of one sign request on the QEMU firmware.

Starts the firmware under QEMU (as the QEMU test does: mps2-an386,
`-icount shift=0`, a fresh flash file), restores the test wallet, signs the
request once (so its key is derived and cached, as in the test's
measurement), then sends it again in chunks and traces only the last,
empty SIGN chunk under BENCH 6: QEMU's monitor turns the `exec` log on just
before it and off after it. The same is done for a bare sign (BENCH 0).
Every executed translation block's instructions (from QEMU's `in_asm` log)
are attributed to the function they were compiled from, innermost inlined
function first (`llvm-addr2line -i`), and to the linked symbol.

    python3 tests/firmware/profile.py ELF REQUEST.bin [--top 40]

REQUEST.bin is a whole sign request (the QEMU test writes every
operation's largest one into the directory named by
TOKENSIGN_QEMU_REQUESTS). Prints the BENCH figure, the trace's own count
(they agree to within the few instructions of the measurement itself),
and the request's instructions per function minus the bare sign's.
Needs qemu-system-arm and llvm-addr2line (Debian: qemu-system-arm, llvm).
docs/embedded.md, "How instructions per function add up", has the
figures this gave.
"""

import argparse
import collections
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

CLA = 0xE1
INS_SIGN = 0x05
INS_SETUP_RESTORE = 0x08
INS_BENCH = 0x11
P1_FIRST, P1_NEXT = 0x00, 0x01
P2_MORE, P2_LAST = 0x00, 0x01
MNEMONIC = b"test test test test test test test test test test test junk"
PIN = b"1234"


def crc16(data, crc=0xFFFF):
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def frame(kind, payload):
    head = bytes([kind]) + len(payload).to_bytes(2, "big")
    return b"\xa5" + head + payload + crc16(head + payload).to_bytes(2, "big")


class Device:
    def __init__(self, elf, workdir):
        self.monitor_path = os.path.join(workdir, "monitor.sock")
        self.log = os.path.join(workdir, "trace.log")
        flash = os.path.join(workdir, "flash.bin")
        self.qemu = subprocess.Popen(
            [
                "qemu-system-arm", "-M", "mps2-an386", "-cpu", "cortex-m4",
                "-display", "none",
                "-monitor", f"unix:{self.monitor_path},server=on,wait=off",
                "-serial", "stdio", "-icount", "shift=0",
                "-semihosting-config",
                f"enable=on,target=native,arg=tokensign-firmware,arg={flash}",
                "-d", "nochain,in_asm", "-D", self.log,
                "-kernel", elf,
            ],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        # The socket's file can appear before QEMU listens on it.
        for attempt in range(100):
            try:
                self.monitor = socket.socket(socket.AF_UNIX)
                self.monitor.connect(self.monitor_path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if attempt == 99:
                    self.qemu.kill()
                    raise
                time.sleep(0.1)
        self._prompt()

    def _prompt(self):
        seen = b""
        while not seen.endswith(b"(qemu) "):
            seen += self.monitor.recv(4096)

    def log_flags(self, flags):
        self.monitor.sendall(f"log {flags}\n".encode())
        self._prompt()

    def _read(self, n):
        out = b""
        while len(out) < n:
            chunk = self.qemu.stdout.read(n - len(out))
            if not chunk:
                sys.exit("QEMU stopped")
            out += chunk
        return out

    def command(self, ins, p1, p2, data=b""):
        apdu = bytes([CLA, ins, p1, p2, len(data)]) + data
        self.qemu.stdin.write(frame(0x01, apdu))
        self.qemu.stdin.flush()
        while True:
            while self._read(1) != b"\xa5":
                pass
            kind, hi, lo = self._read(3)
            payload = self._read((hi << 8) | lo)
            self._read(2)
            if kind == 0x02:
                sw = int.from_bytes(payload[-2:], "big")
                return payload[:-2], sw

    def close(self):
        self.qemu.kill()
        self.qemu.wait()


def send_request(dev, request, last):
    chunks = [request[i:i + 255] for i in range(0, len(request), 255)]
    for i, chunk in enumerate(chunks):
        p1 = P1_FIRST if i == 0 else P1_NEXT
        p2 = P2_LAST if last and i == len(chunks) - 1 else P2_MORE
        _, sw = dev.command(INS_SIGN, p1, p2, chunk)
        if sw != 0x9000:
            sys.exit(f"SIGN chunk {i} answered {sw:#06x}")


def traced(dev, p1, data):
    """BENCH p1 of data, traced: (ticks, log offset before, after)."""
    before = os.path.getsize(dev.log)
    dev.log_flags("nochain,in_asm,exec")
    answer, sw = dev.command(INS_BENCH, p1, 0, data)
    dev.log_flags("nochain,in_asm")
    if sw != 0x9000:
        sys.exit(f"BENCH {p1} answered {sw:#06x}")
    if p1 == 6 and answer[8:10] != b"\x90\x00":
        sys.exit(f"the benchmarked command answered {answer[8:10].hex()}")
    return int.from_bytes(answer[:8], "big") * 40, before


INSN = re.compile(r"^0x([0-9a-f]{8}):")
TRACE = re.compile(r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")


def blocks_and_windows(log, starts):
    """Every translated block's instruction addresses (the longest listing
    of each start address), and the block starts executed in each window
    of the log (from each offset in `starts` to the next, or the end)."""
    blocks = {}
    windows = [[] for _ in starts]
    current = None
    with open(log, "rb") as f:
        data = f.read()
    bounds = list(starts) + [len(data)]
    offset = 0
    window = -1
    for raw in data.split(b"\n"):
        while window + 1 < len(starts) and offset >= bounds[window + 1]:
            window += 1
        offset += len(raw) + 1
        line = raw.decode("latin-1")
        m = TRACE.match(line)
        if m:
            current = None
            if window >= 0:
                windows[window].append(int(m.group(1), 16))
            continue
        if line.startswith("IN:"):
            current = []
            continue
        m = INSN.match(line)
        if m and current is not None:
            current.append(int(m.group(1), 16))
            start = current[0]
            if len(current) > len(blocks.get(start, ())):
                blocks[start] = list(current)
        elif not line.strip():
            current = None
    return blocks, windows


def per_instruction(blocks, executed):
    counts = collections.Counter()
    for start, n in collections.Counter(executed).items():
        for addr in blocks.get(start, [start]):
            counts[addr] += n
    return counts


# Compiler helpers and outlined fragments: never taken for a caller.
HELPER = re.compile(r"aeabi|OUTLINED_FUNCTION|compiler_builtins|copy_from_slice|^memcmp")


def by_caller(blocks, executed, names, pattern):
    """Instructions of the linked functions matching `pattern`, each
    attributed to the last function outside them that ran before (its
    caller, for a leaf such as memcpy)."""
    per = collections.Counter()
    caller = "??"
    for start in executed:
        name = names.get(start, ("??", "??"))[1]
        if pattern.search(name):
            per[f"{short(name)}  <-  {short(caller)}"] += len(blocks.get(start, [start]))
        elif not HELPER.search(name):
            caller = name
    return per


def functions(elf, addresses):
    """Address -> (innermost function, outermost function), by addr2line."""
    addresses = sorted(addresses)
    out = subprocess.run(
        ["llvm-addr2line", "-f", "-i", "-C", "-e", elf, "--addresses"],
        input="\n".join(hex(a) for a in addresses),
        capture_output=True, text=True, check=True,
    ).stdout
    names = {}
    lines = [l for l in out.splitlines() if l.strip()]
    i = 0
    while i < len(lines):
        addr, chain = int(lines[i], 16), []
        i += 1
        # Then (function, file:line) pairs, innermost first.
        while i + 1 < len(lines) and not lines[i].startswith("0x"):
            chain.append(lines[i])
            i += 2
        names[addr] = chain
    return {a: (c[0] if c else "??", c[-1] if c else "??") for a, c in names.items()}


def short(name):
    for a, b in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$C$", ","), ("$u7b$", "{"),
                 ("$u7d$", "}"), ("$u5b$", "["), ("$u5d$", "]"), ("$RF$", "&"), ("..", "::")):
        name = name.replace(a, b)
    name = re.sub(r"::h[0-9a-f]{16}", "", name).lstrip("_")
    name = re.sub(r"<[^<>]*(<[^<>]*(<[^<>]*>[^<>]*)*>[^<>]*)*>", "<..>", name)
    return name if len(name) <= 90 else name[:87] + "..."


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("elf")
    ap.add_argument("request")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--callers", default=r"mem(cpy|set|clr|move)|copy_forward|to_decimal|p1600",
                    help="linked functions to attribute to their callers (a regex)")
    args = ap.parse_args()
    request = open(args.request, "rb").read()
    with tempfile.TemporaryDirectory() as workdir:
        dev = Device(args.elf, workdir)
        try:
            data = bytes([len(PIN)]) + PIN + MNEMONIC
            _, sw = dev.command(INS_SETUP_RESTORE, 0, 0, data)
            if sw != 0x9000:
                sys.exit(f"SETUP_RESTORE answered {sw:#06x}")
            send_request(dev, request, last=True)
            send_request(dev, request, last=False)
            sign_ticks, sign_at = traced(dev, 6, bytes([CLA, INS_SIGN, P1_NEXT, P2_LAST, 0]))
            bare_ticks, bare_at = traced(dev, 0, b"")
            end_at = os.path.getsize(dev.log)
        finally:
            dev.close()
        blocks, windows = blocks_and_windows(dev.log, [sign_at, bare_at])
        sign_run, bare_run = windows
    sign = per_instruction(blocks, sign_run)
    bare = per_instruction(blocks, bare_run)
    names = functions(args.elf, set(sign) | set(bare))
    print(f"request {len(request)} B: BENCH sign path {sign_ticks} instructions, "
          f"traced {sum(sign.values())} (with the UART's polling and the frame)")
    print(f"bare sign: BENCH {bare_ticks}, traced {sum(bare.values())}")
    views = (
        ("innermost (inlined) function", lambda f: f[0]),
        ("linked function", lambda f: f[1]),
        ("innermost function in linked function", lambda f: f"{short(f[0])}  in  {short(f[1])}"),
    )
    for view, pick in views:
        per = collections.Counter()
        for counts, sign_of in ((sign, 1), (bare, -1)):
            for addr, n in counts.items():
                per[pick(names.get(addr, ("??", "??")))] += sign_of * n
        print(f"\nsign path minus bare sign, by {view}: {sum(per.values())} instructions")
        for name, n in sorted(per.items(), key=lambda kv: -abs(kv[1]))[: args.top]:
            if n:
                print(f"{n:>9}  {short(name)}")
    pattern = re.compile(args.callers)
    per = by_caller(blocks, sign_run, names, pattern)
    per.subtract(by_caller(blocks, bare_run, names, pattern))
    print(f"\nsign path minus bare sign, functions matching {args.callers!r} by caller:")
    for name, n in sorted(per.items(), key=lambda kv: -abs(kv[1]))[: args.top]:
        if n:
            print(f"{n:>9}  {name}")


if __name__ == "__main__":
    main()
