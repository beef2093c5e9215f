#!/usr/bin/env bash
# TPC-H at scale factor 0.1: generates the tables with tpchgen-cli as CSV and as Parquet into
# tests/data/tpch-sf0.1 (once), and checks tributary's answers to the 22 queries against DuckDB's on
# the same files, from CSV and from Parquet (tests/tpch/check.py; decimals compared exactly).
# scripts/test.sh runs it with the debug binary it has just built.
#
#   scripts/tpch.sh                      generate if needed, release build, both formats, 22 queries
#   scripts/tpch.sh 1 6 14               only these queries
#   scripts/tpch.sh --format parquet     only one format
#   SF=1 scripts/tpch.sh                 another scale factor (data in tests/data/tpch-sf1)
#   TRIBUTARY_BIN=path scripts/tpch.sh   use an already built binary
set -euo pipefail
cd "$(dirname "$0")/.."

sf="${SF:-0.1}"
data="tests/data/tpch-sf${sf}"

if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
for pkg in tpchgen-cli duckdb; do
  .venv/bin/pip show -q "$pkg" >/dev/null 2>&1 || .venv/bin/pip install -q --disable-pip-version-check "$pkg"
done

bash tests/tpch/generate.sh "$sf" "$data"

if [ -z "${TRIBUTARY_BIN:-}" ]; then
  # A release build: fast to run, slow to build; the test command passes its debug binary instead.
  swift build -c release --scratch-path .build-tpch --product tributary
  TRIBUTARY_BIN="$(swift build -c release --scratch-path .build-tpch --show-bin-path)/tributary"
fi
# Absolute, so a relative path given by the caller still names the binary from the tests' directories.
TRIBUTARY_BIN="$(realpath "$TRIBUTARY_BIN")"
export TRIBUTARY_BIN

args=("$@")
has_format=0
for a in "${args[@]+"${args[@]}"}"; do [ "$a" = --format ] && has_format=1; done
[ "$has_format" = 1 ] || args=(--format csv --format parquet --format cached "${args[@]+"${args[@]}"}")
exec .venv/bin/python tests/tpch/check.py --data "$data" "${args[@]}"
