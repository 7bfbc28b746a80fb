import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, facts } from '@cds/db';
import { and, eq } from 'drizzle-orm';
import { UNIT_A, UNIT_B, createTestApp, makeHousehold, makeResident, makeUser, residentSession, signIn, statePass, type Session, type TestContext } from '../../test/test-app.ts';

let ctx: TestContext;
let officialA: Session;
let officialB: Session;
let leaderA: Session;

beforeAll(async () => {
  // No wait between codes: a resident here signs in again within seconds (otp.test.ts tests the waits).
  ctx = await createTestApp({ otp: { ttlMinutes: 5, maxWrong: 5, lockMinutes: 15, perHour: 100, resendSeconds: 0 } });
  officialA = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  officialB = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
  leaderA = await signIn(ctx, await makeUser(ctx, 'team_leader', { units: [UNIT_A] }));
});
afterAll(async () => ctx?.close());

/** A resident whose phone only their record holds, signed in by code: linked by the phone, not proven. */
async function linkedByPhone(phone: string, citizenId: string) {
  const household = await makeHousehold(ctx, UNIT_A);
  const resident = await makeResident(ctx, household, { fullName: 'Hồ Thị Xác', citizenId, phone });
  const citizen = await residentSession(ctx, phone);
  expect(citizen.residentId).toBe(resident.id);
  return { household, resident, citizen };
}

describe("an official and a resident's own account", () => {
  it('shows the unit’s official which account holds a record and how surely, and only to officials who edit the registry', async () => {
    const { household, citizen } = await linkedByPhone('0913000101', '079080000101');
    const seen = (await officialA.get(`/api/households/${household.id}`)).json();
    expect(seen.residents[0].account).toEqual({ userId: citizen.userId, link: 'phone', verified: false });
    const read = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'read'), eq(auditLog.recordType, 'resident'), eq(auditLog.actorUserId, (await officialA.get('/api/auth/session')).json().user.id)));
    expect(read.at(-1)?.fields).toContain('account');
    // The resident reads their own household, without this.
    const own = await citizen.get(`/api/households/${household.id}`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().residents[0].account).toBeUndefined();
  });

  it('confirms a link after seeing the papers: the account may then reveal its own citizen ID', async () => {
    const { resident, citizen } = await linkedByPhone('0913000102', '079080000102');
    expect((await citizen.post(`/api/residents/${resident.id}/reveal`, { field: 'citizenId' })).statusCode).toBe(403);
    // Not another ward's official, and not a team leader.
    expect((await officialB.post(`/api/residents/${resident.id}/account/confirm`)).statusCode).toBe(404);
    expect((await leaderA.post(`/api/residents/${resident.id}/account/confirm`)).statusCode).toBe(403);
    const confirmed = await officialA.post(`/api/residents/${resident.id}/account/confirm`);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toEqual({ userId: citizen.userId, link: 'official', verified: true });
    const revealed = await citizen.post(`/api/residents/${resident.id}/reveal`, { field: 'citizenId' });
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json().value).toBe('079080000102');
    const logged = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, 'link_confirmed'));
    expect(logged.map((l) => [l.recordIds, l.unitCodes, (l.detail as { before: string }).before])).toContainEqual([[resident.id], [UNIT_A], 'phone']);
  });

  it('removes the link of an account that is not the person’s, with a reason, and withdraws what its passes said', async () => {
    const { household, resident, citizen } = await linkedByPhone('0913000103', '079080000103');
    const pass = await statePass(ctx, resident.id, citizen.userId);
    const short = await officialA.post(`/api/residents/${resident.id}/account/unlink`, { reason: 'sai' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Hãy ghi lý do gỡ liên kết');
    expect((await officialB.post(`/api/residents/${resident.id}/account/unlink`, { reason: 'Không phải người này' })).statusCode).toBe(404);
    const removed = await officialA.post(`/api/residents/${resident.id}/account/unlink`, { reason: 'Số điện thoại đã sang tay người khác' });
    expect(removed.statusCode, removed.body).toBe(200);
    expect((await citizen.get('/api/auth/session')).json().user.residentId).toBeNull();
    expect((await officialA.get(`/api/households/${household.id}`)).json().residents[0].account).toBeNull();
    const withdrawn = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, resident.id), eq(facts.retracts, true)));
    expect(withdrawn.map((f) => [f.correctsFactId, f.note])).toEqual([[pass.id, 'Cán bộ gỡ liên kết tài khoản: Số điện thoại đã sang tay người khác']]);
    const logged = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, 'link_removed'));
    expect(logged.at(-1)).toMatchObject({ recordIds: [resident.id], unitCodes: [UNIT_A] });
    // Nothing is left to remove or confirm.
    const again = await officialA.post(`/api/residents/${resident.id}/account/confirm`);
    expect(again.statusCode).toBe(404);
    expect(again.json().error.message).toBe('Hồ sơ này chưa gắn với tài khoản học tập nào');
    // The same phone does not link it back at the next sign-in, and neither does typing the ID.
    const back = await residentSession(ctx, '0913000103');
    expect(back.userId).toBe(citizen.userId);
    expect(back.residentId).toBeNull();
    const typed = await back.post('/api/learn/link-record', { citizenId: '079080000103', birthDate: '1985-05-20' });
    expect(typed.statusCode).toBe(409);
    expect(typed.json().error.code).toBe('RECORD_LINK_REFUSED');
  });

  it('shows and handles an account holding a record merged since on the record kept', async () => {
    const { resident, citizen } = await linkedByPhone('0913000104', '079080000104');
    const keptHome = await makeHousehold(ctx, UNIT_A);
    const kept = await makeResident(ctx, keptHome, { fullName: 'Hồ Thị Xác' });
    expect((await officialA.post(`/api/residents/${resident.id}/merge`, { intoResidentId: kept.id, reason: 'Cùng một người' })).statusCode).toBe(200);
    const seen = (await officialA.get(`/api/households/${keptHome.id}`)).json();
    expect(seen.residents[0].account).toEqual({ userId: citizen.userId, link: 'phone', verified: false });
    // The merged record is not where it is handled.
    expect((await officialA.post(`/api/residents/${resident.id}/account/confirm`)).statusCode).toBe(404);
    expect((await officialA.post(`/api/residents/${kept.id}/account/confirm`)).json()).toEqual({ userId: citizen.userId, link: 'official', verified: true });
  });

  it('shows no staff account, and lets no official vouch for their own record', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const own = await makeResident(ctx, household, { fullName: 'Cán Bộ Tự', citizenId: '079080000105' });
    const staff = await makeUser(ctx, 'unit_official', { units: [UNIT_A], residentId: own.id });
    const self = await signIn(ctx, staff);
    expect((await officialA.get(`/api/households/${household.id}`)).json().residents[0].account).toBeNull();
    const confirmed = await self.post(`/api/residents/${own.id}/account/confirm`);
    expect(confirmed.statusCode).toBe(403);
  });
});
