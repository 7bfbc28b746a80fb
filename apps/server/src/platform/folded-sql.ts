import { sql, type SQL } from 'drizzle-orm';

// foldVietnamese's definition (foldByNormalising) in SQL: decompose, drop the combining marks,
// lower, đ to d, one space for any run of whitespace. A translate() over every precomposed letter
// would do the same but scans its ~600-letter alphabet for each character of each row: on 9,500
// households a search took 2.7 s that way (on a busy machine), 0.2 s this way.
const MARK_RANGES: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f],
];
const COMBINING_MARKS = `[${MARK_RANGES.map(([first, last]) => `${String.fromCharCode(first)}-${String.fromCharCode(last)}`).join('')}]`;
// lower() lowers only ASCII under the C locale (PGlite's, and a common server setting), and đ/Đ do
// not decompose. JavaScript's \s also takes the Unicode spaces (a non-breaking space pasted from
// Word); PostgreSQL's does not, so they become plain spaces first.
const UNICODE_SPACES = '\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
const FROM = `đĐ${UNICODE_SPACES}`;
const TO = `dd${' '.repeat(UNICODE_SPACES.length)}`;

/**
 * `text` folded in SQL as foldVietnamese folds it in JavaScript, whether stored composed (NFC) or
 * as letters and combining marks, so a column without a folded copy can still be searched by a folded key.
 */
export const foldedSql = (text: SQL | SQL.Aliased | unknown): SQL =>
  sql`btrim(regexp_replace(lower(translate(regexp_replace(normalize(${text}, NFD), ${COMBINING_MARKS}, '', 'g'), ${FROM}, ${TO})), '\\s+', ' ', 'g'))`;

/** A LIKE pattern finding `key` anywhere, with LIKE's own characters taken literally. */
export const containsPattern = (key: string): string => `%${key.replace(/[%_\\]/g, '\\$&')}%`;
