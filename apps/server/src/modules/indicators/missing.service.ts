import type { MissingList } from '@cds/contract';
import { ELEMENT_MIN_AGE, ELEMENT_REQUIRED, ledgerKey, type Element, type Indicator } from '@cds/domain';
import { sql, type SQL } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { residentScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { currentValueSql } from '../registry/facts.queries.ts';
import { readAreaFigures } from './figures.ts';
import { findPlan } from './plans.service.ts';

/** The value that counts for each indicator, as SQL over the latest standing fact's value `v`. */
const COUNTS: Record<Indicator, SQL> = {
  citizen_id_card: sql`v = 'true'`,
  vneid: sql`v IN ('level1', 'level2')`,
  smartphone: sql`v = 'true'`,
  phone_2g_only: sql`v = 'false'`,
  epayment_account: sql`v = 'true'`,
  public_service_account: sql`v = 'true'`,
  social_insurance_vneid: sql`v = 'true'`,
  basic_skills_trained: sql`v = 'true'`,
  city_app_installed: sql`v = 'true'`,
  digital_literacy_certified: sql`v = 'true'`,
  vssid_installed: sql`v = 'true'`,
  etax_account: sql`v = 'true'`,
  digital_signature: sql`v = 'true'`,
  health_record_updated: sql`v = 'true'`,
};

function subtractYears(day: string, years: number): string {
  return `${Number(day.slice(0, 4)) - years}${day.slice(4)}`;
}

/**
 * "Who is missing what": living residents of a unit, old enough for the element, who lack it,
 * with the element's indicators each one lacks. Personal rows, so scoped to the reader's area
 * and audited like any read of the registry; the analyst role sees aggregates only.
 */
export async function listMissing(
  deps: AppDeps,
  actor: Actor,
  planId: string,
  query: { unit: string; element: Element; neighbourhood?: number | undefined; cursor?: string | undefined; limit: number },
): Promise<MissingList> {
  requireThat(may.readPersonalRows(actor));
  await findPlan(deps, actor, planId);
  const { rows: unitRows } = await deps.db.execute<{ province_code: string }>(sql`SELECT province_code FROM units WHERE code = ${query.unit}`);
  if (unitRows[0]?.province_code !== actor.provinceCode) throw new AppError('NOT_FOUND', [{ path: 'querystring.unit', message: `Không có đơn vị ${query.unit}` }]);
  const required = ELEMENT_REQUIRED[query.element];
  const bornBy = subtractYears(deps.today(), ELEMENT_MIN_AGE[query.element]);
  const after = decodeCursor(query.cursor, ['number']);
  const lacking = sql.join(
    required.map((indicator) => sql`CASE WHEN (SELECT ${COUNTS[indicator]} FROM (SELECT ${currentValueSql(indicator, 'residents')} AS v) x) IS TRUE THEN NULL ELSE ${indicator} END`),
    sql`, `,
  );
  const { rows } = await deps.db.execute<{ id: number; full_name: string; birth_year: number; household_id: number; address: string; neighbourhood: string | null; lacking: (string | null)[] }>(sql`
    SELECT * FROM (
      SELECT residents.id, residents.full_name, residents.birth_year, residents.household_id, h.address, n.name AS neighbourhood,
             ARRAY[${lacking}]::text[] AS lacking
      FROM residents
      JOIN households h ON h.province_code = residents.province_code AND h.id = residents.household_id
      LEFT JOIN neighbourhoods n ON n.id = h.neighbourhood_id
      WHERE residents.unit_code = ${query.unit} AND residents.status = 'living' AND ${residentScope(actor)}
        AND coalesce(residents.birth_date, make_date(residents.birth_year, 1, 1)) <= ${bornBy}::date
        ${query.neighbourhood !== undefined ? sql`AND h.neighbourhood_id = ${query.neighbourhood}` : sql``}
        ${after ? sql`AND residents.id > ${after[0]}` : sql``}
      ORDER BY residents.id
    ) candidates
    WHERE array_remove(lacking, NULL) <> '{}'
    LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  // The count comes from the figures: eligible residents minus those meeting the element.
  const population = query.element === 'accounts' ? 'adults' : 'eligible_residents';
  const scope = query.neighbourhood !== undefined ? ({ level: 'neighbourhood', unitCode: query.unit, neighbourhoodId: query.neighbourhood } as const) : ({ level: 'unit', unitCode: query.unit } as const);
  const counts = await readAreaFigures(deps.db, deps.today(), scope, [ledgerKey(population), ledgerKey(population, `${query.element}_met`)], deps.today());
  const total = (counts.get(ledgerKey(population)) ?? 0) - (counts.get(ledgerKey(population, `${query.element}_met`)) ?? 0);
  if (page.length > 0) {
    await recordAudit(deps.db, actor, {
      action: 'read',
      recordType: 'resident',
      recordIds: page.map((r) => Number(r.id)),
      unitCodes: [query.unit],
      fields: ['full_name', 'birth_year', 'address', `elements.${query.element}`],
    });
  }
  const last = page[page.length - 1];
  return {
    unit: query.unit,
    element: query.element,
    total,
    items: page.map((r) => ({
      residentId: Number(r.id),
      fullName: r.full_name,
      birthYear: r.birth_year,
      householdId: Number(r.household_id),
      address: r.address,
      neighbourhood: r.neighbourhood,
      lacking: r.lacking.filter((x): x is string => x !== null),
    })),
    next: rows.length > query.limit && last ? encodeCursor([Number(last.id)]) : null,
  };
}
