import type { Neighbourhood, UnitDetail, UnitSummary } from '@cds/contract';
import { legacyUnits, neighbourhoods, units } from '@cds/db';
import { foldVietnamese } from '@cds/domain';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { containsPattern } from '../../platform/like-pattern.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { unitScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { moveNeighbourhoodFigures } from '../indicators/indicator-ledger.ts';

// Correlated subqueries name the outer table in their SQL text: in a one-table select Drizzle
// writes ${units.code} as a bare "code", which the subquery would resolve against its own table
// the moment that table had a column of the same name.
// Counts are aggregates, not personal rows, so analysts may see them. They are counted live;
// the dashboard issue brings maintained counters when a city's 14 million rows make this slow.
const summaryColumns = {
  code: units.code,
  name: units.name,
  fullName: units.fullName,
  type: units.type,
  population: units.population,
  households: sql<number>`(SELECT count(*) FROM households h WHERE h.unit_code = units.code)`.mapWith(Number),
  residents: sql<number>`(SELECT count(*) FROM residents r WHERE r.unit_code = units.code AND r.status = 'living' AND r.merged_into_id IS NULL)`.mapWith(Number),
  neighbourhoods: sql<number>`(SELECT count(*) FROM neighbourhoods n WHERE n.unit_code = units.code AND n.merged_into IS NULL)`.mapWith(Number),
};

export async function listUnits(
  deps: AppDeps,
  actor: Actor,
  query: { q?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: UnitSummary[]; next: string | null }> {
  requireThat(may.readUnitAggregates(actor));
  const folded = query.q ? foldVietnamese(query.q) : '';
  const after = decodeCursor(query.cursor, ['string', 'string']);
  const rows = await deps.db
    .select({ ...summaryColumns, nameAscii: units.nameAscii })
    .from(units)
    .where(
      and(
        unitScope(actor),
        folded ? sql`${units.nameAscii} LIKE ${containsPattern(folded)}` : undefined,
        after ? sql`(${units.nameAscii}, ${units.code}) > (${after[0]}, ${after[1]})` : undefined,
      ),
    )
    .orderBy(asc(units.nameAscii), asc(units.code))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ nameAscii: _n, ...unit }) => unit),
    next: rows.length > query.limit && last ? encodeCursor([last.nameAscii, last.code]) : null,
  };
}

export async function getUnit(deps: AppDeps, actor: Actor, code: string): Promise<UnitDetail> {
  requireThat(may.readUnitAggregates(actor));
  const [unit] = await deps.db
    .select({ ...summaryColumns, provinceCode: units.provinceCode, areaKm2: units.areaKm2 })
    .from(units)
    .where(and(eq(units.code, code), unitScope(actor)));
  if (!unit) throw new AppError('NOT_FOUND');
  const legacy = await deps.db
    .select({ oldCode: legacyUnits.oldCode, oldName: legacyUnits.oldName, oldDistrict: legacyUnits.oldDistrict, mergeType: legacyUnits.mergeType })
    .from(legacyUnits)
    .where(eq(legacyUnits.newCode, code))
    .orderBy(legacyUnits.oldDistrict, legacyUnits.oldName);
  return { ...unit, areaKm2: unit.areaKm2 === null ? null : Number(unit.areaKm2), legacy };
}

const neighbourhoodColumns = {
  id: neighbourhoods.id,
  unitCode: neighbourhoods.unitCode,
  name: neighbourhoods.name,
  mergedInto: neighbourhoods.mergedInto,
  households: sql<number>`(SELECT count(*) FROM households h WHERE h.neighbourhood_id = neighbourhoods.id)`.mapWith(Number),
};

export async function listNeighbourhoods(deps: AppDeps, actor: Actor, unitCode: string): Promise<Neighbourhood[]> {
  await getUnitInScope(deps, actor, unitCode);
  return deps.db
    .select(neighbourhoodColumns)
    .from(neighbourhoods)
    .where(and(eq(neighbourhoods.unitCode, unitCode), isNull(neighbourhoods.mergedInto)))
    .orderBy(sql`${neighbourhoods.nameFolded} COLLATE "C"`);
}

async function getUnitInScope(deps: AppDeps, actor: Actor, unitCode: string) {
  requireThat(may.readUnitAggregates(actor));
  const [unit] = await deps.db.select().from(units).where(and(eq(units.code, unitCode), unitScope(actor)));
  if (!unit) throw new AppError('NOT_FOUND');
  return unit;
}

