// Faults, injected by the mock studio (mock-studio/src/faults.rs) or by the browser: the
// visitor can always go on, nothing typed is lost, and nothing is booked twice.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { foreignStack, hostPage, visit, sessionsOn, injectFaults, clearFaults, faultsInjected, recordFigures, screenshotDir } from './stack.mjs';

const HEADSHOTS = 'set_HEADSHOTS000000000000000000000';
const MINI = 'set_MINIAUTUMN00000000000000000000';
const stack = foreignStack({
  pages: ({ api, snippet }) => ({
    '/': hostPage(`${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>`),
    '/headshots': hostPage(`${snippet}<studio-booking id="w" api-base="${api}" session-type="${HEADSHOTS}"></studio-booking>`),
    '/mini': hostPage(`${snippet}<studio-booking id="w" api-base="${api}" session-type="${MINI}"></studio-booking>`),
    '/two': hostPage(`${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>
<p>Or book a mini session straight away:</p><studio-booking id="w2" api-base="${api}" session-type="${MINI}"></studio-booking>`),
  }),
});

let bookingsMade = 0;
const emails = [];
afterEach(() => clearFaults(stack));
const events = (page) => page.evaluate(() => window.__events);
/** The path piece of a day's availability: "check-day-avail/2026-11-26-" (months and days unpadded). */
const dayPath = (iso) => { const [y, m, d] = iso.split('-').map(Number); return `check-day-avail/${y}-${m}-${d}-`; };

async function toDetails(w, { day = 0 } = {}) {
  await w.locator('.sb-day-open').first().waitFor();
  await w.locator('.sb-day-open').nth(day).click();
  await w.locator('.sb-slot:not(.sb-skeleton-line)').first().click();
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByRole('heading', { name: 'Your details' }).waitFor();
}

async function fillMini(w, name, email) {
  await w.getByLabel('First name', { exact: true }).fill(name);
  await w.getByLabel('Last name', { exact: true }).fill('Faulty');
  await w.getByLabel('Email', { exact: true }).fill(email);
  await w.getByLabel('Which setting would you like?').selectOption('blanket');
  await w.getByLabel('Anything we should know?').fill(`Notes from ${name}`);
}

test('a 503 with Retry-After on the first request: the list still appears, with no click', async () => {
  await injectFaults(stack, [{ kind: 'status', status: 503, retry_after: 1, path: '/session_types', method: 'GET', count: 1 }]);
  const { page, context, problems } = await visit(stack, '/');
  const w = page.locator('#w');
  await w.getByRole('button', { name: 'Family Portrait Session', exact: true }).waitFor({ timeout: 8000 });
  assert.equal(await w.getByRole('alert').count(), 0, 'no error shown');
  assert.ok(!(await events(page)).some((e) => e.name === 'error'));
  assert.deepEqual(problems.filter((p) => !/503/.test(p)), []); // the browser itself logs the failed request
  await context.close();
});

/** Records in `window.__skeletons` each time the waiting cards are put into a widget, and in
 * `window.__lists` each time the list of session types is. */
const SKELETON_WATCH = () => {
  window.__skeletons = 0;
  window.__lists = 0;
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    const has = (n, selector) => n.matches(selector) || n.querySelector(selector);
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        if (has(n, '.sb-skeleton-list')) window.__skeletons++;
        if (has(n, '.sb-type-list')) window.__lists++;
      }
    }).observe(root, { childList: true, subtree: true });
    return root;
  };
};

