// What a studio's own booking does (#22), on a photographer's page of its own origin, through
// the studio gateway in front of the mock studio in studio mode (with its contract session
// type): a contract signed while booking; coupon codes refused for each reason, then applied
// with exact amounts in GBP, USD and JPY (with and without a deposit, inclusive and exclusive
// taxes, a 100 % code); and a client who follows the confirmation's link in another zone than
// they booked in, moves the session and then cancels it, with every refusal of the contract
// shown. The studio must then hold exactly what each did. axe runs on every new screen;
// screenshots at 1280 and 375 px go to e2e/out/screenshots/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { foreignStack, hostPage, visit, sessionsOn, screenshotDir, recordFigures } from './stack.mjs';

const NEWBORN = 'set_NEWBORN00000000000000000000000';
const NYC = 'set_NYCENGAGEMENT00000000000000000';
const TOKYO = 'set_TOKYOPORTRAITS0000000000000000';
const HEADSHOTS = 'set_HEADSHOTS000000000000000000000';
const FAMILY = 'set_FAMILYPORTRAIT0000000000000000';

const stack = foreignStack({
  gateway: true,
  mockArgs: ['--demo-contracts'],
  pages: ({ api, snippet }) => {
    const page = (type) => hostPage(`${snippet}<studio-booking id="w" api-base="${api}" session-type="${type}"></studio-booking>`);
    return {
      '/newborn': page(NEWBORN), '/nyc': page(NYC), '/tokyo': page(TOKYO), '/headshots': page(HEADSHOTS), '/family': page(FAMILY),
      // The photographer's "manage your booking" page: a widget with no session type.
      '/my-booking': hostPage(`${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>`),
      // The same with the page's own images (one of its origin, one of another) above the
      // widget, in page and iframe modes: what a link's token must never reach.
      '/links': hostPage(`<img src="/hero.jpg" alt="" width="8" height="8"><img src="${api}/pixel.png" alt="" width="8" height="8">${snippet}<studio-booking id="w" api-base="${api}"></studio-booking>`),
      '/links-frame': hostPage(`<img src="/hero.jpg" alt="" width="8" height="8">${snippet}<studio-booking id="w" mode="iframe" api-base="${api}"></studio-booking>`),
    };
  },
});

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
let axeChecks = 0;
async function axe(page, state) {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  axeChecks += 1;
  const detail = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  assert.deepEqual(detail, [], `axe at "${state}"`);
}
after(() => recordFigures('own-booking', { axeChecks }));

const shot = (page, name) => page.screenshot({ path: join(screenshotDir, `own-${name}.png`), fullPage: true });
const events = async (page, name) => (await page.evaluate(() => window.__events)).filter((e) => e.name === name);
const w = (page) => page.locator('#w');
/** The page's console problems, less the browser's own line for each refusal the test asks for. */
const unexpected = (problems) => problems.filter((p) => !/^Failed to load resource: the server responded with a status of (403|404|409|422)/.test(p));
const today = () => new Date().toISOString().slice(0, 10);

/** Picks the first open day (or the next opening), `ahead` months on, and its `nth` time;
 * continues. */
async function pickSlot(ui, nth = 0, { heading = 'Choose a date and time', go = 'Continue', ahead = 0 } = {}) {
  await ui.getByRole('heading', { name: heading }).waitFor();
  await ui.locator('.sb-day-open, .sb-empty-month').first().waitFor();
  for (let i = 0; i < ahead; i++) {
    await ui.getByRole('button', { name: 'Next month' }).click();
    await ui.locator('.sb-day-open, .sb-empty-month').first().waitFor();
  }
  const jump = ui.getByRole('button', { name: 'Show the next opening' });
  if (await jump.count()) await jump.click();
  else await ui.locator('.sb-day-open').first().click();
  const slots = ui.locator('.sb-slot:not(.sb-skeleton-line)');
  await slots.first().waitFor();
  const slot = slots.nth(Math.min(nth, (await slots.count()) - 1));
  await slot.click();
  await ui.getByRole('button', { name: go }).click();
}

