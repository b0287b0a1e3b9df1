import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, keyName, parse, stringOf, walk } from './js-edit.mjs';

test('edits by node ranges; overlapping edits are refused', () => {
  const source = 'const a = "x"; // "x" in a comment\nf(a);';
  const [literal] = [...walk(parse(source))].map(({ node }) => node).filter((n) => stringOf(n) === 'x');
  assert.equal(applyEdits(source, [{ start: literal.start, end: literal.end, text: '"y"' }]), 'const a = "y"; // "x" in a comment\nf(a);');
  assert.throws(() => applyEdits(source, [{ start: 0, end: 5, text: '' }, { start: 3, end: 6, text: '' }]), /overlapping/);
});

test('property names, plain or quoted', () => {
  const tree = parse('({ a: 1, "b-c": 2, [d]: 3 })');
  const props = [...walk(tree)].map(({ node }) => node).filter((n) => n.type === 'Property');
  assert.deepEqual(props.map((p) => keyName(p.key, p.computed)), ['a', 'b-c', undefined]);
});
