// The SPA's code splitting (frontend/src/portals.rs): the public pages load the first WASM
// module only, and a portal's module arrives on the first visit to one of its pages, once.
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, openNavItem, signIn } from './support';

test('public pages load only the first module, and a portal loads its own once', async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    if (name.endsWith('.wasm')) wasm.push(name);
  });

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  expect(wasm).toEqual(['app_bg.wasm']);

  await signIn(page, 'patient@rxgate.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole('heading', { name: 'Patient portal', level: 1 })).toBeVisible();
  const splits = () => wasm.filter((name) => name.startsWith('split_'));
  expect(splits()).toEqual(['split_patient.wasm']);

  await openNavItem(page, 'Shop');
  await expect(page).toHaveURL(/\/patient\/shop$/);
  await expect(page.getByRole('heading', { name: 'Shop', level: 1 })).toBeVisible();
  await openNavItem(page, 'My health');
  await expect(page).toHaveURL(/\/patient\/health$/);
  // The portal's other pages came with its module: nothing more was fetched for them.
  expect(splits()).toEqual(['split_patient.wasm']);
});
