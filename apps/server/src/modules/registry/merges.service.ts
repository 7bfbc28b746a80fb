import type { DistinctPairView, ResidentMergeView } from '@cds/contract';
import { residentDistinctPairs, residentMerges, residents, type Db } from '@cds/db';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { residentAreaScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { ResidentRow } from './presenter.ts';
import { IndicatorChange } from '../indicators/indicator-ledger.ts';
import { findResidentInScope } from './residents.service.ts';

// Suspected duplicates, decided by an official: merge one record into another, undo that, or mark
// two records as two different people. Facts are append-only and never move: a merge only marks
// the merged record (residents.merged_into_id) and records the decision in resident_merges; reads
// hide the merged record and list its facts under the record kept (facts.queries.ts).

type Tx = Parameters<Parameters<AppDeps['db']['transaction']>[0]>[0];

type MergeRow = {
  id: number;
  kept_resident_id: number;
  kept_name: string;
  kept_household_id: number;
  kept_unit: string;
  merged_resident_id: number;
  merged_name: string;
  merged_household_id: number;
  merged_unit: string;
  reason: string;
  moved_citizen_id_hash: string | null;
  moved_legacy_id_hash: string | null;
  merged_by: string | null;
  merged_at: Date;
  undone_by: string | null;
  undone_at: Date | null;
};

function presentMerge(row: MergeRow): ResidentMergeView {
  return {
    id: Number(row.id),
    keptResidentId: Number(row.kept_resident_id),
    keptName: row.kept_name,
    keptHouseholdId: Number(row.kept_household_id),
    mergedResidentId: Number(row.merged_resident_id),
    mergedName: row.merged_name,
    mergedHouseholdId: Number(row.merged_household_id),
    unitCodes: [...new Set([row.kept_unit, row.merged_unit])],
    reason: row.reason,
    movedIdentifiers: [...(row.moved_citizen_id_hash ? (['citizenId'] as const) : []), ...(row.moved_legacy_id_hash ? (['legacyId'] as const) : [])],
    mergedBy: row.merged_by,
    mergedAt: new Date(row.merged_at).toISOString(),
    undoneBy: row.undone_by,
    undoneAt: row.undone_at ? new Date(row.undone_at).toISOString() : null,
  };
}

/** Merges with both records' names and households, filtered by `where` over m (merges), k (kept) and b (merged). */
export async function selectMerges(db: Pick<Db, 'execute'>, provinceCode: string, where: SQL, limit = 200): Promise<ResidentMergeView[]> {
  const { rows } = await db.execute<MergeRow>(sql`
    SELECT m.id, m.kept_resident_id, k.full_name AS kept_name, k.household_id AS kept_household_id, k.unit_code AS kept_unit,
           m.merged_resident_id, b.full_name AS merged_name, b.household_id AS merged_household_id, b.unit_code AS merged_unit,
           m.reason, m.moved_citizen_id_hash, m.moved_legacy_id_hash,
           mu.username AS merged_by, m.merged_at, uu.username AS undone_by, m.undone_at
      FROM resident_merges m
      JOIN residents k ON k.province_code = m.province_code AND k.id = m.kept_resident_id
      JOIN residents b ON b.province_code = m.province_code AND b.id = m.merged_resident_id
      LEFT JOIN users mu ON mu.id = m.merged_by
      LEFT JOIN users uu ON uu.id = m.undone_by
     WHERE m.province_code = ${provinceCode} AND ${where}
     ORDER BY m.id DESC
     LIMIT ${limit}`);
  return rows.map(presentMerge);
}

const idList = (ids: readonly number[]) => sql.raw(`'{${ids.map(Number).join(',')}}'::bigint[]`);

/** Standing merges into the given shown records, by kept record: their pages list them with an undo action. */
export async function mergesInto(db: Pick<Db, 'execute'>, provinceCode: string, keptIds: readonly number[]): Promise<Map<number, ResidentMergeView[]>> {
  const byKept = new Map<number, ResidentMergeView[]>();
  if (keptIds.length === 0) return byKept;
  const merges = await selectMerges(db, provinceCode, sql`m.undone_at IS NULL AND m.kept_resident_id = ANY(${idList(keptIds)})`);
  for (const merge of merges) byKept.set(merge.keptResidentId, [...(byKept.get(merge.keptResidentId) ?? []), merge]);
  return byKept;
}

/** Standing merges of members of one household into other records: the household page says where they went. */
export async function mergesOutOfHousehold(db: Pick<Db, 'execute'>, provinceCode: string, householdId: number): Promise<ResidentMergeView[]> {
  return selectMerges(db, provinceCode, sql`m.undone_at IS NULL AND b.household_id = ${householdId}`);
}

async function lockResidents(tx: Tx, provinceCode: string, ids: readonly number[]): Promise<Map<number, ResidentRow>> {
  // Locked in id order, so two officials deciding on the same pair at once queue instead of deadlocking.
  const rows = await tx
    .select()
    .from(residents)
    .where(and(eq(residents.provinceCode, provinceCode), sql`${residents.id} = ANY(${idList(ids)})`))
    .orderBy(residents.id)
    .for('update');
  return new Map(rows.map((row) => [row.id, row]));
}

async function holdsMergedRecords(tx: Tx, provinceCode: string, id: number): Promise<boolean> {
  const { rows } = await tx.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM residents r WHERE r.province_code = ${provinceCode} AND r.merged_into_id = ${id}`);
  return Number(rows[0]?.n ?? 0) > 0;
}

export interface MergeInput {
  intoResidentId: number;
  reason: string;
}

/**
 * Merges record `mergedId` into `input.intoResidentId`: the merged record disappears from every
 * list, search and count; its facts show on the kept record with their provenance. If the kept
 * record has no citizen ID (or old ID) and the merged one has, the kept record takes it over, so
 * the next import of a list with that ID finds the kept record.
 */
export async function mergeResidents(deps: AppDeps, actor: Actor, mergedId: number, input: MergeInput): Promise<ResidentMergeView> {
  requireThat(may.editRegistry(actor));
  if (mergedId === input.intoResidentId) throw invalid('body.intoResidentId', 'Không thể gộp một hồ sơ vào chính nó');
  // Both must be records the actor sees (else 404, as everywhere), then records they may change.
  const merged = await findResidentInScope(deps, actor, mergedId);
  const kept = await findResidentInScope(deps, actor, input.intoResidentId).catch((error: unknown) => {
    if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'RESIDENT_MERGED')) {
      throw invalid('body.intoResidentId', error.code === 'NOT_FOUND' ? 'Không tìm thấy hồ sơ cần giữ' : 'Hồ sơ cần giữ đã được gộp vào hồ sơ khác');
    }
    throw error;
  });
  requireThat(may.decideDuplicates(actor, [kept.unitCode, merged.unitCode]));
  if (kept.provinceCode !== merged.provinceCode) throw new AppError('MERGE_NOT_POSSIBLE', undefined, 'Hai hồ sơ thuộc hai tỉnh, thành phố khác nhau');

  const mergeId = await deps.db
    .transaction(async (tx) => {
      const locked = await lockResidents(tx, kept.provinceCode, [kept.id, merged.id]);
      const a = locked.get(kept.id);
      const b = locked.get(merged.id);
      // Checked again under the lock: another official may have merged one of them a moment ago.
      if (!a || !b || a.mergedIntoId !== null || b.mergedIntoId !== null) {
        throw new AppError('MERGE_NOT_POSSIBLE', undefined, 'Một trong hai hồ sơ vừa được gộp vào hồ sơ khác; hãy tải lại trang');
      }
      if (a.citizenIdHash && b.citizenIdHash && a.citizenIdHash !== b.citizenIdHash) throw new AppError('MERGE_DIFFERENT_CITIZEN_IDS');
      // One hop only: a record that holds merged records must be the one kept, so facts never hide two levels down.
      if (await holdsMergedRecords(tx, b.provinceCode, b.id)) {
        throw new AppError(
          'MERGE_NOT_POSSIBLE',
          undefined,
          `Hồ sơ #${b.id} (${b.fullName}) đang giữ hồ sơ đã gộp vào nó: hãy chọn giữ hồ sơ này, hoặc hoàn tác các lần gộp đó trước`,
        );
      }
      // The kept record's figures take in the merged one's facts; the merged one counts no more.
      const figures = await IndicatorChange.begin(tx, { provinceCode: a.provinceCode, residentIds: [a.id, b.id] });
      const moveCitizenId = b.citizenIdHash !== null && a.citizenIdHash === null;
      const moveLegacyId = b.legacyIdHash !== null && a.legacyIdHash === null;
      const [created] = await tx
        .insert(residentMerges)
        .values({
          provinceCode: a.provinceCode,
          keptResidentId: a.id,
          mergedResidentId: b.id,
          reason: input.reason,
          mergedBy: actor.userId,
          movedCitizenIdHash: moveCitizenId ? b.citizenIdHash : null,
          movedCitizenIdEnc: moveCitizenId ? b.citizenIdEnc : null,
          movedCitizenIdLast4: moveCitizenId ? b.citizenIdLast4 : null,
          movedLegacyIdHash: moveLegacyId ? b.legacyIdHash : null,
          movedLegacyIdEnc: moveLegacyId ? b.legacyIdEnc : null,
        })
        .returning({ id: residentMerges.id });
      if (!created) throw new AppError('INTERNAL');
      // The merged record gives up the IDs first: the unique index allows one record per citizen ID.
      // Its updated_at is left alone, so an undo gives back the record exactly as it was.
      await tx
        .update(residents)
        .set({
          mergedIntoId: a.id,
          ...(moveCitizenId ? { citizenIdHash: null, citizenIdEnc: null, citizenIdLast4: null } : {}),
          ...(moveLegacyId ? { legacyIdHash: null, legacyIdEnc: null } : {}),
        })
        .where(and(eq(residents.provinceCode, b.provinceCode), eq(residents.id, b.id)));
      if (moveCitizenId || moveLegacyId) {
        await tx
          .update(residents)
          .set({
            ...(moveCitizenId ? { citizenIdHash: b.citizenIdHash, citizenIdEnc: b.citizenIdEnc, citizenIdLast4: b.citizenIdLast4 } : {}),
            ...(moveLegacyId ? { legacyIdHash: b.legacyIdHash, legacyIdEnc: b.legacyIdEnc } : {}),
            updatedAt: new Date(),
          })
          .where(and(eq(residents.provinceCode, a.provinceCode), eq(residents.id, a.id)));
      }
      await figures.commit(tx);
      await recordAudit(tx, actor, {
        action: 'merge',
        recordType: 'resident',
        recordIds: [a.id, b.id],
        unitCodes: [a.unitCode, b.unitCode],
        fields: ['mergedIntoId', ...(moveCitizenId ? ['citizenId'] : []), ...(moveLegacyId ? ['legacyId'] : [])],
        detail: { mergeId: created.id, keptResidentId: a.id, mergedResidentId: b.id, reason: input.reason },
      });
      return created.id;
    })
    .catch((error: unknown) => {
      // The partial unique index on standing merges: the same record merged twice at once.
      if (isUniqueViolation(error)) throw new AppError('MERGE_NOT_POSSIBLE', undefined, 'Hồ sơ này vừa được gộp; hãy tải lại trang');
      throw error;
    });
  const [view] = await selectMerges(deps.db, kept.provinceCode, sql`m.id = ${mergeId}`, 1);
  if (!view) throw new AppError('INTERNAL');
  return view;
}

