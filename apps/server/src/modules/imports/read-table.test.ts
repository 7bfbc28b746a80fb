import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import {
  TableReadError,
  cellValueToString,
  chooseHeaderRow,
  detectDelimiter,
  isGroupHeaderOver,
  openTable,
  plainNumber,
  scanSource,
  type TableReader,
} from './read-table.ts';
import { encode1258, encodeTcvn3 } from './test-encoders.ts';

async function collect(reader: TableReader): Promise<{ record: number; physicalRow: number; cells: string[] }[]> {
  const out = [];
  for await (const row of reader.rows) out.push(row);
  return out;
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

const TABLE = [
  ['STT', 'Họ tên', 'Ngày sinh', 'Số CCCD'],
  ['1', 'Nguyễn Văn Ánh', '1990-01-02', '079090000001'],
  ['2', 'Đặng Thị Hoà', '1985-12-31', '079185000002'],
];
const csv = (rows: string[][], delimiter = ','): string => rows.map((r) => r.join(delimiter)).join('\r\n') + '\r\n';

describe('openTable: CSV encodings and delimiters', () => {
  it('reads UTF-8 without BOM, comma', async () => {
    const reader = await openTable({ bytes: utf8(csv(TABLE)), fileName: 'ds.csv' });
    expect(reader).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', headerRow: 1, legacyEncoding: null });
    expect(reader.headers).toEqual(TABLE[0]);
    expect(await collect(reader)).toEqual([
      { record: 1, physicalRow: 2, cells: TABLE[1] },
      { record: 2, physicalRow: 3, cells: TABLE[2] },
    ]);
  });

  it('reads UTF-8 with BOM, semicolon', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(csv(TABLE, ';'))]);
    const reader = await openTable({ bytes, fileName: 'ds.csv' });
    expect(reader).toMatchObject({ encoding: 'utf-8-bom', delimiter: ';' });
    expect(reader.headers).toEqual(TABLE[0]);
    expect((await collect(reader)).map((r) => r.cells)).toEqual(TABLE.slice(1));
  });

  it('reads UTF-16LE with BOM, tab (Excel "Unicode text")', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(TABLE, '\t'), 'utf16le')]);
    const reader = await openTable({ bytes, fileName: 'ds.txt' });
    expect(reader).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    expect(reader.headers).toEqual(TABLE[0]);
    expect((await collect(reader)).map((r) => r.cells)).toEqual(TABLE.slice(1));
  });

  it('reads Windows-1258 (combining tones) as NFC', async () => {
    const bytes = encode1258(csv(TABLE, ';'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const reader = await openTable({ bytes, fileName: 'ds.csv' });
    expect(reader).toMatchObject({ encoding: 'windows-1258', delimiter: ';', legacyEncoding: null });
    expect(reader.headers).toEqual(TABLE[0]);
    expect((await collect(reader)).map((r) => r.cells)).toEqual(TABLE.slice(1));
  });

  it('falls back to Windows-1258 when only the first 64 KiB are ASCII', async () => {
    const padding = Array.from({ length: 3000 }, (_, i) => `${i},Nguyen Van A,079000000000`).join('\n');
    const bytes = Buffer.concat([utf8('STT,Họ tên,Số CCCD\n'.normalize('NFD').replace(/[^\x00-\x7f]/g, '')), utf8(padding + '\n'), encode1258('3001,Đặng Thị Hoà,079185000002\n')]);
    const reader = await openTable({ bytes, fileName: 'ds.csv' });
    expect(reader.encoding).toBe('windows-1258');
    const rows = await collect(reader);
    expect(rows.at(-1)!.cells).toEqual(['3001', 'Đặng Thị Hoà', '079185000002']);
  });

  it('reads an empty file', async () => {
    const reader = await openTable({ bytes: new Uint8Array(0), fileName: 'empty.csv' });
    expect(reader.headers).toEqual([]);
    expect(await collect(reader)).toEqual([]);
  });

  it('converts TCVN3 text (a CSV saved from a .VnTime sheet)', async () => {
    const rows = [
      ['STT', 'Hä tªn', 'Ngµy sinh', 'Sè CCCD'], // TCVN3 header as typed
      ['1', 'NguyÔn V¨n Minh', '1990-01-02', '079090000001'],
      ['2', 'Phan ThÞ Hoµ', '1985-12-31', '079185000002'],
    ];
    const bytes = Buffer.from(csv(rows), 'latin1');
    const reader = await openTable({ bytes, fileName: 'ds.csv' });
    expect(reader.legacyEncoding).toBe('tcvn3');
    expect(reader.headers).toEqual(['STT', 'Họ tên', 'Ngày sinh', 'Số CCCD']);
    expect((await collect(reader)).map((r) => r.cells[1])).toEqual(['Nguyễn Văn Minh', 'Phan Thị Hoà']);
    // The same through the test encoder.
    const reader2 = await openTable({ bytes: encodeTcvn3(csv(TABLE.map((r) => r.map((c) => c.replace('Ánh', 'ánh'))))), fileName: 'x.csv' });
    expect(reader2.legacyEncoding).toBe('tcvn3');
    expect(reader2.headers).toEqual(TABLE[0]);
    expect((await collect(reader2)).map((r) => r.cells[1])).toEqual(['Nguyễn Văn ánh', 'Đặng Thị Hoà']);
  });

  it('finds the header under a 3-row title block and counts blank records', async () => {
    const text =
      'UBND PHƯỜNG SÀI GÒN,,,\n' +
      'DANH SÁCH NGƯỜI DÂN THAM GIA CÔNG DÂN SỐ,,,\n' +
      ',,,\n' +
      csv(TABLE.slice(0, 2)).replace(/\r\n/g, '\n') +
      '\n' +
      csv(TABLE.slice(2)).replace(/\r\n/g, '\n');
    const reader = await openTable({ bytes: utf8(text), fileName: 'ds.csv' });
    expect(reader.headerRow).toBe(4);
    expect(reader.headers).toEqual(TABLE[0]);
    const rows = await collect(reader);
    expect(rows.map((r) => [r.record, r.physicalRow])).toEqual([
      [1, 5],
      [2, 6],
      [3, 7],
    ]);
    expect(rows[1]!.cells.join('')).toBe('');
    // With hints the same row wins.
    const hinted = await openTable({ bytes: utf8(text), fileName: 'ds.csv' }, { headerHints: ['ho ten', 'SỐ CCCD'] });
    expect(hinted.headerRow).toBe(4);
  });

  it('keeps quoted delimiters and multi-line fields, and numbers physical rows by start line', async () => {
    const text = 'Họ tên;Địa chỉ;Ghi chú\n"Lê Văn B";"12 Lê Lợi; Q1";"dòng 1\ndòng 2"\nTrần C;3 Hai Bà Trưng;x\n';
    const reader = await openTable({ bytes: utf8(text), fileName: 'a.csv' });
    expect(reader.delimiter).toBe(';');
    const rows = await collect(reader);
    expect(rows).toEqual([
      { record: 1, physicalRow: 2, cells: ['Lê Văn B', '12 Lê Lợi; Q1', 'dòng 1\ndòng 2'] },
      { record: 2, physicalRow: 4, cells: ['Trần C', '3 Hai Bà Trưng', 'x'] },
    ]);
  });

  it('numbers physical rows of a Windows file (CR LF), a CR LF inside a cell being one line break', async () => {
    const text = 'Họ tên;Ghi chú\r\n"Lê Văn B";"dòng 1\r\ndòng 2\r\ndòng 3"\r\n\r\nTrần C;"a\nb"\r\nPhạm D;x\r\n';
    const rows = await collect(await openTable({ bytes: utf8(text), fileName: 'a.csv' }));
    expect(rows.map((r) => [r.record, r.physicalRow])).toEqual([
      [1, 2],
      [2, 5],
      [3, 6],
      [4, 8],
    ]);
    expect(rows[0]!.cells[1]).toBe('dòng 1\r\ndòng 2\r\ndòng 3');
  });

  it('streams a big file lazily and can stop early', async () => {
    const lines = ['STT,Họ tên,Số CCCD'];
    for (let i = 1; i <= 100_000; i++) lines.push(`${i},Nguyễn Văn ${i},0790${String(i).padStart(8, '0')}`);
    const bytes = utf8(lines.join('\n'));
    const reader = await openTable({ bytes, fileName: 'big.csv' });
    let count = 0;
    let last: string[] = [];
    for await (const row of reader.rows) {
      count++;
      last = row.cells;
    }
    expect(count).toBe(100_000);
    expect(last).toEqual(['100000', 'Nguyễn Văn 100000', '079000100000']);

    const early = await openTable({ bytes, fileName: 'big.csv' });
    let seen = 0;
    for await (const row of early.rows) {
      seen = row.record;
      if (seen === 10) break;
    }
    expect(seen).toBe(10);
  });
});

