#!/usr/bin/env bash
# TPC-H at scale factor 0.1: installs tpchgen-cli and duckdb into .venv, generates the CSV files into
# tests/data/tpch-sf0.1 (once), builds tributary and checks its answers to the 22 queries against
# DuckDB's on the same files (tests/tpch/check.py; decimals compared exactly).
#
#   scripts/tpch.sh              generate if needed, build, check all 22 queries
#   scripts/tpch.sh 1 6 14       check only these queries
#   SF=1 scripts/tpch.sh         another scale factor (data in tests/data/tpch-sf1)
#   TRIBUTARY_BIN=path           use an already built binary
set -euo pipefail
cd "$(dirname "$0")/.."

sf="${SF:-0.1}"
data="tests/data/tpch-sf${sf}"

if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
for pkg in tpchgen-cli duckdb; do
  .venv/bin/pip show -q "$pkg" >/dev/null 2>&1 || .venv/bin/pip install -q --disable-pip-version-check "$pkg"
done

if [ ! -f "$data/lineitem.csv" ]; then
  mkdir -p "$data"
  echo "generating TPC-H SF $sf into $data"
  .venv/bin/tpchgen-cli csv --scale-factor "$sf" --output-dir "$data"
fi

if [ -z "${TRIBUTARY_BIN:-}" ]; then
  # A release build: the queries scan 600k lineitem rows, which a debug build makes slow.
  swift build -c release --scratch-path .build-tpch --product tributary
  TRIBUTARY_BIN="$(swift build -c release --scratch-path .build-tpch --show-bin-path)/tributary"
fi
export TRIBUTARY_BIN
exec .venv/bin/python tests/tpch/check.py --data "$data" "$@"
