// Languages: the widget in the visitor's language, right to left included.
// - The pseudo-language (en-XA: every message accented, 40 % longer, between ⟦ ⟧): at every
//   step and state no text of the widget, and no accessible name, appears without its
//   markers; what is left is the studio's own words, what the visitor typed, and what Intl
//   wrote (dates, times, numbers, prices).
// - Whole bookings in German at 375 px (nothing cut off or overflowing), in Arabic (mirrored,
//   the calendar's arrow keys mirrored, axe 0 violations at every step) and in Japanese, with
//   no English message on the screen.
// - Which language: the locale attribute, the page's <html lang>, the browser's languages,
//   aliases (pt → pt-BR, no → nb), several widgets on one page each in its own, iframe mode.
// - The loader's own message when the widget's files cannot be loaded, in French; a language
//   file that cannot be loaded: English, and nothing said.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { foreignStack, hostPage, visit, recordFigures, screenshotDir } from './stack.mjs';

const FAMILY = 'Family Portrait Session';
const catalogue = async (code) => JSON.parse(await readFile(new URL(`../i18n/${code}.json`, import.meta.url), 'utf8'));
const en = await catalogue('en');

const page = (lang, body) => hostPage(body).replace('<html lang="en">', lang === null ? '<html>' : `<html lang="${lang}">`);
const stack = foreignStack({
  pages: ({ api, snippet }) => ({
    '/pseudo': hostPage(`${snippet}<studio-booking id="w" api-base="${api}" locale="en-XA"></studio-booking>`),
    '/de': hostPage(`${snippet}<studio-booking id="w" api-base="${api}" locale="de-DE"></studio-booking>`),
    '/ar': hostPage(`${snippet}<studio-booking id="w" api-base="${api}" locale="ar"></studio-booking>`),
    '/ja': hostPage(`${snippet}<studio-booking id="w" api-base="${api}" locale="ja-JP"></studio-booking>`),
    '/fr': hostPage(`${snippet}<studio-booking id="w" api-base="${api}" locale="fr"></studio-booking>`),
    '/nl-page': page('nl', `${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>`),
    '/no-lang': page(null, `${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>`),
    '/many': hostPage(['fr-CA', 'pt', 'no', 'he', 'xx-YY'].map((l, i) => `<studio-booking id="w${i}" api-base="${api}" locale="${l}"></studio-booking>`).join('') + snippet),
    '/framed-de': page('de', `${snippet}<studio-booking id="w" mode="iframe" api-base="${api}"></studio-booking>`),
  }),
});

const shot = (p, name) => p.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
const root = (w) => w.locator('.sb-root');
const heading = (w) => w.locator('#sb-heading');
let axeChecks = 0;
let axeViolations = 0;
after(() => recordFigures('languages', { axeViolations, axeChecks }));

/** Every text of the widget and every accessible name in it, as the visitor meets them. */
const textsOf = (p) => p.locator('#w').evaluate((host) => {
  const out = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) { if (child.data.trim()) out.push(child.data.trim()); }
      else if (child.nodeType === Node.ELEMENT_NODE && child.localName !== 'style') {
        for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'label']) { const v = child.getAttribute(a); if (v && v.trim()) out.push(v.trim()); }
        walk(child);
      }
    }
  };
  walk(host.shadowRoot);
  return out;
});

/** The English messages that show through (a text or an accessible name that is one of
 * English's, whole or with its placeholders filled in), of those the language words
 * differently. */
async function englishLeftIn(texts, code) {
  const theirs = await catalogue(code);
  // (Messages of placeholders and punctuation alone, "{session} · {duration}", have no English.)
  const english = Object.entries(en).filter(([k, v]) => typeof v === 'string' && theirs[k] !== v && /\p{L}/u.test(v.replace(/\{\w+\}/g, ''))).map(([, v]) => v);
  const pattern = (m) => new RegExp(`^${m.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '.+')}$`, 'su');
  const patterns = english.map((m) => [m, pattern(m)]);
  return texts.flatMap((t) => patterns.filter(([, p]) => p.test(t)).map(([m]) => `"${t}" (${m})`));
}

