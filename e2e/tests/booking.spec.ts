// Booking consults against the real server and the demo data: the demo clinic offers video
// (R 450) and audio (R 350) consults; the demo doctor works weekdays and Saturday mornings; the
// demo patient has one completed consult and one confirmed coming one. Every test runs in both
// browser projects against the same database, so each leaves things as it found them.
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, openNavItem, passTwoStepVerification, signIn } from './support';

const PATIENT = 'patient@rxgate.test';
const DOCTOR = 'doctor@rxgate.test';
const CLINIC_ADMIN = 'clinic.admin@rxgate.test';

async function signInStaff(page: Page, email: string) {
  await signIn(page, email, DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  await expect(page.getByTestId('signed-in-user')).toBeVisible();
}

/** Nothing on the page scrolls sideways (a 360 px phone included). */
async function noSideScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** Waits until the calendar shows the `days` days its heading names (not the last range's). */
async function shows(page: Page, days: number) {
  const sections = page.getByRole('heading', { level: 3 });
  await expect
    .poll(async () => {
      const range = await page.getByTestId('calendar-range').innerText();
      if ((await sections.count()) !== days) return false;
      return range.startsWith((await sections.first().innerText()).trim());
    })
    .toBe(true);
}

test('a patient books a free time, sees it in My consults and cancels it', async ({ page }) => {
  await signIn(page, PATIENT, DEMO_PASSWORD);
  await expect(page.getByTestId('signed-in-user')).toBeVisible();

  // The home's card: the demo patient's coming consult.
  const cards = page.getByRole('region', { name: 'What needs your attention' }).getByRole('listitem');
  await expect(cards.filter({ has: page.getByRole('heading', { name: 'Next consult' }) })).toContainText(' with ');

  await openNavItem(page, 'Consults');
  await expect(page.getByRole('heading', { level: 1, name: 'My consults' })).toBeVisible();
  const upcoming = page.getByRole('list', { name: 'Coming up' });
  await expect(upcoming.getByTestId('consult').first()).toBeVisible();

  // Before cancelling the confirmed demo consult, the page says what the clinic's window means;
  // keeping it changes nothing.
  const demo = upcoming.getByTestId('consult').filter({ hasText: 'Confirmed' }).first();
  await demo.getByRole('button', { name: /^Cancel the consult of/ }).click();
  await expect(demo.getByTestId('refund-preview')).toContainText('24 hours before the start');
  await demo.getByRole('button', { name: 'Keep it', exact: true }).click();
  await expect(demo.getByTestId('refund-preview')).toHaveCount(0);

  await page.getByRole('link', { name: 'Book a consult', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Book a consult' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Doctor', exact: true })).toHaveValue('');
  // The last day with free times: far enough ahead to move the consult for free.
  const times = page.getByRole('group', { name: /^Time \(your time/ });
  await expect(times.getByRole('radio').first()).toBeVisible();
  const day = page.getByRole('combobox', { name: 'Day', exact: true });
  await day.selectOption({ index: (await day.locator('option').count()) - 1 });
  await times.getByRole('radio').first().check();
  await page.getByRole('radio', { name: /^Video call — R 450\.00/ }).check();
  const chosen = (await page.getByTestId('chosen-slot').innerText()).trim();
  await noSideScroll(page);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/bookings') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Book', exact: true }).click(),
  ]);
  expect(response.status()).toBe(201);
  // Booking starts a payment: the SPA sends an Idempotency-Key, so a retry cannot book twice.
  expect(response.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  const held = page.getByTestId('held-booking');
  await expect(held).toContainText('Held: awaiting payment');
  await expect(held.getByTestId('hold-expiry')).toContainText('We hold this time for you until');
  await expect(held.getByTestId('payment-step')).toContainText('R 450.00');
  const when = (await held.locator('dd').first().innerText()).trim();
  // The booked day and start are the ones chosen, in the patient's zone.
  expect(chosen.startsWith(when.split('–')[0].trim())).toBe(true);

  await page.getByRole('link', { name: 'My consults', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My consults' })).toBeVisible();
  const mine = page.getByRole('list', { name: 'Coming up' }).getByTestId('consult').filter({ hasText: when });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText('Held: awaiting payment');
  await noSideScroll(page);

  // Moved to another free time of the same doctor: the last time of that day.
  await mine.getByRole('button', { name: /^Move the consult of/ }).click();
  const moveForm = mine.getByRole('form', { name: 'Move this consult' });
  await expect(moveForm.getByRole('radio').first()).toBeVisible();
  const moveDay = moveForm.getByRole('combobox', { name: 'Day', exact: true });
  await moveDay.selectOption({ index: (await moveDay.locator('option').count()) - 1 });
  await moveForm.getByRole('radio').last().check();
  await moveForm.getByRole('button', { name: 'Move to this time', exact: true }).click();
  const moved = page.getByRole('status').getByText(/^Consult moved to /);
  await expect(moved).toBeVisible();
  const movedTo = (await moved.innerText()).replace(/^Consult moved to /, '').replace(/\.$/, '').trim();
  expect(movedTo).not.toBe(when);
  const kept = page.getByRole('list', { name: 'Coming up' }).getByTestId('consult').filter({ hasText: movedTo });
  await expect(kept).toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Coming up' }).getByTestId('consult').filter({ hasText: when })).toHaveCount(0);

  await kept.getByRole('button', { name: /^Cancel the consult of/ }).click();
  await expect(kept.getByTestId('refund-preview')).toContainText('Nothing has been paid');
  await kept.getByRole('button', { name: 'Cancel the consult', exact: true }).click();
  await expect(page.getByRole('status').getByText('Consult cancelled. Nothing is refunded.')).toBeVisible();
  const past = page.getByRole('list', { name: 'Past and cancelled' }).getByTestId('consult').filter({ hasText: movedTo });
  await expect(past.first()).toContainText('Cancelled');
  await expect(page.getByRole('list', { name: 'Coming up' }).getByTestId('consult').filter({ hasText: movedTo })).toHaveCount(0);
});

test('a doctor sees their availability and their calendar by day and by week', async ({ page }) => {
  await signInStaff(page, DOCTOR);
  const cards = page.getByRole('region', { name: 'What needs your attention' }).getByRole('listitem');
  await expect(cards.filter({ has: page.getByRole('heading', { name: 'Consults today' }) })).toContainText(/consults? today/i);

  await openNavItem(page, 'Availability');
  await expect(page.getByRole('heading', { level: 1, name: 'Availability' })).toBeVisible();
  await expect(page.getByTestId('schedule-zone')).toContainText('Africa/Johannesburg');
  await expect(page.getByLabel('Monday from').first()).toHaveValue('08:00');
  await expect(page.getByLabel('Saturday until', { exact: true })).toHaveValue('12:00');
  await expect(page.getByRole('group', { name: 'Sunday' })).toContainText('Not working.');

  // An overlapping interval is refused with the server's sentence, and nothing is saved.
  await page.getByRole('button', { name: 'Add hours on Monday', exact: true }).click();
  await page.getByLabel('Monday from').last().fill('09:00');
  await page.getByLabel('Monday until').last().fill('10:00');
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/doctor/schedule') && r.request().method() === 'PUT'),
    page.getByRole('button', { name: 'Save availability', exact: true }).click(),
  ]);
  expect(refused.status()).toBe(422);
  await expect(page.getByRole('alert').locator('.notice-error')).toBeVisible();
  await noSideScroll(page);

  // The calendar: by day, and by week, where the demo patient's coming consult shows (this week
  // or the next).
  await openNavItem(page, 'Calendar');
  await expect(page.getByRole('heading', { level: 1, name: 'Calendar' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Day', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await shows(page, 1);
  await page.getByRole('button', { name: 'Week', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Week', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('calendar-range')).toContainText('–');
  await shows(page, 7);
  const confirmed = page.getByTestId('calendar-entry').filter({ hasText: 'Confirmed' });
  if ((await confirmed.count()) === 0) {
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await shows(page, 7);
  }
  await expect(confirmed.first()).toBeVisible();
  await expect(confirmed.first()).toContainText('Video call');
  await noSideScroll(page);
  await expect(confirmed.first().getByRole('button', { name: /^Cancel/ })).toBeVisible();
  // Not started: no outcome yet.
  await expect(confirmed.first().getByRole('button', { name: /^Completed/ })).toHaveCount(0);
});

test('a doctor changes their availability', async ({ page }) => {
  // Two staff sign-ins in a row may wait for the next authenticator step.
  test.setTimeout(60_000);
  await signInStaff(page, DOCTOR);
  await openNavItem(page, 'Availability');
  await expect(page.getByRole('heading', { level: 1, name: 'Availability' })).toBeVisible();

  // Sunday hours, saved and still there after a reload; then taken off again.
  await page.getByRole('button', { name: 'Add hours on Sunday', exact: true }).click();
  await page.getByLabel('Sunday from', { exact: true }).fill('10:00');
  await page.getByLabel('Sunday until', { exact: true }).fill('11:30');
  const [saved] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/doctor/schedule') && r.request().method() === 'PUT'),
    page.getByRole('button', { name: 'Save availability', exact: true }).click(),
  ]);
  expect(saved.status()).toBe(200);
  await expect(page.getByRole('status').getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Sunday until', { exact: true })).toHaveValue('11:30');
  await page.getByRole('button', { name: /^Remove Sunday 10:00/ }).click();
  await expect(page.getByLabel('Sunday from', { exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Save availability', exact: true }).click();
  await expect(page.getByRole('status').getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Monday from').first()).toBeVisible();
  await expect(page.getByLabel('Sunday from', { exact: true })).toHaveCount(0);
});

test('a clinic admin changes a fee and the patient sees the new fee', async ({ page, browser }, testInfo) => {
  const fee = testInfo.project.name === 'phone' ? '380.00' : '375.00';
  await signInStaff(page, CLINIC_ADMIN);
  await openNavItem(page, 'Consult offer');
  await expect(page.getByRole('heading', { level: 1, name: 'Consult offer' })).toBeVisible();
  const audio = page.getByLabel('Fee: Phone (audio) call (ZAR)', { exact: true });
  await expect(audio).toHaveValue('350.00');
  await noSideScroll(page);
  await audio.fill(fee);
  await page.getByRole('button', { name: 'Save the offer', exact: true }).click();
  await expect(page.getByRole('status').getByText('Saved.')).toBeVisible();

  // The patient, in a browser of their own.
  const patientContext = await browser.newContext({ viewport: page.viewportSize() ?? undefined });
  const patient = await patientContext.newPage();
  try {
    await signIn(patient, PATIENT, DEMO_PASSWORD);
    await expect(patient.getByTestId('signed-in-user')).toBeVisible();
    await patient.goto('/patient/consults/book');
    await expect(patient.getByRole('heading', { level: 1, name: 'Book a consult' })).toBeVisible();
    await expect(patient.getByRole('radio', { name: `Phone (audio) call — R ${fee}` })).toBeVisible();
    await expect(patient.getByRole('radio', { name: 'Video call — R 450.00' })).toBeVisible();
  } finally {
    await patientContext.close();
  }

  // The clinic's bookings list the demo patient's consult; the fee goes back to what it was.
  await openNavItem(page, 'Bookings');
  await expect(page.getByRole('heading', { level: 1, name: 'Bookings' })).toBeVisible();
  await expect(page.getByRole('list', { name: "The clinic's bookings" }).getByTestId('clinic-booking').first()).toBeVisible();
  await openNavItem(page, 'Consult offer');
  await page.getByLabel('Fee: Phone (audio) call (ZAR)', { exact: true }).fill('350.00');
  await page.getByRole('button', { name: 'Save the offer', exact: true }).click();
  await expect(page.getByRole('status').getByText('Saved.')).toBeVisible();
});

test('a patient books a consult, pays the fee on the sandbox page and the consult is confirmed', async ({ page }) => {
  await signIn(page, PATIENT, DEMO_PASSWORD);
  await expect(page.getByTestId('signed-in-user')).toBeVisible();
  await page.goto('/patient/consults/book');
  await expect(page.getByRole('heading', { level: 1, name: 'Book a consult' })).toBeVisible();
  const times = page.getByRole('group', { name: /^Time \(your time/ });
  await expect(times.getByRole('radio').first()).toBeVisible();
  // The last day with free times (the other project books the same day: take its last time
  // there, this one the one before).
  const day = page.getByRole('combobox', { name: 'Day', exact: true });
  await day.selectOption({ index: (await day.locator('option').count()) - 1 });
  await times.getByRole('radio').nth(test.info().project.name === 'phone' ? -2 : -3).check();
  await page.getByRole('radio', { name: /^Video call — R 450\.00/ }).check();
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  const held = page.getByTestId('held-booking');
  await expect(held).toContainText('Held: awaiting payment');
  const when = (await held.locator('dd').first().innerText()).trim();

  // The provider's page (the sandbox's): paying sends its signed webhook, which confirms it.
  await held.getByRole('link', { name: 'Pay R 450.00', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sandbox payment' })).toBeVisible();
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Pay', exact: true })).toHaveCount(0);
  await expect
    .poll(
      async () => {
        await page.goto('/patient/consults');
        const mine = page.getByRole('list', { name: 'Coming up' }).getByTestId('consult').filter({ hasText: when });
        await expect(mine).toHaveCount(1);
        return (await mine.innerText()).includes('Confirmed');
      },
      { timeout: 20_000 },
    )
    .toBe(true);

  // Cancelled well ahead: the whole fee goes back (and the time is free again).
  const mine = page.getByRole('list', { name: 'Coming up' }).getByTestId('consult').filter({ hasText: when });
  await mine.getByRole('button', { name: /^Cancel the consult of/ }).click();
  await mine.getByRole('button', { name: 'Cancel the consult', exact: true }).click();
  await expect(page.getByRole('status').getByText('Consult cancelled. R 450.00 will be refunded to you.')).toBeVisible();
});
