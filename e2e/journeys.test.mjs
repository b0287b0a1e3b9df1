// Happy paths: every published session type of the demo studio booked end to end by a visitor
// on a photographer's page of its own origin (widget files on a second origin, the studio
// gateway on a third, in front of the mock studio in studio mode, as deployed), each through a different way in: inline from the list, popup, a
// preselected session type, prefill attributes, prefill from the page's URL, and the iframe
// mode. Then the studio must have exactly those sessions, with every answer, the start instant
// the visitor chose and the payment choice. Screenshots of every step at 1280×800 and 375×812
// go to e2e/out/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { foreignStack, hostPage, visit, sessionsOn, recordFigures, screenshotDir, zoneShown } from './stack.mjs';

const MINI = 'set_MINIAUTUMN00000000000000000000';
const WEDDING = 'set_WEDDING00000000000000000000000';
const stack = foreignStack({
  gateway: true,
  pages: ({ api, snippet }) => ({
    '/inline': hostPage(`${snippet}<studio-booking id="w" api-base="${api}"><p>Loading the booking calendar…</p></studio-booking>`),
    '/popup': hostPage(`<p>Autumn minis are back! ${snippet}<studio-booking id="w" mode="popup" api-base="${api}" session-type="${MINI}">Book a mini session</studio-booking></p>`),
    '/wedding': hostPage(`${snippet}<studio-booking id="w" api-base="${api}" session-type="${WEDDING}"></studio-booking>`),
    '/prefilled': hostPage(`${snippet}<studio-booking id="w" api-base="${api}" prefill-name="Tom Brennan" prefill-email="tom@example.com"></studio-booking>`),
    '/from-link': hostPage(`${snippet}<studio-booking id="w" api-base="${api}" locale="en-US"></studio-booking>`),
    '/framed': hostPage(`${snippet}<studio-booking id="w" mode="iframe" api-base="${api}" locale="en-US"></studio-booking>`),
  }),
});

const booked = []; // { id, start, journey }

const shot = async (page, name) => name && page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
const lastEvent = async (page, name) => (await page.evaluate(() => window.__events)).filter((e) => e.name === name).at(-1)?.detail;

/** The widget's content: the element (its shadow root, its popup) or, in iframe mode, the frame. */
const ui = (page, mode) => (mode === 'iframe' ? page.frameLocator('#w iframe') : page.locator('#w'));

/** Picks the first open day (jumping to the next opening if this month has none) and its first time. */
async function pickFirstSlot(w, page, zone, locale, shots) {
  await w.getByRole('heading', { name: 'Choose a date and time' }).waitFor();
  await zoneShown(page, w, zone, locale);
  await w.locator('.sb-day-open, .sb-empty-month').first().waitFor();
  await shot(page, shots && `${shots}-02a-calendar`);
  const jump = w.getByRole('button', { name: 'Show the next opening' });
  if (await jump.count()) await jump.click();
  else await w.locator('.sb-day-open').first().click();
  const slot = w.locator('.sb-slot:not(.sb-skeleton-line)').first();
  await slot.waitFor();
  const label = (await slot.innerText()).trim();
  const day = await w.locator('.sb-day-chosen').getAttribute('data-date');
  await slot.click();
  await shot(page, shots && `${shots}-02b-time-chosen`);
  await w.getByRole('button', { name: 'Continue' }).click();
  return { label, day };
}

async function fillName(w, { first, last, email }) {
  await w.getByRole('heading', { name: 'Your details' }).waitFor();
  if (first) await w.getByLabel('First name', { exact: true }).fill(first);
  if (last) await w.getByLabel('Last name', { exact: true }).fill(last);
  if (email) await w.getByLabel('Email', { exact: true }).fill(email);
}