/**
 * Undoes a merge: the merged record is shown again exactly as it was, with its own facts, and
 * takes back any ID the kept record had taken over from it.
 */
export async function undoResidentMerge(deps: AppDeps, actor: Actor, mergeId: number): Promise<ResidentMergeView> {
  requireThat(may.editRegistry(actor));
  const [merge] = await deps.db
    .select()
    .from(residentMerges)
    .where(and(eq(residentMerges.provinceCode, actor.provinceCode), eq(residentMerges.id, mergeId)));
  if (!merge) throw new AppError('NOT_FOUND');
  // Both records must lie in the actor's area, the merged one although it is hidden from lists.
  const inArea = await deps.db
    .select({ id: residents.id, unitCode: residents.unitCode })
    .from(residents)
    .where(and(eq(residents.provinceCode, merge.provinceCode), sql`${residents.id} IN (${merge.keptResidentId}, ${merge.mergedResidentId})`, residentAreaScope(actor)));
  if (inArea.length < 2) throw new AppError('NOT_FOUND');
  requireThat(may.decideDuplicates(actor, inArea.map((r) => r.unitCode)));
  if (merge.undoneAt) throw new AppError('MERGE_ALREADY_UNDONE');

  await deps.db
    .transaction(async (tx) => {
      const locked = await lockResidents(tx, merge.provinceCode, [merge.keptResidentId, merge.mergedResidentId]);
      const [again] = await tx
        .select({ undoneAt: residentMerges.undoneAt })
        .from(residentMerges)
        .where(and(eq(residentMerges.provinceCode, merge.provinceCode), eq(residentMerges.id, merge.id)))
        .for('update');
      if (!again || again.undoneAt) throw new AppError('MERGE_ALREADY_UNDONE');
      const a = locked.get(merge.keptResidentId);
      const b = locked.get(merge.mergedResidentId);
      if (!a || !b || b.mergedIntoId !== a.id) throw new AppError('INTERNAL');
      const figures = await IndicatorChange.begin(tx, { provinceCode: a.provinceCode, residentIds: [a.id, b.id] });
      // The kept record gives back an ID it took over, unless an official has since changed it
      // (then it is the kept record's own now, and only the merged record's copy is restored).
      const giveBackCitizenId = merge.movedCitizenIdHash !== null && a.citizenIdHash === merge.movedCitizenIdHash;
      const giveBackLegacyId = merge.movedLegacyIdHash !== null && a.legacyIdHash === merge.movedLegacyIdHash;
      if (giveBackCitizenId || giveBackLegacyId) {
        await tx
          .update(residents)
          .set({
            ...(giveBackCitizenId ? { citizenIdHash: null, citizenIdEnc: null, citizenIdLast4: null } : {}),
            ...(giveBackLegacyId ? { legacyIdHash: null, legacyIdEnc: null } : {}),
            updatedAt: new Date(),
          })
          .where(and(eq(residents.provinceCode, a.provinceCode), eq(residents.id, a.id)));
      }
      await tx
        .update(residents)
        .set({
          mergedIntoId: null,
          ...(merge.movedCitizenIdHash !== null
            ? { citizenIdHash: merge.movedCitizenIdHash, citizenIdEnc: merge.movedCitizenIdEnc, citizenIdLast4: merge.movedCitizenIdLast4 }
            : {}),
          ...(merge.movedLegacyIdHash !== null ? { legacyIdHash: merge.movedLegacyIdHash, legacyIdEnc: merge.movedLegacyIdEnc } : {}),
        })
        .where(and(eq(residents.provinceCode, b.provinceCode), eq(residents.id, b.id)));
      await tx
        .update(residentMerges)
        .set({ undoneBy: actor.userId, undoneAt: new Date() })
        .where(and(eq(residentMerges.provinceCode, merge.provinceCode), eq(residentMerges.id, merge.id)));
      await figures.commit(tx);
      await recordAudit(tx, actor, {
        action: 'unmerge',
        recordType: 'resident',
        recordIds: [a.id, b.id],
        unitCodes: [a.unitCode, b.unitCode],
        fields: ['mergedIntoId', ...(merge.movedCitizenIdHash ? ['citizenId'] : []), ...(merge.movedLegacyIdHash ? ['legacyId'] : [])],
        detail: { mergeId: merge.id, keptResidentId: a.id, mergedResidentId: b.id },
      });
    })
    .catch((error: unknown) => {
      // The kept record's ID was changed since and another record now holds the merged one's ID.
      if (isUniqueViolation(error)) {
        throw new AppError('DUPLICATE_CITIZEN_ID', undefined, 'Số định danh của hồ sơ được gộp nay đã thuộc một hồ sơ khác; hãy sửa hồ sơ đó trước khi hoàn tác');
      }
      throw error;
    });
  const [view] = await selectMerges(deps.db, merge.provinceCode, sql`m.id = ${merge.id}`, 1);
  if (!view) throw new AppError('INTERNAL');
  return view;
}

