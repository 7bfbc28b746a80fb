import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRows } from '@cds/db';
import { asc, eq } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../test/test-app.ts';
import type { Actor } from '../access/actor.ts';
import { systemActor } from '../access/system-actor.ts';
import { importSourceFile } from './import-file.service.ts';
import { encode1258, encodeTcvn3, encodeVni } from './test-encoders.ts';

// One list, sent the ways offices send it. Whatever the wrapping, every row must end the same way
// and the people must come out spelled right: the later files find the people the first created.

const HEADER = ['STT', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Số CCCD', 'Địa chỉ'];
const ROWS = [
  ['1', 'Đặng Thị Hoà', '31/12/1985', 'Nữ', '079185000002', '12 Lê Lợi, P. Bến Nghé, Q.1'],
  ['2', 'Nguyễn Văn Ánh', '02/01/1990', 'Nam', '079090000001', '5 Pasteur, Phường Sài Gòn'],
  ['3', 'Trương Văn Sai', '30/02/1990', 'Nam', '', '6 Pasteur, Phường Sài Gòn'],
  ['Tổng cộng', '3 người', '', '', '', ''],
];
const TITLE = ['UBND PHƯỜNG SÀI GÒN', 'DANH SÁCH NHÂN KHẨU'];
const EXPECTED = [
  [1, 'applied'],
  [2, 'applied'],
  [3, 'rejected'],
  [4, 'skipped'],
];

const lines = (delimiter: string) => [...TITLE.map((t) => t + delimiter.repeat(HEADER.length - 1)), HEADER.join(delimiter), ...ROWS.map((r) => r.join(delimiter))].join('\r\n');

async function xlsxWithMergedHeader(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách');
  sheet.addRow(['UBND PHƯỜNG SÀI GÒN']);
  sheet.addRow([]);
  // A two-row header: "Thông tin cá nhân" spans the name and birth-date columns.
  sheet.addRow(['STT', 'Thông tin cá nhân', '', 'Giới tính', 'Số CCCD', 'Địa chỉ']);
  sheet.addRow(['', 'Họ và tên', 'Ngày sinh', '', '', '']);
  sheet.mergeCells('B3:C3');
  sheet.mergeCells('A3:A4');
  sheet.mergeCells('D3:D4');
  sheet.mergeCells('E3:E4');
  sheet.mergeCells('F3:F4');
  for (const row of ROWS) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

// A workbook exported from a system that puts everything it knows first: 194 columns of its own
// (codes, flags, notes) before the six the list is about, at the far right.
const FILLER_COLUMNS = 194;
async function xlsxVeryWide(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Xuất dữ liệu');
  const filler = (row: number) => Array.from({ length: FILLER_COLUMNS }, (_v, i) => (row === 0 ? `Trường hệ thống ${i + 1}` : `v${row}-${i + 1}`));
  sheet.addRow(TITLE[0] ? [TITLE[0]] : []);
  sheet.addRow([...filler(0), ...HEADER]);
  ROWS.forEach((row, index) => sheet.addRow([...(row[0] === 'Tổng cộng' ? filler(0).map(() => '') : filler(index + 1)), ...row]));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

let ctx: TestContext;
let actor: Actor;
beforeAll(async () => {
  ctx = await createTestApp();
  actor = await systemActor(ctx.deps.db, '79', 'corpus');
});
afterAll(async () => ctx?.close());

const files: [string, string, () => Promise<Uint8Array> | Uint8Array][] = [
  ['UTF-8 with BOM, semicolons', 'utf8.csv', () => new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines(';'))]))],
  ['UTF-16 LE with BOM, tabs', 'utf16.csv', () => new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines('\t'), 'utf16le')]))],
  ['Windows-1258 with combining tones, semicolons', 'cp1258.csv', () => new Uint8Array(encode1258(lines(';')))],
  ['TCVN3 (ABC) font text, semicolons', 'tcvn3.csv', () => new Uint8Array(encodeTcvn3(lines(';')))],
  ['XLSX with a title block and a merged two-row header', 'merged.xlsx', xlsxWithMergedHeader],
  ['VNI (VNI-Times) font text, semicolons', 'vni.csv', () => new Uint8Array(encodeVni(lines(';')))],
  [`XLSX ${FILLER_COLUMNS + HEADER.length} columns wide, the list at the far right`, 'wide.xlsx', xlsxVeryWide],
];

describe('one list in every wrapping offices use', () => {
  for (const [what, name, make] of files) {
    it(`ends every row the same way: ${what}`, async () => {
      const summary = await importSourceFile(ctx.deps, actor, { bytes: await make(), fileName: name, sourceType: 'residence_list' });
      expect(summary.columns.filter((c) => c !== null)).toEqual(['fullName', 'birthDate', 'sex', 'citizenId', 'address']);
      const rows = await ctx.deps.db.select().from(importRows).where(eq(importRows.batchId, summary.batchId)).orderBy(asc(importRows.record));
      expect(rows.map((r) => [r.record, r.status])).toEqual(EXPECTED);
      expect(rows[2]?.reasons.join(' ')).toMatch(/30\/02\/1990/);
      // Old font text is recognised as such, not just read as Windows-1252 that happens to pass.
      const legacy = (await ctx.deps.pool.query('SELECT legacy_encoding FROM import_batches WHERE id = $1', [summary.batchId])).rows[0].legacy_encoding;
      expect(legacy).toBe(name === 'vni.csv' ? 'vni' : name === 'tcvn3.csv' ? 'tcvn3' : null);
    });
  }

  it('created the two people once, spelled right, whatever file came first', async () => {
    const { rows } = await ctx.deps.pool.query('SELECT full_name FROM residents');
    // Sorted here, not in SQL: PostgreSQL's collation and PGlite's order "Đ" differently.
    expect(rows.map((r: { full_name: string }) => r.full_name).sort()).toEqual(['Nguyễn Văn Ánh', 'Đặng Thị Hoà']);
  });
});
