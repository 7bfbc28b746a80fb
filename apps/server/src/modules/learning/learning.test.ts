import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, facts, users } from '@cds/db';
import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PROVINCE, UNIT_A, createTestApp, makeHousehold, makeResident, makeUser, residentSession, signIn, type Session, type TestContext } from '../../test/test-app.ts';
import { lockRecordLinks } from '../access/resident-accounts.ts';
import { rebuildLedger, verifyLedger } from '../indicators/indicator-ledger.ts';

const COURSES = fileURLToPath(new URL('./test-courses/', import.meta.url));

let ctx: TestContext;

beforeAll(async () => {
  // No wait between codes: the learners here sign in again within seconds (otp.test.ts tests the waits).
  ctx = await createTestApp({ coursesDir: COURSES, otp: { ttlMinutes: 5, maxWrong: 5, lockMinutes: 15, perHour: 100, resendSeconds: 0 } });
});
afterAll(async () => ctx?.close());

async function finishLessons(session: Session, slug: string) {
  for (const lesson of ['mot', 'hai', 'ba']) expect((await session.post(`/api/courses/${slug}/lessons/${lesson}/complete`)).statusCode).toBe(200);
}

/** Answers every question; right ones by the fixture's wording ("Đúng N"), or all wrong. */
async function takeQuiz(session: Session, slug: string, right: boolean) {
  const attempt = (await session.post(`/api/courses/${slug}/quiz`)).json() as { id: number; questions: { id: string; options: { key: string; text: string }[] }[] };
  const answers = attempt.questions.map((q) => ({ questionId: q.id, optionKey: q.options.find((o) => o.text.startsWith('Đúng') === right)!.key }));
  const result = await session.post(`/api/courses/${slug}/quiz/${attempt.id}/submit`, { answers });
  expect(result.statusCode, result.body).toBe(200);
  return { attempt, result: result.json() };
}

describe('courses without signing in', () => {
  it('lists the courses from the content folder, in order, without progress', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/courses' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.courses.map((c: { slug: string }) => c.slug)).toEqual(['alpha', 'beta']);
    expect(body.courses[0]).toMatchObject({ title: 'Khoá thử Alpha', lessonCount: 3, progress: null, coverUrl: '/api/courses/alpha/images/ba-buoc.svg' });
    expect(body.basicPath.slugs).toEqual(['alpha', 'beta']);
  });

  it('opens the first lesson as a taste, rendered with its picture, and asks to sign in for the next', async () => {
    const first = await ctx.app.inject({ method: 'GET', url: '/api/courses/alpha/lessons/mot' });
    expect(first.statusCode).toBe(200);
    const lesson = first.json();
    expect(lesson.html).toContain('<img src="/api/courses/alpha/images/ba-buoc.svg" alt="Ba bước làm theo"');
    expect(lesson.text).toContain('Hình: Ba bước làm theo');
    expect(lesson.video).toEqual({ url: null, caption: 'Video hướng dẫn sắp có' });
    expect(lesson.next).toBe('hai');
    const second = await ctx.app.inject({ method: 'GET', url: '/api/courses/alpha/lessons/hai' });
    expect(second.statusCode).toBe(401);
  });

  it('serves course pictures as SVG that cannot run anything', async () => {
    const image = await ctx.app.inject({ method: 'GET', url: '/api/courses/alpha/images/ba-buoc.svg' });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toContain('image/svg+xml');
    expect(image.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await ctx.app.inject({ method: 'GET', url: '/api/courses/alpha/images/nope.svg' })).statusCode).toBe(404);
  });
});