export interface MergeListQuery {
  unit: string;
  state: 'active' | 'all';
  limit: number;
}

/** Merges touching one unit, newest first: the data quality page lists them with an undo action. */
export async function listResidentMerges(deps: AppDeps, actor: Actor, query: MergeListQuery): Promise<ResidentMergeView[]> {
  requireThat(may.editRegistry(actor) && may.decideDuplicates(actor, [query.unit]));
  const items = await selectMerges(
    deps.db,
    actor.provinceCode,
    sql`(k.unit_code = ${query.unit} OR b.unit_code = ${query.unit}) ${query.state === 'active' ? sql`AND m.undone_at IS NULL` : sql``}`,
    query.limit,
  );
  if (items.length > 0) {
    await recordAudit(deps.db, actor, {
      action: 'list',
      recordType: 'resident',
      recordIds: [...new Set(items.flatMap((m) => [m.keptResidentId, m.mergedResidentId]))],
      unitCodes: items.flatMap((m) => m.unitCodes),
      fields: ['fullName', 'merges'],
    });
  }
  return items;
}

async function findDistinctPair(deps: AppDeps, actor: Actor, id: number, otherId: number) {
  requireThat(may.editRegistry(actor));
  if (id === otherId) throw invalid('body.otherResidentId', 'Hãy chọn một hồ sơ khác');
  const first = await findResidentInScope(deps, actor, Math.min(id, otherId));
  const second = await findResidentInScope(deps, actor, Math.max(id, otherId));
  requireThat(may.decideDuplicates(actor, [first.unitCode, second.unitCode]));
  return { first, second };
}

