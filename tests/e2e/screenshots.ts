// Visits every page of the web app as each demo role, at desktop and phone sizes, and saves PNGs
// to screenshots/ for a person to look at. Run against a running server:
//   npx tsx tests/e2e/screenshots.ts            (BASE_URL defaults to http://127.0.0.1:3000)
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, loadDemoUsers, settle, signInAs, type DemoUser } from './demo-session.ts';

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const OUT_DIR = fileURLToPath(new URL('../../screenshots/', import.meta.url));

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
type Viewport = (typeof VIEWPORTS)[number];

type Shot = {
  name: string;
  /** A path, or a function that finds one (e.g. the first household the user may see). */
  path: string | ((page: Page) => Promise<string>);
  /** Something to do on the page before the picture: open a panel, fill a form. */
  act?: (page: Page, viewport: Viewport) => Promise<void>;
  only?: Viewport['name'];
  /** The visible screen only (an open menu), rather than the whole page. */
  screenOnly?: boolean;
  /** The interface language for this picture; Vietnamese unless said. */
  lang?: 'vi' | 'en';
};

async function firstHouseholdPath(page: Page): Promise<string> {
  const id = await page.evaluate(async () => {
    const res = await fetch('/api/households?limit=1', { credentials: 'same-origin' });
    if (!res.ok) return null;
    const body = (await res.json()) as { items: { id: number }[] };
    return body.items[0]?.id ?? null;
  });
  if (id === null) throw new Error('No household visible to this user');
  return `/households/${id}`;
}

// A small office list with the usual trouble: a title block, semicolons, a bad date, an old ward
// name now split between two wards, a person without ID who may already be in the register.
const SAMPLE_CSV = [
  'UBND PHƯỜNG SÀI GÒN;;;;;',
  'DANH SÁCH NHÂN KHẨU CƯ TRÚ;;;;;',
  ';;;;;',
  'STT;Họ và tên;Ngày sinh;Giới tính;Số CCCD;Địa chỉ thường trú',
  '1;Nguyễn Văn Hùng;12/03/1985;Nam;079085001234;12 Lê Lợi, P. Bến Nghé, Q.1',
  '2;Trần Thị Mai;31/02/1990;Nữ;;45 Pasteur, Phường Bến Nghé, Quận 1',
  '3;Lê Minh Tuấn;05/07/1978;Nam;;88 Nguyễn Thái Bình, P. Nguyễn Thái Bình, Q.1',
  '4;Bùi Bích Châu;15/06/1965;Nữ;;10 Lý Tự Trọng, P. Bến Nghé, Q.1',
].join('\r\n');

/**
 * The newest import the user may see, and optionally one tab of its rows. On a fresh server with no
 * import yet, one is made from SAMPLE_CSV through the API (as the pages would) and waited for.
 */
function importPath(status?: string) {
  return async (page: Page): Promise<string> => {
    // No named functions inside: tsx would wrap them in a helper the browser does not have.
    const id = await page.evaluate(async (csv) => {
      const list = await fetch('/api/imports?limit=1', { credentials: 'same-origin' });
      if (!list.ok) return null;
      const found = ((await list.json()) as { items: { id: number }[] }).items[0];
      if (found) return found.id;
      const session = (await (await fetch('/api/auth/session', { credentials: 'same-origin' })).json()) as { csrfToken: string };
      const headers = { 'x-csrf-token': session.csrfToken };
      const preview = await fetch('/api/imports/files?name=danh-sach-cu-tru.csv&source=residence_list', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { ...headers, 'content-type': 'application/octet-stream' },
        body: csv,
      });
      if (!preview.ok) return null;
      const { fileId } = (await preview.json()) as { fileId: string };
      const started = await fetch('/api/imports', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ fileId, sourceType: 'residence_list' }),
      });
      if (!started.ok) return null;
      const batch = (await started.json()) as { id: number };
      for (let i = 0; i < 60; i++) {
        const res = await fetch(`/api/imports/${batch.id}`, { credentials: 'same-origin' });
        if (res.ok && ((await res.json()) as { status: string }).status !== 'running') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      return batch.id;
    }, SAMPLE_CSV);
    if (id === null) throw new Error('No import visible to this user, and none could be made');
    return `/imports/${id}${status ? `?status=${status}` : ''}`;
  };
}

