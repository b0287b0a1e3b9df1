// Starts what an end-to-end test needs: the mock studio (release build) on a free port, and
// a static server of the widget's release build (dist/) on another, which passes /api/v1 on
// to the mock like `trunk serve` does. Everything listens on 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { before, after } from 'node:test';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { createServer, request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The element's events, by interface.json: every page of the tests records each of them. */
export const EVENTS = JSON.parse(await readFile(join(root, 'interface.json'), 'utf8')).events;
const dist = join(root, 'dist');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
};

/** Starts the mock studio; resolves with its base URL ("http://127.0.0.1:PORT") and process. */
export function startMock(args = []) {
  const bin = join(root, 'target', 'release', 'mock-studio');
  const child = spawn(bin, ['--addr', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error('mock-studio did not start in 10 s')), 10_000);
    child.once('error', reject);
    child.stdout.on('data', (chunk) => {
      const m = /listening on (http:\/\/[^/\s]+)/.exec(String(chunk));
      if (m) { clearTimeout(timer); resolveStart({ url: m[1], child }); }
    });
  });
}

/**
 * Starts the studio gateway (release build) in front of `studioApi` with the studio's login
 * and the sites that may call it; resolves with its base URL and process. Its log lines are
 * kept in `lines` (they must never hold the login).
 */
export function startGateway(studioApi, { cookie, csrf, origins }) {
  const bin = join(root, 'target', 'release', 'studio-gateway');
  const env = {
    ...process.env,
    STUDIO_GATEWAY_LISTEN: '127.0.0.1:0',
    STUDIO_GATEWAY_UPSTREAM: studioApi,
    STUDIO_GATEWAY_COOKIE: cookie,
    STUDIO_GATEWAY_CSRF_TOKEN: csrf,
    STUDIO_GATEWAY_ALLOWED_ORIGINS: origins.join(','),
  };
  const child = spawn(bin, [], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error('studio-gateway did not start in 10 s')), 10_000);
    child.once('error', reject);
    child.stdout.on('data', (chunk) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      const m = /listening on (http:\/\/[^/\s]+)/.exec(String(chunk));
      if (m) { clearTimeout(timer); resolveStart({ url: m[1], child, lines }); }
    });
  });
}

/** A secret made up for one run (the demo studio's login). */
const madeUp = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/** Serves dist/ and proxies /api/v1 to the mock; resolves with its URL and a close(). */
export function startStatic(mockUrl) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/api/v1')) {
      const target = new URL(url.pathname + url.search, mockUrl);
      const upstream = request(target, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => { res.destroy(); });
      req.pipe(upstream);
      return;
    }
    const path = normalize(join(dist, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname)));
    if (!path.startsWith(dist)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(path);
      // Like a CDN: any page may load the widget's files (module scripts and wasm fetched
      // from another origin need CORS).
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'access-control-allow-origin': '*' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((c) => server.close(c)) });
  }));
}

/** Chromium's launch options on this machine (Debian's build, as root, off the network). */
export const chromiumOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
};

export const screenshotDir = join(root, 'e2e', 'out', 'screenshots');

/** The inline snippet of docs/embedding.md (`loader/inline-snippet.html`, its leading comment left out) for
 * widget files served from `filesUrl`. */
export async function inlineSnippet(filesUrl) {
  const html = await readFile(join(root, 'loader', 'inline-snippet.html'), 'utf8');
  return html.replace(/^<!--[\s\S]*?-->\s*/, '').replace('https://cdn.example.com/studio-booking/', `${filesUrl}/`);
}

/**
 * Serves fixed pages from an origin of their own: a photographer's site. `pages` maps a path
 * to its HTML, or to `{ html, headers }` for a page with headers of its own (a CSP, say).
 */
export function startPages(pages) {
  const server = createServer((req, res) => {
    const found = pages[new URL(req.url, 'http://x').pathname];
    if (found === undefined) { res.writeHead(404).end(); return; }
    const { html, headers = {} } = typeof found === 'string' ? { html: found } : found;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(html);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((c) => server.close(c)) });
  }));
}

/** The demo page's inline widget (the page also has a popup one). */
export const inline = (page) => page.locator('main studio-booking');

/**
 * For a test file on the demo page: starts the mock studio, the static server of dist/ and
 * Chromium before its tests and stops them after. The returned object's `mock`, `site` and
 * `browser` are set once the tests run.
 */
export function demoStack() {
  const stack = {};
  before(async () => {
    stack.mock = await startMock();
    stack.site = await startStatic(stack.mock.url);
    stack.browser = await chromium.launch(chromiumOptions);
    await mkdir(screenshotDir, { recursive: true });
  });
  after(async () => {
    await stack.browser?.close();
    await stack.site?.close();
    stack.mock?.child.kill('SIGTERM');
  });
  return stack;
}

/**
 * A photographer's page: their own heading and text around `body` (the snippet and the
 * element), and a recorder of the widget's events in `window.__events`. `nonce` marks the
 * page's own inline script and style for pages with a strict policy.
 */
