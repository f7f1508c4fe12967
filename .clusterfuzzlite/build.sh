#!/bin/bash -eu
# ClusterFuzzLite's build: every cargo-fuzz target of fuzz/ into $OUT, each
# with its seed corpus (fuzz/corpus/<target> and every regression input,
# fuzz/regressions/<target>) as $OUT/<target>_seed_corpus.zip.
#
# Run from the repository's root (the Dockerfile's WORKDIR). It builds as
# fuzz/run-ci.sh does (`cargo fuzz build -O`: release with debug assertions
# and overflow checks, fuzz/Cargo.toml's [profile.release];
# AddressSanitizer), so where run-ci.sh has built already (.ci/run, which
# runs this script without Docker to check it) nothing is rebuilt.
#
#   OUT    where the fuzzer binaries and seed corpora go (set by the image)
#   WORK   scratch space (set by the image; a temporary directory if unset)

cargo fuzz build -O

host=$(rustc -vV | sed -n 's/^host: //p')
bin_dir=fuzz/target/$host/release
work=${WORK:-$(mktemp -d)}

count=0
for target in $(cd fuzz && cargo fuzz list); do
    cp "$bin_dir/$target" "$OUT/"
    seeds="$work/seeds/$target"
    rm -rf "$seeds"
    mkdir -p "$seeds"
    cp fuzz/corpus/"$target"/* fuzz/regressions/"$target"/* "$seeds/" 2>/dev/null || true
    if [ -n "$(ls -A "$seeds")" ]; then
        rm -f "$OUT/${target}_seed_corpus.zip"
        (cd "$seeds" && zip -q -j "$OUT/${target}_seed_corpus.zip" ./*)
    fi
    count=$((count + 1))
done
echo "build.sh: $count fuzz targets in $OUT"
