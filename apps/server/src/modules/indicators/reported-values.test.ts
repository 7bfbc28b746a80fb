import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MissingList, PlanIndicators, Ranking, ReportedValueView, Trend } from '@cds/contract';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeHousehold, makeResident, makeUser, signIn, UNIT_A, UNIT_B, type Session, type TestContext } from '../../test/test-app.ts';
import { ContentFileError } from '../../platform/content-file.ts';
import { parsePlanFile } from './plan-files.ts';
import { rebuildLedger } from './indicator-ledger.ts';

const PLAN = `
id: report-plan
name: Kế hoạch báo cáo thử
issuer: UBND thử
phases:
  - { id: p1, name: Giai đoạn một, deadline: 2026-12-31 }
indicators:
  - { id: dossiers, name: Hồ sơ trực tuyến toàn trình, kind: reported, phase: p1, period: month, target: 90 }
  - { id: trainees, name: Số người được tập huấn, kind: reported, phase: p1, period: quarter, unit: count, target: 1000 }
  - { id: adults-device, name: Người lớn có điện thoại thông minh, kind: computed, phase: p1, population: adults, measure: smartphone, target: 100 }
`;

let ctx: TestContext;
let admin: Session;
let saigon: Session;
let benthanh: Session;
let analyst: Session;
let residentWithPhone: number;
let residentWithout: number;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cds-plans-'));
  await writeFile(join(dir, 'report-plan.yaml'), PLAN);
  ctx = await createTestApp({ plansDir: dir });
  const h1 = await makeHousehold(ctx, UNIT_A);
  residentWithPhone = (await makeResident(ctx, h1, { fullName: 'Trần Thị Bình', birthDate: '1970-01-01' })).id;
  residentWithout = (await makeResident(ctx, h1, { fullName: 'Lê Văn Cường', birthDate: '1972-02-02', relationToHead: 'spouse' })).id;
  const h2 = await makeHousehold(ctx, UNIT_B);
  await makeResident(ctx, h2, { fullName: 'Phạm Văn Dũng', birthDate: '1980-03-03' });
  await rebuildLedger(ctx.deps.db, ctx.deps.today());
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  saigon = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  benthanh = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
  analyst = await signIn(ctx, await makeUser(ctx, 'analyst'));
  const fact = await saigon.post(`/api/residents/${residentWithPhone}/facts`, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-01', sourceKind: 'visit' });
  expect(fact.statusCode, fact.body).toBe(200);
});

afterAll(async () => {
  await ctx?.close();
});

const save = (session: Session, body: Record<string, unknown>) => session.put('/api/plans/report-plan/reports', body);

