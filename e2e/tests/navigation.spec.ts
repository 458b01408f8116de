// Every navigation item of every role is reachable, also on a 360 px phone: there the bottom bar
// shows a few pages and a "More" sheet holds the others, Account and Sign out.
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, passTwoStepVerification, signIn } from './support';

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
// The phone size is set here: once is enough.
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'runs in the phone project');
});

const accounts = [
  { role: 'patient', email: 'patient@rxgate.test', staff: false },
  { role: 'doctor', email: 'doctor@rxgate.test', staff: true },
  { role: 'pharmacist', email: 'pharmacist@rxgate.test', staff: true },
  { role: 'clinic admin', email: 'clinic.admin@rxgate.test', staff: true },
  { role: 'platform admin', email: 'admin@rxgate.test', staff: true },
  { role: 'information officer', email: 'officer@rxgate.test', staff: true },
];

const bar = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const sheet = (page: Page) => page.getByRole('dialog', { name: 'More' });

async function openMore(page: Page) {
  await bar(page).getByRole('button', { name: 'More', exact: true }).click();
  await expect(sheet(page)).toBeVisible();
}

/** The names and addresses of the links in `where`. */
async function links(where: ReturnType<Page['locator']>) {
  const all = where.getByRole('link');
  const out: { name: string; href: string }[] = [];
  for (let i = 0; i < (await all.count()); i += 1) {
    const link = all.nth(i);
    out.push({ name: (await link.innerText()).trim().split('\n').pop()!.trim(), href: (await link.getAttribute('href'))! });
  }
  return out;
}

for (const account of accounts) {
  test(`a ${account.role} reaches every navigation item on a phone`, async ({ page }) => {
    // A page load per item: a dozen for a platform admin.
    test.setTimeout(90_000);
    await signIn(page, account.email, DEMO_PASSWORD);
    if (account.staff) await passTwoStepVerification(page, DEMO_TOTP_SECRET);
    await expect(page.getByTestId('signed-in-user')).toBeVisible();
    const more = bar(page).getByRole('button', { name: 'More', exact: true });
    await expect(more).toBeVisible();

    // At most four pages and "More" on the bar, all inside the screen: nothing scrolls sideways.
    const onBar = await links(bar(page));
    expect(onBar.length).toBeLessThanOrEqual(4);
    for (const item of await bar(page).getByRole('listitem').all()) {
      const box = (await item.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
    }

    // The sheet is a dialog that takes the focus, closes on Escape and gives the focus back.
    await more.click();
    await expect(sheet(page)).toBeVisible();
    await expect(more).toHaveAttribute('aria-expanded', 'true');
    expect(await sheet(page).evaluate((el) => el.contains(document.activeElement))).toBe(true);
    const inSheet = await links(sheet(page));
    expect(inSheet.map((l) => l.name)).toContain('Account');
    await expect(sheet(page).getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(sheet(page)).toBeHidden();
    await expect(more).toHaveAttribute('aria-expanded', 'false');
    await expect(more).toBeFocused();

    // Every item opens its page.
    for (const item of onBar) {
      await bar(page).getByRole('link', { name: item.name, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`${item.href}$`));
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Page not found' })).toHaveCount(0);
    }
    for (const item of inSheet) {
      await openMore(page);
      await sheet(page).getByRole('link', { name: item.name, exact: true }).click();
      // Going to a page closes the sheet.
      await expect(sheet(page)).toBeHidden();
      await expect(page).toHaveURL(new RegExp(`${item.href}$`));
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Page not found' })).toHaveCount(0);
    }

    // Sign out is in the sheet too.
    await openMore(page);
    await sheet(page).getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(bar(page).getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
  });
}