type PairRow = {
  id: number;
  first_resident_id: number;
  second_resident_id: number;
  first_name: string;
  second_name: string;
  first_household_id: number;
  second_household_id: number;
  marked_by: string | null;
  marked_at: Date;
  unmarked_at: Date | null;
};

/** Pairs with both records' names, filtered by `where` over d (pairs), a (first) and b (second). */
async function selectPairs(db: Pick<Db, 'execute'>, provinceCode: string, where: SQL, limit = 200): Promise<DistinctPairView[]> {
  const { rows } = await db.execute<PairRow>(sql`
    SELECT d.id, d.first_resident_id, d.second_resident_id, a.full_name AS first_name, b.full_name AS second_name,
           a.household_id AS first_household_id, b.household_id AS second_household_id,
           u.username AS marked_by, d.marked_at, d.unmarked_at
      FROM resident_distinct_pairs d
      JOIN residents a ON a.province_code = d.province_code AND a.id = d.first_resident_id
      JOIN residents b ON b.province_code = d.province_code AND b.id = d.second_resident_id
      LEFT JOIN users u ON u.id = d.marked_by
     WHERE d.province_code = ${provinceCode} AND ${where}
     ORDER BY d.id DESC
     LIMIT ${limit}`);
  return rows.map((row) => ({
    id: Number(row.id),
    residentIds: [Number(row.first_resident_id), Number(row.second_resident_id)],
    fullNames: [row.first_name, row.second_name],
    householdIds: [Number(row.first_household_id), Number(row.second_household_id)],
    markedBy: row.marked_by,
    markedAt: new Date(row.marked_at).toISOString(),
    unmarkedAt: row.unmarked_at ? new Date(row.unmarked_at).toISOString() : null,
  }));
}

