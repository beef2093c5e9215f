#!/usr/bin/env bash
# Installs what building and testing Tributary needs: Debian's compression libraries and kcat, a
# Java 17 runtime for PySpark (the Parquet cross-checks), and a local Python venv (.venv) with the
# third-party Kafka clients the compat tests drive.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(kcat zlib1g-dev liblz4-dev libzstd-dev libsnappy-dev openjdk-17-jre-headless)
missing=()
for p in "${debs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

[ "${SKIP_VENV:-0}" = 1 ] && exit 0
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
stamp=.venv/.requirements-installed
if [ ! -f "$stamp" ] || [ tests/requirements.txt -nt "$stamp" ]; then
  .venv/bin/pip install -q --disable-pip-version-check -r tests/requirements.txt
  touch "$stamp"
fi
