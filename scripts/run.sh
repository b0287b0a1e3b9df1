#!/usr/bin/env bash
# The widget on the embedded demo studio: starts the mock studio API on 127.0.0.1:8787 and
# `trunk serve` of the demo page on http://127.0.0.1:8080 (its /api/v1 is proxied to the
# mock). Ctrl-C stops both. PROFILE=dev builds the widget unoptimised, for quick rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
scripts/setup.sh

cargo build --release -p mock-studio
target/release/mock-studio --addr 127.0.0.1:8787 &
MOCK_PID=$!
trap 'kill "$MOCK_PID" 2>/dev/null || true' EXIT INT TERM

if [ "${PROFILE:-release}" = "dev" ]; then
  trunk serve
else
  scripts/release-build.sh trunk serve --release
fi