async function details(ui, { first, last, email }, more = async () => {}) {
  await ui.getByRole('heading', { name: 'Your details' }).waitFor();
  await ui.getByLabel('First name', { exact: true }).fill(first);
  await ui.getByLabel('Last name', { exact: true }).fill(last);
  await ui.getByLabel('Email', { exact: true }).fill(email);
  await more();
  await ui.getByRole('button', { name: 'Continue' }).click();
}

/** The amounts of the payment step's breakdown, as shown: { label: amount }. */
/** A list's rows as [term, value], without the isolates around a code or a name (which keep
 * their own direction in any sentence). */
const rowsOf = (divs) => divs.evaluateAll((all) => all.map((d) => [d.querySelector('dt'), d.querySelector('dd')].map((e) => e.textContent.replace(/[\u2068\u2069]/g, '').trim())));

async function amounts(ui) {
  return Object.fromEntries(await rowsOf(ui.locator('.sb-amounts > div')));
}

async function applyCoupon(ui, code) {
  const field = ui.getByLabel('Coupon code');
  await field.fill(code);
  await ui.getByRole('button', { name: 'Apply' }).click();
}

async function refusedCoupon(ui, code, words) {
  await applyCoupon(ui, code);
  await ui.getByRole('alert').filter({ hasText: words }).waitFor();
  assert.equal(await ui.getByLabel('Coupon code').getAttribute('aria-invalid'), 'true');
}

async function book(ui, { agree = true } = {}) {
  await ui.getByRole('heading', { name: 'Review and book' }).waitFor();
  if (agree) await ui.getByLabel("I have read and agree to the studio's policies").check();
  await ui.getByRole('button', { name: 'Book this session' }).click();
  try {
    await ui.getByRole('heading', { name: /^(Booked|Request sent)$/ }).waitFor({ timeout: 15_000 });
  } catch (e) {
    const said = await ui.locator('.sb-notice, .sb-field-error, h2').allInnerTexts();
    throw new Error(`not booked: ${said.filter(Boolean).join(' | ')}`);
  }
}

const sessionOf = async (page) => {
  const booked = (await events(page, 'booked')).at(-1).detail;
  assert.equal(booked.manage_token, undefined, 'the page never hears the manage token');
  return (await sessionsOn(stack)).find((s) => s.id === booked.id);
};

