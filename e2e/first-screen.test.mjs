// The first screen the loader draws itself (issue 27): the session type list, drawn from the
// list's answer before the widget's wasm runs, must be the widget's own screen to the pixel,
// the word and the accessible name, and the widget must take its place unseen (no layout
// shift), keep what the visitor did meanwhile (a choice, focus), and leave a readable list and
// a way on when the wasm cannot be had. The wasm is held back by the browser (a route) so the
// early screen can be looked at, then let through.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { foreignStack, hostPage, visit, screenshotDir, recordFigures } from './stack.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const words = (language) => JSON.parse(readFileSync(join(root, 'i18n', `${language}.json`), 'utf8'));
const EN = words('en');
const AR = words('ar');

const FAMILY = 'set_FAMILYPORTRAIT0000000000000000';
const HEADSHOTS = 'set_HEADSHOTS000000000000000000000';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AFTER = '<p id="after">Prefer to talk it through? Call the studio on 020 7946 0000.</p>';
const NOTE = '<p><label for="note">Your note to the studio</label> <input id="note" type="text"></p>';

const stack = foreignStack({
  pages: ({ api, snippet, site }) => ({
    '/': hostPage(`${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>${AFTER}`),
    '/ar': hostPage(`${snippet}<studio-booking id="w" locale="ar" api-base="${api}"></studio-booking>${AFTER}`),
    '/de': hostPage(`${snippet}<studio-booking id="w" locale="de" api-base="${api}"></studio-booking>${AFTER}`),
    '/preselected': hostPage(`${snippet}<studio-booking id="w" api-base="${api}" session-type="${HEADSHOTS}"></studio-booking>`),
    '/fallback': hostPage(`${NOTE}${snippet}<studio-booking id="w" api-base="${api}" fallback-href="${site.url}/elsewhere"></studio-booking>`),
    '/no-fallback': hostPage(`${NOTE}${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>`),
    '/elsewhere': hostPage('<p id="elsewhere">Book with us by phone or e-mail.</p>'),
    '/dark': hostPage(`${snippet}<studio-booking id="w" theme="dark" accent="#2a9d8f" api-base="${api}"></studio-booking>${AFTER}`),
    '/iframe': hostPage(`${snippet}<studio-booking id="w" mode="iframe" api-base="${api}"></studio-booking>${AFTER}`),
    '/popup': hostPage(`<p>Autumn minis! ${snippet}<studio-booking id="w" mode="popup" api-base="${api}" session-type="set_MINIAUTUMN00000000000000000000">Book a mini session</studio-booking></p>`),
    '/popup-ar': hostPage(`<p>Autumn minis! ${snippet}<studio-booking id="w" mode="popup" locale="ar" api-base="${api}"></studio-booking></p>`),
  }),
});