async function presentPair(deps: AppDeps, provinceCode: string, id: number): Promise<DistinctPairView> {
  const [view] = await selectPairs(deps.db, provinceCode, sql`d.id = ${id}`, 1);
  if (!view) throw new AppError('INTERNAL');
  return view;
}

/** Standing "two people" marks with a record in one unit: the data quality page lists them so a mark can be withdrawn. */
export async function listDistinctPairs(deps: AppDeps, actor: Actor, query: { unit: string; limit: number }): Promise<DistinctPairView[]> {
  requireThat(may.editRegistry(actor) && may.decideDuplicates(actor, [query.unit]));
  const items = await selectPairs(
    deps.db,
    actor.provinceCode,
    sql`d.unmarked_at IS NULL AND (a.unit_code = ${query.unit} OR b.unit_code = ${query.unit}) AND a.merged_into_id IS NULL AND b.merged_into_id IS NULL`,
    query.limit,
  );
  if (items.length > 0) {
    await recordAudit(deps.db, actor, {
      action: 'list',
      recordType: 'resident',
      recordIds: [...new Set(items.flatMap((p) => p.residentIds))],
      unitCodes: [query.unit],
      fields: ['fullName', 'distinctPairs'],
    });
  }
  return items;
}

const standingPair = (first: ResidentRow, second: ResidentRow) =>
  and(
    eq(residentDistinctPairs.provinceCode, first.provinceCode),
    eq(residentDistinctPairs.firstResidentId, first.id),
    eq(residentDistinctPairs.secondResidentId, second.id),
    isNull(residentDistinctPairs.unmarkedAt),
  );

