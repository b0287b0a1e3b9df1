// Checks of a release build in dist/ (run by scripts/test.sh after `scripts/release-build.sh`,
// `node --test tools/build/dist.check.mjs`): the byte gate of the first screens, and the npm
// package dist/ makes. Not a unit test: it needs the build (and so is not named *.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { BUDGETS } from './budgets.mjs';
import { readManifest } from './manifest.mjs';

const dist = process.env.DIST ?? fileURLToPath(new URL('../../dist', import.meta.url));
const built = await readManifest(dist);
const gzip = async (name) => gzipSync(await readFile(join(dist, name)), { level: 9 }).length;
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const exact = (n) => `${kb(n)} (${n} bytes)`;

test('byte gate: the first screens within their budgets (gzip -9)', async () => {
  const [loader, ...code] = built.firstScreen;
  const preselected = [loader, ...code, ...built.dateTimeFiles];
  assert.ok(built.dateTimeFiles.length > 0, 'a release build has the date and time step in files of its own');
  const figures = {};
  for (const name of [...built.listScreen, ...preselected]) figures[name] ??= await gzip(name);
  const sum = (names) => names.reduce((n, f) => n + figures[f], 0);
  for (const name of Object.keys(figures)) console.log(`${name.padEnd(48)} ${kb(figures[name]).padStart(9)}`);
  console.log(`the list drawn before the wasm (loader + its drawing) ${exact(sum(built.listScreen))}, budget ${kb(BUDGETS.listScreen)}`);
  console.log(`the widget's code (glue + main wasm)          ${exact(sum(code))}, budget ${kb(BUDGETS.widgetCode)}`);
  console.log(`preselected session type (+ date and time)    ${exact(sum(preselected))}, budget ${kb(BUDGETS.preselected)}`);
  assert.ok(sum(built.listScreen) <= BUDGETS.listScreen, `the list's first screen is ${kb(sum(built.listScreen))}, over ${kb(BUDGETS.listScreen)}`);
  assert.ok(sum(code) <= BUDGETS.widgetCode, `the glue and the main wasm are ${kb(sum(code))}, over ${kb(BUDGETS.widgetCode)}`);
  assert.ok(sum(preselected) <= BUDGETS.preselected, `the preselected first screen is ${kb(sum(preselected))}, over ${kb(BUDGETS.preselected)}`);
});

test('every language file within its budget (gzip -9)', async () => {
  assert.ok(built.languageFiles.length >= 14, 'a file for each language but English, and the pseudo-language');
  for (const name of built.languageFiles) {
    const bytes = await gzip(name);
    console.log(`${name.padEnd(16)} ${exact(bytes)}`);
    assert.ok(bytes <= BUDGETS.languageFile, `${name} is ${kb(bytes)}, over ${kb(BUDGETS.languageFile)}`);
  }
});

test('the manifest names every file of dist/ but the demo page', async () => {
  const onDisk = (await readdir(dist, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dist.length).replace(/^\/+/, ''))
    .filter((f) => !['index.html', 'build-manifest.json'].includes(f)).sort();
  assert.deepEqual([...built.published].sort(), onDisk);
});

test('npm pack: the package holds the loader, the first screen, the popup button, the frame host, glue, every wasm file, frame.html/js, the language files and package.json, nothing else', async () => {
  const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dist, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const [pack] = JSON.parse(run.stdout);
  const files = pack.files.map((f) => f.path).sort();
  const wasm = (await readdir(dist)).filter((f) => f.endsWith('.wasm'));
  const expected = ['studio-booking.js', 'first-screen.js', 'popup.js', 'frame-host.js', 'studio-booking-widget.js', ...wasm, 'frame.html', 'frame.js', ...built.languageFiles, 'package.json'].sort();
  assert.deepEqual(files, expected);
  assert.ok(wasm.some((f) => /^split_date_time_step\.[0-9a-f]{12}\.wasm$/.test(f)), 'the hashed split files');
  const pkg = JSON.parse(await readFile(join(dist, 'package.json'), 'utf8'));
  const cargo = await readFile(new URL('../../Cargo.toml', import.meta.url), 'utf8');
  assert.equal(pack.name, 'studio-booking');
  assert.equal(pack.version, pkg.version);
  assert.ok(cargo.includes(`version = "${pkg.version}"`), 'the version is the crate\'s');
  for (const key of ['scripts', 'dependencies']) assert.ok(!(key in pkg), `no ${key}`);
  console.log(`npm pack: ${pack.filename}, ${pack.entryCount} files, ${kb(pack.size)} packed, ${kb(pack.unpackedSize)} unpacked`);
});