/** Books the Family Portrait Session through every step in whatever language, by the
 * widget's structure alone; `at(step)` runs at every step and state. */
async function bookFamily(p, w, at = async () => {}) {
  await w.locator('.sb-type-button').first().waitFor();
  await p.waitForLoadState('networkidle');
  await at('list');
  await w.locator('.sb-type-button', { hasText: FAMILY }).click();
  await w.locator('.sb-day-open, .sb-empty-month').first().waitFor();
  await at('calendar');
  await w.locator('.sb-zone .sb-link').click();
  await w.locator('#sb-zone-input').fill('Not/A/Zone');
  await w.locator('#sb-zone-input').press('Enter');
  await w.locator('#sb-zone-problem').filter({ hasText: /./ }).waitFor();
  await at('zone switcher with an error');
  await w.locator('.sb-zone .sb-link').click();
  const jump = w.locator('.sb-empty-month .sb-button');
  if (await jump.count()) await jump.click();
  else await w.locator('.sb-day-open').first().click();
  await w.locator('.sb-slot:not(.sb-skeleton-line)').first().waitFor();
  await w.locator('.sb-slot:not(.sb-skeleton-line)').first().click();
  await at('a time chosen');
  await w.locator('[part="next-button"]').click();
  await w.locator('input[autocomplete="given-name"]').waitFor();
  await w.locator('[part="next-button"]').click(); // nothing typed: every message shows
  await w.locator('.sb-field-error').filter({ hasText: /./ }).first().waitFor();
  await at('details with errors');
  await w.locator('input[autocomplete="given-name"]').fill('Inês');
  await w.locator('input[autocomplete="family-name"]').fill('Ørsted');
  await w.locator('input[autocomplete="email"]').fill('ines@example.com');
  await w.locator('#sb-f-answers-q-people').fill('4');
  await w.locator('#sb-f-answers-q-place-0').check();
  await at('details filled');
  await w.locator('[part="next-button"]').click();
  await w.locator('input[name="sb-pay-method"]').first().waitFor();
  await w.locator('[part="next-button"]').click(); // nothing chosen: the messages
  await w.locator('#sb-pay-method-error').filter({ hasText: /./ }).waitFor();
  await w.locator('input[name="sb-pay-method"]').first().check();
  await w.locator('#sb-pay-deposit').check();
  await at('payment');
  await w.locator('[part="next-button"]').click();
  await w.locator('#sb-agree').waitFor();
  await w.locator('[part="next-button"]').click(); // the policies not agreed to
  await w.locator('#sb-agree-error').filter({ hasText: /./ }).waitFor();
  await w.locator('#sb-agree').check();
  await at('review');
  await w.locator('[part="next-button"]').click();
  await w.locator('.sb-booked').waitFor();
  await at('booked');
}

/** The studio's own words (names, descriptions, questions, options, policies, taxes…) as
 * they reach the widget: any text in the session types' answer. */