/** Step 1 filled in and sent: the page shows the column matching (nothing is imported). */
async function uploadSample(page: Page): Promise<void> {
  await page.locator('#import-source').selectOption('residence_list');
  await page.locator('#import-file').setInputFiles({ name: 'danh-sach-cu-tru.csv', mimeType: 'text/csv', buffer: Buffer.from(SAMPLE_CSV, 'utf8') });
  await page.locator('.upload-form button[type="submit"]').click();
  await page.locator('.mapping-table').waitFor({ timeout: 15_000 });
}

async function clickIfPresent(page: Page, selector: string): Promise<void> {
  const el = page.locator(selector).first();
  if ((await el.count()) > 0) {
    await el.click();
    await settle(page);
  }
}

/** The language choice lives in localStorage, as for a returning visitor; set before the page loads. */
async function setLanguage(page: Page, lang: 'vi' | 'en'): Promise<void> {
  // Runs in the browser; the cast stands in for the DOM types this Node-side file does not load.
  await page.evaluate((l) => {
    (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem('cds.lang', l);
  }, lang);
}

const openMenu = async (page: Page, viewport: Viewport) => {
  if (viewport.name === 'phone') await page.locator('.menu-toggle').click();
};

function shotsFor(user: DemoUser): Shot[] {
  const unit = user.units[0] ?? '26740';
  switch (user.role) {
    case 'city_admin':
      return [
        { name: 'units', path: '/units' },
        {
          name: 'units-filtered',
          path: '/units',
          act: async (p) => {
            await p.locator('#unit-filter').fill('phu');
            await p.waitForTimeout(600);
          },
        },
        { name: 'units-en', path: '/units', lang: 'en' },
        { name: 'unit', path: `/units/${unit}` },
        { name: 'unit-en', path: `/units/${unit}`, lang: 'en' },
        { name: 'households', path: '/households' },
        { name: 'household', path: firstHouseholdPath, act: async (p) => clickIfPresent(p, '.element-badge') },
        { name: 'household-en', path: firstHouseholdPath, lang: 'en', act: async (p) => clickIfPresent(p, '.element-badge') },
        { name: 'household-history', path: firstHouseholdPath, act: async (p) => clickIfPresent(p, '.resident-actions .btn-ghost') },
        {
          name: 'household-fact-form',
          path: firstHouseholdPath,
          act: async (p) => {
            await clickIfPresent(p, '.resident-actions .btn-secondary');
            await clickIfPresent(p, '.fact-form button[type="submit"]');
          },
        },
        { name: 'residents-empty', path: '/residents' },
        { name: 'residents', path: `/residents?unit=${unit}&q=nguyen` },
        { name: 'residents-none', path: `/residents?unit=${unit}&q=zzzzqqq` },
        { name: 'audit', path: '/audit' },
        { name: 'audit-en', path: '/audit', lang: 'en' },
        { name: 'imports', path: '/imports' },
        { name: 'imports-new', path: '/imports/new' },
        { name: 'not-found', path: '/no-such-page' },
        { name: 'menu-open', path: '/units', act: openMenu, only: 'phone', screenOnly: true },
      ];
    case 'unit_official':
      return [
        { name: 'units', path: '/units' },
        { name: 'unit', path: `/units/${unit}` },
        {
          name: 'unit-add-invalid',
          path: `/units/${unit}`,
          act: async (p) => {
            await p.locator('#nb-new').fill('   ');
            await p.locator('#nb-new').press('Enter');
          },
        },
        { name: 'unit-rename', path: `/units/${unit}`, act: async (p) => clickIfPresent(p, '.nb-actions .btn:first-child') },
        { name: 'unit-merge', path: `/units/${unit}`, act: async (p) => clickIfPresent(p, '.nb-actions .btn:nth-child(2)') },
        { name: 'unit-filtered', path: `/units/${unit}?poverty=poor` },
        { name: 'household', path: firstHouseholdPath, act: async (p) => clickIfPresent(p, '.element-badge:not(.state-met)') },
        { name: 'household-revealed', path: firstHouseholdPath, act: async (p) => clickIfPresent(p, '.masked .btn-link') },
        { name: 'residents', path: `/residents?unit=${unit}&q=tran` },
        { name: 'audit-forbidden', path: '/audit' },
        { name: 'imports', path: '/imports' },
        { name: 'imports-new-invalid', path: '/imports/new', act: async (p) => p.locator('.upload-form button[type="submit"]').click() },
        { name: 'imports-mapping', path: '/imports/new', act: async (p) => uploadSample(p) },
        {
          name: 'imports-mapping-missing',
          path: '/imports/new',
          act: async (p) => {
            await uploadSample(p);
            await p.locator('.mapping-field select').nth(1).selectOption('');
          },
        },
        { name: 'import-review', path: importPath() },
        { name: 'import-rejected', path: importPath('rejected') },
        { name: 'import-applied', path: importPath('applied') },
        { name: 'import-review-en', path: importPath(), lang: 'en' },
      ];
    case 'analyst':
      return [
        { name: 'units', path: '/units' },
        { name: 'households-forbidden', path: '/households' },
        { name: 'menu-open', path: '/units', act: openMenu, only: 'phone', screenOnly: true },
      ];
    case 'team_leader':
      return [
        { name: 'units', path: '/units' },
        { name: 'unit', path: `/units/${unit}` },
        { name: 'households', path: '/households' },
        { name: 'household', path: firstHouseholdPath, act: async (p) => clickIfPresent(p, '.element-badge') },
        { name: 'imports-forbidden', path: '/imports' },
      ];
    case 'volunteer':
      return [
        { name: 'households', path: '/households' },
        { name: 'household', path: firstHouseholdPath, act: async (p) => clickIfPresent(p, '.element-badge') },
      ];
    case 'auditor':
      return [
        { name: 'audit', path: '/audit' },
        { name: 'audit-filtered', path: '/audit?action=reveal' },
        {
          name: 'audit-invalid',
          path: '/audit',
          act: async (p) => {
            await p.locator('#audit-record').fill('abc');
            await p.locator('.filter-form button[type="submit"]').click();
          },
        },
      ];
    case 'citizen':
      return [{ name: 'me', path: '/me' }, { name: 'me-en', path: '/me', lang: 'en' }, { name: 'menu-open', path: '/me', act: openMenu, only: 'phone', screenOnly: true }];
    default:
      return [{ name: 'home', path: '/' }];
  }
}

async function take(page: Page, viewport: Viewport, file: string, screenOnly = false): Promise<void> {
  // A full-page capture of a scrolled page draws the sticky top bar mid-page; start from the top.
  if (!screenOnly) await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: `${OUT_DIR}${viewport.name}-${file}.png`, fullPage: !screenOnly });
  console.log(`  ${viewport.name}-${file}.png`);
}

