#!/usr/bin/env bash
# The local node's CPU per payment as instructions, which the load of a
# shared machine does not move (wall-clock rates do; this project's build
# machines have no hardware counters for perf): runs a fresh `tokensign
# node` (durable, or --in-memory) under valgrind's callgrind, signs N v2
# payments (DEVUSD, 1 base unit) for each of M dev accounts, sends a few of
# them to warm the node up, zeroes the counts, and has the shared
# closed-loop client (blast: M keep-alive connections, each sending its
# payments in nonce order) send the rest. Prints the user-space
# instructions per payment of the whole node and of its writer thread
# (`tokensign-writer`), one line per binary, mode and connection count,
# and keeps each case's callgrind files (where it says) for
# callgrind_annotate. Under callgrind the node runs some 50 times slower,
# so at 8 connections its batches are fuller than at full speed: compare
# binaries measured by this script, not these counts with a perf profile.
#
# Usage: scripts/node-instructions.sh [-c "1 8"] [-n N] [-m "durable in-memory"] TOKENSIGN_BIN...
# Several binaries (e.g. before and after a change) run interleaved in one
# run. Needs valgrind, curl, python3 and the shared client (BLAST_BIN,
# default /tmp/blast-target/release/blast; build it: cargo build --release
# --manifest-path /work/shared/bench/anvil/blast/Cargo.toml --target-dir
# /tmp/blast-target). Build the node first: cargo build --release -p
# tokensign --bin tokensign
set -euo pipefail
blast="${BLAST_BIN:-/tmp/blast-target/release/blast}"
connections="1 8"
per=300
warm=20
modes="durable in-memory"
while getopts "c:n:m:" opt; do
    case "$opt" in
    c) connections="$OPTARG" ;;
    n) per="$OPTARG" ;;
    m) modes="$OPTARG" ;;
    *) echo "usage: $0 [-c CONNS] [-n N] [-m MODES] TOKENSIGN_BIN..." >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [ "$#" -eq 0 ]; then
    echo "usage: $0 [-c CONNS] [-n N] [-m MODES] TOKENSIGN_BIN... (build it: cargo build --release -p tokensign --bin tokensign)" >&2
    exit 2
fi
for f in "$blast" "$@"; do
    [ -e "$f" ] || { echo "missing: $f (see the usage at the top of $0)" >&2; exit 2; }
done
command -v valgrind >/dev/null || { echo "valgrind is missing (Debian: valgrind)" >&2; exit 2; }

work="$(mktemp -d)"
keep="${CALLGRIND_DIR:-$(mktemp -d /tmp/node-instructions.XXXX)}"
node_pid=""
cleanup() {
    [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
mnemonic="$work/words"
echo "test test test test test test test test test test test junk" >"$mnemonic"

# One case: binary $1, mode $2, connections $3. Prints node and writer
# instructions per measured payment.
run_case() {
    local bin="$1" mode="$2" m="$3"
    local port dir log token
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    dir="$work/data-$RANDOM"
    log="$work/node.log"
    local store=(--data-dir "$dir")
    [ "$mode" = in-memory ] && store=(--in-memory)
    local case_dir="$keep/$(basename "$bin")-$mode-$m"
    rm -rf "$case_dir"
    mkdir -p "$case_dir"
    valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$case_dir/cg.%p" \
        "$bin" node --listen "127.0.0.1:$port" "${store[@]}" >"$log" 2>&1 &
    node_pid=$!
    token=""
    for _ in $(seq 1 1200); do
        token="$(sed -n 's/.*DEVUSD.*\(0x[0-9a-fA-F]\{40\}\).*/\1/p' "$log" | head -1)"
        [ -n "$token" ] && curl -sf "http://127.0.0.1:$port/api/status" >/dev/null && break
        sleep 0.1
    done
    [ -n "$token" ] || { echo "no DEVUSD token in the banner:" >&2; cat "$log" >&2; exit 1; }
    local warm_files=() files=() k from to nonce docs
    for k in $(seq 1 "$m"); do
        from="$("$bin" address --mnemonic-file "$mnemonic" --mnemonic-index "$k")"
        to="$("$bin" address --mnemonic-file "$mnemonic" --mnemonic-index $(((k % m) + 1)))"
        nonce="$(curl -sf "http://127.0.0.1:$port/v1/accounts/nonce?address=$from" | python3 -c 'import json,sys; print(json.load(sys.stdin)["nonce"])')"
        docs="$(for i in $(seq "$nonce" $((nonce + per + warm - 1))); do
            printf '{"operation":"Payment","chain_id":1212101,"nonce":%d,"recipient":"%s","value":"1","token":"%s"}\n' "$i" "$to" "$token"
        done)"
        "$bin" sign --lines --scheme v2 --mnemonic-file "$mnemonic" --mnemonic-index "$k" <<<"$docs" >"$work/all$k"
        head -n "$warm" "$work/all$k" >"$work/warm$k"
        tail -n +"$((warm + 1))" "$work/all$k" >"$work/c$k"
        warm_files+=("$work/warm$k")
        files+=("$work/c$k")
    done
    "$blast" "$port" /v2/transactions/payment "${warm_files[@]}" >"$work/warm.out"
    callgrind_control -z "$node_pid" >/dev/null
    local out
    out="$("$blast" "$port" /v2/transactions/payment "${files[@]}")"
    callgrind_control -d "$node_pid" >/dev/null
    kill "$node_pid"
    wait "$node_pid" 2>/dev/null || true
    node_pid=""
    rm -rf "$dir"
    local sent ok total node_i writer_i
    sent="$(sed -n 's/^sent \([0-9]*\) ok \([0-9]*\).*/\1/p' <<<"$out")"
    ok="$(sed -n 's/^sent \([0-9]*\) ok \([0-9]*\).*/\2/p' <<<"$out")"
    total=$((m * per))
    [ "$sent" = "$total" ] && [ "$ok" = "$total" ] || { echo "blast: $out (expected $total ok)" >&2; exit 1; }
    # The first dump: the measured payments, a file per thread.
    node_i="$(cat "$case_dir"/cg.*.1-* | sed -n 's/^summary: //p' | paste -sd+ | bc)"
    writer_i="$(sed -n 's/^summary: //p' $(grep -l 'writer_loop' "$case_dir"/cg.*.1-*))"
    printf '%-10s %-5s %-45s %14d %14d\n' "$mode" "$m" "$bin" $((node_i / total)) $((writer_i / total))
}

echo "machine: $(nproc) cores, $(uname -srm); $(date -u +%Y-%m-%dT%H:%M:%SZ); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "payments measured per connection: $per (after $warm to warm up); instructions per payment (callgrind, in $keep)"
printf '%-10s %-5s %-45s %14s %14s\n' mode conns binary node writer
for m in $connections; do
    for mode in $modes; do
        for bin in "$@"; do
            run_case "$(realpath "$bin")" "$mode" "$m"
        done
    done
done