async function studioWords(api) {
  const list = await (await fetch(`${api}/session_types/?page=1&per_page=100`)).json();
  const out = [];
  const walk = (v) => {
    if (typeof v === 'string') out.push(v.replace(/<[^>]*>/g, ' '));
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(list);
  return out.join('\n');
}

test('the pseudo-language: no text and no accessible name of the widget without its markers, at any step', async () => {
  const { page: p, problems } = await visit(stack, '/pseudo', { zone: 'Asia/Kathmandu' });
  const w = p.locator('#w');
  const studio = `${await studioWords(stack.api)}\nInês Ørsted ines@example.com 4`;
  // What Intl writes in this locale: month and weekday names, the day periods, units, zones.
  const intlWords = new Set(await p.evaluate(() => {
    const words = [];
    const add = (s) => words.push(...(s.match(/\p{L}+/gu) ?? []));
    for (let m = 0; m < 12; m++) for (let d = 1; d <= 7; d++) {
      const date = new Date(Date.UTC(2026, m, d, 9, 30));
      for (const zone of ['Asia/Kathmandu', 'Europe/London']) {
        add(new Intl.DateTimeFormat('en-XA', { dateStyle: 'full', timeStyle: 'short', timeZone: zone }).formatRange(date, new Date(+date + 3600e3)));
        add(new Intl.DateTimeFormat('en-XA', { weekday: 'short', month: 'short', timeZone: zone, timeZoneName: 'long' }).format(date));
      }
    }
    for (const parts of [{ minutes: 20 }, { hours: 1 }, { hours: 2, minutes: 30 }]) add(new Intl.DurationFormat('en-XA', { style: 'long' }).format(parts));
    return words;
  }));
  const unmarked = [];
  await bookFamily(p, w, async (state) => {
    assert.equal(await root(w).getAttribute('lang'), 'en-XA');
    for (const text of await textsOf(p)) {
      let rest = text;
      while (/⟦[^⟦⟧]*⟧/.test(rest)) rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' '); // a message inside a message too
      rest = rest.trim();
      if (!rest || studio.includes(rest) || /^ses_\w+$/.test(rest)) continue;
      const words = (rest.match(/\p{L}+/gu) ?? []).filter((word) => !intlWords.has(word) && !studio.includes(word) && !/^ses_/.test(word));
      if (words.length) unmarked.push(`${state}: "${text}"`);
    }
  });
  await shot(p, 'languages-pseudo-booked');
  assert.deepEqual(unmarked, [], 'texts of the widget without the markers');
  assert.deepEqual(problems, []);
});

