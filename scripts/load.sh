#!/usr/bin/env bash
# Load test of the local node: v2 payments between funded accounts, durable
# vs non-durable commits, same everything else, driven over 127.0.0.1 by
# bench/src/bin/loadgen.rs.
#
# Usage: scripts/load.sh [loadgen options]
#   defaults: --signers 64 --per-signer 150 --rounds 3 --max-seconds 60
#   --database ADMIN_URL: the node on PostgreSQL (a fresh database per phase;
#   scripts/pg-cluster.sh start DIR prints a URL); --nodes N: N nodes on it
#   (64 funded accounts, one keep-alive connection each, payments in nonce
#    order; every phase bounded in count and time; only 127.0.0.1)
# Environment: LOAD_TIMEOUT (seconds, default 900) bounds the whole run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here/bench"
cargo build --release --bin loadgen
echo "machine: $(nproc) cores, $(uname -srm); $(rustc --version)"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exec timeout "${LOAD_TIMEOUT:-900}" "$here/bench/target/release/loadgen" "$@"
