import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { units, type Db } from '@cds/db';
import { sql } from 'drizzle-orm';
import { loadUnits, type LoadUnitsResult } from '../modules/units/load-units.ts';

/** The project's data/ folder (public reference data with its SOURCES.md). */
export const DATA_FILES_DIR = fileURLToPath(new URL('../../../../data/', import.meta.url));
export const HCMC_PROVINCE_CODE = '79';

export function bundledUnitFiles() {
  return {
    provinceCode: HCMC_PROVINCE_CODE,
    provincesCsv: readFileSync(DATA_FILES_DIR + 'vn-provinces-2025.csv', 'utf8'),
    unitsCsv: readFileSync(DATA_FILES_DIR + 'hcmc-units-2025.csv', 'utf8'),
    legacyCsv: readFileSync(DATA_FILES_DIR + 'hcmc-units-legacy-map.csv', 'utf8'),
  };
}

/** Loads Ho Chi Minh City's units when the database has none yet. */
export async function ensureUnits(db: Db): Promise<LoadUnitsResult | null> {
  const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(units);
  if (row && row.n > 0) return null;
  return loadUnits(db, bundledUnitFiles());
}