describe('reported figures: save → submit → approve, then locked', () => {
  let id: number;

  it('lets a unit official save a draft for their own unit, as a share', async () => {
    const response = await save(saigon, { indicatorId: 'dossiers', unitCode: UNIT_A, period: '2026-10', numerator: 45, denominator: 50 });
    expect(response.statusCode, response.body).toBe(200);
    const saved = response.json() as ReportedValueView;
    expect(saved).toMatchObject({ status: 'draft', value: 90, periodEnd: '2026-10-31' });
    id = saved.id;
  });

  it('refuses another ward’s figures, a wrong period shape, a share above 100% and a computed indicator', async () => {
    expect((await save(benthanh, { indicatorId: 'dossiers', unitCode: UNIT_A, period: '2026-10', value: 50 })).statusCode).toBe(403);
    const quarter = await save(saigon, { indicatorId: 'dossiers', unitCode: UNIT_A, period: '2026-Q3', value: 50 });
    expect(quarter.statusCode).toBe(400);
    expect(quarter.body).toContain('theo tháng');
    expect((await save(saigon, { indicatorId: 'dossiers', unitCode: UNIT_A, period: '2026-10', numerator: 60, denominator: 50 })).statusCode).toBe(400);
    expect((await save(saigon, { indicatorId: 'adults-device', unitCode: UNIT_A, period: '2026-10', value: 50 })).statusCode).toBe(400);
    expect((await save(saigon, { indicatorId: 'dossiers', unitCode: UNIT_A, period: '2027-01', value: 50 })).body).toContain('chưa bắt đầu');
  });

  it('does not count a figure in the dashboard until it is approved', async () => {
    const before = (await admin.get(`/api/plans/report-plan/indicators?unit=${UNIT_A}`)).json() as PlanIndicators;
    expect(before.indicators.find((i) => i.id === 'dossiers')?.status).toBe('no_data');
    expect((await saigon.post(`/api/reported-values/${id}/approve`, {})).statusCode).toBe(403);
    expect((await saigon.post(`/api/reported-values/${id}/submit`, {})).json()).toMatchObject({ status: 'submitted' });
    // Submitted: the unit waits for the city's decision before changing it.
    expect((await save(saigon, { indicatorId: 'dossiers', unitCode: UNIT_A, period: '2026-10', value: 70 })).statusCode).toBe(409);
  });

  it('returns with a note, lets the unit correct it, and approves it', async () => {
    expect((await admin.post(`/api/reported-values/${id}/return`, {})).statusCode).toBe(400);
    expect((await admin.post(`/api/reported-values/${id}/return`, { note: 'Mẫu số thiếu hồ sơ giấy' })).json()).toMatchObject({ status: 'returned' });
    expect((await save(saigon, { indicatorId: 'dossiers', unitCode: UNIT_A, period: '2026-10', numerator: 45, denominator: 60 })).json()).toMatchObject({ status: 'draft', value: 75 });
    await saigon.post(`/api/reported-values/${id}/submit`, {});
    expect((await admin.post(`/api/reported-values/${id}/approve`, {})).json()).toMatchObject({ status: 'approved' });
    const after = (await admin.get(`/api/plans/report-plan/indicators?unit=${UNIT_A}`)).json() as PlanIndicators;
    expect(after.indicators.find((i) => i.id === 'dossiers')).toMatchObject({ numerator: 45, denominator: 60, value: 75, reportedBy: null });
    // The city's figure is this one unit's report, and says so: the other units have not reported.
    const city = (await admin.get('/api/plans/report-plan/indicators')).json() as PlanIndicators;
    expect(city.indicators.find((i) => i.id === 'dossiers')).toMatchObject({ numerator: 45, denominator: 60, value: 75, reportedBy: 1 });
  });

  it('locks an approved figure, in the service and in the database', async () => {
    const again = await save(saigon, { indicatorId: 'dossiers', unitCode: UNIT_A, period: '2026-10', value: 99 });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'REPORT_LOCKED' } });
    const update = await ctx.deps.db.execute(sql`UPDATE reported_values SET value = 1 WHERE id = ${id}`).catch((error: Error) => error);
    expect(String((update as Error).cause)).toMatch(/approved and locked/);
  });

  it('keeps every step with the figure as it stood', async () => {
    const history = (await admin.get(`/api/reported-values/${id}/history`)).json() as { events: { action: string; value: number; note: string | null }[] };
    expect(history.events.map((e) => e.action)).toEqual(['save', 'submit', 'return', 'save', 'submit', 'approve']);
    expect(history.events[2]).toMatchObject({ value: 90, note: 'Mẫu số thiếu hồ sơ giấy' });
    expect(history.events[5]?.value).toBe(75);
  });
});

