#!/usr/bin/env bash
# Installs what Tributary needs, builds it (release) and starts the broker with the embedded
# default: 127.0.0.1:9092, data in ./tributary-data. Extra arguments go to `tributary serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
SKIP_VENV=1 bash scripts/setup.sh
swift build -c release --product tributary
exec .build/release/tributary serve "$@"
