import { test } from 'node:test';
import assert from 'node:assert/strict';
import binaryen from 'binaryen';
import { PLACEHOLDER, hasSplitPoints, hashedName } from './split.mjs';

const wasm = (wat) => { const m = binaryen.parseText(wat); const b = m.emitBinary(); m.dispose(); return b; };

test('a wasm marks split points when it imports from the placeholder module', () => {
  assert.equal(hasSplitPoints(wasm(`(module (import "${PLACEHOLDER}" "__wasm_split_load_later" (func (param i32 i32))))`)), true);
  assert.equal(hasSplitPoints(wasm('(module (import "env" "f" (func)))')), false);
});

test('a split file\'s published name carries 12 hex digits of its content\'s SHA-256', () => {
  const a = hashedName('split_later_steps.wasm', Buffer.from('one'));
  assert.match(a, /^split_later_steps\.[0-9a-f]{12}\.wasm$/);
  assert.equal(a, hashedName('split_later_steps.wasm', Buffer.from('one')));
  assert.notEqual(a, hashedName('split_later_steps.wasm', Buffer.from('two')));
  assert.throws(() => hashedName('x.js', Buffer.from('')));
});
