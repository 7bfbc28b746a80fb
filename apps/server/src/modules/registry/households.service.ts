import type { HouseholdDetail, HouseholdSummary, ResidentMergeView } from '@cds/contract';
import { households, neighbourhoods, residents, units } from '@cds/db';
import { foldVietnamese } from '@cds/domain';
import { and, asc, eq, gt, isNull, like, sql } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { containsPattern } from '../../platform/like-pattern.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { householdScope, residentScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { unitToWriteIn } from '../units/units.service.ts';
import { currentFacts, currentFactsFor } from './facts.queries.ts';
import { mergesInto, mergesOutOfHousehold } from './merges.service.ts';
import { presentResidentDetail, DETAIL_FIELDS } from './presenter.ts';
import { recordAccounts } from '../access/record-accounts.service.ts';
import { IndicatorChange } from '../indicators/indicator-ledger.ts';

const summaryColumns = {
  id: households.id,
  provinceCode: households.provinceCode,
  unitCode: households.unitCode,
  unitName: units.fullName,
  neighbourhoodId: households.neighbourhoodId,
  neighbourhood: neighbourhoods.name,
  householdCode: households.householdCode,
  address: households.address,
  povertyStatus: households.povertyStatus,
  povertyListYear: households.povertyListYear,
  // The outer table is named in the SQL text (see units.service.ts for why).
  headId: sql<number | null>`(SELECT r.id FROM residents r WHERE r.province_code = households.province_code
    AND r.household_id = households.id AND r.relation_to_head = 'head' AND r.status = 'living' AND r.merged_into_id IS NULL ORDER BY r.id LIMIT 1)`,
  headName: sql<string | null>`(SELECT r.full_name FROM residents r WHERE r.province_code = households.province_code
    AND r.household_id = households.id AND r.relation_to_head = 'head' AND r.status = 'living' AND r.merged_into_id IS NULL ORDER BY r.id LIMIT 1)`,
  members: sql<number>`(SELECT count(*) FROM residents r WHERE r.province_code = households.province_code
    AND r.household_id = households.id AND r.status = 'living' AND r.merged_into_id IS NULL)`.mapWith(Number),
};

type SummaryRow = { provinceCode: string; headId: number | null } & HouseholdSummary;
const toSummary = ({ provinceCode: _p, headId: _h, ...rest }: SummaryRow): HouseholdSummary => rest;