describe('a learner follows a course to its certificate', () => {
  let learner: Awaited<ReturnType<typeof residentSession>>;
  let code: string;

  beforeAll(async () => {
    learner = await residentSession(ctx, '0912000001');
  });

  it('takes lessons in order: the second opens only after the first is done', async () => {
    expect((await learner.get('/api/courses/alpha/lessons/hai')).json().error.code).toBe('LESSON_LOCKED');
    expect((await learner.post('/api/courses/alpha/lessons/ba/complete')).statusCode).toBe(409);
    expect((await learner.post('/api/courses/alpha/lessons/mot/complete')).json()).toEqual({ lessonsDone: 1, lessonCount: 3, next: 'hai' });
    expect((await learner.get('/api/courses/alpha/lessons/hai')).statusCode).toBe(200);
    const detail = (await learner.get('/api/courses/alpha')).json();
    expect(detail.lessons.map((l: { done: boolean; open: boolean }) => [l.done, l.open])).toEqual([
      [true, true],
      [false, true],
      [false, false],
    ]);
  });

  it('opens the quiz only after every lesson', async () => {
    expect((await learner.post('/api/courses/alpha/quiz')).json().error.code).toBe('QUIZ_LOCKED');
    await finishLessons(learner, 'alpha');
    expect((await learner.post('/api/courses/alpha/quiz')).statusCode).toBe(200);
  });

  it('resumes the open attempt on another device, with the same questions', async () => {
    const again = await residentSession(ctx, '0912000001');
    const here = (await learner.post('/api/courses/alpha/quiz')).json();
    const there = (await again.post('/api/courses/alpha/quiz')).json();
    expect(there.id).toBe(here.id);
    expect(there.questions).toEqual(here.questions);
    expect(here.questions).toHaveLength(3);
    for (const q of here.questions) expect(q.options.map((o: { key: string }) => o.key)).toEqual(['a', 'b', 'c']);
  });

  it('fails an attempt below the pass mark: no certificate, each answer explained; a retry is a new draw', async () => {
    const { attempt, result } = await takeQuiz(learner, 'alpha', false);
    expect(result).toMatchObject({ correct: 0, total: 3, passed: false, certificateCode: null });
    expect(result.review[0].explanation).toMatch(/^Vì đáp án đúng là/);
    // A failed try does not hand out the right options for the next one.
    expect(result.review.every((r: { correctKey: string | null; correctText: string | null }) => r.correctKey === null && r.correctText === null)).toBe(true);
    expect((await learner.post(`/api/courses/alpha/quiz/${attempt.id}/submit`, { answers: [] })).json().error.code).toBe('ATTEMPT_SUBMITTED');
    const retry = (await learner.post('/api/courses/alpha/quiz')).json();
    expect(retry.id).not.toBe(attempt.id);
  });

  it('passes, gets a certificate once, and the course shows as passed', async () => {
    const { result } = await takeQuiz(learner, 'alpha', true);
    expect(result).toMatchObject({ correct: 3, scorePercent: 100, passed: true, pathCertificateCode: null });
    expect(result.certificateCode).toMatch(/^CDS-/);
    code = result.certificateCode;
    const second = await takeQuiz(learner, 'alpha', true);
    expect(second.result.certificateCode).toBe(code);
    const list = (await learner.get('/api/courses')).json();
    expect(list.courses[0].progress).toEqual({ lessonsDone: 3, passed: true, certificateCode: code });
  });

  it('verifies the real code publicly, and answers 404 for an altered or invented one', async () => {
    const real = await ctx.app.inject({ method: 'GET', url: `/api/certificates/${code}/verify` });
    expect(real.statusCode).toBe(200);
    expect(real.json()).toMatchObject({ code, title: 'Khoá thử Alpha', kind: 'course', issuer: 'Ủy ban nhân dân Thành phố Hồ Chí Minh', issuedOn: '2026-11-24' });
    // What the public page shows is exactly these facts: no phone, no ID, no account.
    expect(Object.keys(real.json()).sort()).toEqual(['code', 'issuedOn', 'issuer', 'kind', 'learnerName', 'nameVerified', 'title']);
    // This learner signed in by phone and gave no verified identity: the page says the name is theirs to vouch for.
    expect(real.json().nameVerified).toBe(false);
    const body = code.replace(/^CDS-|-/g, '');
    const altered = body.slice(0, 3) + (body[3] === 'A' ? 'B' : 'A') + body.slice(4);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/certificates/${altered}/verify` })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/certificates/CDS-0000-0000-0000/verify' })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/certificates/${encodeURIComponent("' OR 1=1 --")}/verify` })).statusCode).toBe(404);
    const checks = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, 'verify_certificate'));
    expect(checks.length).toBeGreaterThan(0);
  });

  it('gives the learner their PDF, and nobody else', async () => {
    const pdf = await learner.get(`/api/certificates/${code}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const other = await residentSession(ctx, '0912000002');
    expect((await other.get(`/api/certificates/${code}/pdf`)).statusCode).toBe(404);
  });
});

describe('completion moves the registry and the dashboard', () => {
  it('a learner linked to a registry record gains the skills facts, and the plan’s skills figures count them', async () => {
    const home = await makeHousehold(ctx, UNIT_A);
    const resident = await makeResident(ctx, home, { fullName: 'Trần Thị Học', birthDate: '1960-03-04', sex: 'female', phone: '0912000100' });
    await rebuildLedger(ctx.deps.db, ctx.deps.today());
    const admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
    const skills = async () => {
      const body = (await admin.get(`/api/plans/hcmc-2026/indicators?unit=${UNIT_A}`)).json() as { indicators: { id: string; numerator: number }[] };
      const find = (id: string) => body.indicators.find((i) => i.id === id)?.numerator;
      return { trained: find('tap-huan-ky-nang-so'), certified: find('xac-nhan-pho-cap-tri-thuc') };
    };
    const before = await skills();

    // The phone is held by exactly one registry record: the account is linked to it at first sign-in.
    const learner = await residentSession(ctx, '0912000100');
    expect(learner.residentId).toBe(resident.id);
    await finishLessons(learner, 'alpha');
    const first = await takeQuiz(learner, 'alpha', true);
    expect(first.result.passed).toBe(true);
    const stated = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, resident.id), eq(facts.sourceKind, 'course')));
    expect(stated.map((f) => [f.indicator, f.value])).toEqual([['basic_skills_trained', 'true']]);
    expect(stated[0]?.sourceRef).toBe(`chứng nhận ${first.result.certificateCode}`);
    expect(await skills()).toEqual({ trained: (before.trained ?? 0) + 1, certified: before.certified });

    // The second course completes the basic-skills path: its certificate, and the certified fact.
    await finishLessons(learner, 'beta');
    const second = await takeQuiz(learner, 'beta', true);
    expect(second.result.pathCertificateCode).toMatch(/^CDS-/);
    expect(await skills()).toEqual({ trained: (before.trained ?? 0) + 1, certified: (before.certified ?? 0) + 1 });
    const path = (await ctx.app.inject({ method: 'GET', url: `/api/certificates/${second.result.pathCertificateCode}/verify` })).json();
    expect(path).toMatchObject({ kind: 'basic_path', title: 'Kỹ năng số cơ bản', learnerName: 'Trần Thị Học' });
  });

  it('marks the name verified on a certificate only for an account holding its record by a verified link', async () => {
    const home = await makeHousehold(ctx, UNIT_A);
    const record = await makeResident(ctx, home, { fullName: 'Đặng Thị Xác Thực', birthDate: '1980-08-08', sex: 'female' });
    await rebuildLedger(ctx.deps.db, ctx.deps.today());
    // An account an official made for the resident (as a VNeID sign-in would): a strong link.
    const learner = await signIn(ctx, await makeUser(ctx, 'citizen', { residentId: record.id }));
    await finishLessons(learner, 'alpha');
    const { result } = await takeQuiz(learner, 'alpha', true);
    const checked = (await ctx.app.inject({ method: 'GET', url: `/api/certificates/${result.certificateCode}/verify` })).json();
    expect(checked).toMatchObject({ learnerName: 'Đặng Thị Xác Thực', nameVerified: true });
  });

  it('a learner who links their record later by citizen ID and birth date brings their certificates’ facts along', async () => {
    const learner = await residentSession(ctx, '0912000200');
    expect(learner.residentId).toBeNull();
    await finishLessons(learner, 'alpha');
    expect((await takeQuiz(learner, 'alpha', true)).result.passed).toBe(true);
    const home = await makeHousehold(ctx, UNIT_A);
    const resident = await makeResident(ctx, home, { fullName: 'Lê Văn Muộn', birthDate: '1970-07-07', citizenId: '079070000123' });
    await rebuildLedger(ctx.deps.db, ctx.deps.today());
    const wrong = await learner.post('/api/learn/link-record', { citizenId: '079070000123', birthDate: '1970-07-08' });
    expect(wrong.json().error.code).toBe('RECORD_NOT_MATCHED');
    const right = await learner.post('/api/learn/link-record', { citizenId: '079070000123', birthDate: '1970-07-07' });
    expect(right.statusCode, right.body).toBe(200);
    const stated = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, resident.id), eq(facts.sourceKind, 'course')));
    expect(stated.map((f) => f.indicator)).toEqual(['basic_skills_trained']);
    const profile = (await learner.get('/api/learn/profile')).json();
    expect(profile).toMatchObject({ linked: true, displayName: 'Lê Văn Muộn' });
    // Linked to the wrong record at first, the learner moves to the right one: it gains the fact too.
    const trueRecord = await makeResident(ctx, home, { fullName: 'Lê Văn Muộn Đúng', birthDate: '1971-01-01', citizenId: '079071000456', relationToHead: 'sibling' });
    await rebuildLedger(ctx.deps.db, ctx.deps.today());
    const admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
    const trained = async () =>
      ((await admin.get(`/api/plans/hcmc-2026/indicators?unit=${UNIT_A}`)).json() as { indicators: { id: string; numerator: number }[] }).indicators.find((i) => i.id === 'tap-huan-ky-nang-so')?.numerator;
    const trainedBefore = await trained();
    expect((await learner.post('/api/learn/link-record', { citizenId: '079071000456', birthDate: '1971-01-01' })).statusCode).toBe(200);
    const moved = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, trueRecord.id), eq(facts.sourceKind, 'course')));
    expect(moved.map((f) => f.indicator)).toEqual(['basic_skills_trained']);
    // The wrong record's fact is withdrawn: that person never passed, and the figures no longer count them.
    const left = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, resident.id), eq(facts.sourceKind, 'course')));
    const [said, withdrawn] = [left.find((f) => !f.retracts), left.find((f) => f.retracts)];
    expect(withdrawn).toMatchObject({ indicator: 'basic_skills_trained', correctsFactId: said?.id, statedBy: learner.userId });
    // One person trained, counted once: on the right record, no longer on the wrong one.
    expect(await trained()).toBe(trainedBefore);
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
    // Another account cannot take the same record.
    const other = await residentSession(ctx, '0912000201');
    expect((await other.post('/api/learn/link-record', { citizenId: '079071000456', birthDate: '1971-01-01' })).json().error.code).toBe('RECORD_LINKED_ELSEWHERE');
    // Back to the first record: the pass is stated there again, beside the withdrawn statement of it.
    expect((await learner.post('/api/learn/link-record', { citizenId: '079070000123', birthDate: '1970-07-07' })).statusCode).toBe(200);
    const back = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, resident.id), eq(facts.sourceKind, 'course'), eq(facts.retracts, false))).orderBy(facts.id);
    expect(back.map((f) => f.indicator)).toEqual(['basic_skills_trained', 'basic_skills_trained']);
    expect(await trained()).toBe(trainedBefore);
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });

  it('withdraws a pass from a record merged since, when the account moves to another record', async () => {
    const home = await makeHousehold(ctx, UNIT_A);
    const first = await makeResident(ctx, home, { fullName: 'Võ Văn Gộp', birthDate: '1963-03-03', phone: '0912000500' });
    // Found a second time in another household: the figures count the merged record's facts there.
    const kept = await makeResident(ctx, await makeHousehold(ctx, UNIT_A), { fullName: 'Võ Văn Gộp', birthDate: '1963-03-03' });
    const own = await makeResident(ctx, home, { fullName: 'Võ Văn Thật', birthDate: '1990-09-09', citizenId: '079090000500', relationToHead: 'child' });
    await rebuildLedger(ctx.deps.db, ctx.deps.today());
    const learner = await residentSession(ctx, '0912000500');
    expect(learner.residentId).toBe(first.id);
    await finishLessons(learner, 'alpha');
    await takeQuiz(learner, 'alpha', true);
    // The record is found twice in the registry and merged into the other one.
    const official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    const merged = await official.post(`/api/residents/${first.id}/merge`, { intoResidentId: kept.id, reason: 'Cùng một người, nhập hai lần' });
    expect(merged.statusCode, merged.body).toBe(200);
    // It was not the learner after all: they link their own record.
    expect((await learner.post('/api/learn/link-record', { citizenId: '079090000500', birthDate: '1990-09-09' })).statusCode).toBe(200);
    const left = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, first.id), eq(facts.sourceKind, 'course'))).orderBy(facts.id);
    expect(left.map((f) => [f.indicator, f.retracts])).toEqual([
      ['basic_skills_trained', false],
      ['basic_skills_trained', true],
    ]);
    const gained = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, own.id), eq(facts.sourceKind, 'course')));
    expect(gained.map((f) => f.indicator)).toEqual(['basic_skills_trained']);
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });

  it('does not state a pass again over an official’s correction of it', async () => {
    const home = await makeHousehold(ctx, UNIT_A);
    const resident = await makeResident(ctx, home, { fullName: 'Phan Văn Sửa', birthDate: '1962-02-02', phone: '0912000400' });
    const learner = await residentSession(ctx, '0912000400');
    expect(learner.residentId).toBe(resident.id);
    await finishLessons(learner, 'alpha');
    await takeQuiz(learner, 'alpha', true);
    const [said] = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, resident.id), eq(facts.sourceKind, 'course')));
    const official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    const corrected = await official.post(`/api/residents/${resident.id}/facts`, {
      indicator: 'basic_skills_trained',
      value: 'false',
      observedOn: ctx.deps.today(),
      correctsFactId: said!.id,
      note: 'Người khác làm bài thay',
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    await finishLessons(learner, 'beta');
    await takeQuiz(learner, 'beta', true);
    const trainedFacts = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, resident.id), eq(facts.indicator, 'basic_skills_trained'))).orderBy(facts.id);
    expect(trainedFacts.map((f) => [f.sourceKind, f.value])).toEqual([
      ['course', 'true'],
      ['person', 'false'],
    ]);
  });

  it('refuses a second account on a record in the database itself', async () => {
    const home = await makeHousehold(ctx, UNIT_A);
    const record = await makeResident(ctx, home, { fullName: 'Đinh Thị Một', birthDate: '1966-06-06', citizenId: '079166000777' });
    const holder = await residentSession(ctx, '0912000301');
    const other = await residentSession(ctx, '0912000302');
    expect((await holder.post('/api/learn/link-record', { citizenId: '079166000777', birthDate: '1966-06-06' })).statusCode).toBe(200);
    // Written around the services, which would have said RECORD_LINKED_ELSEWHERE.
    await expect(ctx.deps.db.update(users).set({ residentId: record.id, residentLink: 'typed' }).where(eq(users.id, other.userId))).rejects.toThrow();
    expect(await ctx.deps.db.select({ id: users.id }).from(users).where(eq(users.residentId, record.id))).toEqual([{ id: holder.userId }]);
  });

  // PGlite runs one transaction at a time, so a link can only be caught half-way on PostgreSQL.
  it.runIf(Boolean(process.env.DATABASE_URL))('makes an account linking a record that another is linking wait, then tells it the record is taken', async () => {
    const home = await makeHousehold(ctx, UNIT_A);
    const record = await makeResident(ctx, home, { fullName: 'Đinh Văn Hai', birthDate: '1967-07-07', citizenId: '079067000888' });
    const first = await residentSession(ctx, '0912000303');
    const second = await residentSession(ctx, '0912000304');
    // The first account's link, caught between its check and its commit.
    const client = await ctx.deps.pool.connect();
    try {
      await client.query('BEGIN');
      await lockRecordLinks(drizzle(client), PROVINCE, record.id);
      await client.query(`UPDATE users SET resident_id = $1, resident_link = 'typed' WHERE id = $2`, [record.id, first.userId]);
      const answer = second.post('/api/learn/link-record', { citizenId: '079067000888', birthDate: '1967-07-07' });
      // The second waits (on the link lock; without it, on the one-holder index) until the first commits.
      for (let i = 0; i < 100; i++) {
        const { rows } = await ctx.deps.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`);
        if (rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await client.query('COMMIT');
      const response = await answer;
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json().error.code).toBe('RECORD_LINKED_ELSEWHERE');
    } finally {
      client.release();
    }
  });
});
