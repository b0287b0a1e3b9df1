// The wasm-opt step: binaryen's optimiser (npm's binaryen, tools/node_modules; Debian's 108
// breaks the externref table of wasm-bindgen 0.2.130 in Chromium) on every wasm file of a
// release build. Its flags are written here and nowhere else; trunk runs no wasm-opt of its
// own (index.html: data-wasm-opt="0"), since the wasm is split first.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const WASM_OPT = fileURLToPath(new URL('../node_modules/.bin/wasm-opt', import.meta.url));

/** The wasm features the Rust toolchain's output uses (its target_features section:
 * bulk-memory, multivalue, mutable-globals, nontrapping-fptoint, reference-types, sign-ext),
 * named because binaryen reads a file without that section (once stripped, below) with none. */
export const FEATURES = [
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
];

/** -Oz twice in one run: the second pass finds ~0.9 KB gzip more over all files than one
 * (a third gained less on some files and lost on others). */
export const PASSES = 2;
export const OPTIMISE = [
  // Nothing lives in the first 1 KB of the wasm memory (Rust puts its 1 MB stack first,
  // growing down from 1 MB, and its data above it), so wasm-opt may fold constant offsets
  // into loads and stores.
  '--low-memory-unused',
];

/** What the tools wrote about themselves ("producers": rustc, walrus, wasm-bindgen versions)
 * and the features the compiler assumed ("target_features"): the browser reads neither. The
 * names section and wasm-split's name subsections go too (wasm-opt writes no names unless
 * asked; --strip-debug also drops DWARF). */
export const STRIP = ['--strip-debug', '--strip-producers', '--strip-target-features'];

/** For a file that still has its function names: the functions put in the order of their
 * names, so that the copies of one generic function made for different types sit side by
 * side, and gzip and brotli find more of each in the one before. The names are not written. */
export const BY_NAME = ['--reorder-functions-by-name'];

/** The flags of one run: the features, -Oz PASSES times with OPTIMISE, the strips, then
 * `extra`; `byName` adds BY_NAME; `passes` 0 optimises nothing. */
export function flags({ byName = false, passes = PASSES, strip = true, extra = [] } = {}) {
  const optimise = passes > 0 ? [...Array(passes).fill('-Oz'), ...OPTIMISE] : [];
  return [...FEATURES, ...optimise, ...(byName ? BY_NAME : []), ...(strip ? STRIP : []), ...extra];
}

/** Runs wasm-opt on `input`, writing `output` (may be the same path); returns its stdout. */
export function wasmOpt(input, output, options = {}) {
  const run = spawnSync(WASM_OPT, [input, ...flags(options), '-o', output], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`wasm-opt failed (${run.status ?? run.error}): ${run.stderr}`);
  // wasm-split-cli writes a names subsection binaryen 132 does not know (id 3): it warns and
  // skips it, and the names go anyway (STRIP). Other warnings are shown.
  const warnings = run.stderr.split('\n').filter((l) => l.trim() && !/^warning: unknown name subsection with id 3 at \d+$/.test(l));
  if (warnings.length) process.stderr.write(`${warnings.join('\n')}\n`);
  return run.stdout;
}
