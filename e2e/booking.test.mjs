// Every published session type of the demo studio booked end to end in a real browser,
// then found on the studio with its answers, its start instant and its payment choice.
// Screenshots of every step at 1280 and 375 px go to e2e/out/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoStack, inline, screenshotDir } from './stack.mjs';

const stack = demoStack();
const booked = [];

async function sessionsOnServer() {
  const r = await fetch(`${stack.mock.url}/api/v1/sessions`);
  return (await r.json()).data;
}

/** Opens the demo page in a fresh context: a zone, a locale, a viewport. */
async function openPage({ zone = 'Europe/London', locale = 'en-GB', width = 1280, height = 800 } = {}) {
  const context = await stack.browser.newContext({ viewport: { width, height }, locale, timezoneId: zone });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (['error', 'warning'].includes(m.type())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(stack.site.url);
  return { page, context, problems };
}

async function shot(page, name) {
  if (!name) return;
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Picks the first open day (jumping to the next opening if this month has none) and its first time. */
async function pickFirstSlot(page, shots) {
  await inline(page).getByRole('heading', { name: 'Choose a date and time' }).waitFor();
  await inline(page).getByRole('grid').waitFor();
  await page.waitForFunction(() => {
    const root = document.querySelector('main studio-booking').shadowRoot;
    return root.querySelector('.sb-day-open') || root.querySelector('.sb-empty-month');
  });
  const jump = inline(page).getByRole('button', { name: 'Show the next opening' });
  if (await jump.count()) {
    await shot(page, shots && `${shots}-02a-empty-month`);
    await jump.click();
  } else {
    await inline(page).locator('.sb-day-open').first().click();
  }
  const slot = inline(page).locator('.sb-slot:not(.sb-skeleton-line)').first();
  await slot.waitFor();
  const time = await slot.innerText();
  await slot.click();
  await shot(page, shots && `${shots}-02-date-time`);
  await inline(page).getByRole('button', { name: 'Continue' }).click();
  return time;
}

async function fillDetails(page, { first, last, email }) {
  await inline(page).getByRole('heading', { name: 'Your details' }).waitFor();
  await inline(page).getByLabel('First name', { exact: true }).fill(first);
  await inline(page).getByLabel('Last name', { exact: true }).fill(last);
  await inline(page).getByLabel('Email', { exact: true }).fill(email);
}

async function finish(page, shots, { agree }) {
  await inline(page).getByRole('heading', { name: 'Review and book' }).waitFor();
  if (agree) await inline(page).getByLabel(/agree/).check();
  await shot(page, shots && `${shots}-05-review`);
  await inline(page).getByRole('button', { name: /Book/ }).click();
  await inline(page).getByRole('heading', { name: 'Booked' }).waitFor();
  await shot(page, shots && `${shots}-06-booked`);
  return inline(page).locator('.sb-booked dd').last().innerText(); // the reference
}

const journeys = [
  {
    name: 'Family Portrait Session', zone: 'Asia/Kathmandu', shots: true,
    async details(page, shots) {
      await inline(page).getByRole('button', { name: 'Continue' }).click(); // nothing typed: messages appear
      await inline(page).getByText('Please enter your first name.').waitFor();
      await shot(page, shots && `${shots}-03a-details-errors`);
      await fillDetails(page, { first: 'Ana', last: 'Silva', email: 'ana@example.com' });
      await inline(page).getByLabel('How many people will be in the photos?').fill('4');
      await inline(page).getByLabel('Victoria Park').check();
      await inline(page).getByLabel('A pet will join us').check();
    },
    async payment(page) {
      await inline(page).getByLabel('Bank transfer').check();
      await inline(page).getByLabel('Pay deposit').check();
      await inline(page).getByText(/sort code/).first().waitFor();
    },
    agree: true,
    expect: { answers: { q_people: 4, q_place: 'park', q_pet: true }, payment: { method_type: 'manual', option: 'partial', amount_due: 7500 } },
  },
  {
    name: 'Mini Session — Autumn Leaves', zone: 'Europe/London',
    async details(page) {
      await fillDetails(page, { first: 'Ben', last: 'Okoro', email: 'ben@example.com' });
      await inline(page).getByLabel('Which setting would you like?').selectOption('pumpkins');
    },
    agree: false,
    expect: { answers: { q_backdrop: 'pumpkins' }, payment: null },
  },
  {
    name: 'Wedding Photography', zone: 'America/New_York',
    async details(page) {
      await fillDetails(page, { first: 'Sam', last: 'Lee', email: 'sam@example.com' });
      await inline(page).getByLabel("Your partner's full name").fill('Alex Kim');
      await inline(page).getByLabel('Ceremony venue').fill('Whitby Abbey');
      await inline(page).getByLabel('Ceremony', { exact: true }).check();
      await inline(page).getByLabel('First dance').check();
      await inline(page).getByLabel('Your Instagram handle').fill('@sam.lee');
    },
    async payment(page) {
      await inline(page).getByLabel('Credit or debit card').check();
      await inline(page).getByLabel('Pay deposit').check();
    },
    agree: true,
    expect: { answers: { q_partner: 'Alex Kim', q_venue: 'Whitby Abbey', q_coverage: ['ceremony', 'dance'], q_instagram: '@sam.lee' }, payment: { method_type: 'pixieset-payments', option: 'partial', amount_due: 50000 } },
  },
  {
    name: 'Business Headshots', zone: 'Europe/Paris',
    async details(page) {
      await fillDetails(page, { first: 'Tom', last: 'Brennan', email: 'tom@example.com' });
      await inline(page).getByLabel('Company').fill('Brennan Design');
      await inline(page).getByLabel('Studio grey').check();
      await inline(page).getByLabel('E-mail for the invoice').fill('accounts@brennan.example');
    },
    async payment(page) {
      // One method and no deposit: both are chosen for the visitor; VAT is added on top.
      await inline(page).getByText('£180.00').first().waitFor();
    },
    agree: true,
    expect: { answers: { q_company: 'Brennan Design', q_background: 'grey', q_invoice_email: 'accounts@brennan.example' }, payment: { method_type: 'pixieset-payments', option: 'full', amount_due: 18000 } },
  },
  {
    name: 'Tokyo Destination Portraits', zone: 'Asia/Tokyo', locale: 'en-US',
    async details(page) {
      await fillDetails(page, { first: 'Yui', last: 'Tanaka', email: 'yui@example.com' });
      await inline(page).getByLabel('Meiji Shrine').check();
    },
    async payment(page) {
      await inline(page).getByLabel('Bank transfer (Japan)').check();
      await inline(page).getByLabel('Pay in full').check();
      await inline(page).getByText('¥45,000').first().waitFor();
    },
    agree: true,
    expect: { answers: { q_spots: ['meiji'] }, payment: { method_type: 'manual', option: 'full', amount_due: 45000, currency: 'jpy' } },
  },
  {
    name: 'New York Engagement Session', zone: 'America/Los_Angeles', locale: 'en-US',
    async details(page) {
      await fillDetails(page, { first: 'Maya', last: 'Cruz', email: 'maya@example.com' });
      await inline(page).getByLabel("Your partner's first name").fill('Leo');
    },
    async payment(page) {
      await inline(page).getByLabel('PayPal').check();
      await inline(page).getByLabel('Pay deposit').check();
      await inline(page).getByText('$217.75').first().waitFor(); // 200.00 + 8.875% NY sales tax
    },
    agree: true,
    expect: { answers: { q_partner: 'Leo' }, payment: { method_type: 'paypal', option: 'partial', amount_due: 21775 } },
  },
];

for (const j of journeys) {
  for (const width of j.shots ? [1280, 375] : [1280]) {
    test(`books ${j.name} in ${j.zone} at ${width} px`, async () => {
      const shots = j.shots ? `${width}` : null;
      const { page, context, problems } = await openPage({ zone: j.zone, locale: j.locale, width, height: width > 500 ? 800 : 812 });
      await inline(page).getByRole('button', { name: j.name, exact: true }).waitFor();
      await shot(page, shots && `${shots}-01-session-types`);
      await inline(page).getByRole('button', { name: j.name, exact: true }).click();
      // The times are shown in the visitor's zone.
      await inline(page).getByText(`Times in ${j.zone}`).waitFor();
      await pickFirstSlot(page, shots);
      await j.details(page, shots);
      await shot(page, shots && `${shots}-03-details`);
      await inline(page).getByRole('button', { name: 'Continue' }).click();
      if (j.payment) {
        await inline(page).getByRole('heading', { name: 'Payment' }).waitFor();
        await j.payment(page);
        await shot(page, shots && `${shots}-04-payment`);
        await inline(page).getByRole('button', { name: 'Continue' }).click();
      }
      const reference = await finish(page, shots, j);
      assert.match(reference, /^ses_[A-Za-z0-9]{30}$/);
      booked.push({ reference, journey: j });
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}

test('a reload in the middle of the form keeps every answer, and a booking clears them', async () => {
  const { page, context, problems } = await openPage({ zone: 'Australia/Lord_Howe' });
  await inline(page).getByRole('button', { name: 'Mini Session — Autumn Leaves', exact: true }).click();
  const time = await pickFirstSlot(page);
  await fillDetails(page, { first: 'Rosa', last: 'Diaz', email: 'rosa@example.com' });
  await inline(page).getByLabel('Anything we should know?').fill('Our toddler loves leaves.');
  await page.reload();
  await inline(page).getByRole('heading', { name: 'Your details' }).waitFor();
  assert.equal(await inline(page).getByLabel('First name', { exact: true }).inputValue(), 'Rosa');
  assert.equal(await inline(page).getByLabel('Anything we should know?').inputValue(), 'Our toddler loves leaves.');
  assert.match(await inline(page).locator('.sb-summary').innerText(), new RegExp(time));
  await inline(page).getByLabel('Which setting would you like?').selectOption('leaves');
  await inline(page).getByRole('button', { name: 'Continue' }).click();
  const reference = await finish(page, null, { agree: false });
  booked.push({ reference, journey: { name: 'reload', zone: 'Australia/Lord_Howe', expect: { answers: { q_backdrop: 'leaves', q_notes: 'Our toddler loves leaves.' }, payment: null } } });
  await page.reload();
  await inline(page).getByRole('heading', { name: 'Choose a session' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the studio has exactly the sessions booked, with every answer and payment choice', async () => {
  const sessions = await sessionsOnServer();
  for (const { reference, journey } of booked) {
    const s = sessions.find((x) => x.id === reference);
    assert.ok(s, `${reference} not on the server`);
    assert.equal(s.timezone, journey.zone);
    for (const [k, v] of Object.entries(journey.expect.answers)) assert.deepEqual(s.answers[k], v, `${journey.name} ${k}`);
    if (journey.expect.payment === null) assert.equal(s.payment, null);
    else for (const [k, v] of Object.entries(journey.expect.payment)) assert.equal(s.payment[k], v, `${journey.name} ${k}`);
  }
  const ids = sessions.map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length, 'no duplicates');
  console.log(`bookings made: ${booked.length}, found on the server: ${booked.filter((b) => ids.includes(b.reference)).length}, duplicates: ${ids.length - new Set(ids).size}`);
});
