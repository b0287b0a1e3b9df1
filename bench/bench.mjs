// The widget's benchmark: bytes, time to first openings against its floor, interaction and
// memory, each timed figure the median of RUNS runs, from the production build in dist/.
// Run by scripts/bench.sh (which builds first); prints a report to stdout.
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, totalmem } from 'node:os';
import { chromium, startMock, startPages, chromiumOptions, inlineSnippet } from '../e2e/stack.mjs';
import { readWasm, crateOf } from './wasm-costs.mjs';
import { BUDGETS } from '../tools/build/budgets.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
// The build's manifest (tools/build/manifest.mjs) names the files by role.
const built = JSON.parse(readFileSync(join(dist, 'build-manifest.json'), 'utf8'));
const EMBED = built.firstScreen; // the loader, the JS glue, the main wasm
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8' };
const SLOW = { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8, cpu: 4 };
const MINI = 'set_MINIAUTUMN00000000000000000000';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const ms = (n) => `${Math.round(n)} ms`;

// ---------------------------------------------------------------- bytes
/** A file of dist/ with its gzip and brotli bodies. */
const load = (name) => {
  const raw = readFileSync(join(dist, name));
  return {
    name, raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }),
    br: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    body: raw,
  };
};
const files = EMBED.map(load);
// The split wasm files (tools/build/split.mjs): not part of what the list waits for.
const later = readdirSync(dist).filter((n) => n.endsWith(".wasm") && !EMBED.includes(n)).map(load);
console.log(`studio-booking benchmark — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Chromium at ${chromiumOptions.executablePath}`);
console.log('\n1. Bytes the embed transfers before it is interactive (the stylesheet is inside the wasm); the session type list first');
console.log('   file                              raw        gzip -9     brotli 11');
for (const f of files) console.log(`   ${f.name.padEnd(32)} ${kb(f.raw).padStart(10)} ${kb(f.gzip.length).padStart(10)} ${kb(f.br.length).padStart(12)}`);
const total = (k) => files.reduce((n, f) => n + (k === 'raw' ? f.raw : f[k].length), 0);
console.log(`   ${'total'.padEnd(32)} ${kb(total('raw')).padStart(10)} ${kb(total('gzip')).padStart(10)} ${kb(total('br')).padStart(12)}   (budget 150 KB gzip, aim 120; the tests' gate ${kb(BUDGETS.sessionTypeList)})`);
// The date and time step's files (its own and the code it shares with the later steps): the
// first screen of a preselected session type, so fetched by the loader beside the main wasm.
// They are the files the build's manifest names (the loader is given the same list).
const dateTime = later.filter((f) => built.dateTimeFiles.includes(f.name));
const row = (f) => console.log(`   ${f.name.padEnd(32)} ${kb(f.raw).padStart(10)} ${kb(f.gzip.length).padStart(10)} ${kb(f.br.length).padStart(12)}`);
if (later.length) {
  console.log('   with a preselected session type, its first screen (the date and time step) also needs:');
  dateTime.forEach(row);
  const sum = (k) => [...files, ...dateTime].reduce((n, f) => n + (k === 'raw' ? f.raw : f[k].length), 0);
  console.log(`   ${'total, preselected session type'.padEnd(32)} ${kb(sum('raw')).padStart(10)} ${kb(sum('gzip')).padStart(10)} ${kb(sum('br')).padStart(12)}   (the tests' gate ${kb(BUDGETS.preselected)})`);
  console.log('   fetched after the first screen (the date and time step while the list is read; the rest once a day\'s times are shown):');
  later.filter((f) => !dateTime.includes(f)).forEach(row);
}

