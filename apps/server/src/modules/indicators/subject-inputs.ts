import {
  householdContributions,
  organisationContributions,
  residentContributions,
  type Contribution,
  type FactInput,
  type HouseholdInput,
  type ResidentInput,
} from '@cds/domain';
import type { Db } from '@cds/db';
import { sql } from 'drizzle-orm';

/** Anything that can run a query: the database or a transaction. */
export type Queryable = Pick<Db, 'execute'>;

type HouseholdRow = {
  id: number;
  unit_code: string;
  neighbourhood_id: number | null;
  poverty_status: 'poor' | 'near_poor' | 'none';
  poverty_list_year: number | null;
};
type ResidentRow = {
  id: number;
  household_id: number;
  unit_code: string;
  birth_date: string | null;
  birth_year: number;
  status: ResidentInput['status'];
  left_on: string | null;
  merged_into_id: number | null;
};
type FactRow = { id: number; owner: number; indicator: string; value: string; observed_on: string; corrects_fact_id: number | null; retracts: boolean };

const ids = (values: Iterable<number>) => sql.param([...new Set(values)].map(Number));

async function factsByOwner(db: Queryable, provinceCode: string, owners: Map<number, number>, column: 'resident_id' | 'organisation_id') {
  const byOwner = new Map<number, FactInput[]>();
  if (owners.size === 0) return byOwner;
  const { rows } = await db.execute<FactRow>(sql`
    SELECT id, ${sql.raw(column)} AS owner, indicator, value, observed_on::text, corrects_fact_id, retracts
    FROM facts WHERE province_code = ${provinceCode} AND ${sql.raw(column)} = ANY(${ids(owners.keys())}::bigint[])`);
  for (const row of rows) {
    // A merged record's facts speak for the record it was merged into.
    const owner = owners.get(Number(row.owner)) ?? Number(row.owner);
    const list = byOwner.get(owner) ?? [];
    list.push({
      id: Number(row.id),
      indicator: row.indicator,
      value: row.value,
      observedOn: row.observed_on,
      correctsFactId: row.corrects_fact_id === null ? null : Number(row.corrects_fact_id),
      retracts: row.retracts,
    });
    byOwner.set(owner, list);
  }
  return byOwner;
}

/**
 * What the households (with all their members) and organisations add to the figures now: the
 * registry rows and facts loaded in a few set-based queries, then the domain's pure rules.
 */
export async function loadContributions(
  db: Queryable,
  provinceCode: string,
  householdIds: readonly number[],
  organisationIds: readonly number[] = [],
): Promise<Contribution[]> {
  const out: Contribution[] = [];
  if (householdIds.length > 0) {
    const { rows: households } = await db.execute<HouseholdRow>(sql`
      SELECT id, unit_code, neighbourhood_id, poverty_status, poverty_list_year
      FROM households WHERE province_code = ${provinceCode} AND id = ANY(${ids(householdIds)}::bigint[])`);
    const { rows: members } = await db.execute<ResidentRow>(sql`
      SELECT id, household_id, unit_code, birth_date::text, birth_year, status, left_on::text, merged_into_id
      FROM residents WHERE province_code = ${provinceCode} AND household_id = ANY(${ids(householdIds)}::bigint[])`);
    const living = members.filter((m) => m.merged_into_id === null);
    // Records merged into these members may sit in other households; their facts come along.
    const owners = new Map<number, number>(living.map((m) => [Number(m.id), Number(m.id)]));
    if (living.length > 0) {
      const { rows: merged } = await db.execute<{ id: number; merged_into_id: number }>(sql`
        SELECT id, merged_into_id FROM residents
        WHERE province_code = ${provinceCode} AND merged_into_id = ANY(${ids(owners.keys())}::bigint[])`);
      for (const row of merged) owners.set(Number(row.id), Number(row.merged_into_id));
    }
    const facts = await factsByOwner(db, provinceCode, owners, 'resident_id');
    const neighbourhoodOf = (household: HouseholdRow) => (household.neighbourhood_id === null ? null : Number(household.neighbourhood_id));
    const householdOf = new Map(households.map((h) => [Number(h.id), h]));
    const membersOf = new Map<number, ResidentInput[]>();
    for (const member of living) {
      const household = householdOf.get(Number(member.household_id));
      if (!household) continue;
      const list = membersOf.get(Number(household.id)) ?? [];
      list.push({
        id: Number(member.id),
        unitCode: member.unit_code,
        neighbourhoodId: neighbourhoodOf(household),
        birthDate: member.birth_date,
        birthYear: member.birth_year,
        status: member.status,
        leftOn: member.left_on,
        facts: facts.get(Number(member.id)) ?? [],
      });
      membersOf.set(Number(household.id), list);
    }
    for (const household of households) {
      out.push(
        ...householdWithMembersContributions({
          id: Number(household.id),
          unitCode: household.unit_code,
          neighbourhoodId: neighbourhoodOf(household),
          povertyStatus: household.poverty_status,
          povertyListYear: household.poverty_list_year,
          members: membersOf.get(Number(household.id)) ?? [],
        }),
      );
    }
  }
  if (organisationIds.length > 0) {
    const { rows: organisations } = await db.execute<{ id: number; unit_code: string }>(sql`
      SELECT id, unit_code FROM organisations WHERE province_code = ${provinceCode} AND id = ANY(${ids(organisationIds)}::bigint[])`);
    const facts = await factsByOwner(db, provinceCode, new Map(organisations.map((o) => [Number(o.id), Number(o.id)])), 'organisation_id');
    for (const organisation of organisations) {
      out.push(
        ...organisationContributions({ id: Number(organisation.id), unitCode: organisation.unit_code, neighbourhoodId: null, facts: facts.get(Number(organisation.id)) ?? [] }),
      );
    }
  }
  return out;
}

/** What a household and each of its members add to the figures. */
export function householdWithMembersContributions(household: HouseholdInput): Contribution[] {
  const out: Contribution[] = [];
  for (const member of household.members) out.push(...residentContributions(member));
  out.push(...householdContributions(household));
  return out;
}

/** The households these residents belong to now. */
export async function householdsOfResidents(db: Queryable, provinceCode: string, residentIds: readonly number[]): Promise<number[]> {
  if (residentIds.length === 0) return [];
  const { rows } = await db.execute<{ household_id: number }>(sql`
    SELECT DISTINCT household_id FROM residents WHERE province_code = ${provinceCode} AND id = ANY(${ids(residentIds)}::bigint[])`);
  return rows.map((r) => Number(r.household_id));
}