export function hostPage(body, { head = '', nonce = '' } = {}) {
  const n = nonce ? ` nonce="${nonce}"` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Book a session · Hollow Oak Photography</title><link rel="icon" href="data:,">
<style${n}>body { margin: 0 auto; max-width: 1000px; padding: 16px; font-family: Georgia, serif; color: #2a2420; background: #fbf8f4 }</style>${head}</head>
<body><header><h1>Hollow Oak Photography</h1><p>Portraits, weddings and minis.</p></header><main>${body}</main>
<script${n}>window.__events = []; for (const n of ${JSON.stringify(EVENTS)})
  document.addEventListener('studio-booking:' + n, (e) => window.__events.push({ name: n, detail: e.detail, from: e.target.id }));</script>
</body></html>`;
}

/**
 * For a test file on photographers' pages of their own origin: the mock studio (started with
 * `mockArgs`), the widget's files on a second origin (a CDN) and the pages on a third.
 * `pages(stack)` gives the pages (see startPages) once `stack.api` and `stack.snippet` are
 * known. The returned object fills in before the tests run.
 */
export function foreignStack({ mockArgs = [], pages = () => ({}), gateway = false } = {}) {
  const stack = {};
  before(async () => {
    const served = {}; // the pages, filled in once the API's address is known
    stack.site = await startPages(served);
    if (gateway) {
      // Deployed as a photographer deploys it: the studio asks for the owner's login, which
      // only the gateway holds; the widget's api-base is the gateway.
      stack.login = { cookie: `pxs_session=${madeUp()}`, csrf: madeUp() };
      stack.mock = await startMock([...mockArgs, '--studio-cookie', stack.login.cookie, '--csrf-token', stack.login.csrf]);
    } else {
      stack.mock = await startMock(mockArgs);
    }
    stack.cdn = await startStatic(stack.mock.url);
    if (gateway) {
      // The page's origin, and the CDN's (iframe mode's frame runs there).
      stack.gateway = await startGateway(`${stack.mock.url}/api/v1`, { ...stack.login, origins: [stack.site.url, stack.cdn.url] });
      stack.api = `${stack.gateway.url}/api/v1`;
    } else {
      stack.api = `${stack.mock.url}/api/v1`;
    }
    stack.snippet = `<script async src="${stack.cdn.url}/studio-booking.js"></script>`;
    Object.assign(served, pages(stack));
    stack.browser = await chromium.launch(chromiumOptions);
    await mkdir(screenshotDir, { recursive: true });
    stack.seeded = (await sessionsOn(stack)).map((s) => s.id); // booked before the tests began
  });
  after(async () => {
    await stack.browser?.close();
    await stack.site?.close();
    await stack.cdn?.close();
    stack.gateway?.child.kill('SIGTERM');
    stack.mock?.child.kill('SIGTERM');
  });
  return stack;
}

/**
 * Opens a page of `stack.site` in a fresh browser context (a visitor of their own): zone,
 * locale and viewport. Console errors and warnings and uncaught errors go to `problems`.
 * `prepare(context, page)` runs before the page is opened (routes, request listeners).
 */
export async function visit(stack, path, { zone = 'Europe/London', locale = 'en-GB', width = 1280, height, context: options = {}, prepare } = {}) {
  const context = await stack.browser.newContext({
    viewport: { width, height: height ?? (width > 500 ? 800 : 812) }, locale, timezoneId: zone, ...options,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (['error', 'warning'].includes(m.type())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await prepare?.(context, page);
  await page.goto(stack.site.url + path);
  return { page, context, problems };
}

/** The mock studio's sessions (GET /sessions, every page), asked of the studio itself (with
 * the owner's login where it asks for one: the gateway passes no such request). */
export async function sessionsOn(stack) {
  const headers = stack.login ? { cookie: stack.login.cookie } : {};
  const r = await fetch(`${stack.mock.url}/api/v1/sessions?per_page=100`, { headers });
  return (await r.json()).data;
}

/** Posts fault rules to the mock studio (see mock-studio/src/faults.rs). */
export async function injectFaults(stack, rules) {
  const r = await fetch(`${stack.mock.url}/__admin/faults`, { method: 'POST', body: JSON.stringify(rules) });
  if (!r.ok) throw new Error(`fault not taken: ${await r.text()}`);
}

/** Takes every fault rule away. */
export async function clearFaults(stack) {
  await fetch(`${stack.mock.url}/__admin/faults`, { method: 'DELETE' });
}

/** How many faults the mock studio has injected so far. */
export async function faultsInjected(stack) {
  return (await (await fetch(`${stack.mock.url}/__admin/faults`)).json()).data.injected;
}

const figuresDir = join(root, 'e2e', 'out', 'figures');

/**
 * Adds this test file's figures (bookings made and found, duplicates, axe violations, faults
 * injected) to e2e/out/figures/, which `figures.mjs` sums at the end of the suite.
 */
export async function recordFigures(file, figures) {
  await mkdir(figuresDir, { recursive: true });
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(figuresDir, `${file}.json`), JSON.stringify(figures));
}

/** Playwright's Chromium driver, for scripts outside e2e/ (the benchmark) that share these helpers. */
export { chromium };

/** Waits for the widget `w` to say it shows times in `zone`: by the zone's name in `locale`, as
 * the browser's Intl writes it ("Nepal Time", "Nepalesische Zeit"). */
export async function zoneShown(page, w, zone, locale) {
  const name = await page.evaluate(([z, l]) => new Intl.DateTimeFormat(l, { timeZone: z, timeZoneName: 'long' })
    .formatToParts(new Date()).find((x) => x.type === 'timeZoneName').value, [zone, locale]);
  await w.locator('.sb-zone-line').filter({ hasText: name }).first().waitFor();
}
