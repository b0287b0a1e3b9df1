// docs/embedding.md is the public interface photographers read; interface.json is what the
// code reads (the loader through the build, the Rust side through build.rs). Both must name
// the same attributes, events, methods, parts and theme properties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const facts = JSON.parse(await readFile(new URL('../interface.json', import.meta.url), 'utf8'));
const doc = await readFile(new URL('../docs/embedding.md', import.meta.url), 'utf8');
const sorted = (xs) => [...new Set(xs)].sort();
const ticked = (text) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
/** The text under a `## ` heading, up to the next one. */
const section = (heading) => {
  const found = new RegExp(`^## ${heading}\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(doc)?.[1];
  assert.ok(found, `docs/embedding.md has a section "${heading}"`);
  return found;
};
/** The first column of the table under `header` (its first row) in `text`. */
const firstColumn = (text, header) => {
  const escaped = header.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const rows = new RegExp(`^${escaped}\\n\\|[- |]+\\|\\n((?:\\|.*\\n)+)`, 'm').exec(text)?.[1];
  assert.ok(rows, `the table "${header}"`);
  return rows.trim().split('\n').flatMap((row) => ticked(row.split('|')[1]));
};
/** The text from `start` to the end of its paragraph. */
const paragraph = (start) => {
  const at = doc.indexOf(start);
  assert.ok(at >= 0, `docs/embedding.md has "${start}"`);
  const rest = doc.slice(at + start.length);
  return rest.slice(0, rest.search(/\n\n|$/));
};

test('the attributes of the table are those of interface.json', () => {
  assert.deepEqual(sorted(firstColumn(section('Attributes'), '| attribute | what |')), sorted(facts.attributes));
});

test('the events of the table are those of interface.json, and no other event is named', () => {
  const prefix = facts.eventPrefix;
  const listed = firstColumn(section('Events'), '| event | detail |');
  assert.ok(listed.every((name) => name.startsWith(prefix)), listed.join(', '));
  assert.deepEqual(sorted(listed.map((name) => name.slice(prefix.length))), sorted(facts.events));
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const named = [...doc.matchAll(new RegExp(`${escaped}([a-z][a-z-]*)`, 'g'))].map((m) => m[1]);
  assert.deepEqual(sorted(named), sorted(facts.events));
});

test('the methods are those of interface.json', () => {
  const names = ticked(section('Methods')).filter((t) => t.endsWith('()')).map((t) => t.slice(0, -2));
  assert.deepEqual(sorted(names), sorted(facts.methods));
});

test('the ::part() names are those of interface.json', () => {
  assert.deepEqual(sorted(ticked(paragraph('`::part()` names:'))), sorted(facts.parts));
});

test('every theme property is named, and no other', () => {
  const prefix = facts.themePropertyPrefix;
  const named = [...doc.matchAll(new RegExp(`${prefix}([a-z][a-z-]*)`, 'g'))].map((m) => m[1]);
  assert.deepEqual(sorted(named), sorted(facts.themeProperties));
});

test('the element\'s name is the document\'s', () => {
  assert.ok(doc.includes(`<${facts.element} api-base=`));
});

test('the manage link\'s parameters are those of interface.json', () => {
  for (const name of Object.values(facts.manageLink)) assert.ok(doc.includes(`\`${name}\``), name);
});
