import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { UNIT_A, UNIT_B, createTestApp, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';
import { AppError } from '../../platform/errors.ts';
import { joinTeam } from './invites.service.ts';

let ctx: TestContext;
let officialA: Session;
let officialB: Session;
let leader: Session;
let teamId: number;

const origin = { ip: '127.0.0.1', userAgent: 'vitest' };
const join = (token: string, username: string) => ({ token, username, displayName: 'Nguyễn Văn Tình', password: 'mat-khau-rat-dai' });
const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
};

async function makeInvite(session: Session, body: Record<string, unknown> = {}) {
  const response = await session.post(`/api/teams/${teamId}/invites`, body);
  expect(response.statusCode).toBe(200);
  return response.json() as { id: number; token: string; url: string; status: string; maxUses: number };
}

beforeAll(async () => {
  ctx = await createTestApp();
  officialA = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  officialB = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
  const leaderUser = await makeUser(ctx, 'team_leader');
  leader = await signIn(ctx, leaderUser);
  teamId = (await officialA.post('/api/teams', { unitCode: UNIT_A, name: 'Tổ tình nguyện KP2', kind: 'volunteer_squad', leaderUserId: leaderUser.id })).json().id;
});
afterAll(async () => ctx?.close());

describe('POST /api/teams/:id/invites', () => {
  it('shows the token once, as a link with the token in the fragment, and stores only its hash', async () => {
    const invite = await makeInvite(leader);
    expect(invite.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invite.url).toBe(`/field/join#${invite.token}`);
    expect(invite).toMatchObject({ status: 'active', maxUses: 1, usedCount: 0 });
    const { rows } = await ctx.deps.db.execute<{ token_hash: string }>(sql`SELECT token_hash FROM team_invites WHERE id = ${invite.id}`);
    expect(rows[0]!.token_hash).not.toContain(invite.token);
    const listed = (await leader.get(`/api/teams/${teamId}/invites`)).json() as Record<string, unknown>[];
    expect(listed[0]).not.toHaveProperty('token');
  });

  it('is refused to another ward’s official', async () => {
    expect((await officialB.post(`/api/teams/${teamId}/invites`, {})).statusCode).toBe(404);
    expect((await officialB.get(`/api/teams/${teamId}/invites`)).statusCode).toBe(404);
  });
});

