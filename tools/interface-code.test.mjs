// interface.json's `parts` and `methods` against the code that makes them (interface.test.mjs
// checks the documents): every ::part() name the widget's markup carries
// is one of interface.json's and each of those is carried somewhere; every method is one the
// element defines and the widget's code carries out.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';

const root = new URL('../', import.meta.url).pathname;
const facts = JSON.parse(await readFile(join(root, 'interface.json'), 'utf8'));

/** Every file below `dir` (relative to the root) whose name ends with `ending`. */
async function sources(dir, ending) {
  const found = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(ending)) found.push(join(entry.parentPath ?? entry.path, entry.name));
  }
  return Promise.all(found.map((f) => readFile(f, 'utf8')));
}

test('the ::part() names in the markup are interface.json\'s, every one of them', async () => {
  const code = [...await sources('src', '.rs'), ...await sources('loader', '.js')].join('\n');
  // part="a b" in Leptos views, set_attribute("part", "a"), { part: 'a' } and setAttribute('part', 'a') in the loader's modules.
  const written = [...code.matchAll(/\bpart(?:="([^"]+)"|", "([^"]+)"|: '([^']+)'|', '([^']+)')/g)].flatMap((m) => (m[1] ?? m[2] ?? m[3] ?? m[4]).split(' '));
  assert.deepEqual([...new Set(written)].sort(), [...facts.parts].sort());
});

test('each method of interface.json is the element\'s, and each command the frame takes is a method', async () => {
  const loader = await readFile(join(root, 'loader', 'studio-booking.js'), 'utf8');
  const element = loader.slice(loader.indexOf('class StudioBooking extends HTMLElement'));
  const mount = await readFile(join(root, 'src', 'mount.rs'), 'utf8');
  const commands = mount.slice(mount.indexOf('pub fn widget_command'));
  for (const method of facts.methods) {
    assert.match(element, new RegExp(`\\n    ${method}\\(\\) \\{`), `the element defines ${method}()`);
    assert.ok(commands.includes(`"${method}" =>`), `the widget carries out ${method} (src/mount.rs widget_command)`);
  }
  for (const command of facts.frameCommands) assert.ok(facts.methods.includes(command), `the frame's command ${command} is a method`);
});
