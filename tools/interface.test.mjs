// The README is the public interface photographers read; interface.json is what the code
// reads (the loader through the build, the Rust side through build.rs). Both must name the
// same attributes, events, methods, parts and theme properties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const facts = JSON.parse(await readFile(new URL('../interface.json', import.meta.url), 'utf8'));
const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
const embedding = /^## Embedding\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
const sorted = (xs) => [...new Set(xs)].sort();
const ticked = (text) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
/** The text from `start` to the end of its paragraph. */
const paragraph = (start) => {
  const at = embedding.indexOf(start);
  assert.ok(at >= 0, `the README's "Embedding" has "${start}"`);
  const rest = embedding.slice(at + start.length);
  return rest.slice(0, rest.search(/\n\n|$/));
};

test('the README has an "Embedding" section', () => assert.ok(embedding.length > 1000));

test('the attributes of the README\'s table are those of interface.json', () => {
  const table = /^\| attribute \| what \|\n\|[- |]+\|\n((?:\|.*\n)+)/m.exec(embedding)?.[1];
  assert.ok(table, 'the attribute table');
  const names = table.trim().split('\n').flatMap((row) => ticked(row.split('|')[1]));
  assert.deepEqual(sorted(names), sorted(facts.attributes));
});

test('the README names every event, and no other', () => {
  const prefix = facts.eventPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const named = [...readme.matchAll(new RegExp(`${prefix}([a-z][a-z-]*)`, 'g'))].map((m) => m[1]);
  assert.deepEqual(sorted(named), sorted(facts.events));
});

test('the README\'s methods are those of interface.json', () => {
  const names = ticked(paragraph('Methods:')).map((t) => t.replace(/\(\)$/, ''));
  assert.deepEqual(sorted(names), sorted(facts.methods));
});

test('the README\'s ::part() names are those of interface.json', () => {
  assert.deepEqual(sorted(ticked(paragraph('`::part()` names:'))), sorted(facts.parts));
});

test('the README names every theme property, and no other', () => {
  const prefix = facts.themePropertyPrefix;
  const named = [...readme.matchAll(new RegExp(`${prefix}([a-z][a-z-]*)`, 'g'))].map((m) => m[1]);
  assert.deepEqual(sorted(named), sorted(facts.themeProperties));
});

test('the element\'s name is the README\'s', () => {
  assert.ok(embedding.includes(`<${facts.element} api-base=`));
});
