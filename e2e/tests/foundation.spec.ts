import { expect, test } from '@playwright/test';

test('the home page tells a visitor what the service does and how to start', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Rxgate' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'How it works' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Answer a health questionnaire/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /A doctor reviews/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /A pharmacist checks/ })).toBeVisible();
  await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /doctor/);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/signup$/);
});

test('terms and privacy live at versioned addresses that sign-up links to', async ({ page }) => {
  await page.goto('/legal/terms');
  await expect(page).toHaveURL(/\/legal\/terms\/2026-11$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Terms of service' })).toBeVisible();
  await page.goto('/legal/privacy');
  await expect(page).toHaveURL(/\/legal\/privacy\/2026-11$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Privacy notice' })).toBeVisible();
  await page.goto('/legal/terms/1999-01');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();

  await page.goto('/signup');
  await expect(page.getByRole('link', { name: 'terms of service' })).toHaveAttribute('href', '/legal/terms/2026-11');
  await expect(page.getByRole('link', { name: 'privacy notice' })).toHaveAttribute('href', '/legal/privacy/2026-11');
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
