#!/usr/bin/env bash
# Bounded fuzzing for CI: builds every cargo-fuzz target, then runs each one
# for the same FUZZ_SECONDS over the committed seed corpus plus every
# regression input, in a scratch copy (the committed corpus is never
# written to), and prints each target's executions per second.
# Fails if any target crashes, hangs, leaks or runs out of memory.
#
#   FUZZ_SECONDS   seconds per target, the same for every one (default 30)
#   FUZZ_BUDGET    whole-step budget in seconds, build included (default
#                  480); the per-target time shrinks to fit it
#   FUZZ_JOBS      targets fuzzed at once (default: 2, or 1 on one core)
#   FUZZ_TARGETS   space-separated subset of targets (default: all, i.e.
#                  every [[bin]] of Cargo.toml as `cargo fuzz list` gives
#                  them, `server_handler` included)
#   FUZZ_TOOLCHAIN nightly, stable or auto (default auto: nightly if installed)
#
# Toolchain: `cargo +nightly` when a nightly toolchain is installed, else
# the default (stable) one with RUSTC_BOOTSTRAP=1 (cargo-fuzz needs -Z
# flags). Needs cargo-fuzz (`cargo install cargo-fuzz`); installs it when
# missing. Crash inputs are copied to fuzz/artifacts/<target>/ and printed
# as hex; see docs/fuzzing.md for turning one into a regression test.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

start=$(date +%s)
seconds=${FUZZ_SECONDS:-30}
budget=${FUZZ_BUDGET:-480}
cores=$(nproc 2>/dev/null || echo 1)
jobs=${FUZZ_JOBS:-$(( cores >= 2 ? 2 : 1 ))}

log() { printf '[fuzz %4ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    log "installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

# Which toolchain. Cargo caches what rustc can do in target/.rustc_info.json,
# keyed so that switching between `+nightly` and RUSTC_BOOTSTRAP=1 can keep
# the old (wrong) answer: delete it every time; it is rebuilt in a moment.
choice=${FUZZ_TOOLCHAIN:-auto}
if [ "$choice" = nightly ] || { [ "$choice" = auto ] && cargo +nightly --version >/dev/null 2>&1; }; then
    toolchain=(+nightly)
    unset RUSTC_BOOTSTRAP
    log "toolchain: $(cargo +nightly --version)"
else
    toolchain=()
    export RUSTC_BOOTSTRAP=1
    log "toolchain: $(cargo --version) with RUSTC_BOOTSTRAP=1"
fi
target_dir=${CARGO_TARGET_DIR:-target}
rm -f "$target_dir/.rustc_info.json"

# Release with debug assertions and overflow checks (Cargo.toml's
# [profile.release]), AddressSanitizer, libFuzzer's coverage.
log "building the fuzz targets"
cargo "${toolchain[@]}" fuzz build -O

host=$(rustc "${toolchain[@]}" -vV | sed -n 's/^host: //p')
bin_dir="$target_dir/$host/release"
if [ -n "${FUZZ_TARGETS:-}" ]; then
    read -r -a targets <<< "$FUZZ_TARGETS"
else
    mapfile -t targets < <(cargo "${toolchain[@]}" fuzz list)
fi
count=${#targets[@]}
if [ "$count" -eq 0 ]; then
    log "no fuzz targets found"
    exit 1
fi

# Fit the runs into what is left of the budget (10 s of slack per round).
elapsed=$(( $(date +%s) - start ))
rounds=$(( (count + jobs - 1) / jobs ))
fit=$(( (budget - elapsed) / rounds - 10 ))
if [ "$fit" -lt "$seconds" ]; then
    log "build took ${elapsed}s: ${fit}s per target instead of ${seconds}s to stay within ${budget}s"
    seconds=$fit
fi
if [ "$seconds" -lt 10 ]; then
    # A slow machine is not a failure: fuzz briefly all the same.
    log "the build left no time within the budget: 10s per target"
    seconds=10
fi

scratch="$target_dir/ci-run"
rm -rf "$scratch"
mkdir -p "$scratch" artifacts

run_one() {
    local t=$1 dir="$scratch/$1"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    cp corpus/"$t"/* "$dir/corpus/" 2>/dev/null || true
    # Regression inputs go into the corpus: each is run first, every time.
    cp regressions/"$t"/* "$dir/corpus/" 2>/dev/null || true
    local rc=0
    "$bin_dir/$t" "$dir/corpus" \
        -max_total_time="$seconds" \
        -timeout=20 \
        -rss_limit_mb=3072 \
        -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" \
        > "$dir/log" 2>&1 || rc=$?
    echo "$rc" > "$dir/rc"
}

log "fuzzing ${count} targets, ${seconds}s each, ${jobs} at a time"
running=0
for t in "${targets[@]}"; do
    run_one "$t" &
    running=$(( running + 1 ))
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$(( running - 1 ))
    fi
done
wait

failed=()
for t in "${targets[@]}"; do
    dir="$scratch/$t"
    rc=$(cat "$dir/rc" 2>/dev/null || echo missing)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$dir/log" | tail -1)
    if [ "$rc" = 0 ]; then
        log "ok     $t: ${execs:-?} executions, ${rate:-?}/s, ${cov:-no coverage line}"
    else
        failed+=("$t")
        log "FAILED $t (exit $rc): ${execs:-?} executions, ${rate:-?}/s"
        echo "----- last lines of the $t log -----"
        tail -n 60 "$dir/log"
        mkdir -p "artifacts/$t"
        for crash in "$dir"/artifacts/*; do
            [ -f "$crash" ] || continue
            cp "$crash" "artifacts/$t/"
            echo "----- $(basename "$crash") (kept in fuzz/artifacts/$t/), hex: -----"
            od -An -tx1 -v "$crash" | tr -d ' \n' | fold -w 120
            echo
        done
    fi
done

log "done in $(( $(date +%s) - start ))s"
if [ "${#failed[@]}" -gt 0 ]; then
    log "crashes in: ${failed[*]}"
    exit 1
fi