test('a contract is signed while booking, with a coupon, and the studio holds the signature and the discount', async () => {
  for (const width of [1280, 375]) {
    const { page, context, problems } = await visit(stack, '/newborn', { width });
    const ui = w(page);
    await pickSlot(ui);
    await details(ui, { first: 'Ana', last: 'Silva', email: `ana.${width}@example.com` }, () => ui.getByLabel("Your baby's due date or date of birth").fill(today()));
    await ui.getByRole('heading', { name: 'Payment' }).waitFor();
    // Each refusal says why, beside the field, and no price changes.
    await refusedCoupon(ui, 'EARLYBIRD', 'This code has expired.');
    await refusedCoupon(ui, 'firstten', 'This code has already been used as many times as it allows.');
    await refusedCoupon(ui, 'NYC50', "This code isn't valid for this session. Please check it.");
    await refusedCoupon(ui, 'no such code!', "This code isn't valid for this session. Please check it.");
    assert.deepEqual(await amounts(ui), { Price: '£350.00', 'Due now': '£350.00' });
    if (width === 1280) await axe(page, 'payment, a code refused');
    await applyCoupon(ui, 'juniper20');
    await ui.getByText('Code JUNIPER20 applied.').waitFor();
    assert.deepEqual(await amounts(ui), { Price: '£350.00', 'Discount (JUNIPER20)': '-£70.00', Total: '£280.00', 'Due now': '£280.00' });
    await ui.getByLabel('Credit or debit card').check();
    await ui.getByLabel('Pay deposit').check();
    assert.deepEqual(await amounts(ui), { Price: '£350.00', 'Discount (JUNIPER20)': '-£70.00', Total: '£280.00', Deposit: '£100.00', 'Due now': '£100.00' });
    await shot(page, `payment-coupon-${width}`);
    if (width === 1280) await axe(page, 'payment, a code applied');
    await ui.getByRole('button', { name: 'Continue' }).click();
    // The contract: read, then signed by name and box.
    await ui.getByRole('heading', { name: 'Read and sign the contract' }).waitFor();
    await ui.getByRole('region', { name: /agreement/i }).waitFor();
    await ui.getByRole('button', { name: 'Continue' }).click();
    await ui.getByText('Please type your full name as your signature.').waitFor();
    await ui.getByLabel(/Signature/).fill('Ana Silva');
    await ui.getByRole('button', { name: 'Continue' }).click();
    await ui.getByText('Please tick the box to agree to the contract.').waitFor();
    await shot(page, `contract-${width}`);
    if (width === 1280) await axe(page, 'contract with its messages');
    await ui.getByLabel('I have read this contract and agree to it').check();
    await ui.getByRole('button', { name: 'Continue' }).click();
    // Back from the review keeps what was signed.
    await ui.getByRole('heading', { name: 'Review and book' }).waitFor();
    await ui.getByRole('button', { name: 'Back' }).click();
    assert.equal(await ui.getByLabel(/Signature/).inputValue(), 'Ana Silva');
    assert.equal(await ui.getByLabel('I have read this contract and agree to it').isChecked(), true);
    await ui.getByRole('button', { name: 'Continue' }).click();
    await book(ui);
    await ui.getByText(/^Signed by \u2068Ana Silva\u2069, /).waitFor();
    await ui.getByText('-£70.00').waitFor();
    await shot(page, `confirmation-signed-${width}`);
    if (width === 1280) await axe(page, 'confirmation, signed and discounted');
    const held = await sessionOf(page);
    assert.equal(held.contract_signature.name, 'Ana Silva');
    assert.ok(held.contract_signature.signed_at);
    assert.deepEqual(
      { price: held.payment.price, discount: held.payment.discount, code: held.payment.coupon_code, due: held.payment.amount_due, option: held.payment.option },
      { price: 28000, discount: 7000, code: 'JUNIPER20', due: 10000, option: 'partial' },
    );
    assert.deepEqual(unexpected(problems), []);
    await context.close();
  }
});

