#!/usr/bin/env bash
# Topics as tables, benchmarked: 1,000,000 JSON events (user, page, duration, ts) produced with
# confluent-kafka to a 6-partition topic of a release tributary broker; `tributary sql` computes
# the per-page count and average duration over the topic, and DuckDB the same over the same
# events in a JSON lines file, in the same run. Rewrites the "Topics as tables" section of
# BENCHMARKS.md. Extra arguments go to bench/topics_bench.py (see its --help).
#
#   TRIBUTARY_BIN=path   use this binary instead of building one
#   BENCH_SCRATCH=dir    SwiftPM scratch path for the release build (default .build)
#   BENCH_VENV=dir       the Python venv to create or use (default .venv)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${BENCH_VENV:-.venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
stamp="$venv/.bench-requirements-installed"
if [ ! -f "$stamp" ] || [ bench/requirements.txt -nt "$stamp" ]; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r bench/requirements.txt
  touch "$stamp"
fi

if [ -z "${TRIBUTARY_BIN:-}" ]; then
  scratch=${BENCH_SCRATCH:-.build}
  SKIP_VENV=1 bash scripts/setup.sh  # the system compression libraries the build links
  swift build -c release --scratch-path "$scratch" --product tributary
  TRIBUTARY_BIN="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/tributary"
fi

exec timeout --signal=TERM 1800 "$venv/bin/python" bench/topics_bench.py \
  --tributary-bin "$TRIBUTARY_BIN" --command "bench/topics.sh${*:+ $*}" "$@"
