import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, passTwoStepVerification, signIn } from './support';

/** Today in the browser's time zone as an `<input type="date">` value. */
const today = () => {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

test('the information officer reads actors by name, filters by one and a day range, and exports it as CSV', async ({ page }) => {
  // A sign-in with the second factor, possibly waiting for the next TOTP step.
  test.setTimeout(90_000);
  await signIn(page, 'officer@rxgate.test', DEMO_PASSWORD);
  await passTwoStepVerification(page, DEMO_TOTP_SECRET);
  await page.goto('/officer/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();

  // The officer's own sign-in is in the log, under their name, not a role and an id.
  const events = page.getByRole('region', { name: 'Audit events' });
  const mine = events.getByRole('button', { name: 'Show only events by Information Officer' });
  await expect(mine.first()).toBeVisible();

  // Every column fits: the last one (IP) is inside the table's visible box at 1280 px.
  if ((page.viewportSize()?.width ?? 0) >= 1280) {
    const region = await events.boundingBox();
    const ip = await events.getByRole('columnheader', { name: 'IP' }).boundingBox();
    expect(ip && region && ip.x + ip.width <= region.x + region.width).toBeTruthy();
  }

  // Picking an actor filters by them: every actor left in the table is the officer.
  await mine.first().click();
  await expect(page.getByTestId('actor-filter')).toContainText('Information Officer');
  const actors = events.locator('td.actor button');
  await expect(actors.first()).toBeVisible();
  for (const name of await actors.allTextContents()) expect(name).toBe('Information Officer');

  // The export needs a range; with today as both days it downloads the filtered events.
  const exportButton = page.getByRole('button', { name: 'Export CSV', exact: true });
  await expect(exportButton).toBeDisabled();
  await page.getByLabel('From', { exact: true }).fill(today());
  await page.getByLabel('To', { exact: true }).fill(today());
  await page.getByRole('button', { name: 'Apply filters', exact: true }).click();
  await expect(actors.first()).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-\d{8}-\d{8}\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  const [header, ...rows] = csv.trim().split(/\r?\n/);
  expect(header.split(',').slice(0, 7)).toEqual([
    'seq', 'occurred_at', 'actor_id', 'actor_name', 'actor_email', 'acting_role', 'action',
  ]);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row).toContain('officer@rxgate.test');
  await expect(page.getByText('Exported.', { exact: true })).toBeVisible();

  // Clearing the actor shows everyone's events again.
  await page.getByRole('button', { name: 'Stop filtering by Information Officer' }).click();
  await expect(page.getByTestId('actor-filter')).toHaveCount(0);
});
