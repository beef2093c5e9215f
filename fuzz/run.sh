#!/usr/bin/env bash
# Fuzzes decoders with libFuzzer: every input must decode or throw, never crash.
#   FuzzRequestDecoding  Kafka request frames; seeds: the golden frames captured from real clients
#   FuzzParquetDecoding  whole Parquet files (footer, pages, encodings, nested assembly); seeds: the
#                        small pyarrow fixtures
# Usage: fuzz/run.sh [seconds per target] [target ...]   (default 60 s, both targets).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(FuzzRequestDecoding FuzzParquetDecoding); fi
for target in "${targets[@]}"; do
  swift build --scratch-path .build-fuzz --product "$target" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
  corpus=".build-fuzz/corpus-$target"
  mkdir -p "$corpus"
  case "$target" in
    FuzzRequestDecoding)
      cp Tests/KafkaProtocolTests/Fixtures/*.bin "$corpus"/ 2>/dev/null || true
      max_len=65536 ;;
    FuzzParquetDecoding)
      for seed in fuzz_dictionary fuzz_delta_v2 int96 nested_v1 nested_v2; do
        cp "Tests/ParquetTests/Fixtures/$seed.parquet" "$corpus"/
      done
      max_len=32768 ;;
    *) echo "unknown fuzz target $target" >&2; exit 2 ;;
  esac
  ".build-fuzz/debug/$target" "$corpus" -max_total_time="$seconds" -max_len="$max_len" -print_final_stats=1
done
