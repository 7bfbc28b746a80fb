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
  /** Devices the household needs now: one if nobody has a smartphone (or one was asked for), and one per 2G-only phone. */
  devicesNeeded: number;
  /** Allocated or scheduled, not yet handed over: they will meet part of the need. */
  pending: number;
  /** devicesNeeded − pending: what an official may still allocate. */
  toAllocate: number;
  /** The household's allocations not cancelled, newest first (handed-over ones included, for the record). */
  allocations: { id: number; status: 'allocated' | 'scheduled' | 'handed_over' }[];
  score: number;
  reasons: PriorityReason[];
}

interface SituationRow extends Record<string, unknown> {
  id: number;
  unit_code: string;
  poverty_status: 'poor' | 'near_poor' | 'none';
  members: number;
  any_smart: boolean;
  count_2g: number;
  handed_over: number;
  birth_dates: (string | null)[];
  birth_years: number[];
  visit_need: boolean;
  open_requests: number;
  stated: string[] | null;
  allocations: { id: number; status: 'allocated' | 'scheduled' | 'handed_over' }[] | null;
  needed: number;
  pending: number;
}

/**
 * The device situation of every household matching `where` (conditions over `households`, the
 * reader's scope among them), each with its basis for needing a device and its priority. Only
 * households that need one are returned, plus, with `withAllocated`, those holding allocations.
 * Allocations not yet handed over are subtracted from the need. A handover writes its facts
 * (smartphone, no longer 2G-only), but a later fact can say otherwise (the phone sold, an old list
 * imported again), so a person who received a device and a household that did are left out of the
 * need explicitly: nothing is given twice.
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
        m.members, m.any_smart, m.count_2g, m.birth_dates, m.birth_years,
        EXISTS (SELECT 1 FROM household_needs n WHERE n.province_code = ${households.provinceCode} AND n.household_id = ${households.id}
                AND n.kind = 'device' AND n.status = 'open') AS visit_need,
        (SELECT count(*)::int FROM device_requests q WHERE q.province_code = ${households.provinceCode} AND q.household_id = ${households.id} AND q.status = 'open') AS open_requests,
        (SELECT array_agg(DISTINCT c) FROM device_requests q, unnest(q.circumstances) c
          WHERE q.province_code = ${households.provinceCode} AND q.household_id = ${households.id} AND q.status = 'open') AS stated,
        (SELECT jsonb_agg(jsonb_build_object('id', al.id, 'status', al.status) ORDER BY al.id DESC) FROM device_allocations al
          WHERE al.province_code = ${households.provinceCode} AND al.household_id = ${households.id} AND al.status <> 'cancelled') AS allocations,
        (SELECT count(*)::int FROM device_allocations al
          WHERE al.province_code = ${households.provinceCode} AND al.household_id = ${households.id} AND al.status = 'handed_over') AS handed_over
      FROM households
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS members,
          COALESCE(bool_or(cur.smart), false) AS any_smart,
          -- A 2G-only phone whose holder already received a device is not counted again.
          count(*) FILTER (WHERE cur.g2 AND NOT cur.served)::int AS count_2g,
          COALESCE(array_agg(r.birth_date::text), '{}') AS birth_dates,
          COALESCE(array_agg(r.birth_year), '{}') AS birth_years
        FROM residents r
        CROSS JOIN LATERAL (SELECT ${currentValue('smartphone')} = 'true' AS smart, ${currentValue('phone_2g_only')} = 'true' AS g2,
          EXISTS (SELECT 1 FROM device_allocations da WHERE da.province_code = r.province_code AND da.resident_id = r.id AND da.status = 'handed_over') AS served) cur
        WHERE r.province_code = ${households.provinceCode} AND r.household_id = ${households.id} AND r.status = 'living' AND r.merged_into_id IS NULL
      ) m
      WHERE ${where}
    ) s
    CROSS JOIN LATERAL (
      SELECT GREATEST(CASE WHEN ((s.members > 0 AND NOT s.any_smart) OR s.visit_need OR s.open_requests > 0) AND s.handed_over = 0 THEN 1 ELSE 0 END, s.count_2g) AS needed,
        (SELECT count(*)::int FROM jsonb_array_elements(COALESCE(s.allocations, '[]')) AS e(item) WHERE e.item->>'status' <> 'handed_over') AS pending
    ) d
    WHERE (d.needed > 0 ${options.withAllocated ? sql`OR s.allocations IS NOT NULL` : sql``})
      ${options.onlyUnallocated ? sql`AND d.needed > d.pending` : sql``}`);
  return rows.map((row) => {
    const basis: NeedBasis[] = [];
    if (row.members > 0 && !row.any_smart) basis.push('no_smartphone');
    if (row.count_2g > 0) basis.push('phone_2g_only');
    if (row.visit_need) basis.push('visit_need');
    if (row.open_requests > 0) basis.push('request');
    const ages = row.birth_years.map((year, i) => ageOn(today, row.birth_dates[i] ?? null, Number(year)));
    const stated = (row.stated ?? []).filter((c): c is StatedCircumstance => c === 'disability' || c === 'pupil' || c === 'single_parent');
    const { score, reasons } = priorityScore({ poverty: row.poverty_status, livingMemberAges: ages, stated }, rules);
    const allocations = (row.allocations ?? []).map((a) => ({ id: Number(a.id), status: a.status }));
    const devicesNeeded = Number(row.needed);
    const pending = Number(row.pending);
    return {
      householdId: Number(row.id),
      unitCode: row.unit_code,
      poverty: row.poverty_status,
      basis,
      stated,
      openRequests: Number(row.open_requests),
      ages,
      devicesNeeded,
      pending,
      toAllocate: Math.max(devicesNeeded - pending, 0),
      allocations,
      score,
      reasons,
    };
  });
}

interface CandidateRow extends Record<string, unknown> {
  id: number;
  poverty_status: 'poor' | 'near_poor' | 'none';
  birth_dates: (string | null)[];
  birth_years: number[];
  stated: string[] | null;
}

/**
 * Every household matching `where` with its priority score, highest first, without deciding who
 * needs a device. The score reads only the household (poverty, members' ages, what its open
 * requests state), never the facts, so this is cheap for a whole ward; the facts are read by
 * deviceSituations for the few households a page shows.
 */
