// What each post-build step saves: runs the steps again on what trunk made in the last
// release build (kept by index.mjs in target/build-steps/staging), once with all of them and
// once with each step left out, and prints the gzip -9 bytes (Node's zlib, as the byte gate
// and the benchmark count) of the first screens and of all files. Not part of the tests:
//   scripts/release-build.sh trunk build --release && node tools/build/measure.mjs
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from './pipeline.mjs';

const target = process.env.CARGO_TARGET_DIR ?? 'target';
const snapshot = join(target, 'build-steps', 'staging');
// 'split' is not among them: without it the main file would be trunk's wasm-bindgen output of a
// wasm built for splitting (with its relocations), not what a build without split points makes.
const STEPS = (process.argv[2] ?? 'unused,wasm-opt,one-pass,strip,by-name,rename,opt-again,minify-js').split(',');
const crate = { version: '0.0.0', license: 'MIT' };

async function figures(skip) {
  const dir = await mkdtemp(join(tmpdir(), 'studio-measure-'));
  try {
    await cp(snapshot, dir, { recursive: true });
    const built = await build({ staging: dir, release: true, target, skip: new Set(skip), crate });
    const gz = async (f) => gzipSync(await readFile(join(dir, f)), { level: 9 }).length;
    const sum = async (names) => { let n = 0; for (const f of names) n += await gz(f); return n; };
    return {
      loader: await gz(built.firstScreen[0]), glue: await gz(built.firstScreen[1]), main: await gz(built.firstScreen[2]),
      list: await sum(built.firstScreen),
      preselected: await sum([...built.firstScreen, ...built.dateTimeFiles]),
      all: await sum(built.published.filter((f) => f !== 'package.json' && !f.startsWith('frame.html'))),
    };
  } finally { await rm(dir, { recursive: true, force: true }); }
}

const kb = (n) => `${(n / 1000).toFixed(2)} KB`;
const base = await figures([]);
const keys = Object.keys(base);
console.log(`all steps: ${keys.map((k) => `${k} ${kb(base[k])}`).join(', ')}`);
console.log(`\nstep left out | ${keys.join(' | ')}   (bytes the step saves, gzip -9)`);
for (const step of STEPS) {
  const f = await figures([step]);
  console.log(`${step} | ${keys.map((k) => kb(f[k] - base[k])).join(' | ')}`);
}
