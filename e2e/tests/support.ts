// Shared steps of the browser journeys: signing in and out, and TOTP codes computed like an
// authenticator app would.
import { createHmac } from 'node:crypto';
import { expect, type Page } from '@playwright/test';

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

export async function signOut(page: Page) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Sign out' }).click();
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
