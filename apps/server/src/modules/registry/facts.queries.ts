import type { FactView } from '@cds/contract';
import type { Indicator } from '@cds/domain';
import { sql } from 'drizzle-orm';
import type { Db } from '@cds/db';

type FactRow = {
  id: number;
  resident_id: number;
  indicator: string;
  value: string;
  source_kind: FactView['sourceKind'];
  source_ref: string | null;
  stated_by: string | null;
  observed_on: string;
  recorded_at: Date;
  corrects_fact_id: number | null;
  note: string | null;
};

export function presentFact(row: FactRow): FactView {
  return {
    id: row.id,
    indicator: row.indicator,
    value: row.value,
    sourceKind: row.source_kind,
    sourceRef: row.source_ref,
    statedBy: row.stated_by,
    observedOn: row.observed_on,
    recordedAt: new Date(row.recorded_at).toISOString(),
    correctsFactId: row.corrects_fact_id,
    note: row.note,
  };
}

const FACT_COLUMNS = sql`f.id, f.resident_id, f.indicator, f.value, f.source_kind, f.source_ref, u.username AS stated_by,
  f.observed_on, f.recorded_at, f.corrects_fact_id, f.note`;

/**
 * The fact that currently stands for each indicator of each resident: facts that a later fact
 * corrected are set aside, then the latest observation wins (ties: the later record).
 */
export async function currentFacts(
  db: Db,
  provinceCode: string,
  residentIds: readonly number[],
): Promise<Map<number, Map<Indicator, FactView>>> {
  const result = new Map<number, Map<Indicator, FactView>>();
  if (residentIds.length === 0) return result;
  const { rows } = await db.execute<FactRow>(sql`
    SELECT DISTINCT ON (f.resident_id, f.indicator) ${FACT_COLUMNS}
    FROM facts f LEFT JOIN users u ON u.id = f.stated_by
    WHERE f.province_code = ${provinceCode}
      AND f.resident_id = ANY(${sql.raw(`'{${residentIds.map(Number).join(',')}}'`)}::bigint[])
      AND NOT EXISTS (SELECT 1 FROM facts c WHERE c.province_code = f.province_code AND c.corrects_fact_id = f.id)
    ORDER BY f.resident_id, f.indicator, f.observed_on DESC, f.id DESC`);
  for (const row of rows) {
    let byIndicator = result.get(row.resident_id);
    if (!byIndicator) result.set(row.resident_id, (byIndicator = new Map()));
    byIndicator.set(row.indicator as Indicator, presentFact(row));
  }
  return result;
}

/** Every fact ever recorded about one resident, newest first, corrected ones included. */
export async function factHistory(db: Db, provinceCode: string, residentId: number): Promise<FactView[]> {
  const { rows } = await db.execute<FactRow>(sql`
    SELECT ${FACT_COLUMNS}
    FROM facts f LEFT JOIN users u ON u.id = f.stated_by
    WHERE f.province_code = ${provinceCode} AND f.resident_id = ${residentId}
    ORDER BY f.observed_on DESC, f.id DESC`);
  return rows.map(presentFact);
}
