import type { ResidentDetail, ResidentSearchItem } from '@cds/contract';
import { foldVietnamese } from '@cds/domain';
import { households, residents, units } from '@cds/db';
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { containsPattern } from '../../platform/like-pattern.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAccounts } from '../access/record-accounts.service.ts';
import { residentAreaScope, residentScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { currentFacts, currentFactsFor } from './facts.queries.ts';
import { mergesInto } from './merges.service.ts';
import { findHouseholdInScope } from './households.service.ts';
import { IndicatorChange } from '../indicators/indicator-ledger.ts';
import { DETAIL_FIELDS, SUMMARY_FIELDS, presentResidentDetail, presentResidentSummary, type ResidentRow } from './presenter.ts';
import { residentColumns, type ResidentFieldsInput } from './resident-input.ts';

export interface ResidentSearch {
  unit?: string | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/**
 * Search by name without diacritics (any part of the folded name, trigram-indexed), by a whole
 * citizen ID or phone number, or by the last digits of a citizen ID. Name results page by
 * (name, id); number results by id.
 */
export async function searchResidents(deps: AppDeps, actor: Actor, search: ResidentSearch): Promise<{ items: ResidentSearchItem[]; next: string | null }> {
  requireThat(may.readPersonalRows(actor));
  const q = (search.q ?? '').trim();
  const digits = /^[\d\s.]+$/.test(q) ? q.replace(/[\s.]/g, '') : null;
  const conditions: (SQL | undefined)[] = [residentScope(actor), search.unit ? eq(residents.unitCode, search.unit) : undefined];
  let order: SQL[];
  let cursorOf: (row: ResidentRow) => (string | number)[];
  let verify: ((row: ResidentRow) => boolean) | null = null;

  if (digits !== null && digits.length > 0) {
    if (digits.length === 12) conditions.push(eq(residents.citizenIdHash, deps.vault.hash(digits)));
    else if (digits.length === 9) conditions.push(eq(residents.legacyIdHash, deps.vault.hash(digits)));
    else if (digits.length === 10 && digits.startsWith('0')) conditions.push(eq(residents.phone, digits));
    else if (digits.length <= 4) conditions.push(sql`${residents.citizenIdLast4} LIKE ${'%' + digits}`);
    else {
      // Only the last four digits are stored in clear; longer tails are checked after decrypting the few candidates.
      conditions.push(eq(residents.citizenIdLast4, digits.slice(-4)));
      verify = (row) => row.citizenIdEnc !== null && deps.vault.decrypt(row.citizenIdEnc).endsWith(digits);
    }
    const after = decodeCursor(search.cursor, ['number']);
    if (after) conditions.push(gt(residents.id, after[0]));
    order = [asc(residents.id)];
    cursorOf = (row) => [row.id];
  } else {
    const folded = foldVietnamese(q);
    if (folded) conditions.push(sql`${residents.nameFolded} LIKE ${containsPattern(folded)}`);
    const after = decodeCursor(search.cursor, ['string', 'number']);
    if (after) conditions.push(sql`(${residents.nameFolded}, ${residents.id}) > (${after[0]}, ${after[1]})`);
    order = [asc(residents.nameFolded), asc(residents.id)];
    cursorOf = (row) => [row.nameFolded, row.id];
  }

  const found = await deps.db
    .select({ resident: residents, address: households.address, unitName: units.fullName })
    .from(residents)
    .innerJoin(households, and(eq(households.provinceCode, residents.provinceCode), eq(households.id, residents.householdId)))
    .innerJoin(units, eq(units.code, residents.unitCode))
    .where(and(...conditions))
    .orderBy(...order)
    .limit(search.limit + 1);
  const more = found.length > search.limit;
  const pageRows = found.slice(0, search.limit);
  const rows = pageRows.map((row) => row.resident);
  const kept = verify ? pageRows.filter((row) => verify(row.resident)) : pageRows;
  const items = kept.map((row) => row.resident);
  await recordAudit(deps.db, actor, {
    action: 'search',
    recordType: 'resident',
    recordIds: items.map((r) => r.id),
    unitCodes: items.map((r) => r.unitCode),
    fields: [...SUMMARY_FIELDS, 'address'],
    detail: { unit: search.unit ?? null, query: digits !== null ? `${digits.length} chữ số` : q },
  });
  const last = rows.at(-1);
  return {
    items: kept.map((row) => ({ ...presentResidentSummary(row.resident, deps.vault), address: row.address, unitName: row.unitName })),
    next: more && last ? encodeCursor(cursorOf(last)) : null,
  };
}

export async function findResidentInScope(deps: AppDeps, actor: Actor, id: number): Promise<ResidentRow> {
  requireThat(may.readPersonalRows(actor));
  const [row] = await deps.db.select().from(residents).where(and(eq(residents.id, id), residentScope(actor)));
  if (!row) throw await mergedPointer(deps, actor, id);
  return row;
}

/**
 * Why a record the actor asked for is not shown: merged into another record they may see (the
 * answer names it, so an old link still leads somewhere), or simply not found.
 */
async function mergedPointer(deps: AppDeps, actor: Actor, id: number): Promise<AppError> {
  const kept = alias(residents, 'kept');
  const [merged] = await deps.db
    .select({ keptId: kept.id, keptName: kept.fullName, keptHouseholdId: kept.householdId })
    .from(residents)
    .innerJoin(kept, and(eq(kept.provinceCode, residents.provinceCode), eq(kept.id, residents.mergedIntoId)))
    .where(and(eq(residents.id, id), residentAreaScope(actor)));
  if (!merged) return new AppError('NOT_FOUND');
  return new AppError(
    'RESIDENT_MERGED',
    [{ path: 'mergedIntoId', message: String(merged.keptId) }],
    `Hồ sơ nhân khẩu #${id} đã được gộp vào hồ sơ #${merged.keptId} (${merged.keptName}, hộ #${merged.keptHouseholdId}); hãy mở hồ sơ đó`,
  );
}

export async function getResident(deps: AppDeps, actor: Actor, id: number): Promise<ResidentDetail> {
  const row = await findResidentInScope(deps, actor, id);
  const facts = currentFactsFor(actor, await currentFacts(deps.db, row.provinceCode, [row.id]));
  // Merge decisions name the merged records: only for those who may make or undo them.
  const mergedFrom = may.editRegistry(actor) ? ((await mergesInto(deps.db, row.provinceCode, [row.id])).get(row.id) ?? []) : null;
  const account = may.editRegistry(actor) ? ((await recordAccounts(deps.db, row.provinceCode, [row.id])).get(row.id) ?? null) : undefined;
  await recordAudit(deps.db, actor, {
    action: 'read',
    recordType: 'resident',
    recordIds: [id, ...(mergedFrom ?? []).map((m) => m.mergedResidentId)],
    unitCodes: [row.unitCode],
    fields: account === undefined ? DETAIL_FIELDS : [...DETAIL_FIELDS, 'account'],
  });
  return {
    ...presentResidentDetail(row, facts.get(row.id), actor, deps.vault, deps.today()),
    ...(mergedFrom ? { mergedFrom } : {}),
    ...(account === undefined ? {} : { account }),
  };
}

export interface ResidentCreateInput extends ResidentFieldsInput {
  householdId: number;
  fullName: string;
  relationToHead: ResidentRow['relationToHead'];
  residenceType: ResidentRow['residenceType'];
}

async function checkSingleHead(deps: AppDeps, provinceCode: string, householdId: number, exceptId: number | null): Promise<void> {
  const [head] = await deps.db
    .select({ id: residents.id })
    .from(residents)
    .where(
      and(
        eq(residents.provinceCode, provinceCode),
        eq(residents.householdId, householdId),
        eq(residents.relationToHead, 'head'),
        eq(residents.status, 'living'),
        exceptId === null ? undefined : sql`${residents.id} <> ${exceptId}`,
      ),
    );
  if (head) throw invalid('body.relationToHead', 'Hộ đã có chủ hộ; hãy đổi quan hệ của chủ hộ hiện tại trước');
}

function duplicateGuard(error: unknown): never {
  if (isUniqueViolation(error)) throw new AppError('DUPLICATE_CITIZEN_ID', [{ path: 'body.citizenId', message: 'Số định danh cá nhân đã có trong sổ' }]);
  throw error;
}

export async function createResident(deps: AppDeps, actor: Actor, input: ResidentCreateInput): Promise<ResidentDetail> {
  requireThat(may.editRegistry(actor));
  const household = await findHouseholdInScope(deps, actor, input.householdId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw invalid('body.householdId', 'Không tìm thấy hộ gia đình này');
    throw error;
  });
  requireThat(may.workInUnit(actor, household.unitCode));
  const columns = residentColumns(input, null, deps.vault, deps.today());
  if (input.relationToHead === 'head') await checkSingleHead(deps, household.provinceCode, household.id, null);
  const id = await deps.db
    .transaction(async (tx) => {
      const figures = await IndicatorChange.begin(tx, { provinceCode: household.provinceCode, householdIds: [household.id] });
      const [created] = await tx
        .insert(residents)
        .values({
          provinceCode: household.provinceCode,
          householdId: household.id,
          unitCode: household.unitCode,
          fullName: columns.fullName ?? '',
          nameFolded: columns.nameFolded ?? '',
          birthYear: columns.birthYear ?? 0,
          ...columns,
          relationToHead: input.relationToHead,
          residenceType: input.residenceType,
        })
        .returning({ id: residents.id });
      if (!created) throw new AppError('INTERNAL');
      await figures.commit(tx);
      await recordAudit(tx, actor, {
        action: 'create',
        recordType: 'resident',
        recordIds: [created.id],
        unitCodes: [household.unitCode],
        fields: Object.keys(input).filter((k) => input[k as keyof ResidentCreateInput] != null),
      });
      return created.id;
    })
    .catch(duplicateGuard);
  return getResident(deps, actor, id);
}

export interface ResidentChanges extends ResidentFieldsInput {
  relationToHead?: ResidentRow['relationToHead'] | undefined;
  residenceType?: ResidentRow['residenceType'] | undefined;
  status?: ResidentRow['status'] | undefined;
  leftOn?: string | null | undefined;
  householdId?: number | undefined;
}

export async function updateResident(deps: AppDeps, actor: Actor, id: number, changes: ResidentChanges): Promise<ResidentDetail> {
  const current = await findResidentInScope(deps, actor, id);
  requireThat(may.editRegistry(actor) && may.workInUnit(actor, current.unitCode));
  const columns = residentColumns(changes, current, deps.vault, deps.today());
  // A new birth year must still agree with the stored citizen ID; re-check by re-deriving it.
  if ((columns.birthYear !== undefined || columns.sex !== undefined) && changes.citizenId === undefined && current.citizenIdEnc) {
    residentColumns(
      { citizenId: deps.vault.decrypt(current.citizenIdEnc), birthYear: columns.birthYear ?? current.birthYear, birthDate: columns.birthDate ?? current.birthDate, sex: columns.sex !== undefined ? columns.sex : current.sex },
      current,
      deps.vault,
      deps.today(),
    );
  }
  // Moving into another household (a household splitting, or a move to another unit): the
  // official must be able to write in the unit the resident moves to as well.
  const moving = changes.householdId !== undefined && changes.householdId !== current.householdId;
  const destination = moving
    ? await findHouseholdInScope(deps, actor, changes.householdId!).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'NOT_FOUND') throw invalid('body.householdId', 'Không tìm thấy hộ gia đình này');
        throw error;
      })
    : null;
  if (destination) requireThat(may.workInUnit(actor, destination.unitCode));
  const householdId = destination?.id ?? current.householdId;
  const relation = changes.relationToHead ?? current.relationToHead;
  if (relation === 'head' && (moving || current.relationToHead !== 'head')) await checkSingleHead(deps, current.provinceCode, householdId, id);
  const status = changes.status ?? current.status;
  const leftOn = status === 'living' ? null : changes.leftOn !== undefined ? changes.leftOn : changes.status && changes.status !== current.status ? deps.today() : current.leftOn;
  if (leftOn !== null && leftOn > deps.today()) throw invalid('body.leftOn', 'Ngày chuyển đi hoặc mất không được ở tương lai');
  if (leftOn !== null && current.birthDate && leftOn < current.birthDate) throw invalid('body.leftOn', 'Ngày chuyển đi hoặc mất trước ngày sinh');
  const fields = Object.keys(changes).filter((k) => changes[k as keyof ResidentChanges] !== undefined);
  await deps.db
    .transaction(async (tx) => {
      const figures = await IndicatorChange.begin(tx, { provinceCode: current.provinceCode, residentIds: [id], householdIds: [householdId] });
      await tx
        .update(residents)
        .set({
          ...columns,
          ...(changes.relationToHead ? { relationToHead: changes.relationToHead } : {}),
          ...(changes.residenceType ? { residenceType: changes.residenceType } : {}),
          ...(changes.status ? { status: changes.status } : {}),
          ...(destination ? { householdId: destination.id, unitCode: destination.unitCode } : {}),
          leftOn,
          updatedAt: new Date(),
        })
        .where(and(eq(residents.provinceCode, current.provinceCode), eq(residents.id, id)));
      await figures.commit(tx);
      await recordAudit(tx, actor, {
        action: 'update',
        recordType: 'resident',
        recordIds: [id],
        unitCodes: destination && destination.unitCode !== current.unitCode ? [current.unitCode, destination.unitCode] : [current.unitCode],
        fields,
      });
    })
    .catch(duplicateGuard);
  return getResident(deps, actor, id);
}

/** Shows one full citizen ID or phone number to a role allowed to see it; every reveal is logged. */
export async function revealResidentField(deps: AppDeps, actor: Actor, id: number, field: 'citizenId' | 'phone'): Promise<string | null> {
  const row = await findResidentInScope(deps, actor, id);
  requireThat(field === 'citizenId' ? may.revealCitizenId(actor, id) : may.revealPhone(actor, id));
  let value: string | null;
  if (field === 'phone') value = row.phone;
  else if (row.citizenIdEnc) value = deps.vault.decrypt(row.citizenIdEnc);
  else value = row.legacyIdEnc ? deps.vault.decrypt(row.legacyIdEnc) : null;
  await recordAudit(deps.db, actor, { action: 'reveal', recordType: 'resident', recordIds: [id], unitCodes: [row.unitCode], fields: [field] });
  return value;
}
