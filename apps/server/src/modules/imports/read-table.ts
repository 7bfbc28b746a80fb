/**
 * Reads a spreadsheet an office uploaded (CSV in whatever encoding, or XLSX) as a header and a
 * lazy stream of rows of strings. Finds the header under a title block ("UBND PHƯỜNG …",
 * "DANH SÁCH …"), combines two-row merged headers, and converts legacy Vietnamese font
 * encodings (TCVN3, VNI) to Unicode.
 */
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import {
  convertLegacyVietnamese,
  createDecoder,
  detectLegacyVietnamese,
  isUtf8Throughout,
  type LegacyVietnameseEncoding,
} from '@cds/domain';

export interface TableRow {
  /** Data records counted from 1 after the header; blank records are counted too. */
  record: number;
  /** 1-based physical row (XLSX) or line where the record starts (CSV). */
  physicalRow: number;
  cells: string[];
}

export interface TableReader {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  legacyEncoding: LegacyVietnameseEncoding | null;
  delimiter: string | null;
  sheetName: string | null;
  /** 1-based physical row of the header; for a two-row header, the lower row (data follow it). */
  headerRow: number;
  headers: string[];
  rows: AsyncIterable<TableRow>;
}

export interface OpenTableInput {
  bytes: Uint8Array;
  fileName: string;
  sheet?: string | number;
}

export interface OpenTableOptions {
  /** Expected header labels ("Họ tên", "Số CCCD"…): the row matching most of them is the header. */
  headerHints?: readonly string[];
}

export class TableReadError extends Error {}

const HEADER_SCAN_ROWS = 20;
const CHUNK_BYTES = 64 * 1024;
const DELIMITERS = [',', ';', '\t'] as const;

/** Lower case, no diacritics, đ → d, single spaces. */
export function foldHeader(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/đ/gu, 'd')
    .replace(/\s+/gu, ' ')
    .trim();
}

function cleanHeader(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

export async function openTable(input: OpenTableInput, options: OpenTableOptions = {}): Promise<TableReader> {
  const xlsx = isZip(input.bytes) || /\.xlsx$/i.test(input.fileName);
  if (xlsx) {
    if (!isZip(input.bytes)) throw new TableReadError('The file is named .xlsx but is not an XLSX workbook.');
    return openXlsx(input, options);
  }
  if (/\.xls$/i.test(input.fileName) && input.bytes[0] === 0xd0 && input.bytes[1] === 0xcf) {
    throw new TableReadError('Old Excel .xls files are not supported: save the file as .xlsx or CSV.');
  }
  return openCsv(input.bytes, options);
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

// ---------------------------------------------------------------------------------------------
// Header detection (shared)
// ---------------------------------------------------------------------------------------------

function isShortText(cell: string): boolean {
  const t = cell.trim();
  if (t === '' || t.length > 60) return false;
  // Numbers, dates and IDs are data, not labels.
  return !/^[\d\s.,:/\-+()]+$/u.test(t);
}

function nonEmpty(cells: readonly string[]): number {
  return cells.filter((c) => c.trim() !== '').length;
}

/**
 * Index (into `rows`) of the header: the row matching most hints (a folded hint contained in
 * a folded cell), or without hints / without any match, the first row with at least three
 * short text cells that is followed by a row with at least two filled cells (or by nothing).
 */
export function chooseHeaderRow(rows: readonly (readonly string[])[], hints: readonly string[] = []): number {
  const foldedHints = hints.map(foldHeader).filter((h) => h !== '');
  if (foldedHints.length > 0) {
    let best = -1;
    let bestScore = 0;
    rows.forEach((row, i) => {
      const cells = row.map(foldHeader).filter((c) => c !== '');
      const score = foldedHints.filter((h) => cells.some((c) => c.includes(h))).length;
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    });
    if (best >= 0) return best;
  }
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.filter(isShortText).length < 3) continue;
    const next = rows.slice(i + 1).find((r) => nonEmpty(r) > 0);
    if (next === undefined || nonEmpty(next) >= 2) return i;
  }
  const firstFilled = rows.findIndex((r) => nonEmpty(r) > 0);
  return Math.max(firstFilled, 0);
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/** Counts of the delimiter outside double quotes on each of the first lines. */
function countOutsideQuotes(text: string, delimiter: string, maxLines: number): number[] {
  const counts: number[] = [];
  let inQuotes = false;
  let count = 0;
  let blank = true;
  for (let i = 0; i < text.length && counts.length < maxLines; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      inQuotes = !inQuotes;
      blank = false;
    } else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (!blank) counts.push(count);
      count = 0;
      blank = true;
    } else if (!inQuotes && ch === delimiter) {
      count++;
      blank = false;
    } else if (ch.trim() !== '') {
      blank = false;
    }
  }
  if (!blank && counts.length < maxLines) counts.push(count);
  return counts;
}

/**
 * The delimiter among , ; and tab that splits the first lines most consistently: for each, the
 * most common non-zero count per line, scored by how many lines have exactly that count.
 */
