#!/usr/bin/env bash
# Every test the project has: formatting and lints, the release build's steps (tools/build/*.test.mjs) and the
# documents against interface.json, native tests of the whole workspace, the widget's browser
# tests (wasm-bindgen-test in headless Chromium), contract tests of the mock studio
# (schemathesis), and the end-to-end tests (Playwright driving Chromium against a release
# build and the mock studio).
# Screenshots of the end-to-end run are written to e2e/out/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
started=$(date +%s)
scripts/setup.sh

echo "== formatting and lints (cargo fmt --check, cargo clippy -D warnings: the workspace, and the widget for wasm32)"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p studio-booking-widget -p studio-booking-core --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings

echo "== build steps' and interface tests (node --test in tools/)"
(cd tools && node --test)

echo "== native tests (cargo test --workspace; the booking rules: cargo test -p studio-booking-core)"
# The waitlist's store is tested against PostgreSQL as well as SQLite: a server of its own, stopped on exit.
source scripts/postgres.sh
cargo test --workspace

echo "== browser tests (wasm-bindgen-test in headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver \
WASM_BINDGEN_TEST_TIMEOUT=180 \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown -p studio-booking-widget --test browser --test flow_browser --test mount_browser --test zones_browser

echo "== release build"
scripts/release-build.sh trunk build --release
cargo build --release -p mock-studio -p studio-gateway
for f in dist/*.wasm; do
  echo "$(basename "$f"): $(wc -c < "$f") bytes, gzip -9 $(gzip -9 -c "$f" | wc -c) bytes"
done

echo "== the build's byte gate and npm package (tools/build/dist.check.mjs)"
node --test tools/build/dist.check.mjs

echo "== contract tests (schemathesis: the contract against the live mock studio)"
scripts/contract.sh

echo "== end-to-end tests (Playwright + Chromium; screenshots in e2e/out/screenshots/)"
rm -rf e2e/out/figures
e2e_status=0
(cd e2e && node --test --test-concurrency=1) || e2e_status=$?
node e2e/figures.mjs
[ "$e2e_status" -eq 0 ] || { echo "== end-to-end tests failed"; exit "$e2e_status"; }

echo "== all tests passed in $(( $(date +%s) - started )) s"
