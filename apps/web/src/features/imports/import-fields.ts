import { missingFields as domainMissingFields } from '@cds/domain/import-sources';
import type { ImportField, RowStatus, SourceType } from './imports-api';

export const ROW_STATUSES: readonly RowStatus[] = ['review', 'rejected', 'applied', 'skipped'];

// The source types, their fields and the required-field rule come from the domain package itself
// (its import-sources module alone, so the rest of the domain stays out of the web bundle).
export { SOURCE_TYPES, sourceFields } from '@cds/domain/import-sources';

/** Required fields no column is mapped to: the server's own rule, checked again at the start. */
export function missingFields(source: SourceType, columns: readonly (ImportField | null)[]): ImportField[] {
  return domainMissingFields(source, new Set(columns.filter((c): c is ImportField => c !== null)));
}

/** Fields chosen for more than one column. */
export function duplicateFields(columns: readonly (ImportField | null)[]): ImportField[] {
  const seen = new Set<ImportField>();
  const twice = new Set<ImportField>();
  for (const c of columns) {
    if (c === null) continue;
    if (seen.has(c)) twice.add(c);
    seen.add(c);
  }
  return [...twice];
}

/**
 * Units (five-digit codes) a review reason names, for the "which unit?" choice, with the name when
 * the reason gives one before the code: "…nhiều đơn vị: Phường Sài Gòn (26740), Phường Bến Thành (26743)".
 */
export function unitsIn(reasons: readonly string[]): { code: string; name: string | null }[] {
  const found = new Map<string, string | null>();
  for (const r of reasons) {
    for (const m of r.matchAll(/([^,:;()]*?)\s*\((\d{5})\)/g)) {
      const name = m[1]?.trim() ?? '';
      const code = m[2] ?? '';
      if (code && (!found.has(code) || !found.get(code))) found.set(code, name || null);
    }
    for (const m of r.matchAll(/(?<!\d)\d{5}(?!\d)/g)) if (!found.has(m[0])) found.set(m[0], null);
  }
  return [...found].map(([code, name]) => ({ code, name }));
}