export async function priorityCandidates(db: Queryable, where: SQL, rules: readonly PriorityRuleData[], today: string): Promise<{ householdId: number; score: number }[]> {
  const { rows } = await db.execute<CandidateRow>(sql`
    SELECT ${households.id} AS id, ${households.povertyStatus} AS poverty_status,
      COALESCE(m.birth_dates, '{}') AS birth_dates, COALESCE(m.birth_years, '{}') AS birth_years,
      (SELECT array_agg(DISTINCT c) FROM device_requests q, unnest(q.circumstances) c
        WHERE q.province_code = ${households.provinceCode} AND q.household_id = ${households.id} AND q.status = 'open') AS stated
    FROM households
    LEFT JOIN LATERAL (
      SELECT array_agg(r.birth_date::text) AS birth_dates, array_agg(r.birth_year) AS birth_years
      FROM residents r
      WHERE r.province_code = ${households.provinceCode} AND r.household_id = ${households.id} AND r.status = 'living' AND r.merged_into_id IS NULL
    ) m ON true
    WHERE ${where}`);
  return rows
    .map((row) => {
      const ages = row.birth_years.map((year, i) => ageOn(today, row.birth_dates[i] ?? null, Number(year)));
      const stated = (row.stated ?? []).filter((c): c is StatedCircumstance => c === 'disability' || c === 'pupil' || c === 'single_parent');
      return { householdId: Number(row.id), score: priorityScore({ poverty: row.poverty_status, livingMemberAges: ages, stated }, rules).score };
    })
    .sort(byPriority);
}

/** Highest score first; ties by household id, so paging is stable. */
function byPriority(a: { score: number; householdId: number }, b: { score: number; householdId: number }): number {
  return b.score - a.score || a.householdId - b.householdId;
}