export interface HouseholdFilter {
  unit?: string | undefined;
  neighbourhood?: number | undefined;
  poverty?: 'poor' | 'near_poor' | 'none' | undefined;
  /** Part of the address or of the household code, typed with or without diacritics. */
  q?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

export async function listHouseholds(deps: AppDeps, actor: Actor, filter: HouseholdFilter): Promise<{ items: HouseholdSummary[]; next: string | null }> {
  requireThat(may.readPersonalRows(actor));
  const after = decodeCursor(filter.cursor, ['number']);
  const key = filter.q ? foldVietnamese(filter.q) : '';
  // search_folded is kept by the database: reading it costs about 0.1 µs a household, where folding
  // each address here cost 20 µs (migration 20261204-01 says why it has no trigram index).
  const search = key ? containsPattern(key) : null;
  const rows = await deps.db
    .select(summaryColumns)
    .from(households)
    .innerJoin(units, eq(units.code, households.unitCode))
    .leftJoin(neighbourhoods, eq(neighbourhoods.id, households.neighbourhoodId))
    .where(
      and(
        householdScope(actor),
        filter.unit ? eq(households.unitCode, filter.unit) : undefined,
        filter.neighbourhood ? eq(households.neighbourhoodId, filter.neighbourhood) : undefined,
        filter.poverty ? eq(households.povertyStatus, filter.poverty) : undefined,
        search ? like(households.searchFolded, search) : undefined,
        after ? gt(households.id, after[0]) : undefined,
      ),
    )
    .orderBy(asc(households.id))
    .limit(filter.limit + 1);
  const items = rows.slice(0, filter.limit);
  await recordAudit(deps.db, actor, {
    action: key ? 'search' : 'list',
    recordType: 'household',
    recordIds: items.map((h) => h.id),
    unitCodes: items.map((h) => h.unitCode),
    fields: ['address', 'headName', 'povertyStatus'],
    ...(key ? { detail: { unit: filter.unit ?? null, query: filter.q } } : {}),
  });
  // The heads' names are personal data of those residents: "who saw resident X" must find this list too.
  const heads = items.flatMap((h) => (h.headId === null ? [] : [h.headId]));
  if (heads.length > 0) {
    await recordAudit(deps.db, actor, { action: 'list', recordType: 'resident', recordIds: heads, unitCodes: items.map((h) => h.unitCode), fields: ['fullName'] });
  }
  const last = items.at(-1);
  return { items: items.map(toSummary), next: rows.length > filter.limit && last ? encodeCursor([last.id]) : null };
}

/** A household the actor may see, or NOT_FOUND: outside their area it does not exist for them. */
export async function findHouseholdInScope(deps: AppDeps, actor: Actor, id: number): Promise<SummaryRow> {
  requireThat(may.readPersonalRows(actor));
  const [row] = await deps.db
    .select(summaryColumns)
    .from(households)
    .innerJoin(units, eq(units.code, households.unitCode))
    .leftJoin(neighbourhoods, eq(neighbourhoods.id, households.neighbourhoodId))
    .where(and(eq(households.id, id), householdScope(actor)));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function getHousehold(deps: AppDeps, actor: Actor, id: number): Promise<HouseholdDetail> {
  const household = await findHouseholdInScope(deps, actor, id);
  // Members are filtered by the resident scope too: a citizen sees the household but only their own row.
  const members = await deps.db
    .select()
    .from(residents)
    .where(and(eq(residents.provinceCode, household.provinceCode), eq(residents.householdId, id), residentScope(actor)))
    .orderBy(sql`CASE ${residents.relationToHead} WHEN 'head' THEN 0 ELSE 1 END`, asc(residents.birthYear), asc(residents.id));
  const facts = currentFactsFor(actor, await currentFacts(deps.db, household.provinceCode, members.map((m) => m.id)));
  const today = deps.today();
  // Merge decisions name the merged records: only for those who may make or undo them.
  const showMerges = may.editRegistry(actor);
  const mergedFrom = showMerges ? await mergesInto(deps.db, household.provinceCode, members.map((m) => m.id)) : new Map<number, ResidentMergeView[]>();
  const mergedAway = showMerges ? await mergesOutOfHousehold(deps.db, household.provinceCode, id) : [];
  const mergedIds = [...[...mergedFrom.values()].flat().map((m) => m.mergedResidentId), ...mergedAway.map((m) => m.mergedResidentId)];
  // Which members' learning accounts are linked, and how surely: for the officials who confirm or remove links.
  const accounts = showMerges ? await recordAccounts(deps.db, household.provinceCode, members.map((m) => m.id)) : null;
  await recordAudit(deps.db, actor, {
    action: 'read',
    recordType: 'household',
    recordIds: [id],
    unitCodes: [household.unitCode],
    fields: ['address', 'povertyStatus'],
    detail: { residents: members.map((m) => m.id), residentFields: DETAIL_FIELDS },
  });
  // The page shows each member's details too: name them as resident reads, so that an auditor
  // asking who saw resident X (recordType resident, recordId X) finds this view as well.
  if (members.length > 0 || mergedIds.length > 0) {
    await recordAudit(deps.db, actor, {
      action: 'read',
      recordType: 'resident',
      recordIds: [...new Set([...members.map((m) => m.id), ...mergedIds])],
      unitCodes: [household.unitCode],
      fields: accounts ? [...DETAIL_FIELDS, 'account'] : DETAIL_FIELDS,
      detail: { household: id },
    });
  }
  return {
    ...toSummary(household),
    residents: members.map((m) => ({
      ...presentResidentDetail(m, facts.get(m.id), actor, deps.vault, today),
      ...(showMerges ? { mergedFrom: mergedFrom.get(m.id) ?? [] } : {}),
      ...(accounts ? { account: accounts.get(m.id) ?? null } : {}),
    })),
    ...(showMerges ? { mergedAway } : {}),
  };
}

async function checkNeighbourhood(deps: AppDeps, unitCode: string, neighbourhoodId: number | null | undefined): Promise<void> {
  if (neighbourhoodId == null) return;
  const [row] = await deps.db
    .select({ id: neighbourhoods.id })
    .from(neighbourhoods)
    .where(and(eq(neighbourhoods.id, neighbourhoodId), eq(neighbourhoods.unitCode, unitCode), isNull(neighbourhoods.mergedInto)));
  if (!row) throw invalid('body.neighbourhoodId', 'Khu phố/ấp không thuộc đơn vị này hoặc đã được sáp nhập');
}

export interface HouseholdInput {
  unitCode: string;
  neighbourhoodId?: number | null | undefined;
  householdCode?: string | null | undefined;
  address: string;
  povertyStatus: 'poor' | 'near_poor' | 'none';
  povertyListYear?: number | null | undefined;
}

export async function createHousehold(deps: AppDeps, actor: Actor, input: HouseholdInput): Promise<HouseholdSummary> {
  const unit = await unitToWriteIn(deps, actor, input.unitCode);
  await checkNeighbourhood(deps, unit.code, input.neighbourhoodId);
  const id = await deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(households)
      .values({
        provinceCode: unit.provinceCode,
        unitCode: unit.code,
        neighbourhoodId: input.neighbourhoodId ?? null,
        householdCode: input.householdCode ?? null,
        address: input.address,
        povertyStatus: input.povertyStatus,
        povertyListYear: input.povertyStatus === 'none' ? (input.povertyListYear ?? null) : input.povertyListYear,
      })
      .returning({ id: households.id });
    if (!created) throw new AppError('INTERNAL');
    await recordAudit(tx, actor, { action: 'create', recordType: 'household', recordIds: [created.id], unitCodes: [unit.code], fields: Object.keys(input) });
    return created.id;
  });
  return toSummary(await findHouseholdInScope(deps, actor, id));
}