test('a slow studio: the waiting cards and message show, say so after a second, then the list', async () => {
  await injectFaults(stack, [{ kind: 'latency', latency_ms: 2500, path: '/session_types/', method: 'GET', count: 1 }]);
  const { page, context, problems } = await visit(stack, '/');
  const w = page.locator('#w');
  await w.locator('.sb-skeleton-list').waitFor();
  await w.getByRole('status').filter({ hasText: "Loading the studio's sessions" }).waitFor();
  await w.getByRole('status').filter({ hasText: 'Still waiting for the studio' }).waitFor();
  await w.getByRole('button', { name: 'Family Portrait Session', exact: true }).waitFor({ timeout: 8000 });
  assert.equal(await w.locator('.sb-skeleton-list').count(), 0, 'the waiting cards are gone');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an answer the loader already has is shown at once: the waiting cards are never drawn', async () => {
  const context = await stack.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  await context.addInitScript(SKELETON_WATCH);
  const page = await context.newPage();
  await page.goto(`${stack.site.url}/`);
  const w = page.locator('#w');
  await w.getByRole('button', { name: 'Family Portrait Session', exact: true }).waitFor();
  const arrived = await page.evaluate(() => {
    const entry = (end) => performance.getEntriesByType('resource').find((e) => e.name.includes(end));
    return { list: entry('/session_types/?').responseEnd, wasm: entry('.wasm').responseEnd };
  });
  // Only meaningful when the list's answer came before the widget's code (always, on loopback).
  if (arrived.list < arrived.wasm) assert.equal(await page.evaluate(() => window.__skeletons), 0, 'no waiting cards were drawn');
  await context.close();
});

test('a widget opening on a later step never draws the list first: a preselected session type, a reloaded draft', async () => {
  const context = await stack.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  await context.addInitScript(SKELETON_WATCH);
  const page = await context.newPage();
  await page.goto(`${stack.site.url}/headshots`);
  const w = page.locator('#w');
  await w.getByRole('grid').waitFor();
  assert.equal(await page.evaluate(() => window.__lists), 0, 'a preselected session type: no list drawn');
  // A draft on the date step, taken back after a reload of a page without a preselection.
  await page.goto(`${stack.site.url}/`);
  await w.getByRole('button', { name: 'Family Portrait Session', exact: true }).click();
  await w.getByRole('grid').waitFor();
  await page.reload();
  await w.getByRole('grid').waitFor();
  assert.equal(await w.getByRole('heading', { name: 'Choose a date and time' }).count(), 1);
  assert.equal(await page.evaluate(() => window.__lists), 0, 'a reloaded draft: no list drawn');
  await context.close();
});

test('a storm of 429s: a calm message and a retry that works once it passes', async () => {
  await injectFaults(stack, [{ kind: 'status', status: 429, retry_after: 1, path: '/session_types', method: 'GET' }]);
  const { page, context } = await visit(stack, '/');
  const w = page.locator('#w');
  const alert = w.getByRole('alert');
  await alert.waitFor({ timeout: 10_000 });
  assert.match(await alert.innerText(), /busy right now/);
  assert.doesNotMatch(await alert.innerText(), /429|error|failed/i);
  await page.screenshot({ path: join(screenshotDir, 'fault-429.png') });
  await clearFaults(stack);
  await w.getByRole('button', { name: 'Try again' }).click();
  await w.getByRole('button', { name: 'Family Portrait Session', exact: true }).waitFor();
  await context.close();
});

test('a 500 on the month and malformed JSON on the day: errors with retries that work', async () => {
  await injectFaults(stack, [{ kind: 'status', status: 500, path: 'check-month-avail' }]);
  const { page, context } = await visit(stack, '/headshots');
  const w = page.locator('#w');
  await w.getByRole('alert').waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(screenshotDir, 'fault-month-500.png') });
  // The retry's answer is slow: the message stays, its button says it is trying again.
  await clearFaults(stack);
  await injectFaults(stack, [{ kind: 'latency', latency_ms: 1500, path: 'check-month-avail', count: 1 }]);
  await w.getByRole('button', { name: 'Try again' }).click();
  const trying = w.getByRole('button', { name: 'Trying again…' });
  await trying.waitFor({ timeout: 1_000 });
  assert.ok(await trying.isDisabled());
  assert.ok(await w.getByRole('alert').isVisible());
  await page.screenshot({ path: join(screenshotDir, 'fault-month-retrying.png') });
  await w.locator('.sb-day-open').nth(1).waitFor();
  await clearFaults(stack);
  // The day: garbage instead of JSON (the first open day may be prefetched: take another).
  const day = await w.locator('.sb-day-open').nth(2).getAttribute('data-date');
  await injectFaults(stack, [{ kind: 'malformed', path: dayPath(day) }]);
  await w.locator(`.sb-day[data-date="${day}"]`).click();
  const alert = w.getByRole('alert');
  await alert.waitFor({ timeout: 10_000 });
  assert.match(await alert.innerText(), /couldn't read/);
  await clearFaults(stack);
  await w.getByRole('button', { name: 'Try again' }).click();
  await w.locator('.sb-slot:not(.sb-skeleton-line)').first().waitFor();
  await context.close();
});

