import { foldVietnamese } from '@cds/domain';
import { sql, type SQL } from 'drizzle-orm';

// The letters foldVietnamese turns into one other letter, as translate()'s two alphabets. Both
// cases are listed because lower() only lowers ASCII under the C locale (PGlite's, and a common
// server setting); the ASCII capitals are left to lower(). The Unicode spaces JavaScript's \s
// knows (a non-breaking space pasted from Word) become a plain space, which PostgreSQL's \s alone
// would not match. Combining marks come last with no counterpart, so translate() deletes them:
// text typed on a keyboard that sends a letter and then its tone mark folds as its NFC form does.
const [FROM, TO] = (() => {
  let from = '';
  let to = '';
  for (const [first, last] of [
    [0x00c0, 0x024f],
    [0x1e00, 0x1eff],
  ] as const) {
    for (let code = first; code <= last; code++) {
      const letter = String.fromCharCode(code);
      const folded = foldVietnamese(letter);
      if (folded.length === 1 && folded !== letter) {
        from += letter;
        to += folded;
      }
    }
  }
  for (const space of '\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff') {
    from += space;
    to += ' ';
  }
  for (const [first, last] of [
    [0x0300, 0x036f],
    [0x1ab0, 0x1aff],
    [0x1dc0, 0x1dff],
    [0x20d0, 0x20ff],
    [0xfe20, 0xfe2f],
  ] as const) {
    for (let code = first; code <= last; code++) {
      const mark = String.fromCharCode(code);
      if (/\p{M}/u.test(mark)) from += mark;
    }
  }
  return [from, to];
})();

/**
 * `text` folded in SQL as foldVietnamese folds it in JavaScript, whether stored composed (NFC) or
 * as letters and combining marks, so a column without a folded copy can still be searched by a folded key.
 */
export const foldedSql = (text: SQL | SQL.Aliased | unknown): SQL =>
  sql`btrim(regexp_replace(lower(translate(${text}, ${FROM}, ${TO})), '\\s+', ' ', 'g'))`;

/** A LIKE pattern finding `key` anywhere, with LIKE's own characters taken literally. */
export const containsPattern = (key: string): string => `%${key.replace(/[%_\\]/g, '\\$&')}%`;
