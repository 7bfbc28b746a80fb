/**
 * Reads a spreadsheet an office uploaded (CSV in whatever encoding, or XLSX) as a header and a
 * lazy stream of rows of strings. Finds the header under a title block ("UBND PHƯỜNG …",
 * "DANH SÁCH …"), combines two-row merged headers, and converts legacy Vietnamese font
 * encodings (TCVN3, VNI) to Unicode.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { parse } from 'csv-parse';
import {
  convertLegacyVietnamese,
  createDecoder,
  detectLegacyVietnamese,
  isUtf8Throughout,
  type LegacyVietnameseEncoding,
} from '@cds/domain';
import { xlsxRowsInThread, XlsxThreadError } from './xlsx-rows-thread.ts';
import type { XlsxRowsRequest, XlsxSheetFound } from './xlsx-rows.ts';

export { cellValueToString, plainNumber } from './xlsx-rows.ts';

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
const LEGACY_SAMPLE_ROWS = 200;
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

  const iterator = (parser as AsyncIterable<string[]>)[Symbol.asyncIterator]();
  const convert = (cells: string[]): string[] =>
    legacy === null ? cells : cells.map((c) => convertLegacyVietnamese(c, legacy));
  // A record starts on the line after the previous one ended: one line, plus the line breaks
  // inside its quoted cells. csv-parse's `info` option says the same, but it builds an object of
  // a dozen fields for every record, a fifth of the parser's time in an import.
  let nextLine = 1;
  const next = async (): Promise<{ physicalRow: number; cells: string[] } | null> => {
    const result = await iterator.next();
    if (result.done) return null;
    const physicalRow = nextLine;
    nextLine += 1 + lineBreaksIn(result.value);
    return { physicalRow, cells: convert(result.value) };
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
 * Reads one sheet row by row in a worker thread (xlsx-rows-thread.ts), so memory holds the first
 * rows, never the sheet nor its shared strings. Rows the XML skips (blank rows) come empty so
 * that record numbers match the sheet's row numbers.
 */
async function openXlsx(input: OpenTableInput, options: OpenTableOptions): Promise<TableReader> {
  const found: XlsxSheetFound = { sheetName: null, lastRow: null };
  const request: XlsxRowsRequest = { source: input.bytes !== undefined ? { bytes: input.bytes } : { path: input.path }, sheet: input.sheet };
  const source = xlsxRowsInThread(request, found);
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
    if (error instanceof XlsxThreadError && !error.unreadable) throw new TableReadError(error.message);
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

const LINE_BREAK = /\r\n|\r|\n/g;

/** Line breaks inside a record's cells; CR LF is one, as an editor shows it. */
function lineBreaksIn(cells: readonly string[]): number {
  let breaks = 0;
  for (const cell of cells) {
    if (cell.includes('\n') || cell.includes('\r')) breaks += cell.match(LINE_BREAK)?.length ?? 0;
  }
  return breaks;
}
