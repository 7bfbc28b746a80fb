// Steps through the field app shared by its browser tests and screenshot script.
import type { Page } from 'playwright-core';

export const PHONE = { width: 360, height: 740 } as const;

/** Signs in through the field app's form and waits for the downloaded household list. */
export async function fieldSignIn(page: Page, baseUrl: string, user: { username: string; password: string }, options: { timeout?: number } = {}): Promise<void> {
  if (!page.url().includes('/field')) await page.goto(`${baseUrl}/field/`);
  await page.locator('#f-username').fill(user.username);
  await page.locator('#f-password').fill(user.password);
  await page.locator('form button[type="submit"]').click();
  await page.locator('#f-search').waitFor({ timeout: options.timeout ?? 30_000 });
}

/** Opens the nth household of the list, records a visit with this outcome (done: the first member at home, with consent) and saves it. */
export async function saveVisit(page: Page, options: { nth: number; outcome: 'done' | 'nobody_home' | 'refused' | 'moved_away'; action?: string }): Promise<void> {
  await page.locator('#f-nav-households').click();
  await page.locator('a.f-hh').nth(options.nth).click();
  await page.locator('#f-save').waitFor();
  await page.locator(`[data-outcome="${options.outcome}"]`).click();
  if (options.outcome === 'done') {
    await page.locator('#f-consent').check();
    await page.locator('[data-present]').first().check();
    if (options.action) {
      await page.locator('[data-expand]').first().click();
      await page.locator(`[data-action$=".${options.action}"]`).first().check();
    }
  }
  await page.locator('#f-save').click();
  await page.locator('#f-search').waitFor();
}
