// The README's run setup in a real browser: the demo page served with the widget's release
// build, fed by the mock studio, shows the studio's published session types, and choosing
// one leads to its calendar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoStack, inline, screenshotDir } from './stack.mjs';

const stack = demoStack();

const PUBLISHED = [
  'Family Portrait Session', 'Mini Session — Autumn Leaves', 'Wedding Photography',
  'Business Headshots', 'Tokyo Destination Portraits', 'New York Engagement Session',
];

for (const [label, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 375, height: 812 }]]) {
  test(`the first screen lists the published session types (${label})`, async () => {
    const page = await stack.browser.newPage({ viewport, locale: 'en-GB', timezoneId: 'Europe/London' });
    const problems = [];
    page.on('console', (m) => { if (['error', 'warning'].includes(m.type())) problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(stack.site.url);
    const first = inline(page).getByRole('button', { name: 'Family Portrait Session' });
    await first.waitFor({ timeout: 15_000 });
    for (const name of PUBLISHED) {
      await assert.doesNotReject(inline(page).getByRole('button', { name, exact: true }).waitFor({ timeout: 5_000 }), name);
    }
    // The draft is never shown.
    assert.equal(await inline(page).getByText('Maternity').count(), 0);
    // Prices follow the currency: yen have no decimals.
    assert.ok(await inline(page).getByText('JP¥45,000').first().isVisible());
    // The step indicator says where the visitor is.
    assert.equal(await inline(page).locator('[aria-current="step"]').innerText().then((t) => t.replace(/\s+/g, ' ').trim()), '1 Session');
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(screenshotDir, `00-first-screen-${label}.png`), fullPage: true });
    await first.click();
    await inline(page).getByRole('heading', { name: 'Choose a date and time' }).waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });
}
