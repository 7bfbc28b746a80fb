import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { UNIT_A, UNIT_B, createTestApp, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext, type TestUser } from '../../test/test-app.ts';
import { del } from './teams.fixtures.ts';

let ctx: TestContext;
let officialA: Session;
let officialB: Session;
let leaderUser: TestUser;
let leader: Session;
let otherLeader: Session;
let volunteer1: TestUser;
let volunteer2: TestUser;
let outsider: TestUser;
let v1: Session;
let v2: Session;
let neighbourhood: { id: number };
let neighbourhoodB: { id: number };
let inNeighbourhood: { id: number }[];
let single: { id: number };
let elsewhereA: { id: number };
let householdB: { id: number };
let teamId: number;

type Detail = { id: number; members: number; householdsAssigned: number; archived: boolean; memberList: { userId: number; householdsAssigned: number }[]; areas: { id: number; households: number; neighbourhood: { id: number } | null }[] };

beforeAll(async () => {
  ctx = await createTestApp();
  const admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  officialA = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  officialB = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
  leaderUser = await makeUser(ctx, 'team_leader');
  leader = await signIn(ctx, leaderUser);
  const otherLeaderUser = await makeUser(ctx, 'team_leader');
  otherLeader = await signIn(ctx, otherLeaderUser);
  volunteer1 = await makeUser(ctx, 'volunteer');
  volunteer2 = await makeUser(ctx, 'volunteer');
  outsider = await makeUser(ctx, 'volunteer');
  v1 = await signIn(ctx, volunteer1);
  v2 = await signIn(ctx, volunteer2);
  neighbourhood = (await officialA.post(`/api/units/${UNIT_A}/neighbourhoods`, { name: 'Khu phố 1' })).json();
  neighbourhoodB = (await admin.post(`/api/units/${UNIT_B}/neighbourhoods`, { name: 'Khu phố 1' })).json();
  inNeighbourhood = [await makeHousehold(ctx, UNIT_A, { neighbourhoodId: neighbourhood.id }), await makeHousehold(ctx, UNIT_A, { neighbourhoodId: neighbourhood.id })];
  single = await makeHousehold(ctx, UNIT_A);
  elsewhereA = await makeHousehold(ctx, UNIT_A);
  householdB = await makeHousehold(ctx, UNIT_B, { neighbourhoodId: neighbourhoodB.id });
  // Another ward's team, led by the other leader, with its own area.
  const teamB = (await officialB.post('/api/teams', { unitCode: UNIT_B, name: 'Tổ phường Bến Thành', kind: 'community_tech', leaderUserId: otherLeaderUser.id })).json();
  await officialB.post(`/api/teams/${teamB.id}/areas`, { neighbourhoodIds: [neighbourhoodB.id] });
});
afterAll(async () => ctx?.close());

