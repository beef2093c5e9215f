#!/usr/bin/env bash
# Fuzzes request decoding with libFuzzer: every frame must decode or throw, never crash.
# Usage: fuzz/run.sh [seconds]   (default 60). Seeds: the golden frames captured from real clients.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
swift build --scratch-path .build-fuzz --product FuzzRequestDecoding \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
corpus=.build-fuzz/corpus
mkdir -p "$corpus"
cp Tests/KafkaProtocolTests/Fixtures/*.bin "$corpus"/ 2>/dev/null || true
.build-fuzz/debug/FuzzRequestDecoding "$corpus" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1
