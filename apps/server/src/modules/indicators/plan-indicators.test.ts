import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IndicatorFigure, PlanIndicators } from '@cds/contract';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeHousehold, makeResident, makeUser, signIn, UNIT_A, UNIT_B, type Session, type TestContext } from '../../test/test-app.ts';
import { readFigures } from './figures.ts';
import type { Actor } from '../access/actor.ts';
import { foldPendingDeltas, rebuildLedger, verifyLedger } from './indicator-ledger.ts';
import { listPlans } from './plans.service.ts';

// A small plan whose every figure below is worked out by hand from the people in this file.
const PLAN = `
id: test-plan
name: Kế hoạch thử
issuer: UBND thử
phases:
  - { id: p1, name: Giai đoạn một, deadline: 2026-12-31 }
indicators:
  - { id: adults-epay, name: Người lớn có tài khoản thanh toán, kind: computed, phase: p1, population: adults, measure: epayment_account, target: 100 }
  - { id: hh-device, name: Hộ có thiết bị thông minh, kind: computed, phase: p1, population: households, measure: member_smartphone, target: 100 }
  - { id: adults, name: Số người lớn, kind: computed, phase: p1, population: adults, unit: count, target: 0 }
  - { id: dossiers, name: Hồ sơ trực tuyến toàn trình, kind: reported, phase: p1, period: month, target: 90 }
  - { id: orgs-vneid, name: Tổ chức có VNeID, kind: computed, phase: p1, population: organisations, measure: vneid, target: 100 }
  - { id: mean-two, name: Bình quân hai chỉ tiêu, kind: derived, phase: p1, formula: "mean(adults-epay, hh-device)", target: 100 }
`;

let ctx: TestContext;
let admin: Session;
const people: Record<string, number> = {};
const homes: Record<string, number> = {};

async function figures(query = ''): Promise<Map<string, IndicatorFigure>> {
  const response = await admin.get(`/api/plans/test-plan/indicators${query}`);
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json() as PlanIndicators;
  return new Map(body.indicators.map((i) => [i.id, i]));
}

async function fact(resident: string, indicator: string, value: string, observedOn: string) {
  const response = await admin.post(`/api/residents/${people[resident]}/facts`, { indicator, value, observedOn, sourceKind: 'visit' });
  expect(response.statusCode, response.body).toBe(200);
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cds-plans-'));
  await writeFile(join(dir, 'test-plan.yaml'), PLAN);
  // Another city's plan (Hà Nội, 01); the people in this file are of Thành phố Hồ Chí Minh (79).
  await writeFile(join(dir, 'other-city.yaml'), PLAN.replace('id: test-plan', 'id: other-city').replace('issuer: UBND thử', "issuer: UBND thử\nprovince: '01'"));
  ctx = await createTestApp({ plansDir: dir });
  const h1 = await makeHousehold(ctx, UNIT_A);
  const h2 = await makeHousehold(ctx, UNIT_A);
  const h3 = await makeHousehold(ctx, UNIT_B);
  Object.assign(homes, { h1: h1.id, h2: h2.id, h3: h3.id });
  people.r1 = (await makeResident(ctx, h1, { birthDate: '1980-05-01' })).id;
  // Turns 18 on 1 December 2026, a week after "today".
  people.r2 = (await makeResident(ctx, h1, { birthDate: '2008-12-01', relationToHead: 'child' })).id;
  people.r3 = (await makeResident(ctx, h2, { birthDate: '1990-01-01' })).id;
  people.r4 = (await makeResident(ctx, h3, { birthDate: '1975-03-03' })).id;
  // The factories write rows directly, as a bulk load does; a rebuild gives the ledger its start.
  await rebuildLedger(ctx.deps.db, ctx.deps.today());
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  await fact('r1', 'smartphone', 'true', '2026-10-01');
  await fact('r1', 'epayment_account', 'true', '2026-11-01');
  await fact('r3', 'epayment_account', 'true', '2026-11-20');
  await fact('r4', 'smartphone', 'true', '2026-11-10');
});

afterAll(async () => {
  await ctx?.close();
});

