import { expect, test } from '@playwright/test';
import {
  DEMO_PASSWORD,
  openNavItem,
  DEMO_TOTP_SECRET,
  invitationLinkFromMailbox,
  passTwoStepVerification,
  signIn,
  signOut,
} from './support';

test('an admin invites a pharmacist who accepts and signs in', async ({ page }) => {
  // Two sign-ins, and possibly a wait for the next TOTP step.
  test.setTimeout(120_000);
  const unique = Date.now();
  const email = `pharm-${unique}@example.org`;
  const registration = `SAPC-${unique}`;
  const password = 'a long pharmacist passphrase';

  // The platform admin passes the second factor and sends the invitation.
  await signIn(page, 'admin@rxgate.test', DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  await expect(page).toHaveURL(/\/admin$/);
  await openNavItem(page, 'Invitations');
  await expect(page.getByRole('heading', { level: 1, name: 'Invitations' })).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill(email);
  // (getByLabel would read the option texts inside the label too.)
  await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('pharmacist');
  const organisation = page.getByRole('combobox', { name: 'Organisation', exact: true });
  await expect(organisation.locator('option', { hasText: 'Demo Pharmacy' })).toHaveCount(1);
  await organisation.selectOption({ label: 'Demo Pharmacy' });
  await page.getByLabel('Registration number', { exact: true }).fill(registration);
  await page.getByRole('button', { name: 'Send invitation', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Invited ${email}` })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('Pharmacist');
  await expect(row).toContainText('Demo Pharmacy');
  await expect(row).toContainText('Open');
  await signOut(page);

  // The invitation arrives by email; its link opens the acceptance page.
  const link = await invitationLinkFromMailbox(page, email);
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Accept your invitation' })).toBeVisible();
  // The token is taken out of the address bar.
  await expect(page).toHaveURL(/\/accept-invitation$/);
  await page.getByLabel('Your name', { exact: true }).fill('Phil Pharmacist');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Accept invitation', exact: true }).click();
  const accepted = page.getByRole('status').filter({ hasText: 'Invitation accepted' });
  await expect(accepted).toBeVisible();
  await expect(accepted).toContainText('a pharmacist at Demo Pharmacy');
  await expect(page.getByRole('main').getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();

  // Staff set up an authenticator app on their first sign-in.
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/account\/mfa\/setup/);
  await expect(page.getByRole('heading', { level: 1, name: 'Set up two-step verification' })).toBeVisible();
});
