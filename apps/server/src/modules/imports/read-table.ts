/**
 * Reads a spreadsheet an office uploaded (CSV in whatever encoding, or XLSX) as a header and a
 * lazy stream of rows of strings. Finds the header under a title block ("UBND PHƯỜNG …",
 * "DANH SÁCH …"), combines two-row merged headers, and converts legacy Vietnamese font
 * encodings (TCVN3, VNI) to Unicode.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
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
  /**
   * Data records the file holds, estimated before reading them (CSV: its lines after the header,
   * XLSX: the sheet's dimension), for a progress percentage; null when the file does not say.
   * Multi-line quoted CSV fields make it an overestimate, never an underestimate.
   */
  estimatedRecords: number | null;
}

/**
 * Where the file is: a stored upload read as a stream (the server and CLI, so a file of any
 * size never sits in memory), or bytes already in memory (tests, small files).
 */
export type TableSource = { bytes: Uint8Array; path?: undefined } | { path: string; bytes?: undefined };

export type OpenTableInput = TableSource & {
  fileName: string;
  sheet?: string | number | undefined;
  /** The result of `scanSource` on the same file, if the caller has it: saves a second pass. */
  scan?: SourceScan | undefined;
};

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

// ---------------------------------------------------------------------------------------------
// Sources: bytes in memory or a file read as a stream
// ---------------------------------------------------------------------------------------------

/** The source's bytes in chunks of at most 64 KiB, read from disk as they are consumed. */
async function* chunksOf(source: TableSource): AsyncGenerator<Uint8Array> {
  if (source.bytes !== undefined) {
    for (let offset = 0; offset < source.bytes.length; offset += CHUNK_BYTES) yield source.bytes.subarray(offset, offset + CHUNK_BYTES);
    return;
  }
  // Leaving the loop early (a preview stops after ten rows) destroys the stream and closes the file.
  for await (const chunk of createReadStream(source.path, { highWaterMark: CHUNK_BYTES })) yield chunk as Buffer;
}

