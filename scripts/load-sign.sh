#!/usr/bin/env bash
# Does `tokensign sign --lines` use both cores? Signs a JSON-lines file of
# N unsigned payloads (default 20000) with 1 thread and with the default
# (one per core), and prints wall time, CPU time and CPU/wall (cores used).
# Offline: no server, no network. The development key is public and used
# only for this measurement.
#
# Usage: scripts/load-sign.sh [N]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-20000}"
cd "$here/bench"
cargo build --release -p tokensign --bin tokensign
bin="$here/bench/target/release/tokensign"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for ((i = 0; i < n; i++)); do
  printf '{"chain_id":1212101,"nonce":%d,"symbol":"T%d","name":"Batch token %d","decimals":6,"master_authority":"0x0000000000000000000000000000000000000000","is_private":false}\n' "$i" "$i" "$i"
done >"$work/payloads.jsonl"
echo "machine: $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg); $n payloads"
run() {
  local label="$1"; shift
  local t0 t1 c0 c1
  TIMEFORMAT="%R %U %S"
  { time timeout 300 "$bin" sign --dev-key --lines --payload "$work/payloads.jsonl" "$@" >"$work/out.jsonl" 2>"$work/err"; } 2>"$work/time"
  read -r real user sys <"$work/time"
  lines=$(wc -l <"$work/out.jsonl")
  awk -v l="$label" -v r="$real" -v u="$user" -v s="$sys" -v n="$lines" \
    'BEGIN { printf "%-22s %6d lines  wall %6.2f s  CPU %6.2f s  cores used %.2f  %8.0f lines/s\n", l, n, r, u + s, (u + s) / r, n / r }'
}
run "--threads 1" --threads 1
run "default (per core)"
