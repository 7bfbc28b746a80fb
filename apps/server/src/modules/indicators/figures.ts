import type { Db } from '@cds/db';
import { sql, type SQL } from 'drizzle-orm';
import { addDays } from '@cds/domain';
import { rollTotalsForward } from './indicator-ledger.ts';

/** Where figures are read for: one area, or one row per unit / per neighbourhood for rankings. */
export type FigureScope =
  | { level: 'city'; provinceCode: string }
  | { level: 'unit'; unitCode: string }
  | { level: 'neighbourhood'; unitCode: string; neighbourhoodId: number }
  | { level: 'units'; provinceCode: string }
  /** One row per current (not merged) neighbourhood of the unit. */
  | { level: 'neighbourhoods'; unitCode: string };

/** day → group (unit code, neighbourhood id, or '' for a single area) → key → count */
export type Figures = Map<string, Map<string, Map<string, number>>>;

const rolledTo = new WeakMap<Db, string>();

/** The totals are summed up to a day; the first read on a new day moves them on (ages changed overnight). */
async function totalsAsOf(db: Db, today: string): Promise<void> {
  if (rolledTo.get(db) === today) return;
  await rollTotalsForward(db, today);
  rolledTo.set(db, today);
}

function shape(scope: FigureScope): { group: SQL; where: SQL } {
  switch (scope.level) {
    case 'city':
      return { group: sql`''`, where: sql`neighbourhood_id = 0 AND unit_code = ${scope.provinceCode}` };
    case 'units':
      return { group: sql`unit_code`, where: sql`neighbourhood_id = 0 AND unit_code IN (SELECT code FROM units WHERE province_code = ${scope.provinceCode})` };
    case 'unit':
      return { group: sql`''`, where: sql`neighbourhood_id = 0 AND unit_code = ${scope.unitCode}` };
    case 'neighbourhood':
      return { group: sql`''`, where: sql`neighbourhood_id = ${scope.neighbourhoodId} AND unit_code = ${scope.unitCode}` };
    case 'neighbourhoods':
      // The unit's current neighbourhoods by id, not "neighbourhood_id <> 0": with equality on
      // every column before day, the ledger's key reaches straight to the days asked for, where
      // an inequality walked every day of every neighbourhood's history, more as units fill.
      return {
        group: sql`neighbourhood_id::text`,
        where: sql`neighbourhood_id = ANY(ARRAY(SELECT id FROM neighbourhoods WHERE unit_code = ${scope.unitCode} AND merged_into IS NULL)) AND unit_code = ${scope.unitCode}`,
      };
  }
}

type Part = { grp: string; key: string; source: 'totals' | 'ledger' | 'pending'; bucket: number; value: string };

/**
 * Counts for the keys on each of the days (none after today). A day's count is the totals
 * (summed up to totals_as_of), minus the ledger rows after that day, plus the pending changes
 * up to it: one statement, so all three parts come from the same snapshot. Looking back costs
 * the rows in between, not the size of the registry.
 *
 * The ledger has a row per day, and a neighbourhood ranking reads a month of them for every
 * neighbourhood and key. The database sums them into the gaps between the days asked
 * (width_bucket over the day after each), so the rows sent back are per gap, not per day, and
 * no row is counted once per day it applies to.
 */
export async function readFigures(db: Db, today: string, scope: FigureScope, keys: readonly string[], days: readonly string[]): Promise<Figures> {
  await totalsAsOf(db, today);
  if (days.length === 0) return new Map();
  const { group, where } = shape(scope);
  const keyList = sql.param([...new Set(keys)]);
  const asked = [...new Set(days)].sort();
  // Bucket b (1…n) holds the days on or after the day after asked[b-1] and before the day after
  // asked[b]; bucket 0 the days up to asked[0]. A ledger row in bucket b is after asked[j] for
  // every j < b (0-based), and a pending change in bucket b is on or before asked[j] for j >= b.
  const thresholds = sql.param(asked.map((day) => addDays(day, 1)));
  const { rows } = await db.execute<Part>(sql`
    SELECT ${group} AS grp, key, 'totals' AS source, 0 AS bucket, sum(value)::text AS value FROM indicator_totals
    WHERE key = ANY(${keyList}::text[]) AND ${where} GROUP BY 1, 2
    UNION ALL
    SELECT ${group}, key, 'ledger', width_bucket(day, ${thresholds}::date[]), sum(delta)::text FROM indicator_ledger
    WHERE key = ANY(${keyList}::text[]) AND ${where}
      AND day > ${asked[0]!}::date AND day <= (SELECT totals_as_of FROM indicator_totals_state)
    GROUP BY 1, 2, 4
    UNION ALL
    SELECT ${group}, key, 'pending', width_bucket(day, ${thresholds}::date[]), sum(delta)::text FROM indicator_pending
    WHERE key = ANY(${keyList}::text[]) AND ${where} AND day <= ${asked[asked.length - 1]!}::date
    GROUP BY 1, 2, 4`);
  const counts = new Map<string, Map<string, number[]>>();
  for (const row of rows) {
    const byKey = counts.get(row.grp) ?? new Map<string, number[]>();
    counts.set(row.grp, byKey);
    const perDay = byKey.get(row.key) ?? asked.map(() => 0);
    byKey.set(row.key, perDay);
    const value = Number(row.value);
    const bucket = Number(row.bucket);
    for (let j = 0; j < asked.length; j++) {
      if (row.source === 'totals') perDay[j]! += value;
      else if (row.source === 'ledger' && j < bucket) perDay[j]! -= value;
      else if (row.source === 'pending' && j >= bucket) perDay[j]! += value;
    }
  }
  const figures: Figures = new Map();
  asked.forEach((day, j) => {
    const byGroup = new Map<string, Map<string, number>>();
    for (const [grp, byKey] of counts) byGroup.set(grp, new Map([...byKey].map(([key, perDay]) => [key, perDay[j]!])));
    figures.set(day, byGroup);
  });
  return figures;
}

/** One area's counts on one day. */
export async function readAreaFigures(db: Db, today: string, scope: FigureScope, keys: readonly string[], day: string): Promise<Map<string, number>> {
  const figures = await readFigures(db, today, scope, keys, [day]);
  return figures.get(day)?.get('') ?? new Map();
}
