// The languages step: each catalogue of i18n/ (but English, which the wasm has built in)
// becomes dist/lang/<code>.json: a key naming this build's messages, then the messages as one
// text, a line each in the order of their names (a plural message: its categories and forms,
// each after a tab), the way build.rs gives the wasm English. The file carries no names (the
// widget knows messages by position), and a file of another build is known as such and not
// used. The pseudo-language
// (interface.json's pseudoLanguage) is made from English: every message accented, 40 %
// longer and between markers, so that a text the catalogues do not hold stands out.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url);

/** FNV-1a (32 bits, hex) of the message names, one per line (build.rs computes the same). */
export function messagesKey(names) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(names.join('\n'))) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The catalogue of a language, from i18n/. */
export async function readCatalogue(code) {
  return JSON.parse(await readFile(new URL(`i18n/${code}.json`, root), 'utf8'));
}

/** The message names in the order of every language file. */
export const namesOf = (english) => Object.keys(english).sort();

/** A message as a line of a language file. */
export const line = (message) => (typeof message === 'string' ? message : Object.entries(message).flat().join('\t'));

/** A language file's entries: the key, then the messages, a line each in their names' order. */
export function compile(english, catalogue) {
  const names = namesOf(english);
  return [messagesKey(names), names.map((name) => line(catalogue[name])).join('\n')];
}

const ACCENTS = { a: 'á', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'í', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ', n: 'ñ', o: 'ö', p: 'þ', r: 'ŕ', s: 'š', t: 'ţ', u: 'ü', w: 'ŵ', y: 'ý', z: 'ž', A: 'Å', C: 'Ç', D: 'Ð', E: 'É', I: 'Î', N: 'Ñ', O: 'Ö', S: 'Š', U: 'Ü', Y: 'Ý' };
/** The pseudo-language's markers around every message. */
export const PSEUDO_MARKERS = ['⟦', '⟧'];

/** A message in the pseudo-language: accented (placeholders kept), 40 % longer, marked. */
export function pseudo(text) {
  const accented = text.split(/(\{\w+\})/).map((part, i) => (i % 2 ? part : [...part].map((c) => ACCENTS[c] ?? c).join(''))).join('');
  const letters = text.replace(/\{\w+\}/g, '').length;
  const padding = '·'.repeat(Math.ceil(letters * 0.4));
  return `${PSEUDO_MARKERS[0]}${accented}${padding ? ` ${padding}` : ''}${PSEUDO_MARKERS[1]}`;
}

/** The pseudo-language's catalogue, made from English. */
export function pseudoCatalogue(english) {
  return Object.fromEntries(Object.entries(english).map(([name, message]) => [
    name,
    typeof message === 'string' ? pseudo(message) : Object.fromEntries(Object.entries(message).map(([c, t]) => [c, pseudo(t)])),
  ]));
}

/**
 * Writes dist/lang/<code>.json for every language of `facts` but English, and the
 * pseudo-language's; and beside each, dist/lang/<code>.first.json, the same key with only the
 * messages the loader shows itself (`loaderMessages`: its failure message, and the session
 * type list it draws before the widget's code), a line each in that order: all the first
 * screen waits for. Returns what the loader is given: the messages' key, and the position in
 * a `.first.json` file and the English text of each message the loader shows itself.
 */
export async function writeLanguages(staging, facts, loaderMessages) {
  const english = await readCatalogue('en');
  const names = namesOf(english);
  for (const name of loaderMessages) {
    if (!Object.hasOwn(english, name)) throw new Error(`the loader shows the message ${name}, which i18n/en.json does not have`);
  }
  await mkdir(join(staging, 'lang'), { recursive: true });
  const written = [];
  const languages = [...facts.languages.filter((l) => l !== 'en'), facts.pseudoLanguage];
  const key = messagesKey(names);
  for (const code of languages) {
    const catalogue = code === facts.pseudoLanguage ? pseudoCatalogue(english) : await readCatalogue(code);
    const file = facts.languageFile.replace('{language}', code);
    await writeFile(join(staging, file), JSON.stringify(compile(english, catalogue)));
    const first = facts.firstScreenLanguageFile.replace('{language}', code);
    await writeFile(join(staging, first), JSON.stringify([key, loaderMessages.map((name) => line(catalogue[name])).join('\n')]));
    written.push(file, first);
  }
  const messages = Object.fromEntries(loaderMessages.map((name, at) => [name, [at, english[name]]]));
  return { written, key, messages };
}
