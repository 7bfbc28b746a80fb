// The residents' learning site in headless Chromium at a phone's size, the whole "done when" of
// issue 7: sign in with a text-message code, follow a course to its end, pass its quiz, download the
// certificate, verify it on the public page, and see the skills figure move. Every learner page
// is checked with axe (no WCAG 2 A/AA violation), in the normal, large-text and high-contrast modes.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_LEARNER_PHONE } from '../../apps/server/src/demo/demo-data.ts';
import { expectAccessible } from './accessibility.ts';
import { launchChromium, signInAs, userWithRole } from './demo-session.ts';
import { PHONE } from './field-session.ts';
import { startE2eServer, type E2eServer } from './test-server.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium && process.env.CI) throw new Error(`Chromium not found at ${chromiumPath}`);
// Sign-in codes are read from the server's outbox, so this runs against its own server only.
const runs = hasChromium && !process.env.E2E_BASE_URL;

const COURSE = 'vssid';
const bank = parse(readFileSync(fileURLToPath(new URL(`../../content/courses/${COURSE}/quiz.yaml`, import.meta.url)), 'utf8')) as {
  questions: { text: string; options: { text: string; correct?: boolean }[] }[];
};
const SHOTS = process.env.SCREENSHOT_DIR;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

describe.skipIf(!runs)('learning site in a phone-sized browser', () => {
  let browser: Browser;
  let server: E2eServer;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let certificateCode = '';

  /** The skills figures of the demo learner's unit, as the dashboard reads them. */
  async function skillsTrained(): Promise<number> {
    const admin = userWithRole(server.users, 'city_admin');
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: admin.username, password: admin.password }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const body = (await (await fetch(`${base}/api/plans/hcmc-2026/indicators?unit=26740`, { headers: { cookie } })).json()) as { indicators: { id: string; numerator: number }[] };
    return body.indicators.find((i) => i.id === 'tap-huan-ky-nang-so')?.numerator ?? -1;
  }

  beforeAll(async () => {
    server = await startE2eServer();
    base = server.baseUrl;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: PHONE, locale: 'vi-VN', isMobile: true, hasTouch: true, serviceWorkers: 'allow', acceptDownloads: true });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the learning site under /learn/, apart from the officials’ app', async () => {
    const bare = await fetch(`${base}/learn`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/learn/');
    expect(await (await fetch(`${base}/learn/courses/vneid/lessons/vneid-la-gi`)).text()).toContain('<div id="learn-root">');
    expect((await fetch(`${base}/learn-sw.js`)).status).toBe(200);
  });

  it('lists the courses to anyone, accessibly, and opens a first lesson without signing in', async () => {
    await page.goto(`${base}/learn/`);
    await page.locator('.l-course-list li').first().waitFor();
    expect(await page.locator('.l-course-list li').count()).toBeGreaterThanOrEqual(10);
    await expectAccessible(page, 'course list');
    await shot(page, 'learn-01-courses');
    await page.getByRole('link', { name: 'Bảo hiểm xã hội số VssID' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bảo hiểm xã hội số VssID' }).waitFor();
    await expectAccessible(page, 'course outline');
    await page.getByRole('link', { name: /Bắt đầu học/ }).click();
    await page.locator('.l-prose').waitFor();
    await expectAccessible(page, 'first lesson, signed out');
    await shot(page, 'learn-02-lesson-anonymous');
  });

  it('transfers at most 100 KB for a lesson page without video, compressed, on a first visit', async () => {
    const fresh = await browser.newContext({ viewport: PHONE, serviceWorkers: 'block' });
    const lessonPage = await fresh.newPage();
    const cdp = await fresh.newCDPSession(lessonPage);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    let bytes = 0;
    const files: string[] = [];
    const urls = new Map<string, string>();
    cdp.on('Network.responseReceived', (e: { requestId: string; response: { url: string } }) => void urls.set(e.requestId, e.response.url));
    cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
      bytes += e.encodedDataLength;
      files.push(`${urls.get(e.requestId) ?? e.requestId}: ${e.encodedDataLength}`);
    });
    // A first lesson (open to all) with an infographic, as a resident opens it from a shared link.
    await lessonPage.goto(`${base}/learn/courses/an-toan-lua-dao/lessons/dau-hieu-va-quy-tac-vang`, { waitUntil: 'networkidle' });
    await lessonPage.locator('.l-prose img').first().waitFor();
    await lessonPage.waitForLoadState('networkidle');
    console.log(`lesson page: ${(bytes / 1024).toFixed(1)} KB over ${files.length} responses\n  ${files.join('\n  ')}`);
    expect(bytes).toBeLessThanOrEqual(100 * 1024);
    await fresh.close();
  }, 120_000);

  it('signs a resident in with a code sent to their phone, linked to their registry record', async () => {
    await page.goto(`${base}/learn/me`);
    await page.getByRole('link', { name: 'Đăng nhập bằng số điện thoại' }).click();
    await page.locator('#phone').fill(DEMO_LEARNER_PHONE);
    await expectAccessible(page, 'sign-in, phone');
    await shot(page, 'learn-03-sign-in');
    await page.getByRole('button', { name: 'Gửi mã đăng nhập' }).click();
    await page.locator('#code').waitFor();
    const code = server.texts.filter((t) => t.to === DEMO_LEARNER_PHONE).at(-1)?.text.match(/\d{6}/)?.[0] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await page.locator('#code').fill(code);
    await expectAccessible(page, 'sign-in, code');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(`${base}/learn/me`);
    await page.getByRole('heading', { name: /^Xin chào / }).waitFor();
    await expectAccessible(page, 'my digital citizenship');
    await shot(page, 'learn-04-me');
  });

  it('follows the course lesson by lesson, passes the quiz and downloads the certificate', async () => {
    const before = await skillsTrained();
    for (let lesson = 1; lesson <= 7; lesson++) {
      await page.goto(`${base}/learn/courses/${COURSE}`);
      await page.locator('.l-lessons').waitFor();
      const next = page.getByRole('link', { name: /^(Bắt đầu học|Học tiếp)/ });
      if ((await next.count()) === 0) break;
      expect(lesson, 'more lessons than the course has').toBeLessThan(7);
      await next.click();
      const done = page.getByRole('button', { name: 'Tôi đã học xong bài này' });
      await done.waitFor();
      if (lesson === 2) {
        await expectAccessible(page, 'lesson, signed in');
        await shot(page, 'learn-05-lesson');
      }
      await Promise.all([page.waitForResponse((r) => r.url().endsWith('/complete') && r.request().method() === 'POST'), done.click()]);
    }
    await page.goto(`${base}/learn/courses/${COURSE}`);
    await page.getByRole('link', { name: 'Làm bài kiểm tra' }).click();
    await page.locator('.l-question').first().waitFor();
    await expectAccessible(page, 'quiz');
    await shot(page, 'learn-06-quiz');
    // Answered from the course's question bank, as someone who learnt the lessons would.
    for (const fieldset of await page.locator('.l-question').all()) {
      const legend = (await fieldset.locator('legend').innerText()).replace(/^Câu \d+\.\s*/, '').trim();
      const question = bank.questions.find((q) => q.text.trim() === legend);
      expect(question, legend).toBeDefined();
      const right = question!.options.find((o) => o.correct)!.text;
      await fieldset.getByLabel(right, { exact: true }).check();
    }
    await page.getByRole('button', { name: 'Nộp bài' }).click();
    await page.getByRole('heading', { level: 1, name: 'Chúc mừng, bạn đã đạt!' }).waitFor();
    await expectAccessible(page, 'quiz result');
    await shot(page, 'learn-07-result');
    certificateCode = (await page.locator('.l-cert .l-code').first().innerText()).trim();
    expect(certificateCode).toMatch(/^CDS-/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải giấy chứng nhận (PDF)' }).click()]);
    const pdf = readFileSync((await download.path()) ?? '');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Passing wrote the skills fact: the plan's "trained in basic digital skills" counts one more.
    expect(await skillsTrained()).toBe(before + 1);
  }, 120_000);

  it('verifies the certificate on the public page from its QR address, and rejects an altered code', async () => {
    const visitor = await browser.newContext({ viewport: PHONE, locale: 'vi-VN' });
    const publicPage = await visitor.newPage();
    await publicPage.goto(`${base}/learn/verify/${certificateCode}`);
    await publicPage.getByRole('heading', { name: '✓ Giấy chứng nhận hợp lệ' }).waitFor();
    expect(await publicPage.locator('.l-verified').innerText()).toContain('Bảo hiểm xã hội số VssID');
    await expectAccessible(publicPage, 'verification, valid');
    await shot(publicPage, 'learn-08-verify');
    const altered = certificateCode.slice(0, -1) + (certificateCode.endsWith('A') ? 'B' : 'A');
    await publicPage.goto(`${base}/learn/verify/${altered}`);
    await publicPage.getByText('✗ Không hợp lệ.').waitFor();
    await expectAccessible(publicPage, 'verification, invalid');
    await visitor.close();
  }, 120_000);

  it('shows the skills element and the certificate on the resident’s own page, in large text and high contrast', async () => {
    await page.goto(`${base}/learn/me`);
    await page.getByText(certificateCode).waitFor();
    await page.getByRole('button', { name: /Chữ lớn/ }).click();
    await page.getByRole('button', { name: /Tương phản/ }).click();
    expect(await page.evaluate('[...document.documentElement.classList].sort()')).toEqual(['l-contrast', 'l-large']);
    await expectAccessible(page, 'my page, large text and high contrast');
    await shot(page, 'learn-09-me-contrast');
    // The choice is kept on the phone for the next visit.
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.evaluate("document.documentElement.classList.contains('l-large')")).toBe(true);
    await page.getByRole('button', { name: /Chữ lớn/ }).click();
    await page.getByRole('button', { name: /Tương phản/ }).click();
  }, 120_000);

  it('reads a lesson already opened without network', async () => {
    const lessonUrl = `${base}/learn/courses/${COURSE}/lessons/cai-dat-vssid`;
    await page.goto(lessonUrl);
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    // The worker keeps what passes once it controls the page: open the lesson again under it.
    await page.reload();
    await page.locator('.l-prose').waitFor();
    await page.waitForLoadState('networkidle');
    await context.setOffline(true);
    try {
      await page.reload();
      await page.locator('.l-prose').waitFor();
      expect(await page.locator('.l-prose').innerText()).toContain('VssID');
    } finally {
      await context.setOffline(false);
    }
  }, 120_000);

  it('lists competitions accessibly, to anyone', async () => {
    const visitor = await browser.newContext({ viewport: PHONE, locale: 'vi-VN' });
    const publicPage = await visitor.newPage();
    await publicPage.goto(`${base}/learn/competitions`);
    await publicPage.getByRole('heading', { level: 1, name: 'Thi đua học tập' }).waitFor();
    await publicPage.locator('main .l-card, main p.l-muted, main .l-alert').first().waitFor();
    await expectAccessible(publicPage, 'competitions');
    await shot(publicPage, 'learn-10-competitions');
    await visitor.close();
  });

  // The learner's account is the one the sign-in test above linked by phone: this file is one story, in order.
  it('shows the unit official which account holds the learner’s record; a cancelled decision gives the focus back; confirming verifies it', async () => {
    const { rows } = await server.pool.query<{ household_id: string; unit_code: string; user_id: string }>(
      'SELECT r.household_id, r.unit_code, u.id AS user_id FROM residents r JOIN users u ON u.province_code = r.province_code AND u.resident_id = r.id WHERE r.phone = $1',
      [DEMO_LEARNER_PHONE],
    );
    const learner = rows[0];
    expect(learner).toBeDefined();
    const official = server.users.find((u) => u.role === 'unit_official' && u.units.includes(learner!.unit_code));
    expect(official).toBeDefined();
    const desk = await browser.newContext({ locale: 'vi-VN' });
    try {
      const office = await desk.newPage();
      await signInAs(office, base, official!);
      await office.goto(`${base}/households/${learner!.household_id}`);
      const panel = office.locator('.record-account', { has: office.getByText(`#${learner!.user_id}`, { exact: true }) });
      // Signed in by the phone the registry holds for them: linked, not yet verified.
      await panel.getByText('gắn theo số điện thoại, chưa xác minh').waitFor({ timeout: 15_000 });
      await expectAccessible(office, 'household page with a learning account');
      for (const opener of ['Xác nhận đúng người', 'Gỡ liên kết']) {
        await panel.getByRole('button', { name: opener, exact: true }).click();
        // The decision opens in place of its button and takes the focus…
        expect(await office.evaluate('document.activeElement?.closest(".confirm-box") !== null')).toBe(true);
        await panel.getByRole('button', { name: 'Hủy', exact: true }).click();
        // …and cancelled, gives it back to that button, not to the top of the page.
        expect(await office.evaluate('document.activeElement?.textContent')).toBe(opener);
      }
      await panel.getByRole('button', { name: 'Xác nhận đúng người', exact: true }).click();
      await panel.getByRole('button', { name: 'Đã xem giấy tờ, xác nhận', exact: true }).click();
      await panel.getByRole('status').filter({ hasText: 'Đã xác nhận tài khoản là của người này.' }).waitFor();
      // The buttons it replaced are gone: the focus is on the message saying what happened.
      expect(await office.evaluate('document.activeElement?.getAttribute("role")')).toBe('status');
      await panel.getByText('cán bộ đã xác nhận').waitFor();
      expect(await panel.getByRole('button', { name: 'Xác nhận đúng người', exact: true }).count()).toBe(0);
      await shot(office, 'learn-11-official-confirmed-account');
    } finally {
      await desk.close();
    }
  }, 90_000);
});