test('slow answers out of order: day A clicked, then day B: only B’s times are shown', async () => {
  const { page, context } = await visit(stack, '/headshots');
  const w = page.locator('#w');
  await w.locator('.sb-day-open').nth(2).waitFor();
  const [a, b] = await w.locator('.sb-day-open').evaluateAll((d) => d.slice(1, 3).map((x) => x.getAttribute('data-date')));
  await injectFaults(stack, [{ kind: 'latency', latency_ms: 1500, path: dayPath(a) }]);
  await w.locator(`.sb-day[data-date="${a}"]`).click();
  await w.locator(`.sb-day[data-date="${b}"]`).click();
  await w.locator('.sb-slot:not(.sb-skeleton-line)').first().waitFor();
  await page.waitForTimeout(2000); // A's answer has arrived (or was abandoned) by now
  assert.equal(await w.locator('.sb-day-chosen').getAttribute('data-date'), b);
  const shownDay = await w.locator('.sb-day-title').innerText();
  assert.equal(shownDay, await w.locator(`.sb-day[data-date="${b}"]`).getAttribute('aria-label'));
  for (const slot of await w.locator('.sb-slot').all()) {
    await slot.click();
    const start = (await events(page)).filter((e) => e.name === 'slot-selected').at(-1).detail.start;
    assert.equal(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(start)), b, `${start} belongs to ${b}`);
  }
  await context.close();
});

test('offline in the middle of the form: a message, nothing lost, booked once back online', async () => {
  const { page, context } = await visit(stack, '/mini');
  const w = page.locator('#w');
  await toDetails(w);
  await fillMini(w, 'Olive', 'olive@example.com');
  await context.setOffline(true);
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByRole('button', { name: 'Book this session' }).click();
  const alert = w.getByRole('alert');
  await alert.waitFor({ timeout: 15_000 });
  assert.match(await alert.innerText(), /offline/);
  await page.screenshot({ path: join(screenshotDir, 'fault-offline.png'), fullPage: true });
  assert.equal((await sessionsOn(stack)).filter((s) => s.client.email === 'olive@example.com').length, 0);
  // Everything typed is still there.
  await w.getByRole('button', { name: 'Back' }).click();
  assert.equal(await w.getByLabel('First name', { exact: true }).inputValue(), 'Olive');
  assert.equal(await w.getByLabel('Anything we should know?').inputValue(), 'Notes from Olive');
  await context.setOffline(false);
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByRole('button', { name: 'Book this session' }).click();
  await w.getByRole('heading', { name: 'Booked' }).waitFor();
  bookingsMade += 1;
  emails.push('olive@example.com');
  const mine = (await sessionsOn(stack)).filter((s) => s.client.email === 'olive@example.com');
  assert.equal(mine.length, 1);
  assert.equal(mine[0].answers.q_notes, 'Notes from Olive');
  await context.close();
});

