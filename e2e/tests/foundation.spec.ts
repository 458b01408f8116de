import { expect, test } from '@playwright/test';

test('home page shows the platform and the live API status', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Rxgate' })).toBeVisible();
  const status = page.getByTestId('api-status');
  await expect(status).toContainText('ok');
  await expect(status).toContainText('v1');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});

test('theme toggle switches between light and dark and remembers the choice', async ({ page }) => {
  await page.goto('/');
  const html = page.locator('html');
  const before = await html.getAttribute('data-theme');
  await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
  const after = await html.getAttribute('data-theme');
  expect(after).not.toBe(before);
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', after!);
});

test('unknown client route shows the not-found page', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('API docs page renders the OpenAPI document offline', async ({ page }) => {
  await page.goto('/api/docs/');
  await expect(page.getByText('Rxgate API').first()).toBeVisible();
  await expect(page.getByText('/api/v1/health').first()).toBeVisible();
});

test('a test email goes through the outbox into the developer mailbox', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Developer mailbox' }).click();
  await expect(page.getByRole('heading', { name: 'Developer mailbox' })).toBeVisible();

  // Invalid input is explained per field, from the API's problem+json.
  await page.getByLabel('To', { exact: true }).fill('not-an-email');
  await page.getByLabel('Subject', { exact: true }).fill('Hello');
  await page.getByLabel('To', { exact: true }).evaluate((el: HTMLInputElement) => (el.type = 'text'));
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText('must be an email address')).toBeVisible();

  const subject = `Journey ${Date.now()}`;
  await page.getByLabel('To', { exact: true }).fill('patient@example.org');
  await page.getByLabel('Subject', { exact: true }).fill(subject);
  await page.getByLabel('Message', { exact: true }).fill(`Body of ${subject}`);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Queued for delivery.' })).toBeVisible();

  // Delivery is a background job: refresh until the message arrives.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByText(subject, { exact: true })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await page.getByText(subject, { exact: true }).click();
  await expect(page.getByText(`Body of ${subject}`)).toBeVisible();
});
