import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@cds/db';
import { and, desc, eq } from 'drizzle-orm';
import { UNIT_A, createTestApp, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext, type TestUser } from '../../test/test-app.ts';

// Decree 13/2023/ND-CP: every access to personal data can be accounted for. Each personal read
// leaves a row naming the records it returned, and auditors can ask who saw a given record.

let ctx: TestContext;
let auditor: Session;
let officialUser: TestUser;
let official: Session;
let household: { id: number; unitCode: string };
let residentX: { id: number };
let residentY: { id: number };

type Entry = { id: number; actorUserId: number | null; actorUsername: string | null; actorRole: string | null; action: string; recordType: string | null; recordIds: number[]; unitCodes: string[]; fields: string[] };

beforeAll(async () => {
  ctx = await createTestApp();
  auditor = await signIn(ctx, await makeUser(ctx, 'auditor'));
  officialUser = await makeUser(ctx, 'unit_official', { units: [UNIT_A] });
  official = await signIn(ctx, officialUser);
  household = await makeHousehold(ctx, UNIT_A);
  residentX = await makeResident(ctx, household, { fullName: 'Quách Thị Xuân', sex: 'female', birthDate: '1986-08-08', relationToHead: 'head' });
  residentY = await makeResident(ctx, household, { fullName: 'Quách Văn Yên', birthDate: '2010-01-01', relationToHead: 'child' });
});
afterAll(async () => ctx?.close());

/** The newest audit row written for a user. */
const lastEntryOf = async (userId: number, recordType?: string) => {
  const [row] = await ctx.deps.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.actorUserId, userId), recordType ? eq(auditLog.recordType, recordType) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(1);
  if (!row) throw new Error('no audit row');
  return row;
};

