import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import binaryen from 'binaryen';
import { BY_NAME, FEATURES, OPTIMISE, PASSES, STRIP, flags, wasmOpt } from './wasm-opt.mjs';

/** A tiny module with a dead function, a names section and a producers section. */
function fixture() {
  const m = binaryen.parseText(`(module
    (func $used (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func $unused (param i32) (result i32) (i32.mul (local.get 0) (i32.const 7))))`);
  m.addCustomSection('producers', new Uint8Array([1, 8, ...Buffer.from('language'), 1, 4, ...Buffer.from('Rust'), 0]));
  binaryen.setDebugInfo(true); // writes the names section
  const bytes = m.emitBinary();
  binaryen.setDebugInfo(false);
  m.dispose();
  return bytes;
}
const customs = (bytes) => ['name', 'producers', 'target_features']
  .filter((n) => WebAssembly.Module.customSections(new WebAssembly.Module(bytes), n).length);

test('flags: the features, -Oz and the strips in one place; by name only when asked', () => {
  const f = flags();
  for (const x of [...FEATURES, ...OPTIMISE, ...STRIP]) assert.ok(f.includes(x), x);
  assert.equal(f.filter((x) => x === '-Oz').length, PASSES);
  assert.ok(!f.includes(BY_NAME[0]));
  assert.ok(flags({ byName: true }).includes(BY_NAME[0]));
  assert.ok(!flags({ passes: 0 }).includes('-Oz'));
  assert.ok(!flags({ passes: 0 }).includes(OPTIMISE[0]));
});

test('wasm-opt makes the fixture smaller, drops dead code and every custom section, and it still runs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasm-opt-test-'));
  try {
    const path = join(dir, 'a.wasm');
    const before = fixture();
    assert.deepEqual(customs(before), ['name', 'producers']);
    await writeFile(path, before);
    wasmOpt(path, path, { byName: true });
    const after = await readFile(path);
    assert.ok(after.length < before.length, `${after.length} < ${before.length}`);
    assert.deepEqual(customs(after), []);
    const { instance } = await WebAssembly.instantiate(after);
    assert.equal(instance.exports.add(2, 3), 5);
    // Left unstripped, the producers section stays: the strip flags do the work.
    await writeFile(path, before);
    wasmOpt(path, path, { strip: false });
    assert.deepEqual(customs(await readFile(path)), ['producers']);
  } finally { await rm(dir, { recursive: true }); }
});
