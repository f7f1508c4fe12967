#!/usr/bin/env bash
# The local node against anvil, same client, side by side: runs the shared
# side-by-side script (/work/shared/bench/anvil/side_by_side.py, which starts
# a fresh durable node and a fresh anvil, sends the same number of
# pre-signed transfers to each over M keep-alive connections and prints
# both rates) once per mode, connection count and node binary, and prints
# one table. Modes: `durable` (the node's default: redb, fsync per group
# commit) and `in-memory` (`tokensign node --in-memory`: the shared script
# runs the node through a wrapper that replaces its `--data-dir DIR` by
# `--in-memory`).
#
# Usage: scripts/anvil-side-by-side.sh [options] TOKENSIGN_BIN [TOKENSIGN_BIN...]
#   -c "1 8"   connection counts (default "1 8")
#   -n N       transfers per connection (default 500)
#   -m MODES   modes (default "durable in-memory")
#   -r R       rounds (default 1; every round runs every case again)
# Several binaries (e.g. before and after a change) run interleaved, so
# their figures come from one run. Environment: ANVIL_BIN, BLAST_BIN (the
# shared Rust client, built), SIDE_BY_SIDE (the shared script).
# Build the node first: cargo build --release -p tokensign --bin tokensign
set -euo pipefail
anvil_bin="${ANVIL_BIN:-/tmp/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil}"
side_by_side="${SIDE_BY_SIDE:-/work/shared/bench/anvil/side_by_side.py}"
export BLAST_BIN="${BLAST_BIN:-/tmp/blast-target/release/blast}"
connections="1 8"
per=500
modes="durable in-memory"
rounds=1
while getopts "c:n:m:r:" opt; do
    case "$opt" in
    c) connections="$OPTARG" ;;
    n) per="$OPTARG" ;;
    m) modes="$OPTARG" ;;
    r) rounds="$OPTARG" ;;
    *) echo "usage: $0 [-c CONNS] [-n N] [-m MODES] [-r R] TOKENSIGN_BIN..." >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [ "$#" -eq 0 ]; then
    echo "usage: $0 [-c CONNS] [-n N] [-m MODES] [-r R] TOKENSIGN_BIN... (build it: cargo build --release -p tokensign --bin tokensign)" >&2
    exit 2
fi
for f in "$anvil_bin" "$side_by_side" "$BLAST_BIN" "$@"; do
    [ -e "$f" ] || { echo "missing: $f (see the usage at the top of $0)" >&2; exit 2; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The in-memory wrapper: the same binary, `node` started with --in-memory
# instead of a data directory (the two flags exclude each other).
cat >"$work/in-memory" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
if [ "${1:-}" != node ]; then exec "$TOKENSIGN_REAL_BIN" "$@"; fi
args=()
while [ "$#" -gt 0 ]; do
    case "$1" in
    --data-dir) shift 2 ;;
    --data-dir=*) shift ;;
    *) args+=("$1"); shift ;;
    esac
done
exec "$TOKENSIGN_REAL_BIN" "${args[@]}" --in-memory
EOF
chmod +x "$work/in-memory"

echo "machine: $(nproc) cores, $(uname -srm); anvil: $("$anvil_bin" --version | head -1)"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-10s %-5s %-40s %12s %12s %7s %s\n' round mode conns binary "node/s" "anvil/s" ratio "load avg"
for round in $(seq 1 "$rounds"); do
    for m in $connections; do
        for mode in $modes; do
            for bin in "$@"; do
                bin="$(realpath "$bin")"
                case "$mode" in
                durable) run_bin="$bin" ;;
                in-memory) run_bin="$work/in-memory" ;;
                *) echo "unknown mode $mode (durable, in-memory)" >&2; exit 2 ;;
                esac
                load="$(cut -d' ' -f1 /proc/loadavg)"
                out="$(TOKENSIGN_REAL_BIN="$bin" python3 "$side_by_side" "$run_bin" "$anvil_bin" "$m" "$per" 2>&1)" || {
                    echo "side-by-side failed ($mode, $m, $bin):" >&2
                    echo "$out" >&2
                    exit 1
                }
                node="$(sed -n 's/^tokensign node[^:]*: \([0-9,]*\) payments.*/\1/p' <<<"$out" | tr -d ,)"
                anvil="$(sed -n 's/^anvil[^:]*: \([0-9,]*\) transfers.*/\1/p' <<<"$out" | tr -d ,)"
                ratio="$(sed -n 's/^ratio tokensign\/anvil: //p' <<<"$out")"
                errors="$(grep -c 'errors [1-9]' <<<"$out" || true)"
                if [ -z "$node" ] || [ -z "$anvil" ] || [ "$errors" != 0 ]; then
                    echo "unexpected output ($mode, $m, $bin):" >&2
                    echo "$out" >&2
                    exit 1
                fi
                printf '%-6s %-10s %-5s %-40s %12s %12s %7s %s\n' "$round" "$mode" "$m" "$bin" "$node" "$anvil" "$ratio" "$load"
            done
        done
    done
done
echo "done: $(date -u +%Y-%m-%dT%H:%M:%SZ); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
