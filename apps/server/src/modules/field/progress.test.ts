import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facts } from '@cds/db';
import { PROVINCE, TODAY, UNIT_A, UNIT_B, createTestApp, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext, type TestUser } from '../../test/test-app.ts';
import { quotaStatus } from './quotas.service.ts';
import { insertVisit } from './teams.fixtures.ts';

let ctx: TestContext;
let officialA: Session;
let officialB: Session;
let admin: Session;
let leader: Session;
let otherLeader: Session;
let volunteerSession: Session;
let v1: TestUser;
let v2: TestUser;
let teamId: number;
let teamBId: number;
let neighbourhood: { id: number; name: string };
let households: { id: number; unitCode: string }[];

type Row = { key: string; label: string; householdsAssigned: number; householdsVisited: number; visits: number; peopleHelped: number; actionsDone: number; peopleFound: number; membersAllElementsMet: number };
type Progress = { scope: { label: string; teamId: number | null }; totals: Row; byMember: Row[]; byTeam: Row[]; byNeighbourhood: Row[]; byUnit: Row[]; byDay: { day: string; visits: number; householdsVisited: number }[]; quotas: { status: string; userId: number | null }[] };

const ALL_MET: Record<string, string> = {
  citizen_id_card: 'true',
  vneid: 'level2',
  smartphone: 'true',
  epayment_account: 'true',
  public_service_account: 'true',
  social_insurance_vneid: 'true',
  basic_skills_trained: 'true',
  city_app_installed: 'true',
  digital_literacy_certified: 'true',
};

async function state(residentId: number, values: Record<string, string>, observedOn = '2026-11-01') {
  const rows = await ctx.deps.db
    .insert(facts)
    .values(Object.entries(values).map(([indicator, value]) => ({ provinceCode: PROVINCE, residentId, indicator, value, sourceKind: 'seed' as const, observedOn })))
    .returning({ id: facts.id, indicator: facts.indicator });
  return rows;
}

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  officialA = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  officialB = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
  const leaderUser = await makeUser(ctx, 'team_leader');
  const otherLeaderUser = await makeUser(ctx, 'team_leader');
  leader = await signIn(ctx, leaderUser);
  otherLeader = await signIn(ctx, otherLeaderUser);
  v1 = await makeUser(ctx, 'volunteer');
  v2 = await makeUser(ctx, 'volunteer');
  volunteerSession = await signIn(ctx, v1);
  neighbourhood = (await officialA.post(`/api/units/${UNIT_A}/neighbourhoods`, { name: 'Khu phố 4' })).json();
  households = [];
  for (let i = 0; i < 3; i++) households.push(await makeHousehold(ctx, UNIT_A, { neighbourhoodId: neighbourhood.id }));
  teamId = (await officialA.post('/api/teams', { unitCode: UNIT_A, name: 'Tổ KP4', kind: 'community_tech', leaderUserId: leaderUser.id })).json().id;
  await officialA.post(`/api/teams/${teamId}/areas`, { neighbourhoodIds: [neighbourhood.id] });
  await officialA.post(`/api/teams/${teamId}/members`, { userId: v1.id });
  await officialA.post(`/api/teams/${teamId}/members`, { userId: v2.id });
  await leader.post(`/api/teams/${teamId}/assignments`, { userId: v1.id, householdIds: [households[0]!.id, households[1]!.id] });
  await leader.post(`/api/teams/${teamId}/assignments`, { userId: v2.id, householdIds: [households[2]!.id] });

  // Household 0: one member with all four elements, one with three; household 1: a member whose
  // last fact was corrected away, so not all met now.
  const full = await makeResident(ctx, households[0]!, { fullName: 'Đủ Bốn Yếu Tố' });
  await state(full.id, ALL_MET);
  const partial = await makeResident(ctx, households[0]!, { fullName: 'Thiếu Kỹ Năng', relationToHead: 'child' });
  await state(partial.id, { ...ALL_MET, digital_literacy_certified: 'false' });
  const corrected = await makeResident(ctx, households[1]!, { fullName: 'Đã Đính Chính' });
  const stated = await state(corrected.id, ALL_MET);
  const vneid = stated.find((f) => f.indicator === 'vneid')!;
  await ctx.deps.db.insert(facts).values({ provinceCode: PROVINCE, residentId: corrected.id, indicator: 'vneid', value: 'none', sourceKind: 'seed', observedOn: '2026-11-01', correctsFactId: vneid.id });
  // A member of a household visited but not 'done' does not count either.
  const notDone = await makeResident(ctx, households[2]!, { fullName: 'Không Có Nhà' });
  await state(notDone.id, ALL_MET);

  // Times are UTC; 2026-11-20T18:30Z is already 21 November in Vietnam.
  await insertVisit(ctx, { householdId: households[0]!.id, userId: v1.id, teamId, unitCode: UNIT_A, visitedAt: '2026-11-20T03:00:00Z', outcome: 'nobody_home' });
  await insertVisit(ctx, { householdId: households[0]!.id, userId: v1.id, teamId, unitCode: UNIT_A, visitedAt: '2026-11-20T18:30:00Z', peopleHelped: 2, actionsDone: 3 });
  await insertVisit(ctx, { householdId: households[1]!.id, userId: v1.id, teamId, unitCode: UNIT_A, visitedAt: '2026-11-21T02:00:00Z', peopleHelped: 1, actionsDone: 1, peopleFound: 1 });
  await insertVisit(ctx, { householdId: households[2]!.id, userId: v2.id, teamId, unitCode: UNIT_A, visitedAt: '2026-11-22T02:00:00Z', outcome: 'refused' });

  // Another ward's team and visit.
  const householdB = await makeHousehold(ctx, UNIT_B);
  teamBId = (await admin.post('/api/teams', { unitCode: UNIT_B, name: 'Tổ Bến Thành', kind: 'community_tech', leaderUserId: otherLeaderUser.id })).json().id;
  await admin.post(`/api/teams/${teamBId}/areas`, { householdIds: [householdB.id] });
  await insertVisit(ctx, { householdId: householdB.id, userId: v2.id, teamId: teamBId, unitCode: UNIT_B, visitedAt: '2026-11-22T02:00:00Z', peopleHelped: 5 });
});
afterAll(async () => ctx?.close());