describe('GET /api/plans/:id/indicators', () => {
  it('counts the city from the facts: 2 of 3 adults with an account, 2 of 3 households with a device', async () => {
    const city = await figures();
    expect(city.get('adults-epay')).toMatchObject({ numerator: 2, denominator: 3, value: 66.67, target: 100, deadline: '2026-12-31', daysLeft: 37 });
    expect(city.get('hh-device')).toMatchObject({ numerator: 2, denominator: 3, value: 66.67 });
    expect(city.get('adults')).toMatchObject({ value: 3 });
    expect(city.get('mean-two')?.value).toBe(66.67);
  });

  it('gives each unit its own figures and marks a unit that reached the target as met', async () => {
    const a = await figures(`?unit=${UNIT_A}`);
    expect(a.get('adults-epay')).toMatchObject({ numerator: 2, denominator: 2, value: 100, status: 'met' });
    expect(a.get('hh-device')).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
    const b = await figures(`?unit=${UNIT_B}`);
    expect(b.get('adults-epay')).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
    expect(b.get('hh-device')).toMatchObject({ numerator: 1, denominator: 1, value: 100, status: 'met' });
  });

  it('answers for a day in the past from the same ledger', async () => {
    const past = await figures('?asOf=2026-11-05');
    expect(past.get('adults-epay')).toMatchObject({ numerator: 1, denominator: 3 });
    expect(past.get('hh-device')).toMatchObject({ numerator: 1, denominator: 3 });
  });

  it('projects the last 30 days to the deadline and says on track, at risk or behind', async () => {
    // 30 days before 2026-11-24 nobody had an account (0%); now 66.67%: the line passes 100% well before 31 December.
    const city = await figures();
    expect(city.get('adults-epay')?.projected).toBe(100);
    expect(city.get('adults-epay')?.status).toBe('on_track');
  });

  it('counts a resident among the adults from their 18th birthday', async () => {
    const before = ctx.deps.today;
    ctx.deps.today = () => '2026-12-02';
    try {
      const later = await figures('?asOf=2026-12-02');
      expect(later.get('adults-epay')).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
      const onTheEve = await figures('?asOf=2026-11-30');
      expect(onTheEve.get('adults')?.value).toBe(3);
    } finally {
      ctx.deps.today = before;
    }
  });

  it('stops counting a resident from the day they died, and keeps them in the days before', async () => {
    const response = await admin.patch(`/api/residents/${people.r3}`, { status: 'deceased', leftOn: '2026-11-22' });
    expect(response.statusCode, response.body).toBe(200);
    const now = await figures();
    expect(now.get('adults-epay')).toMatchObject({ numerator: 1, denominator: 2 });
    // Household 2 had only this member: it no longer counts.
    expect(now.get('hh-device')).toMatchObject({ numerator: 2, denominator: 2 });
    const before = await figures('?asOf=2026-11-21');
    expect(before.get('adults-epay')).toMatchObject({ numerator: 2, denominator: 3 });
    expect(before.get('hh-device')).toMatchObject({ numerator: 2, denominator: 3 });
  });

  it('moves a resident’s figures with them to another unit', async () => {
    const response = await admin.patch(`/api/residents/${people.r4}`, { householdId: homes.h2 });
    expect(response.statusCode, response.body).toBe(200);
    const b = await figures(`?unit=${UNIT_B}`);
    expect(b.get('adults')?.value).toBe(0);
    expect(b.get('hh-device')).toMatchObject({ numerator: 0, denominator: 0, value: null, status: 'no_data' });
    const a = await figures(`?unit=${UNIT_A}`);
    expect(a.get('adults')?.value).toBe(2);
    expect(a.get('hh-device')).toMatchObject({ numerator: 2, denominator: 2 });
    expect((await figures()).get('adults')?.value).toBe(2);
  });

  it('splits a household: the member who leaves takes the device with them', async () => {
    const created = await admin.post('/api/households', { unitCode: UNIT_A, address: '5 Đường Lê Lợi', povertyStatus: 'none' });
    expect(created.statusCode, created.body).toBe(200);
    const h4 = (created.json() as { id: number }).id;
    const moved = await admin.patch(`/api/residents/${people.r1}`, { householdId: h4 });
    expect(moved.statusCode, moved.body).toBe(200);
    const a = await figures(`?unit=${UNIT_A}`);
    // Households 1 (r2 only, no device), 2 (r4, device) and 4 (r1, device).
    expect(a.get('hh-device')).toMatchObject({ numerator: 2, denominator: 3 });
  });

  it('counts two records of one person once after a merge, and twice again after the undo', async () => {
    const created = await admin.post('/api/residents', {
      householdId: homes.h3,
      fullName: 'Nguyễn Văn An',
      birthDate: '1975-03-03',
      sex: 'male',
      relationToHead: 'head',
      residenceType: 'permanent',
    });
    expect(created.statusCode, created.body).toBe(200);
    people.r5 = (created.json() as { id: number }).id;
    await fact('r5', 'epayment_account', 'true', '2026-11-15');
    // Adults: r1, r4 and the duplicate r5; accounts: r1 and r5.
    expect((await figures()).get('adults-epay')).toMatchObject({ numerator: 2, denominator: 3 });
    const merged = await admin.post(`/api/residents/${people.r5}/merge`, { intoResidentId: people.r4, reason: 'Cùng người, hai lần đăng ký' });
    expect(merged.statusCode, merged.body).toBe(200);
    // One person now: r4 holds r5's account.
    expect((await figures()).get('adults-epay')).toMatchObject({ numerator: 2, denominator: 2 });
    expect((await figures(`?unit=${UNIT_B}`)).get('adults')?.value).toBe(0);
    const undone = await admin.post(`/api/resident-merges/${(merged.json() as { id: number }).id}/undo`, {});
    expect(undone.statusCode, undone.body).toBe(200);
    expect((await figures()).get('adults-epay')).toMatchObject({ numerator: 2, denominator: 3 });
    expect((await figures(`?unit=${UNIT_B}`)).get('adults')?.value).toBe(1);
  });

  it('counts a newly registered organisation in the city and its unit', async () => {
    const created = await admin.post('/api/organisations', { unitCode: UNIT_B, name: 'Hợp tác xã Bến Thành', kind: 'cooperative' });
    expect(created.statusCode, created.body).toBe(200);
    expect((await figures()).get('orgs-vneid')).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
    expect((await figures(`?unit=${UNIT_A}`)).get('orgs-vneid')).toMatchObject({ denominator: 0, status: 'no_data' });
  });

  it('sums the units’ approved reports into a weighted city share', async () => {
    await ctx.deps.db.execute(sql`
      INSERT INTO reported_values (plan_id, indicator_id, unit_code, period, period_end, numerator, denominator, value, status)
      VALUES ('test-plan', 'dossiers', ${UNIT_A}, '2026-10', '2026-10-31', 80, 100, 80, 'approved'),
             ('test-plan', 'dossiers', ${UNIT_B}, '2026-10', '2026-10-31', 285, 300, 95, 'approved')`);
    const city = await figures();
    expect(city.get('dossiers')).toMatchObject({ numerator: 365, denominator: 400, value: 91.25, status: 'met' });
    expect((await figures(`?unit=${UNIT_A}`)).get('dossiers')).toMatchObject({ value: 80, status: 'behind' });
  });

  it('refuses a day before the two-level units existed, or in the future', async () => {
    expect((await admin.get('/api/plans/test-plan/indicators?asOf=2025-01-01')).statusCode).toBe(400);
    expect((await admin.get('/api/plans/test-plan/indicators?asOf=2027-01-01')).statusCode).toBe(400);
  });

  it('reads the same figures before and after the pending changes are folded into the ledger', async () => {
    const pending = await ctx.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM indicator_pending`);
    expect(pending.rows[0]?.n).toBeGreaterThan(0);
    const before = [await figures(), await figures(`?unit=${UNIT_A}`), await figures('?asOf=2026-11-21')];
    expect(await foldPendingDeltas(ctx.deps.db)).toBeGreaterThan(0);
    const after = [await figures(), await figures(`?unit=${UNIT_A}`), await figures('?asOf=2026-11-21')];
    expect(after).toEqual(before);
    expect((await ctx.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM indicator_pending`)).rows[0]?.n).toBe(0);
  });

  it('reads many days in one go exactly as it reads each day alone, with changes both folded and pending', async () => {
    // Folded by the test above; this fact stays pending, so the days span both.
    await fact('r4', 'epayment_account', 'true', '2026-11-22');
    const pending = await ctx.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM indicator_pending WHERE delta <> 0 AND key = 'adults|epayment_account'`);
    expect(pending.rows[0]?.n).toBeGreaterThan(0);
    const days = ['2026-11-24', '2026-10-01', '2026-11-01', '2026-11-05', '2026-11-10', '2026-11-21', '2026-11-22', '2026-10-01'];
    const keys = ['adults', 'adults|epayment_account', 'households', 'households|member_smartphone'];
    const scopes = [{ level: 'city', provinceCode: '79' }, { level: 'units', provinceCode: '79' }] as const;
    for (const scope of scopes) {
      const together = await readFigures(ctx.deps.db, ctx.deps.today(), scope, keys, days);
      for (const day of days) {
        const alone = await readFigures(ctx.deps.db, ctx.deps.today(), scope, keys, [day]);
        expect(together.get(day), `${scope.level} ${day}`).toEqual(alone.get(day));
      }
    }
    // The days differ, or agreeing would prove nothing: accounts open on 1 Nov, 20 Nov and 22 Nov.
    const city = await readFigures(ctx.deps.db, ctx.deps.today(), scopes[0], keys, days);
    const accounts = ['2026-10-01', '2026-11-05', '2026-11-21'].map((day) => city.get(day)?.get('')?.get('adults|epayment_account'));
    expect(accounts).toEqual([0, 1, 3]);
  });

  it('keeps figures that a recomputation from the facts alone agrees with', async () => {
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });

  it('names the figure when the kept ledger and the recomputation disagree', async () => {
    await ctx.deps.db.execute(sql`INSERT INTO indicator_ledger VALUES (${UNIT_B}, 0, 'adults', '2026-11-01', 1)`);
    const differences = await verifyLedger(ctx.deps.db);
    expect(differences).toContainEqual({ unitCode: UNIT_B, neighbourhoodId: 0, key: 'adults', day: '2026-11-01', ledger: 1, recomputed: 0 });
    await ctx.deps.db.execute(sql`DELETE FROM indicator_ledger WHERE unit_code = ${UNIT_B} AND key = 'adults' AND day = '2026-11-01'`);
  });

  it("neither lists nor opens another city's plan, which that city's people do see", async () => {
    const listed = ((await admin.get('/api/plans')).json() as { items: { id: string }[] }).items.map((p) => p.id);
    expect(listed).toEqual(['test-plan']);
    expect((await admin.get('/api/plans/other-city')).statusCode).toBe(404);
    expect((await admin.get('/api/plans/other-city/indicators')).statusCode).toBe(404);
    expect((await admin.get('/api/plans/test-plan/reports')).statusCode).toBe(200);
    expect((await admin.get('/api/plans/other-city/reports')).statusCode).toBe(404);
    expect((await admin.get(`/api/plans/test-plan/missing?unit=${UNIT_A}&element=device`)).statusCode).toBe(200);
    expect((await admin.get(`/api/plans/other-city/missing?unit=${UNIT_A}&element=device`)).statusCode).toBe(404);
    const hanoi: Actor = { userId: 0, username: 'hanoi', role: 'city_admin', provinceCode: '01', unitCodes: [], residentId: null, ip: null, userAgent: null };
    expect((await listPlans(ctx.deps, hanoi)).map((p) => p.id)).toEqual(['other-city', 'test-plan']);
  });

  it('lets an analyst read figures but not a volunteer', async () => {
    const analyst = await signIn(ctx, await makeUser(ctx, 'analyst'));
    expect((await analyst.get('/api/plans/test-plan/indicators')).statusCode).toBe(200);
    const volunteer = await signIn(ctx, await makeUser(ctx, 'volunteer', { units: [UNIT_A] }));
    expect((await volunteer.get('/api/plans/test-plan/indicators')).statusCode).toBe(403);
  });
});
