// Browser tests of the registry pages in Debian's Chromium. By default they start their own
// server (fresh database, small demo population, the built web app); with E2E_BASE_URL they run
// against a server that is already up (npx vitest run tests/e2e).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations } from './accessibility.ts';
import { launchChromium, loadDemoUsers, settle, signInAs, userWithRole, type DemoUser } from './demo-session.ts';
import { startE2eServer, type E2eServer } from './test-server.ts';

let BASE_URL = (process.env.E2E_BASE_URL ?? '').replace(/\/$/, '');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Chromium (.ci/run); elsewhere a machine without it skips these tests, saying so.
const hasChromium = existsSync(chromiumPath);
if (!hasChromium && process.env.CI) throw new Error(`Chromium not found at ${chromiumPath}`);
if (!hasChromium) console.warn(`Browser tests skipped: no Chromium at ${chromiumPath}`);

/** Household links on the households page, in the order shown. */
async function householdPaths(page: Page): Promise<string[]> {
  await page.goto(`${BASE_URL}/households`);
  await settle(page);
  const links = page.locator('table a[href^="/households/"]');
  await links.first().waitFor({ timeout: 15_000 });
  return (await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))).filter(Boolean);
}

describe.skipIf(!hasChromium)('web app in a browser: registry pages', () => {
  let browser: Browser;
  let users: DemoUser[];
  let server: E2eServer | null = null;

  beforeAll(async () => {
    if (BASE_URL) {
      users = loadDemoUsers();
    } else {
      server = await startE2eServer();
      BASE_URL = server.baseUrl;
      users = server.users;
    }
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a unit official the members of a household with their citizen IDs masked', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    try {
      await signInAs(page, BASE_URL, userWithRole(users, 'unit_official'));
      // Children may have no ID yet: look through the first households until a member has one.
      let shown: string | null = null;
      let maskedFlag: string | null = null;
      for (const path of (await householdPaths(page)).slice(0, 5)) {
        await page.goto(`${BASE_URL}${path}`);
        await settle(page);
        await page.locator('.resident-card').first().waitFor({ timeout: 15_000 });
        const ids = page.locator('[data-field="citizenId"]');
        if ((await ids.count()) === 0) continue;
        shown = ((await ids.first().textContent()) ?? '').trim();
        maskedFlag = await ids.first().getAttribute('data-masked');
        break;
      }
      expect(shown, 'no household member with a citizen ID in the first households').not.toBeNull();
      // Masked: some digits replaced, never the whole 12-digit (or legacy 9-digit) number.
      expect(shown).toMatch(/[*•xX]/);
      expect(shown).not.toMatch(/^\d{9}$|^\d{12}$/);
      expect(maskedFlag).toBe('true');
    } finally {
      await context.close();
    }
  }, 150_000);

  it('shows a unit choice not yet made as such, and marks it invalid, described by its error, when the form is sent', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    try {
      await signInAs(page, BASE_URL, userWithRole(users, 'city_admin'));
      // The device stock's delivery form: its unit is the shared UnitSelect.
      await page.goto(`${BASE_URL}/devices/stock`);
      await settle(page);
      await page.getByRole('button', { name: 'Ghi nhận thiết bị nhận được' }).click();
      const unit = page.locator('#delivery-unit');
      await unit.waitFor({ timeout: 15_000 });
      expect(await unit.getAttribute('aria-invalid')).toBeNull();
      // Nothing chosen yet, and the choice says so rather than showing the first unit.
      await expect.poll(() => unit.locator('option:checked').textContent()).toBe('Chọn đơn vị');
      expect(await unit.inputValue()).toBe('');
      await page.locator('form[aria-labelledby="delivery-title"] button[type="submit"]').click();
      await expect.poll(() => unit.getAttribute('aria-invalid')).toBe('true');
      expect(await unit.getAttribute('aria-describedby')).toBe('delivery-unit-error');
      expect(((await page.locator('#delivery-unit-error').textContent()) ?? '').trim()).not.toBe('');
    } finally {
      await context.close();
    }
  }, 150_000);

  it('does not offer an analyst the households page in the navigation', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    try {
      await signInAs(page, BASE_URL, userWithRole(users, 'analyst'));
      const nav = page.locator('#main-nav nav');
      // The units page is there (so the navigation did render) and households are not.
      await expect.poll(() => nav.locator('a[href="/units"]').count()).toBe(1);
      expect(await nav.locator('a[href="/households"]').count()).toBe(0);
      expect(await nav.locator('a[href="/residents"]').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 150_000);

  it('names what the import form misses when it is sent, and drops each message once its field is changed', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    try {
      await signInAs(page, BASE_URL, userWithRole(users, 'unit_official'));
      await page.goto(`${BASE_URL}/imports/new`);
      await page.getByRole('button', { name: 'Tải lên và xem trước' }).click();
      const sourceError = page.locator('#import-source-error');
      const fileError = page.locator('#import-file-error');
      await expect.poll(() => sourceError.innerText()).toBe('Vui lòng chọn loại danh sách.');
      expect(await fileError.innerText()).toBe('Vui lòng chọn tệp.');
      expect(await page.locator('#import-source').getAttribute('aria-describedby')).toBe('import-source-error');
      await page.locator('#import-source').selectOption('residence_list');
      await expect.poll(() => sourceError.count()).toBe(0);
      expect(await page.locator('#import-source').getAttribute('aria-invalid')).toBe('false');
      // The other message stays until its own field changes.
      expect(await fileError.innerText()).toBe('Vui lòng chọn tệp.');
      await page.locator('#import-file').setInputFiles({ name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from('Họ và tên;Ngày sinh\nNguyễn Văn A;01/01/1990\n') });
      await expect.poll(() => fileError.count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 150_000);

  // Each role's own pages, as they look once their data has loaded; the public pages too.
  const pagesOf: Record<string, string[]> = {
    unit_official: ['/', '/households', 'first-household', '/residents', '/units/26740', '/units/26740/quality', '/imports', '/imports/new', '/plans', '/teams', '/campaign/progress', '/campaign/review', '/devices', '/devices/stock', '/devices/handovers', '/learning'],
    city_admin: ['/units', '/reports', '/devices/sponsors', '/learning/competitions', '/cong-khai/thiet-bi', '/cong-khai/tai-tro'],
    auditor: ['/audit'],
    citizen: ['/me'],
  };
  for (const [role, paths] of Object.entries(pagesOf)) {
    it(`breaks no WCAG 2 A or AA rule on the pages of the ${role} role`, async () => {
      const broken: string[] = [];
      const context = await browser.newContext({ locale: 'vi-VN' });
      const page = await context.newPage();
      try {
        await signInAs(page, BASE_URL, userWithRole(users, role));
        for (const path of paths) {
          const target = path === 'first-household' ? (await householdPaths(page))[0] : path;
          await page.goto(`${BASE_URL}${target}`);
          await settle(page);
          for (const violation of await accessibilityViolations(page)) broken.push(`${target}: ${violation}`);
        }
      } finally {
        await context.close();
      }
      expect(broken, broken.join('\n')).toEqual([]);
    }, 150_000);
  }
});