export function detectDelimiter(sample: string): string {
  let best: string = ',';
  let bestScore = -1;
  let bestFields = 0;
  for (const delimiter of DELIMITERS) {
    const counts = countOutsideQuotes(sample, delimiter, 30);
    const freq = new Map<number, number>();
    for (const c of counts) if (c > 0) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let modeLines = 0;
    for (const [c, n] of freq) {
      if (n > modeLines || (n === modeLines && c > mode)) {
        mode = c;
        modeLines = n;
      }
    }
    if (mode === 0) continue;
    if (modeLines > bestScore || (modeLines === bestScore && mode > bestFields)) {
      best = delimiter;
      bestScore = modeLines;
      bestFields = mode;
    }
  }
  return best;
}

async function openCsv(bytes: Uint8Array, options: OpenTableOptions): Promise<TableReader> {
  const first = bytes.subarray(0, CHUNK_BYTES);
  let unicode = createDecoder(first);
  // The whole file is in memory: if only the first chunk looked like UTF-8 (an ASCII header
  // above Windows-1258 rows), fall back to Windows-1258 rather than decode to U+FFFD.
  if (unicode.encoding === 'utf-8' && bytes.length > first.length && !isUtf8Throughout(bytes)) {
    unicode = createDecoder(first, 'windows-1258');
  }
  let sample = unicode.decode(first, first.length === bytes.length);
  let legacy: LegacyVietnameseEncoding | null = null;
  let decodeChunk: (chunk: Uint8Array, final: boolean) => string;
  if (unicode.encoding === 'windows-1258') {
    // TCVN3/VNI bytes must be seen as the Windows-1252 characters their fonts were keyed on;
    // Windows-1258 would turn some of them into combining marks that NFC then merges away.
    const cp1252 = new TextDecoder('windows-1252').decode(first);
    legacy = detectLegacyVietnamese(cp1252);
    if (legacy !== null) sample = cp1252;
  } else {
    legacy = detectLegacyVietnamese(sample);
  }
  if (legacy !== null && unicode.encoding === 'windows-1258') {
    const d = new TextDecoder('windows-1252');
    decodeChunk = (chunk, final) => d.decode(chunk, { stream: !final });
  } else {
    const d = createDecoder(first, unicode.encoding);
    decodeChunk = (chunk, final) => d.decode(chunk, final);
  }
  const delimiter = detectDelimiter(sample);

  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    info: true,
  });

  // Feed decoded text in chunks, respecting back-pressure, so a file of a million rows never
  // exists as one string or as one array of records.
  const feed = async (): Promise<void> => {
    try {
      for (let offset = 0; offset < bytes.length || offset === 0; offset += CHUNK_BYTES) {
        if (parser.destroyed) return;
        const end = Math.min(offset + CHUNK_BYTES, bytes.length);
        const text = decodeChunk(bytes.subarray(offset, end), end >= bytes.length);
        if (text !== '' && !parser.write(text)) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              parser.off('drain', done);
              parser.off('close', done);
              resolve();
            };
            parser.on('drain', done);
            parser.on('close', done);
          });
        }
        if (end >= bytes.length) break;
      }
      if (!parser.destroyed) parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  };
  void feed();

  const iterator = (parser as AsyncIterable<{ record: string[]; info: { lines: number } }>)[Symbol.asyncIterator]();
  let lastLine = 0;
  const convert = (cells: string[]): string[] =>
    legacy === null ? cells : cells.map((c) => convertLegacyVietnamese(c, legacy));
  const next = async (): Promise<{ physicalRow: number; cells: string[] } | null> => {
    const result = await iterator.next();
    if (result.done) return null;
    const physicalRow = lastLine + 1;
    lastLine = result.value.info.lines;
    return { physicalRow, cells: convert(result.value.record) };
  };

  const head: { physicalRow: number; cells: string[] }[] = [];
  while (head.length < HEADER_SCAN_ROWS) {
    const row = await next();
    if (row === null) break;
    head.push(row);
  }
  const headerIndex = chooseHeaderRow(
    head.map((r) => r.cells),
    options.headerHints,
  );
  const headerRow = head[headerIndex];
  const rest = head.slice(headerIndex + 1);

  async function* rows(): AsyncGenerator<TableRow> {
    let record = 0;
    try {
      for (const row of rest) yield { record: ++record, ...row };
      for (;;) {
        const row = await next();
        if (row === null) return;
        yield { record: ++record, ...row };
      }
    } finally {
      if (!parser.destroyed) parser.destroy();
    }
  }

  return {
    format: 'csv',
    encoding: legacy !== null && unicode.encoding === 'windows-1258' ? 'windows-1252' : unicode.encoding,
    legacyEncoding: legacy,
    delimiter,
    sheetName: null,
    headerRow: headerRow?.physicalRow ?? 1,
    headers: (headerRow?.cells ?? []).map(cleanHeader),
    rows: rows(),
  };
}

// ---------------------------------------------------------------------------------------------
// XLSX
// ---------------------------------------------------------------------------------------------

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A number as a plain decimal string, never with an exponent. */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return BigInt(n).toString();
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // Small non-integers such as 1e-7: expand the exponent by hand.
  const [mantissa = '', exponentText = '0'] = s.toLowerCase().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const [intPart = '', fracPart = ''] = mantissa.replace('-', '').split('.');
  const digits = intPart + fracPart;
  const point = intPart.length + exponent;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return (negative ? '-' : '') + out;
}

