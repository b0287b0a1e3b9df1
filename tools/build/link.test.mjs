import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { filesOf, inlineLink, renameFiles } from './link.mjs';
import { parse } from './js-edit.mjs';

// The split runtime as wasm-split-cli 0.2.4 wrote it for this widget (two split points that
// share one chunk), and a glue reduced to what the step reads.
const LINK = await readFile(new URL('./fixtures/__wasm_split.js', import.meta.url), 'utf8');
const GLUE = `import * as import1 from "./__wasm_split.js"
import * as import2 from "./__wasm_split.js"
let wasm;
function __wbg_get_imports() { return { __proto__: null, "./__wasm_split.js": import1, "./__wasm_split.js": import2 }; }
export function initSync(module) { return wasm; }
`;

test('the files of a split point: the chunks it waits for, then its own', () => {
  assert.deepEqual(filesOf(LINK, 'date_time_step'), ['chunk_3.wasm', 'split_date_time_step.wasm']);
  assert.deepEqual(filesOf(LINK, 'later_steps'), ['chunk_3.wasm', 'split_later_steps.wasm']);
  assert.throws(() => filesOf(LINK, 'nowhere'), /no load of the split point nowhere/);
});

test('the split files renamed to their published names, only in the file literals', () => {
  const renamed = renameFiles(LINK, new Map([['chunk_3.wasm', 'chunk_3.0123456789ab.wasm']]));
  assert.ok(renamed.includes('new URL("./chunk_3.0123456789ab.wasm", import.meta.url)'));
  assert.ok(!renamed.includes('"./chunk_3.wasm"'));
  assert.deepEqual(filesOf(renamed, 'later_steps'), ['chunk_3.0123456789ab.wasm', 'split_later_steps.wasm']);
});

test('the runtime inside the glue: no module import left, offered files first, deadlines', async () => {
  const out = inlineLink(GLUE, LINK, { glueName: 'studio-booking-widget.js', deadlineMs: 20000 });
  parse(out); // still a module
  assert.ok(!out.includes('from "./__wasm_split.js"'));
  assert.ok(!/import \{ initSync \}/.test(out));
  assert.match(out, /export function offer_file\(file, module\)/);
  assert.match(out, /const import1 = \(\(\) => \{/);
  assert.match(out, /const import2 = import1;/);
  assert.match(out, /return \{ __wasm_split_load_later_steps, __wasm_split_load_date_time_step \};/);
  for (const f of ['chunk_3.wasm', 'split_later_steps.wasm', 'split_date_time_step.wasm']) {
    assert.ok(out.includes(`(takeOffered("${f}") ?? fetch(new URL("./${f}", import.meta.url), { signal: AbortSignal.timeout(20000) }))`), f);
  }
  assert.ok(!out.includes('WebAssembly.instantiateStreaming(src'), 'every instantiation goes through instantiateFile');
});

test('the runtime, run: an offered module is instantiated without a fetch; others are fetched with a deadline', async () => {
  // The glue above with a fake wasm: initSync gives the shared exports; fetch is recorded.
  const source = inlineLink(GLUE.replace('return wasm;', 'return { __indirect_function_table: { get: () => () => {} }, __wasm_split_shared0: 0, memory: 0 };'), LINK, { glueName: 'studio-booking-widget.js', deadlineMs: 1234 })
    .replaceAll('import.meta.url', '"https://cdn.example/x/g.js"');
  const fetched = [];
  const empty = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  globalThis.fetch = async (url, init) => { fetched.push([String(url), init?.signal instanceof AbortSignal]); return new Response(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), { headers: { 'content-type': 'application/wasm' } }); };
  const url = `data:text/javascript;base64,${Buffer.from(`${source}\nexport { import1 };`).toString('base64')}`;
  try {
    const glue = await import(url);
    glue.offer_file('chunk_3.wasm', Promise.resolve(empty));
    await glue.import1.__wasm_split_load_date_time_step(0, 0);
    assert.deepEqual(fetched, [['https://cdn.example/x/split_date_time_step.wasm', true]]);
  } finally { delete globalThis.fetch; }
});
