// The bindgen step: wasm-bindgen (the version of Cargo.lock, scripts/setup.sh) on the main
// file of the split, as trunk runs it on the whole wasm: the JS glue and the wasm it loads.
// `--keep-lld-exports` keeps the function table, stack pointer and memory exported, which the
// split files share with the main file.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs wasm-bindgen on `input` into `dir`: { glue, wasm } (paths). */
export function bindgen(input, dir, outName, { command = 'wasm-bindgen' } = {}) {
  const args = ['--target=web', `--out-dir=${dir}`, `--out-name=${outName}`, '--no-typescript', '--keep-lld-exports', input];
  const run = spawnSync(command, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${command} failed (${run.status ?? run.error}): ${run.stderr}`);
  return { glue: join(dir, `${outName}.js`), wasm: join(dir, `${outName}_bg.wasm`) };
}