test('coupon amounts are exact in USD and JPY, with and without a deposit, and a 100 % code needs no payment', async () => {
  // USD, sales tax on top: $600 less a $450 gift card is $150, under the $200 deposit.
  {
    const { page, context } = await visit(stack, '/nyc', { zone: 'America/New_York', locale: 'en-US' });
    const ui = w(page);
    await pickSlot(ui);
    await details(ui, { first: 'Maya', last: 'Cole', email: 'maya@example.com' }, () => ui.getByLabel("Your partner's first name").fill('Jon'));
    await applyCoupon(ui, 'NYGIFT450');
    await ui.getByText('Code NYGIFT450 applied.').waitFor();
    await ui.getByLabel('Credit or debit card').check();
    await ui.getByLabel('Pay deposit').check();
    assert.deepEqual(await amounts(ui), { Price: '$600.00', 'Discount (NYGIFT450)': '-$450.00', Total: '$150.00', Deposit: '$150.00', 'NY sales tax': '$13.31', 'Due now': '$163.31' });
    await ui.getByRole('button', { name: 'Remove code' }).click();
    assert.deepEqual(await amounts(ui), { Deposit: '$200.00', 'NY sales tax': '$17.75', 'Due now': '$217.75' });
    await applyCoupon(ui, 'nyc50');
    await ui.getByLabel('Pay in full').check();
    assert.deepEqual(await amounts(ui), { Price: '$600.00', 'Discount (NYC50)': '-$50.00', Total: '$550.00', 'NY sales tax': '$48.81', 'Due now': '$598.81' });
    await ui.getByRole('button', { name: 'Continue' }).click();
    await book(ui);
    // The confirmation shows the studio's amounts in the payment step's rows and order: the
    // tax between the total and what is due.
    const confirmed = await rowsOf(ui.locator('.sb-booked .sb-review-list > div'));
    const money = confirmed.filter(([k]) => ['Price', 'Discount (NYC50)', 'Total', 'NY sales tax', 'Due now'].includes(k));
    assert.deepEqual(money, [['Price', '$600.00'], ['Discount (NYC50)', '-$50.00'], ['Total', '$550.00'], ['NY sales tax', '$48.81'], ['Due now', '$598.81']]);
    const held = await sessionOf(page);
    assert.deepEqual([held.payment.price, held.payment.discount, held.payment.amount_due, held.payment.currency], [55000, 5000, 59881, 'usd']);
    await context.close();
  }
  // JPY, tax included: ¥45,000 less ¥5,000; typed but not applied, "Continue" applies it.
  {
    const { page, context } = await visit(stack, '/tokyo', { zone: 'Asia/Tokyo', locale: 'en-US' });
    const ui = w(page);
    await pickSlot(ui);
    await details(ui, { first: 'Yui', last: 'Tanaka', email: 'yui@example.com' }, () => ui.getByLabel('Meiji Shrine').check());
    await ui.getByLabel('Bank transfer (Japan)').check();
    await ui.getByLabel('Pay in full').check();
    await ui.getByLabel('Coupon code').fill('tokyo5000');
    await ui.getByRole('button', { name: 'Continue' }).click();
    await book(ui);
    // A session type whose client may neither move nor cancel it: the link is named for what
    // it does, on the confirmation and in the calendar file.
    await ui.getByRole('link', { name: 'See your booking' }).waitFor();
    const event = readCalendarFile(decodeURIComponent((await ui.getByRole('link', { name: 'Add to calendar (.ics)' }).getAttribute('href')).split(',')[1]));
    assert.match(event.description, /To see your booking: http/);
    assert.ok(!/reschedule|cancel/i.test(event.description), event.description);
    const held = await sessionOf(page);
    assert.deepEqual([held.payment.price, held.payment.discount, held.payment.amount_due, held.payment.coupon_code], [40000, 5000, 40000, 'TOKYO5000']);
    await context.close();
  }
  // GBP, VAT on top, a 100 % code: nothing to pay, no method asked for.
  {
    const { page, context } = await visit(stack, '/headshots', { width: 375 });
    const ui = w(page);
    await pickSlot(ui);
    await details(ui, { first: 'Tom', last: 'Brennan', email: 'tom@example.com' }, async () => {
      await ui.getByLabel('Company').fill('Brennan Design');
      await ui.getByLabel('Studio grey').check();
    });
    await applyCoupon(ui, 'ONTHEHOUSE');
    await ui.getByText('Nothing to pay: the code covers the whole price.').waitFor();
    assert.equal((await amounts(ui))['Due now'], 'Free');
    await shot(page, 'payment-free-375');
    await ui.getByRole('button', { name: 'Continue' }).click();
    await book(ui);
    const held = await sessionOf(page);
    assert.deepEqual([held.payment.amount_due, held.payment.method_type, held.payment.discount], [0, null, 15000]);
    await context.close();
  }
});

/** An .ics file as Python's icalendar reads it (Debian's python3-icalendar): its one event's
 * summary, description and times (ISO 8601); fails on lines that are not CRLF-ended or over
 * 75 octets. */
