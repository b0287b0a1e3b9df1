import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crateFacts, manifest, packageJson, readManifest, writeManifest } from './manifest.mjs';

const FILES = {
  loader: 'studio-booking.js', firstScreen: 'first-screen.js', popup: 'popup.js', frameHost: 'frame-host.js', glue: 'studio-booking-widget.js', wasm: 'studio-booking-widget_bg.wasm',
  dateTimeFiles: ['chunk_3.aaaaaaaaaaaa.wasm', 'split_date_time_step.bbbbbbbbbbbb.wasm'],
  laterStepsFiles: ['chunk_3.aaaaaaaaaaaa.wasm', 'split_later_steps.cccccccccccc.wasm'],
  frame: ['frame.html', 'frame.js'],
};

test('the manifest names each file once in `published`, package.json last', () => {
  const m = manifest({ ...FILES, version: '1.2.3' });
  assert.deepEqual(m.firstScreen, ['studio-booking.js', 'studio-booking-widget.js', 'studio-booking-widget_bg.wasm']);
  assert.deepEqual(m.listScreen, ['studio-booking.js', 'first-screen.js']);
  assert.deepEqual(m.published, ['studio-booking.js', 'first-screen.js', 'popup.js', 'frame-host.js', 'studio-booking-widget.js', 'studio-booking-widget_bg.wasm',
    'chunk_3.aaaaaaaaaaaa.wasm', 'split_date_time_step.bbbbbbbbbbbb.wasm', 'split_later_steps.cccccccccccc.wasm',
    'frame.html', 'frame.js', 'package.json']);
});

test('package.json: the template with version, license and files; no scripts or dependencies', async () => {
  const pkg = await packageJson(manifest({ ...FILES, version: '1.2.3' }), { license: 'MIT' });
  assert.equal(pkg.name, 'studio-booking');
  assert.equal(pkg.version, '1.2.3');
  assert.equal(pkg.license, 'MIT');
  assert.equal(pkg.main, 'studio-booking.js');
  assert.ok(!pkg.files.includes('package.json'));
  assert.equal(pkg.files.length, 11);
  for (const key of ['scripts', 'dependencies', '$comment', 'private']) assert.ok(!(key in pkg), key);
});

test('the crate\'s version and license come from Cargo.toml (cargo metadata)', () => {
  const { version, license } = crateFacts('studio-booking-widget', new URL('../..', import.meta.url).pathname);
  assert.match(version, /^\d+\.\d+\.\d+/);
  assert.equal(license, 'MIT');
});

test('written into a folder and read back', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'manifest-test-'));
  try {
    await writeManifest(dir, FILES, { version: '0.0.1', license: 'MIT' });
    assert.deepEqual((await readManifest(dir)).dateTimeFiles, FILES.dateTimeFiles);
    assert.equal(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).version, '0.0.1');
  } finally { await rm(dir, { recursive: true }); }
});