function dateString(d: Date): string {
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const h = d.getUTCHours();
  const m = d.getUTCMinutes();
  const s = d.getUTCSeconds();
  return h === 0 && m === 0 && s === 0 ? date : `${date} ${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** Any exceljs cell value as a string: rich text and formula results flattened, dates as YYYY-MM-DD. */
export function cellValueToString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return plainNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : dateString(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v['richText'])) {
      return (v['richText'] as { text?: unknown }[]).map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
    }
    if ('formula' in v || 'sharedFormula' in v) return cellValueToString(v['result']);
    if ('error' in v) return String(v['error']);
    if ('text' in v) return cellValueToString(v['text']); // hyperlink
    if ('result' in v) return cellValueToString(v['result']);
  }
  return String(value);
}

async function openXlsx(input: OpenTableInput, options: OpenTableOptions): Promise<TableReader> {
  // First version: the whole workbook is loaded from the buffer (workbook.xlsx.load). Rows are
  // still yielded lazily; a streaming WorkbookReader can replace this for very big workbooks.
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength) as never);
  } catch (error) {
    throw new TableReadError(`The workbook could not be read: ${(error as Error).message}`);
  }
  const sheets = workbook.worksheets;
  let sheet: ExcelJS.Worksheet | undefined;
  if (input.sheet === undefined) sheet = sheets[0];
  else if (typeof input.sheet === 'number') sheet = sheets[input.sheet];
  else {
    const wanted = foldHeader(input.sheet);
    sheet = sheets.find((s) => s.name === input.sheet) ?? sheets.find((s) => foldHeader(s.name) === wanted);
  }
  if (sheet === undefined) throw new TableReadError(`No sheet ${JSON.stringify(input.sheet ?? 0)} in the workbook.`);
  const ws = sheet;

  const lastRow = ws.rowCount;
  const lastCol = Math.max(ws.columnCount, 1);
  const rawRow = (r: number): string[] => {
    const row = ws.getRow(r);
    const cells: string[] = [];
    const width = Math.max(lastCol, row.cellCount);
    for (let c = 1; c <= width; c++) cells.push(cellValueToString(row.getCell(c).value));
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    return cells;
  };

  // Legacy font encodings: judged on the text of the first rows.
  const sampleRows: string[][] = [];
  for (let r = 1; r <= Math.min(lastRow, 200); r++) sampleRows.push(rawRow(r));
  const legacy = detectLegacyVietnamese(sampleRows.map((cells) => cells.join(' ')).join('\n'));
  const convert = (cells: string[]): string[] =>
    legacy === null ? cells : cells.map((c) => convertLegacyVietnamese(c, legacy));

  const head = sampleRows.slice(0, HEADER_SCAN_ROWS).map(convert);
  const chosen = chooseHeaderRow(head, options.headerHints) + 1;

  // Two-row header: a group title merged across columns above sub-headers. The group row is
  // the chosen row (sub-headers below it) or the row above the chosen one.
  const groupMergedAcross = (r: number): boolean => {
    if (r < 1 || r > lastRow) return false;
    const row = ws.getRow(r);
    for (let c = 1; c <= lastCol; c++) {
      const cell = row.getCell(c);
      if (!cell.isMerged) continue;
      const master = cell.master;
      if (Number(master.row) === r && Number(master.col) !== c) return true;
    }
    return false;
  };
  let groupRow: number | null = null;
  let headerRow = chosen;
  if (groupMergedAcross(chosen) && chosen < lastRow && nonEmpty(head[chosen] ?? rawRow(chosen + 1)) > 0) {
    groupRow = chosen;
    headerRow = chosen + 1;
  } else if (groupMergedAcross(chosen - 1)) {
    groupRow = chosen - 1;
  }

  let headers: string[];
  if (groupRow === null) {
    headers = (head[headerRow - 1] ?? convert(rawRow(headerRow))).map(cleanHeader);
  } else {
    const group = convert(rawRow(groupRow)).map(cleanHeader);
    const row = ws.getRow(headerRow);
    const width = Math.max(group.length, lastCol);
    headers = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      // A cell merged down from the group row (e.g. "STT" spanning both rows) keeps that label.
      const fromAbove = cell.isMerged && Number(cell.master.row) < headerRow;
      const sub = fromAbove ? '' : cleanHeader(convert([cellValueToString(cell.value)])[0] ?? '');
      headers.push(sub !== '' ? sub : (group[c - 1] ?? ''));
    }
    while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
  }

  async function* rows(): AsyncGenerator<TableRow> {
    for (let r = headerRow + 1; r <= lastRow; r++) {
      yield { record: r - headerRow, physicalRow: r, cells: convert(rawRow(r)) };
    }
  }

  return {
    format: 'xlsx',
    encoding: null,
    legacyEncoding: legacy,
    delimiter: null,
    sheetName: ws.name,
    headerRow,
    headers,
    rows: rows(),
  };
}
