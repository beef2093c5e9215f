#!/usr/bin/env bash
# The Parquet scan benchmark in one command: a release build of tributary, TPC-H SF1 lineitem as
# Parquet from tpchgen-cli (tests/data/tpch-sf1-parquet, generated once), the run against DuckDB
# and pyarrow, and the "Parquet scans" section of BENCHMARKS.md rewritten with the results.
# Extra arguments go to bench/parquet_scan.py (--repeat N, --no-write).
#
#   TRIBUTARY_BIN=path   use this binary instead of building one
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh  # the venv with tpchgen-cli, duckdb and pyarrow (tests/requirements.txt)
if [ -z "${TRIBUTARY_BIN:-}" ]; then
  swift build -c release --product tributary
  TRIBUTARY_BIN="$(swift build -c release --show-bin-path)/tributary"
fi
data=tests/data/tpch-sf1-parquet
if [ ! -f "$data/lineitem.parquet" ]; then
  .venv/bin/tpchgen-cli parquet -s 1 --tables=lineitem --output-dir="$data"
fi
exec .venv/bin/python bench/parquet_scan.py --tributary-bin "$TRIBUTARY_BIN" --lineitem "$data/lineitem.parquet" \
  --command "bench/parquet.sh${*:+ $*}" "$@"
