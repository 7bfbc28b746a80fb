import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIT_A, UNIT_B, createTestApp, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';
import { settleImports } from './import-jobs.service.ts';

const FILE = [
  'DANH SÁCH NHÂN KHẨU',
  ';;;;',
  'Họ và tên;Ngày sinh;Giới tính;Số CCCD;Địa chỉ',
  'Nguyễn Văn Tèo;01/02/1980;Nam;079080888001;1 Lê Lợi, P. Bến Nghé, Q.1',
  'Trần Thị Lỗi;31/02/1980;Nữ;;2 Lê Lợi, Phường Sài Gòn',
  'Phạm Văn Phân;01/01/1990;Nam;;9 Hàm Nghi, P. Nguyễn Thái Bình, Q.1',
].join('\n');

let ctx: TestContext;
let official: Session;
let otherOfficial: Session;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cds-import-api-'));
  ctx = await createTestApp({ dataDir });
  official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A, UNIT_B] }));
  otherOfficial = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
});
afterAll(async () => {
  await ctx?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const upload = (session: Session, body: string | Buffer, query: string) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/imports/files?${query}`,
    cookies: { cds_session: session.cookie },
    headers: { 'x-csrf-token': session.csrfToken, 'content-type': 'application/octet-stream' },
    payload: typeof body === 'string' ? Buffer.from(body) : body,
  });

describe('the import flow over the API', () => {
  let batchId: number;

  it('previews a file: header found under the title block, columns suggested, nothing imported', async () => {
    const response = await upload(official, FILE, 'name=ds.csv&source=residence_list');
    expect(response.statusCode).toBe(200);
    const preview = response.json();
    expect(preview).toMatchObject({ format: 'csv', headerRow: 3, missing: [], columns: ['fullName', 'birthDate', 'sex', 'citizenId', 'address'] });
    expect(preview.sampleRows).toHaveLength(3);
    const { rows } = await ctx.deps.pool.query('SELECT count(*)::int AS n FROM import_batches');
    expect(rows[0].n).toBe(0);

    const started = await official.post('/api/imports', { fileId: preview.fileId, sourceType: 'residence_list', saveMappingAs: 'Mẫu công an' });
    expect(started.statusCode).toBe(200);
    batchId = started.json().id;
    await settleImports();
    const done = (await official.get(`/api/imports/${batchId}`)).json();
    expect(done).toMatchObject({ status: 'completed', processed: 3, total: 3, applied: 1, review: 1, rejected: 1, fileName: 'ds.csv' });
  });

  it('offers the saved mapping next time', async () => {
    const preview = (await upload(official, FILE, 'name=ds2.csv&source=residence_list&mapping=M%E1%BA%ABu%20c%C3%B4ng%20an')).json();
    expect(preview.savedMappings).toEqual(['Mẫu công an']);
  });

  it('lets a rejected row be fixed in the app and applied', async () => {
    const rejected = (await official.get(`/api/imports/${batchId}/rows?status=rejected`)).json().items;
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reasons[0]).toMatch(/31\/02\/1980/);
    const cells = [...rejected[0].cells];
    cells[1] = '28/02/1980';
    const retried = await official.post(`/api/imports/${batchId}/rows/${rejected[0].record}/retry`, { cells });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'applied', resolved: true });
    expect((await official.get(`/api/imports/${batchId}`)).json()).toMatchObject({ applied: 2, rejected: 0 });
  });

  it('refuses a unit that is not one of the address’s possible units, then applies a right one', async () => {
    const [row] = (await official.get(`/api/imports/${batchId}/rows?status=review`)).json().items;
    expect(row.reasons.join(' ')).toMatch(/26740.*26743/);
    const wrong = await official.post(`/api/imports/${batchId}/rows/${row.record}/resolve`, { decision: 'unit', unitCode: '26737' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.issues[0].path).toBe('body.unitCode');
    const right = await official.post(`/api/imports/${batchId}/rows/${row.record}/resolve`, { decision: 'unit', unitCode: UNIT_B });
    expect(right.json()).toMatchObject({ status: 'applied', unitCode: UNIT_B });
    const { rows } = await ctx.deps.pool.query("SELECT unit_code FROM residents WHERE full_name = 'Phạm Văn Phân'");
    expect(rows).toEqual([{ unit_code: UNIT_B }]);
  });

  it('gives the row-level report as a workbook', async () => {
    const response = await official.get(`/api/imports/${batchId}/report.xlsx`);
    expect(response.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const values = workbook.worksheets[0]!.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1, 3));
    expect(values).toEqual([[1, 'Đã áp dụng'], [2, 'Đã áp dụng'], [3, 'Đã áp dụng']]);
  });

  it('keeps another official out of this import', async () => {
    expect((await otherOfficial.get(`/api/imports/${batchId}`)).statusCode).toBe(404);
    expect((await otherOfficial.get(`/api/imports/${batchId}/rows`)).statusCode).toBe(404);
    expect((await otherOfficial.get('/api/imports')).json().items).toEqual([]);
  });
});

describe('bad uploads', () => {
  it('names an unreadable workbook in Vietnamese and stores nothing', async () => {
    const response = await upload(official, Buffer.from('not a zip'), 'name=hong.xlsx&source=residence_list');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a file declared over the upload limit with 413 before storing any of it', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/imports/files?name=qua-lon.csv&source=residence_list',
      cookies: { cds_session: official.cookie },
      headers: { 'x-csrf-token': official.csrfToken, 'content-type': 'application/octet-stream', 'content-length': String(300 * 1024 * 1024) },
      payload: Buffer.from(FILE),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({ code: 'UPLOAD_TOO_LARGE', message: expect.stringMatching(/Tệp quá lớn/) });
  });

  it('refuses an unknown source type, naming the parameter', async () => {
    const response = await upload(official, FILE, 'name=ds.csv&source=gossip');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].path).toBe('querystring.source');
  });

  it('refuses to start from a file id that was never uploaded', async () => {
    const response = await official.post('/api/imports', { fileId: 'AAAAAAAAAAAAAAAAAAAAAAAA', sourceType: 'residence_list' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].path).toBe('body.fileId');
  });

  it('keeps analysts out', async () => {
    const analyst = await signIn(ctx, await makeUser(ctx, 'analyst'));
    expect((await upload(analyst, FILE, 'name=ds.csv&source=residence_list')).statusCode).toBe(403);
  });
});
