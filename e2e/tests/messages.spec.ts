// Messages people read are the app's own plain sentences: the browser's pop-ups are replaced by
// the app's field messages, and the API's rule codes never show.
import { expect, test } from '@playwright/test';

test('an empty sign-in form is explained by the app, next to its fields', async ({ page }) => {
  await page.goto('/signin');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const email = page.getByLabel('Email', { exact: true });
  // The app's message, tied to the field; no request was sent.
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription(/Fill this in\./);
  await expect(page).toHaveURL(/\/signin$/);
  // Typing clears it.
  await email.fill('someone@example.org');
  await expect(email).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/failed the|`/)).toHaveCount(0);
});
