// Browser tests of the registry pages in Debian's Chromium. By default they start their own
// server (fresh database, small demo population, the built web app); with E2E_BASE_URL they run
// against a server that is already up (npx vitest run tests/e2e).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { foldVietnamese } from '@cds/domain';
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

  it('finds households by part of an address typed without diacritics, keeps the search in the address bar, and refuses one letter', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    try {
      await signInAs(page, BASE_URL, userWithRole(users, 'unit_official'));
      await householdPaths(page);
      const address = ((await page.locator('table tbody th a').first().textContent()) ?? '').trim();
      // The street, without its number, as a person types it on a phone: no diacritics, no capitals.
      const key = foldVietnamese((address.split(',')[0] ?? '').split(/\s+/).slice(1).join(' '));
      expect(key.length).toBeGreaterThan(5);
      const search = page.getByRole('searchbox', { name: 'Tìm theo địa chỉ hoặc mã hộ' });
      await search.fill('a');
      await search.press('Enter');
      await expect.poll(() => search.getAttribute('aria-invalid')).toBe('true');
      expect(((await page.locator('#hh-q-error').textContent()) ?? '').trim()).toBe('Nhập ít nhất 2 ký tự.');
      expect(new URL(page.url()).searchParams.get('q')).toBeNull();

      await search.fill(key);
      await search.press('Enter');
      await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(key);
      const shown = page.locator('table tbody th a');
      // The last list stays on screen until the search answers: wait for the answer.
      const matching = async () => (await shown.allTextContents()).every((a) => foldVietnamese(a).includes(key));
      await expect.poll(matching, { timeout: 15_000 }).toBe(true);
      expect(await shown.allTextContents()).toContain(address);

      // Back on the page from a shared link, the search is still there and still applied.
      await page.goto(page.url());
      await settle(page);
      expect(await search.inputValue()).toBe(key);
      await shown.first().waitFor({ timeout: 15_000 });
      expect(await matching()).toBe(true);
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

  it('offers the template of the chosen kind of list, once a kind is chosen', async () => {
    const context = await browser.newContext({ locale: 'vi-VN', acceptDownloads: true });
    const page = await context.newPage();
    try {
      await signInAs(page, BASE_URL, userWithRole(users, 'unit_official'));
      await page.goto(`${BASE_URL}/imports/new`);
      await page.locator('#import-source').waitFor({ timeout: 15_000 });
      const link = page.getByRole('link', { name: 'Tải tệp mẫu (Excel)' });
      expect(await link.count()).toBe(0);
      await page.locator('#import-source').selectOption('poverty_list');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe('mau-ho-ngheo-can-ngheo.xlsx');
      // An XLSX is a zip: it starts with PK.
      const stream = await download.createReadStream();
      const [first] = await stream.toArray();
      expect((first as Buffer).subarray(0, 2).toString()).toBe('PK');
    } finally {
      await context.close();
    }
  }, 150_000);

  it('opens the plans on the reader\'s own city\'s plan and takes a day typed as dd/mm/yyyy in an English browser', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      await signInAs(page, BASE_URL, userWithRole(users, 'city_admin'));
      await page.goto(`${BASE_URL}/plans`);
      await page.waitForURL(/\/plans\/hcmc-2026$/, { timeout: 15_000 });
      const options = await page.locator('#plan-picker option').allTextContents();
      expect(options.some((o) => o.includes('Hà Nội'))).toBe(false);
      const day = page.locator('#plan-as-of');
      await day.fill('');
      await day.pressSequentially('01092025');
      await page.waitForURL(/asOf=2025-09-01/, { timeout: 15_000 });
      expect(await day.inputValue()).toBe('01/09/2025');
      expect(await day.getAttribute('aria-invalid')).toBeNull();
      // 31 February: marked, kept on screen to be corrected after the field is left, never sent.
      await day.fill('');
      await day.pressSequentially('31022026');
      expect(await day.getAttribute('aria-invalid')).toBe('true');
      await page.locator('h1').first().click();
      expect(await day.inputValue()).toBe('31/02/2026');
      expect(new URL(page.url()).searchParams.get('asOf')).toBeNull();
    } finally {
      await context.close();
    }
  }, 150_000);

  // The forms share one way of showing messages (useFieldProblems): these five are built differently
  // (a form opened in a card, a one-field inline form, cross-field filters and dates, a custom unit choice).
  it('drops a message on the officials\' forms once its field is changed, and keeps the others until theirs are', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    const text = async (selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();
    try {
      // The city admin reaches all five.
      await signInAs(page, BASE_URL, userWithRole(users, 'city_admin'));

      // A fact about a household member: the value's message comes once a criterion is chosen.
      await page.goto(`${BASE_URL}${(await householdPaths(page))[0]}`);
      await page.getByRole('button', { name: 'Ghi nhận thông tin' }).first().click();
      const fact = page.locator('form.fact-form');
      await fact.getByRole('button', { name: 'Lưu thông tin' }).click();
      const indicatorError = fact.locator('[id$="-indicator-error"]');
      await expect.poll(() => indicatorError.textContent()).toBe('Vui lòng chọn tiêu chí.');
      await fact.locator('select[id$="-indicator"]').selectOption({ index: 1 });
      await expect.poll(() => indicatorError.count()).toBe(0);
      expect(await fact.locator('select[id$="-indicator"]').getAttribute('aria-invalid')).toBe('false');
      await fact.getByRole('button', { name: 'Lưu thông tin' }).click();
      const valueError = fact.locator('[id$="-value-error"]');
      await expect.poll(() => valueError.textContent()).toBe('Vui lòng chọn giá trị.');
      await fact.locator('select[id$="-value"]').selectOption({ index: 1 });
      await expect.poll(() => valueError.count()).toBe(0);

      // A search too short to send: the last search's answer goes with it, not left to read as this one's.
      await page.goto(`${BASE_URL}/residents`);
      await page.locator('#search-q').fill('zzzzqq');
      await page.locator('form[role="search"] button[type="submit"]').click();
      await expect.poll(() => page.locator('.state-empty').textContent()).toContain('zzzzqq');
      await page.locator('#search-q').fill('a');
      await page.locator('form[role="search"] button[type="submit"]').click();
      await expect.poll(() => text('#search-q-error')).toBe('Nhập ít nhất 2 ký tự.');
      expect(await page.locator('.state-empty').count()).toBe(0);

      // A neighbourhood with no name: typing one takes the message away before it is sent.
      await page.goto(`${BASE_URL}/units/26740`);
      await page.getByRole('button', { name: 'Thêm', exact: true }).click();
      await expect.poll(() => text('#nb-new-error')).toBe('Tên khu phố/ấp không được để trống.');
      await page.locator('#nb-new').fill('Khu phố thử');
      await expect.poll(() => page.locator('#nb-new-error').count()).toBe(0);
      expect(await page.locator('#nb-new').getAttribute('aria-invalid')).toBe('false');

      // The audit filters: the range's message stands under "to" and goes when either date changes.
      await page.goto(`${BASE_URL}/audit`);
      await page.locator('#audit-record').fill('abc');
      await page.locator('#audit-from').fill('02/05/2026');
      await page.locator('#audit-to').fill('01/05/2026');
      await page.getByRole('button', { name: 'Lọc', exact: true }).click();
      await expect.poll(() => text('#audit-to-error')).toBe('“Đến ngày” phải sau “Từ ngày”.');
      expect(await text('#audit-record-error')).toBe('Mã hồ sơ là một số nguyên dương.');
      await page.locator('#audit-from').fill('01/04/2026');
      await expect.poll(() => page.locator('#audit-to-error').count()).toBe(0);
      expect(await text('#audit-record-error')).toBe('Mã hồ sơ là một số nguyên dương.');
      await page.locator('#audit-record').fill('12');
      await expect.poll(() => page.locator('#audit-record-error').count()).toBe(0);

      // A competition's dates: the start date takes away "ends before it starts", not "no date chosen".
      await page.goto(`${BASE_URL}/learning/competitions`);
      await page.getByRole('button', { name: 'Tạo cuộc thi', exact: true }).click();
      await page.locator('#comp-title').fill('Cuộc thi thử');
      await page.locator('form.form-stack button[type="submit"]').click();
      await expect.poll(() => text('#comp-endsOn-error')).toBe('Chưa chọn ngày.');
      await page.locator('#comp-start').fill('10/06/2026');
      await expect.poll(() => page.locator('#comp-startsOn-error').count()).toBe(0);
      expect(await text('#comp-endsOn-error')).toBe('Chưa chọn ngày.');
      await page.locator('#comp-end').fill('01/06/2026');
      await page.locator('form.form-stack button[type="submit"]').click();
      await expect.poll(() => text('#comp-endsOn-error')).toBe('Ngày kết thúc phải từ ngày bắt đầu trở đi.');
      await page.locator('#comp-start').fill('20/05/2026');
      await expect.poll(() => page.locator('#comp-endsOn-error').count()).toBe(0);

      // The device delivery form, whose unit is the shared UnitSelect.
      await page.goto(`${BASE_URL}/devices/stock`);
      await page.getByRole('button', { name: 'Ghi nhận thiết bị nhận được' }).click();
      const delivery = page.locator('form[aria-labelledby="delivery-title"]');
      await delivery.locator('#delivery-quantity').fill('0');
      await delivery.locator('button[type="submit"]').click();
      await expect.poll(() => text('#delivery-pledge-error')).toBe('Vui lòng chọn cam kết tài trợ.');
      expect(await text('#delivery-quantity-error')).toBe('Số lượng ít nhất 1.');
      await delivery.locator('#delivery-quantity').fill('3');
      await expect.poll(() => page.locator('#delivery-quantity-error').count()).toBe(0);
      expect(await text('#delivery-pledge-error')).toBe('Vui lòng chọn cam kết tài trợ.');
      expect(await text('#delivery-unit-error')).toBe('Vui lòng chọn đơn vị.');
      const unit = delivery.locator('#delivery-unit');
      await expect.poll(() => unit.locator('option').count()).toBeGreaterThan(1);
      await unit.selectOption({ index: 1 });
      await expect.poll(() => page.locator('#delivery-unit-error').count()).toBe(0);
      expect(await unit.getAttribute('aria-invalid')).toBeNull();
      expect(await text('#delivery-pledge-error')).toBe('Vui lòng chọn cam kết tài trợ.');
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