const named = join(root, 'target', 'wasm32-unknown-unknown', 'release', 'studio_booking.wasm');
try {
  const { importedFunctions, bodies, names, sections } = readWasm(readFileSync(named));
  const byCrate = new Map(); let code = 0;
  bodies.forEach((size, i) => { const c = crateOf(names.get(i + importedFunctions) ?? '(unnamed)'); byCrate.set(c, (byCrate.get(c) ?? 0) + size); code += size; });
  console.log(`\n   What each crate costs (code before wasm-bindgen and wasm-opt: ${kb(code)} in ${bodies.length} functions, data ${kb(sections[11] ?? 0)}):`);
  for (const [c, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`   ${kb(size).padStart(10)}  ${(100 * size / code).toFixed(1).padStart(5)} %  ${c}`);
} catch { console.log('\n   (no named wasm at target/wasm32-unknown-unknown/release: crate costs skipped)'); }

// ---------------------------------------------------------------- servers
/** The widget's files the way a CDN serves them: compressed (brotli, else gzip), CORS open. */
function startCdn() {
  const server = createServer((req, res) => {
    const name = new URL(req.url, 'http://x').pathname.slice(1);
    const f = [...files, ...later].find((x) => x.name === name);
    if (!f) { res.writeHead(404).end(); return; }
    const accepts = String(req.headers['accept-encoding'] ?? '');
    const [encoding, body] = /\bbr\b/.test(accepts) ? ['br', f.br] : /\bgzip\b/.test(accepts) ? ['gzip', f.gzip] : [null, f.body];
    res.writeHead(200, { 'content-type': TYPES[extname(name)], 'access-control-allow-origin': '*', 'cache-control': 'no-store', ...(encoding ? { 'content-encoding': encoding } : {}) });
    res.end(body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

const mock = await startMock();
const api = `${mock.url}/api/v1`;
const cdn = await startCdn();
const site = await startPages({ '/': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench</title><link rel="icon" href="data:,"></head><body><h1>Studio</h1></body></html>' });
const browser = await chromium.launch(chromiumOptions);

/** A fresh visitor (empty cache), on loopback or on the slow network with a 4× slower CPU. */
async function fresh(slow, zone = 'Europe/London') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: zone });
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  if (slow) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: SLOW.latency, downloadThroughput: SLOW.downloadThroughput, uploadThroughput: SLOW.uploadThroughput });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW.cpu });
  }
  return { context, page };
}

/** The README's inline snippet's script (loader/inline-snippet.html), for these files. */
const inlineScript = (await inlineSnippet(cdn.url)).replace(/^\s*<script>|<\/script>\s*$/g, '');

/**
 * Inserts the snippet and times it until `selector` is in the widget and a frame has painted.
 * With `inline`, the README's inline snippet instead of the one script tag: it puts in the
 * same two preload lines as the README's optional hints for <head>, then the script tag.
 */
const timeSnippet = (page, attrs, selector, inline = false) => page.evaluate(async ({ cdn, attrs, selector, inlineJs, needed }) => {
  const t0 = performance.now();
  const script = document.createElement('script');
  if (inlineJs) {
    script.textContent = inlineJs;
  } else {
    script.async = true;
    script.src = `${cdn}/studio-booking.js`;
  }
  const el = document.createElement('studio-booking');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(script, el);
  return new Promise((resolve) => {
    // With the total, where it went: when the loader and the wasm had arrived (resource
    // timing), and so how long the widget took from the wasm's arrival to the painted frame.
    const arrived = (end) => (performance.getEntriesByType('resource').find((e) => e.name.endsWith(end))?.responseEnd ?? NaN) - t0;
    // The wasm in: the last wasm file the screen needed (the date and time step's files too
    // for a preselected session type).
    const wasmIn = () => Math.max(...needed.map((n) => arrived(`/${n}`)));
    const painted = () => { const total = performance.now() - t0; const wasm = wasmIn(); resolve({ total, loader: arrived('/studio-booking.js'), wasm, after: total - wasm }); };
    const look = () => (el.shadowRoot?.querySelector(selector) ? requestAnimationFrame(painted) : requestAnimationFrame(look));
    look();
  });
}, { cdn: cdn.url, attrs, selector, inlineJs: inline ? inlineScript : '', needed: ['studio-booking-widget_bg.wasm', ...(attrs['session-type'] ? dateTime.map((f) => f.name) : [])] });

/** The floor: the same files and API answers fetched all at once, read, and nothing else. */
const timeFloor = (page, urls) => page.evaluate(async (urls) => {
  const t0 = performance.now();
  await Promise.all(urls.map((u) => fetch(u).then((r) => r.arrayBuffer())));
  return performance.now() - t0;
}, urls);

/**
 * The one-tag floor: what a page with one script tag can do at best. The loader is fetched and
 * read first (until it has arrived, the page knows of nothing else), then the rest all at
 * once, read, and nothing else. Printed beside the floor above, not instead of it.
 */
