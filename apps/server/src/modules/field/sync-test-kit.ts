import { randomUUID } from 'node:crypto';
import { FIELD_DEVICE_HEADER } from '@cds/contract';
import { teamMembers, teams } from '@cds/db';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { PROVINCE, assign, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext, type TestUser } from '../../test/test-app.ts';

// Factories for the field tests: a team, a field worker with an enrolled phone, a visit.

export async function makeTeam(ctx: TestContext, unitCode: string, leaderUserId: number | null = null) {
  const [team] = await ctx.deps.db
    .insert(teams)
    .values({ provinceCode: PROVINCE, unitCode, name: `Tổ ${randomUUID().slice(0, 8)}`, kind: 'community_tech', leaderUserId })
    .returning();
  return team!;
}

export async function addMember(ctx: TestContext, teamId: number, userId: number) {
  await ctx.deps.db.insert(teamMembers).values({ teamId, userId });
}

export interface FieldWorker {
  user: TestUser;
  session: Session;
  token: string;
  deviceId: number;
  /** Sends with the session cookie, the CSRF token on writes, and the device header. */
  send(method: 'GET' | 'POST', url: string, body?: unknown, token?: string | null): Promise<LightMyRequestResponse>;
  sync(visits: unknown[], appVersion?: string): Promise<LightMyRequestResponse>;
}

export async function fieldWorker(ctx: TestContext, options: { teamId?: number; role?: 'volunteer' | 'team_leader'; units?: string[] } = {}): Promise<FieldWorker> {
  const user = await makeUser(ctx, options.role ?? 'volunteer', { units: options.units ?? [] });
  if (options.teamId) await addMember(ctx, options.teamId, user.id);
  const session = await signIn(ctx, user);
  const enrolled = await session.post('/api/field/devices', { label: 'Điện thoại Android', appVersion: '1.0.0' });
  if (enrolled.statusCode !== 200) throw new Error(`enrol failed: ${enrolled.body}`);
  const { deviceId, deviceToken } = enrolled.json() as { deviceId: number; deviceToken: string };
  const send = (method: 'GET' | 'POST', url: string, body?: unknown, token: string | null = deviceToken) =>
    ctx.app.inject({
      method,
      url,
      cookies: { cds_session: session.cookie },
      headers: { ...(method === 'POST' ? { 'x-csrf-token': session.csrfToken } : {}), ...(token ? { [FIELD_DEVICE_HEADER]: token } : {}) },
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
    });
  return { user, session, token: deviceToken, deviceId, send, sync: (visits, appVersion = '1.0.0') => send('POST', '/api/field/sync', { appVersion, visits }) };
}

let citizenSerial = Math.floor(Math.random() * 50_000);

/** A household of the unit with a head and a child, assigned to the worker. */
export async function assignedHousehold(ctx: TestContext, unitCode: string, userId: number) {
  const household = await makeHousehold(ctx, unitCode);
  const citizenId = `0791700${String(++citizenSerial).padStart(5, '0')}`;
  const head = await makeResident(ctx, household, { fullName: 'Trần Thị Bình', birthDate: '1970-03-02', sex: 'female', citizenId, phone: '0912345678' });
  const child = await makeResident(ctx, household, { fullName: 'Trần Văn Cường', birthDate: '2000-07-09', relationToHead: 'child' });
  await assign(ctx, userId, household.id);
  return { household, head, child, citizenId };
}

export function visitOf(householdId: number | null, overrides: Record<string, unknown> = {}) {
  return {
    clientVisitId: randomUUID(),
    householdId,
    visitedAt: '2026-11-20T09:30:00+07:00',
    outcome: 'done',
    consent: true,
    members: [],
    newPeople: [],
    needs: [],
    ...overrides,
  };
}

export type SyncItem = { clientVisitId: string | null; outcome: string; visitId: number | null; householdId: number | null; conflicts: number; reasonCode: string | null; reason: string | null };
export const resultsOf = (response: LightMyRequestResponse) => (response.json() as { results: SyncItem[] }).results;
