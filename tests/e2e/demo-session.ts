// Shared by the screenshot script and the browser tests: who the demo users are, how to start
// Chromium, and how to sign in through the real sign-in form.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export type DemoUser = { username: string; password: string; role: string; units: string[] };

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The demo logins, as the CLI prints them (`npx cds demo-users --json`). */
export function loadDemoUsers(): DemoUser[] {
  const out = execFileSync('npx', ['cds', 'demo-users', '--json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  // npm may print notices before the JSON; the list starts at the first '['.
  const start = out.indexOf('[');
  if (start < 0) throw new Error(`cds demo-users printed no JSON: ${out.slice(0, 200)}`);
  const users = JSON.parse(out.slice(start)) as DemoUser[];
  if (!Array.isArray(users) || users.length === 0) throw new Error('cds demo-users returned no user');
  return users;
}

export function userWithRole(users: readonly DemoUser[], role: string): DemoUser {
  const user = users.find((u) => u.role === role);
  if (!user) throw new Error(`No demo user with role ${role}`);
  return user;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Waits until no loading indicator is left and the network has settled. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page
    .locator('.state-loading')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 })
    .catch(() => undefined);
}

/**
 * Signs in through the form. The server limits sign-ins per minute, so a 429 answer waits out the
 * window once and tries again rather than failing the run.
 */
export async function signInAs(page: Page, baseUrl: string, user: DemoUser): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    await page.goto(`${baseUrl}/sign-in`);
    await page.locator('#username').fill(user.username);
    await page.locator('#password').fill(user.password);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
    await page.locator('form button[type="submit"]').click();
    const response = await answer;
    if (response.ok()) {
      await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
      await settle(page);
      return;
    }
    if (response.status() !== 429 || attempt > 0) {
      throw new Error(`Sign-in as ${user.username} failed: HTTP ${response.status()}`);
    }
    await page.waitForTimeout(61_000);
  }
}
