// JavaScript read as a syntax tree (acorn, the parser terser is built on) and edited by the
// source ranges of its nodes: each edit replaces exactly the text of a node the tree names,
// so no pattern can match in a string, a comment or a longer name by accident.
import * as acorn from 'acorn';

/** The syntax tree of `source` (an ES module unless `module` is false). */
export function parse(source, { module = true } = {}) {
  return acorn.parse(source, { ecmaVersion: 'latest', sourceType: module ? 'module' : 'script', allowHashBang: true });
}

/** Every node of the tree, depth first, with its parent: [{ node, parent }]. */
export function* walk(node, parent = null) {
  yield { node, parent };
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent') continue;
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child.type === 'string') yield* walk(child, node);
    } else if (value && typeof value.type === 'string') {
      yield* walk(value, node);
    }
  }
}

/** `source` with each edit ({ start, end, text }) applied; edits may not overlap. */
export function applyEdits(source, edits) {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const { start, end, text } of sorted) {
    if (start < at) throw new Error(`overlapping edits at ${start}`);
    out += source.slice(at, start) + text;
    at = end;
  }
  return out + source.slice(at);
}

/** A string literal's value, or undefined for any other node. */
export const stringOf = (node) => (node?.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined);

/** The name of a non-computed property key or member (`a.name`, `{ name: … }`, `{ "name": … }`). */
export function keyName(node, computed = false) {
  if (computed) return stringOf(node);
  return node.type === 'Identifier' ? node.name : stringOf(node);
}
