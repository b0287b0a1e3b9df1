#!/usr/bin/env bash
# The benchmark (not part of the tests' pass/fail): builds the production widget, then prints
# its bytes (raw, gzip, brotli; cost by crate), time to first openings on loopback and on an
# emulated slow 4G network beside the floor of just fetching the same things, interaction
# times and memory. RUNS=N changes the number of runs per figure (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
scripts/release-build.sh trunk build --release >/dev/null
cargo build --release -p mock-studio --quiet
# The same release build, kept with its function names, for the cost by crate.
scripts/release-build.sh cargo build --release --target wasm32-unknown-unknown --lib --quiet
node bench/bench.mjs
