// The catalogue check: every language of interface.json has a catalogue in i18n/ with every
// message of English and no other, the same placeholders in each, and exactly the plural
// categories Intl.PluralRules names for the language; the language files the build makes
// carry them in order, after the key build.rs computes too.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import test from 'node:test';
import { compile, messagesKey, namesOf, pseudo, pseudoCatalogue, readCatalogue, PSEUDO_MARKERS } from './build/languages.mjs';

const facts = JSON.parse(await readFile(new URL('../interface.json', import.meta.url), 'utf8'));
const english = await readCatalogue('en');
const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const formsOf = (message) => (typeof message === 'string' ? { '': message } : message);

test('every language of interface.json has a catalogue, and every catalogue a language', async () => {
  const files = (await readdir(new URL('../i18n/', import.meta.url))).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  assert.deepEqual(files, [...facts.languages].sort());
  assert.ok(facts.languages.length >= 14, 'English and at least 13 other languages');
  for (const l of facts.rightToLeft) assert.ok(facts.languages.includes(l), `${l} (right to left) is a language`);
  for (const l of Object.values(facts.languageAliases)) assert.ok(facts.languages.includes(l), `the alias of ${l}`);
});

for (const code of facts.languages) {
  test(`${code}: every message, the same placeholders, the language's plural categories`, async () => {
    const catalogue = await readCatalogue(code);
    const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories.sort();
    assert.deepEqual(Object.keys(catalogue).sort(), namesOf(english), 'the same messages as English');
    for (const name of namesOf(english)) {
      const wanted = placeholders(Object.values(formsOf(english[name]))[0]);
      const message = catalogue[name];
      assert.equal(typeof message, typeof english[name], `${name}: text or plural forms, as in English`);
      if (typeof message === 'object') assert.deepEqual(Object.keys(message).sort(), categories, `${name}: the plural categories of ${code}`);
      for (const [category, text] of Object.entries(formsOf(message))) {
        assert.equal(typeof text, 'string', `${name} ${category}`);
        assert.ok(text.trim().length > 0, `${name} ${category}: not empty`);
        assert.deepEqual(placeholders(text), wanted, `${name} ${category}: the placeholders {${wanted.join('}, {')}}`);
        assert.ok(!/[<>]/.test(text), `${name} ${category}: no markup`);
        assert.ok(!/[\n\t]/.test(text), `${name} ${category}: no line break or tab (they part the messages in a language file)`);
      }
    }
  });
}

test('a language file: the key of the message names, then the messages in their order', () => {
  const fr = { b: 'deux', a: 'un', c: { one: '{count} chat', many: '{count} de chats', other: '{count} chats' } };
  const file = compile({ a: 'one', b: 'two', c: { one: '{count} cat', other: '{count} cats' } }, fr);
  assert.deepEqual(file, [messagesKey(['a', 'b', 'c']), 'un\ndeux\none\t{count} chat\tmany\t{count} de chats\tother\t{count} chats']);
  assert.notEqual(messagesKey(['a', 'b']), messagesKey(['a', 'c']), 'another build\'s messages, another key');
  assert.equal(messagesKey(['a', 'b']), messagesKey(['a', 'b']));
});

test('the key is FNV-1a of the names, as build.rs computes it', () => {
  // FNV-1a 32 of "" and of "a": the algorithm's published values.
  assert.equal(messagesKey([]), '811c9dc5');
  assert.equal(messagesKey(['a']), 'e40c292c');
});

test('the pseudo-language: accented, placeholders kept, 40 % longer, between markers', () => {
  const text = pseudo('Please choose {date} or later.');
  assert.ok(text.startsWith(PSEUDO_MARKERS[0]) && text.endsWith(PSEUDO_MARKERS[1]));
  assert.ok(text.includes('{date}'));
  assert.ok(!/[a-z]{4}/i.test(text.replace('{date}', '')), 'no plain word left');
  assert.ok(text.length >= 'Please choose  or later.'.length * 1.4);
  const catalogue = pseudoCatalogue(english);
  assert.deepEqual(Object.keys(catalogue).sort(), namesOf(english));
});
