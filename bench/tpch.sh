#!/usr/bin/env bash
# The TPC-H benchmark in one command: the 22 queries at scale factor 1 through a release build of
# tributary and, in the same run, DuckDB, Polars, DataFusion and PySpark local[2] (Java 17), from CSV,
# from data cached in memory and from Parquet, 2 threads each, warm (first run discarded). Generates
# the data once (tests/data/tpch-sf1, about 1.5 GB), writes bench/out/tpch-sf1.json and the TPC-H
# section of BENCHMARKS.md. Extra arguments go to bench/tpch_bench.py (see its --help), e.g.
#
#   bench/tpch.sh --engines tributary-parquet,duckdb-parquet 1 6
#   SF=0.1 bench/tpch.sh --no-write       a quick look, nothing written
#   TRIBUTARY_BIN=path                    use this binary instead of building one
#   TRIBUTARY_MEMORY_LIMIT_GB=n           tributary's memory cap (default 8)
set -euo pipefail
cd "$(dirname "$0")/.."

sf="${SF:-1}"
data="tests/data/tpch-sf${sf}"

[ -x .venv/bin/python ] || python3 -m venv .venv
for pkg in tpchgen-cli duckdb; do
  .venv/bin/pip show -q "$pkg" >/dev/null 2>&1 || .venv/bin/pip install -q --disable-pip-version-check "$pkg"
done
stamp=.venv/.tpch-bench-requirements-installed
if [ ! -f "$stamp" ] || [ bench/tpch-requirements.txt -nt "$stamp" ]; then
  .venv/bin/pip install -q --disable-pip-version-check -r bench/tpch-requirements.txt
  touch "$stamp"
fi

bash tests/tpch/generate.sh "$sf" "$data"

if [ -z "${TRIBUTARY_BIN:-}" ]; then
  SKIP_VENV=1 bash scripts/setup.sh  # the system compression libraries the build links
  swift build -c release --product tributary
  TRIBUTARY_BIN="$(swift build -c release --show-bin-path)/tributary"
fi

command="bench/tpch.sh${*:+ $*}"
[ "$sf" = 1 ] || command="SF=$sf $command"
exec .venv/bin/python bench/tpch_bench.py --data "$data" --sf "$sf" --bin "$TRIBUTARY_BIN" --command "$command" "$@"
