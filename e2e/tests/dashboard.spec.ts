// Portal homes are dashboards: a new patient is first asked for the health questionnaire, and
// staff see their organisation and how they sign in.
import { expect, test } from '@playwright/test';
import {
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  passTwoStepVerification,
  signIn,
  signUpPatient,
  verifyEmailThroughMailbox,
} from './support';

test('a new patient is asked to fill in the health questionnaire first', async ({ page }, testInfo) => {
  const email = `dash-${testInfo.project.name}-${Date.now()}@example.org`;
  const password = 'correct horse battery staple';
  await signUpPatient(page, 'Dana Dashboard', email, password);
  await verifyEmailThroughMailbox(page, email);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/patient$/);

  const prompt = page.getByRole('region', { name: 'Start with your health questionnaire' });
  await expect(prompt).toBeVisible();
  const cards = page.getByRole('region', { name: 'What needs your attention' }).getByRole('listitem');
  const questionnaire = cards.filter({ has: page.getByRole('heading', { name: 'Health questionnaire' }) });
  await expect(questionnaire).toContainText('Not started');
  await expect(cards.filter({ hasText: 'Shop' })).toContainText('Badges wait for your questionnaire');

  await prompt.getByRole('link', { name: 'Fill in the questionnaire' }).click();
  await expect(page).toHaveURL(/\/patient\/health$/);
});

test('a pharmacist sees their pharmacy and how they sign in', async ({ page }) => {
  await signIn(page, 'pharmacist@rxgate.test', DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  await expect(page).toHaveURL(/\/pharmacist$/);
  const cards = page.getByRole('region', { name: 'What needs your attention' }).getByRole('listitem');
  await expect(cards.filter({ has: page.getByRole('heading', { name: 'Your pharmacy' }) })).not.toContainText('None yet');
  await expect(cards.filter({ has: page.getByRole('heading', { name: 'Signing in' }) })).toContainText(/passkey/i);
});