/** No part of the widget or its page wider than the screen, and no text cut off. */
async function nothingOverflows(p, where) {
  const found = await p.locator('#w').evaluate((host) => {
    const bad = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) bad.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px)`);
    for (const el of host.shadowRoot.querySelectorAll('*')) {
      const style = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      // Not drawn, or visually hidden for screen readers (the narrow step indicator's labels).
      if (style.display === 'none' || el.localName === 'style' || rect.width <= 1) continue;
      if (rect.width && (rect.right > window.innerWidth + 1 || rect.left < -1)) bad.push(`${el.className || el.localName} reaches past the screen`);
      if (el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'visible' && el.clientWidth > 0) bad.push(`${el.className || el.localName} cuts its text`);
    }
    return bad;
  });
  assert.deepEqual(found, [], `at ${where}`);
}

test('a whole booking in German at 375 px: long words, nothing cut off or overflowing, no English', async () => {
  const { page: p, problems } = await visit(stack, '/de', { width: 375, zone: 'Europe/Berlin', locale: 'de-DE' });
  const w = p.locator('#w');
  const de = await catalogue('de');
  let n = 0;
  await bookFamily(p, w, async (state) => {
    assert.deepEqual(await englishLeftIn(await textsOf(p), 'de'), [], `English at ${state}: ${(await textsOf(p)).join(' | ')}`);
    await nothingOverflows(p, state);
    await shot(p, `languages-de-375-${String(++n).padStart(2, '0')}-${state.replace(/ /g, '-')}`);
  });
  assert.equal(await heading(w).innerText(), de.heading_booked);
  assert.equal(await root(w).getAttribute('lang'), 'de-DE');
  // The same at 1280 px, for the eye.
  const wide = await visit(stack, '/de', { width: 1280, zone: 'Europe/Berlin', locale: 'de-DE' });
  await wide.page.locator('#w .sb-type-button').first().waitFor();
  await shot(wide.page, 'languages-de-1280-list');
  assert.deepEqual(problems, []);
});

test('a whole booking in Arabic: mirrored, the arrow keys mirrored, axe 0 violations at every step', async () => {
  const ar = await catalogue('ar');
  for (const width of [1280, 375]) {
    const { page: p, problems } = await visit(stack, '/ar', { width, zone: 'Asia/Dubai', locale: 'ar' });
    const w = p.locator('#w');
    let n = 0;
    await bookFamily(p, w, async (state) => {
      assert.equal(await root(w).getAttribute('dir'), 'rtl');
      assert.deepEqual(await englishLeftIn(await textsOf(p), 'ar'), [], `English at ${state}`);
      if (width === 1280) {
        const result = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
        axeChecks += 1;
        axeViolations += result.violations.length;
        assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((x) => x.target.join(' ')).join('; ')}`), [], `axe at ${state}`);
      }
      if (state === 'calendar') {
        // Mirrored: the week's first day on the right, "next month" on the left.
        const first = await w.locator('.sb-grid th').first().boundingBox();
        const last = await w.locator('.sb-grid th').last().boundingBox();
        assert.ok(first.x > last.x, 'the first weekday is drawn rightmost');
        const previous = await w.locator('.sb-calendar-head .sb-icon-button').first().boundingBox();
        const next = await w.locator('.sb-calendar-head .sb-icon-button').last().boundingBox();
        assert.ok(previous.x > next.x, 'previous month on the right, next on the left');
        // ArrowRight goes to the day drawn to the right: the day before.
        const day = w.locator('.sb-day[tabindex="0"]');
        const before = await day.getAttribute('data-date');
        await day.focus();
        await p.keyboard.press('ArrowLeft');
        const moved = await w.locator('.sb-day:focus').getAttribute('data-date');
        const next1 = new Date(`${before}T12:00:00Z`); next1.setUTCDate(next1.getUTCDate() + 1);
        assert.equal(moved, next1.toISOString().slice(0, 10), 'ArrowLeft: the next day');
        await p.keyboard.press('ArrowRight');
        assert.equal(await w.locator('.sb-day:focus').getAttribute('data-date'), before, 'ArrowRight: the day before');
      }
      await shot(p, `languages-ar-${width}-${String(++n).padStart(2, '0')}-${state.replace(/ /g, '-')}`);
    });
    assert.equal(await heading(w).innerText(), ar.heading_booked);
    if (width === 375) await nothingOverflows(p, 'the confirmation');
    assert.deepEqual(problems, []);
  }
});

test('a whole booking in Japanese, with no English', async () => {
  const { page: p, problems } = await visit(stack, '/ja', { zone: 'Asia/Tokyo', locale: 'ja-JP' });
  const w = p.locator('#w');
  const ja = await catalogue('ja');
  await bookFamily(p, w, async (state) => {
    assert.deepEqual(await englishLeftIn(await textsOf(p), 'ja'), [], `English at ${state}`);
  });
  await shot(p, 'languages-ja-booked');
  assert.equal(await heading(w).innerText(), ja.heading_booked);
  assert.deepEqual(problems, []);
});

