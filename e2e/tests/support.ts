// Shared steps of the browser journeys: signing up, in and out, the developer mailbox, TOTP
// codes computed like an authenticator app would, and a virtual authenticator for passkeys.
import { createHmac } from 'node:crypto';
import { expect, type CDPSession, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'rxgate-demo-password';
/** Every seeded staff account has this TOTP secret. */
export const DEMO_TOTP_SECRET = 'OJ4GOYLUMUWWIZLNN4WXI33UOAWWWZLZ';
const STEP_MS = 30_000;

export function base32Decode(text: string): Buffer {
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
export function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}

export const currentStep = () => Math.floor(Date.now() / STEP_MS);

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/signin');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * Follows the navigation item `name`: on a wide screen from the side bar, on a phone from the
 * bottom bar or, for the items that do not fit there, from the "More" sheet.
 */
export async function openNavItem(page: Page, name: string, role: 'link' | 'button' = 'link') {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const item = nav.getByRole(role, { name, exact: true });
  const more = nav.getByRole('button', { name: 'More', exact: true });
  await expect(item.or(more).first()).toBeVisible();
  if (await item.isVisible()) {
    await item.click();
    return;
  }
  await more.click();
  const sheet = page.getByRole('dialog', { name: 'More' });
  await sheet.getByRole(role, { name, exact: true }).click();
  await expect(sheet).toBeHidden();
}

export async function signOut(page: Page) {
  await openNavItem(page, 'Sign out', 'button');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
}

/**
 * Passes the two-step page with a code computed from `secret`. A code works once per account
 * and 30-second step, and the server accepts the previous, current and next step: when an
 * earlier sign-in of the same account (another test) used this step, the next one's code does.
 */
export async function passTwoStepVerification(page: Page, secret: string) {
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

/** Signs up a patient (every required consent given) and waits for the "check your email" page. */
export async function signUpPatient(page: Page, name: string, email: string, password: string) {
  await page.goto('/signup');
  await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Your name', { exact: true }).fill(name);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('I accept the terms of service', { exact: true }).check();
  await page.getByLabel('I have read the privacy notice', { exact: true }).check();
  await page
    .getByLabel('I agree that Rxgate processes my health information to provide care', { exact: true })
    .check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
}

/** Opens the verification link of the sign-up email to `email` from the developer mailbox. */
export async function verifyEmailThroughMailbox(page: Page, email: string) {
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
  await page.goto(link!);
  await expect(page.getByText('Your email address is verified.')).toBeVisible();
}

/** The invitation link in the email to `email`, from the developer mailbox. */
export async function invitationLinkFromMailbox(page: Page, email: string): Promise<string> {
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

/**
 * Gives `page` a platform authenticator (Chromium's virtual one, through the DevTools protocol)
 * that keeps discoverable passkeys and answers every prompt as if the person unlocked it. It
 * lasts as long as the page, across navigations.
 */
export async function addVirtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}
