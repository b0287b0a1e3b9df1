// The unused-classes step: Leptos' server functions (unused by a client-side widget) bring
// wasm-streams, whose three #[wasm_bindgen] classes (IntoUnderlyingSource, IntoUnderlyingSink,
// IntoUnderlyingByteSource) wasm-bindgen must keep: exports are never dead to it. Nothing
// here uses them. Each class leaves the glue (its declaration, its finalization registry, its
// Symbol.dispose line: the top-level statements that name it), the exports only they read
// leave the wasm (binaryen's JS API, before wasm-opt, whose -Oz then drops the code only they
// reached). Refused if anything else in the glue still reads one of those exports.
import binaryen from 'binaryen';
import { applyEdits, parse, walk } from './js-edit.mjs';

export const UNUSED_CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];
const EXPORTS_VAR = 'wasm';

/** The `wasm.NAME` reads under `node`. */
const exportReads = (node) => [...walk(node)]
  .filter(({ node: n }) => n.type === 'MemberExpression' && !n.computed && n.object.type === 'Identifier' && n.object.name === EXPORTS_VAR)
  .map(({ node: n }) => n.property.name);

/** The glue without the classes: { glue, exports (names only they read), classes (how many) }. */
export function dropClassesFromGlue(glue, classes = UNUSED_CLASSES) {
  const tree = parse(glue);
  const names = (node) => new Set([...walk(node)].filter(({ node: n }) => n.type === 'Identifier').map(({ node: n }) => n.name));
  const gone = [];
  const kept = [];
  const found = new Set();
  for (const statement of tree.body) {
    const declared = statement.type === 'VariableDeclaration' ? statement.declarations.map((d) => d.id.name) : [];
    const named = names(statement);
    const cls = classes.find((c) => named.has(c) || declared.includes(`${c}Finalization`));
    const isClass = statement.type === 'ExportNamedDeclaration' && statement.declaration?.type === 'ClassDeclaration';
    if (cls && (isClass || declared.length || statement.type === 'IfStatement' || statement.type === 'ExpressionStatement')) {
      if (isClass) found.add(statement.declaration.id.name);
      gone.push(statement);
    } else kept.push(statement);
  }
  if (found.size === 0) return { glue, exports: [], classes: 0 };
  const goneReads = new Set(gone.flatMap(exportReads));
  const keptReads = new Set(kept.flatMap(exportReads));
  const stillRead = [...goneReads].filter((n) => keptReads.has(n));
  if (stillRead.length) throw new Error(`unused: the glue still reads ${stillRead.join(', ')}`);
  for (const c of found) {
    if (kept.some((s) => names(s).has(c))) throw new Error(`unused: the glue still names ${c}`);
  }
  const edits = gone.map((s) => ({ start: s.start, end: glue[s.end] === '\n' ? s.end + 1 : s.end, text: '' }));
  return { glue: applyEdits(glue, edits), exports: [...goneReads].sort(), classes: found.size };
}

/** The wasm without the exports `names` (binaryen's JS API; names sections kept for wasm-opt). */
export function dropExports(bytes, names) {
  const module = binaryen.readBinary(bytes);
  try {
    for (const name of names) {
      if (!module.getExport(name)) throw new Error(`unused: the wasm has no export ${name}`);
      module.removeExport(name);
    }
    binaryen.setDebugInfo(true); // keep the function names: wasm-opt orders by them (wasm-opt.mjs)
    return module.emitBinary();
  } finally {
    binaryen.setDebugInfo(false);
    module.dispose();
  }
}
