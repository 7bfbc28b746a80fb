/**
 * The physical rows of one XLSX sheet, read with exceljs's streaming WorkbookReader. This runs
 * inside a worker thread (xlsx-rows.worker.ts): the parser's garbage then piles up in a heap
 * with its own small cap instead of the server's, and the shared strings live on disk
 * (SpilledStringTable), so memory does not grow with the workbook.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import { SpilledStringTable } from './spilled-strings.ts';

export const XLSX_CHUNK_BYTES = 64 * 1024;

export type XlsxSource = { bytes: Uint8Array; path?: undefined } | { path: string; bytes?: undefined };

export interface XlsxRowsRequest {
  source: XlsxSource;
  /** A sheet name (exact, else by folded name), or its 0-based position; the first by default. */
  sheet?: string | number | undefined;
}

/** What the reader learns about the sheet on the way: its name, and its last row if the XML says. */
export interface XlsxSheetFound {
  sheetName: string | null;
  lastRow: number | null;
}

/** A workbook the reader cannot read, with the reason in English (the caller words it for people). */
export class XlsxReadError extends Error {}

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

export function foldSheetName(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/đ/gu, 'd').replace(/\s+/gu, ' ').trim();
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
      if (match || seen.includes('<sheetData') || seen.length > XLSX_CHUNK_BYTES) {
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

function sourceStream(source: XlsxSource): Readable {
  if (source.path !== undefined) return createReadStream(source.path, { highWaterMark: XLSX_CHUNK_BYTES });
  const bytes = source.bytes;
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += XLSX_CHUNK_BYTES) yield bytes.subarray(offset, offset + XLSX_CHUNK_BYTES);
    })(),
  );
}

/**
 * exceljs (4.4, its issue #3064) pauses the unzip stream while it handles each entry, and unzipper
 * (0.10) ends that stream once its input is written, paused or not, so the entries still buffered
 * are never handed out. When a sheet's temporary copy was slow to reach the disk, the workbook's
 * last entries were lost: its sheet list (the reader then threw "reading 'sheets'") or its shared
 * strings. The pause buys nothing: unzipper holds back the next entry until the current one is
 * read. So the unzip stream, which exceljs pipes our source into, is never paused.
 */
function keepUnzipFlowing(source: Readable): void {
  const pipe = source.pipe.bind(source);
  source.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    (destination as unknown as Readable).pause = function (this: Readable) {
      return this;
    };
    return pipe(destination, options);
  };
}

/**
 * The shared strings go to a SpilledStringTable instead of exceljs's array: the reader assigns
 * `this.sharedStrings = []` and pushes to it, and the sheet reader indexes it, so a proxy that
 * answers `push` and numeric indexes is all it needs. Rich text is stored flattened, as
 * cellValueToString would flatten it anyway.
 */
function spillSharedStrings(reader: object, table: SpilledStringTable): void {
  const view = new Proxy(table, {
    get(target, property) {
      if (property === 'push') return (value: unknown) => target.push(cellValueToString(value));
      if (property === 'length') return target.length;
      if (typeof property === 'string' && /^\d+$/.test(property)) return target.get(Number(property));
      return undefined;
    },
  });
  // Undefined until the reader starts the table: it tests `this.sharedStrings` to decide whether a
  // sheet that comes first in the zip must wait in a temporary file.
  let started = false;
  Object.defineProperty(reader, 'sharedStrings', {
    get: () => (started ? view : undefined),
    set: () => void (started = true),
    configurable: true,
  });
}

/**
 * Rows of the wanted sheet in order; rows the XML skips (blank rows) come as empty arrays so
 * that positions match the sheet's row numbers. `found` is filled in as the sheet is reached.
 */
export async function* readXlsxRows(request: XlsxRowsRequest, found: XlsxSheetFound): AsyncGenerator<string[]> {
  const stream = sourceStream(request.source);
  keepUnzipFlowing(stream);
  const strings = new SpilledStringTable();
  // Styles are needed to tell a date from a number; hyperlinks are read as their text.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  spillSharedStrings(reader, strings);
  // The shared strings have the same chunk-boundary problem as the sheet XML: their entry is set
  // to emit text, decoded across chunks by the stream itself.
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
    const wanted = request.sheet;
    if (wanted === undefined) return position === 0;
    if (typeof wanted === 'number') return position === wanted;
    if (name === wanted) return true;
    return !names.includes(wanted) && foldSheetName(name) === foldSheetName(wanted);
  };
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
    throw new XlsxReadError(`No sheet ${JSON.stringify(request.sheet ?? 0)} in the workbook.`);
  } finally {
    stream.destroy();
    strings.close();
  }
}