test('the book button double-clicked and the answer dropped: exactly one session', async () => {
  const { page, context } = await visit(stack, '/mini');
  const w = page.locator('#w');
  await toDetails(w);
  await fillMini(w, 'Dora', 'dora@example.com');
  await w.getByRole('button', { name: 'Continue' }).click();
  // Dropped twice: Chromium itself resends a request whose reused connection closed without
  // an answer, so the second drop makes the widget's own retry (same key) do the rest.
  const before = await faultsInjected(stack);
  await injectFaults(stack, [{ kind: 'drop_after', path: '/sessions', method: 'POST', count: 2 }]);
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.headers()['idempotency-key']); });
  await w.getByRole('button', { name: 'Book this session' }).dblclick();
  await w.getByRole('heading', { name: 'Booked' }).waitFor({ timeout: 15_000 });
  bookingsMade += 1;
  emails.push('dora@example.com');
  const mine = (await sessionsOn(stack)).filter((s) => s.client.email === 'dora@example.com');
  assert.equal(mine.length, 1, 'one session, though the studio saw the request twice');
  assert.equal(await faultsInjected(stack) - before, 2, 'both answers were dropped after the work was done');
  assert.ok(posts.length >= 1 && new Set(posts).size === 1, `every POST the page sent had the same Idempotency-Key (${posts.length} POSTs)`);
  const booked = (await events(page)).filter((e) => e.name === 'booked');
  assert.equal(booked.length, 1);
  assert.equal(booked[0].detail.id, mine[0].id);
  await context.close();
});

test('two visitors book the same time at once: one booking, the other sees fresh times with everything kept', async () => {
  const one = await visit(stack, '/mini');
  const two = await visit(stack, '/mini');
  const visitors = [[one, 'Uma', 'uma@example.com'], [two, 'Vic', 'vic@example.com']];
  for (const [v, name, email] of visitors) {
    const w = v.page.locator('#w');
    await toDetails(w, { day: 1 });
    await fillMini(w, name, email);
    await w.getByRole('button', { name: 'Continue' }).click();
    await w.getByRole('button', { name: 'Book this session' }).waitFor();
  }
  const slotOf = async (page) => (await events(page)).filter((e) => e.name === 'slot-selected').at(-1).detail.start;
  assert.equal(await slotOf(one.page), await slotOf(two.page), 'the same time');
  const taken = await slotOf(one.page);
  await Promise.all(visitors.map(([v]) => v.page.locator('#w').getByRole('button', { name: 'Book this session' }).click()));
  // One is booked; the other is told, and is back at the times of that day.
  const outcome = async ([v, name, email]) => {
    const w = v.page.locator('#w');
    await Promise.race([
      w.getByRole('heading', { name: 'Booked' }).waitFor({ timeout: 15_000 }),
      w.getByText('Sorry, that time was just taken.').waitFor({ timeout: 15_000 }),
    ]);
    return { v, name, email, won: await w.getByRole('heading', { name: 'Booked' }).count() === 1 };
  };
  const results = await Promise.all(visitors.map(outcome));
  assert.equal(results.filter((r) => r.won).length, 1, 'exactly one wins');
  const loser = results.find((r) => !r.won);
  const w = loser.v.page.locator('#w');
  await w.getByRole('heading', { name: 'Choose a date and time' }).waitFor();
  await loser.v.page.screenshot({ path: join(screenshotDir, 'fault-409.png'), fullPage: true });
  // The taken time is no longer offered.
  await w.locator('.sb-slot:not(.sb-skeleton-line)').first().waitFor();
  const offered = [];
  for (const slot of await w.locator('.sb-slot').all()) {
    await slot.click();
    offered.push(await slotOf(loser.v.page));
  }
  assert.ok(!offered.some((s) => Date.parse(s) === Date.parse(taken)), 'the taken time is gone');
  // Another time, and everything typed is still there.
  await w.getByRole('button', { name: 'Continue' }).click();
  assert.equal(await w.getByLabel('First name', { exact: true }).inputValue(), loser.name);
  assert.equal(await w.getByLabel('Anything we should know?').inputValue(), `Notes from ${loser.name}`);
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByRole('button', { name: 'Book this session' }).click();
  await w.getByRole('heading', { name: 'Booked' }).waitFor();
  bookingsMade += 2;
  emails.push('uma@example.com', 'vic@example.com');
  const sessions = await sessionsOn(stack);
  assert.equal(sessions.filter((s) => Date.parse(s.start) === Date.parse(taken) && s.session_type_id === MINI).length, 1, 'one session at the contested time');
  for (const e of ['uma@example.com', 'vic@example.com']) assert.equal(sessions.filter((s) => s.client.email === e).length, 1);
  await one.context.close();
  await two.context.close();
});