async function getNeighbourhood(deps: AppDeps, actor: Actor, id: number) {
  const [row] = await deps.db.select().from(neighbourhoods).where(eq(neighbourhoods.id, id));
  // Outside the actor's units it does not exist, as far as they are told.
  if (!row) throw new AppError('NOT_FOUND');
  await getUnitInScope(deps, actor, row.unitCode);
  return row;
}

async function presentNeighbourhood(deps: AppDeps, id: number): Promise<Neighbourhood> {
  const [row] = await deps.db.select(neighbourhoodColumns).from(neighbourhoods).where(eq(neighbourhoods.id, id));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function addNeighbourhood(deps: AppDeps, actor: Actor, unitCode: string, name: string): Promise<Neighbourhood> {
  const unit = await getUnitInScope(deps, actor, unitCode);
  requireThat(may.manageNeighbourhoods(actor, unitCode));
  try {
    const id = await deps.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(neighbourhoods)
        .values({ provinceCode: unit.provinceCode, unitCode, name, nameFolded: foldVietnamese(name) })
        .returning({ id: neighbourhoods.id });
      if (!created) throw new AppError('INTERNAL');
      await recordAudit(tx, actor, { action: 'create', recordType: 'neighbourhood', recordIds: [created.id], unitCodes: [unitCode], fields: ['name'] });
      return created.id;
    });
    return presentNeighbourhood(deps, id);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('NEIGHBOURHOOD_NAME_TAKEN');
    throw error;
  }
}

export async function renameNeighbourhood(deps: AppDeps, actor: Actor, id: number, name: string): Promise<Neighbourhood> {
  const row = await getNeighbourhood(deps, actor, id);
  requireThat(may.manageNeighbourhoods(actor, row.unitCode));
  if (row.mergedInto !== null) throw new AppError('NEIGHBOURHOOD_MERGED');
  try {
    await deps.db.transaction(async (tx) => {
      await tx.update(neighbourhoods).set({ name, nameFolded: foldVietnamese(name), updatedAt: new Date() }).where(eq(neighbourhoods.id, id));
      await recordAudit(tx, actor, {
        action: 'update',
        recordType: 'neighbourhood',
        recordIds: [id],
        unitCodes: [row.unitCode],
        fields: ['name'],
        detail: { from: row.name, to: name },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('NEIGHBOURHOOD_NAME_TAKEN');
    throw error;
  }
  return presentNeighbourhood(deps, id);
}

/** Moves every household of `id` to `intoId` and marks `id` merged; the old row stays for history. */
export async function mergeNeighbourhood(deps: AppDeps, actor: Actor, id: number, intoId: number): Promise<Neighbourhood> {
  const from = await getNeighbourhood(deps, actor, id);
  const into = await getNeighbourhood(deps, actor, intoId);
  requireThat(may.manageNeighbourhoods(actor, from.unitCode));
  if (id === intoId) throw new AppError('VALIDATION_FAILED', [{ path: 'body.intoId', message: 'Không thể sáp nhập khu phố/ấp vào chính nó' }]);
  if (from.unitCode !== into.unitCode) {
    throw new AppError('VALIDATION_FAILED', [{ path: 'body.intoId', message: 'Chỉ sáp nhập các khu phố/ấp trong cùng một đơn vị' }]);
  }
  if (from.mergedInto !== null || into.mergedInto !== null) throw new AppError('NEIGHBOURHOOD_MERGED');
  await deps.db.transaction(async (tx) => {
    const moved = await tx.execute<{ id: number }>(
      sql`UPDATE households SET neighbourhood_id = ${intoId}, updated_at = now() WHERE neighbourhood_id = ${id} RETURNING id`,
    );
    await tx.update(neighbourhoods).set({ mergedInto: intoId, updatedAt: new Date() }).where(eq(neighbourhoods.id, id));
    await moveNeighbourhoodFigures(tx, from.unitCode, id, intoId);
    await recordAudit(tx, actor, {
      action: 'merge',
      recordType: 'neighbourhood',
      recordIds: [id, intoId],
      unitCodes: [from.unitCode],
      detail: { households: moved.rows.length },
    });
  });
  return presentNeighbourhood(deps, intoId);
}

/** The unit a new record goes into: it must exist in the actor's city, and the actor must work there. */
export async function unitToWriteIn(deps: AppDeps, actor: Actor, unitCode: string) {
  requireThat(may.editRegistry(actor));
  const [unit] = await deps.db.select().from(units).where(eq(units.code, unitCode));
  if (!unit || unit.provinceCode !== actor.provinceCode) throw invalid('body.unitCode', `Không có đơn vị mã ${unitCode}`);
  requireThat(may.workInUnit(actor, unit.code));
  return unit;
}