describe('openTable: XLSX', () => {
  async function workbook(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const other = wb.addWorksheet('Ghi chú');
    other.addRow(['Không phải danh sách']);
    const ws = wb.addWorksheet('Danh sách');
    ws.addRow(['UBND PHƯỜNG SÀI GÒN']);
    ws.addRow(['DANH SÁCH NGƯỜI DÂN']);
    ws.addRow([]);
    ws.addRow(['STT', 'Thông tin cá nhân', null, 'Số CCCD', 'Ghi chú']); // row 4
    ws.addRow([null, 'Họ tên', 'Ngày sinh', null, null]); // row 5
    ws.mergeCells('B4:C4');
    ws.mergeCells('A4:A5');
    ws.mergeCells('D4:D5');
    ws.mergeCells('E4:E5');
    ws.addRow([1, 'Nguyễn Văn Ánh', new Date(Date.UTC(1990, 0, 2)), 79090000001, { richText: [{ text: 'Hộ ' }, { text: 'nghèo', font: { bold: true } }] }]);
    ws.addRow([]);
    ws.addRow([{ formula: '1+2', result: 3 }, 'Đặng Thị Hoà', new Date(Date.UTC(1985, 11, 31)), '079185000002', { text: 'link', hyperlink: 'https://example.org' }]);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('reads the chosen sheet with a merged two-row header under a title block', async () => {
    const bytes = await workbook();
    for (const [sheet, hints] of [
      ['Danh sách', undefined],
      [1, ['Họ tên', 'Ngày sinh']],
      ['danh sach', ['so cccd']],
    ] as const) {
      const reader = await openTable({ bytes, fileName: 'ds.xlsx', sheet }, hints ? { headerHints: hints } : {});
      expect(reader).toMatchObject({ format: 'xlsx', sheetName: 'Danh sách', headerRow: 5, encoding: null, delimiter: null });
      expect(reader.headers).toEqual(['STT', 'Họ tên', 'Ngày sinh', 'Số CCCD', 'Ghi chú']);
      const rows = await collect(reader);
      expect(rows).toEqual([
        { record: 1, physicalRow: 6, cells: ['1', 'Nguyễn Văn Ánh', '1990-01-02', '79090000001', 'Hộ nghèo'] },
        { record: 2, physicalRow: 7, cells: [] },
        { record: 3, physicalRow: 8, cells: ['3', 'Đặng Thị Hoà', '1985-12-31', '079185000002', 'link'] },
      ]);
    }
  });

  it('uses the first sheet by default and rejects an unknown sheet', async () => {
    const bytes = await workbook();
    const reader = await openTable({ bytes, fileName: 'ds.xlsx' });
    expect(reader.sheetName).toBe('Ghi chú');
    await expect(openTable({ bytes, fileName: 'ds.xlsx', sheet: 'Không có' })).rejects.toThrow(/No sheet/);
  });

  it('converts VNI text typed in a VNI-Times sheet', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.addRow(['STT', 'Hoï teân', 'Ñòa chæ']);
    ws.addRow([1, 'Nguyeãn Vaên Minh', 'Phöôøng Beán Ngheù']);
    const reader = await openTable({ bytes: Buffer.from(await wb.xlsx.writeBuffer()), fileName: 'v.xlsx' });
    expect(reader.legacyEncoding).toBe('vni');
    expect(reader.headers).toEqual(['STT', 'Họ tên', 'Địa chỉ']);
    expect((await collect(reader))[0]!.cells).toEqual(['1', 'Nguyễn Văn Minh', 'Phường Bến Nghé']);
  });
});

