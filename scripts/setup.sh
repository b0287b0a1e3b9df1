#!/usr/bin/env bash
# Installs what building and testing the widget need, and only what is missing:
# the wasm32 target, trunk, wasm-bindgen-cli at exactly Cargo.lock's wasm-bindgen version, wasm-split-cli,
# Debian's chromium, chromedriver and python3-icalendar, binaryen's wasm-opt from npm (tools/), and the npm
# packages of e2e/. scripts/run.sh and scripts/test.sh put tools/node_modules/.bin first on PATH.
# Safe to run again: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
say() { printf '[setup] %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The test command checks formatting and lints (cargo fmt --check, cargo clippy).
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

# The production widget is built with a pinned nightly (see scripts/release-build.sh).
source scripts/toolchain.sh
sysroot=$(rustup run "$RELEASE_TOOLCHAIN" rustc --print sysroot 2>/dev/null || true)
if [ -z "$sysroot" ] || [ ! -d "$sysroot/lib/rustlib/src/rust/library" ]; then
  say "installing Rust $RELEASE_TOOLCHAIN with rust-src (for the release build; about half a minute)"
  rustup toolchain install "$RELEASE_TOOLCHAIN" --profile minimal --component rust-src
fi

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
# Python's icalendar reads the calendar file the confirmation offers, in the e2e tests.
/usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1 || need_apt+=(python3 python3-icalendar)
# The waitlist's tests run against a PostgreSQL of their own too (scripts/postgres.sh).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing from Debian: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (a few minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --quiet
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen of Cargo.lock. It is built without
# --locked: its own lock file names a crate version the registry no longer serves.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WASM_BINDGEN_VERSION" ]; then
  echo "[setup] cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about two minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --quiet --force
fi
if ! grep -q "^wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml; then
  echo "[setup] Trunk.toml's [tools] wasm_bindgen must be \"$WASM_BINDGEN_VERSION\", the version in Cargo.lock" >&2
  exit 1
fi

# wasm-split-cli cuts the release build's date and time step and later steps into wasm
# files of their own (tools/build/split.mjs). Pinned: its reading of the split markers must match the
# wasm_split_helpers of Cargo.lock (through Leptos).
WASM_SPLIT_VERSION=0.2.4
if ! cargo install --list 2>/dev/null | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (about a minute, once)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --quiet --force
fi

# Debian's wasm-opt 108 breaks the externref table of today's wasm-bindgen output in
# Chromium; npm's binaryen ships a current wasm-opt. terser minifies the release build's
# JavaScript and acorn reads it for the build's edits (tools/build/, a trunk hook).
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -d tools/node_modules/terser ] || [ ! -d tools/node_modules/acorn ]; then
  say "installing binaryen's wasm-opt, terser and acorn from npm"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi
if ! grep -q "^wasm_opt = \"version_$(tools/node_modules/.bin/wasm-opt --version | sed -E 's/.*version ([0-9]+).*/\1/')\"" Trunk.toml; then
  echo "[setup] Trunk.toml's [tools] wasm_opt must name the version of tools/node_modules/.bin/wasm-opt" >&2
  exit 1
fi

if [ -f e2e/package.json ] && [ ! -d e2e/node_modules/playwright-core ]; then
  say "installing the end-to-end test packages from npm"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
say "ready: $(trunk --version), $(wasm-bindgen --version), $(tools/node_modules/.bin/wasm-opt --version), $(chromium --version 2>/dev/null | head -1)"
