import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, certificates, lessonCompletions } from '@cds/db';
import { and, eq, gt } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Actor } from '../access/actor.ts';
import { prepareProgressExport, writeProgressExport } from './learner-progress.service.ts';
import { PROVINCE, UNIT_A, UNIT_B, createTestApp, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';

const COURSES = fileURLToPath(new URL('./test-courses/', import.meta.url));

let ctx: TestContext;
let admin: Session;
let officialA: Session;
let leaderB: Session;
const ids: Record<string, number> = {};

type Item = { userId: number; name: string; unitCode: string | null; courses: { slug: string; lessonsDone: number; lessonCount: number; passed: boolean }[]; coursesPassed: number; lastActivityAt: string | null };

async function learner(name: string, unitCode: string | null): Promise<number> {
  if (unitCode === null) {
    const user = await makeUser(ctx, 'citizen');
    return user.id;
  }
  const resident = await makeResident(ctx, await makeHousehold(ctx, unitCode), { fullName: name });
  return (await makeUser(ctx, 'citizen', { residentId: resident.id })).id;
}

async function lessons(userId: number, course: string, slugs: string[]) {
  for (const lesson of slugs) await ctx.deps.db.insert(lessonCompletions).values({ userId, courseSlug: course, lessonSlug: lesson, completedAt: new Date('2026-11-10T03:00:00Z') });
}

beforeAll(async () => {
  ctx = await createTestApp({ coursesDir: COURSES });
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  officialA = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  leaderB = await signIn(ctx, await makeUser(ctx, 'team_leader', { units: [UNIT_B] }));

  ids.an = await learner('Nguyễn Văn An', UNIT_A);
  ids.binh = await learner('Trần Thị Bình', UNIT_A);
  ids.cuong = await learner('Lê Văn Cường', UNIT_A);
  ids.dung = await learner('Phạm Thị Dung', UNIT_B);
  ids.unlinked = await learner('', null);
  // A resident of unit A who never learned: not a learner.
  ids.idle = await learner('Võ Văn Nhàn', UNIT_A);

  await lessons(ids.an!, 'alpha', ['mot', 'hai', 'ba']);
  await ctx.deps.db.insert(certificates).values({ code: 'TEST-AN-ALPHA', kind: 'course', courseSlug: 'alpha', userId: ids.an!, provinceCode: PROVINCE, learnerName: 'Nguyễn Văn An', title: 'Alpha', issuedOn: '2026-11-10' });
  await lessons(ids.an!, 'beta', ['mot']);
  await lessons(ids.binh!, 'beta', ['mot', 'hai']);
  await lessons(ids.cuong!, 'alpha', ['mot']);
  await lessons(ids.dung!, 'alpha', ['mot', 'hai']);
  await lessons(ids.unlinked!, 'alpha', ['mot']);
});
afterAll(async () => ctx?.close());

describe('GET /api/learning/progress', () => {
  it('lists a unit official the learners of their own units by name, with lessons and passes', async () => {
    const response = await officialA.get('/api/learning/progress');
    expect(response.statusCode, response.body).toBe(200);
    const items = response.json().items as Item[];
    expect(items.map((i) => i.name)).toEqual(['Lê Văn Cường', 'Nguyễn Văn An', 'Trần Thị Bình']);
    const an = items.find((i) => i.userId === ids.an);
    expect(an).toMatchObject({
      unitCode: UNIT_A,
      coursesPassed: 1,
      courses: [
        { slug: 'alpha', lessonsDone: 3, lessonCount: 3, passed: true },
        { slug: 'beta', lessonsDone: 1, lessonCount: 3, passed: false },
      ],
    });
    expect(an?.lastActivityAt).toBe('2026-11-10T03:00:00.000Z');
  });

  it("does not give a ward official another ward's learners", async () => {
    const asked = await officialA.get(`/api/learning/progress?unit=${UNIT_B}`);
    expect(asked.statusCode).toBe(403);
    const all = (await officialA.get('/api/learning/progress')).json().items as Item[];
    expect(all.map((i) => i.userId)).not.toContain(ids.dung);
    expect(JSON.stringify(all)).not.toContain('Phạm Thị Dung');
    expect((await officialA.get(`/api/learning/progress/summary?unit=${UNIT_B}`)).statusCode).toBe(403);
    expect((await officialA.get(`/api/learning/progress.xlsx?unit=${UNIT_B}`)).statusCode).toBe(403);
  });

  it('gives a team leader (an instructor) the learners of their units only', async () => {
    const items = (await leaderB.get('/api/learning/progress')).json().items as Item[];
    expect(items.map((i) => i.userId)).toEqual([ids.dung]);
  });

  it('gives the city everyone, learners without a linked record included', async () => {
    const items = (await admin.get('/api/learning/progress?limit=200')).json().items as Item[];
    const userIds = items.map((i) => i.userId);
    expect(userIds).toEqual(expect.arrayContaining([ids.an, ids.binh, ids.cuong, ids.dung, ids.unlinked]));
    expect(userIds).not.toContain(ids.idle);
    expect(items.find((i) => i.userId === ids.unlinked)?.unitCode).toBeNull();
  });

  it('refuses volunteers and residents', async () => {
    const volunteer = await signIn(ctx, await makeUser(ctx, 'volunteer', { units: [UNIT_A] }));
    expect((await volunteer.get('/api/learning/progress')).statusCode).toBe(403);
  });

  it('filters by course and pages by name without repeating anyone', async () => {
    const beta = (await officialA.get('/api/learning/progress?course=beta')).json().items as Item[];
    expect(beta.map((i) => i.userId)).toEqual([ids.an, ids.binh]);
    const first = (await officialA.get('/api/learning/progress?limit=2')).json() as { items: Item[]; next: string | null };
    expect(first.items).toHaveLength(2);
    expect(first.next).not.toBeNull();
    const second = (await officialA.get(`/api/learning/progress?limit=2&cursor=${first.next}`)).json() as { items: Item[]; next: string | null };
    expect(second.items.map((i) => i.name)).toEqual(['Trần Thị Bình']);
    expect(second.next).toBeNull();
  });

  it('logs each read with the learners and their units', async () => {
    await officialA.get('/api/learning/progress?course=alpha');
    const [row] = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'list'), eq(auditLog.recordType, 'learner'))).orderBy(auditLog.id).limit(1);
    expect(row?.unitCodes).toEqual([UNIT_A]);
    expect(row?.recordIds.sort()).toEqual([ids.an, ids.binh, ids.cuong].sort());
  });
});