describe('helpers', () => {
  it('detectDelimiter picks the most consistent one', () => {
    expect(detectDelimiter('a;b;c\n1;2,5;3\n4;5;6')).toBe(';');
    expect(detectDelimiter('a\tb\tc\n"x,y"\t2\t3')).toBe('\t');
    expect(detectDelimiter('Tiêu đề\na,b,c\n1,2,3')).toBe(',');
  });
  it('chooseHeaderRow prefers hints, else the first labelled row followed by data', () => {
    const rows = [['UBND'], ['DANH SÁCH'], [], ['STT', 'Họ tên', 'CCCD'], ['1', 'A', '0790']];
    expect(chooseHeaderRow(rows)).toBe(3);
    expect(chooseHeaderRow(rows, ['ho ten'])).toBe(3);
  });
  it('plainNumber and cellValueToString', () => {
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(79090000001)).toBe('79090000001');
    expect(plainNumber(1.5e-7)).toBe('0.00000015');
    expect(plainNumber(-2.5)).toBe('-2.5');
    expect(cellValueToString({ formula: 'A1', result: { error: '#N/A' } })).toBe('#N/A');
    expect(cellValueToString(new Date(Date.UTC(2024, 1, 29, 8, 30)))).toBe('2024-02-29 08:30:00');
  });
});

