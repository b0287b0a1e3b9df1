# The nightly Rust that builds the production widget (scripts/release-build.sh); installed
# by scripts/setup.sh with rust-src and the wasm32 target. Sourced, not run.
RELEASE_TOOLCHAIN=nightly-2026-10-29
