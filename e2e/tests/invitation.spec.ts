import { createHmac } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';

const DEMO_PASSWORD = 'rxgate-demo-password';
/** Every seeded staff account has this TOTP secret. */
const DEMO_TOTP_SECRET = 'OJ4GOYLUMUWWIZLNN4WXI33UOAWWWZLZ';
const STEP_MS = 30_000;

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/[\s=-]/g, '').toUpperCase()) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${ch}`);
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 (SHA-1, 6 digits, 30-second steps): the code of time step `step`. */
function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}

const currentStep = () => Math.floor(Date.now() / STEP_MS);

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/signin');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signOut(page: Page) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Sign out' }).click();
  await expect(nav.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
}

/**
 * Passes the two-step page with a code computed from `secret`. A code works once per account
 * and 30-second step, and the server accepts the previous, current and next step: when an
 * earlier sign-in of the same account (another test) used this step, the next one's code does.
 */
async function passTwoStepVerification(page: Page, secret: string) {
  await expect(page).toHaveURL(/\/signin\/verify/);
  await expect(page.getByRole('heading', { level: 1, name: 'Two-step verification' })).toBeVisible();
  const field = page.getByLabel('Authentication code', { exact: true });
  let step = currentStep();
  for (let attempt = 0; attempt < 3; attempt += 1) {
    while (currentStep() < step - 1) await page.waitForTimeout(1_000);
    await field.fill(totp(secret, step));
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/mfa/verify')),
      page.getByRole('button', { name: 'Verify', exact: true }).click(),
    ]);
    if (response.ok()) return;
    await expect(page.getByText('That code is not right, or was already used.')).toBeVisible();
    step += 1;
  }
  throw new Error('no authenticator code was accepted');
}

/** The invitation link in the email to `email`, from the developer mailbox. */
async function invitationLinkFromMailbox(page: Page, email: string): Promise<string> {
  await page.goto('/dev/mailbox');
  await expect(page.getByRole('heading', { name: 'Developer mailbox' })).toBeVisible();
  const message = page
    .getByRole('listitem')
    .filter({ hasText: email })
    .filter({ hasText: 'You are invited to Rxgate' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(message.first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await message.first().locator('summary').click();
  const body = message.first().locator('.message-body');
  await expect(body).toBeVisible();
  const link = (await body.textContent())
    ?.match(/\/accept-invitation#token=[^\s"'<>)]+/)?.[0]
    ?.replace(/[.,;:]+$/, '');
  expect(link, 'the email holds an /accept-invitation#token=… link').toBeTruthy();
  return link!;
}

test('an admin invites a pharmacist who accepts and signs in', async ({ page }) => {
  // Two sign-ins, and possibly a wait for the next TOTP step.
  test.setTimeout(120_000);
  const unique = Date.now();
  const email = `pharm-${unique}@example.org`;
  const registration = `SAPC-${unique}`;
  const password = 'a long pharmacist passphrase';
  const nav = page.getByRole('navigation', { name: 'Main' });

  // The platform admin passes the second factor and sends the invitation.
  await signIn(page, 'admin@rxgate.test', DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  await expect(page).toHaveURL(/\/admin$/);
  await nav.getByRole('link', { name: 'Invitations', exact: true }).click();
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