// Published with their content's hash in the name (tools/build/split.mjs).
const LATER = /\/split_later_steps\.[0-9a-f]{12}\.wasm$/;
const DATE_TIME = /\/split_date_time_step\.[0-9a-f]{12}\.wasm$/;
const SHARED = /\/chunk_\d+\.[0-9a-f]{12}\.wasm$/;

/** A fresh visitor whose requests for the widget's wasm files are counted by file. */
async function countingWasm(path) {
  const fetched = [];
  const count = (re) => fetched.filter((p) => re.test(p)).length;
  const watch = (_, page) => page.on('request', (r) => { const p = new URL(r.url()).pathname; if (p.endsWith('.wasm')) fetched.push(p); });
  const { context, page, problems } = await visit(stack, path, { prepare: watch });
  return { context, page, problems, w: page.locator('#w'), count };
}

test('the steps load as they are needed: the list alone first, the date and time step while it is read, the rest once times show', async () => {
  const { context, page, w, count, problems } = await countingWasm('/');
  const arrived = (re) => page.waitForResponse((r) => re.test(new URL(r.url()).pathname));
  const dateTime = arrived(DATE_TIME);
  await w.getByRole('button', { name: 'Mini Session — Autumn Leaves', exact: true }).waitFor();
  assert.equal(count(LATER), 0, 'nothing of the later steps for the list');
  assert.equal((await dateTime).status(), 200, 'the date and time step is fetched once the list is shown');
  await w.getByRole('button', { name: 'Mini Session — Autumn Leaves', exact: true }).click();
  await w.locator('.sb-day-open').first().waitFor();
  await page.waitForTimeout(300);
  assert.equal(count(LATER), 0, 'nothing of the later steps before a day is chosen');
  const later = arrived(LATER);
  await w.locator('.sb-day-open').first().click();
  assert.equal((await later).status(), 200);
  await w.locator('.sb-slot:not(.sb-skeleton-line)').first().click();
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByLabel('First name', { exact: true }).waitFor();
  assert.deepEqual([count(DATE_TIME), count(SHARED), count(LATER)], [1, 1, 1], 'each file fetched once');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a preselected session type: the loader fetches the date and time step beside the main file, once', async () => {
  const { context, page, w, count, problems } = await countingWasm('/mini');
  await w.locator('.sb-day-open').first().waitFor();
  await page.waitForTimeout(300);
  assert.deepEqual([count(DATE_TIME), count(SHARED), count(LATER)], [1, 1, 0]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the date and time step slow to arrive: a waiting line in its place', async () => {
  const slow = (context) => context.route(DATE_TIME, async (route) => { await new Promise((ok) => setTimeout(ok, 2500)); await route.continue(); });
  const { context, page } = await visit(stack, '/mini', { prepare: slow });
  const w = page.locator('#w');
  await w.getByRole('status').filter({ hasText: 'Finding open days' }).waitFor();
  await w.getByRole('heading', { name: 'Choose a date and time' }).waitFor();
  await page.screenshot({ path: join(screenshotDir, 'date-time-on-its-way-1280.png') });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: join(screenshotDir, 'date-time-on-its-way-375.png') });
  await w.locator('.sb-day-open').first().waitFor();
  await context.close();
});