describe('GET /api/plans/:id/ranking, trend, missing and exports', () => {
  it('ranks every unit of the city on one indicator, with its own quota where set', async () => {
    const quota = await admin.put('/api/plans/report-plan/targets', { indicatorId: 'adults-device', unitCode: UNIT_B, target: 80 });
    expect(quota.statusCode, quota.body).toBe(200);
    expect((await saigon.put('/api/plans/report-plan/targets', { indicatorId: 'adults-device', unitCode: UNIT_B, target: 10 })).statusCode).toBe(403);
    const ranking = (await analyst.get('/api/plans/report-plan/ranking?indicator=adults-device')).json() as Ranking;
    expect(ranking.rows.length).toBe(168);
    expect(ranking.rows.find((r) => r.code === UNIT_A)).toMatchObject({ numerator: 1, denominator: 2, value: 50, target: 100 });
    expect(ranking.rows.find((r) => r.code === UNIT_B)).toMatchObject({ numerator: 0, denominator: 1, value: 0, target: 80 });
  });

  it('draws the trend from the ledger: nothing before the fact, half after', async () => {
    const trend = (await analyst.get(`/api/plans/report-plan/indicators/adults-device/trend?unit=${UNIT_A}&step=14&points=4`)).json() as Trend;
    expect(trend.points.map((p) => [p.day, p.value])).toEqual([
      ['2026-10-13', 0],
      ['2026-10-27', 0],
      ['2026-11-10', 50],
      ['2026-11-24', 50],
    ]);
  });

  it('lists who lacks a device in a unit, only for readers of personal rows in that unit', async () => {
    const list = (await saigon.get(`/api/plans/report-plan/missing?unit=${UNIT_A}&element=device`)).json() as MissingList;
    expect(list.total).toBe(1);
    expect(list.items.map((i) => [i.residentId, i.lacking])).toEqual([[residentWithout, ['smartphone']]]);
    expect((await analyst.get(`/api/plans/report-plan/missing?unit=${UNIT_A}&element=device`)).statusCode).toBe(403);
    const other = (await benthanh.get(`/api/plans/report-plan/missing?unit=${UNIT_A}&element=device`)).json() as MissingList;
    expect(other.items).toEqual([]);
    const audit = await ctx.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE ${residentWithout} = ANY(record_ids) AND action = 'read'`);
    expect(audit.rows[0]?.n).toBeGreaterThan(0);
  });

  it('exports a workbook with a summary sheet and a sheet per indicator, and a CSV', async () => {
    const response = await analyst.get('/api/plans/report-plan/report.xlsx');
    expect(response.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Tổng hợp', '1. dossiers', '2. trainees', '3. adults-device']);
    expect(workbook.getWorksheet('3. adults-device')?.rowCount).toBe(2 + 168);
    // The city's dossiers figure is made of one unit's approved report, and says so.
    const summary = workbook.getWorksheet('Tổng hợp')!;
    expect(summary.getRow(3).getCell(11).value).toBe('Số đơn vị đã báo cáo');
    expect(summary.getRow(4).getCell(1).value).toBe('dossiers');
    expect(summary.getRow(4).getCell(11).value).toBe(1);
    const csv = await analyst.get(`/api/plans/report-plan/report.csv?unit=${UNIT_A}`);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('area_code,area_name,indicator_id,indicator_name,kind,numerator,denominator,value,target,status,deadline,as_of,units_reported');
    expect(lines).toContain(`${UNIT_A},Phường Sài Gòn,adults-device,Người lớn có điện thoại thông minh,computed,1,2,50,100,on_track,2026-12-31,2026-11-24,`);
    const cityLines = (await analyst.get('/api/plans/report-plan/report.csv')).body.split('\r\n');
    expect(cityLines.find((line) => line.startsWith('city,') && line.includes(',dossiers,'))?.endsWith(',1')).toBe(true);
  });
  it('counts what a record merged into the resident says: a smartphone stated there is not missing here', async () => {
    const home = await makeHousehold(ctx, UNIT_A);
    const twin = (await makeResident(ctx, home, { fullName: 'Lê Văn Cường', birthDate: '1972-02-02' })).id;
    const fact = await saigon.post(`/api/residents/${twin}/facts`, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-20', sourceKind: 'visit' });
    expect(fact.statusCode, fact.body).toBe(200);
    const merged = await saigon.post(`/api/residents/${twin}/merge`, { intoResidentId: residentWithout, reason: 'Cùng một người, ghi hai lần' });
    expect(merged.statusCode, merged.body).toBe(200);
    const list = (await saigon.get(`/api/plans/report-plan/missing?unit=${UNIT_A}&element=device`)).json() as MissingList;
    expect(list.items.map((i) => i.residentId)).not.toContain(residentWithout);
  });
});

describe('plan files', () => {
  it('names the line, the path and the reason of each mistake', () => {
    const broken = `id: bad-plan
name: Kế hoạch lỗi
issuer: UBND
phases:
  - { id: p1, name: Giai đoạn một, deadline: 2026-13-01 }
indicators:
  - id: a
    name: Chỉ tiêu A
    kind: computed
    phase: p2
    population: adults
    measure: member_smartphone
    target: 120
  - { id: b, name: Chỉ tiêu B, kind: derived, phase: p1, formula: "a + c", target: 50 }
`;
    try {
      parsePlanFile('bad-plan.yaml', broken);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ContentFileError);
      const problems = (error as ContentFileError).problems.join('\n');
      expect(problems).toMatch(/dòng 5 \(phases\.0\.deadline\): Ngày phải viết YYYY-MM-DD/);
      expect(problems).toMatch(/dòng 10 \(indicators\.0\.phase\): Không có giai đoạn "p2"/);
      expect(problems).toMatch(/dòng 12 \(indicators\.0\.measure\): "member_smartphone" không đo được trên adults/);
      expect(problems).toMatch(/dòng 13 \(indicators\.0\.target\): Chỉ tiêu phần trăm không quá 100/);
      expect(problems).toMatch(/indicators\.1\.formula\): Công thức dùng "c"/);
    }
  });

  it('refuses broken YAML with its line', () => {
    expect(() => parsePlanFile('x.yaml', 'id: x\nname: [unclosed\n')).toThrow(/x\.yaml dòng \d+: YAML sai/);
  });

  it('ships the three plans, each valid', async () => {
    const plans = (await admin.get('/api/plans')).json() as { items: { id: string }[] };
    expect(plans.items.map((p) => p.id)).toEqual(['report-plan']);
    const { loadPlanFiles, BUNDLED_PLANS_DIR } = await import('./plan-files.ts');
    expect([...(await loadPlanFiles(BUNDLED_PLANS_DIR)).keys()].sort()).toEqual(['hanoi-2025', 'hcmc-2026', 'vn-2022']);
  });
});

describe('POST /api/plans/:id/targets/split', () => {
  it('proposes a quota for every unit, writes them only when asked, and only for the city', async () => {
    const body = { indicatorId: 'adults-device' };
    expect((await saigon.post('/api/plans/report-plan/targets/split', body)).statusCode).toBe(403);
    expect((await analyst.post('/api/plans/report-plan/targets/split', body)).statusCode).toBe(403);
    const before = (await admin.get('/api/plans/report-plan/targets')).json() as { items: { unitCode: string; target: number }[] };

    const proposal = await admin.post('/api/plans/report-plan/targets/split', body);
    expect(proposal.statusCode, proposal.body).toBe(200);
    // The units' figures are the ranking's; a 100% target asks 100% of every unit, whatever it has now.
    const ranking = (await admin.get('/api/plans/report-plan/ranking?indicator=adults-device')).json() as Ranking;
    const sum = (k: 'numerator' | 'denominator') => ranking.rows.reduce((s, r) => s + (r[k] ?? 0), 0);
    expect(proposal.json()).toMatchObject({ method: 'equal_effort', cityTarget: 100, applied: false });
    expect(proposal.json().cityNow).toBeCloseTo((100 * sum('numerator')) / sum('denominator'), 5);
    expect(proposal.json().units).toHaveLength(168);
    const benThanh = ranking.rows.find((r) => r.code === UNIT_B)!;
    expect(proposal.json().units.find((u: { unitCode: string }) => u.unitCode === UNIT_B)).toMatchObject({ value: benThanh.value, numerator: benThanh.numerator, target: 100 });
    expect((await admin.get('/api/plans/report-plan/targets')).json()).toEqual(before);

    const applied = await admin.post('/api/plans/report-plan/targets/split', { ...body, apply: true });
    expect(applied.json().applied).toBe(true);
    const after = (await admin.get('/api/plans/report-plan/targets')).json() as { items: { indicatorId: string; unitCode: string; target: number }[] };
    const mine = after.items.filter((t) => t.indicatorId === 'adults-device');
    expect(mine).toHaveLength(168);
    // Bến Thành's hand-set 80 was replaced by the split.
    expect(mine.find((t) => t.unitCode === UNIT_B)?.target).toBe(100);
  });

  it('shares a reported count equally, adding up to the city’s number', async () => {
    const split = (await admin.post('/api/plans/report-plan/targets/split', { indicatorId: 'trainees' })).json() as { method: string; units: { target: number }[] };
    // A reported count has no population behind it: shared equally, and said so.
    expect(split.method).toBe('equal');
    expect(split.units.reduce((s, u) => s + u.target, 0)).toBe(1000);
  });

  it('refuses an indicator the plan does not have, naming the field', async () => {
    const response = await admin.post('/api/plans/report-plan/targets/split', { indicatorId: 'khong-co' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0]).toMatchObject({ path: 'body.indicatorId' });
  });
});
