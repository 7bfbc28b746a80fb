import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIT_A, UNIT_B, createTestApp, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';

let ctx: TestContext;
let officialA: Session;
let analyst: Session;
let officialUserId: number;

beforeAll(async () => {
  ctx = await createTestApp();
  const household = await makeHousehold(ctx, UNIT_A);
  await makeResident(ctx, household, { fullName: 'Trương Văn Một', citizenId: '079085123456', phone: '0987654321', birthDate: '1985-02-02' });
  await makeResident(ctx, household, { fullName: 'Trương Thị Hai', sex: 'female', birthDate: '2012-09-09', relationToHead: 'child' });
  await makeResident(ctx, await makeHousehold(ctx, UNIT_B), { fullName: 'Người Phường Khác', citizenId: '079085654321' });
  const official = await makeUser(ctx, 'unit_official', { units: [UNIT_A] });
  officialUserId = official.id;
  officialA = await signIn(ctx, official);
  analyst = await signIn(ctx, await makeUser(ctx, 'analyst'));
});
afterAll(async () => ctx?.close());

describe('GET /api/residents/export.xlsx', () => {
  it('gives a unit official their unit as a workbook, IDs and phones masked, and logs the export', async () => {
    const response = await officialA.get(`/api/residents/export.xlsx?unit=${UNIT_A}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="nhan-khau-26740-/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.worksheets[0]!;
    const rows = sheet.getSheetValues().slice(2).map((row) => (row as unknown[]).slice(1));
    expect(rows.map((r) => r[0])).toEqual(['Trương Thị Hai', 'Trương Văn Một']);
    const adult = rows[1]!;
    expect(adult[3]).toBe('079*******56');
    expect(adult[4]).toBe('098*****21');
    expect(adult[9]).toBe('Có');
    expect(response.rawPayload.toString('latin1')).not.toContain('079085123456');
    const { rows: audit } = await ctx.deps.pool.query("SELECT record_ids, unit_codes FROM audit_log WHERE action = 'export' AND actor_user_id = $1", [officialUserId]);
    expect(audit).toHaveLength(1);
    expect(audit[0].record_ids).toHaveLength(2);
    expect(audit[0].unit_codes).toEqual([UNIT_A]);
  });

  it('answers 404 for another unit and writes no export record', async () => {
    const response = await officialA.get(`/api/residents/export.xlsx?unit=${UNIT_B}`);
    expect(response.statusCode).toBe(404);
    const { rows } = await ctx.deps.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'export' AND $1 = ANY(unit_codes)", [UNIT_B]);
    expect(rows[0].n).toBe(0);
  });

  it('gives an analyst no personal rows', async () => {
    const response = await analyst.get(`/api/residents/export.xlsx?unit=${UNIT_A}`);
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('Trương');
  });

  it('names a malformed unit code', async () => {
    const response = await officialA.get('/api/residents/export.xlsx?unit=abc');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].path).toBe('querystring.unit');
  });
});
