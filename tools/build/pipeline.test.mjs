import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from './pipeline.mjs';
import { parse, walk } from './js-edit.mjs';

test('a debug build (trunk build / trunk serve): the loader, first screen and frame script assembled, the styles, no split files, the manifest', async () => {
  const staging = await mkdtemp(join(tmpdir(), 'pipeline-test-'));
  try {
    for (const f of ['studio-booking.js', 'frame.js', 'frame.html', 'studio-booking-widget.js']) await writeFile(join(staging, f), '');
    await writeFile(join(staging, 'studio-booking-widget_bg.wasm'), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    const built = await build({ staging, release: false, crate: { version: '9.9.9', license: 'MIT' } });
    assert.deepEqual(built.dateTimeFiles, []);
    const loader = await readFile(join(staging, 'studio-booking.js'), 'utf8');
    assert.match(loader, /const BUILD\$dateTimeFiles = \[\];/);
    assert.match(loader, /const FACTS\$deadlinesMs\$splitFile = 20000;/);
    assert.ok(![...walk(parse(loader, { module: false }))].some(({ node }) => node.name === 'FACTS' || node.name === 'BUILD'), 'no FACTS or BUILD read left');
    assert.match(await readFile(join(staging, 'frame.js'), 'utf8'), /const FACTS\$frameCommands = \["reset"\];/);
    assert.equal(JSON.parse(await readFile(join(staging, 'package.json'), 'utf8')).version, '9.9.9');
    // The first screen's styles in the loader, the later steps' in the glue.
    assert.match(loader, /const BUILD\$css = ".*\.sb-type-list\{/);
    assert.match(await readFile(join(staging, 'studio-booking-widget.js'), 'utf8'), /export const studio_booking_styles = ".*\.sb-grid\{/);
    assert.match(await readFile(join(staging, 'popup.js'), 'utf8'), /const BUILD\$css = "\.sb-open-button\{/);
    const firstScreen = await readFile(join(staging, 'first-screen.js'), 'utf8');
    assert.match(firstScreen, /\nconst BUILD\$messages = \{"steps_label":\[\d+,"Booking steps"\]/);
    assert.ok(![...walk(parse(firstScreen))].some(({ node }) => node.name === 'FACTS' || node.name === 'BUILD'), 'no FACTS or BUILD read left');
    const frameHost = await readFile(join(staging, 'frame-host.js'), 'utf8');
    assert.ok(![...walk(parse(frameHost, { module: true }))].some(({ node }) => node.name === 'FACTS' || node.name === 'BUILD'), 'frame-host.js: no FACTS or BUILD read left');
    assert.deepEqual((await readdir(staging)).sort(), ['build-manifest.json', 'first-screen.js', 'frame-host.js', 'frame.html', 'frame.js', 'lang', 'package.json',
      'popup.js', 'studio-booking-widget.js', 'studio-booking-widget_bg.wasm', 'studio-booking.js']);
    // A language file for each language but English (built in), and the pseudo-language.
    assert.ok(built.languageFiles.includes('lang/fr.json') && built.languageFiles.includes('lang/en-XA.json'));
    assert.ok(!built.languageFiles.includes('lang/en.json'));
    const [key, text] = JSON.parse(await readFile(join(staging, 'lang', 'fr.json'), 'utf8'));
    assert.match(loader, new RegExp(`const BUILD\\$messagesKey = "${key}";`));
    assert.equal(text.split('\n').length, Object.keys(JSON.parse(await readFile(new URL('../../i18n/en.json', import.meta.url), 'utf8'))).length);
  } finally { await rm(staging, { recursive: true }); }
});