/** The first `length` bytes (fewer if the file is shorter). */
async function headOf(source: TableSource, length: number): Promise<Uint8Array> {
  if (source.bytes !== undefined) return source.bytes.subarray(0, length);
  const file = await open(source.path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

async function sizeOf(source: TableSource): Promise<number> {
  return source.bytes !== undefined ? source.bytes.length : (await stat(source.path)).size;
}

export interface SourceScan {
  sha256: string;
  size: number;
  /** Whether every byte is valid UTF-8 (a file can start in ASCII and turn Windows-1258 later). */
  utf8: boolean;
  /** Lines, counting a last line without a line break: the records of a CSV, roughly. */
  lines: number;
}

/**
 * One pass over the whole file, chunk by chunk: its SHA-256 (a file imported twice is
 * recognised), whether it is UTF-8 throughout, and its line count for the progress percentage.
 */
export async function scanSource(source: TableSource): Promise<SourceScan> {
  const hash = createHash('sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let valid = true;
  let size = 0;
  let lines = 0;
  let last = -1;
  for await (const chunk of chunksOf(source)) {
    hash.update(chunk);
    size += chunk.length;
    if (valid) {
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        valid = false;
      }
    }
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
    last = chunk[chunk.length - 1] ?? last;
  }
  if (valid) {
    try {
      utf8.decode(new Uint8Array(0));
    } catch {
      valid = false;
    }
  }
  if (size > 0 && last !== 0x0a) lines++;
  return { sha256: hash.digest('hex'), size, utf8: valid, lines };
}

export async function openTable(input: OpenTableInput, options: OpenTableOptions = {}): Promise<TableReader> {
  const head = await headOf(input, CHUNK_BYTES);
  const xlsx = isZip(head) || /\.xlsx$/i.test(input.fileName);
  if (xlsx) {
    if (!isZip(head)) throw new TableReadError('The file is named .xlsx but is not an XLSX workbook.');
    return openXlsx(input, options);
  }
  if (/\.xls$/i.test(input.fileName) && head[0] === 0xd0 && head[1] === 0xcf) {
    throw new TableReadError('Old Excel .xls files are not supported: save the file as .xlsx or CSV.');
  }
  return openCsv(input, head, options);
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

async function openCsv(input: OpenTableInput, first: Uint8Array, options: OpenTableOptions): Promise<TableReader> {
  const size = input.scan?.size ?? (await sizeOf(input));
  let unicode = createDecoder(first);
  // If only the first chunk looked like UTF-8 (an ASCII header above Windows-1258 rows), fall
  // back to Windows-1258 rather than decode to U+FFFD. Checking takes a pass over the file
  // (streamed, unless the caller's scan already made it).
  if (unicode.encoding === 'utf-8' && size > first.length) {
    const utf8 = input.scan?.utf8 ?? (input.bytes !== undefined ? isUtf8Throughout(input.bytes) : (await scanSource(input)).utf8);
    if (!utf8) unicode = createDecoder(first, 'windows-1258');
  }
  let sample = unicode.decode(first, first.length === size);
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
  const write = async (text: string): Promise<void> => {
    if (text === '' || parser.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        parser.off('drain', done);
        parser.off('close', done);
        resolve();
      };
      parser.on('drain', done);
      parser.on('close', done);
    });
  };
  const feed = async (): Promise<void> => {
    try {
      for await (const chunk of chunksOf(input)) {
        if (parser.destroyed) return;
        await write(decodeChunk(chunk, false));
      }
      if (parser.destroyed) return;
      await write(decodeChunk(new Uint8Array(0), true));
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
    estimatedRecords: input.scan ? Math.max(input.scan.lines - (headerRow?.physicalRow ?? 0), 0) : null,
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

/** exceljs's streaming reader keeps these on fields its typings do not declare (exceljs 4.4). */
interface StreamingWorkbook {
  model?: { sheets?: { name: string }[] };
  _parseSharedStrings: (entry: Readable) => AsyncGenerator<unknown>;
}
interface StreamingSheet extends AsyncIterable<ExcelJS.Row> {
  name: string;
  /** The sheet's XML as it is unzipped; replaced before reading to see the <dimension> element. */
  iterator: AsyncIterable<Buffer | string>;
}

const DIMENSION = /<dimension\s+ref="(?:[A-Z]+\d+:)?[A-Z]+(\d+)"/;
const LEGACY_SAMPLE_ROWS = 200;

/**
 * The sheet XML as text, decoded here with a streaming UTF-8 decoder: exceljs (4.4) decodes each
 * chunk on its own, so a Vietnamese letter whose bytes fall across two chunks became "�" in
 * streaming mode. On the way it reports the last row of the <dimension ref="A1:H5000"> element,
 * which Excel and LibreOffice write before the rows: the record count for the progress
 * percentage, free. Streaming writers (exceljs's own) omit it; the count is then unknown.
 */
async function* decodeSheetXml(xml: AsyncIterable<Buffer | string>, found: (lastRow: number) => void): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let seen = '';
  let looking = true;
  for await (const chunk of xml) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (looking) {
      seen += text;
      const match = DIMENSION.exec(seen);
      if (match) found(Number(match[1]));
      if (match || seen.includes('<sheetData') || seen.length > CHUNK_BYTES) {
        looking = false;
        seen = '';
      }
    }
    if (text !== '') yield text;
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}

function rowCells(row: ExcelJS.Row): string[] {
  const values = row.values;
  const cells: string[] = [];
  if (Array.isArray(values)) for (let c = 1; c < values.length; c++) cells.push(cellValueToString(values[c]));
  while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
  return cells;
}

/**
 * Whether `group` is the upper row of a two-row header over `sub`: a group title such as
 * "Thông tin cá nhân" merged across the columns of its sub-headers ("Họ tên", "Ngày sinh").
 * The streaming reader learns a sheet's merges only after its last row, so the merge is inferred
 * from the cells: `sub` holds only labels, and at least one of them sits under a blank cell of
 * `group` to the right of a group label (the merged span). A title line has one cell filled, so
 * it is never taken for a group row.
 */
export function isGroupHeaderOver(group: readonly string[], sub: readonly string[]): boolean {
  if (nonEmpty(group) < 2) return false;
  const filled = sub.filter((c) => c.trim() !== '');
  if (filled.length === 0 || !filled.every(isShortText)) return false;
  for (let c = 1; c < sub.length; c++) {
    if (sub[c]!.trim() === '' || (group[c] ?? '').trim() !== '') continue;
    if (group.slice(0, c).some((g) => g.trim() !== '')) return true;
  }
  return false;
}

/**
 * Reads one sheet row by row with exceljs's streaming WorkbookReader, so memory holds the
 * shared strings and the first rows, never the sheet. Rows the XML skips (blank rows) are
 * yielded empty so that record numbers match the sheet's row numbers.
 */
async function openXlsx(input: OpenTableInput, options: OpenTableOptions): Promise<TableReader> {
  const stream = input.bytes !== undefined ? Readable.from(chunksOf(input)) : createReadStream(input.path, { highWaterMark: CHUNK_BYTES });
  // Styles are needed to tell a date from a number; hyperlinks are read as their text.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  // The shared strings (names, addresses) have the same chunk-boundary problem as the sheet XML:
  // their entry is set to emit text, decoded across chunks by the stream itself.
  const internals = reader as unknown as StreamingWorkbook;
  const parseSharedStrings = internals._parseSharedStrings.bind(reader);
  internals._parseSharedStrings = (entry) => {
    entry.setEncoding('utf8');
    return parseSharedStrings(entry);
  };
  const sheetNames = (): string[] => internals.model?.sheets?.map((s) => s.name) ?? [];
  // Sheets arrive in the order of the zip entries; the workbook's own order decides the index.
  const isWanted = (name: string, arrival: number): boolean => {
    const names = sheetNames();
    const position = names.includes(name) ? names.indexOf(name) : arrival;
    if (input.sheet === undefined) return position === 0;
    if (typeof input.sheet === 'number') return position === input.sheet;
    if (name === input.sheet) return true;
    return !names.includes(input.sheet) && foldHeader(name) === foldHeader(input.sheet);
  };
  const found: { sheetName: string | null; lastRow: number | null } = { sheetName: null, lastRow: null };

  async function* physicalRows(): AsyncGenerator<string[]> {
    try {
      let arrival = 0;
      for await (const worksheet of reader) {
        const sheet = worksheet as unknown as StreamingSheet;
        if (!isWanted(sheet.name, arrival++)) {
          // Read through a sheet we skip: exceljs deletes its temporary copy of the sheet once we
          // move on, and a copy not yet opened would then fail to open with nobody listening,
          // an uncaught ENOENT that ends the process.
          for await (const _row of sheet) void _row;
          continue;
        }
        found.sheetName = sheet.name;
        sheet.iterator = decodeSheetXml(sheet.iterator, (lastRow) => (found.lastRow = lastRow));
        let next = 1;
        for await (const row of sheet) {
          for (; next < row.number; next++) yield [];
          yield rowCells(row);
          next = row.number + 1;
        }
        return;
      }
      throw new TableReadError(`No sheet ${JSON.stringify(input.sheet ?? 0)} in the workbook.`);
    } finally {
      stream.destroy();
    }
  }

  const source = physicalRows();
  // The first rows, kept to find the header and the legacy font encoding; rows[r - 1] is row r.
  const sample: string[][] = [];
  try {
    while (sample.length < LEGACY_SAMPLE_ROWS) {
      const next = await source.next();
      if (next.done) break;
      sample.push(next.value);
    }
  } catch (error) {
    await source.return(undefined).catch(() => undefined);
    if (error instanceof TableReadError) throw error;
    throw new TableReadError(`The workbook could not be read: ${(error as Error).message}`);
  }

  const legacy = detectLegacyVietnamese(sample.map((cells) => cells.join(' ')).join('\n'));
  const convert = (cells: string[]): string[] => (legacy === null ? cells : cells.map((c) => convertLegacyVietnamese(c, legacy)));
  const converted = sample.map(convert);
  const rowAt = (r: number): string[] => converted[r - 1] ?? [];
  const chosen = chooseHeaderRow(converted.slice(0, HEADER_SCAN_ROWS), options.headerHints) + 1;

  // Two-row header: the group row is the chosen row (sub-headers below it) or the row above it.
  let groupRow: number | null = null;
  let headerRow = chosen;
  if (isGroupHeaderOver(rowAt(chosen), rowAt(chosen + 1))) {
    groupRow = chosen;
    headerRow = chosen + 1;
  } else if (chosen > 1 && isGroupHeaderOver(rowAt(chosen - 1), rowAt(chosen))) {
    groupRow = chosen - 1;
  }

  let headers: string[];
  if (groupRow === null) {
    headers = rowAt(headerRow).map(cleanHeader);
  } else {
    const group = rowAt(groupRow).map(cleanHeader);
    const sub = rowAt(headerRow).map(cleanHeader);
    // A blank sub-header is a cell merged down from the group row ("STT" spanning both rows).
    headers = Array.from({ length: Math.max(group.length, sub.length) }, (_, c) => (sub[c] ? sub[c] : (group[c] ?? '')));
    while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
  }

  async function* rows(): AsyncGenerator<TableRow> {
    try {
      let r = headerRow;
      for (const cells of converted.slice(headerRow)) {
        r++;
        yield { record: r - headerRow, physicalRow: r, cells };
      }
      for await (const cells of source) {
        r++;
        yield { record: r - headerRow, physicalRow: r, cells: convert(cells) };
      }
    } finally {
      await source.return(undefined);
    }
  }

  return {
    format: 'xlsx',
    encoding: null,
    legacyEncoding: legacy,
    delimiter: null,
    sheetName: found.sheetName,
    headerRow,
    headers,
    rows: rows(),
    estimatedRecords: found.lastRow === null ? null : Math.max(found.lastRow - headerRow, 0),
  };
}
