/**
 * Cell-level cleaning for imported lists (issue 3): birth dates, sex, names, and the rows of a
 * sheet that are not people at all (blank lines, totals, a header repeated on every printed page).
 *
 * Lists come from ward police, banks, social insurance, carriers and training centres, typed by
 * hand or exported from other systems, then passed around as Excel files. Every function here
 * takes what a cell holds and either returns one clean value or says, in Vietnamese and naming
 * the offending text, what is wrong, so the person fixing the row knows where to look.
 * Nothing here guesses when two readings are possible (two-digit years, "1"/"0" for sex).
 */
import type { Sex } from './citizen-id.ts';
import { foldVietnamese, normalisePersonName } from './vietnamese-text.ts';

export type Normalised<T> = { ok: true; value: T } | { ok: false; reason: string };

function accept<T>(value: T): Normalised<T> {
  return { ok: true, value };
}

function reject<T>(reason: string): Normalised<T> {
  return { ok: false, reason };
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function isoOf(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

const DAY_MS = 86_400_000;
// Day 0 of the 1900 date system for serials from 61 on: Excel counts a 29 Feb 1900 that never
// existed (kept for Lotus 1-2-3 compatibility), so every later serial is one day ahead of a
// plain count from 31 Dec 1899.
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** The serial Excel shows for 31 Dec 9999, the last date it can represent. */
export const EXCEL_MAX_SERIAL = 2_958_465;

/**
 * An Excel 1900-date-system serial as an ISO date ('YYYY-MM-DD'); a fractional part (the time
 * of day) is dropped. Null for serial 60, the fake 29 Feb 1900, and for anything outside
 * 1..EXCEL_MAX_SERIAL.
 */
export function excelSerialToIsoDate(serial: number): string | null {
  if (!Number.isFinite(serial)) return null;
  const day = Math.floor(serial);
  if (day < 1 || day > EXCEL_MAX_SERIAL || day === 60) return null;
  // Before the fake leap day the count starts one day later.
  const ms = day < 60 ? Date.UTC(1899, 11, 31) + day * DAY_MS : EXCEL_EPOCH_MS + day * DAY_MS;
  return new Date(ms).toISOString().slice(0, 10);
}

/** The Excel 1900-system serial of an ISO date ('YYYY-MM-DD', from 1 Mar 1900 on). */
export function isoDateToExcelSerial(iso: string): number {
  const match = ISO_DAY.exec(iso);
  if (match === null) throw new RangeError(`"${iso}" không phải ngày dạng YYYY-MM-DD`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Math.round((ms - EXCEL_EPOCH_MS) / DAY_MS);
}

// Written dates. Day first, always: Vietnamese documents never write month/day, so "03/04/1990"
// is 3 April and "04/13/1990" is an error, not 13 April.
const DAY_MONTH_YEAR = /^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d+)(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?)?$/iu;
// "Ngày 05 tháng 3 năm 1990", as copied from a certificate.
const WORDED_DATE = /^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d+)$/u;
// The time part is ignored, not converted: "1990-01-01T00:00:00+07:00" was born on 1 Jan
// wherever the offset puts midnight UTC.
const ISO_DATE = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T\s]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/iu;
// Month and year only, common in old household books: the year is kept, the day is unknown.
const MONTH_YEAR = /^(\d{1,2})\s*[/.-]\s*(\d+)$/u;
const NUMERIC = /^\d+(?:[.,]\d+)?$/u;

const TODAY = /^(\d{4})-(\d{2})-(\d{2})$/;

type BirthDate = { date: string | null; year: number };

function quote(raw: string): string {
  return `"${raw}"`;
}

/** Checks a year-month-day triple against the calendar, 1900 and today. */
function checkDate(year: number, month: number, day: number, shown: string, today: string): Normalised<BirthDate> {
  if (month < 1 || month > 12) return reject(`Ngày sinh ${shown} có tháng ${month} không tồn tại (ngày viết trước, tháng viết sau)`);
  if (day < 1 || day > daysInMonth(year, month)) return reject(`Ngày sinh ${shown} không tồn tại`);
  if (year < 1900) return reject(`Ngày sinh ${shown} có năm ${year} trước 1900`);
  const iso = isoOf(year, month, day);
  if (iso > today) return reject(`Ngày sinh ${shown} ở sau ngày hôm nay`);
  return accept({ date: iso, year });
}

function checkYear(year: number, shown: string, today: string): Normalised<BirthDate> {
  if (year < 1900) return reject(`Năm sinh ${shown} trước 1900`);
  if (year > Number(today.slice(0, 4))) return reject(`Năm sinh ${shown} ở sau năm hiện tại`);
  return accept({ date: null, year });
}

