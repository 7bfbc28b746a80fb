import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdNeeds } from '@cds/db';
import { eq } from 'drizzle-orm';
import { UNIT_A, UNIT_B, createTestApp, makeHousehold, makeResident, makeUser, residentSession, signIn, type TestContext } from '../../test/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ otp: { ttlMinutes: 5, maxWrong: 5, lockMinutes: 15, perHour: 100, resendSeconds: 0 } });
});
afterAll(async () => ctx?.close());

describe('a resident asks for help from their own page', () => {
  it('raises a home-visit need in their household’s unit, once while it is open, which the unit sees and another unit does not', async () => {
    const home = await makeHousehold(ctx, UNIT_A);
    await makeResident(ctx, home, { fullName: 'Võ Thị Cần', phone: '0912777001' });
    const resident = await residentSession(ctx, '0912777001');
    const first = await resident.post('/api/learn/visit-request', { note: 'Chỉ ở nhà buổi chiều' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().alreadyOpen).toBe(false);
    const again = await resident.post('/api/learn/visit-request', {});
    expect(again.json()).toEqual({ id: first.json().id, alreadyOpen: true });
    const [need] = await ctx.deps.db.select().from(householdNeeds).where(eq(householdNeeds.householdId, home.id));
    expect(need).toMatchObject({ kind: 'return_visit', unitCode: UNIT_A, status: 'open' });
    expect(need?.detail).toContain('Chỉ ở nhà buổi chiều');

    const own = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    const other = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
    const seen = await own.get(`/api/households/${home.id}/needs`);
    const hidden = await other.get(`/api/households/${home.id}/needs`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(JSON.stringify(seen.json())).toContain('Chỉ ở nhà buổi chiều');
    expect(hidden.statusCode).toBe(404);
  });

  it('asks a resident whose account is not linked to a record to link it first', async () => {
    const stranger = await residentSession(ctx, '0912777002');
    const response = await stranger.post('/api/learn/visit-request', {});
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toContain('liên kết tài khoản');
  });

  it('is refused to anyone but a resident', async () => {
    const official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    expect((await official.post('/api/learn/visit-request', {})).statusCode).toBe(403);
  });
});
