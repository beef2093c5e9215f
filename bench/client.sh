#!/usr/bin/env bash
# The Swift client benchmark in one command: a release build of tributary, one broker, the Swift
# producer and consumer next to confluent-kafka and kcat (librdkafka) in the same run, and the
# "Swift client" section of BENCHMARKS.md rewritten. Extra arguments go to bench/client_bench.py.
#
#   TRIBUTARY_BIN=path   use this binary instead of building one
#   BENCH_SCRATCH=dir    SwiftPM scratch path for the release build (default .build)
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || bash scripts/setup.sh
command -v kcat >/dev/null || bash scripts/setup.sh

if [ -z "${TRIBUTARY_BIN:-}" ]; then
  scratch=${BENCH_SCRATCH:-.build}
  SKIP_VENV=1 bash scripts/setup.sh
  swift build -c release --scratch-path "$scratch" --product tributary
  TRIBUTARY_BIN="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/tributary"
fi

exec timeout --signal=TERM 1800 .venv/bin/python bench/client_bench.py \
  --tributary-bin "$TRIBUTARY_BIN" --command "bench/client.sh${*:+ $*}" "$@"