/** A year written with two digits: "85" may be 1985 or 2085 for a machine, so a person decides. */
function twoDigitYear(shown: string): Normalised<BirthDate> {
  return reject(`Ngày sinh ${shown} ghi năm bằng 2 chữ số, không rõ thế kỷ; cần ghi đủ 4 chữ số`);
}

function fromYearDigits(
  day: number,
  month: number,
  yearDigits: string,
  shown: string,
  today: string,
): Normalised<BirthDate> {
  if (yearDigits.length <= 2) return twoDigitYear(shown);
  if (yearDigits.length !== 4) return reject(`Ngày sinh ${shown} có năm không hợp lệ`);
  return checkDate(Number(yearDigits), month, day, shown, today);
}

// Whole numbers 1000–2099 are years ("1985", or a mistyped "2027" that is then refused as in the
// future): their serial reading would be a date in 1902–1905, which no living resident has.
const FIRST_SERIAL_NOT_YEAR = 2100;

/**
 * A number from a cell: a year (see FIRST_SERIAL_NOT_YEAR), else from 1000 on an Excel serial (a
 * date cell read as a number; 32874 → 1990-01-01; 2100 → 1905-09-30, so the oldest residents
 * still read right). Below 1000 a number is neither: two digits are an ambiguous year, three
 * digits nothing at all.
 */
function fromNumber(value: number, shown: string, today: string): Normalised<BirthDate> {
  if (!Number.isFinite(value) || value < 0) return reject(`Ngày sinh ${shown} không phải ngày hợp lệ`);
  const whole = Math.floor(value);
  if (value === whole && whole < 100) return twoDigitYear(shown);
  if (value === whole && whole >= 1000 && whole < FIRST_SERIAL_NOT_YEAR) return checkYear(whole, shown, today);
  if (whole < 1000) return reject(`Ngày sinh ${shown} không phải ngày hay năm hợp lệ`);
  const iso = excelSerialToIsoDate(value);
  if (iso === null) return reject(`Ngày sinh ${shown} không phải ngày hợp lệ`);
  if (iso > today) return reject(`Ngày sinh ${shown} (ngày ${toDayMonthYear(iso)}) ở sau ngày hôm nay`);
  return accept({ date: iso, year: Number(iso.slice(0, 4)) });
}