/** Records that two records are two people: the data quality view stops suspecting the pair. Marking twice changes nothing. */
export async function markDistinct(deps: AppDeps, actor: Actor, id: number, otherId: number): Promise<DistinctPairView> {
  const { first, second } = await findDistinctPair(deps, actor, id, otherId);
  const row = await deps.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(residentDistinctPairs).where(standingPair(first, second));
    if (existing) return existing;
    const [created] = await tx
      .insert(residentDistinctPairs)
      .values({ provinceCode: first.provinceCode, firstResidentId: first.id, secondResidentId: second.id, markedBy: actor.userId })
      .returning();
    if (!created) throw new AppError('INTERNAL');
    await recordAudit(tx, actor, {
      action: 'mark_distinct',
      recordType: 'resident',
      recordIds: [first.id, second.id],
      unitCodes: [first.unitCode, second.unitCode],
      detail: { pairId: created.id },
    });
    return created;
  });
  return presentPair(deps, first.provinceCode, row.id);
}

/** Withdraws a "two people" mark: the pair is suspected again. */
export async function unmarkDistinct(deps: AppDeps, actor: Actor, id: number, otherId: number): Promise<DistinctPairView> {
  const { first, second } = await findDistinctPair(deps, actor, id, otherId);
  const row = await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(residentDistinctPairs)
      .set({ unmarkedBy: actor.userId, unmarkedAt: new Date() })
      .where(standingPair(first, second))
      .returning();
    if (!updated) throw new AppError('NOT_FOUND', undefined, 'Hai hồ sơ này chưa được đánh dấu là hai người khác nhau');
    await recordAudit(tx, actor, {
      action: 'unmark_distinct',
      recordType: 'resident',
      recordIds: [first.id, second.id],
      unitCodes: [first.unitCode, second.unitCode],
      detail: { pairId: updated.id },
    });
    return updated;
  });
  return presentPair(deps, first.provinceCode, row.id);
}
