// The rename step: short names between the main wasm and the JS glue. wasm-bindgen names each
// import after its function and a 16-digit hash ("__wbg_DateTimeFormat_9f29956ba0bd5d2c"),
// from a module named after the glue ("./studio-booking-widget_bg.js"), and each closure
// adapter export after its Rust path (hundreds of characters); the names are written in the
// wasm and in the glue, and hardly compress. binaryen's pass
// --minify-imports-and-exports-and-modules gives every import and export a short name ("a",
// "b"…, all imports from one module "a") and prints the mapping, which the glue then follows:
// the keys of its import object, its reads of the exports (`wasm.NAME`) and the split
// runtime's (`const { NAME } = initSync(…)`), edited on the syntax tree. Imports the
// optimised wasm no longer has leave the glue's import object (their functions with them).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits, keyName, parse, walk } from './js-edit.mjs';
import { wasmOpt } from './wasm-opt.mjs';

export const PASS = '--minify-imports-and-exports-and-modules';
/** The variable of the glue that holds the wasm's exports, and the glue's function that returns them. */
const EXPORTS_VAR = 'wasm';
const INIT_SYNC = 'initSync';
const GET_IMPORTS = '__wbg_get_imports';

/** Runs the pass: { wasm, imports: Map("module\0base" -> new), exports: Map(old -> new), module }.
 * The same run optimises the file again first (`passes`, see wasm-opt.mjs): read afresh, the
 * main file loses another ~0.4 KB gzip. */
export async function minifyNames(bytes, { passes } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'studio-rename-'));
  try {
    const path = join(dir, 'in.wasm');
    await writeFile(path, bytes);
    const printed = wasmOpt(path, join(dir, 'out.wasm'), { passes, extra: [PASS] });
    const map = JSON.parse(printed);
    const wasm = await readFile(join(dir, 'out.wasm'));
    const modules = [...new Set(WebAssembly.Module.imports(new WebAssembly.Module(wasm)).map((i) => i.module))];
    if (modules.length > 1) throw new Error(`${PASS} left imports from ${modules.length} modules`);
    return {
      wasm,
      module: modules[0],
      imports: new Map(map.imports.map(([module, base, to]) => [`${module}\0${base}`, to])),
      exports: new Map(map.exports),
    };
  } finally { await rm(dir, { recursive: true, force: true }); }
}

/** The glue following the mapping of minifyNames (see above). */
export function renameGlue(glue, { module, imports, exports }) {
  const tree = parse(glue);
  const edits = [];
  const fail = (what) => { throw new Error(`rename: the glue ${what}`); };

  // The import object: `function __wbg_get_imports() { const import0 = { __proto__: null, NAME: …, … };
  // … return { __proto__: null, "./x_bg.js": import0, "./__wasm_split.js": import1, … }; }`.
  const getImports = tree.body.find((n) => n.type === 'FunctionDeclaration' && n.id.name === GET_IMPORTS) ?? fail(`has no function ${GET_IMPORTS}`);
  const ret = getImports.body.body.at(-1);
  if (ret?.type !== 'ReturnStatement' || ret.argument?.type !== 'ObjectExpression') fail(`'s ${GET_IMPORTS} does not end in \`return { … }\``);
  const locals = new Map(); // import0 -> its object literal
  for (const s of getImports.body.body) {
    if (s.type !== 'VariableDeclaration') continue;
    for (const d of s.declarations) if (d.init?.type === 'ObjectExpression') locals.set(d.id.name, d.init);
  }
  let own = null; // the one module whose object the function builds
  const others = []; // [module, identifier]
  for (const p of ret.argument.properties) {
    const key = keyName(p.key, p.computed);
    if (key === '__proto__') continue;
    if (p.value.type !== 'Identifier') fail(`'s import object gives ${key} other than by a name`);
    if (locals.has(p.value.name)) {
      if (own && own.name !== p.value.name) fail('builds the objects of two import modules');
      own = { module: key, name: p.value.name, object: locals.get(p.value.name) };
    } else others.push([key, p.value.name]);
  }
  if (!own) fail('builds no import object');
  let renamedImports = 0;
  let droppedImports = 0;
  const taken = new Set();
  for (const p of own.object.properties) {
    const key = keyName(p.key, p.computed);
    if (key === '__proto__') continue;
    if (p.type !== 'Property' || p.kind !== 'init' || key === undefined) fail(`'s imports hold a property that is not \`name: value\``);
    const to = imports.get(`${own.module}\0${key}`);
    if (to === undefined) {
      // Not imported by the optimised wasm: the function goes, with the comma after it.
      const end = glue.slice(p.end).match(/^\s*,/)?.[0].length ?? 0;
      edits.push({ start: p.start, end: p.end + end, text: '' });
      droppedImports++;
    } else {
      edits.push({ start: p.key.start, end: p.key.end, text: to });
      taken.add(`${own.module}\0${key}`);
      renamedImports++;
    }
  }
  // Imports from the other modules (the split runtime's loads) join the same object.
  const extra = [];
  for (const [from, name] of others) {
    for (const [key, to] of imports) {
      const [m, base] = key.split('\0');
      if (m === from && !taken.has(key)) { extra.push(`${to}: ${name}.${base}`); taken.add(key); renamedImports++; }
    }
  }
  for (const key of imports.keys()) if (!taken.has(key)) fail(`does not provide the import ${key.replace('\0', ' ')}`);
  const close = own.object.end - 1; // the literal's "}"
  const last = own.object.properties.at(-1);
  const comma = last && !glue.slice(last.end, close).includes(',') ? ',' : '';
  if (extra.length) edits.push({ start: close, end: close, text: `${comma}\n        ${extra.join(',\n        ')}\n    ` });
  edits.push({ start: ret.argument.start, end: ret.argument.end, text: `{ __proto__: null, ${JSON.stringify(module)}: ${own.name} }` });

  // The exports: `wasm.NAME` reads and `const { NAME, … } = initSync(…)` patterns.
  let renamedExports = 0;
  const renameTo = (name) => exports.get(name) ?? fail(`reads an export the wasm does not have: ${name}`);
  for (const { node } of walk(tree)) {
    if (node.type === 'MemberExpression' && node.object.type === 'Identifier' && node.object.name === EXPORTS_VAR) {
      if (node.computed) fail(`reads ${EXPORTS_VAR}[…]`);
      edits.push({ start: node.property.start, end: node.property.end, text: renameTo(node.property.name) });
      renamedExports++;
    } else if (node.type === 'VariableDeclarator' && node.id.type === 'ObjectPattern' && node.init?.type === 'CallExpression' && node.init.callee.name === INIT_SYNC) {
      for (const p of node.id.properties) {
        if (p.type !== 'Property' || p.computed) fail(`takes the exports of ${INIT_SYNC} other than by name`);
        const to = renameTo(keyName(p.key));
        edits.push(p.shorthand ? { start: p.start, end: p.end, text: `${to}: ${p.value.name}` } : { start: p.key.start, end: p.key.end, text: to });
        renamedExports++;
      }
    }
  }
  return { glue: applyEdits(glue, edits), imports: renamedImports, dropped: droppedImports, exports: renamedExports };
}

/** The step: the wasm with short names and the glue that follows it. */
export async function shortNames(wasm, glue, options = {}) {
  const named = await minifyNames(wasm, options);
  const renamed = renameGlue(glue, named);
  return { wasm: named.wasm, glue: renamed.glue, imports: renamed.imports, dropped: renamed.dropped, exports: renamed.exports };
}