const timeOneTagFloor = (page, loader, urls) => page.evaluate(async ({ loader, urls }) => {
  const t0 = performance.now();
  await (await fetch(loader)).arrayBuffer();
  await Promise.all(urls.map((u) => fetch(u).then((r) => r.arrayBuffer())));
  return performance.now() - t0;
}, { loader, urls });

const today = new Date();
const monthPath = `${api}/session_types/${MINI}/check-month-avail/${today.getUTCFullYear()}-${today.getUTCMonth() + 1}-Europe/London`;
const listUrl = `${api}/session_types/?page=1&per_page=100`;
const embedUrls = EMBED.map((n) => `${cdn.url}/${n}`);

async function measure(slow, what) {
  const out = [];
  for (let i = 0; i < RUNS; i++) {
    const { context, page } = await fresh(slow);
    out.push(await what(page));
    await context.close();
  }
  // A figure, or an object of figures: the median of each.
  if (typeof out[0] !== 'object') return median(out);
  return Object.fromEntries(Object.keys(out[0]).map((k) => [k, median(out.map((o) => o[k]))]));
}

console.log(`\n2. Time to first openings (median of ${RUNS}, each a fresh visitor with an empty cache; files brotli-compressed like a CDN's)`);
console.log('   network                     what                                    widget     floor      ratio');
for (const slow of [false, true]) {
  const label = slow ? 'slow 4G (150 ms, 1.6/0.75 Mbit/s, CPU 4×)' : 'loopback';
  const listOf = (inline) => measure(slow, (p) => timeSnippet(p, { 'api-base': api }, '.sb-type-list', inline));
  const daysOf = (inline) => measure(slow, (p) => timeSnippet(p, { 'api-base': api, 'session-type': MINI }, '.sb-day-open, .sb-empty-month', inline));
  const [list, listInline] = [await listOf(false), await listOf(true)];
  const listUrls = [...embedUrls, listUrl];
  const listFloor = await measure(slow, (p) => timeFloor(p, listUrls));
  const listOneTag = await measure(slow, (p) => timeOneTagFloor(p, listUrls[0], listUrls.slice(1)));
  const [days, daysInline] = [await daysOf(false), await daysOf(true)];
  const daysUrls = [...embedUrls, ...dateTime.map((f) => `${cdn.url}/${f.name}`), listUrl, monthPath];
  const daysFloor = await measure(slow, (p) => timeFloor(p, daysUrls));
  const daysOneTag = await measure(slow, (p) => timeOneTagFloor(p, daysUrls[0], daysUrls.slice(1)));
  const line = (what, t, floor, oneTag) => {
    console.log(`   ${''.padEnd(28)}${what.padEnd(38)}${ms(t.total).padStart(8)} ${ms(floor).padStart(9)} ${(t.total / floor).toFixed(2).padStart(8)}×`);
    if (oneTag) console.log(`   ${''.padEnd(30)}(one-tag floor, the loader first: ${ms(oneTag)}, ${(t.total / oneTag).toFixed(2)}×)`);
    console.log(`   ${''.padEnd(30)}(loader in at ${ms(t.loader)}, wasm in at ${ms(t.wasm)}, painted ${ms(t.after)} after the wasm; medians of each)`);
  };
  console.log(`   ${label}`);
  line('snippet → session type list painted', list, listFloor, listOneTag);
  line('  the inline snippet (or the hints)', listInline, listFloor);
  line("snippet → month's open days painted", days, daysFloor, daysOneTag);
  line('  the inline snippet (or the hints)', daysInline, daysFloor);
}

// ---------------------------------------------------------------- interaction
/**
 * Clicks `click` in the widget and times it until what it asks for is shown and a frame has
 * painted: for "times", the chosen day's times; for "month", the new month's open days (an
 * open day that was not open before, or the empty-month notice under a new title). Judged by
 * content, not by new elements: Leptos keeps a grid's buttons and changes them in place.
 */
