#!/usr/bin/env bash
# Runs trunk (`build --release` or `serve --release`) for the production widget, which is
# built with a pinned nightly Rust so that the standard library is rebuilt with the
# `immediate-abort` panic strategy: no panic messages or formatting machinery in the wasm
# (a panic stops the widget either way; panic = "abort" already showed nothing). Measured:
# 336.5 → 311.4 KB gzip. Native tests and the wasm-bindgen browser tests stay on stable.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
export RUSTUP_TOOLCHAIN="$RELEASE_TOOLCHAIN"
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
# The standard library's own size-over-speed choices (smaller sort and number formatting;
# same results): −0.4 KB gzip.
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
# Replaces .cargo/config.toml's rustflags for wasm32, so it repeats them.
# -Zlocation-detail=none: no source file names and lines for #[track_caller] locations, which
# only panic messages (gone with immediate-abort) and debugging would show (−2.6 KB gzip).
# --cfg studio_split: the date and time step and the steps after it go to wasm files of their
# own (src/ui/steps/on_demand.rs), which tools/build/split.mjs cuts out with wasm-split-cli
# (installed by scripts/setup.sh); the linker keeps its relocations for it (--emit-relocs).
# SPLIT=0 builds one file.
SPLIT_RUSTFLAGS="--cfg studio_split -Clink-arg=--emit-relocs"
[[ "${SPLIT:-1}" == 0 ]] && SPLIT_RUSTFLAGS=""
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none ${SPLIT_RUSTFLAGS}"
exec "${@:-trunk build --release}"
