// The loader step: dist/studio-booking.js and dist/frame.js are assembled from their sources
// in loader/, which read the facts of interface.json as `FACTS.…` and what the build made as
// `BUILD.…` (e.g. `BUILD.dateTimeFiles`, the wasm files of the date and time step). Each such
// read is replaced by a constant of its own, declared at the start of the source's one
// top-level function (its IIFE): the files carry exactly the facts they read, in the same
// bytes as constants written by hand, and learn the build's file names without a request.
import { applyEdits, parse, walk } from './js-edit.mjs';

const mangled = (path) => path.join('$');
/** The names a loader source may read. */
const KNOWN = ['FACTS', 'BUILD'];

/** The value at `path` in `root`, or throws naming what is missing. */
function at(root, path, what) {
  let value = root;
  for (const [i, key] of path.entries()) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) {
      throw new Error(`${what} reads ${path.slice(0, i + 1).join('.')}, which it is not given`);
    }
    value = value[key];
  }
  return value;
}

/**
 * `source` (a classic script: one IIFE; or, with `module`, an ES module) with every read of
 * `NAME.a.b` of each `constants` entry (`{ FACTS: {...}, BUILD: {...} }`) replaced by a
 * constant `NAME$a$b` declared at the start of the IIFE (of the module). Reads must be plain
 * property chains (`FACTS.deadlinesMs.splitFile`); anything else (`FACTS[key]`, `FACTS` passed
 * whole) is refused, so that no fact is left out.
 */
export function assemble(source, constants, { name = 'the loader', module = false } = {}) {
  const tree = parse(source, { module });
  const [first, ...rest] = tree.body;
  const fn = first?.type === 'ExpressionStatement' && first.expression.type === 'CallExpression' ? first.expression.callee : null;
  if (!module && (rest.length || !fn || !['ArrowFunctionExpression', 'FunctionExpression'].includes(fn.type) || fn.body.type !== 'BlockStatement')) {
    throw new Error(`${name} must be one immediately called function, (() => { … })();`);
  }
  const reads = new Map(); // mangled name -> path
  const edits = [];
  for (const { node, parent } of walk(tree)) {
    if (node.type === 'Identifier' && KNOWN.includes(node.name) && !Object.hasOwn(constants, node.name)) {
      const isProperty = parent?.type === 'MemberExpression' && parent.property === node && !parent.computed;
      if (!isProperty) throw new Error(`${name} uses ${node.name}, which it is not given`);
    }
    if (node.type === 'Identifier' && Object.hasOwn(constants, node.name)) {
      const isDeclared = parent && ((parent.type === 'VariableDeclarator' && parent.id === node) || parent.type === 'FunctionDeclaration' || (parent.params ?? []).includes(node));
      if (isDeclared) throw new Error(`${name} declares ${node.name} itself`);
      const isRead = parent?.type === 'MemberExpression' && parent.object === node && !parent.computed;
      const isProperty = (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed)
        || (parent?.type === 'Property' && parent.key === node && !parent.computed && !parent.shorthand);
      if (!isRead && !isProperty) throw new Error(`${name} uses ${node.name} other than as ${node.name}.property`);
    }
  }
  // The longest chains: `FACTS.paths.monthAvailability` in `FACTS.paths.monthAvailability.length`
  // stops at the fact (a string), since the value of interface.json decides where a fact ends.
  const visit = (node) => {
    const path = [];
    let cur = node;
    while (cur.type === 'MemberExpression' && !cur.computed) { path.unshift(cur.property.name); cur = cur.object; }
    if (cur.type !== 'Identifier' || !Object.hasOwn(constants, cur.name) || !path.length) return false;
    // Walk down while the value is a plain object and the chain goes on.
    let depth = 0;
    let value = constants[cur.name];
    while (depth < path.length && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      at(constants[cur.name], path.slice(0, depth + 1), name);
      value = value[path[depth]];
      depth++;
    }
    if (depth === 0) throw new Error(`${name} reads ${cur.name}.${path[0]} of a value that is not an object`);
    // The member expression that ends at `depth`.
    let end = node;
    for (let i = path.length; i > depth; i--) end = end.object;
    const full = [cur.name, ...path.slice(0, depth)];
    reads.set(mangled(full), full);
    edits.push({ start: end.start, end: end.end, text: mangled(full) });
    return true;
  };
  const outermost = (node) => {
    if (node.type === 'MemberExpression' && visit(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (Array.isArray(value)) value.forEach((c) => c && typeof c.type === 'string' && outermost(c));
      else if (value && typeof value.type === 'string' && key !== 'parent') outermost(value);
    }
  };
  outermost(tree);
  const declarations = [...reads.values()]
    .sort((a, b) => a.join('.').localeCompare(b.join('.')))
    .map((path) => `  const ${mangled(path)} = ${JSON.stringify(at(constants[path[0]], path.slice(1), name))};\n`)
    .join('');
  const top = module ? (tree.body[0]?.start ?? 0) : fn.body.start + 1;
  edits.push({ start: top, end: top, text: module ? `// From the build (tools/build/loader.mjs).\n${declarations.replace(/^ {2}/gm, '')}\n` : `\n  // From the build (tools/build/loader.mjs).\n${declarations}` });
  return applyEdits(source, edits);
}