function toDayMonthYear(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/**
 * A birth date from whatever a cell holds: "05/03/1990", "5/3/1990", "05-03-1990", "05.03.1990",
 * "1990-03-05" (with or without a time), "Ngày 5 tháng 3 năm 1990", a year alone ("1985", date
 * null), a month and year ("03/1985", date null), an Excel serial (32874 → 1990-01-01) as a number
 * or numeric text, or a JS Date from a spreadsheet reader (its UTC calendar day).
 * `today` is 'YYYY-MM-DD'; dates after it are rejected. Never throws on bad cell content.
 */
export function normaliseBirthDate(
  raw: string | number | Date | null | undefined,
  today: string,
): Normalised<BirthDate> {
  if (!TODAY.test(today)) throw new RangeError(`today phải có dạng YYYY-MM-DD, nhận "${today}"`);
  if (raw === null || raw === undefined) return reject('Chưa nhập ngày sinh');
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return reject('Ngày sinh trong ô không phải ngày hợp lệ');
    // Spreadsheet readers hand back dates at midnight UTC; the local day could be the previous one.
    const year = raw.getUTCFullYear();
    const month = raw.getUTCMonth() + 1;
    const day = raw.getUTCDate();
    return checkDate(year, month, day, quote(`${pad(day, 2)}/${pad(month, 2)}/${year}`), today);
  }
  if (typeof raw === 'number') return fromNumber(raw, quote(String(raw)), today);

  // A leading apostrophe is how a spreadsheet user forces text.
  const text = raw.normalize('NFC').replace(/^\s*['’‘]/u, '').trim();
  const shown = quote(text);
  if (text === '') return reject('Chưa nhập ngày sinh');

  let match = ISO_DATE.exec(text);
  if (match !== null) return checkDate(Number(match[1]), Number(match[3]), Number(match[4]), shown, today);

  match = DAY_MONTH_YEAR.exec(text);
  if (match !== null) return fromYearDigits(Number(match[1]), Number(match[3]), match[4] ?? '', shown, today);

  match = WORDED_DATE.exec(foldVietnamese(text));
  if (match !== null) return fromYearDigits(Number(match[1]), Number(match[2]), match[3] ?? '', shown, today);

  match = MONTH_YEAR.exec(text);
  if (match !== null) {
    const month = Number(match[1]);
    const yearDigits = match[2] ?? '';
    if (yearDigits.length <= 2) return twoDigitYear(shown);
    if (yearDigits.length !== 4) return reject(`Ngày sinh ${shown} có năm không hợp lệ`);
    if (month < 1 || month > 12) return reject(`Ngày sinh ${shown} có tháng ${month} không tồn tại`);
    const year = Number(yearDigits);
    if (year < 1900) return reject(`Năm sinh ${shown} trước 1900`);
    if (`${yearDigits}-${pad(month, 2)}` > today.slice(0, 7)) return reject(`Ngày sinh ${shown} ở sau ngày hôm nay`);
    return accept({ date: null, year });
  }

  if (NUMERIC.test(text)) return fromNumber(Number(text.replace(',', '.')), shown, today);
  return reject(`Ngày sinh ${shown} không đúng dạng ngày/tháng/năm`);
}

// ---------------------------------------------------------------------------------------------
// Sex
// ---------------------------------------------------------------------------------------------

const SEX_WORDS: ReadonlyMap<string, Sex> = new Map([
  ['nam', 'male'],
  ['m', 'male'],
  ['male', 'male'],
  ['gioi tinh nam', 'male'],
  ['nu', 'female'],
  ['f', 'female'],
  ['female', 'female'],
  ['gioi tinh nu', 'female'],
]);

/**
 * "Nam"/"Nữ" in any case, with or without diacritics, or M/F, male/female. "1"/"0" are refused:
 * some offices write 1 for men, others 1 for women (as in the ID's century digit).
 */
export function normaliseSex(raw: string | number | null | undefined): Normalised<Sex> {
  if (raw === null || raw === undefined) return reject('Chưa nhập giới tính');
  const text = String(raw).trim();
  if (text === '') return reject('Chưa nhập giới tính');
  const key = foldVietnamese(text).replace(/[.:;,()]/gu, ' ').replace(/\s+/gu, ' ').trim();
  const sex = SEX_WORDS.get(key);
  if (sex !== undefined) return accept(sex);
  if (/^\d+$/u.test(key)) {
    return reject(`Giới tính "${text}" ghi bằng số, không rõ là Nam hay Nữ; cần ghi Nam hoặc Nữ`);
  }
  return reject(`Giới tính "${text}" không rõ; cần ghi Nam hoặc Nữ`);
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

export const MAX_FULL_NAME_LENGTH = 120;
// Letters, combining marks, spaces, and the hyphen, apostrophe and dot that real names use
// ("H'Hen Niê", "Nguyễn T. Lan"). Anything else is a typing or merge error.
const NAME_CHARACTER = /[\p{L}\p{M}\s'’\-.]/u;

/** A person's full name for storage: normalisePersonName, after checks for what cannot be a name. */
export function normaliseFullName(raw: string | null | undefined): Normalised<string> {
  if (raw === null || raw === undefined) return reject('Chưa nhập họ tên');
  const name = normalisePersonName(raw);
  if (name === '') return reject('Chưa nhập họ tên');
  if (/\d/u.test(name)) return reject(`Họ tên "${name}" có chữ số`);
  const stray = [...name].find((character) => !NAME_CHARACTER.test(character));
  if (stray !== undefined) return reject(`Họ tên "${name}" có ký tự "${stray}" không dùng trong tên người`);
  const letters = name.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return reject(`Họ tên "${name}" không có chữ cái nào`);
  if (letters === 1) return reject(`Họ tên "${name}" chỉ có một chữ cái`);
  if (name.length > MAX_FULL_NAME_LENGTH) {
    return reject(`Họ tên dài ${name.length} ký tự, quá ${MAX_FULL_NAME_LENGTH} ký tự; có thể nhiều ô đã bị gộp`);
  }
  return accept(name);
}

// ---------------------------------------------------------------------------------------------
// Rows that are not people
// ---------------------------------------------------------------------------------------------

/**
 * A header cell as a comparison key: folded, without line breaks, required-field stars "(*)",
 * numbering ("1. Họ tên", "II. Địa chỉ", "a) Ngày sinh") or punctuation. "1. Họ và tên (*)" →
 * "ho va ten"; "Số CCCD/\nCMND" → "so cccd cmnd".
 */
export function foldHeaderText(text: string): string {
  const folded = foldVietnamese(text);
  // Folded letters, digits and single spaces are the key already: there is no star, numbering or
  // punctuation to strip. That is most cells, and every data row's cells are compared with the header.
  return PLAIN_KEY.test(folded) ? folded : stripHeaderDecorations(folded);
}

const PLAIN_KEY = /^[a-z0-9 ]*$/;

/** The rules of foldHeaderText, on text already folded. */
export function stripHeaderDecorations(folded: string): string {
  return folded
    .replace(/\(\s*\*+\s*\)|\*+/gu, ' ')
    .replace(/^\s*(?:\d+|[ivx]+|[a-z])\s*[.):-]\s+/u, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

// "Tổng" alone must match exactly: "Tống" is a common surname and folds to the same letters.
const TOTAL_LABEL =
  /^(?:tong cong|tong so|tong|cong|cong toan bo|tong hop)(?: (?:ho|nguoi|khau|nhan khau|thanh vien|hoc vien|tai khoan|thue bao|to chuc|doanh nghiep|danh sach))?(?: \d+(?: (?:ho|nguoi|nhan khau|thanh vien))?)?$/u;
// A count, bare or with its unit: "45", "1.234", "8 người", "12 hộ".
const COUNT_CELL = /^[+-]?[\d.,\s%]+(?: ?(?:ho|nguoi|khau|nhan khau|thanh vien|hoc vien|tai khoan|thue bao|to chuc|doanh nghiep))?$/u;

// Only ASCII, and no letter: folding such text yields no letter (no flag u, so a character outside
// the BMP is two code units in the excluded range and counts as a possible letter).
const NO_LETTERS = /^[^A-Za-z\u0080-\uffff]*$/;

// One file's header is checked against every one of its rows: fold it once.
interface HeaderKeys {
  keys: readonly string[];
  /** The key has a letter: a cell without one cannot equal it. */
  lettered: readonly boolean[];
}
const foldedHeaderCache = new WeakMap<readonly string[], HeaderKeys>();
function foldedHeaders(headerCells: readonly string[]): HeaderKeys {
  let header = foldedHeaderCache.get(headerCells);
  if (!header) {
    const keys = headerCells.map(foldHeaderText);
    foldedHeaderCache.set(headerCells, (header = { keys, lettered: keys.map((key) => /\p{L}/u.test(key)) }));
  }
  return header;
}

/**
 * Why a sheet row holds no person: 'blank' (every cell empty), 'total' (a "Tổng cộng"/"Tổng
 * số"/"Cộng" label among its first non-empty cells and only numbers elsewhere), 'header' (the
 * header repeated, as on every printed page: at least half of its non-empty cells equal the
 * header cell in the same column), or null for a row to read as a person.
 */
export function classifyNonPersonRow(
  cells: readonly string[],
  headerCells: readonly string[],
): 'blank' | 'total' | 'header' | null {
  // Every data row of every file goes through here: the filled cells are kept in two plain arrays
  // rather than an object each, and each cell is folded at most once, only when it must be (a cell
  // of ASCII digits and punctuation, a row number, a date, an ID, a phone, never needs it where a
  // letter is needed, since its folded text has no letter either).
  const texts: string[] = [];
  const columns: number[] = [];
  for (let column = 0; column < cells.length; column++) {
    const cell = String(cells[column] ?? '').trim();
    if (cell === '') continue;
    texts.push(cell);
    columns.push(column);
  }
  const filled = texts.length;
  if (filled === 0) return 'blank';
  const folded: (string | undefined)[] = [];
  const foldedAt = (i: number): string => (folded[i] ??= foldHeaderText(texts[i] as string));

  let labelAt = -1;
  for (let i = 0; i < Math.min(3, filled); i++) {
    if (!NO_LETTERS.test(texts[i] as string) && TOTAL_LABEL.test(foldedAt(i))) {
      labelAt = i;
      break;
    }
  }
  if (labelAt !== -1) {
    let numeric = 0;
    for (let i = 0; i < filled; i++) if (i !== labelAt && COUNT_CELL.test(foldVietnamese(texts[i] as string))) numeric++;
    // "Mostly numbers": a totals row may still carry a note such as "hộ" or "người".
    if (numeric * 2 >= filled - 1) return 'total';
  }

  let same = 0;
  const header = foldedHeaders(headerCells);
  for (let i = 0; i < filled; i++) {
    // Stop once even every remaining cell matching would not make half of them.
    if ((same + filled - i) * 2 < filled) break;
    const column = columns[i] as number;
    const key = header.keys[column];
    if (key === undefined || key === '') continue;
    if (header.lettered[column] && NO_LETTERS.test(texts[i] as string)) continue;
    if (foldedAt(i) === key) same += 1;
  }
  if (same > 0 && same * 2 >= filled) return 'header';
  return null;
}
