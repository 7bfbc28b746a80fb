import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, otpChallenges, users } from '@cds/db';
import { eq, sql } from 'drizzle-orm';
import { UNIT_A, createTestApp, makeHousehold, makeResident, type TestContext } from '../../test/test-app.ts';

let ctx: TestContext;
const texts: { to: string; text: string }[] = [];

beforeAll(async () => {
  ctx = await createTestApp({ otp: { ttlMinutes: 5, maxWrong: 5, lockMinutes: 15, perHour: 3, resendSeconds: 60 } });
  ctx.deps.sms = { send: async (to, text) => void texts.push({ to, text }) };
});
afterAll(async () => ctx?.close());

const ask = (phone: string) => ctx.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone } });
const verify = (phone: string, code: string) => ctx.app.inject({ method: 'POST', url: '/api/auth/otp/verify', payload: { phone, code } });
const lastCode = (phone: string) => texts.filter((t) => t.to === phone).at(-1)?.text.match(/\d{6}/)?.[0] ?? '';
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
/** Moves this phone's codes back in time, as if minutes had passed. */
const age = (minutes: number) => ctx.deps.db.execute(sql`UPDATE otp_challenges SET created_at = created_at - make_interval(mins => ${minutes})`);

describe('sign-in codes by text message', () => {
  it('sends a six-digit code to the normalised number and keeps only its keyed hash', async () => {
    const response = await ask('+84 912 345 001');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ sentTo: '091*****01', expiresInSeconds: 300, resendInSeconds: 60 });
    const code = lastCode('0912345001');
    expect(code).toMatch(/^\d{6}$/);
    const rows = await ctx.deps.db.select().from(otpChallenges);
    expect(rows.some((r) => r.codeHash.includes(code) || r.phoneHash.includes('0912345001'))).toBe(false);
  });

  it('refuses a number that is not a Vietnamese mobile, saying why', async () => {
    const response = await ask('028 3829 1234');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0]).toEqual({ path: 'body.phone', message: 'Đây là số điện thoại cố định, không phải số di động' });
  });

  it('makes the resident wait before another code, and sends only a few an hour', async () => {
    const phone = '0912345002';
    expect((await ask(phone)).statusCode).toBe(200);
    const soon = await ask(phone);
    expect(soon.statusCode).toBe(429);
    expect(soon.json().error.code).toBe('OTP_TOO_SOON');
    await age(2);
    expect((await ask(phone)).statusCode).toBe(200);
    await age(2);
    expect((await ask(phone)).statusCode).toBe(200);
    await age(2);
    const fourth = await ask(phone);
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().error.message).toContain('3 mã trong một giờ');
  });

  it('signs in with the right code once; the same code cannot be used twice', async () => {
    const phone = '0912345003';
    await ask(phone);
    const code = lastCode(phone);
    const first = await verify(phone, code);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().user).toMatchObject({ role: 'citizen', residentId: null });
    expect(first.cookies.find((c) => c.name === 'cds_session')?.httpOnly).toBe(true);
    expect((await verify(phone, code)).json().error.code).toBe('OTP_INVALID');
  });

  it('locks the phone after five wrong codes: even the right code and a new code are refused until the window passes', async () => {
    const phone = '0912345004';
    await ask(phone);
    const code = lastCode(phone);
    for (let i = 1; i <= 4; i++) {
      const wrong = await verify(phone, wrongCode(code));
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error.message).toBe(`Mã xác nhận không đúng; còn ${5 - i} lần thử`);
    }
    const fifth = await verify(phone, wrongCode(code));
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('OTP_LOCKED');
    expect((await verify(phone, code)).json().error.code).toBe('OTP_LOCKED');
    await age(2);
    expect((await ask(phone)).json().error.code).toBe('OTP_LOCKED');
    const failures = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, 'sign_in_failed'));
    expect(failures.filter((f) => (f.detail as { reason?: string } | null)?.reason === 'otp_wrong').length).toBeGreaterThanOrEqual(5);
    // Fifteen minutes after the wrong codes, the phone may sign in again with a new code.
    await age(15);
    expect((await ask(phone)).statusCode).toBe(200);
    expect((await verify(phone, lastCode(phone))).statusCode).toBe(200);
  });

  it('counts wrong codes across new codes: asking again does not reset the count', async () => {
    const phone = '0912345005';
    await ask(phone);
    for (let i = 0; i < 3; i++) await verify(phone, wrongCode(lastCode(phone)));
    await age(2);
    await ask(phone);
    await verify(phone, wrongCode(lastCode(phone)));
    expect((await verify(phone, wrongCode(lastCode(phone)))).json().error.code).toBe('OTP_LOCKED');
  });

  it('counts guesses sent all at once one after the other: forty in parallel are five wrong codes and a lock', async () => {
    const phone = '0912345009';
    await ask(phone);
    const code = lastCode(phone);
    const answers = await Promise.all(Array.from({ length: 40 }, () => verify(phone, wrongCode(code))));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(4);
    expect(statuses.filter((s) => s === 423)).toHaveLength(36);
    // The right code, sent after, meets the lock too.
    expect((await verify(phone, code)).statusCode).toBe(423);
    const [row] = (await ctx.deps.db.execute<{ n: number }>(sql`SELECT sum(failed_attempts)::int AS n FROM otp_challenges WHERE phone_hash = ${ctx.deps.vault.hash(phone)}`)).rows;
    expect(Number(row?.n)).toBe(5);
  });

  it('sends one text for requests that arrive together', async () => {
    const phone = '0912345010';
    const sentBefore = texts.length;
    const answers = await Promise.all(Array.from({ length: 15 }, () => ask(phone)));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    expect(texts.length - sentBefore).toBe(1);
  });

  it('lets the resident ask again at once when the text could not be sent', async () => {
    const phone = '0912345011';
    const working = ctx.deps.sms;
    ctx.deps.sms = { send: async () => Promise.reject(new Error('gateway down')) };
    try {
      expect((await ask(phone)).json().error.code).toBe('SMS_FAILED');
    } finally {
      ctx.deps.sms = working;
    }
    expect((await ask(phone)).statusCode).toBe(200);
  });

  it('refuses a code after it expires', async () => {
    const phone = '0912345006';
    await ask(phone);
    await ctx.deps.db.execute(sql`UPDATE otp_challenges SET expires_at = now() - interval '1 second'`);
    expect((await verify(phone, lastCode(phone))).json().error.code).toBe('OTP_INVALID');
  });

  it('links the account to the registry record holding the phone, only when exactly one record holds it', async () => {
    const home = await makeHousehold(ctx, UNIT_A);
    const own = await makeResident(ctx, home, { fullName: 'Phạm Thị Một', phone: '0912345007' });
    await makeResident(ctx, home, { fullName: 'Phạm Văn Hai', phone: '0912345008', relationToHead: 'spouse' });
    await makeResident(ctx, home, { fullName: 'Phạm Văn Ba', phone: '0912345008', relationToHead: 'child' });
    await ask('0912345007');
    const linked = await verify('0912345007', lastCode('0912345007'));
    expect(linked.json().user).toMatchObject({ residentId: own.id, displayName: 'Phạm Thị Một' });
    await ask('0912345008');
    const shared = await verify('0912345008', lastCode('0912345008'));
    expect(shared.json().user.residentId).toBeNull();
    const accounts = await ctx.deps.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.role, 'citizen'));
    // Residents who sign in by code have no password anyone could guess at /api/auth/login.
    expect(accounts.every((a) => a.passwordHash === null)).toBe(true);
  });
});
