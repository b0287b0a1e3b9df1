// The link step: wasm-split-cli writes the JS that fetches the split files (`__wasm_split.js`,
// "the split runtime"), an ES module that the glue imports once per split point. It is put
// inside the glue instead (the glue then needs no second module request before the wasm can
// start), with two changes: a file the loader already fetched and compiled (a preselected
// session type's date and time step) is taken from the loader instead of fetched again, and
// each fetch has a deadline (interface.json's deadlinesMs.splitFile), so that a stalled
// download ends as a failure the step shows with "Try again". All edits go through the syntax
// tree (js-edit.mjs).
import { applyEdits, parse, stringOf, walk } from './js-edit.mjs';

export const LINK = '__wasm_split.js';

const isWasmFile = (value) => typeof value === 'string' && /^\.\/[\w.-]+\.wasm$/.test(value);

/** The `fetch(new URL("./file.wasm", import.meta.url))` calls of the split runtime. */
function wasmFetches(tree) {
  const found = [];
  for (const { node } of walk(tree)) {
    if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'fetch' || node.arguments.length !== 1) continue;
    const [url] = node.arguments;
    if (url.type !== 'NewExpression' || url.callee.name !== 'URL' || !isWasmFile(stringOf(url.arguments[0]))) continue;
    const meta = url.arguments[1];
    if (meta?.type !== 'MemberExpression' || meta.object.type !== 'MetaProperty' || meta.property.name !== 'url') continue;
    found.push({ node, file: stringOf(url.arguments[0]).slice(2), url });
  }
  return found;
}

/** The split runtime with each "./file.wasm" literal renamed by `renames` (a Map of file names). */
export function renameFiles(link, renames) {
  const edits = [];
  for (const { node } of walk(parse(link))) {
    const value = stringOf(node);
    if (isWasmFile(value) && renames.has(value.slice(2))) edits.push({ start: node.start, end: node.end, text: JSON.stringify(`./${renames.get(value.slice(2))}`) });
  }
  return applyEdits(link, edits);
}

/**
 * The files the load of split point `point` fetches: the files of the loads it waits for
 * (code it shares with other split points) and then its own. wasm-split-cli writes each load
 * as `const __wasm_split_load_<point> = [wrapAsyncCb(]makeLoad(() => … "./file.wasm" …, [deps])`.
 */
export function filesOf(link, point) {
  const tree = parse(link);
  const loads = new Map();
  for (const { node } of walk(tree)) {
    if (node.type !== 'VariableDeclarator' || node.id.type !== 'Identifier' || !node.init) continue;
    let call = node.init;
    if (call.type === 'CallExpression' && call.callee.name === 'wrapAsyncCb') call = call.arguments[0];
    if (call?.type !== 'CallExpression' || call.callee.name !== 'makeLoad') continue;
    const files = [...walk(call.arguments[0])].map(({ node: n }) => stringOf(n)).filter(isWasmFile);
    const deps = call.arguments.at(-1);
    if (files.length !== 1 || deps?.type !== 'ArrayExpression' || deps.elements.some((d) => d.type !== 'Identifier')) {
      throw new Error(`${LINK}: the load ${node.id.name} is not written as expected`);
    }
    loads.set(node.id.name, { file: files[0].slice(2), deps: deps.elements.map((d) => d.name) });
  }
  const own = loads.get(`__wasm_split_load_${point}`);
  if (!own) throw new Error(`${LINK} has no load of the split point ${point}`);
  return [...own.deps.map((d) => {
    if (!loads.has(d)) throw new Error(`${LINK}: ${d} is not a load`);
    return loads.get(d).file;
  }), own.file];
}