const journeys = [
  {
    name: 'Family Portrait Session', way: 'inline, chosen from the list', path: '/inline', zone: 'Asia/Kathmandu', widths: [1280, 375],
    async details(w, page, shots) {
      await w.getByRole('button', { name: 'Continue' }).click(); // nothing typed: messages appear
      await w.getByText('Please enter your first name.').waitFor();
      await shot(page, shots && `${shots}-03a-details-errors`);
      await fillName(w, { first: 'Ana', last: 'Silva', email: 'ana@example.com' });
      await w.getByLabel('How many people will be in the photos?').fill('4');
      await w.getByLabel('Victoria Park').check();
      await w.getByLabel('A pet will join us').check();
    },
    async payment(w) {
      await w.getByLabel('Bank transfer').check();
      await w.getByLabel('Pay deposit').check();
      await w.getByText(/sort code/).first().waitFor();
    },
    agree: true,
    expect: { client: { first_name: 'Ana', email: 'ana@example.com' }, answers: { q_people: 4, q_place: 'park', q_pet: true }, payment: { method_type: 'manual', option: 'partial', amount_due: 7500 } },
  },
  {
    name: 'Mini Session — Autumn Leaves', way: 'popup with a preselected session type', path: '/popup', mode: 'popup', zone: 'Europe/London', widths: [1280, 375],
    async details(w) {
      await fillName(w, { first: 'Ben', last: 'Okoro', email: 'ben@example.com' });
      await w.getByLabel('Which setting would you like?').selectOption('pumpkins');
      await w.getByLabel('Anything we should know?').fill('Two dogs, one very shy.');
    },
    agree: false,
    expect: { client: { first_name: 'Ben' }, answers: { q_backdrop: 'pumpkins', q_notes: 'Two dogs, one very shy.' }, payment: null },
  },
  {
    name: 'Wedding Photography', way: 'inline, session type preselected by the page', path: '/wedding', preselected: true, zone: 'America/New_York',
    async details(w) {
      await fillName(w, { first: 'Sam', last: 'Lee', email: 'sam@example.com' });
      await w.getByLabel("Your partner's full name").fill('Alex Kim');
      await w.getByLabel('Ceremony venue').fill('Whitby Abbey');
      await w.getByLabel('Ceremony', { exact: true }).check();
      await w.getByLabel('First dance').check();
      await w.getByLabel('Your Instagram handle').fill('@sam.lee');
    },
    async payment(w) {
      await w.getByLabel('Credit or debit card').check();
      await w.getByLabel('Pay deposit').check();
    },
    agree: true,
    expect: { client: { last_name: 'Lee' }, answers: { q_partner: 'Alex Kim', q_venue: 'Whitby Abbey', q_coverage: ['ceremony', 'dance'], q_instagram: '@sam.lee' }, payment: { method_type: 'pixieset-payments', option: 'partial', amount_due: 50000 } },
  },
  {
    name: 'Business Headshots', way: 'name and e-mail prefilled by attributes', path: '/prefilled', zone: 'Europe/Paris',
    async details(w) {
      await w.getByRole('heading', { name: 'Your details' }).waitFor();
      assert.equal(await w.getByLabel('First name', { exact: true }).inputValue(), 'Tom');
      assert.equal(await w.getByLabel('Last name', { exact: true }).inputValue(), 'Brennan');
      assert.equal(await w.getByLabel('Email', { exact: true }).inputValue(), 'tom@example.com');
      await w.getByLabel('Company').fill('Brennan Design');
      await w.getByLabel('Studio grey').check();
      await w.getByLabel('E-mail for the invoice').fill('accounts@brennan.example');
    },
    async payment(w) {
      // One method and no deposit: both are chosen for the visitor; VAT is added on top.
      await w.getByText('£180.00').first().waitFor();
    },
    agree: true,
    expect: { client: { first_name: 'Tom', last_name: 'Brennan', email: 'tom@example.com' }, answers: { q_company: 'Brennan Design', q_background: 'grey', q_invoice_email: 'accounts@brennan.example' }, payment: { method_type: 'pixieset-payments', option: 'full', amount_due: 18000 } },
  },
  {
    name: 'Tokyo Destination Portraits', way: 'name and e-mail prefilled from the page’s link', path: '/from-link?prefill-name=Yui%20Tanaka&prefill-email=yui%40example.com', zone: 'Asia/Tokyo', locale: 'en-US',
    async details(w) {
      await w.getByRole('heading', { name: 'Your details' }).waitFor();
      assert.equal(await w.getByLabel('First name', { exact: true }).inputValue(), 'Yui');
      assert.equal(await w.getByLabel('Email', { exact: true }).inputValue(), 'yui@example.com');
      await w.getByLabel('Meiji Shrine').check();
    },
    async payment(w) {
      await w.getByLabel('Bank transfer (Japan)').check();
      await w.getByLabel('Pay in full').check();
      await w.getByText('¥45,000').first().waitFor();
    },
    agree: true,
    expect: { client: { first_name: 'Yui', last_name: 'Tanaka' }, answers: { q_spots: ['meiji'] }, payment: { method_type: 'manual', option: 'full', amount_due: 45000, currency: 'jpy' } },
  },
  {
    name: 'New York Engagement Session', way: 'iframe mode', path: '/framed', mode: 'iframe', zone: 'America/Los_Angeles', locale: 'en-US',
    async details(w) {
      await fillName(w, { first: 'Maya', last: 'Cruz', email: 'maya@example.com' });
      await w.getByLabel("Your partner's first name").fill('Leo');
    },
    async payment(w) {
      await w.getByLabel('PayPal').check();
      await w.getByLabel('Pay deposit').check();
      await w.getByText('$217.75').first().waitFor(); // 200.00 + 8.875% NY sales tax
    },
    agree: true,
    expect: { client: { first_name: 'Maya' }, answers: { q_partner: 'Leo' }, payment: { method_type: 'paypal', option: 'partial', amount_due: 21775 } },
  },
];