describe('GET /api/field/progress', () => {
  it('counts a unit official’s units from the stored visits', async () => {
    const response = await officialA.get('/api/field/progress');
    expect(response.statusCode).toBe(200);
    const progress: Progress = response.json();
    expect(progress.totals).toMatchObject({ householdsAssigned: 3, householdsVisited: 2, visits: 4, peopleHelped: 3, actionsDone: 4, peopleFound: 1, membersAllElementsMet: 1 });
    const member1 = progress.byMember.find((r) => r.key === String(v1.id))!;
    expect(member1).toMatchObject({ label: v1.username, householdsAssigned: 2, householdsVisited: 2, visits: 3, membersAllElementsMet: 1 });
    expect(progress.byMember.find((r) => r.key === String(v2.id))).toMatchObject({ householdsAssigned: 1, householdsVisited: 0, visits: 1 });
    expect(progress.byTeam).toEqual([expect.objectContaining({ key: String(teamId), label: 'Tổ KP4', householdsAssigned: 3, householdsVisited: 2 })]);
    expect(progress.byNeighbourhood).toEqual([expect.objectContaining({ key: String(neighbourhood.id), label: 'Khu phố 4', householdsVisited: 2, membersAllElementsMet: 1 })]);
    expect(progress.byUnit.map((r) => r.key)).toEqual([UNIT_A]);
    expect(progress.byDay).toEqual([
      { day: '2026-11-20', visits: 1, householdsVisited: 0 },
      { day: '2026-11-21', visits: 2, householdsVisited: 2 },
      { day: '2026-11-22', visits: 1, householdsVisited: 0 },
    ]);
  });

  it('gives a city admin the city, by unit', async () => {
    const progress: Progress = (await admin.get('/api/field/progress')).json();
    expect(progress.totals).toMatchObject({ visits: 5, householdsVisited: 3, peopleHelped: 8 });
    expect(progress.byUnit.map((r) => r.key).sort()).toEqual([UNIT_A, UNIT_B].sort());
  });

  it('narrows to one day onwards with since', async () => {
    const progress: Progress = (await officialA.get('/api/field/progress?since=2026-11-21')).json();
    expect(progress.totals).toMatchObject({ visits: 3, householdsVisited: 2 });
  });

  it('gives a leader their own team only, and another ward’s official nothing of it', async () => {
    const own: Progress = (await leader.get('/api/field/progress')).json();
    expect(own.totals.visits).toBe(4);
    expect(own.byTeam.map((r) => r.key)).toEqual([String(teamId)]);
    const other: Progress = (await otherLeader.get('/api/field/progress')).json();
    expect(other.totals).toMatchObject({ visits: 1, peopleHelped: 5 });
    expect(other.byMember.map((r) => r.key)).toEqual([String(v2.id)]);
    expect((await otherLeader.get(`/api/field/progress?team=${teamId}`)).statusCode).toBe(404);
    expect((await officialB.get(`/api/field/progress?unit=${UNIT_A}`)).statusCode).toBe(404);
    expect((await officialB.get(`/api/field/progress?team=${teamId}`)).statusCode).toBe(404);
    const b: Progress = (await officialB.get('/api/field/progress')).json();
    expect(b.byTeam.map((r) => r.key)).toEqual([String(teamBId)]);
  });

  it('is refused to volunteers', async () => {
    expect((await volunteerSession.get('/api/field/progress')).statusCode).toBe(403);
  });
});

