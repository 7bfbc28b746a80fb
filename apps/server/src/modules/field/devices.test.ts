import { auditLog, fieldDevices } from '@cds/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIT_A, UNIT_B, createTestApp, makeUser, signIn, type TestContext } from '../../test/test-app.ts';
import { deviceTokenHash } from './devices.service.ts';
import { addMember, assignedHousehold, fieldWorker, makeTeam, resultsOf, visitOf } from './sync-test-kit.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx.close();
});

describe('POST /api/field/devices', () => {
  it('enrols a device and keeps only the hash of its token', async () => {
    const worker = await fieldWorker(ctx);
    expect(worker.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await ctx.deps.db.select().from(fieldDevices).where(eq(fieldDevices.id, worker.deviceId));
    expect(row).toMatchObject({ userId: worker.user.id, tokenHash: deviceTokenHash(worker.token), appVersion: '1.0.0', revokedAt: null });
    expect(JSON.stringify(row)).not.toContain(worker.token);
  });

  it('is refused to roles that record no facts', async () => {
    const analyst = await signIn(ctx, await makeUser(ctx, 'analyst'));
    expect((await analyst.post('/api/field/devices', { label: 'Laptop', appVersion: '1.0.0' })).statusCode).toBe(403);
  });
});

describe('GET /api/field/devices and POST /api/field/devices/:id/revoke', () => {
  it('lets the team leader and the unit’s official see and revoke a member’s device, and no one from another ward', async () => {
    const leaderUser = await makeUser(ctx, 'team_leader', { units: [UNIT_A] });
    const team = await makeTeam(ctx, UNIT_A, leaderUser.id);
    const worker = await fieldWorker(ctx, { teamId: team.id });
    const stranger = await fieldWorker(ctx);
    const leader = await signIn(ctx, leaderUser);
    const official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    const elsewhere = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));

    const ids = async (session: typeof leader, query = '') => ((await session.get(`/api/field/devices${query}`)).json() as { id: number }[]).map((d) => d.id);
    expect(await ids(leader)).toContain(worker.deviceId);
    expect(await ids(leader)).not.toContain(stranger.deviceId);
    expect(await ids(official, `?unit=${UNIT_A}`)).toContain(worker.deviceId);
    expect(await ids(official, `?team=${team.id}`)).toEqual([worker.deviceId]);
    expect(await ids(elsewhere)).not.toContain(worker.deviceId);
    expect(await ids(worker.session)).toEqual([worker.deviceId]);

    expect((await elsewhere.post(`/api/field/devices/${worker.deviceId}/revoke`)).statusCode).toBe(404);
    expect((await stranger.session.post(`/api/field/devices/${worker.deviceId}/revoke`)).statusCode).toBe(404);
    const revoked = await leader.post(`/api/field/devices/${worker.deviceId}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect((revoked.json() as { revokedAt: string | null }).revokedAt).not.toBeNull();
    const audit = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'revoke'), eq(auditLog.recordType, 'field_device')));
    expect(audit.some((a) => a.recordIds.includes(worker.deviceId))).toBe(true);
  });

  it('lets a city admin revoke any device, and records the sync time and app version', async () => {
    const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_B)).id });
    const { household } = await assignedHousehold(ctx, UNIT_B, worker.user.id);
    expect(resultsOf(await worker.sync([visitOf(household.id)], '1.4.2'))[0]!.outcome).toBe('stored');
    const [synced] = await ctx.deps.db.select().from(fieldDevices).where(eq(fieldDevices.id, worker.deviceId));
    expect(synced!.lastSyncAt).not.toBeNull();
    expect(synced!.appVersion).toBe('1.4.2');
    const admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
    expect((await admin.post(`/api/field/devices/${worker.deviceId}/revoke`)).statusCode).toBe(200);
  });
});

describe('GET /api/households/:id/needs and POST /api/needs/:id/close', () => {
  it('closes a need once, within the household’s area', async () => {
    const team = await makeTeam(ctx, UNIT_A);
    const worker = await fieldWorker(ctx, { teamId: team.id });
    const { household } = await assignedHousehold(ctx, UNIT_A, worker.user.id);
    await worker.sync([visitOf(household.id, { needs: [{ kind: 'help', detail: 'Cài ứng dụng VssID cho bà' }] })]);
    const [need] = (await worker.session.get(`/api/households/${household.id}/needs`)).json() as { id: number; status: string }[];
    expect(need).toMatchObject({ status: 'open' });
    const elsewhere = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
    expect((await elsewhere.get(`/api/households/${household.id}/needs`)).statusCode).toBe(404);
    expect((await elsewhere.post(`/api/needs/${need!.id}/close`, { status: 'met' })).statusCode).toBe(404);
    const other = await fieldWorker(ctx);
    await addMember(ctx, team.id, other.user.id);
    expect((await other.session.post(`/api/needs/${need!.id}/close`, { status: 'met' })).statusCode).toBe(404);
    const closed = await worker.session.post(`/api/needs/${need!.id}/close`, { status: 'met' });
    expect(closed.json()).toMatchObject({ status: 'met' });
    expect((await worker.session.post(`/api/needs/${need!.id}/close`, { status: 'cancelled' })).json()).toMatchObject({ error: { code: 'ALREADY_DECIDED' } });
  });
});