describe('joining by invite', () => {
  it('previews the invite without a session', async () => {
    const invite = await makeInvite(leader);
    const response = await ctx.app.inject({ method: 'GET', url: `/api/field/invites/preview?token=${invite.token}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ teamName: 'Tổ tình nguyện KP2', unitName: expect.stringContaining('Sài Gòn') });
  });

  it('POST /api/field/join makes a volunteer, adds them to the team and signs them in, once', async () => {
    const invite = await makeInvite(leader);
    const response = await ctx.app.inject({ method: 'POST', url: '/api/field/join', payload: join(invite.token, 'tnv.httpjoin') });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().user).toMatchObject({ username: 'tnv.httpjoin', role: 'volunteer' });
    expect(response.json().csrfToken).toEqual(expect.any(String));
    const cookie = response.cookies.find((c) => c.name === 'cds_session');
    expect(cookie?.httpOnly).toBe(true);
    const session = await ctx.app.inject({ method: 'GET', url: '/api/auth/session', cookies: { cds_session: cookie!.value } });
    expect(session.json().user.username).toBe('tnv.httpjoin');
    const again = await ctx.app.inject({ method: 'POST', url: '/api/field/join', payload: join(invite.token, 'tnv.httpjoin2') });
    expect(again.statusCode).toBe(410);
    expect(again.json().error.code).toBe('INVITE_INVALID');
  });

  it('joins once with a one-time invite; a second use fails with INVITE_INVALID; the new user can sign in', async () => {
    const invite = await makeInvite(leader);
    const signed = await joinTeam(ctx.deps, join(invite.token, 'tnv.mot'), origin);
    expect(signed.me).toMatchObject({ username: 'tnv.mot', role: 'volunteer', provinceCode: '79' });
    expect(await codeOf(joinTeam(ctx.deps, join(invite.token, 'tnv.hai'), origin))).toBe('INVITE_INVALID');
    const team = (await leader.get(`/api/teams/${teamId}`)).json() as { memberList: { username: string }[] };
    expect(team.memberList.map((m) => m.username)).toContain('tnv.mot');
    const { rows } = await ctx.deps.db.execute<{ invite_id: number }>(sql`SELECT m.invite_id FROM team_members m JOIN users u ON u.id = m.user_id WHERE u.username = 'tnv.mot'`);
    expect(Number(rows[0]!.invite_id)).toBe(invite.id);
    await signIn(ctx, { username: 'tnv.mot', password: 'mat-khau-rat-dai' });
    const listed = (await leader.get(`/api/teams/${teamId}/invites`)).json() as { id: number; status: string; usedCount: number }[];
    expect(listed.find((i) => i.id === invite.id)).toMatchObject({ status: 'used', usedCount: 1 });
  });

  it('lets only one of two simultaneous uses of a one-time invite through', async () => {
    const invite = await makeInvite(leader);
    const results = await Promise.all([
      codeOf(joinTeam(ctx.deps, join(invite.token, 'tnv.cung1'), origin)),
      codeOf(joinTeam(ctx.deps, join(invite.token, 'tnv.cung2'), origin)),
    ]);
    expect(results.sort()).toEqual(['INVITE_INVALID', 'OK']);
  });

  it('lets a many-use invite be used up to its limit', async () => {
    const invite = await makeInvite(leader, { maxUses: 2 });
    expect(await codeOf(joinTeam(ctx.deps, join(invite.token, 'tnv.nhieu1'), origin))).toBe('OK');
    expect(await codeOf(joinTeam(ctx.deps, join(invite.token, 'tnv.nhieu2'), origin))).toBe('OK');
    expect(await codeOf(joinTeam(ctx.deps, join(invite.token, 'tnv.nhieu3'), origin))).toBe('INVITE_INVALID');
  });

  it('refuses a taken username without using up the invite', async () => {
    const invite = await makeInvite(leader);
    expect(await codeOf(joinTeam(ctx.deps, join(invite.token, 'TNV.MOT'), origin))).toBe('USERNAME_TAKEN');
    expect(await codeOf(joinTeam(ctx.deps, join(invite.token, 'tnv.ba'), origin))).toBe('OK');
  });

  it('refuses a revoked invite, for preview and join', async () => {
    const invite = await makeInvite(leader);
    const revoked = await officialA.post(`/api/invites/${invite.id}/revoke`);
    expect(revoked.json().status).toBe('revoked');
    expect(await codeOf(joinTeam(ctx.deps, join(invite.token, 'tnv.thuhoi'), origin))).toBe('INVITE_INVALID');
    expect((await ctx.app.inject({ method: 'GET', url: `/api/field/invites/preview?token=${invite.token}` })).statusCode).toBe(410);
  });

  it('refuses an expired invite', async () => {
    const invite = await makeInvite(leader);
    await ctx.deps.db.execute(sql`UPDATE team_invites SET expires_at = now() - interval '1 minute' WHERE id = ${invite.id}`);
    expect(await codeOf(joinTeam(ctx.deps, join(invite.token, 'tnv.hethan'), origin))).toBe('INVITE_INVALID');
    const listed = (await leader.get(`/api/teams/${teamId}/invites`)).json() as { id: number; status: string }[];
    expect(listed.find((i) => i.id === invite.id)?.status).toBe('expired');
  });

  it('refuses a token that was never issued', async () => {
    expect(await codeOf(joinTeam(ctx.deps, join('x'.repeat(43), 'tnv.gia'), origin))).toBe('INVITE_INVALID');
  });

  it('lets another ward’s official neither revoke nor see the invite', async () => {
    const invite = await makeInvite(leader);
    expect((await officialB.post(`/api/invites/${invite.id}/revoke`)).statusCode).toBe(404);
  });
});