// ---- A small PNG, made here (a 64×36 gradient), for the cover images ----
const CRC = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc32 = (buf) => { let c = 0xffffffff; for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
function chunk(type, data) {
  const head = Buffer.alloc(8); head.writeUInt32BE(data.length, 0); head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function png(w, h, [r, g, b]) {
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const at = y * (w * 3 + 1) + 1 + x * 3;
    rows[at] = Math.min(255, r + x); rows[at + 1] = Math.min(255, g + y * 2); rows[at + 2] = b;
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}
const COVER = png(64, 36, [150, 110, 90]);

// ---- Crafted session type answers (field shapes of mock-studio/data/demo.json) ----
const HOSTILE = `<p>A whole day, from the first button to the last dance: <strong>two photographers</strong>, <em>an online gallery of 600+ images</em> and a <b>printed <i>album</i></b>.</p>
<script>window.__pwned = 'script'</script>
<img src="x" onerror="window.__pwned = 'img'">
<style>.sb-root { display: none } * { color: red !important }</style>
<iframe src="javascript:parent.__pwned = 'iframe'"></iframe>
<p>See <a href="javascript:window.__pwned = 'link'">our terms</a> or <a href="https://example.com/weddings" onclick="window.__pwned = 'onclick'" style="position:fixed;inset:0">our wedding portfolio</a>.</p>
<div class="x" style="color:red"><span><section><p>Nested <strong>deep <em>deeper <b>deepest</b></em></strong> text</p></section></span></div>
<ul><li>Getting ready</li><li>Ceremony<ol><li>Vows</li><li>Rings</li></ol></li><li>Reception</li></ul>
<table><tr><td>Table cell text</td></tr></table><svg onload="window.__pwned = 'svg'"><text>svg text</text></svg>
<p>${'Every moment of the day, candid and posed, in colour and in black and white. '.repeat(8)}</p>`;

function sessionType(site, over) {
  return {
    status: 'published', duration: 60, location: null, description: null, cover_image_url: `${site}/cover-${over.id}.png`,
    payment_amount_full: 10_000, payment_amount_partial: null, currency: 'gbp', collect_payment: true,
    minimum_notice_duration: 1, maximum_notice_duration: 90, buffer_before: 0, buffer_after: 0,
    payment_methods: [], taxes: [], intake_form_fields: [], cancellation_policy: null, reschedule_policy: null,
    contract_template_id: null, accepts_coupons: false, created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z',
    ...over,
  };
}
/** Seven published types (and a draft, never shown): free, deposit with tax on top, JPY, a
 * long hostile description, no cover, paid at the session, numbers and flags as strings. */
const seven = (site) => [
  sessionType(site, { id: 'set_FREE', name: 'Open Studio Afternoon', duration: 45, payment_amount_full: 0, collect_payment: false,
    description: '<p>Drop in for a <strong>free</strong> portrait.</p>', location: 'Juniper Studio, London' }),
  sessionType(site, { id: 'set_DEPOSITTAX', name: 'Business Headshots Plus', duration: 30, payment_amount_full: 15_000, payment_amount_partial: 5_000,
    taxes: [{ id: 'tax_VAT20EX', name: 'VAT', rate: 20, inclusive: false }], location: 'Juniper Studio, 14 Columbia Road, London E2 7RG',
    description: '<p>Three looks, retouched.</p>' }),
  sessionType(site, { id: 'set_JPY', name: 'Tokyo Street Walk', duration: 90, payment_amount_full: 45_000, payment_amount_partial: 15_000, currency: 'jpy',
    taxes: [{ id: 'tax_JPCT10', name: 'Consumption tax', rate: 10, inclusive: true }], location: 'Shibuya Crossing, Tokyo' }),
  sessionType(site, { id: 'set_WEDDING', name: 'Wedding Day Coverage', duration: 480, payment_amount_full: 240_000, payment_amount_partial: 50_000,
    description: HOSTILE, location: 'Anywhere in England' }),
  sessionType(site, { id: 'set_NOCOVER', name: 'Pet Portraits', duration: 60, cover_image_url: null, payment_amount_full: 9_500, collect_payment: 0,
    description: '<p>Paws welcome.</p>' }),
  sessionType(site, { id: 'set_DRAFT', name: 'Secret Draft Type', status: 'draft' }),
  sessionType(site, { id: 'set_LONGNAME', name: 'Familienportraitfotografieaufnahmesitzung mit Großeltern und Haustieren', duration: 135,
    payment_amount_full: 32_000, payment_amount_partial: 32_000, currency: 'eur', location: 'Atelier am Prenzlauer Berg, Berlin' }),
  sessionType(site, { id: 'set_STRINGS', name: 'Engagement Session', duration: '120', payment_amount_full: '60000', payment_amount_partial: '20000',
    currency: 'usd', collect_payment: '1', location: '  ', taxes: [{ id: 'tax_NYC', name: 'NY sales tax', rate: 8.875, inclusive: false }] }),
];
const one = (site) => [sessionType(site, { id: 'set_ONE', name: 'Mini Session — Autumn Leaves', duration: 20, payment_amount_full: 9_500, collect_payment: 0,
  description: '<p>Twenty quick minutes among the autumn leaves: <em>perfect for holiday cards</em>.</p>', location: 'Victoria Park, London E9' })];
const listAnswer = (types) => JSON.stringify({ data: types, meta: { current_page: 1, last_page: 1, per_page: 100, total: types.length } });

// ---- In the page ----

/** Before any script of the page: layout shifts into `__shifts`, and each `[data-early]`
 * screen put into a shadow root counted in `__earlies`. */
const WATCH = () => {
  window.__shifts = [];
  window.__earlies = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__shifts.push({ value: e.value, t: e.startTime, input: e.hadRecentInput, sources: (e.sources ?? []).map((s) => s.node?.nodeName ?? '?') });
  }).observe({ type: 'layout-shift', buffered: true });
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const shadow = attach.call(this, init);
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1 && (n.matches('[data-early]') || n.querySelector('[data-early]'))) window.__earlies++;
    }).observe(shadow, { childList: true, subtree: true });
    return shadow;
  };
};

/** What a screen (the early one, or the widget's shown one) is made of: for every element of
 * its `.sb-widget`, its tag, attributes, own text, a few computed styles and its box (in page
 * coordinates); its visible text; its root's attributes. */