describe('POST /api/teams', () => {
  it('sets up a team in the official’s unit with a leader', async () => {
    const response = await officialA.post('/api/teams', { unitCode: UNIT_A, name: 'Tổ công nghệ số KP1', kind: 'community_tech', leaderUserId: leaderUser.id });
    expect(response.statusCode).toBe(200);
    const team = response.json();
    expect(team).toMatchObject({ unitCode: UNIT_A, leader: { userId: leaderUser.id }, members: 0, householdsAssigned: 0, archived: false, memberList: [], areas: [] });
    teamId = team.id;
  });

  it('refuses a second team of the same name in the unit', async () => {
    const response = await officialA.post('/api/teams', { unitCode: UNIT_A, name: 'tổ công nghệ số kp1', kind: 'volunteer_squad' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('TEAM_NAME_TAKEN');
  });

  it('refuses a team in another ward, a volunteer as leader, and teams made by leaders', async () => {
    expect((await officialA.post('/api/teams', { unitCode: UNIT_B, name: 'Tổ lạ', kind: 'community_tech' })).statusCode).toBe(403);
    const badLeader = await officialA.post('/api/teams', { unitCode: UNIT_A, name: 'Tổ khác', kind: 'community_tech', leaderUserId: volunteer1.id });
    expect(badLeader.statusCode).toBe(400);
    expect(badLeader.json().error.issues[0].path).toBe('body.leaderUserId');
    expect((await leader.post('/api/teams', { unitCode: UNIT_A, name: 'Tổ của tôi', kind: 'community_tech' })).statusCode).toBe(403);
  });
});

describe('team areas', () => {
  it('gives the team a neighbourhood and a single household of its unit', async () => {
    const response = await officialA.post(`/api/teams/${teamId}/areas`, { neighbourhoodIds: [neighbourhood.id], householdIds: [single.id] });
    expect(response.statusCode).toBe(200);
    const team: Detail = response.json();
    expect(team.householdsAssigned).toBe(3);
    expect(team.areas.map((a) => a.households).sort()).toEqual([1, 2]);
  });

  it('refuses neighbourhoods and households of another unit', async () => {
    for (const body of [{ householdIds: [householdB.id] }, { neighbourhoodIds: [neighbourhoodB.id] }]) {
      const response = await officialA.post(`/api/teams/${teamId}/areas`, body);
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('OUTSIDE_TEAM_AREA');
    }
  });

  it('lets the leader see households of the area, including one registered there later, and their residents', async () => {
    expect((await leader.get(`/api/households/${inNeighbourhood[0]!.id}`)).statusCode).toBe(200);
    expect((await leader.get(`/api/households/${single.id}`)).statusCode).toBe(200);
    expect((await leader.get(`/api/households/${elsewhereA.id}`)).statusCode).toBe(404);
    const later = await makeHousehold(ctx, UNIT_A, { neighbourhoodId: neighbourhood.id });
    const resident = await makeResident(ctx, later, { fullName: 'Lê Thị Mới' });
    expect((await leader.get(`/api/households/${later.id}`)).statusCode).toBe(200);
    expect((await leader.get(`/api/residents/${resident.id}`)).statusCode).toBe(200);
    expect((await leader.get(`/api/teams/${teamId}`)).json().householdsAssigned).toBe(4);
  });
});

describe('members and assignments', () => {
  it('lists candidates and adds members', async () => {
    const candidates = (await leader.get(`/api/teams/${teamId}/candidates`)).json() as { userId: number }[];
    expect(candidates.map((c) => c.userId)).toEqual(expect.arrayContaining([volunteer1.id, volunteer2.id]));
    expect((await leader.post(`/api/teams/${teamId}/members`, { userId: volunteer1.id })).statusCode).toBe(200);
    const team: Detail = (await officialA.post(`/api/teams/${teamId}/members`, { userId: volunteer2.id })).json();
    expect(team.members).toBe(2);
    const after = (await leader.get(`/api/teams/${teamId}/candidates`)).json() as { userId: number }[];
    expect(after.map((c) => c.userId)).not.toContain(volunteer1.id);
  });

  it('lets the leader give team households to a member, who then sees them', async () => {
    const response = await leader.post(`/api/teams/${teamId}/assignments`, { userId: volunteer1.id, householdIds: [inNeighbourhood[0]!.id, inNeighbourhood[1]!.id] });
    expect(response.json()).toEqual({ assigned: 2 });
    expect((await v1.get(`/api/households/${inNeighbourhood[1]!.id}`)).statusCode).toBe(200);
    expect((await v2.get(`/api/households/${inNeighbourhood[1]!.id}`)).statusCode).toBe(404);
  });

  it('refuses households outside the team’s areas and people outside the team', async () => {
    const outside = await leader.post(`/api/teams/${teamId}/assignments`, { userId: volunteer1.id, householdIds: [elsewhereA.id] });
    expect(outside.json().error.code).toBe('OUTSIDE_TEAM_AREA');
    const notMember = await leader.post(`/api/teams/${teamId}/assignments`, { userId: outsider.id, householdIds: [single.id] });
    expect(notMember.json().error.code).toBe('NOT_IN_TEAM');
  });

  it('moves a household to another member, and takes one back with userId null', async () => {
    await leader.post(`/api/teams/${teamId}/assignments`, { userId: volunteer2.id, householdIds: [inNeighbourhood[1]!.id, single.id] });
    expect((await v1.get(`/api/households/${inNeighbourhood[1]!.id}`)).statusCode).toBe(404);
    expect((await v2.get(`/api/households/${inNeighbourhood[1]!.id}`)).statusCode).toBe(200);
    const { rows } = await ctx.deps.db.execute(sql`SELECT user_id FROM assignments WHERE team_id = ${teamId} AND household_id = ${inNeighbourhood[1]!.id}`);
    expect(rows).toHaveLength(1);
    await leader.post(`/api/teams/${teamId}/assignments`, { userId: null, householdIds: [inNeighbourhood[0]!.id] });
    expect((await v1.get(`/api/households/${inNeighbourhood[0]!.id}`)).statusCode).toBe(404);
  });

  it('lists the team’s households with who has each, filtered by member or unassigned', async () => {
    const all = (await leader.get(`/api/teams/${teamId}/households`)).json();
    expect(all.items).toHaveLength(4);
    const ofV2 = (await leader.get(`/api/teams/${teamId}/households?member=${volunteer2.id}`)).json().items as { id: number; assignedTo: { userId: number } }[];
    expect(ofV2.map((h) => h.id).sort()).toEqual([inNeighbourhood[1]!.id, single.id].sort());
    expect(ofV2[0]!.assignedTo.userId).toBe(volunteer2.id);
    expect((await leader.get(`/api/teams/${teamId}/households?unassigned=false`)).json().items).toHaveLength(4);
    const unassigned = (await leader.get(`/api/teams/${teamId}/households?unassigned=true&limit=1`)).json();
    expect(unassigned.items).toHaveLength(1);
    expect(unassigned.next).not.toBeNull();
  });

  it('takes back the households of a removed member', async () => {
    const response = await del(ctx, leader, `/api/teams/${teamId}/members/${volunteer2.id}`);
    expect(response.statusCode).toBe(200);
    expect((response.json() as Detail).memberList.map((m) => m.userId)).toEqual([volunteer1.id]);
    expect((await v2.get(`/api/households/${single.id}`)).statusCode).toBe(404);
    const { rows } = await ctx.deps.db.execute(sql`SELECT 1 FROM assignments WHERE team_id = ${teamId} AND user_id = ${volunteer2.id}`);
    expect(rows).toHaveLength(0);
    expect((await del(ctx, leader, `/api/teams/${teamId}/members/${volunteer2.id}`)).json().error.code).toBe('NOT_IN_TEAM');
  });

  it('takes back assignments when an area is taken away', async () => {
    await leader.post(`/api/teams/${teamId}/assignments`, { userId: volunteer1.id, householdIds: [single.id] });
    const team: Detail = (await officialA.get(`/api/teams/${teamId}`)).json();
    const singleArea = team.areas.find((a) => a.neighbourhood === null)!;
    expect((await del(ctx, leader, `/api/teams/${teamId}/areas/${singleArea.id}`)).statusCode).toBe(403);
    const response = await del(ctx, officialA, `/api/teams/${teamId}/areas/${singleArea.id}`);
    expect(response.statusCode).toBe(200);
    expect((await v1.get(`/api/households/${single.id}`)).statusCode).toBe(404);
    expect((await leader.get(`/api/households/${single.id}`)).statusCode).toBe(404);
  });
});

describe('who sees a team', () => {
  it('hides the team from another ward’s official: not listed, not found, not changeable', async () => {
    const list = (await officialB.get(`/api/teams?unit=${UNIT_A}`)).json() as { id: number }[];
    expect(list).toEqual([]);
    for (const response of [
      await officialB.get(`/api/teams/${teamId}`),
      await officialB.get(`/api/teams/${teamId}/households`),
      await officialB.patch(`/api/teams/${teamId}`, { name: 'Đổi tên' }),
      await officialB.post(`/api/teams/${teamId}/areas`, { householdIds: [householdB.id] }),
      await officialB.post(`/api/teams/${teamId}/members`, { userId: outsider.id }),
      await officialB.post(`/api/teams/${teamId}/assignments`, { userId: volunteer1.id, householdIds: [inNeighbourhood[0]!.id] }),
      await del(ctx, officialB, `/api/teams/${teamId}/members/${volunteer1.id}`),
    ]) {
      expect(response.statusCode).toBe(404);
    }
  });

  it('hides the team and its households from another team’s leader', async () => {
    expect((await otherLeader.get(`/api/teams/${teamId}`)).statusCode).toBe(404);
    expect(((await otherLeader.get('/api/teams')).json() as { id: number }[]).map((t) => t.id)).not.toContain(teamId);
    expect((await otherLeader.get(`/api/households/${inNeighbourhood[0]!.id}`)).statusCode).toBe(404);
    expect((await otherLeader.get(`/api/households/${householdB.id}`)).statusCode).toBe(200);
    expect((await leader.get(`/api/households/${householdB.id}`)).statusCode).toBe(404);
  });

  it('lists the leader’s own team and refuses volunteers', async () => {
    expect(((await leader.get('/api/teams')).json() as { id: number }[]).map((t) => t.id)).toEqual([teamId]);
    expect((await v1.get('/api/teams')).statusCode).toBe(403);
    expect((await v1.get(`/api/teams/${teamId}`)).statusCode).toBe(403);
  });
});

describe('PATCH /api/teams/:id', () => {
  it('renames, then archives; an archived team refuses changes and its assignments end', async () => {
    expect((await leader.patch(`/api/teams/${teamId}`, { name: 'Tên mới' })).statusCode).toBe(403);
    expect((await officialA.patch(`/api/teams/${teamId}`, { name: 'Tổ công nghệ số khu phố 1' })).json().name).toBe('Tổ công nghệ số khu phố 1');
    const archived = await officialA.patch(`/api/teams/${teamId}`, { archived: true });
    expect(archived.json().archived).toBe(true);
    expect((await v1.get(`/api/households/${inNeighbourhood[1]!.id}`)).statusCode).toBe(404);
    const refused = await officialA.post(`/api/teams/${teamId}/areas`, { householdIds: [elsewhereA.id] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('TEAM_ARCHIVED');
    expect((await officialA.post(`/api/teams/${teamId}/members`, { userId: outsider.id })).json().error.code).toBe('TEAM_ARCHIVED');
    expect(((await officialA.get('/api/teams?archived=true')).json() as { id: number }[]).map((t) => t.id)).toEqual([teamId]);
    expect(((await officialA.get('/api/teams')).json() as { id: number }[]).map((t) => t.id)).not.toContain(teamId);
    expect(((await officialA.get('/api/teams?archived=false')).json() as { id: number }[]).map((t) => t.id)).not.toContain(teamId);
  });
});
