import { expect, test } from '@playwright/test';
import {
  DEMO_PASSWORD,
  openNavItem,
  DEMO_TOTP_SECRET,
  currentStep,
  passTwoStepVerification,
  signIn,
  signOut,
  totp,
  verifyEmailThroughMailbox,
} from './support';

test('a doctor signs up, the admin approves, the doctor enrols TOTP and reaches the doctor portal', async ({
  page,
}) => {
  // Three sign-ins, and possibly a wait for the next TOTP step.
  test.setTimeout(150_000);
  const unique = Date.now();
  const email = `doctor-${unique}@example.org`;
  const licence = `MP${unique % 10_000_000}`;
  const password = 'correct horse battery staple';

  // Sign up as a doctor.
  await page.goto('/signup');
  await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible();
  await page.getByLabel('A doctor', { exact: true }).check();
  await page.getByLabel('Your name', { exact: true }).fill('Dana Doctor');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Licence number', { exact: true }).fill(licence);
  await page.getByLabel('Licensing body', { exact: true }).fill('HPCSA');
  await page.getByLabel('Licence region', { exact: true }).fill('ZA');
  await page.getByLabel('Licence expiry date', { exact: true }).fill('2030-12-31');
  await page.getByLabel('Specialties', { exact: true }).fill('General practice');
  await page.getByLabel('Time zone', { exact: true }).fill('Africa/Johannesburg');
  await page.getByLabel('I accept the terms of service', { exact: true }).check();
  await page.getByLabel('I have read the privacy notice', { exact: true }).check();
  await page
    .getByLabel('I agree that Rxgate processes my health information to provide care', { exact: true })
    .check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();

  await verifyEmailThroughMailbox(page, email);

  // A pending doctor (no roles yet) lands on the doctor portal, which says so.
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/doctor$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Doctor portal' })).toBeVisible();
  await expect(page.getByTestId('doctor-status')).toHaveText('Awaiting approval');
  await signOut(page);

  // The platform admin passes the second factor and approves the registration.
  await signIn(page, 'admin@rxgate.test', DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Platform admin portal' })).toBeVisible();
  await openNavItem(page, 'Doctor approvals');
  await expect(page.getByRole('heading', { level: 1, name: 'Doctor approvals' })).toBeVisible();
  const row = page.getByRole('listitem').filter({ hasText: email });
  await expect(row).toContainText(`HPCSA ${licence}`);
  await row.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Approved Dana Doctor.' })).toBeVisible();
  await expect(row).toHaveCount(0);
  // (getByLabel would read the option texts inside the label too.)
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('approved');
  await expect(row.getByRole('button', { name: 'Suspend', exact: true })).toBeVisible();
  await signOut(page);

  // Now a doctor, staff: sets up an authenticator app before anything else.
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/account\/mfa\/setup/);
  await expect(page.getByRole('heading', { level: 1, name: 'Set up two-step verification' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = await page.getByLabel('Secret key', { exact: true }).inputValue();
  expect(secret).toMatch(/^[A-Z2-7]{16,}=*$/);
  await page.getByLabel('Authentication code', { exact: true }).fill(totp(secret, currentStep()));
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();

  // Recovery codes, shown once; then the doctor portal.
  await expect(page.getByRole('heading', { level: 1, name: 'Save your recovery codes' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);
  await page.getByRole('button', { name: 'I have saved these codes' }).click();
  await expect(page).toHaveURL(/\/doctor$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Doctor portal' })).toBeVisible();
  await expect(page.getByTestId('doctor-status')).toHaveText('Approved');
  await openNavItem(page, 'Account');
  await expect(page.getByTestId('mfa-status')).toContainText('On');
});

test('the demo doctor copies their referral link from the portal home', async ({ page, context }) => {
  // A sign-in with the second factor, possibly waiting for the next TOTP step.
  test.setTimeout(90_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, 'doctor@rxgate.test', DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  const link = page.getByLabel('Your referral link', { exact: true });
  await expect(link).toHaveValue(/\/signup\?ref=DEMODOCTOR$/);
  await page.getByRole('button', { name: 'Copy link', exact: true }).click();
  await expect(page.getByText('Copied.', { exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await link.inputValue());
});
