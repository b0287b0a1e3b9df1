// Minifies the JavaScript a host page loads (the loader, the wasm-bindgen glue, the iframe
// page's script) in a release build. Run by trunk as a post_build hook (Trunk.toml) on its
// staging directory; a debug build is left as written. The sources stay readable in the
// repository (loader/ and wasm-bindgen's output); only what a CDN serves is minified.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify } from 'terser';

if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run by trunk');

const files = [
  // The loader runs as a classic or a module script: no top-level names of its own (one IIFE).
  ['studio-booking.js', { module: false }],
  // The glue is an ES module: its exports keep their names, the wasm's imports are properties.
  ['studio-booking-widget.js', { module: true }],
  ['frame.js', { module: false }],
];
for (const [name, options] of files) {
  const path = join(dir, name);
  const source = await readFile(path, 'utf8');
  const out = await minify(source, { ...options, ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  await writeFile(path, out.code);
  console.log(`[minify] ${name}: ${source.length} -> ${out.code.length} bytes`);
}
