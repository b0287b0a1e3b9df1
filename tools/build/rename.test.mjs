import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import binaryen from 'binaryen';
import { shortNames } from './rename.mjs';

// A wasm shaped like wasm-bindgen's: imports named after the glue's module with hashes (one
// the wasm never calls, which -Oz drops), one from the split runtime, long exports.
const LONG = 'wasm_bindgen_5f56a4f1be57f775___convert__closures_____invoke_______true_';
const WASM = (() => {
  const m = binaryen.parseText(`(module
    (import "./g_bg.js" "__wbg_add_0123456789abcdef" (func $add (param i32 i32) (result i32)))
    (import "./g_bg.js" "__wbg_unused_0123456789abcdef" (func $unused (param i32)))
    (import "./__wasm_split.js" "__wasm_split_load_later" (func $load (result i32)))
    (memory (export "memory") 1)
    (func (export "${LONG}") (param i32) (result i32) (i32.add (call $add (local.get 0) (i32.const 1)) (call $load)))
    (func (export "mount_widget") (result i32) (i32.load (i32.const 0))))`);
  const bytes = m.emitBinary(); m.dispose(); return bytes;
})();
const GLUE = `const runtime = { __wasm_split_load_later: () => 100 };
let wasm;
export function call(x) { return wasm.${LONG}(x); }
export function mount_widget() { new Uint8Array(wasm.memory.buffer)[0] = 7; return wasm.mount_widget(); }
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_add_0123456789abcdef: function(a, b) { return a + b; },
        __wbg_unused_0123456789abcdef: function(a) { throw new Error('never called'); },
    };
    return { __proto__: null, "./g_bg.js": import0, "./__wasm_split.js": runtime };
}
export function initSync(module) {
    if (wasm !== undefined) return wasm;
    wasm = new WebAssembly.Instance(new WebAssembly.Module(module), __wbg_get_imports()).exports;
    return wasm;
}
export function shared() { const { memory } = initSync(undefined); return memory; }
`;

test('short names on both sides: the wasm and the glue still work together', async () => {
  const out = await shortNames(WASM, GLUE);
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(out.wasm));
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(out.wasm)).map((e) => e.name);
  assert.ok(imports.every((i) => i.module.length === 1 && i.name.length <= 2), JSON.stringify(imports));
  assert.equal(imports.length, 2, 'the unused import is gone');
  assert.ok(exports.every((n) => n.length <= 2), exports.join());
  assert.equal(out.dropped, 1);
  assert.ok(!out.glue.includes('__wbg_unused'), 'its function left the glue');
  assert.ok(!out.glue.includes(LONG));
  const dir = await mkdtemp(join(tmpdir(), 'rename-test-'));
  try {
    await writeFile(join(dir, 'g.mjs'), out.glue);
    const glue = await import(pathToFileURL(join(dir, 'g.mjs')).href);
    glue.initSync(out.wasm);
    assert.equal(glue.call(1), 102);
    assert.equal(glue.mount_widget(), 7);
    assert.ok(glue.shared() instanceof WebAssembly.Memory, 'a destructured export follows too');
  } finally { await rm(dir, { recursive: true }); }
});

test('a glue that reads an export the wasm does not have is refused', async () => {
  await assert.rejects(shortNames(WASM, GLUE.replace('return wasm.mount_widget();', 'return wasm.gone();')), /reads an export the wasm does not have: gone/);
});
