// Hosts with a strict Content-Security-Policy. The photographer's page, the widget's files
// (a CDN) and the studio's API are three origins. A page whose policy does not allow
// WebAssembly books through mode="iframe"; the in-page widget works under exactly the policy
// docs/embedding.md documents (no 'unsafe-inline' anywhere); and the in-page widget under a policy
// without 'wasm-unsafe-eval' says so at once, with the fallback link, instead of spinning.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startMock, startStatic, startPages, chromiumOptions, screenshotDir, EVENTS } from './stack.mjs';

let mock, cdn, site, browser, api;

const NONCE = 'e2e-nonce-4f1c';
const page = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Photographer</title>
<link rel="icon" href="data:,"><style nonce="${NONCE}">body { font-family: Georgia, serif; max-width: 760px; margin: 0 auto; padding: 16px } .themed { --studio-booking-radius: 2px }</style></head>
<body><h1>Our studio</h1>${body}
<script nonce="${NONCE}">window.__events = []; for (const n of ${JSON.stringify(EVENTS)})
  document.addEventListener('studio-booking:' + n, (e) => window.__events.push({ name: n, detail: e.detail, from: e.target.id }));</script>
</body></html>`;

before(async () => {
  mock = await startMock();
  cdn = await startStatic(mock.url);
  api = `${mock.url}/api/v1`;
  const snippet = `<script async src="${cdn.url}/studio-booking.js"></script>`;
  // Strict: no 'wasm-unsafe-eval', no 'unsafe-inline', nothing but the CDN's script and frame.
  const strict = `default-src 'none'; script-src 'nonce-${NONCE}' ${cdn.url}; style-src 'nonce-${NONCE}'; frame-src ${cdn.url}; img-src data:; base-uri 'none'; form-action 'none'`;
  // The policy docs/embedding.md gives for the in-page widget (with this test's origins).
  const documented = `default-src 'none'; script-src 'nonce-${NONCE}' ${cdn.url} 'wasm-unsafe-eval'; connect-src ${cdn.url} ${mock.url}; img-src ${mock.url} data:; style-src 'nonce-${NONCE}'; base-uri 'none'`;
  const withPolicy = (html, policy) => ({ html, headers: { 'content-security-policy': policy } });
  site = await startPages({
    '/iframe': withPolicy(page(`${snippet}<studio-booking id="w" mode="iframe" class="themed" api-base="${api}" prefill-email="ana@example.com" fallback-href="mailto:hello@juniper.example"><p>Loading the calendar…</p></studio-booking>`), strict),
    '/iframe-no-frames': withPolicy(page(`${snippet}<studio-booking id="w" mode="iframe" api-base="${api}" fallback-href="mailto:hello@juniper.example"></studio-booking>`), strict.replace(`frame-src ${cdn.url}`, "frame-src 'none'")),
    '/inline-strict': withPolicy(page(`${snippet}<studio-booking id="w" api-base="${api}" fallback-href="mailto:hello@juniper.example"><p>Loading the calendar…</p></studio-booking>`), strict),
    '/inline-documented': withPolicy(page(`${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>`), documented),
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
  p.on('console', (m) => { if (['error', 'warning'].includes(m.type())) problems.push(m.text()); });
  p.on('pageerror', (e) => problems.push(String(e)));
  await p.goto(site.url + path);
  return { p, context, problems };
}

const sessionsOnServer = async () => (await (await fetch(`${api}/sessions?per_page=100`)).json()).data;

test('strict CSP without wasm-unsafe-eval: mode="iframe" books end to end and sizes itself', async () => {
  const { p, context, problems } = await open('/iframe');
  const frame = p.frameLocator('#w iframe');
  const iframe = p.locator('#w iframe');
  assert.equal(await iframe.getAttribute('title'), 'Book a session');
  assert.ok(new URL(await iframe.getAttribute('src')).origin === cdn.url, 'the frame comes from the files’ origin');
  await frame.getByRole('button', { name: 'Family Portrait Session', exact: true }).click();
  await frame.locator('.sb-day-open').first().click();
  await frame.locator('.sb-slot').first().click();
  await frame.getByRole('button', { name: 'Continue' }).click();
  assert.equal(await frame.getByLabel('Email', { exact: true }).inputValue(), 'ana@example.com');
  // The host page's font comes through, as it does for the in-page widget.
  assert.match(await frame.locator('studio-booking').evaluate((w) => getComputedStyle(w).fontFamily), /Georgia/);
  assert.equal(await frame.locator('.sb-root').evaluate((r) => getComputedStyle(r).borderTopLeftRadius), '2px'); // --studio-booking-radius on the element
  // The frame is as tall as what it shows: no scrollbar inside, no gap below.
  await p.waitForFunction(() => {
    const f = document.getElementById('w').shadowRoot.querySelector('iframe');
    return f.getBoundingClientRect().height > 500;
  });
  await p.screenshot({ path: join(screenshotDir, 'csp-iframe-details.png'), fullPage: true });
  await frame.getByLabel('First name', { exact: true }).fill('Inês');
  await frame.getByLabel('Last name', { exact: true }).fill('Framed');
  await frame.getByLabel('How many people will be in the photos?').fill('3');
  await frame.getByLabel('Victoria Park').check();
  await frame.getByRole('button', { name: 'Continue' }).click();
  await frame.getByLabel('Credit or debit card').check();
  await frame.getByLabel('Pay deposit').check();
  await frame.getByRole('button', { name: 'Continue' }).click();
  await frame.getByLabel(/agree/).check();
  await frame.getByRole('button', { name: /Book/ }).click();
  await frame.getByRole('heading', { name: 'Booked' }).waitFor();
  const fits = async () => {
    const outer = await iframe.evaluate((f) => f.getBoundingClientRect().height);
    const inner = await frame.locator('studio-booking').evaluate((w) => w.getBoundingClientRect().height);
    return Math.abs(outer - Math.ceil(inner)) <= 1;
  };
  for (let i = 0; i < 20 && !(await fits()); i++) await p.waitForTimeout(50);
  assert.ok(await fits(), 'the iframe is as tall as its content');
  // The widget's events reach the host page, as events of its element.
  const seen = await p.evaluate(() => window.__events);
  const names = seen.map((e) => e.name);
  for (const n of ['ready', 'session-type-selected', 'date-selected', 'slot-selected', 'booked']) assert.ok(names.includes(n), `${n} in ${names}`);
  const booked = seen.find((e) => e.name === 'booked');
  assert.equal(booked.from, 'w');
  const onServer = (await sessionsOnServer()).filter((s) => s.id === booked.detail.id);
  assert.equal(onServer.length, 1);
  assert.equal(onServer[0].client.first_name, 'Inês');
  await p.screenshot({ path: join(screenshotDir, 'csp-iframe-booked.png'), fullPage: true });
  // A message that does not come from the frame is ignored (here: the page posting to itself).
  const before = await iframe.evaluate((f) => f.style.height);
  await p.evaluate(() => window.postMessage({ source: 'studio-booking', type: 'resize', height: 3 }, '*'));
  await p.evaluate(() => window.postMessage({ source: 'studio-booking', type: 'event', name: 'booked', detail: { id: 'forged' } }, '*'));
  await p.waitForTimeout(200);
  assert.equal(await iframe.evaluate((f) => f.style.height), before);
  assert.ok(!(await p.evaluate(() => window.__events.some((e) => e.detail?.id === 'forged'))));
  // The element's JS API reaches into the frame.
  await p.evaluate(() => document.getElementById('w').reset());
  await frame.getByRole('button', { name: 'Family Portrait Session', exact: true }).waitFor();
  // Nothing was refused by the host page's policy, and the wasm never ran in it.
  assert.deepEqual(problems, []);
  assert.equal(await p.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.includes('studio-booking-widget')).length), 0);
  await context.close();
});

test('mode="iframe" on a phone', async () => {
  const { p, context, problems } = await open('/iframe', 375);
  const frame = p.frameLocator('#w iframe');
  await frame.getByRole('button', { name: 'Business Headshots', exact: true }).click();
  await frame.locator('.sb-day-open').first().waitFor();
  await p.waitForTimeout(300);
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `page is ${width}px wide`);
  await p.screenshot({ path: join(screenshotDir, 'csp-iframe-375.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a policy that refuses the frame too gets the message and the fallback link at once', async () => {
  const { p, context } = await open('/iframe-no-frames');
  const started = Date.now();
  await p.locator('#w').getByRole('alert').filter({ hasText: 'could not be loaded' }).waitFor({ timeout: 8000 });
  assert.ok(Date.now() - started < 3000, 'said at once, not after the time-out');
  assert.equal(await p.locator('#w').getByRole('link', { name: /own page/ }).getAttribute('href'), 'mailto:hello@juniper.example');
  assert.ok((await p.evaluate(() => window.__events)).some((e) => e.name === 'error'));
  await context.close();
});

test('in-page widget under a policy without wasm-unsafe-eval: a plain message, never a spinner', async () => {
  const { p, context } = await open('/inline-strict');
  await p.locator('#w').getByRole('alert').filter({ hasText: 'could not be loaded' }).waitFor({ timeout: 8500 });
  assert.ok(await p.locator('#w').getByRole('button', { name: 'Try again' }).isVisible());
  assert.equal(await p.locator('#w').getByRole('link', { name: /own page/ }).getAttribute('href'), 'mailto:hello@juniper.example');
  await context.close();
});

test('in-page widget under the policy docs/embedding.md documents: no inline style or script needed', async () => {
  const { p, context, problems } = await open('/inline-documented');
  await p.getByRole('button', { name: 'Business Headshots', exact: true }).click();
  await p.locator('.sb-day-open').first().click();
  await p.locator('.sb-slot').first().waitFor();
  // Styled (by the constructed stylesheet the policy allows): slots are laid out as buttons.
  assert.notEqual(await p.locator('.sb-slot').first().evaluate((b) => getComputedStyle(b).borderRadius), '0px');
  assert.deepEqual(problems, []);
  await context.close();
});