test('which language: <html lang>, the browser, the locale attribute and its aliases, one page with many', async () => {
  const nl = await catalogue('nl');
  // The page's <html lang="nl">, no attribute: Dutch, though the browser prefers English.
  let v = await visit(stack, '/nl-page', { locale: 'en-GB' });
  await v.page.locator('#w .sb-type-button').first().waitFor();
  assert.equal(await heading(v.page.locator('#w')).innerText(), nl.heading_session);
  assert.equal(await root(v.page.locator('#w')).getAttribute('lang'), 'nl');
  // No <html lang>: the browser's first language we have.
  v = await visit(stack, '/no-lang', { locale: 'sv-SE' });
  await v.page.locator('#w .sb-type-button').first().waitFor();
  assert.equal(await heading(v.page.locator('#w')).innerText(), (await catalogue('sv')).heading_session);
  assert.equal(await root(v.page.locator('#w')).getAttribute('lang'), 'sv-SE');
  // ?locale= on the page decides over everything.
  v = await visit(stack, '/nl-page?locale=it', { locale: 'en-GB' });
  await v.page.locator('#w .sb-type-button').first().waitFor();
  assert.equal(await heading(v.page.locator('#w')).innerText(), (await catalogue('it')).heading_session);
  // Five widgets, five languages: fr-CA → French, pt → Portuguese (Brazil), no → Norwegian
  // Bokmål, he → Hebrew (right to left), xx-YY → English.
  v = await visit(stack, '/many', { locale: 'en-GB' });
  const wanted = [['fr', 'fr-CA', 'ltr'], ['pt-BR', 'pt', 'ltr'], ['nb', 'nb', 'ltr'], ['he', 'he', 'rtl'], ['en', 'en', 'ltr']];
  for (const [i, [code, lang, dir]] of wanted.entries()) {
    const w = v.page.locator(`#w${i}`);
    await w.locator('.sb-type-button').first().waitFor();
    assert.equal(await heading(w).innerText(), (await catalogue(code)).heading_session, code);
    assert.equal(await root(w).getAttribute('lang'), lang === 'en' ? 'en' : lang);
    assert.equal(await root(w).getAttribute('dir'), dir);
  }
  // Only the languages used were fetched (each its first screen's words, then all of them).
  const fetched = await v.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/lang/')).map((n) => n.split('/').pop()));
  assert.deepEqual([...new Set(fetched.map((f) => f.replace(/(\.first)?\.json$/, '')))].sort(), ['fr', 'he', 'nb', 'pt-BR']);
  assert.ok(fetched.every((f) => fetched.filter((g) => g === f).length === 1), `each file once: ${fetched}`);
  await shot(v.page, 'languages-many');
});

test('iframe mode passes the language on', async () => {
  const { page: p } = await visit(stack, '/framed-de', { locale: 'en-GB' });
  const frame = p.frameLocator('#w iframe');
  await frame.locator('.sb-type-button').first().waitFor();
  assert.equal(await frame.locator('#sb-heading').innerText(), (await catalogue('de')).heading_session);
  assert.equal(await p.locator('#w iframe').getAttribute('title'), (await catalogue('de')).open_booking);
});

test("the loader's message in French when the widget's files cannot be loaded", async () => {
  const fr = await catalogue('fr');
  const { page: p } = await visit(stack, '/fr', { locale: 'fr-FR', prepare: (context) => context.route(/\.wasm$/, (r) => r.abort()) });
  // The list drawn before the code says so once a session type is chosen.
  await p.locator('#w .sb-type-button').first().click();
  const alert = p.locator('#w').getByRole('alert');
  await alert.waitFor();
  assert.equal(await alert.locator('p').innerText(), fr.loader_failed);
  assert.equal(await alert.getByRole('button').innerText(), fr.retry);
  assert.equal(await alert.evaluate((a) => a.closest('[lang]').lang), 'fr');
  const events = await p.evaluate(() => window.__events.filter((e) => e.name === 'error'));
  assert.equal(events.at(-1).detail.message, fr.loader_failed);
});

test('a language file that cannot be loaded: English, and nothing said', async () => {
  const { page: p, problems } = await visit(stack, '/fr', { locale: 'fr-FR', prepare: (context) => context.route(/\/lang\//, (r) => r.fulfill({ status: 404, body: 'gone' })) });
  const w = p.locator('#w');
  await w.locator('.sb-type-button').first().waitFor();
  assert.equal(await heading(w).innerText(), en.heading_session);
  assert.equal(await w.getByRole('alert').count(), 0);
  // Dates and prices still in French.
  assert.match(await w.locator('.sb-type-facts').first().innerText(), /€|£|\u00a0/);
  assert.deepEqual(problems.filter((m) => !/404/.test(m)), []);
});
