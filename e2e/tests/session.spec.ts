import { expect, test } from '@playwright/test';

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
// their page rather than an error. The API's answer is replaced once to make the token expire.
test('a request that meets an expired token renews it and is sent again', async ({ page }) => {
  await page.goto('/signin');
  await page.getByLabel('Email', { exact: true }).fill('patient@rxgate.test');
  await page.getByLabel('Password', { exact: true }).fill('rxgate-demo-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/patient$/);

  const tokens: string[] = [];
  let expired = 0;
  await page.route('**/api/v1/me/health-profile', async (route) => {
    tokens.push(route.request().headers()['authorization'] ?? '');
    if (expired === 0) {
      expired += 1;
      await route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'https://rxgate.dev/problems/token-expired', title: 'Unauthorized', status: 401,
          code: 'TOKEN_EXPIRED', detail: 'The access token has expired.',
        }),
      });
    } else {
      await route.continue();
    }
  });
  const renewed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My health profile', exact: true }).click();
  expect((await renewed).ok()).toBe(true);
  await expect(page.getByRole('heading', { level: 1, name: 'My health profile' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'expired' })).toHaveCount(0);
  // Sent twice, with a bearer token both times (tokens issued in the same second are equal).
  // The heading shows before the profile arrives: wait for the second request itself.
  await expect.poll(() => tokens.length).toBe(2);
  expect(tokens[1]).toMatch(/^Bearer \S+$/);
});