test('the date and time step cannot be fetched: a message and a retry that works', async () => {
  const refuse = (context) => context.route(DATE_TIME, (route) => route.abort('internetdisconnected'));
  const { context, page, problems } = await visit(stack, '/mini', { width: 375, prepare: refuse });
  const w = page.locator('#w');
  const alert = w.getByRole('alert').filter({ hasText: "We couldn't load this step" });
  await alert.waitFor();
  await w.getByRole('heading', { name: 'Choose a date and time' }).waitFor();
  await page.screenshot({ path: join(screenshotDir, 'fault-date-time-375.png') });
  await context.unroute(DATE_TIME);
  await alert.getByRole('button', { name: 'Try again' }).click();
  await w.locator('.sb-day-open').first().waitFor();
  assert.equal(await w.getByRole('alert').count(), 0);
  // Only the browser's own reports of the refused fetch.
  assert.deepEqual(problems.filter((p) => !/Failed to fetch|ERR_INTERNET_DISCONNECTED/.test(p)), []);
  await context.close();
});

/**
 * A `prepare` for visit() under which the first requests for the JS glue and the main wasm
 * never answer and any later one does; `asked` counts the requests by file.
 */
function stallOwnFilesOnce(asked) {
  const MAIN = /\/studio-booking-widget(_bg\.wasm|\.js)(\?.*)?$/;
  return (context) => context.route(MAIN, (route) => {
    const file = new URL(route.request().url()).pathname;
    asked.set(file, (asked.get(file) ?? 0) + 1);
    if (asked.get(file) > 1) return route.continue();
  });
}

test('the widget’s own files stall on their way: the 8 s message, and Try again loads them afresh', async () => {
  // A preselected session type waits for the code: the loader says so within 8 s.
  const asked = new Map();
  const stall = stallOwnFilesOnce(asked);
  const { context, page, problems } = await visit(stack, '/mini', { prepare: stall });
  const w = page.locator('#w');
  const alert = w.getByRole('alert').filter({ hasText: 'could not be loaded' });
  await alert.waitFor({ timeout: 12000 });
  await page.screenshot({ path: join(screenshotDir, 'fault-widget-stalled-1280.png') });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: join(screenshotDir, 'fault-widget-stalled-375.png') });
  await alert.getByRole('button', { name: 'Try again' }).click();
  await w.locator('.sb-day-open').first().waitFor({ timeout: 15000 });
  assert.deepEqual([...asked.values()], [2, 2], 'each asked for again once');
  assert.deepEqual(problems.filter((p) => !/Failed to fetch|abort|timed out|signal/i.test(p)), []);
  await context.close();
});

test('the code stalls after the list was drawn: the list stays, a choice says so within 8 s, and Try again loads it afresh', async () => {
  const asked = new Map();
  const stall = stallOwnFilesOnce(asked);
  const { context, page, problems } = await visit(stack, '/', { prepare: stall });
  const w = page.locator('#w');
  const mini = w.getByRole('button', { name: 'Mini Session — Autumn Leaves', exact: true });
  await mini.waitFor();
  const types = await w.locator('.sb-type').count();
  await mini.click();
  assert.equal(await mini.getAttribute('aria-pressed'), 'true', 'shown as chosen at once');
  const alert = w.getByRole('alert').filter({ hasText: 'could not be loaded' });
  await alert.waitFor({ timeout: 12000 });
  assert.equal(await w.locator('.sb-type').count(), types, 'the list stays readable');
  const errors = await page.evaluate(() => window.__events?.filter((e) => e.name === 'error').length ?? null);
  if (errors !== null) assert.equal(errors, 1, 'the page hears of it once');
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: join(screenshotDir, 'fault-first-screen-stalled-375.png') });
  await alert.getByRole('button', { name: 'Try again' }).click();
  await w.locator('.sb-day-open').first().waitFor({ timeout: 15000 });
  assert.equal(await w.locator('.sb-summary').innerText().then((t) => t.includes('Mini Session — Autumn Leaves')), true, 'the type chosen before');
  assert.deepEqual([...asked.values()].map((n) => n >= 2), [true, true], 'asked for afresh');
  assert.deepEqual(problems.filter((p) => !/Failed to fetch|abort|timed out|signal/i.test(p)), []);
  await context.close();
});

