// The post-build steps, run by trunk as a post_build hook (Trunk.toml) on its staging
// directory (what becomes dist/), after trunk's own wasm-bindgen. Each step is a module of its
// own with its test (tools/build/*.test.mjs); pipeline.mjs runs them in order. A release
// build runs them all; a debug build (`trunk build`, `trunk serve`) has one wasm file and
// JavaScript as written, so it gets only the languages, styles, loader and manifest steps:
// without them the loader could not run (it reads the facts the build writes into it), nor
// the widget be styled or speak any language but English.
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from './pipeline.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run by trunk (or see tools/build/measure.mjs)');
const release = process.env.TRUNK_PROFILE === 'release';
const target = process.env.CARGO_TARGET_DIR ?? 'target';

// What trunk made, kept for tools/build/measure.mjs (which runs the steps again, each left
// out in turn, to measure what it saves).
if (release) {
  const snapshot = join(target, 'build-steps', 'staging');
  await rm(snapshot, { recursive: true, force: true });
  await cp(staging, snapshot, { recursive: true });
}

await build({ staging, release, target, log: (line) => console.log(`[build] ${line}`) });
