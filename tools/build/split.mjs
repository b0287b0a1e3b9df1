// The split step: a release build (`--cfg studio_split`, scripts/release-build.sh) marks the
// date and time step and the steps after it as split points (src/ui/steps/on_demand.rs): their
// code imports its loader from the placeholder module "__wasm_split_placeholder__". The linked
// wasm (with its relocations, `--emit-relocs`, before wasm-bindgen) is cut by wasm-split-cli
// (scripts/setup.sh installs it) into the main file, one file per split point
// (split_<point>.wasm), files for code two of them share (chunk_<n>.wasm), and the JS that
// fetches them (__wasm_split.js, see link.mjs). Each split file is published under a name
// with its content's hash (split_later_steps.<hash>.wasm): the files of one build call each
// other by position in a shared table, so a cache must never hand one build's split file to
// another build's main file.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LINK } from './link.mjs';

export const PLACEHOLDER = '__wasm_split_placeholder__';

/** Whether a linked wasm marks split points (imports from the placeholder module). */
export function hasSplitPoints(bytes) {
  return WebAssembly.Module.imports(new WebAssembly.Module(bytes)).some((i) => i.module === PLACEHOLDER);
}

/** `name` with the first 12 hex digits of the SHA-256 of `bytes` before ".wasm". */
export function hashedName(name, bytes) {
  if (!name.endsWith('.wasm')) throw new Error(`${name} is not a .wasm file`);
  return name.replace(/\.wasm$/, `.${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.wasm`);
}

/** Cuts `raw` into `dir`: { main (path), splitFiles (names in dir), link (path) }. */
export async function split(raw, dir, outName, { command = 'wasm-split-cli' } = {}) {
  const run = spawnSync(command, [raw, dir, '--out-name', outName], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${command} failed (${run.status ?? run.error}): ${run.stderr}`);
  const main = `${outName}.wasm`;
  const splitFiles = (await readdir(dir)).filter((f) => f.endsWith('.wasm') && f !== main).sort();
  return { main: join(dir, main), splitFiles, link: join(dir, LINK) };
}
