// The embed on a photographer's page of its own origin, with the widget's files on a second
// origin (a CDN) and the studio's API on a third: only the snippet, nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { startMock, startStatic, startPages, chromiumOptions, screenshotDir, inlineSnippet, zoneShown, EVENTS } from './stack.mjs';

let mock, cdn, site, browser;

const page = (body, head = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Photographer</title>
<link rel="icon" href="data:,">${head}</head><body><h1>Our studio</h1>${body}
<script>window.__events = []; for (const n of ${JSON.stringify(EVENTS)})
  document.addEventListener('studio-booking:' + n, (e) => window.__events.push({ name: n, detail: e.detail, from: e.target.id }));</script>
</body></html>`;

before(async () => {
  mock = await startMock();
  cdn = await startStatic(mock.url);
  const api = `${mock.url}/api/v1`;
  const snippet = `<script async src="${cdn.url}/studio-booking.js"></script>`;
  const inline = await inlineSnippet(cdn.url);
  site = await startPages({
    '/after': page(`${snippet}<studio-booking id="w" api-base="${api}" prefill-name="Ana Silva" prefill-email="ana@example.com" accent="rebeccapurple"><p>Book by e-mail</p></studio-booking>`),
    '/module-before': page(`<studio-booking id="w" api-base="${api}" session-type="set_MINIAUTUMN00000000000000000000"></studio-booking><script type="module" src="${cdn.url}/studio-booking.js"></script>`),
    '/added-later': page(`${snippet}<div id="slot"></div><script>setTimeout(() => { const el = document.createElement('studio-booking'); el.id = 'w'; el.setAttribute('api-base', '${api}'); document.getElementById('slot').append(el); }, 300);</script>`),
    '/two': page(`${snippet}<studio-booking id="a" api-base="${api}"></studio-booking><studio-booking id="b" api-base="${api}" session-type="set_HEADSHOTS000000000000000000000"></studio-booking>`),
    '/dark': page(`${snippet}<studio-booking id="w" api-base="${api}" theme="dark"></studio-booking>`, '<style>body { background: #111 }</style>'),
    '/hostile-css': page(`${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>`, '<style>* { all: revert } button { display: none !important } input { visibility: hidden } studio-booking * { color: red }</style>'),
    '/no-api': page(`${snippet}<studio-booking id="w"></studio-booking>`),
    '/no-element': page(`${snippet}<p>No widget here.</p>`),
    '/de-kathmandu': page(`${snippet}<studio-booking id="w" api-base="${api}" locale="de-DE" timezone="Asia/Kathmandu" session-type="set_HEADSHOTS000000000000000000000"></studio-booking>`),
    '/us-new-york': page(`${snippet}<studio-booking id="w" api-base="${api}" locale="en-US" timezone="America/New_York" session-type="set_HEADSHOTS000000000000000000000"></studio-booking>`),
    '/bad-zone': page(`${snippet}<studio-booking id="w" api-base="${api}" timezone="Foo/Bar/Baz/Qux" session-type="set_HEADSHOTS000000000000000000000"></studio-booking>`),
    '/unreachable': page(`${snippet}<studio-booking id="w" api-base="http://127.0.0.1:9/api/v1" fallback-href="https://juniper.example/book"></studio-booking>`),
    '/hints': page(`${snippet}<studio-booking id="w" api-base="${api}" session-type="set_MINIAUTUMN00000000000000000000"></studio-booking>`,
      `<link rel="preload" href="${cdn.url}/studio-booking-widget_bg.wasm" as="fetch" crossorigin><link rel="modulepreload" href="${cdn.url}/studio-booking-widget.js" crossorigin>`),
    '/inline': page(`<p>Book below.</p>${inline}<studio-booking id="w" api-base="${api}" session-type="set_MINIAUTUMN00000000000000000000"></studio-booking>`),
    '/inline-two': page(`${inline}<studio-booking id="a" api-base="${api}"></studio-booking><p>And headshots:</p>${inline}<studio-booking id="b" api-base="${api}" session-type="set_HEADSHOTS000000000000000000000"></studio-booking>`),
    '/popup': page(`${snippet}<p>Autumn minis! <studio-booking id="w" mode="popup" api-base="${api}" session-type="set_MINIAUTUMN00000000000000000000">Book your mini session</studio-booking></p>`),
  });
  browser = await chromium.launch(chromiumOptions);
});

after(async () => {
  await browser?.close();
  await site?.close();
  await cdn?.close();
  mock?.child.kill('SIGTERM');
});

async function open(path, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  const p = await context.newPage();
  const problems = [];
  const requests = [];
  p.on('console', (m) => { if (['error', 'warning'].includes(m.type())) problems.push(m.text()); });
  p.on('pageerror', (e) => problems.push(String(e)));
  p.on('request', (r) => requests.push(r.url()));
  await p.goto(site.url + path);
  return { p, context, problems, requests };
}

const events = (p) => p.evaluate(() => window.__events);

test('the preload hints of docs/embedding.md: each file is fetched once, by the hint, and used', async () => {
  const { p, context, problems, requests } = await open('/hints');
  await p.locator('studio-booking').locator('.sb-day-open').first().waitFor();
  // Chromium warns a few seconds after load about a preload nobody used, or one it could not
  // use (credentials mode not matching): give it the time to say so.
  await p.waitForTimeout(3500);
  assert.equal(requests.filter((u) => u.endsWith('/studio-booking-widget_bg.wasm')).length, 1, 'the wasm once');
  assert.equal(requests.filter((u) => u.endsWith('/studio-booking-widget.js')).length, 1, 'the glue once');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the inline snippet of docs/embedding.md: the loader and both files asked for at once, each fetched once, twice pasted too', async () => {
  // docs/embedding.md shows the snippet this test runs (loader/inline-snippet.html), word for word.
  const doc = await readFile(new URL('../docs/embedding.md', import.meta.url), 'utf8');
  const script = (await readFile(new URL('../loader/inline-snippet.html', import.meta.url), 'utf8')).replace(/^<!--[\s\S]*?-->\s*/, '').trim();
  assert.ok(doc.includes(script), 'docs/embedding.md shows loader/inline-snippet.html as it is');
  for (const path of ['/inline', '/inline-two']) {
    const { p, context, problems, requests } = await open(path);
    await p.locator('studio-booking').last().locator('.sb-day-open').first().waitFor();
    if (path === '/inline-two') await p.locator('#a').getByRole('button', { name: 'Family Portrait Session', exact: true }).waitFor();
    await p.waitForTimeout(3500); // Chromium's warning about an unused or unusable preload comes after a few seconds
    for (const file of ['studio-booking.js', 'studio-booking-widget_bg.wasm', 'studio-booking-widget.js']) {
      assert.equal(requests.filter((u) => u.endsWith(`/${file}`)).length, 1, `${path}: ${file} once`);
    }
    // The wasm and the glue were asked for with the loader, not after it (before it in the list of requests).
    const order = (file) => requests.findIndex((u) => u.endsWith(`/${file}`));
    assert.ok(order('studio-booking-widget_bg.wasm') < order('studio-booking.js'), `${path}: the wasm asked for before the loader arrived`);
    assert.deepEqual(problems, [], path);
    await context.close();
  }
});

test('a page of its own origin books with only the snippet; prefill, accent and events', async () => {
  const { p, context, problems } = await open('/after');
  await p.getByRole('button', { name: 'Mini Session — Autumn Leaves', exact: true }).click();
  await p.locator('.sb-day-open').first().click();
  await p.locator('.sb-slot').first().click();
  await p.getByRole('button', { name: 'Continue' }).click();
  assert.equal(await p.getByLabel('First name', { exact: true }).inputValue(), 'Ana');
  assert.equal(await p.getByLabel('Last name', { exact: true }).inputValue(), 'Silva');
  assert.equal(await p.getByLabel('Email', { exact: true }).inputValue(), 'ana@example.com');
  const accent = await p.locator('.sb-next').evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(accent, 'rgb(102, 51, 153)');
  await p.getByLabel('Which setting would you like?').selectOption('blanket');
  await p.getByRole('button', { name: 'Continue' }).click();
  await p.getByRole('button', { name: /Book/ }).click();
  await p.getByRole('heading', { name: 'Booked' }).waitFor();
  const seen = await events(p);
  const names = seen.map((e) => e.name);
  for (const n of ['ready', 'session-type-selected', 'date-selected', 'slot-selected', 'booked']) assert.ok(names.includes(n), `${n} in ${names}`);
  const booked = seen.find((e) => e.name === 'booked');
  assert.match(booked.detail.id, /^ses_/);
  assert.equal(booked.from, 'w');
  assert.equal(booked.detail.answers.q_backdrop, 'blanket');
  assert.deepEqual(problems, []);
  await p.screenshot({ path: join(screenshotDir, 'embed-third-origin.png'), fullPage: true });
  await context.close();
});

test('as a module script placed before the element, with a preselected session type', async () => {
  const { p, context, problems } = await open('/module-before');
  await p.getByRole('heading', { name: 'Choose a date and time' }).waitFor();
  assert.match(await p.locator('.sb-summary').innerText(), /Mini Session/);
  assert.equal(await p.getByRole('button', { name: 'Back' }).count(), 0, 'no way back to a list the page chose to skip');
  // Opening on the calendar by itself takes no focus from the page (nor scrolls it).
  await p.locator('.sb-day-open').first().waitFor();
  assert.equal(await p.evaluate(() => document.activeElement === document.body), true, 'the widget took focus on load');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an element added later by the page starts too', async () => {
  const { p, context, problems } = await open('/added-later');
  await p.getByRole('button', { name: 'Family Portrait Session', exact: true }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('two widgets on one page work independently', async () => {
  const { p, context, problems } = await open('/two');
  const a = p.locator('#a');
  const b = p.locator('#b');
  await a.getByRole('button', { name: 'Family Portrait Session', exact: true }).click();
  await b.getByRole('heading', { name: 'Choose a date and time' }).waitFor();
  await a.getByRole('heading', { name: 'Choose a date and time' }).waitFor();
  assert.match(await a.locator('.sb-summary').innerText(), /Family Portrait/);
  assert.match(await b.locator('.sb-summary').innerText(), /Business Headshots/);
  await a.locator('.sb-day-open').first().click();
  assert.equal(await b.locator('.sb-slot').count(), 0, 'a day chosen in one widget is not chosen in the other');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a press on the list held while the widget arrives chooses at its release', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  const p = await context.newPage();
  const problems = [];
  p.on('pageerror', (e) => problems.push(String(e)));
  // The widget's code is held back until the button is pressed.
  let letCodeIn;
  const pressed = new Promise((resolve) => { letCodeIn = resolve; });
  await p.route(/studio-booking-widget_bg\.wasm$/, async (route) => { await pressed; await route.continue(); });
  await p.goto(`${site.url}/dark`);
  const w = p.locator('#w');
  const box = await w.getByRole('button', { name: 'Family Portrait Session', exact: true }).boundingBox();
  await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await p.mouse.down();
  letCodeIn();
  // The widget has drawn its own list, hidden: the swap waits for the release.
  await w.locator('.sb-root:not([data-early]) .sb-type-list').waitFor({ state: 'attached' });
  assert.equal(await w.locator('.sb-root[data-early]').count(), 1, 'the first screen was swapped under a pressed button');
  await p.mouse.up();
  await w.getByRole('heading', { name: 'Choose a date and time' }).waitFor();
  assert.match(await w.locator('.sb-summary').innerText(), /Family Portrait/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the host page's CSS cannot restyle the widget", async () => {
  const { p, context } = await open('/hostile-css');
  const button = p.getByRole('button', { name: 'Family Portrait Session', exact: true });
  await button.waitFor();
  assert.ok(await button.isVisible());
  assert.notEqual(await button.evaluate((b) => getComputedStyle(b).color), 'rgb(255, 0, 0)');
  await button.click();
  await p.locator('.sb-day-open').first().click();
  await p.locator('.sb-slot').first().click();
  await p.getByRole('button', { name: 'Continue' }).click();
  assert.ok(await p.getByLabel('First name', { exact: true }).isVisible());
  await p.screenshot({ path: join(screenshotDir, 'embed-hostile-css.png'), fullPage: true });
  await context.close();
});

test('theme="dark" turns the widget dark', async () => {
  const { p, context, problems } = await open('/dark');
  const button = p.getByRole('button', { name: 'Family Portrait Session', exact: true });
  await button.waitFor();
  assert.equal(await p.locator('#w .sb-root').evaluate((r) => getComputedStyle(r).backgroundColor), 'rgb(29, 26, 24)');
  assert.equal(await button.evaluate((b) => getComputedStyle(b).color), 'rgb(243, 238, 233)');
  await p.screenshot({ path: join(screenshotDir, 'embed-dark.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a missing api-base says so plainly', async () => {
  const { p, context } = await open('/no-api');
  await p.getByRole('alert').filter({ hasText: 'no studio address' }).waitFor();
  await context.close();
});

test('no request for the widget before an element is on the page', async () => {
  const { p, context, problems } = await open('/no-element');
  await p.waitForTimeout(500);
  assert.deepEqual(problems, []);
  const { requests } = { requests: await p.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name)) };
  assert.ok(requests.some((u) => u.endsWith('/studio-booking.js')));
  assert.ok(!requests.some((u) => u.includes('studio-booking-widget')), `loaded: ${requests}`);
  assert.ok(!requests.some((u) => u.includes('/api/v1/')));
  // No global but the element.
  assert.equal(await p.evaluate(() => Object.keys(window).filter((k) => /studio|booking|wasm/i.test(k)).length), 0);
  await context.close();
});

test('popup mode: a button opens an accessible dialog; Escape closes it and focus returns', async () => {
  const { p, context, problems } = await open('/popup');
  const opener = p.getByRole('button', { name: 'Book your mini session' });
  await opener.click();
  const dialog = p.getByRole('dialog', { name: 'Book your mini session' });
  await dialog.waitFor();
  await dialog.getByRole('heading', { name: 'Choose a date and time' }).waitFor();
  // Focus stays inside the modal dialog.
  for (let i = 0; i < 40; i++) await p.keyboard.press('Tab');
  assert.ok(await p.evaluate(() => {
    const host = document.getElementById('w');
    return host.shadowRoot.querySelector('dialog').contains(host.shadowRoot.activeElement);
  }), 'focus left the dialog');
  await p.screenshot({ path: join(screenshotDir, 'embed-popup.png') });
  await p.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.ok(await p.evaluate(() => document.getElementById('w').shadowRoot.activeElement?.classList.contains('sb-open-button')), 'focus did not return to the button');
  // The element's JS API opens and closes it too.
  await p.evaluate(() => document.getElementById('w').open());
  await dialog.waitFor();
  await p.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'hidden' });
  // And a booking made in it, end to end.
  await opener.click();
  await dialog.locator('.sb-day-open').first().click();
  await dialog.locator('.sb-slot').first().click();
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByLabel('First name', { exact: true }).fill('Pop');
  await dialog.getByLabel('Last name', { exact: true }).fill('Up');
  await dialog.getByLabel('Email', { exact: true }).fill('pop@example.com');
  await dialog.getByLabel('Which setting would you like?').selectOption('blanket');
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByRole('button', { name: /Book/ }).click();
  await dialog.getByRole('heading', { name: 'Booked' }).waitFor();
  const booked = (await events(p)).find((e) => e.name === 'booked');
  const sessions = (await (await fetch(`${mock.url}/api/v1/sessions?per_page=100`)).json()).data;
  assert.equal(sessions.filter((x) => x.id === booked.detail.id && x.client.email === 'pop@example.com').length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

/** The first open day's first slot: its label, and the instant the widget says it is. */
async function firstSlot(p) {
  await p.locator('.sb-day-open').first().click();
  const slot = p.locator('.sb-slot').first();
  const label = (await slot.innerText()).trim();
  await slot.click();
  const start = (await events(p)).filter((e) => e.name === 'slot-selected').at(-1).detail.start;
  return { label, start };
}

test('locale and timezone attributes: German dates, 24-hour times in Kathmandu (+05:45)', async () => {
  const { p, context, problems } = await open('/de-kathmandu');
  await zoneShown(p, p, 'Asia/Kathmandu', 'de-DE');
  const month = await p.locator('.sb-month-title').innerText();
  assert.match(month, /^(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) 20\d\d$/);
  assert.equal((await p.locator('.sb-grid th').first().innerText()).trim().slice(0, 2), 'Mo');
  const { label, start } = await firstSlot(p);
  assert.match(label, /^\d\d:\d\d/);
  const expected = new Intl.DateTimeFormat('de-DE', { timeZone: 'Asia/Kathmandu', hour: '2-digit', minute: '2-digit' }).format(new Date(start));
  assert.ok(label.startsWith(expected), `${label} shows ${start} in Kathmandu as ${expected}`);
  assert.match(await p.locator('.sb-day-title').innerText(), /^(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag), \d{1,2}\. \S+ 20\d\d$/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('locale="en-US" timezone="America/New_York": weeks start on Sunday, 12-hour times', async () => {
  const { p, context, problems } = await open('/us-new-york');
  await zoneShown(p, p, 'America/New_York', 'en-US');
  assert.equal((await p.locator('.sb-grid th').first().innerText()).trim().slice(0, 2), 'Su');
  const { label, start } = await firstSlot(p);
  const expected = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeStyle: 'short' }).format(new Date(start));
  assert.ok(label.startsWith(expected), `${label} vs ${expected}`);
  assert.match(label, /[AP]M/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a timezone attribute that is no zone falls back to the visitor\u2019s own, quietly', async () => {
  const { p, context, problems } = await open('/bad-zone');
  await zoneShown(p, p, 'Europe/London', 'en-GB');
  assert.deepEqual(problems, []);
  await context.close();
});

test('changing attributes after mount takes effect', async () => {
  const { p, context, problems } = await open('/us-new-york');
  await zoneShown(p, p, 'America/New_York', 'en-US');
  await p.evaluate(() => {
    const w = document.getElementById('w');
    w.setAttribute('session-type', 'set_MINIAUTUMN00000000000000000000');
    w.setAttribute('locale', 'fr-FR');
    w.setAttribute('timezone', 'Asia/Tokyo');
    w.setAttribute('theme', 'dark');
  });
  await zoneShown(p, p, 'Asia/Tokyo', 'fr-FR');
  assert.match(await p.locator('.sb-summary').innerText(), /Mini Session/);
  assert.match(await p.locator('.sb-month-title').innerText(), /^(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) 20\d\d$/);
  assert.equal(await p.locator('#w .sb-root').evaluate((r) => getComputedStyle(r).colorScheme), 'dark');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an unreachable studio: a plain message with a retry, and an error event, within 8 s', async () => {
  const { p, context } = await open('/unreachable');
  const started = Date.now();
  await p.getByRole('alert').waitFor({ timeout: 8000 });
  assert.ok(Date.now() - started <= 8000);
  assert.ok(await p.getByRole('button', { name: 'Try again' }).isVisible());
  assert.ok((await events(p)).some((e) => e.name === 'error' && e.detail.message));
  await context.close();
});
