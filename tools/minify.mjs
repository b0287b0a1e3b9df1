// Shrinks what a host page loads, in a release build: splits the wasm so that the first
// screen waits only for its own code, runs wasm-opt, shortens the names by which the wasm
// imports the JS glue's functions, then minifies the JavaScript (the loader, the glue, the
// iframe page's script). Run by trunk as a post_build hook (Trunk.toml) on its staging
// directory, after wasm-bindgen; a debug build is left as written. The sources
// stay readable in the repository (loader/ and wasm-bindgen's output).
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { minify } from 'terser';

if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run by trunk');

const GLUE = 'studio-booking-widget.js';
const WASM = 'studio-booking-widget_bg.wasm';

// ---------------------------------------------------------------- short import names
// wasm-bindgen names each import after its function and a 16-digit hash
// ("__wbg_DateTimeFormat_9f29956ba0bd5d2c"), from a module named after the glue
// ("./studio-booking-widget_bg.js"), and writes both in the wasm (about 200 imports) and
// in the glue. Both sides get short names instead ("w", "_0", "_1"…): 13 KB of hard-to-compress
// names out of the wasm. A name is only changed when the glue names it exactly once (its key
// in the imports object), so nothing else in the glue can refer to it.

/** Reads an unsigned LEB128 at `pos`: [value, next position]. */
function leb(bytes, pos) {
  let value = 0; let shift = 0; let byte;
  do { byte = bytes[pos++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return [value, pos];
}
/** Writes an unsigned LEB128. */
function uleb(n) {
  const out = [];
  do { let byte = n % 128; n = Math.floor(n / 128); if (n) byte |= 0x80; out.push(byte); } while (n);
  return Buffer.from(out);
}
const name = (s) => Buffer.concat([uleb(Buffer.byteLength(s)), Buffer.from(s)]);
/** Where the import's description (after its two names) ends. */
function skipImportDescription(bytes, pos) {
  const kind = bytes[pos++];
  const limits = (p) => { const flags = bytes[p++]; [, p] = leb(bytes, p); if (flags & 1) [, p] = leb(bytes, p); return p; };
  switch (kind) {
    case 0: return leb(bytes, pos)[1]; // function: type index
    case 1: return limits(pos + 1); // table: reference type, limits
    case 2: return limits(pos); // memory: limits
    case 3: return pos + 2; // global: value type, mutability
    case 4: return leb(bytes, pos + 1)[1]; // tag: attribute, type index
    default: throw new Error(`import of unknown kind ${kind}`);
  }
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const token = (s) => new RegExp(`(?<![\\w$])${escape(s)}(?![\\w$])`, 'g');

/** The wasm's sections: [{ id, start, end }] with start..end the section's content. */
function sections(wasm) {
  const out = [];
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos++];
    let size; [size, pos] = leb(wasm, pos);
    out.push({ id, start: pos, end: pos + size });
    pos += size;
  }
  return out;
}

/** The wasm with the content of its section `id` replaced by `rewrite(start, end)`. */
function rewriteSection(wasm, id, rewrite) {
  const parts = [wasm.subarray(0, 8)];
  for (const s of sections(wasm)) {
    const content = s.id === id ? rewrite(s.start, s.end) : wasm.subarray(s.start, s.end);
    parts.push(Buffer.from([s.id]), uleb(content.length), content);
  }
  return Buffer.concat(parts);
}

function shortenImports(wasm, glue) {
  let renamed = 0;
  const moduleKey = JSON.stringify(`./${GLUE.replace(/\.js$/, '_bg.js')}`);
  const moduleOk = glue.split(moduleKey).length === 2;
  const out = rewriteSection(wasm, 2, (start) => {
    let p = start; let count; [count, p] = leb(wasm, p);
    const body = [uleb(count)];
    for (let i = 0; i < count; i++) {
      let len; [len, p] = leb(wasm, p); let module = wasm.subarray(p, p + len).toString(); p += len;
      [len, p] = leb(wasm, p); let field = wasm.subarray(p, p + len).toString(); p += len;
      const described = p; p = skipImportDescription(wasm, p);
      if (moduleOk && JSON.stringify(module) === moduleKey) {
        module = 'w';
        if ((glue.match(token(field)) ?? []).length === 1) {
          const short = `_${(renamed++).toString(36)}`;
          glue = glue.replace(token(field), short);
          field = short;
        }
      }
      body.push(name(module), name(field), wasm.subarray(described, p));
    }
    return Buffer.concat(body);
  });
  if (moduleOk) glue = glue.replace(moduleKey, '"w"');
  return { wasm: out, glue, renamed };
}

// ---------------------------------------------------------------- unused exports
// Leptos' server functions (unused by a client-side widget) bring wasm-streams, whose three
// #[wasm_bindgen] classes (IntoUnderlyingSource, IntoUnderlyingSink, IntoUnderlyingByteSource)
// wasm-bindgen must keep: exports are never dead to it. Nothing here uses them. They leave the
// glue and the wasm's exports, and a second wasm-opt pass drops the code only they reached.
// If the glue is not written as expected, or still names a removed export, nothing is removed.

/** The wasm's exports: [{ name, description }] (the description: kind and index, as bytes). */
function exportEntries(wasm) {
  const entries = [];
  for (const { id, start } of sections(wasm)) {
    if (id !== 7) continue;
    let p = start; let count; [count, p] = leb(wasm, p);
    for (let i = 0; i < count; i++) {
      let len; [len, p] = leb(wasm, p); const field = wasm.subarray(p, p + len).toString(); p += len;
      const described = p; p += 1; [, p] = leb(wasm, p); // kind, index
      entries.push({ name: field, description: wasm.subarray(described, p) });
    }
  }
  return entries;
}

const exportNames = (wasm) => exportEntries(wasm).map((e) => e.name);

/** The wasm with its exports renamed by `rename(name)`: a new name, or null to drop it. */
function rewriteExports(wasm, rename) {
  const kept = exportEntries(wasm).map((e) => [rename(e.name), e.description]).filter(([to]) => to !== null);
  return rewriteSection(wasm, 7, () => Buffer.concat([uleb(kept.length), ...kept.map(([to, d]) => Buffer.concat([name(to), d]))]));
}

const UNUSED_CLASS = /^IntoUnderlying(ByteSource|Sink|Source)$/;
function dropUnusedClasses(wasm, glue) {
  let cut = glue;
  let classes = 0;
  for (const [, cls] of glue.matchAll(/^export class (\w+) \{$/gm)) {
    if (!UNUSED_CLASS.test(cls)) continue;
    const body = new RegExp(`^export class ${cls} \\{\\n[\\s\\S]*?^if \\(Symbol\\.dispose\\) ${cls}\\.prototype\\[Symbol\\.dispose\\] = ${cls}\\.prototype\\.free;\\n`, 'm');
    const registry = new RegExp(`^const ${cls}Finalization = [^;]*;\\n`, 'm');
    if (!body.test(cut) || !registry.test(cut)) return { wasm, glue, dropped: 0 };
    cut = cut.replace(body, '').replace(registry, '');
    classes++;
  }
  const gone = exportNames(wasm).filter((n) => /^(__wbg_)?intounderlying(bytesource|sink|source)_/.test(n));
  if (gone.some((n) => token(n).test(cut))) return { wasm, glue, dropped: 0 };
  return { wasm: rewriteExports(wasm, (n) => (gone.includes(n) ? null : n)), glue: cut, dropped: classes };
}

/**
 * wasm-opt -Oz with the features named in index.html (first, and again to drop dead code).
 * With `byName`, for a file that still has its function names, the functions are also put in
 * the order of their names: the copies of one generic function, made for different types, then
 * sit side by side, and gzip and brotli find more of each in the one before (~1 KB less gzip
 * of the main file; the split files gained nothing in all, and wasm-opt warns about the name
 * subsections wasm-split writes, so theirs keep their order). The names are not written out.
 */
async function optimiseAgain(path, { byName = false } = {}) {
  const html = await readFile('index.html', 'utf8');
  const params = (/data-wasm-opt-params="([^"]*)"/.exec(html)?.[1] ?? '').split(/\s+/).filter(Boolean);
  if (byName) params.push('--reorder-functions-by-name');
  const run = spawnSync('wasm-opt', ['-Oz', ...params, path, '-o', path], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`wasm-opt failed (${run.status ?? run.error})`);
}

// ---------------------------------------------------------------- short export names
// wasm-bindgen exports its closure adapters under their Rust paths (hundreds of characters
// each); the glue calls them as `wasm.NAME` (and names a local function of its own the same,
// which terser shortens anyway). Each long export the glue reads only as `wasm.NAME`, never
// as a string, gets a short name ("x0", "x1"…) in the wasm and at each `wasm.NAME`.
function shortenExports(wasm, glue) {
  const names = exportNames(wasm);
  const taken = new Set(names);
  const renames = new Map();
  let next = 0;
  const property = (n) => new RegExp(`(?<![\\w$.])wasm\\.${escape(n)}(?![\\w$])`, 'g');
  for (const n of names) {
    if (n.length < 24 || !/^[\w$]+$/.test(n)) continue;
    if (!property(n).test(glue) || glue.includes(`'${n}'`) || glue.includes(`"${n}"`) || glue.includes(`\`${n}`)) continue;
    let short; do short = `x${(next++).toString(36)}`; while (taken.has(short));
    renames.set(n, short);
  }
  for (const [from, to] of renames) glue = glue.replace(property(from), `wasm.${to}`);
  return { wasm: rewriteExports(wasm, (n) => renames.get(n) ?? n), glue, renamed: renames.size };
}

// ---------------------------------------------------------------- custom sections
// What the tools wrote about themselves ("producers": rustc, walrus, wasm-bindgen versions),
// the wasm features the compiler assumed ("target_features") and Leptos' marker for wasm
// splitting: the browser reads none of them. ~280 bytes that hardly compress.
function dropCustomSections(wasm) {
  const parts = [wasm.subarray(0, 8)];
  for (const s of sections(wasm)) {
    if (s.id !== 0) parts.push(Buffer.from([s.id]), uleb(s.end - s.start), wasm.subarray(s.start, s.end));
  }
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------- second wasm file
// A split build (`--cfg studio_split`, scripts/release-build.sh) marks the steps after the
// date and time as a split point: their code imports its loader from the placeholder module
// "__wasm_split_placeholder__". wasm-split-cli cuts the linked wasm (built with its
// relocations, before wasm-bindgen) into the main file and `split_later_steps.wasm`, and
// writes the JS that fetches the second file (`__wasm_split.js`). The main file then goes
// through wasm-bindgen (keeping the function table and globals the second file shares) and
// wasm-opt as trunk would have run them, replacing trunk's output. The loader JS is put inside
// the glue (its exports become the import object's module), so that the glue needs no second
// module request before the wasm can start.
const RAW = join(process.env.CARGO_TARGET_DIR ?? 'target', 'wasm32-unknown-unknown', 'release', 'studio_booking.wasm');
const PLACEHOLDER = '__wasm_split_placeholder__';
const LINK = '__wasm_split.js';

function run(command, args) {
  const done = spawnSync(command, args, { stdio: 'inherit' });
  if (done.status !== 0) throw new Error(`${command} failed (${done.status ?? done.error})`);
}

/** How long a split wasm file may take to arrive whole: the loader's SPLIT_FILE_DEADLINE_MS
 * (its early fetch of the date and time step has the same deadline), read from the loader so
 * that it is written in one place. */
async function splitFileDeadline() {
  const loader = await readFile(join(dir, 'studio-booking.js'), 'utf8');
  const ms = /const SPLIT_FILE_DEADLINE_MS = (\d+);/.exec(loader)?.[1];
  if (!ms) throw new Error('the loader has no "const SPLIT_FILE_DEADLINE_MS = …;"');
  return Number(ms);
}

/** The split runtime's module, written as an expression inside the glue. */
function inlineLink(glue, link, deadlineMs) {
  // wasm-bindgen imports the module once per split point, under as many names.
  const importLine = new RegExp(`^import \\* as (\\w+) from "\\./${escape(LINK)}";?\\n`, 'gm');
  const names = [...glue.matchAll(importLine)].map((m) => m[1]);
  if (!names.length) throw new Error(`the glue does not import ./${LINK}`);
  const ownImport = new RegExp(`^import \\{ initSync \\} from "\\./${escape(GLUE)}";?\\n`, 'm');
  if (!ownImport.test(link)) throw new Error(`${LINK} does not import initSync from the glue`);
  const exported = [...link.matchAll(/^export const (\w+) = /gm)].map((m) => m[1]);
  if (!exported.length) throw new Error(`${LINK} exports nothing`);
  // Each file is fetched where the loader has not already fetched and compiled it
  // (`offer_file`: the loader's early compile, used once; a retry fetches afresh), with a
  // deadline: a stalled download ends as a failure the step shows with "Try again", not as a
  // waiting line for ever.
  const fetchOf = /fetch\(new URL\(("\.\/([\w.-]+\.wasm)"), import\.meta\.url\)\)/g;
  const instantiateOf = /WebAssembly\.instantiateStreaming\(src, imports\)/g;
  if (!fetchOf.test(link) || !instantiateOf.test(link)) throw new Error(`${LINK} does not fetch and instantiate as expected`);
  const body = link.replace(ownImport, '').replace(/^export const /gm, 'const ')
    .replace(fetchOf, (_, quoted, file) => `(takeOffered("${file}") ?? fetch(new URL(${quoted}, import.meta.url), { signal: AbortSignal.timeout(${deadlineMs}) }))`)
    .replace(instantiateOf, 'instantiateFile(src, imports)');
  const module = `const offeredFiles = new Map();
function takeOffered(file) { const m = offeredFiles.get(file); offeredFiles.delete(file); return m; }
/** The loader hands over a file it fetched and compiled early (a promise of its Module). */
export function offer_file(file, module) { offeredFiles.set(file, module); }
// A module the loader compiled is instantiated at once (synchronously: no task, and so no
// paint, between the main file's start and the step's first draw).
async function instantiateFile(src, imports) {
  const got = await src;
  return got instanceof WebAssembly.Module ? new WebAssembly.Instance(got, imports) : WebAssembly.instantiateStreaming(got, imports);
}
const ${names[0]} = (() => {\n${body}\nreturn { ${exported.join(', ')} };\n})();\n${names.slice(1).map((n) => `const ${n} = ${names[0]};\n`).join('')}`;
  // After the glue's own definitions (initSync is a function declaration, hoisted): the
  // module object is only read when the wasm is instantiated.
  return glue.replace(importLine, '') + module;
}

/** The files a split point's load fetches, as the split runtime `link` writes them: the
 * point's own file and the files of the modules it waits for (code it shares with others). */
function filesOf(link, point) {
  const loadOf = (name) => new RegExp(`const ${name} = (?:wrapAsyncCb\\()?makeLoad\\(\\(\\) => \\{[^}]*?"\\.\\/([\\w.-]+\\.wasm)"[\\s\\S]*?\\n, \\[([\\w, ]*)\\]\\)`).exec(link);
  const own = loadOf(`__wasm_split_load_${point}`);
  if (!own) throw new Error(`${LINK} does not load the split point ${point} as expected`);
  const deps = own[2].split(',').map((d) => d.trim()).filter(Boolean).map((d) => {
    const dep = loadOf(d);
    if (!dep) throw new Error(`${LINK} does not load ${d} as expected`);
    return dep[1];
  });
  return [...deps, own[1]];
}

/** Names in the loader the files of the date and time step's code, which it fetches early
 * for a preselected session type. */
async function nameDateTimeFiles(files) {
  const path = join(dir, 'studio-booking.js');
  const loader = await readFile(path, 'utf8');
  const empty = 'const DATE_TIME_FILES = [];';
  if (!loader.includes(empty)) throw new Error(`the loader has no "${empty}"`);
  await writeFile(path, loader.replace(empty, `const DATE_TIME_FILES = ${JSON.stringify(files)};`));
}

async function splitWasm() {
  let raw;
  try { raw = await readFile(RAW); } catch { return 0; }
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(raw));
  if (!imports.some((i) => i.module === PLACEHOLDER)) return 0;
  const work = await mkdtemp(join(tmpdir(), 'studio-split-'));
  run('wasm-split-cli', [RAW, work, '--out-name', GLUE.replace(/\.js$/, '')]);
  run('wasm-bindgen', ['--target=web', `--out-dir=${work}/bindgen`, `--out-name=${GLUE.replace(/\.js$/, '')}`, '--no-typescript', '--keep-lld-exports', join(work, WASM.replace('_bg', ''))]);
  // split_<point>.wasm for each split point, chunk_<n>.wasm for code two of them share.
  const chunks = (await readdir(work)).filter((f) => f.endsWith('.wasm') && f !== WASM.replace('_bg', ''));
  // Each is published under a name with its content's hash (split_later_steps.<hash>.wasm):
  // the files of one build call each other by position in a shared table, so a cache must
  // never hand one build's split file to another build's main file.
  const published = new Map();
  for (const chunk of chunks) {
    // Without wasm-split's name sections (which wasm-opt does not read, and the browser never uses).
    const path = join(work, `opt-${chunk}`);
    await writeFile(path, dropCustomSections(await readFile(join(work, chunk))));
    await optimiseAgain(path);
    const bytes = await readFile(path);
    const name = chunk.replace(/\.wasm$/, `.${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.wasm`);
    await writeFile(join(dir, name), bytes);
    published.set(chunk, name);
  }
  const link = (await readFile(join(work, LINK), 'utf8'))
    .replace(/"\.\/([\w.-]+\.wasm)"/g, (quoted, file) => (published.has(file) ? `"./${published.get(file)}"` : quoted));
  await writeFile(join(dir, GLUE), inlineLink(await readFile(join(work, 'bindgen', GLUE), 'utf8'), link, await splitFileDeadline()));
  await copyFile(join(work, 'bindgen', WASM), join(dir, WASM));
  await optimiseAgain(join(dir, WASM), { byName: true });
  await nameDateTimeFiles(filesOf(link, 'date_time_step'));
  await rm(work, { recursive: true, force: true });
  return chunks.length;
}

// trunk runs no wasm-opt (index.html): it is run here, on the split files or on trunk's one.
const split = await splitWasm();
if (split) console.log(`[minify] the wasm split: ${split} more file(s) loaded on demand`);
else await optimiseAgain(join(dir, WASM), { byName: true });

const wasmPath = join(dir, WASM);
const gluePath = join(dir, GLUE);
const before = (await readFile(wasmPath)).length;
const unused = dropUnusedClasses(await readFile(wasmPath), await readFile(gluePath, 'utf8'));
if (unused.dropped) {
  await writeFile(wasmPath, unused.wasm);
  await optimiseAgain(wasmPath);
}
const exported = shortenExports(await readFile(wasmPath), unused.glue);
const shorter = shortenImports(exported.wasm, exported.glue);
shorter.wasm = dropCustomSections(shorter.wasm);
await writeFile(wasmPath, shorter.wasm);
await writeFile(gluePath, shorter.glue);
console.log(`[minify] ${WASM}: ${unused.dropped} unused classes dropped, ${exported.renamed} exports and ${shorter.renamed} imports renamed, ${before} -> ${shorter.wasm.length} bytes`);

// ---------------------------------------------------------------- JavaScript
const files = [
  // The loader runs as a classic or a module script: no top-level names of its own (one IIFE).
  ['studio-booking.js', { module: false }],
  // The glue is an ES module: its exports keep their names, the wasm's imports are properties.
  [GLUE, { module: true }],
  ['frame.js', { module: false }],
];
// The glue's functions are nearly all called as soon as the wasm runs (about 200 of them are
// the wasm's imports). V8 compiles a function on its first call, on the main thread, after the
// wasm has arrived; Chrome's explicit compile hint (a magic comment as the file's first line,
// shipped in Chrome 136; other browsers read a comment) has them all compiled while the file
// streams, off the main thread. Measured (slow network, CPU 4x, 12 rounds interleaved): the
// time from the wasm's arrival to the painted list 235 -> 196 ms, to the preselected month's
// days 313 -> 281 ms.
const COMPILE_ALL = '//# allFunctionsCalledOnLoad\n';
for (const [file, options] of files) {
  const path = join(dir, file);
  const source = await readFile(path, 'utf8');
  const out = await minify(source, { ...options, ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  if (file === GLUE) out.code = COMPILE_ALL + out.code;
  await writeFile(path, out.code);
  console.log(`[minify] ${file}: ${source.length} -> ${out.code.length} bytes`);
}