describe('quotas', () => {
  it('defaults the deadline to the phase’s end and reports each status', async () => {
    // Phase 2 of hcmc-2026 runs from 2026-07-01 to 2026-09-30; today in tests is 2026-11-24.
    const overdue = await officialA.put(`/api/teams/${teamId}/quotas`, { planId: 'hcmc-2026', phaseId: 'phase-2', householdsTarget: 10 });
    expect(overdue.statusCode, overdue.body).toBe(200);
    expect(overdue.json()).toMatchObject({ deadline: '2026-09-30', householdsVisited: 2, status: 'overdue', userId: null });
    const changed = await officialA.put(`/api/teams/${teamId}/quotas`, { planId: 'hcmc-2026', phaseId: 'phase-2', householdsTarget: 2 });
    expect(changed.json()).toMatchObject({ id: overdue.json().id, status: 'done' });
    // A leader splits the work among members, up to the next summer.
    const onTrack = await leader.put(`/api/teams/${teamId}/quotas`, { userId: v1.id, planId: 'hcmc-2026', phaseId: 'phase-2', householdsTarget: 5, deadline: '2027-06-30' });
    expect(onTrack.json()).toMatchObject({ displayName: v1.username, householdsVisited: 2, status: 'on_track' });
    const atRisk = await leader.put(`/api/teams/${teamId}/quotas`, { userId: v2.id, planId: 'hcmc-2026', phaseId: 'phase-2', householdsTarget: 5, deadline: '2027-06-30' });
    expect(atRisk.json()).toMatchObject({ householdsVisited: 0, status: 'at_risk' });
    const list = (await leader.get(`/api/teams/${teamId}/quotas`)).json() as { status: string }[];
    expect(list.map((q) => q.status)).toEqual(['done', 'on_track', 'at_risk']);
    expect(((await officialA.get('/api/field/progress')).json() as Progress).quotas).toHaveLength(3);
  });

  it('refuses a team quota from the leader, an unknown phase, and someone outside the team', async () => {
    expect((await leader.put(`/api/teams/${teamId}/quotas`, { planId: 'hcmc-2026', phaseId: 'phase-2', householdsTarget: 1 })).statusCode).toBe(403);
    expect((await officialA.put(`/api/teams/${teamId}/quotas`, { planId: 'hcmc-2026', phaseId: 'phase-9', householdsTarget: 1 })).json().error.issues[0].path).toBe('body.phaseId');
    const outsider = await makeUser(ctx, 'volunteer');
    expect((await officialA.put(`/api/teams/${teamId}/quotas`, { userId: outsider.id, planId: 'hcmc-2026', phaseId: 'phase-2', householdsTarget: 1 })).json().error.code).toBe('NOT_IN_TEAM');
    expect((await officialB.get(`/api/teams/${teamId}/quotas`)).statusCode).toBe(404);
  });
});

describe('quotaStatus', () => {
  const base = { start: '2026-01-01', deadline: '2026-12-31', today: TODAY };
  it('is done once the target is reached, even late', () => {
    expect(quotaStatus({ ...base, target: 5, visited: 5, today: '2027-02-01' })).toBe('done');
  });
  it('is overdue after the deadline', () => {
    expect(quotaStatus({ ...base, target: 5, visited: 4, today: '2027-01-01' })).toBe('overdue');
  });
  it('is at risk when more than a tenth behind the straight line, else on track', () => {
    // 2026-07-02 is halfway: 50 expected of 100, 45 is the edge.
    expect(quotaStatus({ ...base, target: 100, visited: 44, today: '2026-07-02' })).toBe('at_risk');
    expect(quotaStatus({ ...base, target: 100, visited: 45, today: '2026-07-02' })).toBe('on_track');
    expect(quotaStatus({ ...base, target: 100, visited: 0, today: '2026-01-01' })).toBe('on_track');
  });
});
