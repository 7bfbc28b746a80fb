import fs from 'node:fs';
import { afterEach, expect, it, vi } from 'vitest';
import ExcelJS from 'exceljs';
import { readXlsxRows, type XlsxSheetFound } from './xlsx-rows.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * exceljs writes the sheets first and the shared strings and the workbook (its sheet list) last,
 * so its reader keeps each sheet in a temporary file until those have been read. A disk that is
 * slow to finish that file used to lose the entries after it (exceljs issue #3064): every read
 * below failed with "Cannot read properties of undefined (reading 'sheets')".
 */
it('reads every part of the workbook when the temporary copy of a sheet is slow to reach the disk', async () => {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Ghi chú').addRow(['Không phải danh sách']);
  const list = workbook.addWorksheet('Danh sách');
  for (let i = 1; i <= 10; i++) list.addRow([i, `Người dân ${i}`, 'Phường Sài Gòn']);
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer());

  const createWriteStream = fs.createWriteStream;
  vi.spyOn(fs, 'createWriteStream').mockImplementation(((...args: Parameters<typeof createWriteStream>) => {
    const stream = createWriteStream(...args);
    // A file stream has no _final of its own; with one, 'finish' waits for it.
    stream._final = (done) => void setTimeout(done, 30);
    return stream;
  }) as typeof createWriteStream);

  for (const sheet of ['Danh sách', 1, 'danh sach'] as const) {
    const found: XlsxSheetFound = { sheetName: null, lastRow: null };
    const rows: string[][] = [];
    for await (const row of readXlsxRows({ source: { bytes }, sheet }, found)) rows.push(row);
    expect(found.sheetName).toBe('Danh sách');
    expect(rows).toHaveLength(10);
    expect(rows[9]).toEqual(['10', 'Người dân 10', 'Phường Sài Gòn']);
  }
  expect(fs.createWriteStream).toHaveBeenCalled();
});