function readCalendarFile(ics) {
  const lines = ics.split('\r\n');
  assert.equal(lines.at(-1), '', 'the file ends with CRLF');
  for (const l of lines) {
    assert.ok(!l.includes('\n'), 'every line ends with CRLF');
    assert.ok(Buffer.byteLength(l) <= 75, `a line of ${Buffer.byteLength(l)} octets: ${l}`);
  }
  const read = spawnSync('/usr/bin/python3', ['-c', `
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
events = [c for c in cal.walk() if c.name == 'VEVENT']
assert len(events) == 1, events
e = events[0]
print(json.dumps({k.lower(): (e.decoded(k).isoformat() if k.startswith('DT') else str(e.get(k))) for k in ['SUMMARY', 'DESCRIPTION', 'LOCATION', 'DTSTAMP', 'DTSTART', 'DTEND']}))
`], { input: ics, encoding: 'utf8' });
  assert.equal(read.status, 0, read.stderr);
  return JSON.parse(read.stdout);
}

/** Books a New York engagement session and gives the confirmation's manage link. */
async function bookedNyc(email) {
  const { page, context } = await visit(stack, '/nyc', { zone: 'America/New_York', locale: 'en-US' });
  const ui = w(page);
  // Two months on: well outside the 7 days' notice a cancel needs.
  await pickSlot(ui, 0, { ahead: 2 });
  await details(ui, { first: 'Maya', last: 'Cole', email }, () => ui.getByLabel("Your partner's first name").fill('Jon'));
  await ui.getByLabel('Credit or debit card').check();
  await ui.getByLabel('Pay deposit').check();
  await ui.getByRole('button', { name: 'Continue' }).click();
  await book(ui);
  const link = await ui.getByRole('link', { name: 'Reschedule or cancel' }).getAttribute('href');
  // The calendar file's description carries the same link; a calendar library reads it.
  const ics = decodeURIComponent((await ui.getByRole('link', { name: 'Add to calendar (.ics)' }).getAttribute('href')).split(',')[1]);
  const event = readCalendarFile(ics);
  assert.ok(event.description.includes(`To reschedule or cancel: ${link}`), event.description);
  assert.notEqual(event.dtstamp, event.dtstart, 'DTSTAMP is when the file was made, not the session');
  assert.ok(Math.abs(Date.parse(event.dtstamp) - Date.now()) < 10 * 60_000, `DTSTAMP ${event.dtstamp} is about now`);
  const held = await sessionOf(page);
  await context.close();
  return { link, held };
}

