// The catalogue with eligibility, the health questionnaire and the doctor's side of it: a new
// patient's journey from "consult needed" to "not available to you", and the demo doctor
// overriding a flag on a patient's chart. Both run in every browser project against the same
// database, so each works whatever an earlier run left behind.
import { expect, test, type Page } from '@playwright/test';
import {
  DEMO_PASSWORD,
  openNavItem,
  DEMO_TOTP_SECRET,
  passTwoStepVerification,
  signIn,
  signUpPatient,
  verifyEmailThroughMailbox,
} from './support';

/** A question with choices: a group named by its question. */
const question = (page: Page, label: string) => page.getByRole('group', { name: label, exact: true });

test('a new patient answers the health questionnaire and the shop follows', async ({ page }) => {
  // Sign-up, the mailbox, a sign-in, the questionnaire twice and the shop twice.
  test.setTimeout(120_000);
  const unique = `${Date.now()}-${test.info().project.name}`;
  const email = `patient-${unique}@example.org`;
  const password = 'correct horse battery staple';
  await signUpPatient(page, 'Naledi Newpatient', email, password);
  await verifyEmailThroughMailbox(page, email);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/patient$/);

  // The shop: Semaglutide needs a consult (with its fee); paracetamol is on sale at the
  // clinic's price.
  await openNavItem(page, 'Shop');
  await expect(page.getByRole('heading', { level: 1, name: 'Shop' })).toBeVisible();
  const semaglutide = page.getByRole('article', { name: 'Semaglutide 0.25 mg pen' });
  await expect(semaglutide.getByTestId('eligibility')).toContainText('Consult needed');
  await expect(semaglutide.getByTestId('eligibility')).toContainText('R 350.00');
  await expect(semaglutide.getByTestId('price')).toHaveText('R 1,650.00');
  const paracetamol = page.getByRole('article', { name: 'Paracetamol 500 mg tablets' });
  await expect(paracetamol.getByTestId('price')).toHaveText('R 25.00');
  await expect(paracetamol.getByTestId('verdict')).toHaveText('Available');

  // Filters: pain relief holds paracetamol, not semaglutide.
  await page.getByRole('combobox', { name: 'Category', exact: true }).selectOption({ label: 'Pain relief' });
  await expect(semaglutide).toHaveCount(0);
  await expect(paracetamol).toBeVisible();
  await page.getByRole('combobox', { name: 'Category', exact: true }).selectOption({ label: 'All categories' });
  await expect(semaglutide).toBeVisible();

  // The product page says the same, with the packs, and leads to booking a consult.
  await semaglutide.getByRole('link', { name: 'Semaglutide 0.25 mg pen', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Semaglutide 0.25 mg pen' })).toBeVisible();
  await expect(page.getByTestId('ingredients')).toHaveText('Semaglutide');
  await expect(page.getByRole('table', { name: 'Packs and prices' })).toContainText('R 1,650.00');
  await expect(page.getByTestId('verdict')).toHaveText('Consult needed');
  await page.getByRole('link', { name: 'Book a consult for Semaglutide 0.25 mg pen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Book a consult' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Doctor', exact: true })).toBeVisible();

  // The questionnaire: nothing answered yet; the pregnancy question only shows for women.
  await openNavItem(page, 'My health');
  await expect(page.getByRole('heading', { level: 1, name: 'My health' })).toBeVisible();
  const progress = page.getByTestId('questionnaire-progress');
  await expect(progress).toHaveText(/^0 of \d+ answered$/);
  await page.getByLabel('What is your date of birth?', { exact: true }).fill('1980-05-17');
  const pregnant = question(page, 'Are you pregnant, or could you be?');
  await question(page, 'What was your sex at birth?').getByLabel('Male', { exact: true }).check();
  await expect(pregnant).toHaveCount(0);
  await question(page, 'What was your sex at birth?').getByLabel('Female', { exact: true }).check();
  await pregnant.getByLabel('No', { exact: true }).check();
  await question(page, 'Do you smoke?').getByLabel('No', { exact: true }).check();
  await expect(progress).toHaveText(/^4 of \d+ answered$/);

  // Saved, and still there after a reload.
  await page.getByRole('button', { name: 'Save and continue later' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Saved: 4 of \d+ answered\./ })).toBeVisible();
  await page.reload();
  await expect(progress).toHaveText(/^4 of \d+ answered$/);
  await expect(question(page, 'What was your sex at birth?').getByLabel('Female', { exact: true })).toBeChecked();

  await question(page, 'Have you or a close family member had medullary thyroid cancer or MEN2?')
    .getByLabel('Yes', { exact: true })
    .check();
  await question(page, 'Do you take a blood thinner such as warfarin, rivaroxaban or apixaban?')
    .getByLabel('No', { exact: true })
    .check();
  await question(page, 'Are you allergic to penicillin?').getByLabel('No', { exact: true }).check();

  // A required question left out: the server's message shows next to it.
  const conditions = question(page, 'Do you have any of these conditions?');
  await page.getByRole('button', { name: 'Submit', exact: true }).click();
  await expect(conditions).toContainText('Please answer this question.');
  await expect(page.getByText('One answer needs your attention')).toBeVisible();
  await conditions.getByLabel('None of these', { exact: true }).check();
  await expect(conditions).not.toContainText('Please answer this question.');
  await page.getByRole('button', { name: 'Submit', exact: true }).click();

  // Submitted: the health profile, with the flag the answers raised.
  await expect(page.getByText('Thank you: your answers are saved in your health profile.')).toBeVisible();
  const flag = page
    .getByRole('list', { name: 'Flags', exact: true })
    .getByRole('listitem')
    .filter({ hasText: 'History of medullary thyroid cancer' });
  await expect(flag).toContainText('Active');

  // The shop follows at once.
  await openNavItem(page, 'Shop');
  await expect(semaglutide.getByTestId('verdict')).toHaveText('Not available to you');
  await expect(semaglutide.getByTestId('eligibility')).toContainText('medullary thyroid cancer');
  await expect(paracetamol.getByTestId('verdict')).toHaveText('Available');

  // The health profile lists the flag and the answers.
  await openNavItem(page, 'My health profile');
  await expect(page.getByRole('heading', { level: 1, name: 'My health profile' })).toBeVisible();
  await expect(flag).toContainText('From the answers.');
  await expect(page.getByRole('definition').filter({ hasText: 'None of these' })).toBeVisible();
});

test('the demo doctor raises a flag on a patient chart and finds her in the review queue', async ({ page }) => {
  // The sign-in may wait for the next authenticator step.
  test.setTimeout(90_000);
  const reason = `Takes warfarin, confirmed by her GP (${Date.now()}-${test.info().project.name})`;
  await signIn(page, 'doctor@rxgate.test', DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  await expect(page).toHaveURL(/\/doctor$/);

  await openNavItem(page, 'My patients');
  await expect(page.getByRole('heading', { level: 1, name: 'My patients' })).toBeVisible();
  await page.getByLabel('Search', { exact: true }).fill('thandi');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const patients = page.getByRole('list', { name: 'Patients', exact: true });
  await expect(patients.getByText('patient@rxgate.test')).toBeVisible();
  await patients.getByRole('link', { name: 'Thandi Patient', exact: true }).click();

  // The chart: her answers and flags, and the override form.
  await expect(page.getByRole('heading', { level: 1, name: 'Thandi Patient' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Answers' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Flag', exact: true }).selectOption({ label: 'Takes anticoagulants' });
  await page.getByLabel('Raise the flag', { exact: true }).check();
  await page.getByLabel('Reason', { exact: true }).fill(reason);
  await page.getByRole('button', { name: 'Save override' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Raised “Takes anticoagulants”' })).toBeVisible();

  // The new state: the override with who and why, and the flag counts.
  const override = page
    .getByRole('list', { name: "Doctors' overrides" })
    .getByRole('listitem')
    .filter({ hasText: reason });
  await expect(override).toContainText('By Dr Sipho Doctor');
  await expect(override).toContainText('Raised');
  await expect(
    page.getByRole('list', { name: 'Flags', exact: true }).getByRole('listitem').filter({ hasText: 'Takes anticoagulants' }),
  ).toContainText('Active');

  // Blood thinners trigger review rules (ibuprofen, fluconazole): she is in the review queue.
  await openNavItem(page, 'Review queue');
  await expect(page.getByRole('heading', { level: 1, name: 'Review queue' })).toBeVisible();
  const row = page.getByRole('list', { name: 'Patients to review' }).getByRole('listitem').filter({ hasText: 'Thandi Patient' });
  await expect(row.getByRole('list', { name: 'Flags of Thandi Patient' })).toContainText('Takes anticoagulants');
  await row.getByRole('link', { name: 'Thandi Patient', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thandi Patient' })).toBeVisible();
});

test('the demo doctor sets her own price for her patients and goes back to the clinic price', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const product = 'Amlodipine 5 mg tablets';
  await signIn(page, 'doctor@rxgate.test', DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  await expect(page).toHaveURL(/\/doctor$/);
  await openNavItem(page, 'My prices');
  await expect(page.getByRole('heading', { level: 1, name: 'My prices' })).toBeVisible();
  await page.getByLabel('Search', { exact: true }).fill('amlodipine');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const products = page.getByRole('list', { name: 'Products' });
  await expect(products.getByRole('listitem')).toHaveCount(1);
  await products.getByRole('link', { name: product }).click();
  await expect(page.getByRole('heading', { level: 1, name: product })).toBeVisible();

  const variant = page.getByRole('list', { name: 'Variants' }).getByRole('listitem').filter({ hasText: 'AML-5-30' });
  // A run that failed half-way may have left a price of hers: start from the clinic's.
  const reset = variant.getByRole('button', { name: "Use the clinic's price" });
  if (await reset.isEnabled()) {
    await reset.click();
    await expect(page.getByRole('status')).toHaveText("AML-5-30 is back to the clinic's price.");
  }
  await expect(variant.getByTestId('own-price')).toHaveText("R 75.00 (the clinic's price)");
  await variant.getByLabel('Your price of AML-5-30 (ZAR)', { exact: true }).fill('-1');
  await variant.getByRole('button', { name: 'Save price' }).click();
  await expect(variant.locator('.field-error').first()).not.toBeEmpty();
  await variant.getByLabel('Your price of AML-5-30 (ZAR)', { exact: true }).fill('69.00');
  await variant.getByRole('button', { name: 'Save price' }).click();
  await expect(page.getByRole('status')).toHaveText('AML-5-30 now costs R 69.00.');
  await expect(variant.getByTestId('own-price')).toHaveText('R 69.00');
  await expect(variant.getByTestId('fallback-price')).toHaveText('R 75.00');

  // Her patient Thandi pays it.
  const { baseURL, viewport, isMobile, hasTouch } = test.info().project.use;
  const context = await browser.newContext({ baseURL, viewport, isMobile, hasTouch });
  const thandi = await context.newPage();
  await signIn(thandi, 'patient@rxgate.test', DEMO_PASSWORD);
  await expect(thandi).toHaveURL(/\/patient$/);
  await thandi.goto('/patient/shop');
  await thandi.getByLabel('Search', { exact: true }).fill('amlodipine');
  await thandi.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(thandi.getByRole('article', { name: product }).getByTestId('price')).toHaveText('R 69.00');

  // Back to the clinic's price, for her patients too.
  await variant.getByRole('button', { name: "Use the clinic's price" }).click();
  await expect(page.getByRole('status')).toHaveText("AML-5-30 is back to the clinic's price.");
  await expect(variant.getByTestId('own-price')).toHaveText("R 75.00 (the clinic's price)");
  await thandi.reload();
  await thandi.getByLabel('Search', { exact: true }).fill('amlodipine');
  await thandi.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(thandi.getByRole('article', { name: product }).getByTestId('price')).toHaveText('R 75.00');
  await context.close();
});
