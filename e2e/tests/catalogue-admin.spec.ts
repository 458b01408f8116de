// Catalogue administration: a platform admin's contraindication rule changing what the demo
// patient may buy (and retiring it again), a clinic admin taking a product out of the clinic's
// selection and back, and a platform admin adding a product, editing it, its variants and a
// category, and importing a CSV file with a bad row. Every browser project runs these against the same database, so each journey leaves the
// demo data as it found it and names what it creates uniquely.
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { DEMO_PASSWORD, openNavItem, DEMO_TOTP_SECRET, passTwoStepVerification, signIn } from './support';

const unique = (info: TestInfo) => `${Date.now()}-${info.project.name}`;

/** A second browser context (another person signed in at the same time) like the project's. */
async function secondPage(browser: Browser, info: TestInfo): Promise<Page> {
  const { baseURL, viewport, isMobile, hasTouch } = info.project.use;
  const context = await browser.newContext({ baseURL, viewport, isMobile, hasTouch });
  return context.newPage();
}

async function signInAdmin(page: Page) {
  await signIn(page, 'admin@rxgate.test', DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  await expect(page).toHaveURL(/\/admin$/);
}

/** The shop's card of `product` for the signed-in patient, after loading the shop afresh. */
async function shopCard(page: Page, product: string) {
  await page.goto('/patient/shop');
  await expect(page.getByRole('heading', { level: 1, name: 'Shop' })).toBeVisible();
  return page.getByRole('article', { name: product });
}

test('a platform admin blocks cetirizine for penicillin allergy, and retires the rule', async ({ page, browser }) => {
  // Two people signed in, one with an authenticator step.
  test.setTimeout(120_000);
  const info = test.info();
  const message = `Not for you while we check penicillin allergies (${unique(info)}).`;
  const cetirizine = 'Cetirizine 10 mg tablets';
  const ruleName = /^Cetirizine 10 mg tablets × Penicillin allergy → Block/;

  await signInAdmin(page);
  await openNavItem(page, 'Rules');
  await expect(page.getByRole('heading', { level: 1, name: 'Rules' })).toBeVisible();
  const rules = page.getByRole('list', { name: 'Rules', exact: true });
  // A run that failed half-way may have left its rule active: retire it first.
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption({ label: 'Active' });
  await expect(rules.getByRole('listitem').first()).toBeVisible();
  await expect(rules.getByText('Retired', { exact: true })).toHaveCount(0);
  const leftOver = rules.getByRole('listitem').filter({ hasText: ruleName });
  for (let left = await leftOver.count(); left > 0; left -= 1) {
    await leftOver.first().getByRole('button', { name: /^Retire the rule/ }).click();
    await expect(leftOver).toHaveCount(left - 1);
  }
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption({ label: 'All' });

  // Thandi (penicillin allergy in her answers) may buy cetirizine.
  const thandi = await secondPage(browser, info);
  await signIn(thandi, 'patient@rxgate.test', DEMO_PASSWORD);
  await expect(thandi).toHaveURL(/\/patient$/);
  let card = await shopCard(thandi, cetirizine);
  await expect(card.getByTestId('verdict')).toHaveText('Available');

  // The admin adds the rule: the product found by search, the flag, block, two messages.
  const form = page.getByRole('form', { name: 'Add a rule' });
  await form.getByRole('combobox', { name: 'Applies to', exact: true }).selectOption({ label: 'A product' });
  await form.getByLabel('Find', { exact: true }).fill('cetiri');
  const product = form.getByRole('combobox', { name: 'Product', exact: true });
  await expect(product.getByRole('option')).toHaveCount(1);
  await product.selectOption({ label: cetirizine });
  await form.getByRole('combobox', { name: 'Flag', exact: true }).selectOption({ label: 'Penicillin allergy (penicillin_allergy)' });
  await form.getByRole('combobox', { name: 'Action', exact: true }).selectOption('block');
  await form.getByLabel('Message to the patient', { exact: true }).fill(message);
  await form.getByLabel('Message to clinicians', { exact: true }).fill('E2E test rule: cetirizine with penicillin allergy.');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Added the rule Cetirizine 10 mg tablets × Penicillin allergy → block.' }),
  ).toBeVisible();
  const rule = rules.getByRole('listitem').filter({ hasText: message });
  await expect(rule).toContainText('Active');
  await expect(rule).toContainText('by Platform Admin');

  // Thandi's shop follows at once, with the rule's message.
  card = await shopCard(thandi, cetirizine);
  await expect(card.getByTestId('verdict')).toHaveText('Not available to you');
  await expect(card.getByTestId('eligibility')).toContainText(message);

  // Retired, the rule stops applying (and the next run starts clean).
  await rule.getByRole('button', { name: /^Retire the rule/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Retired the rule' })).toBeVisible();
  await expect(rule).toContainText('Retired');
  await expect(rule.getByRole('button', { name: /^Reactivate the rule/ })).toBeVisible();
  card = await shopCard(thandi, cetirizine);
  await expect(card.getByTestId('verdict')).toHaveText('Available');
  await thandi.context().close();
});

test('a clinic admin stops selling ibuprofen, and sells it again', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const info = test.info();
  const ibuprofen = 'Ibuprofen 200 mg tablets';
  await signIn(page, 'clinic.admin@rxgate.test', DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  await expect(page).toHaveURL(/\/clinic$/);
  await openNavItem(page, 'Catalogue');
  await expect(page.getByRole('heading', { level: 1, name: 'Catalogue' })).toBeVisible();
  await page.getByLabel('Search', { exact: true }).fill('Ibuprofen');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const row = page.getByRole('list', { name: 'Products' }).getByRole('listitem').filter({ hasText: ibuprofen });
  await expect(row).toHaveCount(1);
  const sold = row.getByRole('switch', { name: 'Sold here' });
  // A run that failed half-way may have left it off.
  if (!(await sold.isChecked())) {
    await sold.check();
    await expect(page.getByRole('status').filter({ hasText: `${ibuprofen} is sold here now.` })).toBeVisible();
  }

  await sold.uncheck();
  await expect(page.getByRole('status').filter({ hasText: `${ibuprofen} is no longer sold here.` })).toBeVisible();
  await page.reload();
  await expect(sold).not.toBeChecked();

  // The clinic's patient no longer finds it in the shop.
  const thandi = await secondPage(browser, info);
  await signIn(thandi, 'patient@rxgate.test', DEMO_PASSWORD);
  await expect(thandi).toHaveURL(/\/patient$/);
  await shopCard(thandi, 'Paracetamol 500 mg tablets');
  await expect(thandi.getByRole('article', { name: 'Paracetamol 500 mg tablets' })).toBeVisible();
  await expect(thandi.getByRole('article', { name: ibuprofen })).toHaveCount(0);

  // Back on sale, at the list price unless the clinic sets its own.
  await sold.check();
  await expect(page.getByRole('status').filter({ hasText: `${ibuprofen} is sold here now.` })).toBeVisible();
  await page.reload();
  await expect(sold).toBeChecked();
  const card = await shopCard(thandi, ibuprofen);
  await expect(card).toBeVisible();
  await thandi.context().close();

  // The product page shows the list price next to the clinic's.
  await row.getByRole('link', { name: ibuprofen }).click();
  await expect(page.getByRole('heading', { level: 1, name: ibuprofen })).toBeVisible();
  await expect(page.getByTestId('list-price')).toHaveText('R 45.00');
  await expect(page.getByLabel('Clinic price of IBU-200-24 (ZAR)')).toHaveValue(/^\d+\.\d\d$/);
});

test('a platform admin adds and edits a product, its variants and a category, and imports a CSV file with a bad row', async ({ page }) => {
  test.setTimeout(150_000);
  const id = unique(test.info());
  const name = `E2E Lozenges ${id}`;
  const sku = `E2E-${id}`.toUpperCase();
  await signInAdmin(page);
  await openNavItem(page, 'Catalogue');
  await expect(page.getByRole('heading', { level: 1, name: 'Catalogue' })).toBeVisible();
  await page.getByRole('link', { name: 'New product' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New product' })).toBeVisible();

  const form = page.getByRole('form', { name: 'New product' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByRole('combobox', { name: 'Category', exact: true }).selectOption({ label: 'Allergy' });
  await form.getByLabel('Dosage form', { exact: true }).fill('lozenge');
  // The product's strength (each variant has one too, further down).
  await form.getByLabel('Strength', { exact: true }).first().fill('5 mg');
  await form.getByLabel('Active ingredients', { exact: true }).fill('Benzocaine');
  // A schedule 3 product without a prescription is refused, next to the field.
  await form.getByRole('combobox', { name: 'Schedule', exact: true }).selectOption('S3');
  const variant = form.getByRole('group', { name: 'Variant 1' });
  await variant.getByLabel('SKU', { exact: true }).fill(sku);
  await variant.getByLabel('Pack size', { exact: true }).fill('24');
  await variant.getByLabel('Price', { exact: true }).fill('39.90');
  await form.getByRole('button', { name: 'Add product' }).click();
  await expect(form.locator('.field-error').filter({ hasText: 'needs a prescription by law' })).toBeVisible();
  await form.getByRole('combobox', { name: 'Schedule', exact: true }).selectOption('S1');
  // A second variant row can be added and removed again.
  await form.getByRole('button', { name: 'Add a variant' }).click();
  await expect(form.getByRole('group', { name: 'Variant 2' })).toBeVisible();
  await form.getByRole('button', { name: 'Remove variant 2' }).click();
  await expect(form.getByRole('group', { name: 'Variant 2' })).toHaveCount(0);
  await form.getByRole('button', { name: 'Add product' }).click();

  // Its page, with the variant.
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const variants = page.getByRole('list', { name: 'Variants', exact: true });
  await expect(variants).toContainText(sku);
  await expect(variants).toContainText('R 39.90');
  // The variant and the product can be taken off sale and put back.
  await variants.getByRole('button', { name: `Stop selling ${sku}` }).click();
  await expect(variants.getByRole('button', { name: `Sell ${sku}` })).toBeVisible();
  await expect(variants).toContainText('Inactive');
  await variants.getByRole('button', { name: `Sell ${sku}` }).click();
  await expect(variants.getByRole('button', { name: `Stop selling ${sku}` })).toBeVisible();
  await page.getByRole('button', { name: 'Take off sale' }).click();
  await expect(page.getByRole('status')).toContainText('is off sale');
  await page.getByRole('button', { name: 'Put back on sale' }).click();
  await expect(page.getByRole('status')).toContainText('on sale again');

  // A variant's list price is changed; a new pack is added; a taken SKU adds nothing.
  await variants.getByText(`Edit ${sku}`, { exact: true }).click();
  const edit = page.getByRole('form', { name: `Edit ${sku}` });
  await edit.getByLabel('List price (ZAR)', { exact: true }).fill('42.50');
  await edit.getByRole('button', { name: 'Save variant' }).click();
  await expect(page.getByRole('status')).toHaveText(`Saved ${sku}.`);
  await expect(variants).toContainText('R 42.50');
  const add = page.getByRole('form', { name: 'Add variants' });
  const row = add.getByRole('group', { name: 'Variant 1' });
  await row.getByLabel('SKU', { exact: true }).fill(`${sku}-48`);
  await row.getByLabel('Pack size', { exact: true }).fill('48');
  await row.getByLabel('Price', { exact: true }).fill('69.90');
  await add.getByRole('button', { name: 'Add variants' }).click();
  await expect(page.getByRole('status')).toHaveText('Added 1 variant.');
  await expect(variants.getByRole('listitem')).toHaveCount(2);
  await expect(variants).toContainText(`${sku}-48`);
  await add.getByRole('group', { name: 'Variant 1' }).getByLabel('SKU', { exact: true }).fill(sku);
  await add.getByRole('group', { name: 'Variant 1' }).getByLabel('Pack size', { exact: true }).fill('96');
  await add.getByRole('group', { name: 'Variant 1' }).getByLabel('Price', { exact: true }).fill('99.00');
  await add.getByRole('button', { name: 'Add variants' }).click();
  await expect(add.getByRole('alert').filter({ hasText: 'Another variant already has that SKU.' })).toBeVisible();
  await expect(variants.getByRole('listitem')).toHaveCount(2);

  // A new category, and the product's details and ingredients changed to use it.
  await openNavItem(page, 'Catalogue');
  await page.getByRole('link', { name: 'Categories', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Categories' })).toBeVisible();
  const category = `E2E Throat ${id}`;
  await page.getByLabel('Name', { exact: true }).fill(category);
  await expect(page.getByLabel('Address', { exact: true })).toHaveValue(`e2e-throat-${id}`.toLowerCase());
  await page.getByRole('button', { name: 'Add category' }).click();
  await expect(page.getByRole('status')).toHaveText(`Added the category ${category}.`);
  await expect(page.getByRole('region', { name: 'Categories' })).toContainText(category);
  await page.getByLabel('Name', { exact: true }).fill(category);
  await page.getByRole('button', { name: 'Add category' }).click();
  await expect(page.locator('.field-error').filter({ hasText: 'Another category has that address.' })).toBeVisible();

  await page.goBack();
  await page.getByLabel('Search', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('list', { name: 'Products' }).getByRole('link', { name }).click();
  await page.getByRole('link', { name: 'Edit details' }).click();
  const details = page.getByRole('form', { name: 'Edit product' });
  await expect(details.getByLabel('Name', { exact: true })).toHaveValue(name);
  await details.getByRole('combobox', { name: 'Category', exact: true }).selectOption({ label: category });
  await details.getByLabel('Active ingredients', { exact: true }).fill('Benzocaine, Menthol');
  await details.getByLabel('Description', { exact: true }).fill('Soothes a sore throat.');
  await details.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('Benzocaine, Menthol', { exact: true })).toBeVisible();
  await expect(page.getByText('Soothes a sore throat.', { exact: true })).toBeVisible();
  await expect(page.getByText(category, { exact: true })).toBeVisible();

  // The master catalogue finds it.
  await openNavItem(page, 'Catalogue');
  await page.getByLabel('Search', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const products = page.getByRole('list', { name: 'Products' });
  await expect(products.getByRole('listitem')).toHaveCount(1);
  await expect(products.getByRole('link', { name })).toBeVisible();
  await expect(products.getByRole('listitem')).toContainText('Active');

  // An import with one bad row (line 3: no such category) imports nothing and says why.
  await page.getByRole('link', { name: 'Import CSV' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import products' })).toBeVisible();
  const csv = [
    'name,category,dosage_form,strength,schedule,requires_prescription,requires_consult,consult_fee_minor,consult_fee_currency,ingredients,description,sku,variant_strength,pack_size,price_minor,currency',
    `E2E Import Good ${id},allergy,tablet,10 mg,S1,no,no,,,Loratadine,Fine.,E2E-IMP-A-${id},10 mg,30,6500,ZAR`,
    `E2E Import Bad ${id},no-such-category,tablet,10 mg,S1,no,no,,,Loratadine,Broken.,E2E-IMP-B-${id},10 mg,30,6500,ZAR`,
  ].join('\n');
  await page.getByLabel('CSV content', { exact: true }).fill(csv);
  await page.getByLabel('Import nothing, and list every problem').check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Nothing was imported' })).toBeVisible();
  const report = page.getByRole('region', { name: 'Problems by line' });
  const bad = report.getByRole('row').filter({ hasText: 'no-such-category' });
  await expect(bad).toHaveCount(1);
  await expect(bad.getByRole('cell').nth(0)).toHaveText('3');
  await expect(bad.getByRole('cell').nth(1)).toHaveText('category');
});

test('a platform admin edits a questionnaire draft with a live preview', async ({ page }) => {
  test.setTimeout(90_000);
  const key = `e2e_${test.info().project.name}_${Date.now()}`;
  await signInAdmin(page);
  await openNavItem(page, 'Questionnaires');
  await expect(page.getByRole('heading', { level: 1, name: 'Questionnaires' })).toBeVisible();
  // The list fits the screen: nothing scrolls sideways, on a 360 px phone too.
  await expect(page.getByRole('region', { name: /^Versions of / }).first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    page.viewportSize()!.width,
  );
  const card = page.locator('.card').filter({ has: page.getByRole('heading', { level: 2, name: 'Medical history' }) });
  await expect(card.getByRole('region', { name: 'Versions of Medical history' })).toContainText('Published');
  // The first run starts a draft from the published version; later runs find it open.
  const openDraft = card.getByRole('link', { name: /^Edit the draft/ });
  const newDraft = card.getByRole('button', { name: /^New draft from version/ });
  await expect(openDraft.or(newDraft)).toBeVisible();
  if (await newDraft.isVisible()) {
    await newDraft.click();
  } else {
    await openDraft.click();
  }
  await expect(page.getByRole('heading', { level: 1, name: /^Medical history, version \d+$/ })).toBeVisible();
  const preview = page.getByRole('form', { name: 'Preview of the questionnaire' });
  await expect(preview.getByRole('group', { name: 'Do you smoke?' })).toBeVisible();

  // A new question, shown only to smokers.
  await page.getByRole('button', { name: 'Add a question' }).click();
  const added = page.getByRole('group', { name: /^Question \d+$/ }).last();
  await added.getByLabel('Key', { exact: true }).fill('Bad Key');
  await added.getByLabel('Question', { exact: true }).fill('How many cigarettes a day?');
  await added.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Number' });
  await added.getByLabel('Unit', { exact: true }).fill('a day');
  await added.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Only if smoker (Do you smoke?)' });
  await added.getByRole('combobox', { name: 'is answered' }).selectOption({ label: 'Yes' });

  // The preview follows the condition.
  const cigarettes = preview.getByLabel('How many cigarettes a day?');
  await expect(cigarettes).toHaveCount(0);
  await preview.getByRole('group', { name: 'Do you smoke?' }).getByLabel('Yes', { exact: true }).check();
  await expect(cigarettes).toBeVisible();
  await preview.getByRole('group', { name: 'Do you smoke?' }).getByLabel('No', { exact: true }).check();
  await expect(cigarettes).toHaveCount(0);

  // The server's messages show next to the question.
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(added).toContainText('The key must be 1 to 64 lower-case letters, digits or “_”.');
  await added.getByLabel('Key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved the draft of version \d+\.$/ })).toBeVisible();

  // Publishing asks first; here it is cancelled (other journeys rely on the published version).
  await page.getByRole('button', { name: 'Publish…' }).click();
  await expect(page.getByRole('heading', { name: /^Publish version \d+\?$/ })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: /^Publish version \d+\?$/ })).toHaveCount(0);

  // The question is removed again, so the draft stays like the published version.
  await page.reload();
  const lastKey = page.getByRole('group', { name: /^Question \d+$/ }).last().getByLabel('Key', { exact: true });
  await expect(lastKey).toHaveValue(key);
  await page.getByRole('button', { name: /^Remove question \d+$/ }).last().click();
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved the draft of version \d+\.$/ })).toBeVisible();
  await page.reload();
  await expect(lastKey).not.toHaveValue(key);
});
