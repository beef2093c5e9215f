#!/usr/bin/env bash
# Generates the TPC-H tables with tpchgen-cli (from the venv) at scale factor SF into DIR, as CSV
# and as Parquet, unless they are already there. Each format is written into a temporary directory
# first, so an interrupted run leaves no half-written tables to be mistaken for complete ones.
#
#   tests/tpch/generate.sh SF DIR
set -euo pipefail
sf="$1"
data="$2"
gen="$(dirname "$0")/../../.venv/bin/tpchgen-cli"
for format in csv parquet; do
  if [ ! -f "$data/lineitem.$format" ]; then
    mkdir -p "$data"
    echo "generating TPC-H SF $sf ($format) into $data"
    rm -rf "$data/.gen-$format"
    "$gen" "$format" --scale-factor "$sf" --output-dir "$data/.gen-$format" --quiet
    mv "$data/.gen-$format"/*."$format" "$data/"
    rmdir "$data/.gen-$format"
  fi
done
