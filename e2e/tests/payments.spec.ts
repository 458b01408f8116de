// The sandbox payment provider's hosted page: a payment started for the demo patient (through
// the developer tools, as booking will), paid or declined there; the page waits for the
// sandbox's signed webhook to reach the API and shows where the payment ended up.
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, signIn } from './support';

/** Starts a sandbox payment of `amountMinor` ZAR by the demo patient; the path of its page. */
async function startPayment(page: Page, amountMinor: number): Promise<string> {
  const login = await page.request.post('/api/v1/auth/login', {
    data: { email: 'patient@rxgate.test', password: DEMO_PASSWORD, refresh_token_in_body: true },
  });
  expect(login.status()).toBe(200);
  const { access_token } = await login.json();
  const started = await page.request.post('/api/v1/dev/payments', {
    headers: { Authorization: `Bearer ${access_token}` },
    data: { amount_minor: amountMinor, currency: 'ZAR' },
  });
  expect(started.status()).toBe(201);
  const { redirect_url } = await started.json();
  return new URL(redirect_url).pathname;
}

test('the patient pays on the sandbox page and the signed webhook settles the payment', async ({ page }) => {
  const path = await startPayment(page, 35_000);
  await signIn(page, 'patient@rxgate.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/patient$/);
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1, name: 'Sandbox payment' })).toBeVisible();
  await expect(page.getByTestId('sandbox-amount')).toHaveText('R 350.00');
  await expect(page.getByTestId('sandbox-status')).toHaveText('Not paid yet.');
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  // The sandbox's job delivers its webhook over HTTP; the page shows the result it caused.
  await expect(page.getByTestId('sandbox-status')).toHaveText('Paid. Thank you.', { timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Pay', exact: true })).toHaveCount(0);
  await page.getByRole('link', { name: 'Back to my account', exact: true }).click();
  await expect(page).toHaveURL(/\/patient$/);
});

test('the patient declines one payment and walks away from another', async ({ page }) => {
  const declined = await startPayment(page, 12_000);
  const abandoned = await startPayment(page, 12_000);
  await signIn(page, 'patient@rxgate.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/patient$/);

  await page.goto(declined);
  await expect(page.getByTestId('sandbox-amount')).toHaveText('R 120.00');
  await page.getByRole('button', { name: 'Decline', exact: true }).click();
  await expect(page.getByTestId('sandbox-status')).toHaveText('The payment was declined.', {
    timeout: 20_000,
  });

  await page.goto(abandoned);
  await expect(page.getByTestId('sandbox-status')).toHaveText('Not paid yet.');
  await page.getByRole('button', { name: 'Abandon', exact: true }).click();
  await expect(page.getByTestId('sandbox-status')).toHaveText('You left without paying.');
  // Nothing was sent: the payment is still pending for the API too.
  await page.reload();
  await expect(page.getByTestId('sandbox-status')).toHaveText('Not paid yet.');
});