test('two widgets on a page whose files stall: the list drawn early stays, the other says so, and Try again loads the code for both', async () => {
  const asked = new Map();
  const stall = stallOwnFilesOnce(asked);
  const { context, page, problems } = await visit(stack, '/two', { prepare: stall });
  const [first, second] = [page.locator('#w'), page.locator('#w2')];
  const failure = (w) => w.getByRole('alert').filter({ hasText: 'could not be loaded' });
  await failure(second).waitFor({ timeout: 12000 });
  assert.equal(await failure(first).count(), 0, 'the list the loader drew needs no code to be read');
  await failure(second).getByRole('button', { name: 'Try again' }).click();
  await second.locator('.sb-day-open').first().waitFor({ timeout: 15000 });
  await first.getByRole('button', { name: 'Mini Session — Autumn Leaves', exact: true }).click();
  await first.locator('.sb-day-open').first().waitFor({ timeout: 15000 });
  assert.equal(await page.getByRole('alert').count(), 0, 'neither shows a failure');
  assert.deepEqual([...asked.values()], [2, 2], 'one load for both, asked for again once');
  assert.deepEqual(problems.filter((p) => !/Failed to fetch|abort|timed out|signal/i.test(p)), []);
  await context.close();
});

test('the date and time step stalls on its way: after its 20 s deadline a message and a retry that works', async () => {
  // The loader's early fetch of the step's file (a preselected session type) never answers.
  const stall = (context) => context.route(DATE_TIME, () => {});
  const { context, page, problems } = await visit(stack, '/mini', { prepare: stall });
  const w = page.locator('#w');
  await w.getByRole('status').filter({ hasText: 'Finding open days' }).waitFor();
  const alert = w.getByRole('alert').filter({ hasText: "We couldn't load this step" });
  const started = Date.now();
  await alert.waitFor({ timeout: 30000 });
  assert.ok(Date.now() - started > 10000, 'not before the deadline');
  await page.screenshot({ path: join(screenshotDir, 'fault-date-time-stalled-1280.png') });
  await context.unroute(DATE_TIME);
  await alert.getByRole('button', { name: 'Try again' }).click();
  await w.locator('.sb-day-open').first().waitFor();
  assert.equal(await w.getByRole('alert').count(), 0);
  // Only the browser's report of the abandoned fetch.
  assert.deepEqual(problems.filter((p) => !/Failed to fetch|abort|timed out|signal/i.test(p)), []);
  await context.close();
});

test('the later steps cannot be fetched after a reload mid-form: a message and a retry, every answer kept', async () => {
  const { page, context, problems } = await visit(stack, '/mini');
  const w = page.locator('#w');
  await toDetails(w);
  await fillMini(w, 'Wren', 'wren@example.com');
  await context.route(LATER, (route) => route.abort('internetdisconnected'));
  await page.reload();
  const alert = w.getByRole('alert').filter({ hasText: "We couldn't load this step" });
  await alert.waitFor();
  await w.getByRole('heading', { name: 'Your details' }).waitFor();
  await page.screenshot({ path: join(screenshotDir, 'fault-later-steps.png') });
  await context.unroute(LATER);
  await alert.getByRole('button', { name: 'Try again' }).click();
  assert.equal(await w.getByLabel('First name', { exact: true }).inputValue(), 'Wren');
  assert.equal(await w.getByLabel('Anything we should know?').inputValue(), 'Notes from Wren');
  assert.equal(await w.getByRole('alert').count(), 0);
  // Only the browser's own reports of the refused fetch.
  assert.deepEqual(problems.filter((p) => !/Failed to fetch|ERR_INTERNET_DISCONNECTED/.test(p)), []);
  await context.close();
});

test('figures: every booking made is on the studio once', async () => {
  const sessions = await sessionsOn(stack);
  const ids = sessions.map((s) => s.id);
  const found = emails.reduce((n, e) => n + sessions.filter((s) => s.client.email === e).length, 0);
  const duplicates = ids.length - new Set(ids).size + Math.max(0, found - bookingsMade);
  assert.equal(found, bookingsMade);
  assert.equal(duplicates, 0);
  await recordFigures('faults', { bookingsMade, bookingsFound: found, duplicates, faultsInjected: await faultsInjected(stack) });
});
