import { test } from 'node:test';
import assert from 'node:assert/strict';
import binaryen from 'binaryen';
import { dropClassesFromGlue, dropExports } from './unused.mjs';
import { parse } from './js-edit.mjs';

// The shape wasm-bindgen 0.2.130 gives a #[wasm_bindgen] class, and a function that stays.
const GLUE = `let wasm;
export class IntoUnderlyingSink {
    free() { const ptr = this.__wbg_ptr; IntoUnderlyingSinkFinalization.unregister(this); wasm.__wbg_intounderlyingsink_free(ptr, 0); }
    write(chunk) { return wasm.intounderlyingsink_write(this.__wbg_ptr, chunk); }
}
if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;
export function mount_widget(el) { wasm.mount_widget(el); }
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));
`;

test('the class, its registry and its dispose line leave the glue; the exports only they read are named', () => {
  const out = dropClassesFromGlue(GLUE);
  parse(out.glue);
  assert.equal(out.classes, 1);
  assert.deepEqual(out.exports, ['__wbg_intounderlyingsink_free', 'intounderlyingsink_write']);
  assert.ok(!out.glue.includes('IntoUnderlying'));
  assert.ok(out.glue.includes('export function mount_widget(el) { wasm.mount_widget(el); }'));
});

test('refused when the rest of the glue still reads one of their exports', () => {
  assert.throws(() => dropClassesFromGlue(`${GLUE}export function sneaky(p) { wasm.intounderlyingsink_write(p, 0); }\n`), /still reads intounderlyingsink_write/);
});

test('a glue without the classes is left as it is', () => {
  const glue = 'let wasm;\nexport function f() { wasm.f(); }\n';
  assert.deepEqual(dropClassesFromGlue(glue), { glue, exports: [], classes: 0 });
});

test('the exports leave the wasm; the rest stays', () => {
  const m = binaryen.parseText(`(module
    (func (export "mount_widget"))
    (func (export "intounderlyingsink_write") (param i32 i32) (result i32) (local.get 0)))`);
  const bytes = m.emitBinary(); m.dispose();
  const out = dropExports(bytes, ['intounderlyingsink_write']);
  assert.deepEqual(WebAssembly.Module.exports(new WebAssembly.Module(out)).map((e) => e.name), ['mount_widget']);
  assert.throws(() => dropExports(bytes, ['nope']), /no export nope/);
});