test('a client follows the link in another zone, moves the session, then cancels it', async () => {
  const { link, held } = await bookedNyc('maya.moves@example.com');
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/nyc#studio-booking-session=ses_\w{30}&studio-booking-token=[\w-]{32,}$/);
  const managePath = link.replace(/^http:\/\/[^/]+/, '');
  for (const width of [1280, 375]) {
    const { page, context, problems } = await visit(stack, managePath, { zone: 'Asia/Tokyo', locale: 'en-GB', width });
    const ui = w(page);
    await ui.getByRole('heading', { name: 'Your booking' }).waitFor();
    await ui.getByText('You can reschedule online until').waitFor();
    assert.ok(!page.url().includes('studio-booking-token'), 'the token leaves the address bar');
    await ui.getByText(held.id).waitFor();
    assert.equal(await ui.locator('.sb-review-list dt').filter({ hasText: 'Amount due' }).count(), 1);
    await shot(page, `manage-${width}`);
    if (width === 1280) {
      await axe(page, 'manage screen');
      // Moved to another time.
      await ui.getByRole('button', { name: 'Reschedule' }).click();
      await pickSlot(ui, 1, { ahead: 2 });
      await ui.getByRole('heading', { name: 'Confirm the new time' }).waitFor();
      await axe(page, 'confirm the new time');
      await ui.getByRole('button', { name: 'Move my session' }).click();
      await ui.getByText('Your session has been moved. Your previous time is free again.').waitFor();
      const moved = (await sessionsOn(stack)).find((s) => s.id === held.id);
      assert.notEqual(moved.start, held.start);
      assert.equal(moved.reschedule_count, 1);
      assert.equal((await events(page, 'rescheduled')).at(-1).detail.id, held.id);
    }
    await context.close();
  }
  // In Arabic, right to left: the screen and its cancel confirmation.
  {
    const { page, context } = await visit(stack, managePath.replace('#', '?locale=ar#'), { zone: 'Asia/Dubai', locale: 'ar', width: 375 });
    const ui = w(page);
    await ui.locator('.sb-manage dl').waitFor();
    assert.equal(await ui.locator('.sb-widget').evaluate((e) => e.closest('[dir]')?.getAttribute('dir')), 'rtl');
    await ui.locator('.sb-manage-actions .sb-button-secondary').click();
    await ui.locator('.sb-cancel').waitFor();
    await shot(page, 'manage-cancel-ar-375');
    await axe(page, 'manage screen in Arabic');
    await context.close();
  }
  // Then cancelled, with a reason, at 375 px.
  const { page, context, problems } = await visit(stack, managePath, { zone: 'Asia/Tokyo', locale: 'en-GB', width: 375 });
  const ui = w(page);
  await ui.getByRole('button', { name: 'Cancel booking' }).click();
  await ui.getByText('Cancel this booking? Its time will be freed for someone else.').waitFor();
  await ui.getByRole('button', { name: 'No, keep it' }).click();
  await ui.getByRole('button', { name: 'Cancel booking' }).click();
  await ui.getByLabel(/Reason for cancelling/).fill('We are moving to Lisbon.');
  await shot(page, 'manage-cancel-375');
  await axe(page, 'cancel confirmation');
  await ui.getByRole('button', { name: 'Yes, cancel the booking' }).click();
  await ui.getByRole('heading', { name: 'Booking cancelled' }).waitFor();
  await ui.getByText('Your booking is cancelled. The studio has been told.').waitFor();
  assert.equal(await ui.locator('.sb-review-list dt').filter({ hasText: 'Amount due' }).count(), 0, 'nothing is due on a cancelled booking');
  assert.equal(await ui.locator('.sb-review-list dt').filter({ hasText: 'Status' }).count(), 1);
  await axe(page, 'cancelled');
  const cancelled = (await sessionsOn(stack)).find((s) => s.id === held.id);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal((await events(page, 'cancelled')).at(-1).detail.status, 'cancelled');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('every refusal has its own words', async () => {
  const { link, held } = await bookedNyc('maya.refusals@example.com');
  const managePath = link.replace(/^http:\/\/[^/]+/, '');
  // A wrong or old link.
  {
    const wrong = managePath.replace(/studio-booking-token=(\w)/, (_, c) => `studio-booking-token=${c === 'A' ? 'B' : 'A'}`);
    const { page, context } = await visit(stack, wrong);
    await w(page).getByText("This link doesn't open a booking.", { exact: false }).waitFor();
    await axe(page, 'wrong link');
    await context.close();
  }
  const mockUrl = stack.mock.url;
  const clock = (body) => fetch(`${mockUrl}/__admin/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  // Too late: the studio's clock passes the window while the page is open.
  {
    const { page, context } = await visit(stack, managePath);
    const ui = w(page);
    await ui.getByRole('button', { name: 'Cancel booking' }).click();
    const start = Date.parse(held.start);
    await clock({ now: new Date(start - 60 * 60 * 1000).toISOString() });
    try {
      await ui.getByRole('button', { name: 'Yes, cancel the booking' }).click();
      await ui.getByRole('alert').filter({ hasText: /^It's too late to do that online: it was possible until .+\. Please contact the studio\.$/ }).waitFor();
    } finally {
      await clock({});
    }
    await context.close();
  }
  // Slot taken, then the session cancelled elsewhere while a move is under way.
  {
    const { page, context } = await visit(stack, managePath);
    const ui = w(page);
    await ui.getByRole('button', { name: 'Reschedule' }).click();
    await pickSlot(ui, 2, { ahead: 2 });
    await ui.getByRole('heading', { name: 'Confirm the new time' }).waitFor();
    const other = await visit(stack, managePath);
    await w(other.page).getByRole('button', { name: 'Cancel booking' }).click();
    await w(other.page).getByRole('button', { name: 'Yes, cancel the booking' }).click();
    await w(other.page).getByRole('heading', { name: 'Booking cancelled' }).waitFor();
    await other.context.close();
    await ui.getByRole('button', { name: 'Move my session' }).click();
    await ui.getByText('This booking was already cancelled.').waitFor();
    await context.close();
  }
  // Not allowed and no moves left: what the studio says when the page thought otherwise.
  {
    const { link: familyLink } = await (async () => {
      const { page, context } = await visit(stack, '/family');
      const ui = w(page);
      // A month on: outside the 24 hours' notice a move needs.
      await pickSlot(ui, 0, { ahead: 1 });
      await details(ui, { first: 'Ana', last: 'Silva', email: 'ana.family@example.com' }, async () => {
        await ui.getByLabel('How many people will be in the photos?').fill('3');
        await ui.getByLabel('Victoria Park').check();
      });
      await ui.getByLabel('Bank transfer').check();
      await ui.getByLabel('Pay deposit').check();
      await ui.getByRole('button', { name: 'Continue' }).click();
      await book(ui);
      const link = await ui.getByRole('link', { name: 'Reschedule or cancel' }).getAttribute('href');
      await context.close();
      return { link };
    })();
    const path = familyLink.replace(/^http:\/\/[^/]+/, '');
    const first = await visit(stack, path);
    const second = await visit(stack, path);
    const [a, b] = [w(first.page), w(second.page)];
    await a.getByText('You can reschedule 1 more time.').waitFor();
    await a.getByRole('button', { name: 'Reschedule' }).click();
    await b.getByRole('button', { name: 'Reschedule' }).click();
    await pickSlot(a, 1, { ahead: 1 });
    await a.getByRole('button', { name: 'Move my session' }).click();
    await a.getByText('Your session has been moved.', { exact: false }).waitFor();
    // The one move used: no "Reschedule" any more on the page that moved it.
    assert.equal(await a.getByRole('button', { name: 'Reschedule' }).count(), 0);
    await pickSlot(b, 2, { ahead: 1 });
    await b.getByRole('button', { name: 'Move my session' }).click();
    await b.getByText('This session has already been moved as many times as the studio allows.', { exact: false }).waitFor();
    await first.context.close();
    await second.context.close();
  }
  // Not allowed: a Tokyo session (neither cancel nor move online), on a page told otherwise.
  {
    const { page, context } = await visit(stack, '/tokyo', { zone: 'Asia/Tokyo', locale: 'en-US' });
    const ui = w(page);
    await pickSlot(ui);
    await details(ui, { first: 'Yui', last: 'Tanaka', email: 'yui.refused@example.com' }, () => ui.getByLabel('Meiji Shrine').check());
    await ui.getByLabel('Bank transfer (Japan)').check();
    await ui.getByLabel('Pay in full').check();
    await ui.getByRole('button', { name: 'Continue' }).click();
    await book(ui);
    // Named for what it does here: the client can only see the booking.
    const tokyoLink = await ui.getByRole('link', { name: 'See your booking' }).getAttribute('href');
    await context.close();
    const plain = await visit(stack, tokyoLink.replace(/^http:\/\/[^/]+/, ''));
    await w(plain.page).getByText("This booking can't be changed online. To change it, please contact the studio.").waitFor();
    assert.equal(await w(plain.page).getByRole('button', { name: 'Cancel booking' }).count(), 0);
    await plain.context.close();
    const told = await visit(stack, tokyoLink.replace(/^http:\/\/[^/]+/, ''), {
      prepare: (ctx) => ctx.route(/\/sessions\/ses_\w+$/, async (route) => {
        const answer = await route.fetch();
        const body = await answer.json();
        body.data.can_cancel_until = new Date(Date.now() + 86_400_000).toISOString();
        await route.fulfill({ response: answer, json: body });
      }),
    });
    const t = w(told.page);
    await t.getByRole('button', { name: 'Cancel booking' }).click();
    await t.getByRole('button', { name: 'Yes, cancel the booking' }).click();
    await t.getByText("The studio doesn't allow this change online. Please contact the studio.").waitFor();
    await told.context.close();
  }
});

/** Whether `text` holds `token` as it is or URL-encoded. */
const holds = (text, token) => text.includes(token) || text.includes(encodeURIComponent(token));

test('a manage link keeps its token off every address, Referer and event; old links still open', async () => {
  const { link, held } = await bookedNyc('maya.secret@example.com');
  const params = link.split('#')[1];
  const token = new URLSearchParams(params).get('studio-booking-token');
  const opened = [
    ['the link as written (fragment)', `/links#${params}`, false],
    ['an older link (query)', `/links?ref=mail&${params}`, false],
    ['the link in iframe mode', `/links-frame#${params}`, true],
    ['an older link in iframe mode', `/links-frame?${params}`, true],
  ];
  for (const [form, path, framed] of opened) {
    const requests = [];
    const { page, context, problems } = await visit(stack, path, {
      prepare: async (ctx) => {
        ctx.on('request', (r) => requests.push(r));
        // When the loader took the link out of the address (its replaceState).
        await ctx.addInitScript(() => {
          const replace = history.replaceState.bind(history);
          history.replaceState = (...a) => { window.__linkTaken ??= Date.now(); return replace(...a); };
        });
      },
    });
    const ui = framed ? page.frameLocator('#w iframe') : w(page);
    await ui.getByRole('heading', { name: 'Your booking' }).waitFor();
    await ui.getByText(held.id).waitFor();
    assert.ok(!holds(page.url(), token), `${form}: the address bar keeps no token (${page.url()})`);
    if (path.includes('?')) assert.match(page.url(), /\/links(-frame)?(\?ref=mail)?$/, `${form}: the page's own query stays`);
    const taken = await page.evaluate(() => window.__linkTaken);
    assert.ok(taken, `${form}: the loader took the link out of the address`);
    let gatewayCalls = 0;
    for (const r of requests) {
      const headers = await r.allHeaders();
      // An older link was in the page's own address: the browser sent it with the page's
      // request and, as the Referer, with what the page's HTML asked for before any script
      // ran. Nothing asked for after the loader ran may carry it; with a fragment, nothing.
      const before = !path.includes('#') && r.timing().startTime < taken;
      const where = `${form}: ${r.method()} ${r.url()}`;
      if (!before) {
        assert.ok(!holds(r.url(), token), `${where} carries the token in its address`);
        assert.ok(!holds(headers.referer ?? '', token), `${where} carries the token in its Referer`);
      }
      if (r.url().startsWith(stack.api)) {
        assert.ok(!holds(r.url(), token) && !holds(headers.referer ?? '', token), `${where}: the gateway hears the token in Manage-Token alone`);
        if (headers['manage-token'] === token) gatewayCalls += 1;
      }
    }
    assert.ok(gatewayCalls > 0, `${form}: the session was asked for with its token, in the Manage-Token header`);
    const events = JSON.stringify(await page.evaluate(() => window.__events));
    assert.ok(!holds(events, token), `${form}: no studio-booking event carries the token`);
    assert.deepEqual(unexpected(problems), []);
    await context.close();
  }
  // A link opened on the page that is already open (only its fragment differs: the page is not
  // loaded again) opens the session too, and leaves the address bar as it found it.
  const { page, context } = await visit(stack, '/my-booking');
  await w(page).getByRole('heading', { name: 'Choose a session' }).waitFor();
  await page.evaluate((p) => { location.hash = p; }, params);
  await w(page).getByRole('heading', { name: 'Your booking' }).waitFor();
  await w(page).getByText(held.id).waitFor();
  assert.ok(!holds(page.url(), token), 'the address bar keeps no token');
  assert.ok(!holds(JSON.stringify(await page.evaluate(() => window.__events)), token));
  await context.close();
});
