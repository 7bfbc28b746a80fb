import { foldVietnamese } from '@cds/domain';
import { sql, type SQL } from 'drizzle-orm';

// The letters foldVietnamese turns into one other letter, as translate()'s two alphabets. Both
// cases are listed because lower() only lowers ASCII under the C locale (PGlite's, and a common
// server setting); the ASCII capitals are left to lower().
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
  return [from, to];
})();

/**
 * `text` folded in SQL as foldVietnamese folds it in JavaScript (for text stored as NFC, as every
 * write path stores it), so a column without a folded copy can still be searched by a folded key.
 */
export const foldedSql = (text: SQL | SQL.Aliased | unknown): SQL =>
  sql`btrim(regexp_replace(lower(translate(${text}, ${FROM}, ${TO})), '\\s+', ' ', 'g'))`;

/** A LIKE pattern finding `key` anywhere, with LIKE's own characters taken literally. */
export const containsPattern = (key: string): string => `%${key.replace(/[%_\\]/g, '\\$&')}%`;
