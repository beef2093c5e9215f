#!/usr/bin/env bash
# Runs every test of Tributary: installs what the tests need, builds, runs the Swift unit tests,
# the compatibility suites with real Kafka clients against the broker binary, the Parquet cross-checks
# with PySpark, pyarrow and DuckDB, the SQL logic tests, and TPC-H SF 0.1 (22 queries from CSV and
# from Parquet, answers equal to DuckDB's).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== build"
swift build --product tributary
bin="$(swift build --show-bin-path)/tributary"

echo "== unit tests (swift test)"
swift test --parallel

echo "== compatibility tests (real clients against the broker binary)"
.venv/bin/pytest -q -p no:cacheprovider tests/compat

echo "== Parquet cross-checks (PySpark, pyarrow and DuckDB against tributary sql)"
.venv/bin/pytest -q -p no:cacheprovider tests/parquet

echo "== SQL logic tests (tests/sql/*.slt through tributary sql)"
.venv/bin/python tests/sql/run.py

echo "== TPC-H SF 0.1 (tests/tpch: 22 queries from CSV, from Parquet and cached in memory, against DuckDB)"
TRIBUTARY_BIN="$bin" bash scripts/tpch.sh --format csv --format parquet --format cached
