#!/usr/bin/env bash
# The broker benchmark in one command: a venv with the client and the peer brokers, a release
# build of tributary, the run (about 5-10 minutes), and the Broker section of BENCHMARKS.md
# rewritten with the results. Extra arguments go to bench/broker_bench.py (see its --help).
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

# The script bounds itself (--budget-s); this outer limit only guards against a hung client.
exec timeout --signal=TERM 1800 "$venv/bin/python" bench/broker_bench.py \
  --tributary-bin "$TRIBUTARY_BIN" --command "bench/run.sh${*:+ $*}" "$@"