export type HouseholdChanges = Partial<Omit<HouseholdInput, 'unitCode'>>;

export async function updateHousehold(deps: AppDeps, actor: Actor, id: number, changes: HouseholdChanges): Promise<HouseholdSummary> {
  const current = await findHouseholdInScope(deps, actor, id);
  requireThat(may.editRegistry(actor) && may.workInUnit(actor, current.unitCode));
  await checkNeighbourhood(deps, current.unitCode, changes.neighbourhoodId);
  const povertyStatus = changes.povertyStatus ?? current.povertyStatus;
  const povertyListYear = changes.povertyListYear !== undefined ? changes.povertyListYear : current.povertyListYear;
  if (povertyStatus !== 'none' && povertyListYear == null) {
    throw invalid('body.povertyListYear', 'Hộ nghèo/cận nghèo phải ghi năm của danh sách');
  }
  const fields = Object.keys(changes).filter((k) => changes[k as keyof HouseholdChanges] !== undefined);
  await deps.db.transaction(async (tx) => {
    const figures = await IndicatorChange.begin(tx, { provinceCode: current.provinceCode, householdIds: [id] });
    await tx
      .update(households)
      .set({ ...changes, povertyStatus, povertyListYear, updatedAt: new Date() })
      .where(and(eq(households.provinceCode, current.provinceCode), eq(households.id, id)));
    await figures.commit(tx);
    await recordAudit(tx, actor, { action: 'update', recordType: 'household', recordIds: [id], unitCodes: [current.unitCode], fields });
  });
  return toSummary(await findHouseholdInScope(deps, actor, id));
}
