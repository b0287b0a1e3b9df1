# The nightly Rust that builds the production widget (scripts/release-build.sh); installed
# by scripts/setup.sh with rust-src (build-std compiles the wasm32 std from it). Sourced, not run.
RELEASE_TOOLCHAIN=nightly-2026-10-29
