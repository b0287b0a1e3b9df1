import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import binaryen from 'binaryen';
import { bindgen } from './bindgen.mjs';

/** A main file as the split leaves it, reduced to what the step is about: a memory, a stack
 * pointer and a function table that the split files share, and one function. */
function fixture() {
  const m = binaryen.parseText(`(module
    (memory (export "memory") 1)
    (global $sp (export "__stack_pointer") (mut i32) (i32.const 1024))
    (table (export "__indirect_function_table") 1 funcref)
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`);
  const bytes = m.emitBinary();
  m.dispose();
  return bytes;
}
const exported = (bytes) => WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name).sort();

/** A stand-in for wasm-bindgen: writes its arguments to args.json (and the two files it would). */
async function fakeWasmBindgen(dir, { status = 0 } = {}) {
  const path = join(dir, 'fake-wasm-bindgen');
  await writeFile(path, `#!/usr/bin/env node
const { writeFileSync } = require('node:fs');
const args = process.argv.slice(2);
writeFileSync(${JSON.stringify(join(dir, 'args.json'))}, JSON.stringify(args));
if (${status}) { process.stderr.write('no such file: ' + args.at(-1)); process.exit(${status}); }
`);
  await chmod(path, 0o755);
  return path;
}

test('wasm-bindgen is run as trunk runs it, for the web, with the table and stack pointer kept, on the given file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bindgen-test-'));
  try {
    const command = await fakeWasmBindgen(dir);
    const out = join(dir, 'out');
    const made = bindgen(join(dir, 'main.wasm'), out, 'studio-booking-widget', { command });
    const args = JSON.parse(await readFile(join(dir, 'args.json'), 'utf8'));
    assert.deepEqual(args, ['--target=web', `--out-dir=${out}`, '--out-name=studio-booking-widget', '--no-typescript', '--keep-lld-exports', join(dir, 'main.wasm')]);
    assert.deepEqual(made, { glue: join(out, 'studio-booking-widget.js'), wasm: join(out, 'studio-booking-widget_bg.wasm') });
  } finally { await rm(dir, { recursive: true }); }
});

test('a wasm-bindgen that fails stops the build with its status and what it said', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bindgen-test-'));
  try {
    const command = await fakeWasmBindgen(dir, { status: 3 });
    assert.throws(() => bindgen(join(dir, 'missing.wasm'), join(dir, 'out'), 'w', { command }), /failed \(3\): no such file: .*missing\.wasm/);
    // A command that is not there at all says so too.
    assert.throws(() => bindgen(join(dir, 'main.wasm'), join(dir, 'out'), 'w', { command: join(dir, 'nowhere') }), /failed \(Error: spawnSync .*ENOENT\)/);
  } finally { await rm(dir, { recursive: true }); }
});

test('the real wasm-bindgen (scripts/setup.sh installs it): an ES module glue and a wasm that keeps the shared table', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bindgen-test-'));
  try {
    const input = join(dir, 'main.wasm');
    await writeFile(input, fixture());
    const made = bindgen(input, join(dir, 'out'), 'w');
    assert.deepEqual((await readdir(join(dir, 'out'))).sort(), ['w.js', 'w_bg.wasm'], 'no TypeScript declarations');
    const glue = await readFile(made.glue, 'utf8');
    assert.match(glue, /^export \{[^}]*\binitSync\b[^}]*\bdefault\b[^}]*\}/m, '--target=web: an ES module with an init function');
    assert.match(glue, /new URL\('w_bg\.wasm', import\.meta\.url\)/, 'the glue finds its wasm by the out name');
    const wasm = await readFile(made.wasm);
    // The split files reach the main file's functions through its table: without
    // --keep-lld-exports wasm-bindgen would drop that export.
    assert.deepEqual(exported(wasm), ['__indirect_function_table', '__stack_pointer', 'add', 'memory']);
    const { instance } = await WebAssembly.instantiate(wasm);
    assert.equal(instance.exports.add(2, 3), 5);
    // The same run without the flag, to show the fixture tells the two apart.
    const plain = spawnSync('wasm-bindgen', ['--target=web', `--out-dir=${join(dir, 'plain')}`, '--out-name=w', '--no-typescript', input]);
    assert.equal(plain.status, 0);
    assert.ok(!exported(await readFile(join(dir, 'plain', 'w_bg.wasm'))).includes('__indirect_function_table'));
  } finally { await rm(dir, { recursive: true }); }
});
