// Time zones: the same booking (an autumn mini session at the London studio) by visitors in
// Asia/Kathmandu (+05:45), America/St_Johns (-03:30), Australia/Lord_Howe (a 30-minute DST
// shift, booked just after it), Pacific/Kiritimati (+14: the studio's Saturday is their
// Sunday) and America/Los_Angeles on the day its clocks go forward. The studio's and the
// browser's clocks are set to 1 March 2027, so those days are bookable. For each: the day
// shown is the day asked, every time shown is its instant in the visitor's zone, and the
// instant booked on the studio is the instant shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { foreignStack, hostPage, visit, sessionsOn, recordFigures, screenshotDir, zoneShown } from './stack.mjs';

const NOW = '2027-03-01T12:00:00Z';
const MINI = 'set_MINIAUTUMN00000000000000000000';
const stack = foreignStack({
  mockArgs: ['--now', NOW],
  pages: ({ api, snippet }) => ({ '/': hostPage(`${snippet}<studio-booking id="w" api-base="${api}" session-type="${MINI}"></studio-booking>`) }),
});

// `at`: an instant the studio offers that day, and how the visitor's clock reads it.
const cases = [
  { zone: 'Asia/Kathmandu', day: '2027-03-13', pick: 0, at: ['2027-03-13T10:00:00Z', /^15:45/] },
  { zone: 'America/St_Johns', day: '2027-03-13', pick: 1, at: ['2027-03-13T10:30:00Z', /^0?7:00/] },
  { zone: 'Australia/Lord_Howe', day: '2027-04-10', pick: 0, at: ['2027-04-10T09:00:00Z', /^19:30/] }, // +10:30 since 4 April
  { zone: 'Pacific/Kiritimati', day: '2027-03-14', pick: 2, at: ['2027-03-13T12:00:00Z', /^0?2:00/] }, // London's Saturday 13th
  { zone: 'America/Los_Angeles', day: '2027-03-14', pick: 0, at: ['2027-03-14T10:00:00Z', /^3:00\sAM/], first: true, locale: 'en-US' }, // clocks went 2:00 → 3:00 PDT
];

const booked = [];
const longDate = (iso, locale) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${iso}T00:00:00Z`));

for (const c of cases) {
  test(`a visitor in ${c.zone} books on ${c.day}`, async () => {
    const locale = c.locale ?? 'en-GB';
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 800 }, locale, timezoneId: c.zone });
    await context.clock.install({ time: new Date(NOW) }); // time flows on from the studio's "now"
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => { if (['error', 'warning'].includes(m.type())) problems.push(m.text()); });
    await page.goto(`${stack.site.url}/`);
    const w = page.locator('#w');
    await zoneShown(page, w, c.zone, locale);
    // To the month of the day, by the calendar's own buttons.
    const wantMonth = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(`${c.day}T00:00:00Z`));
    for (let i = 0; i < 3 && (await w.locator('.sb-month-title').innerText()) !== wantMonth; i++) {
      await w.getByRole('button', { name: 'Next month' }).click();
    }
    const day = w.locator(`.sb-day[data-date="${c.day}"]`);
    await w.locator('.sb-day-open').first().waitFor();
    assert.ok(await day.evaluate((b) => b.classList.contains('sb-day-open')), `${c.day} is open in ${c.zone}`);
    assert.equal(await day.getAttribute('aria-label'), longDate(c.day, locale));
    await day.click();
    // The day shown is the day asked.
    assert.equal(await w.locator('.sb-day-title').innerText(), longDate(c.day, locale));
    const slots = w.locator('.sb-slot:not(.sb-skeleton-line)');
    await slots.first().waitFor();
    // Every time shown is its instant in the visitor's zone, on that day.
    const starts = [];
    for (const slot of await slots.all()) {
      await slot.click();
      const start = (await page.evaluate(() => window.__events)).filter((e) => e.name === 'slot-selected').at(-1).detail.start;
      const at = new Date(start);
      const label = (await slot.innerText()).trim();
      const expected = new Intl.DateTimeFormat(locale, { timeZone: c.zone, timeStyle: 'short' }).format(at);
      assert.ok(label.startsWith(expected), `${label} is ${start} = ${expected} in ${c.zone}`);
      assert.equal(new Intl.DateTimeFormat('en-CA', { timeZone: c.zone }).format(at), c.day, `${start} is on ${c.day} in ${c.zone}`);
      starts.push(start);
    }
    // The known instant reads as a person in that zone would read it.
    const known = starts.findIndex((t) => Date.parse(t) === Date.parse(c.at[0]));
    assert.ok(known >= 0, `${c.at[0]} offered`);
    assert.match((await slots.nth(known).innerText()).trim(), c.at[1]);
    if (c.first) assert.equal(known, 0, 'the first time of the day');
    await slots.nth(c.pick).click();
    const start = starts[c.pick];
    const label = (await slots.nth(c.pick).innerText()).trim();
    await w.getByRole('button', { name: 'Continue' }).click();
    await w.getByLabel('First name', { exact: true }).fill('Zone');
    await w.getByLabel('Last name', { exact: true }).fill(c.zone.split('/')[1]);
    await w.getByLabel('Email', { exact: true }).fill(`${c.zone.split('/')[1].toLowerCase()}@example.com`);
    await w.getByLabel('Which setting would you like?').selectOption('leaves');
    await w.getByRole('button', { name: 'Continue' }).click();
    await w.getByRole('button', { name: 'Book this session' }).click();
    await w.getByRole('heading', { name: 'Booked' }).waitFor();
    // The confirmation says the same day and time, as the locale writes a date and its times.
    const when = await w.locator('.sb-booked dd').nth(1).innerText();
    const session = (await page.evaluate(() => window.__events)).filter((e) => e.name === 'booked').at(-1).detail;
    const written = await page.evaluate(([s, e, zone, l]) => new Intl.DateTimeFormat(l, { timeZone: zone, dateStyle: 'full', timeStyle: 'short' })
      .formatRange(new Date(s), new Date(e)), [session.start, session.end, c.zone, locale]);
    assert.ok(when.startsWith(written), `${when} (${written})`);
    assert.ok(written.includes(longDate(c.day, locale).split(' ').at(-1)) && written.includes(label.replace(/\s*[AP]M$/, '')), `${written} names ${c.day} and ${label}`);
    await page.screenshot({ path: join(screenshotDir, `zone-${c.zone.replace('/', '-')}.png`), fullPage: true });
    booked.push({ id: session.id, start, zone: c.zone });
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('the studio has each session at the instant the visitor was shown', async () => {
  const sessions = await sessionsOn(stack);
  let found = 0;
  for (const b of booked) {
    const s = sessions.find((x) => x.id === b.id);
    assert.ok(s, `${b.id} not found`);
    assert.equal(Date.parse(s.start), Date.parse(b.start), b.zone);
    assert.equal(s.timezone, b.zone);
    found += 1;
  }
  const ids = sessions.map((s) => s.id);
  const duplicates = ids.length - new Set(ids).size;
  assert.equal(duplicates, 0);
  await recordFigures('zones', { bookingsMade: booked.length, bookingsFound: found, duplicates });
});
