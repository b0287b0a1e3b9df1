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
