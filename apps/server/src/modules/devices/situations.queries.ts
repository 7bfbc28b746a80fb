import type { Db } from '@cds/db';
import { households } from '@cds/db';
import { ageOn, priorityScore, type PriorityRuleData, type StatedCircumstance } from '@cds/domain';
import type { NeedBasis, PriorityReason } from '@cds/contract';
import { sql, type SQL } from 'drizzle-orm';
import { currentValueSql } from '../registry/facts.queries.ts';

// Who needs a device, computed from the registry each time it is read, so it is never stale:
// a handover's facts take a household off the list in the same transaction that records them.

type Queryable = Pick<Db, 'execute'>;

export const currentValue = (indicator: 'smartphone' | 'phone_2g_only'): SQL => currentValueSql(indicator, 'r');

export interface DeviceSituation {
  householdId: number;
  unitCode: string;
  poverty: 'poor' | 'near_poor' | 'none';
  basis: NeedBasis[];
  stated: StatedCircumstance[];
  openRequests: number;
  ages: (number | null)[];
  allocation: { id: number; status: 'allocated' | 'scheduled' | 'handed_over' } | null;
  score: number;
  reasons: PriorityReason[];
}

interface SituationRow extends Record<string, unknown> {
  id: number;
  unit_code: string;
  poverty_status: 'poor' | 'near_poor' | 'none';
  members: number;
  any_smart: boolean;
  any_2g: boolean;
  birth_dates: (string | null)[];
  birth_years: number[];
  visit_need: boolean;
  open_requests: number;
  stated: string[] | null;
  allocation_id: number | null;
  allocation_status: 'allocated' | 'scheduled' | 'handed_over' | null;
}

/**
 * The device situation of every household matching `where` (conditions over `households`, the
 * reader's scope among them), each with its basis for needing a device and its priority. Only
 * households that need one are returned, plus, with `withAllocated`, those holding a live
 * allocation (whose need the handover will meet).
 */
export async function deviceSituations(
  db: Queryable,
  where: SQL,
  rules: readonly PriorityRuleData[],
  today: string,
  options: { withAllocated: boolean; onlyUnallocated: boolean },
): Promise<DeviceSituation[]> {
  const { rows } = await db.execute<SituationRow>(sql`
    SELECT * FROM (
      SELECT ${households.id} AS id, ${households.unitCode} AS unit_code, ${households.povertyStatus} AS poverty_status,
        m.members, m.any_smart, m.any_2g, m.birth_dates, m.birth_years,
        EXISTS (SELECT 1 FROM household_needs n WHERE n.province_code = ${households.provinceCode} AND n.household_id = ${households.id}
                AND n.kind = 'device' AND n.status = 'open') AS visit_need,
        (SELECT count(*)::int FROM device_requests q WHERE q.province_code = ${households.provinceCode} AND q.household_id = ${households.id} AND q.status = 'open') AS open_requests,
        (SELECT array_agg(DISTINCT c) FROM device_requests q, unnest(q.circumstances) c
          WHERE q.province_code = ${households.provinceCode} AND q.household_id = ${households.id} AND q.status = 'open') AS stated,
        al.id AS allocation_id, al.status AS allocation_status
      FROM households
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS members,
          COALESCE(bool_or(cur.smart), false) AS any_smart,
          COALESCE(bool_or(cur.g2), false) AS any_2g,
          COALESCE(array_agg(r.birth_date::text), '{}') AS birth_dates,
          COALESCE(array_agg(r.birth_year), '{}') AS birth_years
        FROM residents r
        CROSS JOIN LATERAL (SELECT ${currentValue('smartphone')} = 'true' AS smart, ${currentValue('phone_2g_only')} = 'true' AS g2) cur
        WHERE r.province_code = ${households.provinceCode} AND r.household_id = ${households.id} AND r.status = 'living' AND r.merged_into_id IS NULL
      ) m
      LEFT JOIN device_allocations al ON al.province_code = ${households.provinceCode} AND al.household_id = ${households.id} AND al.status <> 'cancelled'
      WHERE ${where}
    ) s
    WHERE ((s.members > 0 AND NOT s.any_smart) OR s.any_2g OR s.visit_need OR s.open_requests > 0
           ${options.withAllocated ? sql`OR s.allocation_id IS NOT NULL` : sql``})
      ${options.onlyUnallocated ? sql`AND s.allocation_id IS NULL` : sql``}`);
  return rows.map((row) => {
    const basis: NeedBasis[] = [];
    if (row.members > 0 && !row.any_smart) basis.push('no_smartphone');
    if (row.any_2g) basis.push('phone_2g_only');
    if (row.visit_need) basis.push('visit_need');
    if (row.open_requests > 0) basis.push('request');
    const ages = row.birth_years.map((year, i) => ageOn(today, row.birth_dates[i] ?? null, Number(year)));
    const stated = (row.stated ?? []).filter((c): c is StatedCircumstance => c === 'disability' || c === 'pupil' || c === 'single_parent');
    const { score, reasons } = priorityScore({ poverty: row.poverty_status, livingMemberAges: ages, stated }, rules);
    return {
      householdId: Number(row.id),
      unitCode: row.unit_code,
      poverty: row.poverty_status,
      basis,
      stated,
      openRequests: Number(row.open_requests),
      ages,
      allocation: row.allocation_id === null || row.allocation_status === null ? null : { id: Number(row.allocation_id), status: row.allocation_status },
      score,
      reasons,
    };
  });
}

/** Highest score first; ties by household id, so paging is stable. */
export function byPriority(a: { score: number; householdId: number }, b: { score: number; householdId: number }): number {
  return b.score - a.score || a.householdId - b.householdId;
}
