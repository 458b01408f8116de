import { expect, test } from '@playwright/test';
import {
  DEMO_PASSWORD,
  openNavItem,
  DEMO_TOTP_SECRET,
  addVirtualAuthenticator,
  invitationLinkFromMailbox,
  passTwoStepVerification,
  signIn,
  signOut,
  signUpPatient,
  verifyEmailThroughMailbox,
} from './support';

// A new patient rather than the demo one: once a patient has a passkey, their password
// sign-ins ask for it as a second step, and other journeys sign the demo patient in with a
// password alone.
test('a patient adds a passkey, signs in with it alone, passes the second step with it and removes it', async ({
  page,
}) => {
  // A sign-up through the mailbox and four sign-ins.
  test.setTimeout(90_000);
  const email = `passkey-${Date.now()}@example.org`;
  const password = 'correct horse battery staple';
  const { cdp, authenticatorId } = await addVirtualAuthenticator(page);

  await signUpPatient(page, 'Pia Passkey', email, password);
  await verifyEmailThroughMailbox(page, email);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/patient$/);

  // Add a passkey on the account page: it is listed, and two-step verification is on.
  await openNavItem(page, 'Account');
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await expect(page.getByTestId('mfa-status')).toContainText('Off');
  const form = page.getByRole('form', { name: 'Add a passkey' });
  await expect(form.getByLabel('Passkey name', { exact: true })).not.toHaveValue('');
  await form.getByLabel('Passkey name', { exact: true }).fill('Test laptop');
  await form.getByRole('button', { name: 'Add a passkey', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added the passkey “Test laptop”.' })).toBeVisible();
  const passkeys = page.getByRole('list', { name: 'Passkeys' }).getByRole('listitem');
  await expect(passkeys).toHaveCount(1);
  await expect(passkeys.first()).toContainText('Test laptop');
  await expect(passkeys.first()).toContainText('never used');
  await expect(page.getByTestId('mfa-status')).toContainText('On');
  await expect(page.getByTestId('mfa-status')).toContainText('Passkey');
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials, 'the authenticator keeps one discoverable passkey').toHaveLength(1);
  expect(credentials[0].isResidentCredential).toBe(true);

  // Signed out, the passkey alone signs in: no email address, no password.
  await signOut(page);
  await page.goto('/signin');
  await page.getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Patient portal' })).toBeVisible();
  await expect(page.getByText('Welcome, Pia Passkey.')).toBeVisible();
  await signOut(page);

  // With a passkey set up, the password is no longer enough: the passkey is the second step,
  // and the only one offered (no authenticator app).
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/signin\/verify/);
  await expect(page.getByRole('heading', { level: 1, name: 'Two-step verification' })).toBeVisible();
  await expect(page.getByLabel('Authentication code', { exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Use a passkey', exact: true }).click();
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Patient portal' })).toBeVisible();

  // The account page shows its use; removing it asks first.
  await openNavItem(page, 'Account');
  await expect(passkeys.first()).toContainText('last used');
  await passkeys.first().getByRole('button', { name: 'Remove the passkey Test laptop', exact: true }).click();
  const question = page.getByRole('group', { name: 'Remove the passkey Test laptop' });
  await expect(question).toContainText('You will no longer be able to sign in with it.');
  await question.getByRole('button', { name: 'Yes, remove it', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Removed the passkey “Test laptop”.' })).toBeVisible();
  await expect(passkeys).toHaveCount(0);
  await expect(page.getByText('No passkeys yet.')).toBeVisible();
  await expect(page.getByTestId('mfa-status')).toContainText('Off');
});

test('an invited pharmacist sets up a passkey instead of an authenticator app and cannot remove it', async ({
  page,
}) => {
  // Three sign-ins, and possibly a wait for the next TOTP step.
  test.setTimeout(120_000);
  const unique = Date.now();
  const email = `pharm-passkey-${unique}@example.org`;
  const password = 'a long pharmacist passphrase';
  await addVirtualAuthenticator(page);

  // The platform admin invites a pharmacist, who accepts.
  await signIn(page, 'admin@rxgate.test', DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  await expect(page).toHaveURL(/\/admin$/);
  await openNavItem(page, 'Invitations');
  await expect(page.getByRole('heading', { level: 1, name: 'Invitations' })).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('pharmacist');
  const organisation = page.getByRole('combobox', { name: 'Organisation', exact: true });
  await expect(organisation.locator('option', { hasText: 'Demo Pharmacy' })).toHaveCount(1);
  await organisation.selectOption({ label: 'Demo Pharmacy' });
  await page.getByLabel('Registration number', { exact: true }).fill(`SAPC-PK-${unique}`);
  await page.getByRole('button', { name: 'Send invitation', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Invited ${email}` })).toBeVisible();
  await signOut(page);
  await page.goto(await invitationLinkFromMailbox(page, email));
  await expect(page.getByRole('heading', { level: 1, name: 'Accept your invitation' })).toBeVisible();
  await page.getByLabel('Your name', { exact: true }).fill('Pippa Pharmacist');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Accept invitation', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Invitation accepted' })).toBeVisible();

  // Staff must set up a second factor first: a passkey will do, and there is nothing else to
  // save (no recovery codes).
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/account\/mfa\/setup/);
  await expect(page.getByRole('heading', { level: 1, name: 'Set up two-step verification' })).toBeVisible();
  await page
    .getByRole('form', { name: 'Use a passkey instead' })
    .getByRole('button', { name: 'Use a passkey instead', exact: true })
    .click();
  await expect(page).toHaveURL(/\/pharmacist$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Pharmacist portal' })).toBeVisible();
  await signOut(page);

  // The password, then the passkey as the second step.
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/signin\/verify/);
  await page.getByRole('button', { name: 'Use a passkey', exact: true }).click();
  await expect(page).toHaveURL(/\/pharmacist$/);

  // The only second factor of a staff account cannot be removed.
  await openNavItem(page, 'Account');
  const passkeys = page.getByRole('list', { name: 'Passkeys' }).getByRole('listitem');
  await expect(passkeys).toHaveCount(1);
  await passkeys.first().getByRole('button', { name: /^Remove the passkey / }).click();
  await passkeys.first().getByRole('button', { name: 'Yes, remove it', exact: true }).click();
  await expect(passkeys.first().getByRole('alert')).toContainText(
    'Staff accounts need a second factor: add another one before removing this passkey.',
  );
  await expect(passkeys).toHaveCount(1);
});
