import type { FactView } from '@cds/contract';
import type { Indicator } from '@cds/domain';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@cds/db';
import { may } from '../access/policy.ts';
import type { Actor } from '../access/actor.ts';

type FactRow = {
  id: number;
  resident_id: number;
  /** The shown record the fact is listed under: the resident_id itself, or the record it was merged into. */
  shown_id: number;
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
    // Provenance survives a merge: a fact recorded on the merged record says so.
    ...(Number(row.resident_id) !== Number(row.shown_id) ? { mergedFromResidentId: Number(row.resident_id) } : {}),
  };
}

/** A fact as a reader who may not see its provenance (see may.seeFactProvenance) reads it. */
export function withoutProvenance(fact: FactView): FactView {
  // The record it was first stated on, when records were merged, is an internal id too.
  const { mergedFromResidentId: _mergedFrom, ...rest } = fact;
  return { ...rest, sourceRef: null, statedBy: null };
}

/** Current facts (currentFacts) as this reader may read them. */
export function currentFactsFor(actor: Actor, facts: Map<number, Map<Indicator, FactView>>): Map<number, Map<Indicator, FactView>> {
  if (may.seeFactProvenance(actor)) return facts;
  return new Map([...facts].map(([id, byIndicator]) => [id, new Map([...byIndicator].map(([indicator, fact]) => [indicator, withoutProvenance(fact)]))]));
}

const FACT_COLUMNS = sql`f.id, f.resident_id, f.indicator, f.value, f.source_kind, f.source_ref, u.username AS stated_by,
  f.observed_on, f.recorded_at, f.corrects_fact_id, f.note`;

const idArray = (ids: readonly number[]) => sql.raw(`'{${ids.map(Number).join(',')}}'::bigint[]`);

/**
 * The records whose facts count for each shown resident: the resident itself and every record
 * merged into it (merges are one hop: a merged record never holds merged records of its own).
 * Facts keep the resident_id they were recorded on, so a merge or its undo moves no fact.
 */
const subjects = (provinceCode: string, residentIds: readonly number[]) => sql`
  SELECT s.id AS shown_id, s.id AS source_id FROM unnest(${idArray(residentIds)}) AS s(id)
  UNION ALL
  SELECT m.merged_into_id, m.id FROM residents m
   WHERE m.province_code = ${provinceCode} AND m.merged_into_id = ANY(${idArray(residentIds)})`;

/**
 * The fact that currently stands for each indicator of each resident: facts that a later fact
 * corrected are set aside, then the latest observation wins (ties: the later record). Facts of
 * records merged into a resident compete on the same terms.
 */
export async function currentFacts(
  db: Db,
  provinceCode: string,
  residentIds: readonly number[],
): Promise<Map<number, Map<Indicator, FactView>>> {
  const result = new Map<number, Map<Indicator, FactView>>();
  if (residentIds.length === 0) return result;
  const { rows } = await db.execute<FactRow>(sql`
    WITH subjects AS (${subjects(provinceCode, residentIds)})
    SELECT DISTINCT ON (s.shown_id, f.indicator) s.shown_id, ${FACT_COLUMNS}
    FROM subjects s
    JOIN facts f ON f.province_code = ${provinceCode} AND f.resident_id = s.source_id
    LEFT JOIN users u ON u.id = f.stated_by
    WHERE NOT EXISTS (SELECT 1 FROM facts c WHERE c.province_code = f.province_code AND c.corrects_fact_id = f.id)
      -- A retraction (an import rolled back) states no value: the fact before the withdrawn one stands.
      AND NOT f.retracts
    ORDER BY s.shown_id, f.indicator, f.observed_on DESC, f.id DESC`);
  for (const row of rows) {
    const shown = Number(row.shown_id);
    let byIndicator = result.get(shown);
    if (!byIndicator) result.set(shown, (byIndicator = new Map()));
    byIndicator.set(row.indicator as Indicator, presentFact(row));
  }
  return result;
}

/** Every fact ever recorded about one resident (and records merged into it), newest first, corrected ones included. */
export async function factHistory(db: Db, provinceCode: string, residentId: number): Promise<FactView[]> {
  const { rows } = await db.execute<FactRow>(sql`
    WITH subjects AS (${subjects(provinceCode, [residentId])})
    SELECT s.shown_id, ${FACT_COLUMNS}
    FROM subjects s
    JOIN facts f ON f.province_code = ${provinceCode} AND f.resident_id = s.source_id
    LEFT JOIN users u ON u.id = f.stated_by
    ORDER BY f.observed_on DESC, f.id DESC`);
  return rows.map(presentFact);
}

/**
 * SQL for the current value of one indicator of the resident row aliased `resident` in the
 * surrounding query, by the same rules as currentFacts: corrected and retracted facts set aside,
 * the latest observation wins, facts of records merged into the resident compete too. The record
 * and its merged records are a UNION, each read through facts_resident_idx (an OR of the two in
 * one WHERE cannot use the index and reads every fact of the province per resident).
 */
export function currentValueSql(indicator: Indicator, resident: 'r' | 'residents'): SQL {
  const row = sql.raw(resident);
  return sql`(SELECT latest.value FROM (
      SELECT ${row}.id AS subject_id
      UNION ALL SELECT mm.id FROM residents mm WHERE mm.province_code = ${row}.province_code AND mm.merged_into_id = ${row}.id
    ) subjects
    CROSS JOIN LATERAL (SELECT f.value, f.observed_on, f.id FROM facts f
      WHERE f.province_code = ${row}.province_code AND f.resident_id = subjects.subject_id AND f.indicator = ${indicator} AND NOT f.retracts
        AND NOT EXISTS (SELECT 1 FROM facts c WHERE c.province_code = f.province_code AND c.corrects_fact_id = f.id)
      ORDER BY f.observed_on DESC, f.id DESC LIMIT 1) latest
    ORDER BY latest.observed_on DESC, latest.id DESC LIMIT 1)`;
}
