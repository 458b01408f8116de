import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, openNavItem, DEMO_TOTP_SECRET, passTwoStepVerification, signIn } from './support';

test('the admin finds a patient, suspends the account with a reason and reinstates it', async ({ page }) => {
  // A sign-in with the second factor, possibly waiting for the next TOTP step.
  test.setTimeout(90_000);

  await signIn(page, 'admin@rxgate.test', DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  await expect(page).toHaveURL(/\/admin$/);
  await openNavItem(page, 'People');
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();

  await page.getByLabel('Search', { exact: true }).fill('patient@rxgate.test');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const people = page.getByRole('list', { name: 'People' }).getByRole('listitem');
  await expect(people).toHaveCount(1);
  const row = people.filter({ hasText: 'patient@rxgate.test' });
  await expect(row).toContainText('Thandi Patient');
  await expect(row).toContainText('Patient');
  const status = row.getByTestId('person-status');
  await expect(status).toHaveText('Active');

  // Suspending asks for a reason first.
  await row.getByRole('button', { name: 'Suspend', exact: true }).click();
  await row.getByLabel('Reason', { exact: true }).fill('Reported misuse of prescriptions');
  await row.getByRole('button', { name: 'Confirm suspension', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Suspended Thandi Patient.' })).toBeVisible();
  await expect(status).toHaveText('Suspended');

  await row.getByRole('button', { name: 'Reinstate', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Reinstated Thandi Patient.' })).toBeVisible();
  await expect(status).toHaveText('Active');
  await expect(row.getByRole('button', { name: 'Suspend', exact: true })).toBeVisible();
});
