import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_PRESETS, SOURCE_TYPES, matchHeaders, sourceFields, type ImportField, type SourceType } from '@cds/domain';
import { importRows } from '@cds/db';
import { asc, eq } from 'drizzle-orm';
import { UNIT_A, createTestApp, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';
import { systemActor } from '../access/system-actor.ts';
import { importSourceFile } from './import-file.service.ts';
import { COLUMN_GUIDES, REQUIRED_MARK } from './import-template.ts';

let ctx: TestContext;
let official: Session;
beforeAll(async () => {
  ctx = await createTestApp();
  official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
});
afterAll(async () => ctx?.close());

async function download(source: SourceType): Promise<ExcelJS.Workbook> {
  const response = await official.get(`/api/imports/templates/${source}`);
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('spreadsheetml');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ExcelJS.Buffer);
  return workbook;
}

const headersOf = (sheet: ExcelJS.Worksheet) => (sheet.getRow(1).values as unknown[]).slice(1).map(String);

describe('GET /api/imports/templates/{sourceType}', () => {
  it.each(SOURCE_TYPES)('gives %s a list whose headers the import reads back as exactly that source’s fields', async (source) => {
    const workbook = await download(source);
    const [list, guide] = workbook.worksheets;
    expect(list?.name).toBe('Danh sách');
    const headers = headersOf(list!);
    const matched = matchHeaders(headers, source);
    expect(matched).toEqual({ columns: sourceFields(source), missing: [], unmatched: [], duplicates: [] });
    // Required columns say so; the guide sheet has a line for every column.
    const marked = headers.filter((h) => h.endsWith(REQUIRED_MARK)).map((h) => h.slice(0, -REQUIRED_MARK.length));
    expect(marked).toEqual(SOURCE_PRESETS[source].required.map((f) => COLUMN_GUIDES[f].header));
    expect(guide?.name).toBe('Hướng dẫn');
    const guided = (guide!.getColumn(1).values as unknown[]).slice(2, 2 + headers.length);
    expect(guided).toEqual(sourceFields(source).map((f) => COLUMN_GUIDES[f].header));
    // Nothing to import by mistake: the data sheet holds the header row only.
    expect(list!.actualRowCount).toBe(1);
  });

  it('keeps ID and phone columns as text and offers the coded values as a drop-down to the bottom of a large list', async () => {
    const list = (await download('residence_list')).getWorksheet('Danh sách')!;
    const column = (field: ImportField) => sourceFields('residence_list').indexOf(field) + 1;
    for (const field of ['citizenId', 'phone', 'birthDate', 'householdCode'] as const) {
      expect(list.getColumn(column(field)).numFmt, field).toBe('@');
    }
    expect(list.getColumn(column('fullName')).numFmt).toBeUndefined();
    for (const row of [2, 20_001]) {
      expect(list.getCell(row, column('sex')).dataValidation).toMatchObject({ type: 'list', formulae: ['"Nam,Nữ"'], errorStyle: 'warning' });
    }
    expect(list.getCell(2, column('fullName')).dataValidation).toBeUndefined();
  });

  it('answers 403 to a role that may not import, and 400 naming an unknown source type', async () => {
    const analyst = await signIn(ctx, await makeUser(ctx, 'analyst'));
    expect((await analyst.get('/api/imports/templates/residence_list')).statusCode).toBe(403);
    const unknown = await official.get('/api/imports/templates/household_list');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('sourceType');
  });
});

const FAMILY = ['Trần', 'Lê', 'Phạm', 'Hoàng', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Phan', 'Vũ'];
const GIVEN = ['Văn Hùng', 'Thị Lan', 'Minh Tuấn', 'Thu Hà', 'Quốc Bảo', 'Ngọc Ánh', 'Hữu Phước', 'Kim Oanh'];

describe('a template filled in as its guide says', () => {
  it.each(SOURCE_TYPES)('imports %s with the guide’s examples and every drop-down value, and rejects no row', async (source) => {
    const workbook = await download(source);
    const list = workbook.getWorksheet('Danh sách')!;
    const fields = sourceFields(source);
    const examples = fields.map((f) => COLUMN_GUIDES[f].example);
    list.addRow(examples);
    // One row per other offered value: a person of their own (no ID, phone or household code to
    // share with the example row), so each value is judged on its own.
    let n = 0;
    for (const [index, field] of fields.entries()) {
      for (const choice of COLUMN_GUIDES[field].choices ?? []) {
        n++;
        list.addRow(
          fields.map((f, i) => {
            if (i === index) return choice;
            if (f === 'fullName') return `${FAMILY[n % FAMILY.length]} ${GIVEN[n % GIVEN.length]} ${['An', 'Bình', 'Châu'][n % 3]}`;
            if (f === 'organisationName') return `Công ty TNHH Số ${['Một', 'Hai', 'Ba', 'Bốn'][n % 4]} ${FAMILY[n % FAMILY.length]}`;
            if (f === 'birthDate') return `${String((n % 27) + 1).padStart(2, '0')}/0${(n % 9) + 1}/19${60 + n}`;
            if (['citizenId', 'phone', 'householdCode', 'taxCode'].includes(f)) return '';
            return examples[i];
          }),
        );
      }
    }
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const actor = await systemActor(ctx.deps.db, '79', 'test');
    const { batchId } = await importSourceFile(ctx.deps, actor, { bytes, fileName: `${source}.xlsx`, sourceType: source, defaultUnitCode: UNIT_A });
    const rows = await ctx.deps.db.select().from(importRows).where(eq(importRows.batchId, batchId)).orderBy(asc(importRows.record));
    expect(rows).toHaveLength(1 + n);
    // A poverty list saying "not poor" of someone the registry does not know has nothing to apply:
    // that row is refused for its person, not for the value.
    const refused = rows.filter((r) => r.status === 'rejected').map((r) => r.reasons);
    expect(refused).toEqual(source === 'poverty_list' ? [['Không tìm thấy nhân khẩu này trong sổ; hãy nhập danh sách cư trú trước']] : []);
    expect(rows.filter((r) => r.status === 'skipped')).toEqual([]);
  });
});
