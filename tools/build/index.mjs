// The release build's post-build steps, run by trunk as a post_build hook (Trunk.toml) on its
// staging directory (what becomes dist/), after trunk's own wasm-bindgen. Each step is a
// module of its own with its test (tools/build/*.test.mjs); pipeline.mjs runs them in order.
// A debug build (`trunk build`, `trunk serve`) gets only the loader and manifest steps.
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