const auditSearch = async (query: string) => {
  const response = await auditor.get(`/api/audit?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: Entry[]; next: string | null };
};

describe('every personal read writes the audit log', () => {
  it('a household detail read names the household, and each member it showed as a resident read', async () => {
    expect((await official.get(`/api/households/${household.id}`)).statusCode).toBe(200);
    const rows = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.actorUserId, officialUser.id)).orderBy(desc(auditLog.id)).limit(2);
    const householdRead = rows.find((r) => r.recordType === 'household');
    expect(householdRead).toMatchObject({ action: 'read', recordIds: [household.id], unitCodes: [UNIT_A], actorUsername: officialUser.username, actorRole: 'unit_official' });
    const residentRead = rows.find((r) => r.recordType === 'resident');
    expect(residentRead?.action).toBe('read');
    expect([...(residentRead?.recordIds ?? [])].sort((a, b) => a - b)).toEqual([residentX.id, residentY.id].sort((a, b) => a - b));
  });

  it('a resident detail read names the resident and the fields shown', async () => {
    await official.get(`/api/residents/${residentX.id}`);
    const entry = await lastEntryOf(officialUser.id);
    expect(entry).toMatchObject({ action: 'read', recordType: 'resident', recordIds: [residentX.id] });
    expect(entry.fields).toContain('citizenId(masked)');
  });

  it('a resident search names every resident it returned', async () => {
    const other = await makeHousehold(ctx, UNIT_A);
    await makeResident(ctx, other, { fullName: 'Quách Văn Zũng', birthDate: '1970-01-01' });
    const body = (await official.get('/api/residents?q=quach')).json() as { items: { id: number }[] };
    expect(body.items.length).toBe(3);
    const entry = await lastEntryOf(officialUser.id);
    expect(entry).toMatchObject({ action: 'search', recordType: 'resident' });
    expect(entry.recordIds).toEqual(body.items.map((r) => r.id));
  });

  it('a search that finds nobody is still logged, naming nobody', async () => {
    const body = (await official.get('/api/residents?q=khong%20co%20ai%20ten%20nay')).json();
    expect(body.items).toEqual([]);
    expect(await lastEntryOf(officialUser.id)).toMatchObject({ action: 'search', recordType: 'resident', recordIds: [] });
  });

  it('a list of households names every household it returned', async () => {
    await makeHousehold(ctx, UNIT_A);
    const body = (await official.get(`/api/households?unit=${UNIT_A}&limit=2`)).json() as { items: { id: number }[] };
    expect(body.items).toHaveLength(2);
    const entry = await lastEntryOf(officialUser.id, 'household');
    expect(entry).toMatchObject({ action: 'list', recordType: 'household' });
    expect(entry.recordIds).toEqual(body.items.map((h) => h.id));
  });

  it('a list of households also names the heads whose names it showed', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const head = await makeResident(ctx, household, { fullName: 'Lý Thị Chủ Hộ', relationToHead: 'head' });
    const body = (await official.get(`/api/households?unit=${UNIT_A}&limit=200`)).json() as { items: { id: number; headName: string | null }[] };
    expect(body.items.find((h) => h.id === household.id)?.headName).toBe('Lý Thị Chủ Hộ');
    const entry = await lastEntryOf(officialUser.id, 'resident');
    expect(entry).toMatchObject({ action: 'list', fields: ['fullName'] });
    expect(entry.recordIds).toContain(head.id);
  });

  it('a read of a resident’s fact history names the resident', async () => {
    await official.get(`/api/residents/${residentY.id}/facts`);
    expect(await lastEntryOf(officialUser.id)).toMatchObject({ action: 'read', recordType: 'resident', recordIds: [residentY.id], fields: ['facts'] });
  });
});

describe('GET /api/audit', () => {
  let viewers: TestUser[];
  let bystander: TestUser;

  beforeAll(async () => {
    // Three officials see resident X by three routes; a fourth sees only resident Y.
    viewers = [];
    for (let i = 0; i < 3; i++) viewers.push(await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    const [reader, searcher, householdReader] = await Promise.all(viewers.map((v) => signIn(ctx, v)));
    await reader!.get(`/api/residents/${residentX.id}`);
    await reader!.get(`/api/residents/${residentX.id}`);
    await searcher!.get('/api/residents?q=quach%20thi%20xuan');
    await householdReader!.get(`/api/households/${household.id}`);
    bystander = await makeUser(ctx, 'unit_official', { units: [UNIT_A] });
    await (await signIn(ctx, bystander)).get(`/api/residents/${residentY.id}`);
  });

  it('finds who saw resident X, by any route, and not who saw only someone else', async () => {
    const { items } = await auditSearch(`recordType=resident&recordId=${residentX.id}&limit=200`);
    expect(items.every((e) => e.recordIds.includes(residentX.id) && e.recordType === 'resident')).toBe(true);
    const who = new Set(items.map((e) => e.actorUsername));
    for (const viewer of viewers) expect(who, viewer.username).toContain(viewer.username);
    expect(who).not.toContain(bystander.username);
  });

  it('finds what one person did by their username, in any case', async () => {
    const [reader] = viewers;
    const { items } = await auditSearch(`actor=${reader!.username.toUpperCase()}&limit=200`);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.actorUsername === reader!.username)).toBe(true);
    expect(items.map((e) => e.action)).toEqual(['read', 'read', 'sign_in']);
    expect(items[0]).toMatchObject({ recordType: 'resident', recordIds: [residentX.id], actorRole: 'unit_official' });
  });

  it('pages newest first with a keyset cursor, without repeating or skipping an entry', async () => {
    const query = `recordType=resident&recordId=${residentX.id}`;
    const all = (await auditSearch(`${query}&limit=200`)).items.map((e) => e.id);
    expect(all.length).toBeGreaterThanOrEqual(5);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body: { items: Entry[]; next: string | null } = await auditSearch(`${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...body.items.map((e) => e.id));
      cursor = body.next;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toEqual(all);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(pages).toBe(Math.ceil(all.length / 2));
  });

  it('takes bare dates as whole days in Vietnam time, at both ends of a range', async () => {
    // Written straight into the table: the app stamps rows with now(), and these need a known time.
    const stamps = ['2026-11-19T23:30:00+07:00', '2026-11-20T00:30:00+07:00', '2026-11-20T23:30:00+07:00', '2026-11-21T00:30:00+07:00'];
    const ids: number[] = [];
    for (const at of stamps) {
      const { rows } = await ctx.deps.pool.query(
        `INSERT INTO audit_log (at, actor_username, action, record_type) VALUES ($1, 'dated-test', 'export', 'household') RETURNING id`,
        [at],
      );
      ids.push(rows[0].id);
    }
    const { items } = await auditSearch('actor=dated-test&from=2026-11-20&to=2026-11-20');
    expect(items.map((e) => e.id)).toEqual([ids[2], ids[1]]);
  });

  it('logs the auditor’s own searches', async () => {
    const auditorUser = await makeUser(ctx, 'auditor');
    const session = await signIn(ctx, auditorUser);
    await session.get(`/api/audit?recordId=${residentX.id}`);
    expect(await lastEntryOf(auditorUser.id)).toMatchObject({ action: 'search', recordType: 'audit_log' });
  });

  it('is open to a city admin', async () => {
    const admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
    expect((await admin.get(`/api/audit?recordId=${residentX.id}`)).statusCode).toBe(200);
  });

  it('refuses a unit official and an analyst with 403', async () => {
    const analyst = await signIn(ctx, await makeUser(ctx, 'analyst'));
    for (const session of [official, analyst]) {
      const response = await session.get(`/api/audit?recordId=${residentX.id}`);
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
      expect(response.body).not.toContain(officialUser.username);
    }
  });

  it('refuses a visitor without a session with 401', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/audit' });
    expect(response.statusCode).toBe(401);
  });
});

describe('sign-ins', () => {
  it('logs a wrong password as sign_in_failed against the account', async () => {
    const user = await makeUser(ctx, 'volunteer');
    const response = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: 'wrong-password' } });
    expect(response.statusCode).toBe(401);
    const { items } = await auditSearch(`action=sign_in_failed&actor=${user.username}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ actorUserId: user.id, recordType: 'user', recordIds: [user.id] });
  });

  it('logs an unknown username as sign_in_failed under the name that was typed', async () => {
    const typed = `khong-ton-tai-${Date.now()}`;
    await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: typed, password: 'whatever' } });
    const { items } = await auditSearch(`action=sign_in_failed&actor=${typed}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ actorUserId: null, actorUsername: typed, actorRole: null });
  });
});

describe('the audit_log table', () => {
  it('rejects UPDATE, DELETE and TRUNCATE, even from the application’s own connection', async () => {
    const before = await ctx.deps.pool.query('SELECT count(*)::int AS n FROM audit_log');
    await expect(ctx.deps.pool.query(`UPDATE audit_log SET actor_username = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(ctx.deps.pool.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(ctx.deps.pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    const after = await ctx.deps.pool.query('SELECT count(*)::int AS n FROM audit_log');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const { rows } = await ctx.deps.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor_username = 'someone-else'`);
    expect(rows[0].n).toBe(0);
  });
});