describe('openTable: a stored file read as a stream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-read-table-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stored = (name: string, bytes: Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('reads a CSV from disk exactly as from memory, and estimates its records from the line count', async () => {
    const text = 'UBND PHƯỜNG SÀI GÒN,,\nDANH SÁCH,,\n' + csv(TABLE);
    const path = stored('ds.csv', utf8(text));
    const scan = await scanSource({ path });
    expect(scan).toMatchObject({ size: utf8(text).length, utf8: true, lines: 5 });
    const fromDisk = await openTable({ path, fileName: 'ds.csv', scan });
    const fromMemory = await openTable({ bytes: utf8(text), fileName: 'ds.csv' });
    expect(fromDisk.headers).toEqual(fromMemory.headers);
    expect(fromDisk.estimatedRecords).toBe(2);
    expect(await collect(fromDisk)).toEqual(await collect(fromMemory));
  });

  it('falls back to Windows-1258 for a stored file whose later bytes are not UTF-8', async () => {
    const padding = Array.from({ length: 3000 }, (_, i) => `${i},Nguyen Van A,079000000000`).join('\n');
    const path = stored('mixed.csv', Buffer.concat([utf8('STT,Ho ten,So CCCD\n' + padding + '\n'), encode1258('3001,Đặng Thị Hoà,079185000002\n')]));
    expect((await scanSource({ path })).utf8).toBe(false);
    const reader = await openTable({ path, fileName: 'mixed.csv' });
    expect(reader.encoding).toBe('windows-1258');
    expect((await collect(reader)).at(-1)!.cells).toEqual(['3001', 'Đặng Thị Hoà', '079185000002']);
  });

  it('streams an XLSX sheet from disk with its merged header, and takes the record count from its dimension', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Danh sách');
    ws.addRow(['UBND PHƯỜNG SÀI GÒN']);
    ws.addRow(['STT', 'Thông tin cá nhân', null, 'Số CCCD']);
    ws.addRow([null, 'Họ tên', 'Ngày sinh', null]);
    ws.mergeCells('B2:C2');
    ws.mergeCells('A2:A3');
    ws.mergeCells('D2:D3');
    for (let i = 1; i <= 500; i++) ws.addRow([i, `Người ${i}`, '01/01/1990', `0790900${String(i).padStart(5, '0')}`]);
    const path = stored('ds.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    const reader = await openTable({ path, fileName: 'ds.xlsx' });
    expect(reader).toMatchObject({ format: 'xlsx', headerRow: 3, headers: ['STT', 'Họ tên', 'Ngày sinh', 'Số CCCD'], estimatedRecords: 500 });
    const rows = await collect(reader);
    expect(rows).toHaveLength(500);
    expect(rows[499]).toEqual({ record: 500, physicalRow: 503, cells: ['500', 'Người 500', '01/01/1990', '079090000500'] });
  });

  it('keeps every Vietnamese letter whole where the streamed XML splits its bytes across chunks', async () => {
    const names = ['Trần Ngọc Châu', 'Đặng Thị Hoà', 'Nguyễn Hữu Phước', 'Lê Thị Ánh Tuyết', 'Võ Văn Đức'];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Danh sách');
    ws.addRow(['STT', 'Họ và tên', 'Địa chỉ']);
    // Shared strings (names) and inline text long enough to span many inflated chunks.
    for (let i = 1; i <= 20_000; i++) ws.addRow([i, `${names[i % names.length]} ${i}`, { richText: [{ text: `${i} đường Nguyễn Thị Minh Khai, phường Bến Thành` }] }]);
    const path = stored('dau.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    const rows = await collect(await openTable({ path, fileName: 'dau.xlsx' }));
    expect(rows).toHaveLength(20_000);
    expect(rows.filter((r) => r.cells.join('').includes('\uFFFD'))).toEqual([]);
    expect(rows[19_999]!.cells).toEqual(['20000', 'Trần Ngọc Châu 20000', '20000 đường Nguyễn Thị Minh Khai, phường Bến Thành']);
  });

  it('names an unreadable workbook', async () => {
    const path = stored('broken.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]));
    await expect(openTable({ path, fileName: 'broken.xlsx' })).rejects.toBeInstanceOf(TableReadError);
  });
});

describe('isGroupHeaderOver', () => {
  it('sees a group title over sub-headers, but not a title line over a header or a header over data', () => {
    expect(isGroupHeaderOver(['STT', 'Thông tin cá nhân', '', 'Số CCCD'], ['', 'Họ tên', 'Ngày sinh'])).toBe(true);
    expect(isGroupHeaderOver(['DANH SÁCH NGƯỜI DÂN'], ['STT', 'Họ tên', 'Ngày sinh'])).toBe(false);
    expect(isGroupHeaderOver(['STT', 'Họ tên', 'Ngày sinh'], ['1', 'Nguyễn Văn A', '01/01/1990'])).toBe(false);
  });
});
