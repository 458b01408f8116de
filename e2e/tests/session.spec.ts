import { expect, test } from '@playwright/test';
import { openNavItem } from './support';

// Idle sign-out, with the browser's clock under the test's control: a patient is signed out
// after 60 minutes without activity, warned a minute before, and the token is not renewed
// while they are away (so the server's idle time-out can end the session too).
test('a patient who does nothing is warned, can stay, and is signed out after an hour', async ({ page }) => {
  await page.clock.install();
  await page.goto('/signin');
  await page.getByLabel('Email', { exact: true }).fill('patient@rxgate.test');
  await page.getByLabel('Password', { exact: true }).fill('rxgate-demo-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Patient portal' })).toBeVisible();

  let refreshes = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/auth/refresh')) refreshes += 1;
  });

  // 59 minutes later, without a key press or a click: the warning, focused on its button.
  await page.clock.fastForward('59:00');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(/You will be signed out in \d+ seconds/);
  const stay = dialog.getByRole('button', { name: 'Stay signed in' });
  await expect(stay).toBeFocused();
  expect(refreshes, 'no token renewal while the person is away').toBe(0);

  // Staying renews the token held back while there was no activity.
  const renewed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
  await stay.click();
  expect((await renewed).ok()).toBe(true);
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Patient portal' })).toBeVisible();

  // Another hour of nothing: signed out, told why, and sent back here after signing in.
  await page.clock.fastForward('01:00:00');
  await expect(page).toHaveURL(/\/signin\?next=%2Fpatient$/);
  await expect(page.getByText('You were signed out after 60 minutes without activity.')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

// A request that finds the access token expired (the renewal timer waits for activity, and a
// sleeping computer delays it) renews the token once and is sent again, so the person sees
// their page rather than an error. Against a server whose tokens live 2 seconds, with the
// browser's timers paused so the renewal timer cannot beat the expiry: the server itself
// answers 401 TOKEN_EXPIRED (nothing is stubbed).
test('a request that meets an expired token renews it and is sent again', async ({ page }) => {
  const base = process.env.RXGATE_E2E_SHORT_TTL_URL ?? 'http://localhost:18081';
  await page.clock.install();
  await page.goto(`${base}/signin`);
  await page.getByLabel('Email', { exact: true }).fill('patient@rxgate.test');
  await page.getByLabel('Password', { exact: true }).fill('rxgate-demo-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Patient portal' })).toBeVisible();
  // The home's dashboard reads the health profile too: let its requests finish first, so the
  // answers counted below are the ones of the page visited after the token expired.
  await page.waitForLoadState('networkidle');
  // No timer fires from here on: only the request below can notice the expiry.
  await page.clock.pauseAt(new Date(Date.now() + 1_000));

  const answers: { status: number; code?: string; auth: string }[] = [];
  page.on('response', async (r) => {
    if (!r.url().endsWith('/api/v1/me/health-profile')) return;
    const entry: { status: number; code?: string; auth: string } =
      { status: r.status(), auth: r.request().headers()['authorization'] ?? '' };
    answers.push(entry); // in the order the answers arrived
    if (r.status() === 401) entry.code = (await r.json()).code;
  });
  // 2 s lifetime plus the server's 5 s clock leeway: the token is now really expired.
  await page.waitForTimeout(8_000);

  const renewed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
  await openNavItem(page, 'My health profile');
  expect((await renewed).ok()).toBe(true);
  await expect(page.getByRole('heading', { level: 1, name: 'My health profile' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'expired' })).toHaveCount(0);
  // Refused once by the server as expired, then sent again with the renewed token.
  await expect.poll(() => answers.length).toBe(2);
  await expect.poll(() => answers[0].code).toBe('TOKEN_EXPIRED');
  expect(answers[0].status).toBe(401);
  expect(answers[1].status).toBe(200);
  expect(answers[1].auth).toMatch(/^Bearer \S+$/);
  expect(answers[1].auth).not.toBe(answers[0].auth);
});