const SNAPSHOT = (early) => {
  const shadow = document.getElementById('w').shadowRoot;
  const screens = [...shadow.querySelectorAll('.sb-root')];
  const screen = early ? screens.find((s) => s.hasAttribute('data-early')) : screens.find((s) => !s.hasAttribute('data-early') && s.style.display !== 'none');
  const widget = screen.querySelector('.sb-widget');
  const STYLES = ['color', 'backgroundColor', 'fontFamily', 'fontSize', 'fontWeight', 'lineHeight', 'textAlign', 'direction', 'borderTopColor', 'boxShadow'];
  const path = (e) => { const p = []; for (let n = e; n && n !== screen; n = n.parentElement) p.unshift(`${n.localName}${n.classList.length ? `.${[...n.classList].join('.')}` : ''}`); return p.join(' > '); };
  return {
    root: Object.fromEntries(['class', 'data-theme', 'lang', 'dir'].map((a) => [a, screen.getAttribute(a)])),
    text: widget.innerText,
    elements: [widget, ...widget.querySelectorAll('*')].map((e) => {
      const r = e.getBoundingClientRect();
      const cs = getComputedStyle(e);
      return {
        path: path(e),
        tag: e.localName,
        attrs: Object.fromEntries([...e.attributes].filter((a) => a.name !== 'style').map((a) => [a.name, a.value]).sort(([a], [b]) => a.localeCompare(b))),
        own: [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(''),
        styles: Object.fromEntries(STYLES.map((s) => [s, cs[s]])),
        box: [r.x + scrollX, r.y + scrollY, r.width, r.height],
      };
    }),
  };
};

/** Waits for the page's fonts and the shown cover images, and two frames. */
async function settle(page) {
  await page.evaluate(async () => {
    await document.fonts.ready;
    const imgs = [...document.getElementById('w').shadowRoot.querySelectorAll('img.sb-cover')];
    await Promise.all(imgs.map((i) => (i.complete ? null : new Promise((ok) => { i.onload = ok; i.onerror = ok; setTimeout(ok, 2000); }))));
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
  });
}

/** The differences between two snapshots: element by element (boxes within ±1 px). */
function differences(a, b) {
  const found = [];
  let maxBox = 0;
  for (const key of Object.keys(a.root)) if (a.root[key] !== b.root[key]) found.push(`root ${key}: early ${JSON.stringify(a.root[key])}, widget ${JSON.stringify(b.root[key])}`);
  if (a.text !== b.text) found.push(`visible text differs:\n  early : ${JSON.stringify(a.text)}\n  widget: ${JSON.stringify(b.text)}`);
  if (a.elements.length !== b.elements.length) found.push(`elements: early ${a.elements.length}, widget ${b.elements.length}`);
  const n = Math.min(a.elements.length, b.elements.length);
  for (let i = 0; i < n; i++) {
    const [x, y] = [a.elements[i], b.elements[i]];
    const where = `#${i} ${x.path}`;
    if (x.path !== y.path) { found.push(`${where}: the widget has ${y.path} here`); break; } // the rest would all differ
    if (JSON.stringify(x.attrs) !== JSON.stringify(y.attrs)) found.push(`${where}: attributes early ${JSON.stringify(x.attrs)}, widget ${JSON.stringify(y.attrs)}`);
    if (x.own !== y.own) found.push(`${where}: text early ${JSON.stringify(x.own)}, widget ${JSON.stringify(y.own)}`);
    for (const s of Object.keys(x.styles)) if (x.styles[s] !== y.styles[s]) found.push(`${where}: ${s} early ${x.styles[s]}, widget ${y.styles[s]}`);
    const d = Math.max(...x.box.map((v, k) => Math.abs(v - y.box[k])));
    maxBox = Math.max(maxBox, d);
    if (d > 1) found.push(`${where}: box early ${x.box.map((v) => v.toFixed(1))}, widget ${y.box.map((v) => v.toFixed(1))}`);
  }
  return { found, maxBox };
}

// ---- The browser side ----

/** Holds the main wasm's requests (`hold`), lets them through (`pass`), answers 404 or aborts. */
function wasmGate(mode = 'hold') {
  const gate = { mode, held: [], requests: 0 };
  gate.handle = async (route) => {
    gate.requests += 1;
    if (gate.mode === 'hold') gate.held.push(route);
    else if (gate.mode === '404') await route.fulfill({ status: 404, headers: { 'access-control-allow-origin': '*' }, body: 'not found' });
    else if (gate.mode === 'abort') await route.abort('failed');
    else await route.continue();
  };
  gate.release = async () => {
    gate.mode = 'pass';
    for (const r of gate.held.splice(0)) await r.continue();
  };
  return gate;
}

/** Opens a page with the wasm behind `gate`, covers served, the list answered by `types` when given. */
async function open(path, { width = 1280, height, types = null, gate = wasmGate() } = {}) {
  const requests = [];
  const { page, context, problems } = await visit(stack, path, {
    width,
    height,
    prepare: async (ctx, p) => {
      await ctx.addInitScript(WATCH);
      await ctx.route('**/cover-*.png', (r) => r.fulfill({ status: 200, contentType: 'image/png', body: COVER }));
      if (types) {
        await ctx.route('**/session_types/?page=1*', (r) => r.fulfill({
          status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: listAnswer(types),
        }));
      }
      await ctx.route('**/studio-booking-widget_bg.wasm', gate.handle);
      p.on('request', (r) => requests.push({ url: r.url(), at: Date.now() }));
    },
  });
  return { page, context, problems, gate, requests, w: page.locator('#w') };
}

/** Waits (up to 5 s) for `ok()` to hold. */
async function until(ok) {
  for (let i = 0; i < 50 && !ok(); i++) await new Promise((r) => setTimeout(r, 100));
}

const shadowActive = (page) => page.evaluate(() => {
  const a = document.getElementById('w').shadowRoot.activeElement;
  return a ? { tag: a.localName, text: a.textContent.trim(), early: !!a.closest('[data-early]'), cls: a.className } : null;
});
const noEarlyLeft = (page) => page.waitForFunction(() => {
  const s = document.getElementById('w').shadowRoot;
  return !s.querySelector('[data-early]') && [...s.querySelectorAll('.sb-root')].some((r) => r.style.display !== 'none' && r.querySelector('.sb-widget'));
});
const readyEvents = (page) => page.evaluate(() => window.__events.filter((e) => e.name === 'ready').map((e) => e.detail));

const figures = { cases: [], cls: [] };
let axeChecks = 0;
let axeViolations = 0;
after(async () => {
  await recordFigures('first-screen', { axeViolations, axeChecks });
  console.log('first screen figures:');
  for (const c of figures.cases) console.log(`  ${c}`);
  for (const c of figures.cls) console.log(`  ${c}`);
  console.log(`  axe: ${axeChecks} checks, ${axeViolations} violations`);
});

/** Loads a case, snapshots the early screen with the wasm held, wakes the widget, lets the wasm
 * through, waits for the swap and snapshots the widget's screen; asserts they are the same. */
async function sameScreen(label, { path = '/', width, types, wake = 'pointerover', shot = null, n }) {
  const { page, context, problems, gate, w } = await open(path, { width, types });
  await w.locator('[data-early] .sb-type-list, [data-early] .sb-empty').waitFor();
  await settle(page);
  await until(() => gate.held.length > 0);
  assert.equal(gate.held.length, 1, 'the wasm was asked for (once) and is held');
  assert.deepEqual(await readyEvents(page), [{ session_types: n }], 'ready is sent when the loader draws');
  const early = await page.evaluate(SNAPSHOT, true);
  const earlyAria = await w.ariaSnapshot();
  if (shot) await page.screenshot({ path: join(screenshotDir, `${shot}.png`), fullPage: true });
  // The early cover images, marked: the widget must show these very elements.
  const covers = await page.evaluate(() => [...document.getElementById('w').shadowRoot.querySelectorAll('[data-early] img.sb-cover')].map((i) => { i.__early = true; return i.src; }).length);

  const t0 = await page.evaluate(() => performance.now());
  let focused = null;
  if (wake === 'pointerover') await page.evaluate(() => document.getElementById('w').dispatchEvent(new PointerEvent('pointerover', { bubbles: true })));
  else {
    // By keyboard: Tab into the widget (focusin wakes it); the first session type's button.
    await page.keyboard.press('Tab');
    focused = await shadowActive(page);
    assert.equal(focused?.early, true, 'Tab went into the early screen');
  }
  await page.waitForTimeout(50);
  assert.equal(await w.locator('[data-early]').count(), 1, 'nothing swapped while the wasm is held');
  const released = Date.now();
  await gate.release();
  await noEarlyLeft(page);
  const swapMs = Date.now() - released;
  await settle(page);
  const later = await page.evaluate(SNAPSHOT, false);
  const laterAria = await w.ariaSnapshot();
  const shifts = await page.evaluate((t) => window.__shifts.filter((s) => s.t >= t), t0);
  const cls = shifts.reduce((a, s) => a + s.value, 0);
  const kept = await page.evaluate(() => [...document.getElementById('w').shadowRoot.querySelectorAll('img.sb-cover')].map((i) => i.__early === true));
  const { found, maxBox } = differences(early, later);
  const pwned = await page.evaluate(() => window.__pwned);
  figures.cases.push(`${label}: ${early.elements.length} elements, max box difference ${maxBox.toFixed(2)} px, ${found.length} differences, layout shift over the takeover ${cls.toFixed(4)}, swap ${swapMs} ms after the wasm was let through`);
  figures.cls.push(`CLS over the takeover, ${label}: ${cls.toFixed(2)}`);
  const after = focused ? await shadowActive(page) : null;
  const events = await readyEvents(page);
  await context.close();

  assert.deepEqual(found, [], `${label}: the early screen and the widget's differ`);
  assert.equal(laterAria, earlyAria, `${label}: accessible names and roles`);
  assert.equal(kept.length, covers, `${label}: as many covers`);
  assert.ok(kept.every(Boolean), `${label}: the widget shows the early screen's cover images`);
  assert.equal(cls.toFixed(2), '0.00', `${label}: layout shift ${JSON.stringify(shifts)}`);
  assert.equal(pwned, undefined, 'nothing of the description ran');
  assert.deepEqual(events, [{ session_types: n }], 'the widget does not send ready again');
  if (focused) assert.deepEqual({ ...after, early: false }, { ...focused, early: false }, 'focus is on the same control in the widget');
  if (focused) assert.equal(after.early, false);
  assert.deepEqual(problems, []);
  return { early, later };
}

// ---- 1 and 2: the early screen is the widget's, and the takeover shifts nothing ----

test('the early screen is the widget’s: seven types (free, deposit + tax on top, JPY, hostile HTML, no cover, strings), 1280 and 375 px', { timeout: 90_000 }, async () => {
  const types = seven(stack.site.url);
  const { early } = await sameScreen('en, seven types, 1280 px', { width: 1280, types, n: 7, shot: 'first-screen-early-1280' });
  // What the list shows (not only that both agree).
  assert.match(early.text, new RegExp(`Open Studio Afternoon\\s+45 minutes · ${EN.free} · Juniper Studio, London\\n`), 'a free type says so');
  assert.match(early.text, /¥45,000/);
  assert.ok(early.text.includes('Table cell text') && early.text.includes('our terms'), 'refused elements leave their text');
  assert.doesNotMatch(early.text, /Secret Draft Type|svg text|javascript|display: none/);
  const inside = early.elements.filter((e) => e.path.includes('sb-type-description >'));
  assert.ok(inside.length > 10);
  assert.deepEqual([...new Set(inside.map((e) => e.tag))].filter((t) => !['p', 'br', 'strong', 'em', 'b', 'i', 'ul', 'ol', 'li', 'a'].includes(t)), [], 'only simple formatting is kept');
  assert.ok(inside.every((e) => Object.keys(e.attrs).every((a) => ['href', 'target', 'rel'].includes(a))), 'no attribute of the studio’s survives');
  assert.deepEqual(inside.filter((e) => e.tag === 'a').map((e) => e.attrs.href), ['https://example.com/weddings']);
  // The comparison itself sees a 2 px move, a changed attribute and changed words.
  const moved = structuredClone(early);
  moved.elements[20].box[1] += 2;
  moved.elements[30].attrs['aria-pressed'] = 'true';
  moved.text = moved.text.replace('Free', 'Gratis');
  assert.equal(differences(early, moved).found.length, 3);
  assert.equal(differences(early, structuredClone(early)).found.length, 0);
  await sameScreen('en, seven types, 375 px', { width: 375, types, n: 7, shot: 'first-screen-early-375' });
});

test('the early screen is the widget’s: one type, 1280 and 375 px (woken by keyboard: focus kept)', { timeout: 60_000 }, async () => {
  const types = one(stack.site.url);
  await sameScreen('en, one type, 1280 px', { width: 1280, types, n: 1 });
  await sameScreen('en, one type, 375 px, Tab', { width: 375, types, n: 1, wake: 'Tab' });
});

test('the early screen is the widget’s in Arabic (right to left) and German (long words), 1280 and 375 px', { timeout: 120_000 }, async () => {
  const types = seven(stack.site.url);
  const { early } = await sameScreen('ar, seven types, 1280 px', { path: '/ar', width: 1280, types, n: 7, shot: 'first-screen-early-ar-1280' });
  assert.equal(early.root.dir, 'rtl');
  assert.ok(early.text.includes(AR.heading_session));
  await sameScreen('ar, seven types, 375 px', { path: '/ar', width: 375, types, n: 7, shot: 'first-screen-early-ar-375' });
  const de = await sameScreen('de, seven types, 1280 px', { path: '/de', width: 1280, types, n: 7 });
  assert.equal(de.early.root.lang, 'de');
  await sameScreen('de, seven types, 375 px, Tab', { path: '/de', width: 375, types, n: 7, wake: 'Tab', shot: 'first-screen-early-de-375' });
});

test('no layout shift across the takeover: the demo studio’s list, whole page in view', { timeout: 60_000 }, async () => {
  for (const width of [1280, 375]) {
    const { page, context, gate, w, problems } = await open('/', { width, height: 4000 });
    await w.locator('[data-early] .sb-type-list').waitFor();
    await settle(page);
    const t0 = await page.evaluate(() => performance.now());
    const before = await page.locator('#after').boundingBox();
    await page.evaluate(() => document.getElementById('w').dispatchEvent(new PointerEvent('pointerover', { bubbles: true })));
    await gate.release();
    await noEarlyLeft(page);
    await settle(page);
    await page.waitForTimeout(300);
    const afterBox = await page.locator('#after').boundingBox();
    const shifts = await page.evaluate((t) => window.__shifts.filter((s) => s.t >= t), t0);
    const total = await page.evaluate(() => window.__shifts.reduce((a, s) => a + s.value, 0));
    const cls = shifts.reduce((a, s) => a + s.value, 0);
    figures.cls.push(`CLS over the takeover, demo list at ${width} px (viewport 4000 px high): ${cls.toFixed(2)} (whole page load: ${total.toFixed(4)}); the text after the widget moved ${Math.abs(afterBox.y - before.y).toFixed(1)} px`);
    await context.close();
    assert.equal(cls.toFixed(2), '0.00', JSON.stringify(shifts));
    assert.ok(Math.abs(afterBox.y - before.y) <= 1, `the page below the widget moved from ${before.y} to ${afterBox.y}`);
    assert.deepEqual(problems, []);
  }
});

// ---- 3: a choice on the early screen, the wasm held ----

/** Chooses Family Portrait Session on the early screen (by mouse or keyboard) with the wasm held;
 * checks it shows chosen at once and its month is asked for; then lets the wasm through. */
async function chooseEarly(path, t, how) {
  const { page, context, problems, gate, requests, w } = await open(path, { width: 1280 });
  const early = w.locator('[data-early]');
  await early.locator('.sb-type-list').waitFor();
  const n = await early.locator('.sb-type').count();
  const button = early.getByRole('button', { name: 'Family Portrait Session', exact: true });
  const card = early.locator('.sb-type').filter({ has: page.getByRole('button', { name: 'Family Portrait Session', exact: true }) });
  if (how === 'mouse') await button.click();
  else {
    for (let i = 0; i < 12 && (await shadowActive(page))?.text !== 'Family Portrait Session'; i++) await page.keyboard.press('Tab');
    assert.equal((await shadowActive(page))?.text, 'Family Portrait Session', 'Tab reaches the type’s button');
    await page.keyboard.press('Enter');
  }
  // At once, with the wasm still held.
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  assert.match(await card.getAttribute('class'), /\bsb-chosen\b/);
  assert.equal(gate.held.length, 1, 'the wasm is still held');
  await page.waitForTimeout(300);
  assert.ok(requests.some((r) => r.url.includes(`/session_types/${FAMILY}/check-month-avail/`)), 'the chosen type’s month is asked for at once');
  assert.equal(await early.count(), 1, 'the early screen stays while the wasm is held');
  assert.equal(await early.getByRole('heading', { name: t.heading_session }).count(), 1);
  const stepFilesEarly = requests.filter((r) => r.url.endsWith('.wasm') && !r.url.includes('studio-booking-widget_bg.wasm')).map((r) => r.url);

  const released = Date.now();
  await gate.release();
  await w.getByRole('heading', { name: t.heading_date_time }).waitFor({ timeout: 15_000 });
  await w.locator('[part~="calendar"]').waitFor();
  assert.equal(await w.locator('[data-early]').count(), 0);
  const selected = await page.evaluate(() => window.__events.filter((e) => e.name === 'session-type-selected').map((e) => e.detail.id));
  assert.deepEqual(selected, [FAMILY], 'the same type is chosen in the widget, once');
  assert.deepEqual(await readyEvents(page), [{ session_types: n }], 'one ready, the loader’s');
  const focus = await shadowActive(page);
  if (how === 'keyboard') assert.deepEqual({ tag: focus?.tag, text: focus?.text }, { tag: 'h2', text: t.heading_date_time }, 'focus on the date step’s heading');
  await w.locator('.sb-day-open').first().waitFor();
  const months = requests.filter((r) => r.url.includes(`/session_types/${FAMILY}/check-month-avail/`)).map((r) => r.url);
  const stepFiles = requests.filter((r) => r.url.endsWith('.wasm') && !r.url.includes('studio-booking-widget_bg.wasm')).map((r) => r.url);

  const back = w.getByRole('button', { name: t.back, exact: true });
  if (how === 'mouse') await back.click(); else await back.press('Enter');
  await w.getByRole('heading', { name: t.heading_session }).waitFor();
  assert.equal(await w.locator('.sb-type').count(), n, 'Back returns to the list');
  assert.deepEqual(problems, []);
  await context.close();
  const firstStepFile = requests.find((r) => r.url.endsWith('.wasm') && !r.url.includes('studio-booking-widget_bg.wasm'));
  return { months, stepFiles, stepFilesEarly, stepFileAfterMs: firstStepFile ? firstStepFile.at - released : null };
}

const earlyChoices = []; // what each early choice asked for, and when
for (const [language, path, t] of [['English', '/', EN], ['Arabic', '/ar', AR]]) {
  test(`a session type chosen on the early screen, wasm held: by mouse and by keyboard (${language})`, { timeout: 60_000 }, async () => {
    for (const how of ['mouse', 'keyboard']) {
      const { months, stepFiles, stepFilesEarly, stepFileAfterMs } = await chooseEarly(path, t, how);
      earlyChoices.push({ label: `${language}, ${how}`, stepFiles, stepFilesEarly, stepFileAfterMs });
      figures.cases.push(`early choice, ${language}, ${how}: month asked ${months.length}× (${new Set(months).size} distinct), date-step files ${stepFilesEarly.length} asked while the wasm was held, ${stepFiles.length} in all (${new Set(stepFiles).size} distinct), the first ${stepFileAfterMs} ms after the wasm was let through`);
      // Each month asked for once (the widget may ask for the next one ahead too).
      const perMonth = {};
      for (const u of months) (perMonth[/check-month-avail\/(\d+-\d+)-/.exec(u)[1]] ??= []).push(u);
      assert.ok(Object.values(perMonth).every((us) => us.length === 1), `the chosen month is asked once: ${months.join(', ')}`);
      assert.equal(new Set(stepFiles).size, stepFiles.length, `each date-step file is fetched once: ${stepFiles.join(', ')}`);
    }
  });
}

test('a choice on the early screen asks for the date step’s files at once, before the wasm runs', { timeout: 30_000 }, async () => {
  // For contrast: a click with no pointer, focus or key before it (element.click()).
  const { page, context, requests, w } = await open('/', { width: 1280 });
  await w.locator('[data-early] .sb-type-list').waitFor();
  await w.locator('[data-early] .sb-type-button').first().evaluate((b) => b.click());
  await page.waitForTimeout(300);
  const bare = requests.filter((r) => /\.wasm$/.test(r.url) && !r.url.includes('studio-booking-widget_bg.wasm')).length;
  figures.cases.push(`early choice by element.click() (no wake event first): date-step files asked while the wasm was held: ${bare}`);
  await context.close();
  assert.ok(earlyChoices.length > 0, 'the early choice tests ran');
  const late = earlyChoices.filter((c) => c.stepFilesEarly.length < c.stepFiles.length).map((c) => `${c.label}: ${c.stepFilesEarly.length} of ${c.stepFiles.length} asked while the wasm was held, the first ${c.stepFileAfterMs} ms after it was let through`);
  assert.deepEqual(late, [], 'a real click or Enter (after pointerover/focusin woke the code) should ask for the date step’s files at the choice');
});

// ---- 4: the wasm cannot be had after the list was drawn ----

test('the wasm refused after the list is drawn, with fallback-href: a choice goes there', { timeout: 30_000 }, async () => {
  const gate = wasmGate('404');
  const { page, context, w } = await open('/fallback', { width: 1280, gate });
  await w.locator('[data-early] .sb-type-list').waitFor();
  await page.waitForTimeout(300);
  assert.ok(gate.requests >= 1);
  assert.ok((await w.locator('[data-early]').innerText()).includes('Family Portrait Session'), 'the list is readable');
  assert.equal(await w.getByRole('alert').count(), 0, 'no message before a choice');
  await w.getByRole('button', { name: 'Family Portrait Session', exact: true }).click();
  await page.waitForURL(`${stack.site.url}/elsewhere`, { timeout: 10_000 });
  assert.equal(await page.locator('#elsewhere').count(), 1);
  await context.close();
});

test('the wasm aborted after the list is drawn, no fallback-href: an alert, nothing typed lost, and Try again works', { timeout: 40_000 }, async () => {
  const gate = wasmGate('abort');
  const { page, context, w } = await open('/no-fallback', { width: 375, gate });
  await w.locator('[data-early] .sb-type-list').waitFor();
  const listText = await w.locator('[data-early] .sb-type-list').innerText();
  await page.locator('#note').fill('Please call me after 5 pm');
  await w.getByRole('button', { name: 'Business Headshots', exact: true }).click();
  const alert = w.getByRole('alert');
  await alert.waitFor({ timeout: 10_000 });
  assert.ok((await alert.innerText()).includes(EN.loader_failed));
  assert.equal(await alert.getByRole('button', { name: EN.retry }).count(), 1);
  // Under the heading, in the early screen; the list as it was, the choice shown.
  assert.equal(await w.locator('[data-early] .sb-heading + [role="alert"]').count(), 1, 'the alert is right under the heading');
  assert.equal(await w.locator('[data-early] .sb-type-list').innerText(), listText);
  assert.equal(await w.getByRole('button', { name: 'Business Headshots', exact: true }).getAttribute('aria-pressed'), 'true');
  assert.equal(page.url(), `${stack.site.url}/no-fallback`);
  assert.equal(await page.locator('#note').inputValue(), 'Please call me after 5 pm');
  await page.screenshot({ path: join(screenshotDir, 'first-screen-wasm-failed-375.png'), fullPage: true });
  // The wasm comes back: Try again takes the choice on to the date step.
  gate.mode = 'pass';
  await alert.getByRole('button', { name: EN.retry }).click();
  await w.getByRole('heading', { name: EN.heading_date_time }).waitFor({ timeout: 15_000 });
  const selected = await page.evaluate(() => window.__events.filter((e) => e.name === 'session-type-selected').map((e) => e.detail.id));
  assert.deepEqual(selected, [HEADSHOTS]);
  assert.equal(await page.locator('#note').inputValue(), 'Please call me after 5 pm');
  await context.close();
});

// ---- 5: axe ----

async function axe(page, state) {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  axeChecks += 1;
  axeViolations += result.violations.length;
  const detail = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  assert.deepEqual(detail, [], `axe at "${state}"`);
}

test('axe: 0 violations on the early screen (wasm held) and after the takeover, in English and Arabic', { timeout: 60_000 }, async () => {
  for (const path of ['/', '/ar']) {
    const { page, context, gate, w } = await open(path, { width: 1280 });
    await w.locator('[data-early] .sb-type-list').waitFor();
    await settle(page);
    await axe(page, `early screen ${path}`);
    assert.equal(await w.locator('[data-early]').count(), 1, 'still the early screen');
    await page.evaluate(() => document.getElementById('w').dispatchEvent(new PointerEvent('pointerover', { bubbles: true })));
    await gate.release();
    await noEarlyLeft(page);
    await settle(page);
    await axe(page, `after the takeover ${path}`);
    await context.close();
  }
});

// ---- 6: pages that open elsewhere than the list skip the early screen ----

test('no early screen: a preselected session type, a manage link, a draft kept before a reload', { timeout: 60_000 }, async () => {
  {
    const { page, context, w } = await open('/preselected', { gate: wasmGate('pass') });
    await w.locator('[part~="calendar"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate(() => window.__earlies), 0, 'preselected: no [data-early]');
    await context.close();
  }
  {
    const { page, context, w } = await open('/#studio-booking-session=x&studio-booking-token=y', { gate: wasmGate('pass') });
    await page.waitForFunction(() => {
      const s = document.getElementById('w')?.shadowRoot;
      const h = s?.querySelector('.sb-root:not([data-early]) .sb-heading');
      return h && h.textContent.trim() !== '';
    }, null, { timeout: 15_000 });
    await page.waitForLoadState('networkidle');
    const heading = await w.locator('.sb-heading').innerText();
    assert.notEqual(heading, EN.heading_session, 'the manage link’s screen, not the list');
    assert.equal(await page.evaluate(() => window.__earlies), 0, 'manage link: no [data-early]');
    await context.close();
  }
  {
    const { page, context, w } = await open('/', { gate: wasmGate('pass') });
    await w.getByRole('button', { name: 'Family Portrait Session', exact: true }).click();
    await w.locator('[part~="calendar"]').waitFor({ timeout: 15_000 });
    await page.reload();
    await w.locator('[part~="calendar"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate(() => window.__earlies), 0, 'a draft: no [data-early] after the reload');
    await context.close();
  }
});

test('popup mode: its button is drawn before the wasm, the same as the widget\'s; a click or open() while the wasm is held opens the dialog once it runs', { timeout: 60_000 }, async () => {
  const snapshot = (page) => page.evaluate(() => {
    const b = document.getElementById('w').shadowRoot.querySelector('.sb-open-button');
    const r = b.getBoundingClientRect();
    return { attributes: Object.fromEntries([...b.attributes].map((a) => [a.name, a.value])), text: b.textContent, box: [r.x, r.y, r.width, r.height].map(Math.round), style: getComputedStyle(b).backgroundColor };
  });
  for (const how of ['click', 'open()']) {
    const { page, context, gate, w, problems } = await open('/popup');
    const button = w.getByRole('button', { name: 'Book a mini session' });
    await button.waitFor();
    const early = await snapshot(page);
    if (how === 'click') await button.click();
    else await page.evaluate(() => document.getElementById('w').open());
    assert.equal(await w.locator('dialog[open]').count(), 0, 'no dialog before the code runs');
    await gate.release();
    await w.locator('dialog[open] [part~="calendar"]').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await w.locator('dialog[open]').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
    const after = await snapshot(page);
    assert.equal(await page.evaluate(() => document.getElementById('w').shadowRoot.querySelectorAll('.sb-open-button').length), 1, 'one button');
    assert.deepEqual(after.attributes, early.attributes, `${how}: the same button`);
    assert.deepEqual([after.text, after.box, after.style], [early.text, early.box, early.style], `${how}: the same words, box and colours`);
    if (how === 'click') assert.equal((await shadowActive(page))?.cls, 'sb-open-button', 'focus back on the button');
    assert.deepEqual(problems, []);
    await context.close();
  }
  // Right to left, named by the widget's words when the element has none; axe on the button.
  const { page, context, w, gate } = await open('/popup-ar');
  const button = w.getByRole('button', { name: AR.open_booking });
  await button.waitFor();
  assert.equal(await button.getAttribute('dir'), 'rtl');
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  assert.deepEqual(results.violations.map((v) => v.id), [], 'axe on the popup button drawn early');
  await gate.release();
  await context.close();
});

test('the early screen in a dark theme with an accent, and inside the frame in iframe mode', { timeout: 60_000 }, async () => {
  {
    const { page, context, gate, w } = await open('/dark');
    await w.locator('[data-early] .sb-type-button').first().waitFor();
    const look = () => page.evaluate(() => {
      const s = document.getElementById('w').shadowRoot;
      const root = [...s.querySelectorAll('.sb-root')].find((r) => r.style.display !== 'none');
      const step = root.querySelector('.sb-step[data-state="current"] .sb-step-number');
      return { theme: root.dataset.theme, background: getComputedStyle(root).backgroundColor, text: getComputedStyle(root).color, accent: getComputedStyle(step).backgroundColor };
    });
    const early = await look();
    assert.equal(early.theme, 'dark');
    assert.equal(early.accent, 'rgb(42, 157, 143)', 'the accent attribute');
    assert.notEqual(early.background, 'rgb(255, 255, 255)', 'a dark background');
    await gate.release();
    await page.dispatchEvent('#w', 'pointerover');
    await noEarlyLeft(page);
    assert.deepEqual(await look(), early, 'the same colours after the takeover');
    await page.screenshot({ path: join(screenshotDir, 'first-screen-early-dark-1280.png') });
    await context.close();
  }
  {
    // The frame page hosts an in-page widget of its own: the list is drawn there, before its wasm.
    const { page, context, gate } = await open('/iframe');
    const frame = page.frameLocator('#w iframe');
    await frame.locator('studio-booking .sb-type-button').first().waitFor({ timeout: 15_000 });
    assert.ok(gate.requests <= 1, 'the frame drew its list with the wasm held');
    assert.equal(await frame.locator('studio-booking [data-early]').count(), 1, 'drawn by the loader inside the frame');
    await gate.release();
    await frame.locator('studio-booking .sb-type-button').first().click();
    await frame.locator('studio-booking [part~="calendar"]').waitFor({ timeout: 15_000 });
    await context.close();
  }
});
