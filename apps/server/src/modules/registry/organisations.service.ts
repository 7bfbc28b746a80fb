import type { OrganisationView } from '@cds/contract';
import { foldVietnamese } from '@cds/domain';
import { organisations } from '@cds/db';
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { containsPattern } from '../../platform/like-pattern.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { IndicatorChange } from '../indicators/indicator-ledger.ts';
import { unitToWriteIn } from '../units/units.service.ts';

// Organisations are not personal data, but officials still work unit by unit: the same area rule applies.
function organisationScope(actor: Actor): SQL {
  if (actor.role === 'city_admin') return sql`${organisations.provinceCode} = ${actor.provinceCode}`;
  if (actor.role === 'unit_official' && actor.unitCodes.length > 0) {
    return sql`${organisations.unitCode} IN (${sql.join(actor.unitCodes.map((c) => sql`${c}`), sql`, `)})`;
  }
  return sql`false`;
}

type Row = typeof organisations.$inferSelect;
const present = (row: Row): OrganisationView => ({
  id: row.id,
  unitCode: row.unitCode,
  name: row.name,
  kind: row.kind,
  taxCode: row.taxCode,
  address: row.address,
});

export async function listOrganisations(
  deps: AppDeps,
  actor: Actor,
  query: { unit?: string | undefined; q?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: OrganisationView[]; next: string | null }> {
  requireThat(may.editRegistry(actor));
  const after = decodeCursor(query.cursor, ['number']);
  const folded = query.q ? foldVietnamese(query.q) : '';
  const rows = await deps.db
    .select()
    .from(organisations)
    .where(
      and(
        organisationScope(actor),
        query.unit ? eq(organisations.unitCode, query.unit) : undefined,
        folded ? sql`(${organisations.nameFolded} LIKE ${containsPattern(folded)} OR ${organisations.taxCode} = ${query.q ?? ''})` : undefined,
        after ? gt(organisations.id, after[0]) : undefined,
      ),
    )
    .orderBy(asc(organisations.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return { items: items.map(present), next: rows.length > query.limit && last ? encodeCursor([last.id]) : null };
}

export interface OrganisationInput {
  unitCode: string;
  name: string;
  kind: Row['kind'];
  taxCode?: string | null | undefined;
  address?: string | null | undefined;
}

export async function createOrganisation(deps: AppDeps, actor: Actor, input: OrganisationInput): Promise<OrganisationView> {
  const unit = await unitToWriteIn(deps, actor, input.unitCode);
  try {
    return await deps.db.transaction(async (tx) => {
      const figures = await IndicatorChange.begin(tx, { provinceCode: unit.provinceCode });
      const [row] = await tx
        .insert(organisations)
        .values({
          provinceCode: unit.provinceCode,
          unitCode: unit.code,
          name: input.name,
          nameFolded: foldVietnamese(input.name),
          kind: input.kind,
          taxCode: input.taxCode ?? null,
          address: input.address ?? null,
        })
        .returning();
      if (!row) throw new AppError('INTERNAL');
      await figures.commit(tx, { organisationIds: [row.id] });
      await recordAudit(tx, actor, { action: 'create', recordType: 'organisation', recordIds: [row.id], unitCodes: [unit.code], fields: Object.keys(input) });
      return present(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('DUPLICATE_TAX_CODE', [{ path: 'body.taxCode', message: 'Mã số thuế đã có trong sổ' }]);
    throw error;
  }
}
