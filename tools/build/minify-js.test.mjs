import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPILE_ALL, minifyJs } from './minify-js.mjs';

test('a module keeps its exports; the compile hint is the first line when asked', async () => {
  const out = await minifyJs('export function mount_widget(element) { return element.localName; }\n', { module: true, compileHint: true });
  assert.ok(out.startsWith(COMPILE_ALL));
  assert.match(out, /export\s*\{|export function mount_widget/);
  assert.ok(out.length < 90, out);
});

test('a classic script (the loader) stays one IIFE, with no top-level names and no comments', async () => {
  const source = '/*! the loader */\n(() => {\n  // a comment\n  const LONG_NAME = [20000];\n  globalThis.x = () => LONG_NAME;\n  globalThis.y = () => LONG_NAME;\n})();\n';
  const out = await minifyJs(source, { module: false });
  assert.ok(!out.includes('LONG_NAME') && !out.includes('comment') && !out.includes('the loader'), out);
  assert.match(out, /^\(\(\)=>\{/, out);
});