async function signInPageShots(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await page.goto(`${BASE_URL}/sign-in`);
    await settle(page);
    await take(page, viewport, 'signin');
    await page.locator('form button[type="submit"]').click();
    await take(page, viewport, 'signin-missing');
  }
  // One wrong password only: the server counts failures towards a lock.
  const viewport = VIEWPORTS[1];
  await page.setViewportSize({ width: viewport.width, height: viewport.height });
  await page.locator('#username').fill('khong-ton-tai');
  await page.locator('#password').fill('sai-mat-khau');
  await page.locator('form button[type="submit"]').click();
  await page.locator('.form-error').waitFor({ timeout: 10_000 }).catch(() => undefined);
  await take(page, viewport, 'signin-error');
  await page.close();
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const users = loadDemoUsers();
  const browser = await launchChromium();
  let failures = 0;
  try {
    const anonymous = await browser.newContext({ locale: 'vi-VN' });
    console.log('anonymous');
    await signInPageShots(anonymous);
    await anonymous.close();

    // One sign-in per role (the server limits sign-ins per minute), both sizes in the same session.
    const seen = new Set<string>();
    for (const user of users) {
      if (seen.has(user.role)) continue;
      seen.add(user.role);
      console.log(`${user.role} (${user.username})`);
      const context = await browser.newContext({ locale: 'vi-VN', viewport: VIEWPORTS[0] });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`  page error: ${error.message}`));
      try {
        await signInAs(page, BASE_URL, user);
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          for (const shot of shotsFor(user)) {
            if (shot.only && shot.only !== viewport.name) continue;
            try {
              const path = typeof shot.path === 'string' ? shot.path : await shot.path(page);
              await setLanguage(page, shot.lang ?? 'vi');
              await page.goto(`${BASE_URL}${path}`);
              await settle(page);
              if (shot.act) {
                await shot.act(page, viewport);
                await settle(page);
              }
              await take(page, viewport, `${user.role}-${shot.name}`, shot.screenOnly);
            } catch (error) {
              failures++;
              console.error(`  FAILED ${viewport.name} ${user.role} ${shot.name}: ${(error as Error).message}`);
            }
          }
        }
      } catch (error) {
        failures++;
        console.error(`  FAILED ${user.role}: ${(error as Error).message}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log(failures === 0 ? `Done: screenshots in ${OUT_DIR}` : `Done with ${failures} failure(s); screenshots in ${OUT_DIR}`);
  if (failures > 0) process.exitCode = 1;
}

await main();
