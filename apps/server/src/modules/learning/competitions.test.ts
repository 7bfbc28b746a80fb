import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, certificates, lessonCompletions, quizAttempts, residents } from '@cds/db';
import { and, eq } from 'drizzle-orm';
import {
  UNIT_A,
  UNIT_B,
  PROVINCE,
  createTestApp,
  makeHousehold,
  makeResident,
  makeUser,
  residentSession,
  signIn,
  type Session,
  type TestContext,
  type TestUser,
} from '../../test/test-app.ts';
import { prepareCompetitionReport, rankUnits } from './competitions.service.ts';

const COURSES = fileURLToPath(new URL('./test-courses/', import.meta.url));

let ctx: TestContext;
let admin: Session;
let officialA: Session;
let officialB: Session;

beforeAll(async () => {
  ctx = await createTestApp({ coursesDir: COURSES, otp: { ttlMinutes: 5, maxWrong: 5, lockMinutes: 15, perHour: 100, resendSeconds: 0 } });
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  officialA = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  officialB = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
});
afterAll(async () => ctx?.close());

let certificateCounter = 0;

/** A learner account linked to a new resident of the unit (aged 14+ unless a birth date is given). */
async function linkedLearner(unitCode: string, options: { birthDate?: string; status?: 'living' | 'moved_away' } = {}): Promise<TestUser & { residentId: number }> {
  const household = await makeHousehold(ctx, unitCode);
  const resident = await makeResident(ctx, household, { fullName: `Người học ${unitCode} ${++certificateCounter}`, birthDate: options.birthDate ?? '1990-01-01' });
  if (options.status) await ctx.deps.db.update(residents).set({ status: options.status }).where(eq(residents.id, resident.id));
  const user = await makeUser(ctx, 'citizen', { residentId: resident.id });
  return { ...user, residentId: resident.id };
}

async function lessonDone(userId: number, course: string, lesson: string, at: string) {
  await ctx.deps.db.insert(lessonCompletions).values({ userId, courseSlug: course, lessonSlug: lesson, completedAt: new Date(at) });
}
async function quizSubmitted(userId: number, course: string, at: string) {
  await ctx.deps.db.insert(quizAttempts).values({ userId, courseSlug: course, shown: [], startedAt: new Date(at), submittedAt: new Date(at), answers: [], correct: 3, total: 3, scorePercent: 100, passed: true });
}
async function certified(userId: number, course: string, issuedOn: string) {
  await ctx.deps.db.insert(certificates).values({ code: `TEST-${++certificateCounter}`, kind: 'course', courseSlug: course, userId, provinceCode: PROVINCE, learnerName: 'x', title: course, issuedOn });
}

type Standing = { unitCode: string; audience: number; participants: number; finishers: number; participationRate: number; completionRate: number; rank: number };

describe('POST /api/competitions', () => {
  it('refuses a unit official a competition that reaches beyond their units, and unknown courses', async () => {
    const body = { title: 'Cuộc đua thử', startsOn: '2026-11-01', endsOn: '2026-11-30', courseSlugs: ['alpha'], audience: 'units', unitCodes: [UNIT_A, UNIT_B] };
    expect((await officialA.post('/api/competitions', body)).statusCode).toBe(403);
    const own = await officialA.post('/api/competitions', { ...body, unitCodes: [UNIT_A] });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ audience: 'units', units: [{ code: UNIT_A }], canManage: true, status: 'active' });
    const unknown = await admin.post('/api/competitions', { ...body, courseSlugs: ['alpha', 'khong-co'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('khong-co');
    const backwards = await admin.post('/api/competitions', { ...body, startsOn: '2026-12-01' });
    expect(backwards.statusCode).toBe(400);
  });
});

describe('PATCH /api/competitions/:id', () => {
  it('lets who runs it change the name, dates and courses, naming bad fields, and logs what changed', async () => {
    const created = await officialA.post('/api/competitions', { title: 'Thi đua tháng 11', startsOn: '2026-11-01', endsOn: '2026-11-30', courseSlugs: ['alpha'], audience: 'units', unitCodes: [UNIT_A] });
    const id = created.json().id as number;
    const change = { title: 'Thi đua tháng 11 và 12', description: 'Kéo dài đến cuối năm', startsOn: '2026-11-01', endsOn: '2026-12-31', courseSlugs: ['alpha', 'beta'] };
    // Another ward's official neither sees nor changes it; the city may.
    expect((await officialB.patch(`/api/competitions/${id}`, change)).statusCode).toBe(404);
    const changed = await officialA.patch(`/api/competitions/${id}`, change);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ title: 'Thi đua tháng 11 và 12', endsOn: '2026-12-31', courses: [{ slug: 'alpha' }, { slug: 'beta' }], units: [{ code: UNIT_A }], audience: 'units' });
    expect((await officialA.get(`/api/competitions/${id}`)).json().title).toBe('Thi đua tháng 11 và 12');

    const backwards = await officialA.patch(`/api/competitions/${id}`, { ...change, endsOn: '2026-10-01' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.issues[0]).toMatchObject({ path: 'body.endsOn' });
    const unknown = await officialA.patch(`/api/competitions/${id}`, { ...change, courseSlugs: ['khong-co'] });
    expect(unknown.json().error.issues[0]).toMatchObject({ path: 'body.courseSlugs', message: expect.stringContaining('khong-co') });
    expect((await officialA.get(`/api/competitions/${id}`)).json().endsOn).toBe('2026-12-31');

    const [logged] = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.recordType, 'competition'), eq(auditLog.action, 'update')));
    expect(logged?.fields?.sort()).toEqual(['courseSlugs', 'description', 'endsOn', 'title']);
  });
});

