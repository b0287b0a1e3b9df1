// Keyboard only: a whole booking with no mouse. Tab and Shift+Tab between controls, the
// calendar by the WAI-ARIA date-grid keys (arrows, Home/End, PageUp/PageDown), Enter and
// Space to choose; at every stop the focused control shows a visible focus indicator, and
// each new step puts focus on its heading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { foreignStack, hostPage, visit, sessionsOn, recordFigures, screenshotDir } from './stack.mjs';

const stack = foreignStack({
  pages: ({ api, snippet }) => ({
    '/': hostPage(`<p><a href="#w">Skip to booking</a></p>${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>`),
  }),
});

/** What has focus, looking through shadow roots: its name, date, and whether focus shows. */
const focused = (page) => page.evaluate(() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  // A focus ring on the control itself, or on its ::after (a card's stretched button).
  const shows = (style) => (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  const style = getComputedStyle(el);
  const labelled = el.id && el.getRootNode().querySelector(`label[for="${el.id}"]`);
  return {
    tag: el.tagName.toLowerCase(),
    name: (el.getAttribute('aria-label') || (labelled && labelled.textContent) || el.textContent || '').replace(/\s+/g, ' ').trim(),
    date: el.getAttribute('data-date'),
    heading: /^h[1-6]$/i.test(el.tagName),
    visible: el.matches(':focus-visible') && (shows(style) || shows(getComputedStyle(el, '::after'))),
  };
});

let stops = 0;
/** Presses Tab (or Shift+Tab) until `want` matches what has focus; each stop must show focus. */
async function tabTo(page, want, { back = false, max = 40 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    stops += 1;
    if (f) assert.ok(f.visible, `no visible focus on ${f.tag} "${f.name}"`);
    if (f && want(f)) return f;
  }
  throw new Error('never reached the control by keyboard');
}

async function headingHasFocus(page, name) {
  await page.waitForFunction((n) => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el && /^H2$/.test(el.tagName) && el.textContent.trim() === n;
  }, name, { timeout: 10_000 });
}

const addDays = (iso, n) => { const d = new Date(`${iso}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); };
const addMonths = (iso, n) => { const d = new Date(`${iso}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() + n); return d.toISOString().slice(0, 10); };

test('a whole booking by keyboard alone, with focus visible at every stop', async () => {
  const { page, context, problems } = await visit(stack, '/');
  const w = page.locator('#w');
  await w.getByRole('button', { name: 'Mini Session — Autumn Leaves', exact: true }).waitFor();

  // The list: Tab to the session type, Space chooses it; focus goes to the new step's heading.
  await tabTo(page, (f) => f.name === 'Mini Session — Autumn Leaves');
  await page.keyboard.press('Space');
  await headingHasFocus(page, 'Choose a date and time');
  await w.locator('.sb-day-open').first().waitFor();

  // The calendar: one tab stop, then the date-grid keys.
  const start = await tabTo(page, (f) => f.date !== null);
  const keys = [
    ['ArrowRight', addDays(start.date, 1)], ['ArrowLeft', start.date],
    ['ArrowDown', addDays(start.date, 7)], ['ArrowUp', start.date],
    ['PageDown', addMonths(start.date, 1)], ['PageUp', start.date],
  ];
  for (const [key, expected] of keys) {
    await page.keyboard.press(key);
    await page.waitForFunction((d) => {
      let el = document.activeElement;
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      return el && el.getAttribute('data-date') === d;
    }, expected, { timeout: 5000 }).catch(() => {});
    const f = await focused(page);
    assert.equal(f.date, expected, `${key} from ${start.date}`);
    assert.ok(f.visible, `focus shows after ${key}`);
  }
  // Home and End: the ends of the week (en-GB weeks start on Monday).
  await page.keyboard.press('Home');
  const home = await focused(page);
  assert.equal(new Date(`${home.date}T00:00:00Z`).getUTCDay(), 1, 'Home: Monday');
  await page.keyboard.press('End');
  const end = await focused(page);
  assert.equal(new Date(`${end.date}T00:00:00Z`).getUTCDay(), 0, 'End: Sunday');
  assert.equal(end.date, addDays(home.date, 6));
  // To the first open day by arrows, and Enter chooses it.
  const open = await w.locator('.sb-day-open').evaluateAll((days) => days.map((d) => d.getAttribute('data-date')));
  const target = open.find((d) => d.slice(0, 7) === end.date.slice(0, 7)) ?? open[0];
  let at = end.date;
  while (at !== target) {
    const forward = at < target;
    await page.keyboard.press(forward ? 'ArrowRight' : 'ArrowLeft');
    at = addDays(at, forward ? 1 : -1);
  }
  assert.equal((await focused(page)).date, target);
  await page.keyboard.press('Enter');
  await w.locator('.sb-slot:not(.sb-skeleton-line)').first().waitFor();
  await page.screenshot({ path: join(screenshotDir, 'keyboard-calendar.png'), fullPage: true });

  // A time: Tab to the first, Space chooses; Tab on to Continue, Enter.
  const slot = await tabTo(page, (f) => f.tag === 'button' && /^\d{1,2}:\d\d/.test(f.name));
  await page.keyboard.press('Space');
  await tabTo(page, (f) => f.name === 'Continue');
  await page.keyboard.press('Enter');
  await headingHasFocus(page, 'Your details');

  // The form: typed into, field by field.
  await tabTo(page, (f) => f.name === 'First name');
  await page.keyboard.type('Kai');
  await tabTo(page, (f) => f.name === 'Last name');
  await page.keyboard.type('Ng');
  await tabTo(page, (f) => f.name === 'Email');
  await page.keyboard.type('kai@example.com');
  await tabTo(page, (f) => f.tag === 'select');
  await page.keyboard.press('ArrowDown');
  await tabTo(page, (f) => f.tag === 'textarea');
  await page.keyboard.type('Keyboard only, please.');
  await page.screenshot({ path: join(screenshotDir, 'keyboard-details.png'), fullPage: true });
  await tabTo(page, (f) => f.name === 'Continue');
  await page.keyboard.press('Enter');
  await headingHasFocus(page, 'Review and book');

  // Back with Shift+Tab works too, and the booking is made with Enter.
  await tabTo(page, (f) => f.name === 'Book this session');
  await tabTo(page, (f) => f.name === 'Back', { back: true });
  await tabTo(page, (f) => f.name === 'Book this session');
  await page.keyboard.press('Enter');
  await headingHasFocus(page, 'Booked');
  await page.screenshot({ path: join(screenshotDir, 'keyboard-booked.png'), fullPage: true });

  const session = (await page.evaluate(() => window.__events)).filter((e) => e.name === 'booked').at(-1).detail;
  const onServer = (await sessionsOn(stack)).filter((s) => s.id === session.id);
  assert.equal(onServer.length, 1);
  assert.equal(onServer[0].client.email, 'kai@example.com');
  assert.equal(onServer[0].answers.q_notes, 'Keyboard only, please.');
  assert.ok(onServer[0].answers.q_backdrop, 'the select was answered by keyboard');
  assert.ok(slot.name);
  assert.deepEqual(problems, []);
  console.log(`keyboard: booked with ${stops} tab stops, every one with visible focus`);
  await recordFigures('keyboard', { bookingsMade: 1, bookingsFound: onServer.length, duplicates: 0 });
  await context.close();
});
