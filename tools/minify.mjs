// Shrinks what a host page loads, in a release build: shortens the names by which the wasm
// imports the JS glue's functions, then minifies the JavaScript (the loader, the glue, the
// iframe page's script). Run by trunk as a post_build hook (Trunk.toml) on its staging
// directory, after wasm-bindgen and wasm-opt; a debug build is left as written. The sources
// stay readable in the repository (loader/ and wasm-bindgen's output).
import { readFile, writeFile } from 'node:fs/promises';
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

function shortenImports(wasm, glue) {
  const parts = [wasm.subarray(0, 8)];
  let pos = 8;
  let renamed = 0;
  const moduleKey = JSON.stringify(`./${GLUE.replace(/\.js$/, '_bg.js')}`);
  const moduleOk = glue.split(moduleKey).length === 2;
  while (pos < wasm.length) {
    const start = pos;
    const id = wasm[pos++];
    let size; [size, pos] = leb(wasm, pos);
    const end = pos + size;
    if (id !== 2) { parts.push(wasm.subarray(start, end)); pos = end; continue; }
    let p = pos; let count; [count, p] = leb(wasm, p);
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
    const content = Buffer.concat(body);
    parts.push(Buffer.from([2]), uleb(content.length), content);
    pos = end;
  }
  if (moduleOk) glue = glue.replace(moduleKey, '"w"');
  return { wasm: Buffer.concat(parts), glue, renamed };
}

const wasmPath = join(dir, WASM);
const gluePath = join(dir, GLUE);
const before = (await readFile(wasmPath)).length;
const shorter = shortenImports(await readFile(wasmPath), await readFile(gluePath, 'utf8'));
await writeFile(wasmPath, shorter.wasm);
await writeFile(gluePath, shorter.glue);
console.log(`[minify] ${WASM}: ${shorter.renamed} imports renamed, ${before} -> ${shorter.wasm.length} bytes`);

// ---------------------------------------------------------------- JavaScript
const files = [
  // The loader runs as a classic or a module script: no top-level names of its own (one IIFE).
  ['studio-booking.js', { module: false }],
  // The glue is an ES module: its exports keep their names, the wasm's imports are properties.
  [GLUE, { module: true }],
  ['frame.js', { module: false }],
];
for (const [file, options] of files) {
  const path = join(dir, file);
  const source = await readFile(path, 'utf8');
  const out = await minify(source, { ...options, ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  await writeFile(path, out.code);
  console.log(`[minify] ${file}: ${source.length} -> ${out.code.length} bytes`);
}
