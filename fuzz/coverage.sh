#!/usr/bin/env bash
# Coverage reached by a corpus, per source file of the project, from
# libFuzzer's own -print_coverage=1 (no llvm-tools needed).
#
#   fuzz/coverage.sh <target> <corpus dir> [path filter, default: the core's src/]
#   fuzz/coverage.sh rules [ledger_ops corpus dir...]
#   fuzz/coverage.sh states [device_setup | device_protocol] [corpus dir...]
#
# `rules`: the ledger rules a `ledger_ops` corpus reaches (default: the
# committed one): what became of every step (admitted per operation,
# refused per operation and refusal, stopped before the ledger), then the
# ledger's refusals no input reached (examples/rules_reached.rs).
#
# `states`: the device states a corpus reaches (examples/states_reached.rs;
# without a target, both targets over their committed corpora; directories
# alone are a `device_setup` corpus): how often each state was reached,
# then the states no input reached.
#   device_setup: empty / locked / unlocked, each wrong-PIN count, the wipe
#   after the last wrong PIN, each number of trusted signers and a full
#   list, a power cut at each flash step of each storage update, and what
#   the reboot found;
#   device_protocol: idle, receiving a sign request (none of it yet, its
#   bytes so far by ranges, the buffer full), a request over the buffer,
#   each kind of review shown, approved or denied, an address shown,
#   approved or denied.
#
# Runs the built target (target/<host>/release/<target>) once over every
# input of the corpus, without fuzzing, and sums libFuzzer's COVERED_FUNC /
# UNCOVERED_FUNC lines for the functions whose source path contains the
# filter: functions reached, and edges reached of all instrumented edges
# (these include every panic, overflow-check and sanitizer branch, which
# must stay unreached, so 100% of edges is neither expected nor wanted).
set -euo pipefail

if [ "${1:-}" = rules ] || [ "${1:-}" = states ]; then
    example=${1}_reached
    shift
    # Corpus directories are given from where the script was called.
    args=()
    for arg in "$@"; do
        if [ -e "$arg" ]; then args+=("$(cd "$arg" && pwd)"); else args+=("$arg"); fi
    done
    cd "$(dirname "$0")"
    exec cargo run --quiet --release --example "$example" -- "${args[@]}"
fi

target=${1:?usage: coverage.sh <target> <corpus dir> [path filter]}
corpus=${2:?usage: coverage.sh <target> <corpus dir> [path filter]}


here=$(cd "$(dirname "$0")" && pwd)
filter=${3:-$(cd "$here/../core/src" && pwd)/}
host=$(rustc -vV | sed -n 's/^host: //p')
bin="$here/target/$host/release/$target"
[ -x "$bin" ] || { echo "build it first: cargo +nightly fuzz build -O $target" >&2; exit 2; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bin" -runs=0 -print_coverage=1 "$corpus" > "$out" 2>&1 || true

awk -v filter="$filter" '
/^(UN)?COVERED_FUNC:/ {
    loc = $NF
    if (index(loc, filter) == 0) next
    split($5, e, "/")
    file = loc; sub(/:[0-9]+$/, "", file); sub(/.*\//, "", file)
    funcs[file]++; edges[file] += e[2]; hit[file] += e[1]
    if ($1 == "COVERED_FUNC:") reached[file]++
}
END {
    printf "%-16s %18s %18s\n", "file", "functions reached", "edges reached"
    for (f in funcs) {
        printf "%-16s %10d / %-5d %10d / %-5d\n", f, reached[f], funcs[f], hit[f], edges[f]
        tf += funcs[f]; tr += reached[f]; te += edges[f]; th += hit[f]
    }
    if (tf > 0)
        printf "%-16s %10d / %-5d %10d / %-5d (%.0f%% of functions)\n", "all", tr, tf, th, te, 100 * tr / tf
}' "$out"