for (const j of journeys) {
  for (const width of j.widths ?? [1280]) {
    test(`${j.name}: ${j.way}, in ${j.zone}, at ${width} px`, async () => {
      const shots = j.widths ? `${width}-${j.mode ?? 'inline'}` : null;
      const locale = j.locale ?? 'en-GB';
      const { page, context, problems } = await visit(stack, j.path, { zone: j.zone, locale, width });
      const w = ui(page, j.mode);
      if (j.mode === 'popup') {
        await shot(page, shots && `${shots}-00-page`);
        await page.getByRole('button', { name: 'Book a mini session' }).click();
        await page.getByRole('dialog', { name: 'Book a mini session' }).waitFor();
      } else if (!j.preselected && j.mode !== 'popup') {
        await w.getByRole('button', { name: j.name, exact: true }).waitFor();
        await shot(page, shots && `${shots}-01-session-types`);
        await w.getByRole('button', { name: j.name, exact: true }).click();
      }
      const { label, day } = await pickFirstSlot(w, page, j.zone, locale, shots);
      const start = await lastEvent(page, 'slot-selected').then((d) => d.start);
      // The time shown is the instant chosen, in the visitor's zone, on the day shown.
      const shown = new Intl.DateTimeFormat(locale, { timeZone: j.zone, timeStyle: 'short' }).format(new Date(start));
      assert.ok(label.startsWith(shown), `${label} is ${start} in ${j.zone} (${shown})`);
      assert.equal(new Intl.DateTimeFormat('en-CA', { timeZone: j.zone }).format(new Date(start)), day);
      await j.details(w, page, shots);
      await shot(page, shots && `${shots}-03-details`);
      await w.getByRole('button', { name: 'Continue' }).click();
      if (j.payment) {
        await w.getByRole('heading', { name: 'Payment' }).waitFor();
        await j.payment(w);
        await shot(page, shots && `${shots}-04-payment`);
        await w.getByRole('button', { name: 'Continue' }).click();
      }
      await w.getByRole('heading', { name: 'Review and book' }).waitFor();
      if (j.agree) await w.getByLabel(/agree/).check();
      await shot(page, shots && `${shots}-05-review`);
      await w.getByRole('button', { name: 'Book this session' }).click();
      // "Request sent" when the studio has still to confirm it (the wedding).
      await w.getByRole('heading', { name: /^(Booked|Request sent)$/ }).waitFor();
      await shot(page, shots && `${shots}-06-booked`);
      const session = await lastEvent(page, 'booked');
      assert.match(session.id, /^ses_[A-Za-z0-9]{30}$/);
      assert.equal(await w.locator('.sb-booked dd').last().innerText(), session.id, 'the reference shown is the one booked');
      booked.push({ id: session.id, start, journey: j });
      if (width < 500) assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'nothing wider than the phone');
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}

test('a reload in the middle of the form keeps every answer, and a booking clears them', async () => {
  const zone = 'Australia/Lord_Howe';
  const { page, context, problems } = await visit(stack, '/inline', { zone });
  const w = ui(page);
  await w.getByRole('button', { name: 'Mini Session — Autumn Leaves', exact: true }).click();
  const { label } = await pickFirstSlot(w, page, zone, 'en-GB');
  const start = await lastEvent(page, 'slot-selected').then((d) => d.start);
  await fillName(w, { first: 'Rosa', last: 'Diaz', email: 'rosa@example.com' });
  await w.getByLabel('Anything we should know?').fill('Our toddler loves leaves.');
  await page.reload();
  await w.getByRole('heading', { name: 'Your details' }).waitFor();
  assert.equal(await w.getByLabel('First name', { exact: true }).inputValue(), 'Rosa');
  assert.equal(await w.getByLabel('Anything we should know?').inputValue(), 'Our toddler loves leaves.');
  assert.match(await w.locator('.sb-summary').innerText(), new RegExp(label.split(/\s/)[0]));
  await w.getByLabel('Which setting would you like?').selectOption('leaves');
  await w.getByRole('button', { name: 'Continue' }).click();
  await w.getByRole('button', { name: 'Book this session' }).click();
  await w.getByRole('heading', { name: 'Booked' }).waitFor();
  const session = await lastEvent(page, 'booked');
  booked.push({ id: session.id, start, journey: { name: 'reload', zone, expect: { client: { first_name: 'Rosa' }, answers: { q_backdrop: 'leaves', q_notes: 'Our toddler loves leaves.' }, payment: null } } });
  // Booked: the draft is gone, a reload starts afresh.
  await page.reload();
  await w.getByRole('heading', { name: 'Choose a session' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the studio has exactly the sessions booked: answers, start instants, payment choices', async () => {
  const sessions = await sessionsOn(stack);
  const made = sessions.filter((s) => !stack.seeded.includes(s.id));
  for (const { id, start, journey } of booked) {
    const s = made.find((x) => x.id === id);
    assert.ok(s, `${id} (${journey.name}) not on the server`);
    assert.equal(Date.parse(s.start), Date.parse(start), `${journey.name}: the instant chosen`);
    assert.equal(s.timezone, journey.zone);
    for (const [k, v] of Object.entries(journey.expect.client)) assert.equal(s.client[k], v, `${journey.name} client ${k}`);
    for (const [k, v] of Object.entries(journey.expect.answers)) assert.deepEqual(s.answers[k], v, `${journey.name} ${k}`);
    if (journey.expect.payment === null) assert.equal(s.payment, null);
    else for (const [k, v] of Object.entries(journey.expect.payment)) assert.equal(s.payment[k], v, `${journey.name} ${k}`);
  }
  const ids = sessions.map((s) => s.id);
  const duplicates = ids.length - new Set(ids).size;
  const found = booked.filter((b) => ids.includes(b.id)).length;
  assert.deepEqual(made.map((s) => s.id).sort(), booked.map((b) => b.id).sort(), 'exactly the sessions booked, none more');
  assert.equal(duplicates, 0);
  await recordFigures('journeys', { bookingsMade: booked.length, bookingsFound: found, duplicates });
  console.log(`journeys: bookings made ${booked.length}, found on the server ${found}, duplicates ${duplicates}`);
});

test('the gateway kept the studio login to itself: not in one of its log lines, and the studio refuses anyone else', async () => {
  const log = stack.gateway.lines.join('\n');
  assert.ok(stack.gateway.lines.length > 10, 'one log line per request');
  for (const secret of [stack.login.cookie.split('=')[1], stack.login.csrf]) assert.ok(!log.includes(secret), 'a credential in the log');
  assert.equal((await fetch(`${stack.mock.url}/api/v1/session_types/`)).status, 401, 'the studio without the login');
  assert.equal((await fetch(`${stack.api}/sessions`)).status, 405, 'the sessions list through the gateway');
});