describe('standings of a competition for units', () => {
  let id: number;

  beforeAll(async () => {
    // Unit A: four residents aged 14+, one child and one who moved away (not in the audience).
    const [a1, a2, a3, a4] = [await linkedLearner(UNIT_A), await linkedLearner(UNIT_A), await linkedLearner(UNIT_A), await linkedLearner(UNIT_A)];
    const child = await linkedLearner(UNIT_A, { birthDate: '2015-03-01' });
    const movedAway = await linkedLearner(UNIT_A, { status: 'moved_away' });
    // Unit B: two residents.
    const [b1] = [await linkedLearner(UNIT_B), await linkedLearner(UNIT_B)];
    if (!a1 || !a2 || !a3 || !a4 || !b1) throw new Error('fixture');

    await lessonDone(a1.id, 'alpha', 'mot', '2026-11-05T03:00:00Z');
    await certified(a1.id, 'alpha', '2026-11-06');
    // 18:00 UTC on 31 October is 01:00 on 1 November in Vietnam: inside the dates.
    await quizSubmitted(a2.id, 'alpha', '2026-10-31T18:00:00Z');
    await certified(a2.id, 'alpha', '2026-11-01');
    // Took part; the certificate came after the end date.
    await lessonDone(a3.id, 'alpha', 'mot', '2026-11-20T03:00:00Z');
    await certified(a3.id, 'alpha', '2026-12-05');
    // Only before the start (16:00 UTC on 31 October is 23:00 the same day in Vietnam), and another course.
    await lessonDone(a4.id, 'alpha', 'mot', '2026-10-31T16:00:00Z');
    await certified(a4.id, 'alpha', '2026-10-31');
    await lessonDone(a4.id, 'beta', 'mot', '2026-11-10T03:00:00Z');
    // Outside the audience, however active.
    for (const outside of [child, movedAway]) {
      await lessonDone(outside.id, 'alpha', 'mot', '2026-11-10T03:00:00Z');
      await certified(outside.id, 'alpha', '2026-11-10');
    }
    await lessonDone(b1.id, 'alpha', 'hai', '2026-11-15T03:00:00Z');
    await certified(b1.id, 'alpha', '2026-11-15');

    const created = await admin.post('/api/competitions', {
      title: 'Cuộc đua luyện kỹ năng số',
      startsOn: '2026-11-01',
      endsOn: '2026-11-30',
      courseSlugs: ['alpha'],
      audience: 'units',
      unitCodes: [UNIT_A, UNIT_B],
    });
    expect(created.statusCode, created.body).toBe(200);
    id = created.json().id;
  });

  it('counts the audience from the registry and participants and finishers within the dates, per unit', async () => {
    const response = await admin.get(`/api/competitions/${id}/standings`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { units: Standing[]; totals: Omit<Standing, 'unitCode' | 'rank'>; leaderboard: Standing[] };
    const a = body.units.find((u) => u.unitCode === UNIT_A);
    const b = body.units.find((u) => u.unitCode === UNIT_B);
    expect(a).toMatchObject({ audience: 4, participants: 3, finishers: 2, participationRate: 75, completionRate: 50 });
    expect(b).toMatchObject({ audience: 2, participants: 1, finishers: 1, participationRate: 50, completionRate: 50 });
    expect(body.totals).toEqual({ audience: 6, participants: 4, finishers: 3, participationRate: 66.7, completionRate: 50 });
    // Equal completion: the higher participation ranks first.
    expect(body.leaderboard.map((u) => [u.unitCode, u.rank])).toEqual([
      [UNIT_A, 1],
      [UNIT_B, 2],
    ]);
  });

  it('is visible to an official of one of its units, not to one outside it', async () => {
    const other = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: ['25747'] }));
    expect((await other.get(`/api/competitions/${id}/standings`)).statusCode).toBe(404);
    expect((await other.get('/api/competitions')).json().items.map((c: { id: number }) => c.id)).not.toContain(id);
    const seen = await officialB.get(`/api/competitions/${id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().canManage).toBe(false);
  });
});

describe('a list competition', () => {
  let id: number;

  beforeAll(async () => {
    const created = await officialA.post('/api/competitions', { title: 'Cuộc đua của cán bộ phường', startsOn: '2026-01-01', endsOn: '2030-12-31', courseSlugs: ['alpha'], audience: 'list' });
    expect(created.statusCode, created.body).toBe(200);
    id = created.json().id;
  });

  it('keeps the good rows and sends back each bad row named, with the field and the reason', async () => {
    const response = await officialA.post(`/api/competitions/${id}/members`, {
      rows: [
        { fullName: 'Trần Thị Bình', phone: '0912 345 678', unitCode: UNIT_A, agency: 'UBND phường' },
        { fullName: 'Lê Văn Cường', phone: 'abc', unitCode: UNIT_A },
        { fullName: 'Phạm Thị Dung', phone: '0987654321', unitCode: '99999' },
        { fullName: 'Trần Thị Bình (lặp)', phone: '+84912345678', unitCode: UNIT_A },
        { fullName: 'Ngô Văn Em', phone: '0977000111', unitCode: UNIT_B },
        { fullName: 'Đỗ Thị Phương', phone: '0933000222', unitCode: UNIT_A },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { accepted: number; memberCount: number; rejected: { row: number; problems: { field: string; message: string }[] }[] };
    expect(body.accepted).toBe(2);
    expect(body.memberCount).toBe(2);
    expect(body.rejected.map((r) => [r.row, r.problems.map((p) => p.field)])).toEqual([
      [2, ['phone']],
      [3, ['unitCode']],
      [4, ['phone']],
      [5, ['unitCode']],
    ]);
    expect(body.rejected[0]?.problems[0]?.message).toMatch(/^Dòng 2, cột "Số điện thoại": /);
    expect(body.rejected[1]?.problems[0]?.message).toContain('99999');
    expect(body.rejected[2]?.problems[0]?.message).toContain('trùng với dòng 1');

    const again = await officialA.post(`/api/competitions/${id}/members`, { rows: [{ fullName: 'Trần Thị Bình', phone: '0912345678', unitCode: UNIT_A }] });
    expect(again.json()).toMatchObject({ accepted: 0, memberCount: 2, rejected: [{ row: 1, problems: [{ field: 'phone' }] }] });
  });

  it('refuses uploads from an official of another unit', async () => {
    expect((await officialB.post(`/api/competitions/${id}/members`, { rows: [{ fullName: 'Ai Đó', phone: '0911000999', unitCode: UNIT_B }] })).statusCode).toBe(403);
  });

  it('matches members to learners by phone: a member who signs in and learns takes part, and finishes by passing', async () => {
    const learner = await residentSession(ctx, '0912345678');
    expect((await learner.post('/api/courses/alpha/lessons/mot/complete')).statusCode).toBe(200);
    let standings = (await officialA.get(`/api/competitions/${id}/standings`)).json() as { units: Standing[] };
    expect(standings.units).toEqual([expect.objectContaining({ unitCode: UNIT_A, audience: 2, participants: 1, finishers: 0, participationRate: 50 })]);

    for (const lesson of ['hai', 'ba']) await learner.post(`/api/courses/alpha/lessons/${lesson}/complete`);
    const attempt = (await learner.post('/api/courses/alpha/quiz')).json() as { id: number; questions: { id: string; options: { key: string; text: string }[] }[] };
    const answers = attempt.questions.map((q) => ({ questionId: q.id, optionKey: q.options.find((o) => o.text.startsWith('Đúng'))!.key }));
    expect((await learner.post(`/api/courses/alpha/quiz/${attempt.id}/submit`, { answers })).json().passed).toBe(true);
    standings = (await officialA.get(`/api/competitions/${id}/standings`)).json();
    expect(standings.units[0]).toMatchObject({ participants: 1, finishers: 1, completionRate: 50 });

    // Someone not on the list learns too: the list's figures do not change.
    const stranger = await residentSession(ctx, '0988111222');
    await stranger.post('/api/courses/alpha/lessons/mot/complete');
    standings = (await officialA.get(`/api/competitions/${id}/standings`)).json();
    expect(standings.units[0]).toMatchObject({ audience: 2, participants: 1 });
  });

  it('exports the report, members included for those who run it, and logs the export', async () => {
    const response = await officialA.get(`/api/competitions/${id}/report.xlsx`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const logged = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'export'), eq(auditLog.recordType, 'competition')));
    expect(logged.some((row) => row.recordIds.includes(id) && row.unitCodes.includes(UNIT_A) && row.fields.includes('members.fullName'))).toBe(true);
  });
  it('does not tell an official whether a listed person registered in another ward learns', async () => {
    // Đỗ Thị Phương was listed under ward A; her registry record, holding that phone, is in Củ Chi.
    const home = await makeHousehold(ctx, '27553');
    await ctx.deps.db.insert(residents).values({ provinceCode: '79', householdId: home.id, unitCode: '27553', fullName: 'Đỗ Thị Phương', nameFolded: 'do thi phuong', birthDate: '1990-02-02', birthYear: 1990, sex: 'female', phone: '0933000222', relationToHead: 'head', residenceType: 'permanent' });
    const learner = await residentSession(ctx, '0933000222');
    expect(learner.residentId).not.toBeNull();
    await learner.post('/api/courses/alpha/lessons/mot/complete');
    const official = await makeUser(ctx, 'unit_official', { units: [UNIT_A] });
    const actor = { userId: official.id, username: official.username, role: 'unit_official' as const, provinceCode: '79', unitCodes: [UNIT_A], residentId: null, ip: null, userAgent: null };
    const report = await prepareCompetitionReport(ctx.deps, actor, id);
    expect(report.members?.find((m) => m.fullName === 'Đỗ Thị Phương')).toMatchObject({ participated: null, finished: null });
    expect(report.members?.find((m) => m.fullName === 'Trần Thị Bình')).toMatchObject({ participated: true, finished: true });
    // She still counts in the unnamed figures.
    expect(report.standings.totals).toMatchObject({ audience: 2, participants: 2 });
  });
});

describe('GET /api/public/competitions', () => {
  it('answers without signing in, with counts and rates and no names', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/public/competitions' });
    expect(response.statusCode, response.body).toBe(200);
    const items = response.json().items as { title: string; totals: { audience: number }; leaderboard: Standing[] }[];
    expect(items.map((c) => c.title)).toEqual(expect.arrayContaining(['Cuộc đua luyện kỹ năng số', 'Cuộc đua của cán bộ phường']));
    expect(items.find((c) => c.title === 'Cuộc đua luyện kỹ năng số')?.totals.audience).toBe(6);
    expect(response.body).not.toContain('Người học');
    expect(response.body).not.toContain('Trần Thị Bình');
    expect(response.body).not.toMatch(/5678|phone/i);
  });
});

describe('rankUnits', () => {
  it('ranks by completion, then participation, then counts; equal units share a rank', () => {
    const row = (unitName: string, audience: number, participants: number, finishers: number) => ({ unitName, audience, participants, finishers, participationRate: 0, completionRate: 0 });
    const ranked = rankUnits([row('A', 10, 5, 5), row('B', 20, 10, 10), row('C', 4, 4, 2), row('D', 0, 0, 0)]);
    expect(ranked.map((r) => [r.unitName, r.rank])).toEqual([
      ['C', 1],
      ['B', 2],
      ['A', 3],
      ['D', 4],
    ]);
    const tied = rankUnits([row('X', 10, 5, 5), row('Y', 10, 5, 5)]);
    expect(tied.map((r) => r.rank)).toEqual([1, 1]);
  });
});