/** The glue with the split runtime `link` inside it (see above). */
export function inlineLink(glue, link, { glueName, deadlineMs }) {
  if (!Number.isInteger(deadlineMs) || deadlineMs <= 0) throw new Error('inlineLink needs a deadline in ms');
  // The glue: its imports of the runtime (one per split point, under as many names) go.
  const glueTree = parse(glue);
  const names = [];
  const glueEdits = [];
  for (const node of glueTree.body) {
    if (node.type !== 'ImportDeclaration' || node.source.value !== `./${LINK}`) continue;
    if (node.specifiers.length !== 1 || node.specifiers[0].type !== 'ImportNamespaceSpecifier') throw new Error(`the glue imports ./${LINK} other than as a namespace`);
    names.push(node.specifiers[0].local.name);
    glueEdits.push({ start: node.start, end: glue[node.end] === '\n' ? node.end + 1 : node.end, text: '' });
  }
  if (!names.length) throw new Error(`the glue does not import ./${LINK}`);

  // The runtime: its import of the glue's initSync (a function declaration of the glue,
  // hoisted) and its `export` keywords go; its fetches and instantiation change.
  const tree = parse(link);
  const edits = [];
  const exported = [];
  for (const node of tree.body) {
    if (node.type === 'ImportDeclaration') {
      const onlyInitSync = node.source.value === `./${glueName}` && node.specifiers.length === 1 && node.specifiers[0].imported?.name === 'initSync' && node.specifiers[0].local.name === 'initSync';
      if (!onlyInitSync) throw new Error(`${LINK} imports more than initSync from the glue`);
      edits.push({ start: node.start, end: node.end, text: '' });
    } else if (node.type === 'ExportNamedDeclaration') {
      if (node.declaration?.type !== 'VariableDeclaration') throw new Error(`${LINK} exports other than \`export const\``);
      edits.push({ start: node.start, end: node.declaration.start, text: '' });
      exported.push(...node.declaration.declarations.map((d) => d.id.name));
    } else if (node.type.startsWith('Export')) {
      throw new Error(`${LINK} has an export of a kind not expected (${node.type})`);
    }
  }
  if (!exported.length) throw new Error(`${LINK} exports nothing`);
  const fetches = wasmFetches(tree);
  if (!fetches.length) throw new Error(`${LINK} fetches no wasm file as expected`);
  for (const { node, file, url } of fetches) {
    const urlText = link.slice(url.start, url.end);
    edits.push({ start: node.start, end: node.end, text: `(takeOffered(${JSON.stringify(file)}) ?? fetch(${urlText}, { signal: AbortSignal.timeout(${deadlineMs}) }))` });
  }
  let instantiations = 0;
  for (const { node } of walk(tree)) {
    const callee = node.type === 'CallExpression' ? node.callee : null;
    if (callee?.type === 'MemberExpression' && callee.object.name === 'WebAssembly' && callee.property.name === 'instantiateStreaming') {
      edits.push({ start: callee.start, end: callee.end, text: 'instantiateFile' });
      instantiations++;
    }
  }
  if (!instantiations) throw new Error(`${LINK} does not instantiate with WebAssembly.instantiateStreaming`);
  const body = applyEdits(link, edits).trim();

  const module = `
// The split runtime (${LINK}, by wasm-split-cli), put here by tools/build/link.mjs.
const offeredFiles = new Map();
function takeOffered(file) { const m = offeredFiles.get(file); offeredFiles.delete(file); return m; }
/** The loader hands over a file it fetched and compiled early (a promise of its Module). */
export function offer_file(file, module) { offeredFiles.set(file, module); }
// A module the loader compiled is instantiated at once (synchronously: no task, and so no
// paint, between the main file's start and the step's first draw).
async function instantiateFile(src, imports) {
  const got = await src;
  return got instanceof WebAssembly.Module ? new WebAssembly.Instance(got, imports) : WebAssembly.instantiateStreaming(got, imports);
}
const ${names[0]} = (() => {
${body}
return { ${exported.join(', ')} };
})();
${names.slice(1).map((n) => `const ${n} = ${names[0]};\n`).join('')}`;
  // After the glue's own definitions: the module object is only read when the wasm is instantiated.
  return applyEdits(glue, glueEdits) + module;
}
