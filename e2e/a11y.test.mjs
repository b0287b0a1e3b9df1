// Accessibility: axe-core with the WCAG 2.0/2.1 A and AA and WCAG 2.2 AA rules at every step
// and state of a booking (the list, the calendar, the times, the zone switcher, the form with
// its errors shown, payment, review with policies, the confirmation), in the popup, with an
// error banner, and in the dark theme. Every check must find 0 violations.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { foreignStack, hostPage, visit, injectFaults, clearFaults, recordFigures } from './stack.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const MINI = 'set_MINIAUTUMN00000000000000000000';
const stack = foreignStack({
  pages: ({ api, snippet }) => ({
    '/inline': hostPage(`${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>`),
    '/dark': hostPage(`${snippet}<studio-booking id="w" theme="dark" api-base="${api}"></studio-booking>`, { head: '<style>body { background: #111; color: #eee }</style>' }),
    '/popup': hostPage(`<p>Autumn minis! ${snippet}<studio-booking id="w" mode="popup" api-base="${api}" session-type="${MINI}">Book a mini session</studio-booking></p>`),
  }),
});

let checks = 0;
let violations = 0;
const seen = [];

/** Runs axe on the page as it is now; fails with the rules broken and where. */
async function axe(page, state) {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  checks += 1;
  violations += result.violations.length;
  seen.push(`${state}: ${result.passes.length} rules passed, ${result.violations.length} violated`);
  const detail = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  assert.deepEqual(detail, [], `axe at "${state}"`);
}

after(async () => {
  await recordFigures('a11y', { axeViolations: violations, axeChecks: checks });
  console.log(`axe: ${checks} checks, ${violations} violations\n  ${seen.join('\n  ')}`);
});

test('every step of a booking, with errors shown', async () => {
  const { page, context } = await visit(stack, '/inline');
  const w = page.locator('#w');
  await w.getByRole('button', { name: 'Family Portrait Session', exact: true }).waitFor();
  await page.waitForLoadState('networkidle');
  await axe(page, 'session type list');
  await w.getByRole('button', { name: 'Family Portrait Session', exact: true }).click();
  await w.locator('.sb-day-open').first().waitFor();
  await axe(page, 'calendar');
  await w.getByRole('button', { name: 'Change time zone' }).click();
  await w.getByLabel('Time zone').waitFor();
  await axe(page, 'time zone switcher open');
  await w.getByLabel('Time zone').fill('Not/A/Zone/At/All');
  await w.getByLabel('Time zone').press('Enter');
  await w.locator('#sb-zone-problem').filter({ hasText: /./ }).waitFor();
  await axe(page, 'time zone switcher with an error');
  await w.getByRole('button', { name: 'Change time zone' }).click();
  await w.locator('.sb-day-open').first().click();
  await w.locator('.sb-slot:not(.sb-skeleton-line)').first().waitFor();
  await axe(page, 'times of a day');
  await w.locator('.sb-slot').first().click();
  await axe(page, 'a time chosen');
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByRole('heading', { name: 'Your details' }).waitFor();
  await axe(page, 'details form');
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByText('Please enter your first name.').waitFor();
  await axe(page, 'details form with errors shown');
  await w.getByLabel('First name', { exact: true }).fill('Ana');
  await w.getByLabel('Last name', { exact: true }).fill('Silva');
  await w.getByLabel('Email', { exact: true }).fill('ana@example.com');
  await w.getByLabel('How many people will be in the photos?').fill('4');
  await w.getByLabel('Victoria Park').check();
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByRole('heading', { name: 'Payment' }).waitFor();
  await axe(page, 'payment');
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByText('Please choose how you would like to pay.').waitFor();
  await axe(page, 'payment with errors shown');
  await w.getByLabel('Bank transfer').check();
  await w.getByLabel('Pay deposit').check();
  await axe(page, 'payment chosen, with instructions');
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByRole('heading', { name: 'Review and book' }).waitFor();
  await axe(page, 'review with policies');
  await w.getByRole('button', { name: 'Book this session' }).click();
  await w.locator('#sb-agree-error').filter({ hasText: /./ }).waitFor();
  await axe(page, 'review, policies not agreed');
  await w.getByLabel(/agree/).check();
  await w.getByRole('button', { name: 'Book this session' }).click();
  await w.getByRole('heading', { name: 'Booked' }).waitFor();
  await axe(page, 'confirmation');
  await context.close();
});

test('the popup, open', async () => {
  const { page, context } = await visit(stack, '/popup');
  await page.getByRole('button', { name: 'Book a mini session' }).waitFor();
  await axe(page, 'popup button');
  await page.getByRole('button', { name: 'Book a mini session' }).click();
  await page.getByRole('dialog').locator('.sb-day-open').first().waitFor();
  await axe(page, 'popup open');
  await context.close();
});

test('an error banner with its retry', async () => {
  await injectFaults(stack, [{ kind: 'status', status: 500, path: '/session_types', method: 'GET' }]);
  try {
    const { page, context } = await visit(stack, '/inline');
    await page.locator('#w').getByRole('alert').waitFor({ timeout: 10_000 });
    await axe(page, 'error banner');
    await context.close();
  } finally {
    await clearFaults(stack);
  }
});

test('the dark theme', async () => {
  const { page, context } = await visit(stack, '/dark');
  const w = page.locator('#w');
  await w.getByRole('button', { name: 'Business Headshots', exact: true }).waitFor();
  await page.waitForLoadState('networkidle');
  await axe(page, 'dark: session type list');
  await w.getByRole('button', { name: 'Business Headshots', exact: true }).click();
  await w.locator('.sb-day-open').first().click();
  await w.locator('.sb-slot:not(.sb-skeleton-line)').first().click();
  await axe(page, 'dark: calendar and times');
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByText('Please enter your first name.').waitFor();
  await axe(page, 'dark: form with errors shown');
  await context.close();
});

test('axe sees into the widget’s shadow root (a nameless button planted there is found)', async () => {
  const { page, context } = await visit(stack, '/inline');
  await page.locator('#w').getByRole('button', { name: 'Business Headshots', exact: true }).waitFor();
  await page.evaluate(() => {
    const b = document.createElement('button');
    b.className = 'planted';
    document.getElementById('w').shadowRoot.querySelector('.sb-widget').append(b);
  });
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  assert.ok(result.violations.some((v) => v.id === 'button-name' && v.nodes.some((n) => JSON.stringify(n.target).includes('planted'))));
  await context.close();
});
