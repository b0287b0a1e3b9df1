// The widget's benchmark: bytes, time to first openings against their floors, what the embed
// costs a photographer's page (blocking time, largest paint), interaction and memory, each
// timed figure the median of RUNS runs, from the production build in dist/.
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
import { heroPng } from './hero.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
// The build's manifest (tools/build/manifest.mjs) names the files by role.
const built = JSON.parse(readFileSync(join(dist, 'build-manifest.json'), 'utf8'));
const EMBED = built.firstScreen; // the loader, the JS glue, the main wasm
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html; charset=utf-8' };
const SLOW = { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8, cpu: 4 };
const MINI = 'set_MINIAUTUMN00000000000000000000';

// A figure missing in a run (a file not arrived yet when the screen painted) counts as later than any.
const median = (xs) => { const s = xs.map((x) => (Number.isNaN(x) ? Infinity : x)).sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const ms = (n) => (Number.isFinite(n) ? `${Math.round(n)} ms` : '—');

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
const loaded = new Map();
/** A published file of dist/ (loaded once), or null. */
const served = (name) => {
  if (!built.published.includes(name) || name === 'package.json') return null;
  if (!loaded.has(name)) loaded.set(name, load(name));
  return loaded.get(name);
};
const files = EMBED.map(served);
// What the loader draws the session type list with, before the widget's code (the build's
// manifest names them; a build before that: the loader alone).
const LIST_SCREEN = built.listScreen ?? [EMBED[0]];
const listFiles = LIST_SCREEN.map(served);
// The split wasm files (tools/build/split.mjs): not part of what the list waits for.
const later = readdirSync(dist).filter((n) => n.endsWith(".wasm") && !EMBED.includes(n)).map(served);
console.log(`studio-booking benchmark — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Chromium at ${chromiumOptions.executablePath}`);
console.log('\n1. Bytes the embed transfers before it is interactive (the stylesheet is in the loader, not in the wasm: the loader draws the session type list itself');
console.log('   from the list\'s answer before the widget\'s code runs); the session type list first');
console.log('   file                              raw        gzip -9     brotli 11');
const row = (f) => console.log(`   ${f.name.padEnd(32)} ${kb(f.raw).padStart(10)} ${kb(f.gzip.length).padStart(10)} ${kb(f.br.length).padStart(12)}`);
const sumOf = (list, k) => list.reduce((n, f) => n + (k === 'raw' ? f.raw : f[k].length), 0);
const totalRow = (label, list, note = '') => console.log(`   ${label.padEnd(32)} ${kb(sumOf(list, 'raw')).padStart(10)} ${kb(sumOf(list, 'gzip')).padStart(10)} ${kb(sumOf(list, 'br')).padStart(12)}${note ? `   ${note}` : ''}`);
const gate = (name) => (BUDGETS[name] === undefined ? '' : kb(BUDGETS[name]));
listFiles.forEach(row);
totalRow('the list, before the wasm runs', listFiles, `(goal ≤ 10 KB gzip with a language file, below; the tests' gate ${gate('listScreen') || gate('loader')})`);
const code = files.filter((f) => !LIST_SCREEN.includes(f.name));
code.forEach(row);
totalRow('the widget\'s code (takes over)', code, `(the tests' gate ${gate('widgetCode')})`);
const interactive = [...new Set([...listFiles, ...files])];
totalRow('total, the list interactive', interactive, '(budget 150 KB gzip, aim 120)');
// The date and time step's files (its own and the code it shares with the later steps): the
// first screen of a preselected session type, so fetched by the loader beside the main wasm.
// They are the files the build's manifest names (the loader is given the same list).
const dateTime = later.filter((f) => built.dateTimeFiles.includes(f.name));
if (later.length) {
  console.log('   with a preselected session type (no list drawn by the loader: the loader, the glue and the main wasm), its first screen, the date and time step, also needs:');
  dateTime.forEach(row);
  totalRow('total, preselected session type', [...files, ...dateTime], `(the tests' gate ${gate('preselected')})`);
  console.log('   fetched after the first screen (the date and time step while the list is read; the rest once a day\'s times are shown):');
  later.filter((f) => !dateTime.includes(f)).forEach(row);
}

let firstPaintBytes = NaN;
// What the session type list's first paint waits for: the loader (which carries the styles) and
// what it draws the list with, and, for a visitor who reads a language other than English, that
// language's file. Not the API's answers, nor images.
{
  // The pseudo-language (interface.json's pseudoLanguage, for testing) is no visitor's. The
  // list waits for a language's first-screen file (its own words), not for the whole file.
  const facts = JSON.parse(readFileSync(join(root, 'interface.json'), 'utf8'));
  const { pseudoLanguage } = facts;
  const suffix = (facts.firstScreenLanguageFile ?? facts.languageFile).split('{language}')[1];
  const languages = built.languageFiles.filter((n) => n.endsWith(suffix) && !n.endsWith(`/${pseudoLanguage}${suffix}`)).map(served).filter(Boolean);
  const french = languages.find((f) => f.name.endsWith(`/fr${suffix}`)) ?? languages[0];
  const largest = languages.reduce((a, b) => (b.gzip.length > a.gzip.length ? b : a), french);
  const list = sumOf(listFiles, 'gzip');
  console.log("\n   Before the session type list is first painted (what it waits for; not the API's answers, nor images), gzip -9:");
  console.log(`   ${LIST_SCREEN.join(' + ')}: ${kb(list)}; with ${french?.name ?? 'French'}: ${kb(list + (french?.gzip.length ?? 0))}; with the largest language file (${largest?.name ?? 'none'}, ${kb(largest?.gzip.length ?? 0)}): ${kb(list + (largest?.gzip.length ?? 0))}`);
  firstPaintBytes = list + (largest?.gzip.length ?? 0);
  console.log(`   goal ≤ 10 KB: ${firstPaintBytes <= 10_000 ? 'met' : 'NOT met'} (the largest first-screen language file counted; the pseudo-language ${pseudoLanguage} left out)`);
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
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
    const f = served(name);
    if (!f) { res.writeHead(404).end(); return; }
    const accepts = String(req.headers['accept-encoding'] ?? '');
    const [encoding, body] = /\bbr\b/.test(accepts) ? ['br', f.br] : /\bgzip\b/.test(accepts) ? ['gzip', f.gzip] : [null, f.body];
    res.writeHead(200, { 'content-type': TYPES[extname(name)], 'access-control-allow-origin': '*', 'cache-control': 'no-store', ...(encoding ? { 'content-encoding': encoding } : {}) });
    res.end(body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

const mock = await startMock();
process.on('exit', () => mock.child.kill('SIGTERM')); // also when a scenario fails
const api = `${mock.url}/api/v1`;
const cdn = await startCdn();
const BLANK = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench</title><link rel="icon" href="data:,"></head><body><h1>Studio</h1></body></html>';
const HERO = heroPng(1600, 800);
/** A photographer's page: a large hero image (the page's largest paint), their words, and the
 * one-tag snippet (the session type list first) or not. */
const hostPage = (widget) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hollow Oak Photography</title><link rel="icon" href="data:,">
<style>body { margin: 0; font-family: Georgia, serif; color: #2a2420; background: #fbf8f4 } .hero { display: block; width: 100%; height: auto }
header, main { max-width: 1000px; margin: 0 auto; padding: 0 16px }</style></head>
<body><img class="hero" src="/hero.png" width="1600" height="800" alt="A family walking through autumn leaves" elementtiming="hero">
<header><h1>Hollow Oak Photography</h1><p>Portraits, weddings and minis in the Cotswolds, since 2009.</p></header>
<main><h2>Book a session</h2>${widget ? `<script async src="${cdn.url}/studio-booking.js"></script><studio-booking api-base="${api}"></studio-booking>` : ''}
<p>Questions first? Write to hello@hollowoak.example and we answer within a day.</p></main></body></html>`;
const site = await startPages({
  '/': BLANK,
  '/with-widget': hostPage(true),
  '/without-widget': hostPage(false),
  '/hero.png': { html: HERO, headers: { 'content-type': 'image/png', 'cache-control': 'no-store' } },
});
const browser = await chromium.launch(chromiumOptions);

/** Rejects once `limit` ms have passed: every scenario is bounded in time. */
const within = (promise, limit, what) => {
  let timer;
  return Promise.race([promise, new Promise((_, no) => { timer = setTimeout(() => no(new Error(`${what}: not done within ${limit / 1000} s`)), limit); })])
    .finally(() => clearTimeout(timer));
};
/** How long one in-page wait may last (a first screen, a click's answer), in ms. */
const LIMIT = 30_000;

/** A fresh visitor (empty cache), on loopback or on the slow network with a 4× slower CPU. */
async function fresh(slow, { zone = 'Europe/London', init } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: zone });
  if (init) await context.addInitScript(init);
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

/** The inline snippet's script (docs/embedding.md) (loader/inline-snippet.html), for these files. */
const inlineScript = (await inlineSnippet(cdn.url)).replace(/^\s*<script>|<\/script>\s*$/g, '');

/**
 * Inserts the snippet and times it until `selector` shows in the widget (in what is shown, not
 * in a mount still hidden) in a painted frame: the frame whose requestAnimationFrame first
 * finds it, timed by a task posted from that callback, which runs once the frame is painted.
 * With `inline`, the inline snippet (docs/embedding.md) instead of the one script tag: it puts in the
 * same two preload lines as docs/embedding.md's optional hints for <head>, then the script tag.
 * `answer` names the API answer the screen is drawn from, `needed` the wasm files it waits
 * for; `locate`, a session type's name: where its button is (brought into view) once painted.
 * Leaves `window.__sb` (t0, the element, when the visitor first pressed) for what follows.
 */
const timeSnippet = (page, attrs, selector, { inline = false, answer = '/session_types/?', needed = [], locate = null } = {}) => page.evaluate(async ({ cdn, attrs, selector, inlineJs, answer, needed, drawing, locate, limit }) => {
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
  window.__sb = { t0, el, pressed: NaN };
  document.addEventListener('pointerdown', () => { window.__sb.pressed ||= performance.now() - t0; }, { capture: true, once: true });
  document.body.append(script, el);
  return new Promise((resolve, reject) => {
    // With the total, where it went (resource timing): when the loader, the screen's API answer
    // (the first such) and the wasm (the last wasm file the screen waits for; for the list, the
    // main file, which it does not wait for) had arrived.
    const arrived = (test, pick = Math.max, key = 'responseEnd') => {
      const ends = performance.getEntriesByType('resource').filter((e) => test(e.name)).map((e) => e[key] - t0);
      return ends.length ? pick(...ends) : NaN;
    };
    const painted = () => {
      const total = performance.now() - t0;
      let at = null;
      if (locate) {
        const button = [...el.shadowRoot.querySelectorAll('.sb-type-button')].find((b) => b.checkVisibility() && b.textContent.trim() === locate);
        let r = button.getBoundingClientRect();
        if (r.top < 0 || r.bottom > innerHeight) { button.scrollIntoView({ block: 'center' }); r = button.getBoundingClientRect(); }
        at = { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      }
      const wasm = arrived((n) => needed.some((f) => n.endsWith(`/${f}`)));
      const isAnswer = (n) => n.includes(answer);
      const answerIn = arrived(isAnswer, Math.min);
      const resources = performance.getEntriesByType('resource').map((e) => ({ name: e.name, end: e.responseEnd - t0 }));
      resolve({
        total, loader: arrived((n) => n.endsWith('/studio-booking.js')), drawing: arrived((n) => drawing.some((f) => n.endsWith(`/${f}`))), asked: arrived(isAnswer, Math.min, 'startTime'), answer: answerIn, wasm,
        afterAnswer: total - answerIn, afterWasm: total - wasm, resources, at,
      });
    };
    const shown = () => [...(el.shadowRoot?.querySelectorAll(selector) ?? [])].some((n) => n.checkVisibility());
    const look = () => {
      if (shown()) setTimeout(painted, 0);
      else if (performance.now() - t0 > limit) reject(new Error(`${selector} not shown within ${limit / 1000} s`));
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
}, { cdn: cdn.url, attrs, selector, inlineJs: inline ? inlineScript : '', answer, needed, drawing: LIST_SCREEN.slice(1), locate, limit: LIMIT });

/** Waits, in the page timed by timeSnippet, until `selector` shows in a painted frame (as above):
 * the time from the snippet. */
const shownFromSnippet = (page, selector) => page.evaluate(({ selector, limit }) => new Promise((resolve, reject) => {
  const { t0, el } = window.__sb;
  const shown = () => [...(el.shadowRoot?.querySelectorAll(selector) ?? [])].some((n) => n.checkVisibility());
  const look = () => {
    if (shown()) setTimeout(() => resolve(performance.now() - t0), 0);
    else if (performance.now() - t0 > limit) reject(new Error(`${selector} not shown within ${limit / 1000} s`));
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}), { selector, limit: LIMIT });

/**
 * A floor: what a page with one script tag can do at best. The loader is fetched and read
 * first (until it has arrived, the page knows of nothing else), then `urls` all at once, read,
 * and nothing else. The API answers are asked for as the loader asks (Accept: JSON).
 */
const timeOneTagFloor = (page, loader, urls) => page.evaluate(async ({ loader, urls }) => {
  const t0 = performance.now();
  await (await fetch(loader)).arrayBuffer();
  await Promise.all(urls.map((u) => fetch(u, { headers: { Accept: 'application/json' } }).then((r) => r.arrayBuffer())));
  return performance.now() - t0;
}, { loader, urls });

const today = new Date();
const monthPath = `${api}/session_types/${MINI}/check-month-avail/${today.getUTCFullYear()}-${today.getUTCMonth() + 1}-Europe/London`;
const listUrl = `${api}/session_types/?page=1&per_page=100`;
const loaderUrl = `${cdn.url}/${built.firstScreen[0]}`;
const embedUrls = EMBED.map((n) => `${cdn.url}/${n}`);
const MINI_NAME = 'Mini Session — Autumn Leaves';

/** RUNS runs of `what` (page) -> a figure or an object of figures, each in a fresh visitor and
 * within `limit` ms; the median of each figure (other values: the last run's). */
async function measure(slow, what, { limit = 60_000, init } = {}) {
  const out = [];
  for (let i = 0; i < RUNS; i++) {
    const { context, page } = await fresh(slow, { init });
    try { out.push(await within(what(page), limit, 'a run')); } finally { await context.close(); }
  }
  if (typeof out[0] !== 'object') return median(out);
  return Object.fromEntries(Object.keys(out[0]).map((k) => [k, typeof out[0][k] === 'number' ? median(out.map((o) => o[k])) : out.at(-1)[k]]));
}

/**
 * A visitor who clicks a session type as soon as the list is painted (the pointer moves onto
 * its button, presses and lets go, as a mouse does): the time from the snippet until that
 * type's open days are painted, and when the press came.
 */
async function timeEarlyChoice(page) {
  const list = await timeSnippet(page, { 'api-base': api }, '.sb-type-list', { locate: MINI_NAME });
  await page.mouse.click(list.at.x, list.at.y);
  const total = await shownFromSnippet(page, '.sb-day-open, .sb-empty-month');
  const pressed = await page.evaluate(() => window.__sb.pressed);
  return { total, list: list.total, pressed, afterPress: total - pressed };
}

const results = { first: {}, host: null };
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const verdict = (ok) => (ok ? 'met' : 'NOT met');

console.log(`\n2. Time to first openings (median of ${RUNS}, each a fresh visitor with an empty cache; files brotli-compressed like a CDN's;`);
console.log('   "painted": the first frame showing it, timed once that frame is painted)');
for (const slow of [false, true]) {
  const label = slow ? 'slow 4G (150 ms, 1.6/0.75 Mbit/s), CPU 4×' : 'loopback';
  const listOf = (inline) => measure(slow, (p) => timeSnippet(p, { 'api-base': api }, '.sb-type-list', { inline, needed: [built.firstScreen[2]] }));
  const daysOf = (inline) => measure(slow, (p) => timeSnippet(p, { 'api-base': api, 'session-type': MINI }, '.sb-day-open, .sb-empty-month',
    { inline, answer: '/check-month-avail/', needed: [built.firstScreen[2], ...built.dateTimeFiles] }));
  const list = await listOf(false);
  const listInline = await listOf(true);
  const listFloor = await measure(slow, (p) => timeOneTagFloor(p, loaderUrl, [listUrl]));
  const days = await daysOf(false);
  const daysInline = await daysOf(true);
  const daysFloor = await measure(slow, (p) => timeOneTagFloor(p, loaderUrl, [monthPath]));
  const daysFilesFloor = await measure(slow, (p) => timeOneTagFloor(p, loaderUrl, [...embedUrls.slice(1), ...built.dateTimeFiles.map((f) => `${cdn.url}/${f}`), listUrl, monthPath]));
  const choice = await measure(slow, timeEarlyChoice);
  results.first[slow ? 'slow' : 'loopback'] = { list, listFloor, days, daysFloor, choice };

  const goal = (r, max) => (slow ? `  goal ≤ ${max.toFixed(2)}×: ${verdict(r <= max)}` : '');
  const sub = (text) => console.log(`        ${text}`);
  console.log(`   ${label}`);
  console.log(`     snippet → session type list painted: ${ms(list.total)}; floor (the loader, then the list's answer): ${ms(listFloor)}; ${ratio(list.total, listFloor)}${goal(list.total / listFloor, 1.10)}`);
  sub(`(loader in at ${ms(list.loader)}${LIST_SCREEN.length > 1 ? `, ${LIST_SCREEN.slice(1).join(' and ')} at ${ms(list.drawing)}` : ''}, the list asked for at ${ms(list.asked)} and in at ${ms(list.answer)}, painted ${ms(list.afterAnswer)} after it; the main wasm (not run): ${Number.isFinite(list.wasm) ? `in at ${ms(list.wasm)}` : 'not in yet'}; medians of each)`);
  sub(`the inline snippet (or the <head> hints): ${ms(listInline.total)}, ${ratio(listInline.total, listFloor)} (the list's answer at ${ms(listInline.answer)}, the wasm at ${ms(listInline.wasm)})`);
  console.log(`     snippet → preselected month's open days painted: ${ms(days.total)}; floor (the loader, then the month's answer): ${ms(daysFloor)}; ${ratio(days.total, daysFloor)}${goal(days.total / daysFloor, 1.15)}`);
  sub(`(loader in at ${ms(days.loader)}, the month asked for at ${ms(days.asked)} and in at ${ms(days.answer)}, the wasm files in at ${ms(days.wasm)}, painted ${ms(days.afterWasm)} after them)`);
  sub(`(the one-tag floor with the widget's files: the loader, then the glue, the main wasm, the date step's files and both answers at once: ${ms(daysFilesFloor)}, ${ratio(days.total, daysFilesFloor)})`);
  sub(`the inline snippet (or the <head> hints): ${ms(daysInline.total)}, ${ratio(daysInline.total, daysFloor)} (the wasm files at ${ms(daysInline.wasm)}, painted ${ms(daysInline.afterWasm)} after them)`);
  console.log(`     a click on "${MINI_NAME}" as the list is painted → its open days painted: ${ms(choice.total)} from the snippet;`);
  sub(`the preselected page: ${ms(days.total)}${slow ? `; goal no later: ${verdict(choice.total <= days.total)}` : ''} (${choice.total <= days.total ? `${ms(days.total - choice.total)} sooner` : `${ms(choice.total - days.total)} later`})`);
  sub(`(the list painted at ${ms(choice.list)}, the press at ${ms(choice.pressed)}, the open days ${ms(choice.afterPress)} after it)`);
}

// What the list's first paint waited for, read in one slow-network run in French (a language
// file fetched): every file of the widget's that had arrived whole by then (resource timing).
{
  const { context, page } = await fresh(true);
  let french;
  try { french = await within(timeSnippet(page, { 'api-base': api, locale: 'fr' }, '.sb-type-list'), 60_000, 'the French list'); } finally { await context.close(); }
  const ours = french.resources.filter((r) => r.name.startsWith(`${cdn.url}/`)).map((r) => ({ ...r, file: decodeURIComponent(new URL(r.name).pathname.slice(1)) }));
  const before = ours.filter((r) => r.end <= french.total);
  const needed = before.filter((r) => LIST_SCREEN.includes(r.file) || r.file.startsWith('lang/'));
  const others = before.filter((r) => !needed.includes(r));
  const gzOf = (rs) => rs.reduce((n, r) => n + (served(r.file)?.gzip.length ?? 0), 0);
  console.log(`\n   The list in French on the slow network, one run: painted at ${ms(french.total)}; what it waited for: ${needed.map((r) => `${r.file} (in at ${ms(r.end)})`).join(', ')}, ${kb(gzOf(needed))} gzip -9`);
  if (others.length) console.log(`   also in by then, not waited for (sharing the network with it): ${others.map((r) => `${r.file} (at ${ms(r.end)})`).join(', ')}, ${kb(gzOf(others))} gzip -9`);
}

// ---------------------------------------------------------------- the host page
/**
 * A photographer's page loaded on the slow network with a 4× slower CPU, with the one-tag
 * snippet (the session type list) or without it, and left alone for 5 s after its load (the
 * visitor has not touched it, so the widget's code has not run). Long tasks (over 50 ms) and
 * the largest contentful paint, observed from the page's first script (buffered).
 */
const OBSERVE = () => {
  const perf = (window.__perf = { long: [], lcp: [], hero: [] });
  const observe = (type, keep) => new PerformanceObserver((l) => keep(l.getEntries())).observe({ type, buffered: true });
  const what = (e) => (e ? `${e.localName}${e.className ? `.${e.className}` : ''}` : '(in a shadow root)');
  observe('longtask', (es) => perf.long.push(...es.map((e) => ({ start: e.startTime, duration: e.duration }))));
  observe('largest-contentful-paint', (es) => perf.lcp.push(...es.map((e) => ({ time: e.startTime, size: e.size, element: what(e.element) }))));
  observe('element', (es) => perf.hero.push(...es.filter((e) => e.identifier === 'hero').map((e) => ({ time: e.renderTime || e.loadTime, size: e.intersectionRect.width * e.intersectionRect.height, element: what(e.element) }))));
};
/**
 * The largest contentful paint: the time of the largest of Chromium's candidates, and of the
 * hero image's paint (Element Timing). This Chromium leaves an image out of its LCP candidates
 * when DevTools' network emulation slows its download (the hero is then missing, and the page's
 * heading counts instead); its Element Timing entry, the same paint, is there.
 */
async function hostLoad(page, widget) {
  await page.goto(`${site.url}/${widget ? 'with' : 'without'}-widget`, { waitUntil: 'load', timeout: LIMIT });
  await page.waitForTimeout(5000);
  return page.evaluate(() => {
    const { long, lcp, hero } = window.__perf;
    const largest = [...lcp, ...hero].reduce((a, b) => (!a || b.size > a.size || (b.size === a.size && b.time < a.time) ? b : a), null);
    const root = document.querySelector('studio-booking')?.shadowRoot;
    return {
      tbt: long.reduce((n, t) => n + Math.max(0, t.duration - 50), 0),
      longest: Math.max(0, ...long.map((t) => t.duration)),
      longTasks: long.length,
      inLongTasks: long.reduce((n, t) => n + t.duration, 0),
      lcp: largest?.time ?? NaN,
      chromiumLcp: lcp.at(-1)?.time ?? NaN,
      lcpElement: largest?.element ?? 'none',
      chromiumLcpElement: lcp.at(-1)?.element ?? 'none',
      load: performance.getEntriesByType('navigation')[0].loadEventEnd,
      // The first screen the loader drew, and no widget mounted beside it (its code not run).
      early: root ? (root.querySelector('[data-early] .sb-type-list') ? (root.querySelectorAll('.sb-root').length === 1 ? 'the loader\'s list, the wasm not run' : 'the loader\'s list and a widget mounted') : 'no early list') : '',
    };
  });
}
{
  const withWidget = await measure(true, (p) => hostLoad(p, true), { init: OBSERVE });
  const without = await measure(true, (p) => hostLoad(p, false), { init: OBSERVE });
  results.host = { withWidget, without };
  console.log(`\n3. A photographer's page with a ${kb(HERO.length)} hero image (PNG, 1600 × 800), slow 4G, CPU 4× (median of ${RUNS}; 5 s left alone after its load, so no interaction)`);
  console.log('   (total blocking time: what each long task lasted beyond 50 ms, summed over the page\'s life)');
  console.log('   page                       total blocking time   longest task   long tasks (in all)   largest contentful paint   load');
  for (const [label, m] of [['without the widget', without], ['with the one-tag snippet', withWidget]]) {
    console.log(`   ${label.padEnd(26)} ${ms(m.tbt).padStart(19)} ${ms(m.longest).padStart(14)} ${`${m.longTasks} (${ms(m.inLongTasks)})`.padStart(21)} ${ms(m.lcp).padStart(26)} ${ms(m.load).padStart(8)}`);
  }
  console.log(`   goals: total blocking time ≤ 50 ms: ${verdict(withWidget.tbt <= 50)}; no task over 150 ms: ${verdict(withWidget.longest <= 150)}; largest contentful paint within 5 % of the page without the widget: ${ratio(withWidget.lcp, without.lcp)}, ${verdict(withWidget.lcp <= without.lcp * 1.05)}`);
  console.log(`   (the largest paint: ${withWidget.lcpElement} with the widget, ${without.lcpElement} without; Chromium's own last LCP entry, which leaves the hero out`);
  console.log(`   under network emulation: ${withWidget.chromiumLcpElement} at ${ms(withWidget.chromiumLcp)} with the widget, ${without.chromiumLcpElement} at ${ms(without.chromiumLcp)} without; the widget at the end of a run: ${withWidget.early})`);
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
  try {
    await within((async () => {
      await timeSnippet(page, { 'api-base': api, 'session-type': MINI }, '.sb-day-open');
      await page.waitForTimeout(3000); // the prefetches the widget makes after the first paint
      dayClicks.push(await timeClick(page, '.sb-day-open', 'times'));
      monthClicks.push(await timeClick(page, 'button[aria-label="Next month"]', 'month'));
    })(), 90_000, 'the interaction run');
  } finally { await context.close(); }
}
console.log(`\n4. Interaction on the slow network (median of ${RUNS}; one API round trip there: ${ms(rtt)})`);
console.log(`   click an open day → its times painted        ${ms(median(dayClicks)).padStart(8)}`);
console.log(`   next month → its open days painted           ${ms(median(monthClicks)).padStart(8)}`);

// ---------------------------------------------------------------- memory
/** The JS heap after a forced garbage collection, and the wasm's linear memory (`wasm: false`
 * before the widget's code has run: asking the glue would run it). */
async function memory(page, { wasm = true } = {}) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  if (!wasm) return { js: usedSize, wasm: NaN };
  // The glue module is the page's one instance; init() hands back the running wasm's exports,
  // whose names the build shortens (tools/build/rename.mjs): the memory is the export that is
  // a WebAssembly.Memory.
  const wasmBytes = await page.evaluate(async (glue) => {
    const exports = await (await import(glue)).default();
    const found = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
    if (!found) throw new Error(`no WebAssembly.Memory among the wasm's ${Object.keys(exports).length} exports`);
    return found.buffer.byteLength;
  }, `${cdn.url}/studio-booking-widget.js`);
  return { js: usedSize, wasm: wasmBytes };
}
const states = [];
{
  // The session type list as the loader draws it, the widget's code not run.
  const { context, page } = await fresh(false);
  try {
    await timeSnippet(page, { 'api-base': api }, '.sb-type-list');
    states.push(["the loader's list (the wasm not run)", await memory(page, { wasm: false })]);
  } finally { await context.close(); }
}
{
  const { context, page } = await fresh(false);
  try {
    await within((async () => {
      await timeSnippet(page, { 'api-base': api, 'session-type': MINI }, '.sb-day-open');
      const w = page.locator('studio-booking');
      states.push(['widget shown (preselected month)', await memory(page)]);
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
      states.push(['after a full booking', await memory(page)]);
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
      await w.getByRole('button', { name: MINI_NAME, exact: true }).click().catch(() => {});
      await w.locator('.sb-day-open, .sb-empty-month').first().waitFor();
      await browse();
      states.push(['after browsing 24 months', await memory(page)]);
      await browse();
      states.push(['after browsing 24 months again', await memory(page)]);
    })(), 180_000, 'the memory run');
  } finally { await context.close(); }
}
console.log('\n5. Memory (after a forced garbage collection)');
console.log('   state                                          JS heap      wasm memory');
for (const [label, m] of states) console.log(`   ${label.padEnd(44)} ${kb(m.js).padStart(10)} ${(Number.isNaN(m.wasm) ? '—' : kb(m.wasm)).padStart(12)}`);

// ---------------------------------------------------------------- the goals
{
  const slow = results.first.slow;
  const { withWidget, without } = results.host;
  console.log('\nGoals (slow 4G, CPU 4×; bytes gzip -9)');
  const goal = (what, figure, ok) => console.log(`   ${ok ? 'met    ' : 'NOT met'}  ${what.padEnd(72)} ${figure}`);
  goal('session type list painted ≤ 1.10× (the loader, then the list\'s answer)', ratio(slow.list.total, slow.listFloor), slow.list.total <= 1.10 * slow.listFloor);
  goal('preselected month\'s open days painted ≤ 1.15× (the loader, then the month\'s answer)', ratio(slow.days.total, slow.daysFloor), slow.days.total <= 1.15 * slow.daysFloor);
  goal('a type clicked as the list is painted: its open days no later than preselected', `${ms(slow.choice.total)} vs ${ms(slow.days.total)}`, slow.choice.total <= slow.days.total);
  goal('host page\'s total blocking time ≤ 50 ms', ms(withWidget.tbt), withWidget.tbt <= 50);
  goal('host page\'s longest task ≤ 150 ms', ms(withWidget.longest), withWidget.longest <= 150);
  goal('largest contentful paint within 5 % of the page without the widget', ratio(withWidget.lcp, without.lcp), withWidget.lcp <= 1.05 * without.lcp);
  goal('bytes before the list\'s first paint ≤ 10 KB (the loader and the largest language file)', kb(firstPaintBytes), firstPaintBytes <= 10_000);
}

await browser.close();
site.close(); cdn.close();
mock.child.kill('SIGTERM');
