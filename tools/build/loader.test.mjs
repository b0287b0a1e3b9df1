import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { runInNewContext } from 'node:vm';
import { assemble } from './loader.mjs';
import { FIRST_SCREEN_MESSAGES, LOADER_MESSAGES } from './pipeline.mjs';
import { parse, walk } from './js-edit.mjs';

/** Whether the script still reads FACTS or BUILD (comments aside). */
const readsUnassembled = (source, module = false) => [...walk(parse(source, { module }))].some(({ node }) => node.type === 'Identifier' && ['FACTS', 'BUILD'].includes(node.name));

const FACTS = { element: 'x-el', deadlinesMs: { splitFile: 20000, widgetFiles: 8000 }, events: ['ready'], paths: { a: 'p/{id}' } };

test('each FACTS and BUILD read becomes a constant at the start of the IIFE', () => {
  const source = `/*! header */\n(() => {\n  const n = FACTS.deadlinesMs.splitFile + FACTS.events.length;\n  globalThis.out = [n, FACTS.element, BUILD.dateTimeFiles, FACTS.paths.a.replace('{id}', 7)];\n})();\n`;
  const out = assemble(source, { FACTS, BUILD: { dateTimeFiles: ['d.1.wasm'] } });
  assert.match(out, /^\/\*! header \*\/\n\(\(\) => \{\n {2}\/\/ From the build/);
  assert.match(out, /const FACTS\$deadlinesMs\$splitFile = 20000;/);
  assert.match(out, /const FACTS\$events = \["ready"\];/);
  assert.match(out, /const BUILD\$dateTimeFiles = \["d\.1\.wasm"\];/);
  assert.doesNotMatch(out, /FACTS\./);
  assert.doesNotMatch(out, /widgetFiles/, 'a fact it does not read is not in the file');
  const sandbox = {};
  runInNewContext(out, sandbox);
  assert.equal(JSON.stringify(sandbox.out), JSON.stringify([20001, 'x-el', ['d.1.wasm'], 'p/7']));
});

test('a fact interface.json does not have, a computed read, or no IIFE, is refused', () => {
  assert.throws(() => assemble('(() => { FACTS.nope; })();', { FACTS }), /reads nope/);
  assert.throws(() => assemble('(() => { FACTS.deadlinesMs.nope; })();', { FACTS }), /reads deadlinesMs\.nope/);
  assert.throws(() => assemble('(() => { const k = "element"; FACTS[k]; })();', { FACTS }), /other than as FACTS\.property/);
  assert.throws(() => assemble('(() => { f(FACTS); })();', { FACTS }), /other than as FACTS\.property/);
  assert.throws(() => assemble('(() => { const FACTS = 1; })();', { FACTS }), /declares FACTS/);
  assert.throws(() => assemble('FACTS.element; (() => {})();', { FACTS }), /one immediately called function/);
  assert.throws(() => assemble('(() => { BUILD.dateTimeFiles; })();', { FACTS }), /uses BUILD, which it is not given/);
});

test('the real loader and frame script read only facts interface.json has', async () => {
  const facts = JSON.parse(await readFile(new URL('../../interface.json', import.meta.url), 'utf8'));
  const messages = Object.fromEntries(LOADER_MESSAGES.map((name, i) => [name, [i, name]]));
  const build = { dateTimeFiles: [], messagesKey: '0', messages, css: '', stylesExport: 'x', firstScreen: 'first-screen.js', popup: 'popup.js', frameHost: 'frame-host.js' };
  const firstScreen = { messages: Object.fromEntries(FIRST_SCREEN_MESSAGES.map((name, i) => [name, [i, name]])) };
  for (const [file, constants, module] of [['studio-booking.js', { FACTS: facts, BUILD: build }], ['first-screen.js', { FACTS: facts, BUILD: firstScreen }, true], ['popup.js', { FACTS: facts, BUILD: { css: '' } }, true], ['frame.js', { FACTS: facts }]]) {
    const source = await readFile(new URL(`../../loader/${file}`, import.meta.url), 'utf8');
    const out = assemble(source, constants, { name: file, module });
    assert.equal(readsUnassembled(out, module), false, file);
    if (!module) assert.match(out, /const FACTS\$element = "studio-booking";/, file);
  }
});
