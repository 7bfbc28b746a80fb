// The field app in headless Chromium at a phone's size, against a whole server (or E2E_BASE_URL):
// a round recorded offline survives a reload from the service worker and arrives exactly once;
// the app stays usable over throttled 3G on a slow CPU.
import { existsSync } from 'node:fs';
import { luhnCheckDigit } from '@cds/domain/imei';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, loadDemoUsers, userWithRole, type DemoUser } from './demo-session.ts';
import { scheduleDemoHandover } from './field-handover-setup.ts';
import { PHONE, fieldSignIn, saveVisit } from './field-session.ts';
import { startE2eServer, type E2eServer } from './test-server.ts';

let BASE_URL = (process.env.E2E_BASE_URL ?? '').replace(/\/$/, '');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium && process.env.CI) throw new Error(`Chromium not found at ${chromiumPath}`);
if (!hasChromium) console.warn(`Browser tests skipped: no Chromium at ${chromiumPath}`);

/** Signs in through the API from Node and reads a household's stored visits, as an official's page would. */
async function visitsOf(official: DemoUser, householdId: number): Promise<{ clientVisitId: string; outcome: string }[]> {
  const login = await fetch(`${BASE_URL}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: official.username, password: official.password }) });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const res = await fetch(`${BASE_URL}/api/households/${householdId}/visits`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return (await res.json()) as { clientVisitId: string; outcome: string }[];
}

async function phoneContext(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'vi-VN', isMobile: true, hasTouch: true, serviceWorkers: 'allow' });
  return { context, page: await context.newPage() };
}

describe.skipIf(!hasChromium)('field app in a phone-sized browser', () => {
  let browser: Browser;
  let users: DemoUser[];
  let server: E2eServer | null = null;

  beforeAll(async () => {
    if (BASE_URL) users = loadDemoUsers();
    else {
      server = await startE2eServer();
      BASE_URL = server.baseUrl;
      users = server.users;
    }
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the field page under /field/, its manifest and its service worker', async () => {
    const bare = await fetch(`${BASE_URL}/field`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/field/');
    const deep = await fetch(`${BASE_URL}/field/ho/1`);
    expect(await deep.text()).toContain('<div id="field-root">');
    const officials = await fetch(`${BASE_URL}/households`);
    expect(await officials.text()).not.toContain('field-root');
    const manifest = await fetch(`${BASE_URL}/field.webmanifest`);
    expect(manifest.headers.get('content-type')).toMatch(/manifest\+json/);
    expect(await manifest.json()).toMatchObject({ name: 'Công dân số – Hiện trường', start_url: '/field/', scope: '/field/', display: 'standalone' });
    const worker = await fetch(`${BASE_URL}/field-sw.js`);
    expect(worker.headers.get('content-type')).toMatch(/javascript/);
  });

  it('names what an empty sign-in misses, and drops each message once its field is changed', async () => {
    const { context, page } = await phoneContext(browser);
    try {
      await page.goto(`${BASE_URL}/field/`);
      await page.locator('form button[type="submit"]').click();
      const messages = page.locator('form .f-error');
      await expect.poll(() => messages.allTextContents()).toEqual(['Nhập tên đăng nhập', 'Nhập mật khẩu']);
      expect(await page.locator('#f-username').getAttribute('aria-invalid')).toBe('true');
      await page.locator('#f-username').fill('volunteer');
      await expect.poll(() => messages.allTextContents()).toEqual(['Nhập mật khẩu']);
      expect(await page.locator('#f-username').getAttribute('aria-invalid')).toBe('false');
      expect(await page.locator('#f-password').getAttribute('aria-invalid')).toBe('true');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('keeps three visits recorded offline through a reload and stores each exactly once when back online', async () => {
    const { context, page } = await phoneContext(browser);
    try {
      await page.goto(`${BASE_URL}/field/`);
      await fieldSignIn(page, BASE_URL, userWithRole(users, 'volunteer'));
      // The service worker must control the page before the network goes, or a reload has nothing to come back from.
      await page.waitForFunction('navigator.serviceWorker.controller !== null', undefined, { timeout: 60_000 });
      const householdIds = (await page.locator('a.f-hh').evaluateAll((as) => as.map((a) => Number(a.getAttribute('data-household'))))).slice(0, 3);
      expect(householdIds.length).toBe(3);

      await context.setOffline(true);
      await saveVisit(page, { nth: 0, outcome: 'done', action: 'city_app_installed' });
      await saveVisit(page, { nth: 1, outcome: 'nobody_home' });
      await saveVisit(page, { nth: 2, outcome: 'done' });
      await expect.poll(() => page.locator('#f-waiting-badge').textContent()).toBe('3');

      const reloaded = await page.reload();
      expect(reloaded?.fromServiceWorker(), 'the page came back from the service worker').toBe(true);
      await page.locator('#f-search').waitFor({ timeout: 30_000 });
      await page.locator('#f-nav-outbox').click();
      expect(await page.locator('[data-count="waiting"]').textContent()).toBe('3');
      const clientIds = await page.locator('li[data-status="waiting"]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-visit') ?? ''));
      expect(clientIds.length).toBe(3);

      await context.setOffline(false);
      // The online event sends on its own. Chromium's emulated offline state is not always carried to a
      // reloaded document (navigator.onLine stays true, so no online event comes): then "Gửi ngay" sends.
      await page.waitForFunction('document.querySelector(\'[data-count="sent"]\')?.textContent === "3"', undefined, { timeout: 10_000 }).catch(async () => {
        await page.locator('#f-sync').click();
        await page.waitForFunction('document.querySelector(\'[data-count="sent"]\')?.textContent === "3"', undefined, { timeout: 30_000 });
      });
      expect(await page.locator('[data-count="waiting"]').textContent()).toBe('0');
      expect(await page.locator('[data-count="refused"]').textContent()).toBe('0');

      // A second send changes nothing, and each visit is on its household once.
      await page.locator('#f-sync').click();
      await page.locator('#f-sync:not([disabled])').waitFor();
      const official = userWithRole(users, 'city_admin');
      const stored = (await Promise.all(householdIds.map((id) => visitsOf(official, id)))).flat();
      for (const id of clientIds) expect(stored.filter((v) => v.clientVisitId === id).length, `visit ${id}`).toBe(1);
      expect(stored.filter((v) => clientIds.includes(v.clientVisitId)).map((v) => v.outcome).sort()).toEqual(['done', 'done', 'nobody_home']);
    } finally {
      await context.close();
    }
  }, 240_000);

  it('records a device handover offline with the recipient’s code, and the allocation is handed over once the phone is back online', async () => {
    const official = users.find((u) => u.role === 'unit_official' && u.units.length > 0)!;
    const due = await scheduleDemoHandover(BASE_URL, { admin: userWithRole(users, 'city_admin'), official, volunteer: userWithRole(users, 'volunteer') });
    const { context, page } = await phoneContext(browser);
    try {
      await fieldSignIn(page, BASE_URL, userWithRole(users, 'volunteer'));
      await page.locator(`[data-handover="${due.allocationId}"]`).waitFor({ timeout: 30_000 });
      await context.setOffline(true);
      await page.locator(`a.f-hh[data-household="${due.householdId}"]`).click();
      await page.locator(`[data-open-handover="${due.allocationId}"]`).click();
      // Checked on the phone first: a wrong check digit is named before anything is saved.
      await page.locator('#f-imei').fill('35 209900 176148 2');
      await page.locator('#f-save-handover').click();
      expect(await page.locator('#f-imei-status').textContent()).toMatch(/chữ số kiểm tra/);
      const body = `35209900${String(Date.now() % 1_000_000).padStart(6, '0')}`;
      const imei = `${body}${luhnCheckDigit(body)}`;
      await page.locator('#f-imei').fill(imei);
      await page.locator('#f-code').fill(due.code);
      await page.locator('#f-photo-skip').fill('Người nhận không muốn chụp ảnh');
      await page.locator('[data-consent="no"]').click();
      await page.locator('#f-save-handover').click();
      await page.locator('#f-search').waitFor();
      await expect.poll(() => page.locator('#f-waiting-badge').textContent()).toBe('1');

      await context.setOffline(false);
      await page.locator('#f-nav-outbox').click();
      await page.locator('#f-sync').click();
      await page.waitForFunction('document.querySelector(\'[data-count="sent"]\')?.textContent === "1"', undefined, { timeout: 30_000 });
      const login = await fetch(`${BASE_URL}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: official.username, password: official.password }) });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const allocation = (await (await fetch(`${BASE_URL}/api/devices/allocations/${due.allocationId}`, { headers: { cookie } })).json()) as { status: string; confirmation: string; imeiMasked: string };
      expect(allocation).toMatchObject({ status: 'handed_over', confirmation: 'code', imeiMasked: expect.stringMatching(new RegExp(`${imei.slice(-4)}$`)) });
      // The refreshed bundle no longer offers it.
      await page.locator('#f-nav-households').click();
      await expect.poll(() => page.locator(`[data-handover="${due.allocationId}"]`).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 240_000);

  it('signs in and lists the households over throttled 3G on a CPU four times slower', async () => {
    const { context, page } = await phoneContext(browser);
    try {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 100, downloadThroughput: (750 * 1024) / 8, uploadThroughput: (250 * 1024) / 8 });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      const started = Date.now();
      await page.goto(`${BASE_URL}/field/`, { timeout: 120_000 });
      await page.locator('#f-username').waitFor({ timeout: 120_000 });
      const signInShown = Date.now() - started;
      await fieldSignIn(page, BASE_URL, userWithRole(users, 'volunteer'), { timeout: 120_000 });
      await page.locator('a.f-hh').first().waitFor({ timeout: 60_000 });
      const listShown = Date.now() - started;
      expect(await page.locator('a.f-hh').count()).toBeGreaterThan(0);
      console.log(`field app over 3G, CPU ×4: sign-in form after ${signInShown} ms, households listed after ${listShown} ms (incl. typing)`);
    } finally {
      await context.close();
    }
  }, 300_000);
});
