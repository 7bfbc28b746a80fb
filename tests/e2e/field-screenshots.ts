// Pictures of every field app screen at a phone's size (360×740), for a person to look at:
//   npx tsx tests/e2e/field-screenshots.ts       (BASE_URL defaults to http://127.0.0.1:3000)
// FIELD_MOCK=1 answers the field API from tests/e2e/field-mock-api.ts (a fixed, readable bundle);
// otherwise the real server's devices, bundle and sync are used.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from './demo-session.ts';
import { mockFieldApi } from './field-mock-api.ts';
import { PHONE, fieldSignIn, saveVisit } from './field-session.ts';

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const mock = process.env.FIELD_MOCK === '1';
const OUT_DIR = fileURLToPath(new URL(mock ? '../../screenshots/field-mock/' : '../../screenshots/field/', import.meta.url));

/**
 * The screen as the volunteer sees it; a long page as a series of screens scrolled down (a/b/c…),
 * since a full-page capture draws the fixed bottom bar and sticky save button in mid-page.
 */
async function shot(page: Page, name: string, long = false): Promise<void> {
  await page.waitForTimeout(250);
  const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  const note = width > PHONE.width ? `  (!) page is ${width}px wide` : '';
  if (!long) {
    await page.screenshot({ path: `${OUT_DIR}${name}.png` });
    console.log(`${name}.png${note}`);
    return;
  }
  const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
  const step = PHONE.height - 160;
  const parts = Math.min(6, Math.ceil((height - PHONE.height) / step) + 1);
  for (let i = 0; i < parts; i++) {
    await page.evaluate(`window.scrollTo(0, ${i * step})`);
    await page.waitForTimeout(100);
    await page.screenshot({ path: `${OUT_DIR}${name}-${'abcdef'[i]}.png` });
  }
  await page.evaluate('window.scrollTo(0, 0)');
  console.log(`${name}-[a-${'abcdef'[parts - 1]}].png${note}`);
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, locale: 'vi-VN', isMobile: true, hasTouch: true });
  if (mock) await mockFieldApi(context, { refuse: (v) => (v.householdId === 104 ? 'Hộ này không được giao cho bạn' : null) });
  const page = await context.newPage();
  try {
    await page.goto(`${BASE_URL}/field/`);
    await page.locator('#f-username').waitFor();
    await shot(page, '01-sign-in');
    await page.locator('form button[type="submit"]').click();
    await shot(page, '02-sign-in-empty');
    await page.locator('#f-username').fill('volunteer');
    await page.locator('#f-password').fill('wrong-password');
    await page.locator('form button[type="submit"]').click();
    await page.locator('.f-error[role="alert"]').waitFor();
    await shot(page, '03-sign-in-wrong');

    await fieldSignIn(page, BASE_URL, { username: 'volunteer', password: 'volunteer-demo-2026' });
    await shot(page, '04-households');
    await page.locator('[data-filter="not_visited"]').click();
    await shot(page, '05-households-not-visited');
    await page.locator('[data-filter="needs_return"]').click();
    await shot(page, '06-households-needs-return');
    await page.locator('[data-filter="all"]').click();
    await page.locator('#f-search').fill('hong');
    await shot(page, '07-households-search');
    await page.locator('#f-search').fill('');

    const first = page.locator('a.f-hh').first();
    await first.click();
    await page.locator('#f-save').waitFor();
    await shot(page, '08-visit-empty');
    await page.locator('#f-save').click();
    await shot(page, '09-visit-no-outcome');
    await page.locator('[data-outcome="done"]').click();
    await shot(page, '10-visit-done-no-consent', true);
    await page.locator('#f-consent').check();
    await shot(page, '11-visit-consent', true);
    await page.locator('[data-present]').first().check();
    await page.locator('[data-expand]').first().click();
    await shot(page, '12-visit-member-open', true);
    await page.locator('[data-action$=".trained"]').first().check();
    await page.locator('#f-add-person').click();
    await page.locator('[data-need="help"]').check();
    await page.locator('#f-save').click();
    await shot(page, '13-visit-errors', true);
    await page.locator('[data-topic]').first().fill('Nộp hồ sơ trên Cổng Dịch vụ công');
    await page.locator('[data-np="fullName"]').fill('Nguyễn Thị Lan');
    await page.locator('[data-np="birthYear"]').fill('1999');
    await page.locator('[data-np="relationToHead"]').selectOption('relative');
    await page.locator('#f-help').fill('Cài ứng dụng ngân hàng cho mẹ');
    await shot(page, '14-visit-filled', true);

    // A day offline: visits are saved on the phone and wait.
    await context.setOffline(true);
    await page.locator('#f-save').click();
    await page.locator('#f-search').waitFor();
    await shot(page, '15-households-saved-offline');
    await saveVisit(page, { nth: 1, outcome: 'nobody_home' });
    await page.locator('#f-nav-new').click();
    await page.locator('#f-address').fill('Nhà trọ 7, hẻm 42/9 Lê Lợi');
    await page.locator('[data-outcome="done"]').click();
    await page.locator('#f-consent').check();
    await page.locator('#f-add-person').click();
    await page.locator('[data-np="fullName"]').fill('Võ Văn Tài');
    await page.locator('[data-np="birthYear"]').fill('2003');
    await page.locator('[data-np="relationToHead"]').selectOption('head');
    await page.locator('[data-need="device"]').check();
    await shot(page, '16-new-household', true);
    await page.locator('#f-save').click();
    await page.locator('#f-search').waitFor();
    await saveVisit(page, { nth: 3, outcome: 'done' });
    await page.locator('#f-nav-outbox').click();
    await shot(page, '17-outbox-waiting-offline', true);

    await context.setOffline(false);
    await page.locator('[data-count="waiting"]', { hasText: /^0$/ }).waitFor({ timeout: 20_000 }).catch(() => undefined);
    await shot(page, '18-outbox-after-sync');
    await page.locator('[data-tab="sent"]').click();
    await shot(page, '19-outbox-sent', true);
    await page.locator('[data-tab="refused"]').click();
    await shot(page, '20-outbox-refused', true);
    await page.locator('#f-nav-households').click();
    await shot(page, '21-households-after-day');

    // The session runs out: the next sync asks for a new sign-in and keeps the outbox.
    await context.clearCookies();
    await saveVisit(page, { nth: 0, outcome: 'refused' });
    await page.locator('#f-block').waitFor({ timeout: 20_000 }).catch(() => undefined);
    await shot(page, '22-session-expired');

    const joinPage = await context.newPage();
    await joinPage.goto(`${BASE_URL}/field/join#short`);
    await shot(joinPage, '23-join-bad-link');
    if (mock) {
      await joinPage.goto(`${BASE_URL}/field/join#${'x'.repeat(32)}`);
      await joinPage.reload();
      await joinPage.locator('#f-join-displayName').waitFor();
      await shot(joinPage, '24-join');
      await joinPage.locator('#f-join-username').fill('Lan Anh');
      await joinPage.locator('form button[type="submit"]').click();
      await shot(joinPage, '25-join-invalid');
    }
  } finally {
    await browser.close();
  }
}

await main();