describe('GET /api/learning/progress/summary', () => {
  it('counts per course the learners in scope who started and who passed', async () => {
    const body = (await officialA.get('/api/learning/progress/summary')).json() as { learners: number; courses: { slug: string; started: number; passed: number }[]; units: { code: string }[] };
    expect(body.learners).toBe(3);
    expect(body.courses).toEqual([
      expect.objectContaining({ slug: 'alpha', started: 2, passed: 1 }),
      expect.objectContaining({ slug: 'beta', started: 2, passed: 0 }),
    ]);
    expect(body.units.map((u) => u.code)).toEqual([UNIT_A]);
  });
});

describe('GET /api/learning/progress.xlsx', () => {
  it('sends the workbook and logs the export with the learners in it', async () => {
    const before = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, 'export'));
    const response = await officialA.get(`/api/learning/progress.xlsx?unit=${UNIT_A}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain(`tien-do-hoc-tap-${UNIT_A}`);
    expect(response.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const after = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'export'), eq(auditLog.recordType, 'learner')));
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)?.recordIds.sort()).toEqual([ids.an, ids.binh, ids.cuong].sort());
    expect(after.at(-1)?.unitCodes).toEqual([UNIT_A]);
  });

  it('writes every learner once and in order, however many pages the workbook is written in', async () => {
    const adminUser = await makeUser(ctx, 'city_admin');
    const actor: Actor = { userId: adminUser.id, username: adminUser.username, role: 'city_admin', provinceCode: PROVINCE, unitCodes: [], residentId: null, ip: null, userAgent: 'test' };
    const prepared = await prepareProgressExport(ctx.deps, actor, {});
    const names = async (pageSize: number) => {
      const output = new PassThrough();
      const bytes: Buffer[] = [];
      output.on('data', (chunk: Buffer) => bytes.push(chunk));
      await writeProgressExport(prepared, output, pageSize);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.concat(bytes) as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      return sheet.getColumn(1).values.slice(2).map(String);
    };
    const whole = await names(1000);
    // By unit, then name; the learner without a record last. The resident who never learned is not there.
    expect(whole).toHaveLength(5);
    expect(whole.slice(0, 4)).toEqual(['Lê Văn Cường', 'Nguyễn Văn An', 'Trần Thị Bình', 'Phạm Thị Dung']);
    expect(await names(2)).toEqual(whole);
    expect(await names(1)).toEqual(whole);
  });

  it('logs each page before sending it, naming only the learners on it and none who left the scope since the export began', async () => {
    const official = await makeUser(ctx, 'unit_official', { units: [UNIT_A] });
    const actor: Actor = { userId: official.id, username: official.username, role: 'unit_official', provinceCode: PROVINCE, unitCodes: [UNIT_A], residentId: null, ip: null, userAgent: 'test' };
    const pool = ctx.deps.pool;
    const lastId = (await pool.query<{ n: number }>('SELECT coalesce(max(id), 0)::int AS n FROM audit_log')).rows[0]!.n;
    // In order Cường, An, Bình; Cường's account lets go of his record after the export began.
    const prepared = await prepareProgressExport(ctx.deps, actor, {});
    const residentId = (await pool.query<{ id: number }>('SELECT resident_id::int AS id FROM users WHERE id = $1', [ids.cuong])).rows[0]!.id;
    await pool.query('UPDATE users SET resident_id = NULL WHERE id = $1', [ids.cuong]);
    try {
      const output = new PassThrough();
      output.resume();
      await writeProgressExport(prepared, output, 2);
    } finally {
      await pool.query('UPDATE users SET resident_id = $2 WHERE id = $1', [ids.cuong, residentId]);
    }
    const logged = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'export'), eq(auditLog.recordType, 'learner'), gt(auditLog.id, lastId))).orderBy(auditLog.id);
    expect(logged.map((row) => ({ ids: row.recordIds, units: row.unitCodes, page: (row.detail as { page: number }).page, pages: (row.detail as { pages: number }).pages }))).toEqual([
      { ids: [ids.an], units: [UNIT_A], page: 1, pages: 2 },
      { ids: [ids.binh], units: [UNIT_A], page: 2, pages: 2 },
    ]);
    expect(new Set(logged.map((row) => (row.detail as { export: string }).export)).size).toBe(1);
  });

  it('reads and logs no page once the download has been cancelled', async () => {
    const adminUser = await makeUser(ctx, 'city_admin');
    const actor: Actor = { userId: adminUser.id, username: adminUser.username, role: 'city_admin', provinceCode: PROVINCE, unitCodes: [], residentId: null, ip: null, userAgent: 'test' };
    const prepared = await prepareProgressExport(ctx.deps, actor, {});
    expect(prepared.learnerIds.length).toBeGreaterThan(0);
    const output = new PassThrough();
    output.destroy();
    await writeProgressExport(prepared, output, 2).catch(() => undefined);
    const logged = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'export'), eq(auditLog.actorUserId, adminUser.id)));
    expect(logged).toEqual([]);
  });
});
