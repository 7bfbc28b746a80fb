import type { AllocationView } from '@cds/contract';
import { deviceAllocations, deviceStock, households, residents } from '@cds/db';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { householdScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentAllocation, selectAllocations } from './allocation-view.ts';
import { loadPriorityRules } from './rules.service.ts';
import { deviceSituations } from './situations.queries.ts';

// Allocating a unit's stock to its households, and taking an allocation back.

export async function listAllocations(
  deps: AppDeps,
  actor: Actor,
  query: { unit?: string | undefined; status?: AllocationView['status'] | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: AllocationView[]; next: string | null }> {
  requireThat(may.readDeviceNeeds(actor));
  const after = decodeCursor(query.cursor, ['number']);
  const rows = await selectAllocations(
    deps.db,
    and(
      eq(deviceAllocations.provinceCode, actor.provinceCode),
      householdScope(actor),
      query.unit ? eq(deviceAllocations.unitCode, query.unit) : undefined,
      query.status ? eq(deviceAllocations.status, query.status) : undefined,
      after ? lt(deviceAllocations.id, after[0]) : undefined,
    ),
  )
    .orderBy(desc(deviceAllocations.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  await recordAudit(deps.db, actor, {
    action: 'list',
    recordType: 'household',
    recordIds: page.map((r) => r.a.householdId),
    unitCodes: [...new Set(page.map((r) => r.a.unitCode))],
    fields: ['device_allocations', 'recipient.fullName'],
  });
  return { items: page.map(presentAllocation), next: rows.length > query.limit && last ? encodeCursor([last.a.id]) : null };
}

/** One allocation in the actor's area, for the services that change it. */
export async function allocationInScope(deps: AppDeps, actor: Actor, id: number): Promise<AllocationView> {
  const [row] = await selectAllocations(deps.db, and(eq(deviceAllocations.provinceCode, actor.provinceCode), eq(deviceAllocations.id, id), householdScope(actor)));
  if (!row) throw new AppError('NOT_FOUND');
  return presentAllocation(row);
}

/** One allocation, read on its own page: audited like the list. */
export async function getAllocation(deps: AppDeps, actor: Actor, id: number): Promise<AllocationView> {
  requireThat(may.readDeviceNeeds(actor));
  const allocation = await allocationInScope(deps, actor, id);
  await recordAudit(deps.db, actor, {
    action: 'read',
    recordType: 'household',
    recordIds: [allocation.householdId],
    unitCodes: [allocation.unitCode],
    fields: ['device_allocations', 'recipient.fullName'],
  });
  return allocation;
}

/**
 * An official gives one device of their unit's stock to a household that needs one more than it
 * has coming (one per 2G-only phone, or one for a household with no smartphone). Two guarantees
 * hold under any concurrency, by the database rather than by this code's reads:
 *  - the stock row is decremented only while available > 0 (and CHECK available >= 0): two
 *    officials taking the last device queue on the row, the second finds none left;
 *  - allocations to one household take its row lock first, so the second official reads what
 *    the first allocated and is refused once nothing is left to give; each live allocation also
 *    takes the household's next slot, and device_allocations_one_live_idx (one live allocation
 *    per slot) refuses a second row in the same slot whatever a future code path does.
 * Either failure rolls the whole transaction back, the decrement with it.
 */
export async function allocateDevice(
  deps: AppDeps,
  actor: Actor,
  input: { householdId: number; stockId: number; residentId?: number | undefined },
): Promise<AllocationView> {
  requireThat(may.allocateDevices(actor));
  const [household] = await deps.db
    .select({ provinceCode: households.provinceCode, id: households.id, unitCode: households.unitCode })
    .from(households)
    .where(and(eq(households.provinceCode, actor.provinceCode), eq(households.id, input.householdId), householdScope(actor)));
  if (!household) throw new AppError('NOT_FOUND', [{ path: 'body.householdId', message: 'Không tìm thấy hộ này trong địa bàn của bạn' }]);
  requireThat(may.runDeviceStock(actor, household.unitCode));
  const [stock] = await deps.db.select().from(deviceStock).where(eq(deviceStock.id, input.stockId));
  if (!stock || stock.provinceCode !== actor.provinceCode) throw invalid('body.stockId', 'Không có lô thiết bị này');
  // "Within the unit's share": a unit allocates only what it received.
  if (stock.unitCode !== household.unitCode) throw invalid('body.stockId', 'Lô thiết bị này thuộc đơn vị khác; chỉ phân bổ thiết bị đơn vị đã nhận');
  if (input.residentId !== undefined) {
    const [member] = await deps.db
      .select({ id: residents.id })
      .from(residents)
      .where(and(eq(residents.provinceCode, household.provinceCode), eq(residents.id, input.residentId), eq(residents.householdId, household.id), eq(residents.status, 'living')));
    if (!member) throw invalid('body.residentId', 'Người này không phải thành viên đang sống trong hộ');
  }
  const rules = await loadPriorityRules(deps.db);
  const id = await deps.db.transaction(async (tx) => {
    // Allocations to one household queue here: the situation below is then read after the other
    // official's allocation has committed, so it counts it (a household needing two devices must
    // not get three because both officials read "two to go").
    await tx.execute(sql`SELECT 1 FROM households WHERE province_code = ${household.provinceCode} AND id = ${household.id} FOR UPDATE`);
    const [situation] = await deviceSituations(
      tx,
      sql`${households.provinceCode} = ${household.provinceCode} AND ${households.id} = ${household.id}`,
      rules,
      deps.today(),
      { withAllocated: true, onlyUnallocated: false },
    );
    if (!situation) throw new AppError('DEVICE_NOT_ELIGIBLE');
    // Listed with nothing left to give: its devices are allocated, or were handed over.
    if (situation.toAllocate === 0) throw new AppError('DEVICE_ALREADY_ALLOCATED');
    const [taken] = await tx
      .update(deviceStock)
      .set({ available: sql`${deviceStock.available} - 1` })
      .where(and(eq(deviceStock.id, stock.id), sql`${deviceStock.available} > 0`))
      .returning({ id: deviceStock.id });
    if (!taken) throw new AppError('DEVICE_STOCK_EMPTY');
    let created: { id: number } | undefined;
    try {
      [created] = await tx
        .insert(deviceAllocations)
        .values({
          provinceCode: household.provinceCode,
          householdId: household.id,
          unitCode: household.unitCode,
          stockId: stock.id,
          residentId: input.residentId ?? null,
          slot: sql`(SELECT COALESCE(max(slot), 0) + 1 FROM device_allocations
                     WHERE province_code = ${household.provinceCode} AND household_id = ${household.id} AND status <> 'cancelled')`,
          score: situation.score,
          reasons: situation.reasons,
          allocatedBy: actor.userId,
        })
        .returning({ id: deviceAllocations.id });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('DEVICE_ALREADY_ALLOCATED');
      throw error;
    }
    if (!created) throw new AppError('INTERNAL');
    await recordAudit(tx, actor, {
      action: 'create',
      recordType: 'household',
      recordIds: [household.id],
      unitCodes: [household.unitCode],
      fields: ['device_allocations'],
      detail: { allocationId: created.id, stockId: stock.id, score: situation.score },
    });
    return created.id;
  });
  return allocationInScope(deps, actor, id);
}

/** Takes an allocation back before the handover: the device returns to the unit's stock. */
export async function cancelAllocation(deps: AppDeps, actor: Actor, id: number, reason: string): Promise<AllocationView> {
  requireThat(may.allocateDevices(actor));
  const current = await allocationInScope(deps, actor, id);
  requireThat(may.runDeviceStock(actor, current.unitCode));
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(deviceAllocations)
      .set({ status: 'cancelled', cancelledAt: new Date(), cancelledBy: actor.userId, cancelReason: reason, codeHash: null })
      .where(and(eq(deviceAllocations.provinceCode, actor.provinceCode), eq(deviceAllocations.id, id), sql`${deviceAllocations.status} IN ('allocated', 'scheduled')`))
      .returning({ stockId: deviceAllocations.stockId, householdId: deviceAllocations.householdId });
    if (!row) throw new AppError('DEVICE_WRONG_STATE');
    await tx.update(deviceStock).set({ available: sql`${deviceStock.available} + 1` }).where(eq(deviceStock.id, row.stockId));
    await recordAudit(tx, actor, {
      action: 'update',
      recordType: 'household',
      recordIds: [row.householdId],
      unitCodes: [current.unitCode],
      fields: ['device_allocations.status'],
      detail: { allocationId: id, status: 'cancelled', reason },
    });
  });
  return allocationInScope(deps, actor, id);
}
