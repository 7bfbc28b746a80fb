import type { DuplicateExample, UnitDataQuality } from '@cds/contract';
import { units } from '@cds/db';
import { and, eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { unitScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';

// The data quality of one unit: a handful of grouped queries over the unit's own rows (each one
// pass over an index range of unit_code), never a row per person in JavaScript. Counts are
// aggregates that analysts may see; the duplicate examples name people, so only readers of
// personal rows receive them, and reading them is logged.

const EXAMPLES = 20;

/** City admins and analysts for the whole city; a unit official for their own units. */
const mayReadDataQuality = (actor: Actor) => actor.role === 'city_admin' || actor.role === 'analyst' || actor.role === 'unit_official';

type Row = Record<string, unknown>;
const n = (value: unknown) => Number(value ?? 0);

/**
 * Living residents with the same name (folded: no diacritics, lower case) and birth year in the unit.
 * Suspicion is decided per pair: two people who both have a citizen ID, and different ones, are two
 * people; so are two records an official marked as two people (resident_distinct_pairs). A group
 * is the records of one name and year that are in at least one suspected pair, so a member without
 * an ID keeps the group suspect. Merged records are gone from the registry and never counted.
 */
const duplicateGroups = (unitCode: string) => sql`
  WITH pairs AS (
    SELECT a.name_folded, a.birth_year, a.id AS a_id, a.full_name AS a_name, b.id AS b_id, b.full_name AS b_name
      FROM residents a
      JOIN residents b ON b.unit_code = a.unit_code AND b.name_folded = a.name_folded AND b.birth_year = a.birth_year AND b.id > a.id
     WHERE a.unit_code = ${unitCode} AND a.status = 'living' AND b.status = 'living'
       AND a.merged_into_id IS NULL AND b.merged_into_id IS NULL
       AND (a.citizen_id_hash IS NULL OR b.citizen_id_hash IS NULL OR a.citizen_id_hash = b.citizen_id_hash)
       AND NOT EXISTS (SELECT 1 FROM resident_distinct_pairs d
                        WHERE d.province_code = a.province_code AND d.first_resident_id = a.id
                          AND d.second_resident_id = b.id AND d.unmarked_at IS NULL)
  ), members AS (
    SELECT name_folded, birth_year, a_id AS id, a_name AS full_name FROM pairs
    UNION
    SELECT name_folded, birth_year, b_id, b_name FROM pairs
  )
  SELECT m.name_folded, m.birth_year, count(*)::int AS people,
         array_agg(m.id ORDER BY m.id) AS ids,
         (array_agg(m.full_name ORDER BY m.id))[1] AS full_name
    FROM members m
   GROUP BY m.name_folded, m.birth_year`;

export async function getUnitDataQuality(deps: AppDeps, actor: Actor, unitCode: string): Promise<UnitDataQuality> {
  requireThat(mayReadDataQuality(actor));
  const [unit] = await deps.db
    .select({ code: units.code, provinceCode: units.provinceCode })
    .from(units)
    .where(and(eq(units.code, unitCode), unitScope(actor)));
  // Outside the reader's area the unit does not exist, as far as they are told.
  if (!unit) throw new AppError('NOT_FOUND');
  const withNames = may.readPersonalRows(actor);

  const [people, homes, duplicates, imports, awaiting] = await Promise.all([
    deps.db.execute<Row>(sql`
      SELECT count(*)::int AS residents,
             count(r.birth_date)::int AS birth_date,
             count(r.sex)::int AS sex,
             count(r.citizen_id_hash)::int AS citizen_id,
             count(*) FILTER (WHERE r.phone IS NOT NULL AND r.phone <> '')::int AS phone,
             count(*) FILTER (WHERE r.citizen_id_hash IS NULL AND r.legacy_id_hash IS NOT NULL)::int AS legacy_only
        FROM residents r
       WHERE r.unit_code = ${unitCode} AND r.status = 'living' AND r.merged_into_id IS NULL`),
    // Members per household in one grouped pass, joined to the unit's households.
    deps.db.execute<Row>(sql`
      WITH members AS (
        SELECT r.province_code, r.household_id, bool_or(r.relation_to_head = 'head') AS has_head
          FROM residents r
         WHERE r.unit_code = ${unitCode} AND r.status = 'living' AND r.merged_into_id IS NULL
         GROUP BY r.province_code, r.household_id
      )
      SELECT count(*)::int AS households,
             count(*) FILTER (WHERE h.household_code IS NOT NULL AND h.household_code <> '')::int AS household_code,
             count(h.neighbourhood_id)::int AS neighbourhood,
             count(*) FILTER (WHERE m.household_id IS NULL)::int AS without_members,
             count(*) FILTER (WHERE m.household_id IS NOT NULL AND NOT m.has_head)::int AS without_head
        FROM households h
        LEFT JOIN members m ON m.province_code = h.province_code AND m.household_id = h.id
       WHERE h.unit_code = ${unitCode}`),
    withNames
      ? deps.db.execute<Row>(sql`
          WITH g AS (${duplicateGroups(unitCode)})
          SELECT g.ids, g.full_name, g.birth_year, g.people,
                 count(*) OVER ()::int AS total_groups, (sum(g.people) OVER ())::int AS total_people
            FROM g
           ORDER BY g.people DESC, g.name_folded, g.birth_year
           LIMIT ${EXAMPLES}`)
      : deps.db.execute<Row>(sql`
          WITH g AS (${duplicateGroups(unitCode)})
          SELECT count(*)::int AS total_groups, coalesce(sum(g.people), 0)::int AS total_people FROM g`),
    deps.db.execute<Row>(sql`
      SELECT count(*) FILTER (WHERE i.status = 'review')::int AS review,
             count(*) FILTER (WHERE i.status = 'rejected')::int AS rejected
        FROM import_rows i
       WHERE i.unit_code = ${unitCode} AND i.status IN ('review', 'rejected')`),
    // Rows whose old address was split between new units have no unit until an official chooses;
    // their reasons list the candidate codes ("Đơn vị có thể là: 26740, 26743").
    deps.db.execute<Row>(sql`
      SELECT count(*)::int AS awaiting
        FROM import_rows i
       WHERE i.unit_code IS NULL AND i.status = 'review' AND i.province_code = ${unit.provinceCode}
         AND array_to_string(i.reasons, ' | ') LIKE ${'%' + unitCode + '%'}`),
  ]);

  const p = people.rows[0] ?? {};
  const h = homes.rows[0] ?? {};
  const d = duplicates.rows[0] ?? {};
  const examples: DuplicateExample[] = withNames
    ? duplicates.rows.map((row) => ({
        residentIds: (row.ids as (string | number)[]).map(Number),
        fullName: String(row.full_name),
        birthYear: n(row.birth_year),
      }))
    : [];
  const residents = n(p.residents);
  const households = n(h.households);

  if (examples.length > 0) {
    await recordAudit(deps.db, actor, {
      action: 'read',
      recordType: 'resident',
      recordIds: examples.flatMap((e) => e.residentIds),
      unitCodes: [unitCode],
      fields: ['fullName', 'birthYear'],
      detail: { view: 'data_quality', duplicateGroups: examples.length },
    });
  }

  return {
    unitCode,
    residents,
    households,
    completeness: [
      { field: 'birthDate', filled: n(p.birth_date), total: residents },
      { field: 'sex', filled: n(p.sex), total: residents },
      { field: 'citizenId', filled: n(p.citizen_id), total: residents },
      { field: 'phone', filled: n(p.phone), total: residents },
      { field: 'householdCode', filled: n(h.household_code), total: households },
      { field: 'neighbourhood', filled: n(h.neighbourhood), total: households },
    ],
    residentsWithoutCitizenId: residents - n(p.citizen_id),
    legacyIdOnly: n(p.legacy_only),
    suspectedDuplicates: { groups: n(d.total_groups), people: n(d.total_people), examples },
    householdsWithoutHead: n(h.without_head),
    householdsWithoutMembers: n(h.without_members),
    addressesAwaitingDecision: n(awaiting.rows[0]?.awaiting),
    reviewRows: n(imports.rows[0]?.review),
    quarantineRows: n(imports.rows[0]?.rejected),
    computedAt: new Date().toISOString(),
  };
}
