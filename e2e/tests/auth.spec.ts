import { expect, test } from '@playwright/test';
import { openNavItem } from './support';

test('a patient signs up, verifies the email through the developer mailbox and signs in', async ({ page }) => {
  const email = `patient-${Date.now()}@example.org`;
  const password = 'correct horse battery staple';

  // Sign up.
  await page.goto('/signup');
  await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Your name', { exact: true }).fill('Pat Example');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('I accept the terms of service', { exact: true }).check();
  await page.getByLabel('I have read the privacy notice', { exact: true }).check();
  await page
    .getByLabel('I agree that Rxgate processes my health information to provide care', { exact: true })
    .check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();

  // The verification email arrives in the developer mailbox (delivery is a background job).
  await page.goto('/dev/mailbox');
  await expect(page.getByRole('heading', { name: 'Developer mailbox' })).toBeVisible();
  const message = page
    .getByRole('listitem')
    .filter({ hasText: email })
    .filter({ hasText: 'Verify your email' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(message.first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await message.first().locator('summary').click();
  const body = message.first().locator('.message-body');
  await expect(body).toBeVisible();
  const link = (await body.textContent())
    ?.match(/\/verify-email#token=[^\s"'<>)]+/)?.[0]
    ?.replace(/[.,;:]+$/, '');
  expect(link, 'the email holds a /verify-email#token=… link').toBeTruthy();

  // The link verifies the address.
  await page.goto(link!);
  await expect(page.getByText('Your email address is verified.')).toBeVisible();

  // Sign in: a patient lands on the patient portal.
  await page.goto('/signin');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Patient portal' })).toBeVisible();
  await expect(page.getByText('Welcome, Pat Example.')).toBeVisible();
  await openNavItem(page, 'Account');
  await expect(page).toHaveURL(/\/account$/);

  // Sign out: the navigation is the signed-out one again.
  await openNavItem(page, 'Sign out', 'button');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Create account' })).toBeVisible();
  await expect(nav.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Account', exact: true })).toHaveCount(0);
});