const timeClick = (page, click, wait) => page.evaluate(async ({ click, wait }) => {
  const root = document.querySelector('studio-booking').shadowRoot;
  const openDates = () => [...root.querySelectorAll('.sb-day-open')].map((b) => b.dataset.date);
  const title = (sel) => root.querySelector(sel)?.textContent ?? '';
  const target = root.querySelector(click);
  const before = { open: new Set(openDates()), month: title('.sb-month-title'), day: target.getAttribute('aria-label') };
  const shown = {
    times: () => title('.sb-day-title') === before.day && root.querySelector('.sb-slot:not(.sb-skeleton-line)'),
    month: () => title('.sb-month-title') !== before.month && (openDates().some((d) => !before.open.has(d)) || root.querySelector('.sb-empty-month')),
  }[wait];
  const t0 = performance.now();
  target.click();
  return new Promise((resolve, reject) => {
    const look = () => {
      if (shown()) requestAnimationFrame(() => resolve(performance.now() - t0));
      else if (performance.now() - t0 > 20000) reject(new Error(`${wait} not shown within 20 s`));
      else requestAnimationFrame(look);
    };
    look();
  });
}, { click, wait });

const rtt = await measure(true, (p) => p.evaluate(async (u) => { await fetch(u); const t0 = performance.now(); await (await fetch(u)).arrayBuffer(); return performance.now() - t0; }, listUrl));
const dayClicks = []; const monthClicks = [];
for (let i = 0; i < RUNS; i++) {
  const { context, page } = await fresh(true);
  await timeSnippet(page, { 'api-base': api, 'session-type': MINI }, '.sb-day-open');
  await page.waitForTimeout(3000); // the prefetches the widget makes after the first paint
  dayClicks.push(await timeClick(page, '.sb-day-open', 'times'));
  monthClicks.push(await timeClick(page, 'button[aria-label="Next month"]', 'month'));
  await context.close();
}
console.log(`\n3. Interaction on the slow network (median of ${RUNS}; one API round trip there: ${ms(rtt)})`);
console.log(`   click an open day → its times painted        ${ms(median(dayClicks)).padStart(8)}`);
console.log(`   next month → its open days painted           ${ms(median(monthClicks)).padStart(8)}`);

// ---------------------------------------------------------------- memory
async function memory(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  // The glue module is the page's one instance; init() hands back the running wasm's exports.
  const wasmBytes = await page.evaluate(async (glue) => (await (await import(glue)).default()).memory.buffer.byteLength, `${cdn.url}/studio-booking-widget.js`);
  return { js: usedSize, wasm: wasmBytes };
}
{
  const { context, page } = await fresh(false);
  await timeSnippet(page, { 'api-base': api, 'session-type': MINI }, '.sb-day-open');
  const w = page.locator('studio-booking');
  const start = await memory(page);
  await w.locator('.sb-day-open').first().click();
  await w.locator('.sb-slot:not(.sb-skeleton-line)').first().click();
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByLabel('First name', { exact: true }).fill('Bench');
  await w.getByLabel('Last name', { exact: true }).fill('Mark');
  await w.getByLabel('Email', { exact: true }).fill('bench@example.com');
  await w.getByLabel('Which setting would you like?').selectOption('leaves');
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByRole('button', { name: 'Book this session' }).click();
  await w.getByRole('heading', { name: 'Booked' }).waitFor();
  const booked = await memory(page);
  await w.getByRole('button', { name: 'Book another session' }).click();
  const browse = async () => {
    for (const dir of ['Next month', 'Previous month']) {
      for (let i = 0; i < 12; i++) {
        const b = w.getByRole('button', { name: dir });
        if (await b.isDisabled() || (await b.getAttribute('aria-disabled')) === 'true') break;
        await b.click();
        await w.locator('.sb-day-open, .sb-empty-month').first().waitFor();
      }
    }
  };
  await w.getByRole('button', { name: 'Mini Session — Autumn Leaves', exact: true }).click().catch(() => {});
  await w.locator('.sb-day-open, .sb-empty-month').first().waitFor();
  await browse();
  const once = await memory(page);
  await browse();
  const twice = await memory(page);
  console.log('\n4. Memory (after a forced garbage collection)');
  console.log('   state                                          JS heap      wasm memory');
  for (const [label, m] of [['widget shown', start], ['after a full booking', booked], ['after browsing 24 months', once], ['after browsing 24 months again', twice]]) {
    console.log(`   ${label.padEnd(44)} ${kb(m.js).padStart(10)} ${kb(m.wasm).padStart(12)}`);
  }
  await context.close();
}

await browser.close();
site.close(); cdn.close();
mock.child.kill('SIGTERM');
