import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '@cds/db';
import { sql } from 'drizzle-orm';
import { UNIT_A, createTestApp, makeUser, signIn, type TestContext } from '../../test/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ loginAttemptsBeforeLock: 3, lockMinutes: 15 });
});
afterAll(async () => ctx?.close());

const login = (username: string, password: string) => ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('POST /api/auth/login', () => {
  it('sets an httpOnly SameSite=Strict session cookie and returns the CSRF token and the user', async () => {
    const user = await makeUser(ctx, 'unit_official', { units: [UNIT_A] });
    const response = await login(user.username, user.password);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'cds_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    const body = response.json();
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(body.user).toMatchObject({ username: user.username, role: 'unit_official', units: [{ code: UNIT_A, name: 'Phường Sài Gòn' }] });
  });

  it('accepts the username in any case', async () => {
    const user = await makeUser(ctx, 'analyst');
    expect((await login(user.username.toUpperCase(), user.password)).statusCode).toBe(200);
  });

  it('answers a wrong password and an unknown user alike, in Vietnamese', async () => {
    const user = await makeUser(ctx, 'analyst');
    const wrong = await login(user.username, 'not-the-password');
    const unknown = await login('nobody-here', 'whatever');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error).toEqual(unknown.json().error);
    expect(wrong.json().error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Tên đăng nhập hoặc mật khẩu không đúng' });
  });

  it('locks the account after repeated failures, even for the right password, until the lock ends', async () => {
    const user = await makeUser(ctx, 'analyst');
    await login(user.username, 'x1');
    await login(user.username, 'x2');
    const third = await login(user.username, 'x3');
    expect(third.statusCode).toBe(423);
    const right = await login(user.username, user.password);
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('ACCOUNT_LOCKED');
    await ctx.deps.db.execute(sql`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = ${user.id}`);
    expect((await login(user.username, user.password)).statusCode).toBe(200);
  });

  it('rejects a body without a password with the field named', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'a' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect(response.json().error.issues[0].path).toBe('body.password');
  });
});

describe('login rate limit', () => {
  it('answers 429 once one address has tried one username too often', async () => {
    const limited = await createTestAppWithRate(3);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'target', password: `p${i}` } })).statusCode);
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses[3]).toBe(429);
      const other = await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'someone-else', password: 'p' } });
      expect(other.statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});

async function createTestAppWithRate(perMinute: number) {
  return createTestApp({ loginRatePerMinute: perMinute });
}

describe('sessions and CSRF', () => {
  it('refuses a write without the CSRF token and accepts it with the token', async () => {
    const user = await makeUser(ctx, 'unit_official', { units: [UNIT_A] });
    const session = await signIn(ctx, user);
    const without = await ctx.app.inject({
      method: 'POST',
      url: `/api/units/${UNIT_A}/neighbourhoods`,
      cookies: { cds_session: session.cookie },
      payload: { name: 'Khu phố CSRF' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CSRF_INVALID');
    const withToken = await session.post(`/api/units/${UNIT_A}/neighbourhoods`, { name: 'Khu phố CSRF' });
    expect(withToken.statusCode).toBe(200);
  });

  it('asks for sign-in when a session has been idle too long', async () => {
    const user = await makeUser(ctx, 'analyst');
    const session = await signIn(ctx, user);
    expect((await session.get('/api/auth/session')).statusCode).toBe(200);
    await ctx.deps.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 2 * 3600_000) }).where(sql`user_id = ${user.id}`);
    const expired = await session.get('/api/auth/session');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('ends the session on logout', async () => {
    const user = await makeUser(ctx, 'analyst');
    const session = await signIn(ctx, user);
    expect((await session.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await session.get('/api/units')).statusCode).toBe(401);
  });

  it('stores only a hash of the session token', async () => {
    const user = await makeUser(ctx, 'analyst');
    const session = await signIn(ctx, user);
    const { rows } = await ctx.deps.pool.query('SELECT token_hash FROM sessions WHERE user_id = $1', [user.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).not.toBe(session.cookie);
  });
});
