import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { AllocationView } from '@cds/contract';
import { deviceAllocations, deviceRequests, facts, householdNeeds, residents, type Db } from '@cds/db';
import { addDays, imeiProblem, normaliseImei } from '@cds/domain';
import { and, eq, sql } from 'drizzle-orm';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { IndicatorChange } from '../indicators/indicator-ledger.ts';
import { allocationInScope } from './allocations.service.ts';

// Scheduling a handover, recording it, and the follow-up a month later. A handover is what turns
// a sponsor's device into the household's device element: facts, through the indicator ledger.

/** Wrong codes allowed before the handover must be scheduled again (a new code). */
const MAX_CODE_ATTEMPTS = 5;
const FOLLOW_UP_AFTER_DAYS = 30;

/** Keyed by the allocation, so one code's hash says nothing about another allocation's. */
const hashCode = (allocationId: number, code: string) => createHash('sha256').update(`device-handover:${allocationId}:${code}`).digest('hex');

/**
 * Sets the day and the person who will receive the device, and makes the six-digit code they
 * read back at the handover (given to them on paper or by phone; shown here once). Scheduling
 * again makes a new code and forgets the old one and its failed attempts.
 */
export async function scheduleHandover(
  deps: AppDeps,
  actor: Actor,
  id: number,
  input: { scheduledFor: string; recipientResidentId: number },
): Promise<{ allocation: AllocationView; confirmationCode: string }> {
  requireThat(may.handOverDevices(actor));
  const current = await allocationInScope(deps, actor, id);
  if (current.status !== 'allocated' && current.status !== 'scheduled') throw new AppError('DEVICE_WRONG_STATE');
  if (input.scheduledFor < deps.today()) throw invalid('body.scheduledFor', 'Ngày hẹn bàn giao đã qua');
  const [member] = await deps.db
    .select({ id: residents.id })
    .from(residents)
    .where(
      and(
        eq(residents.provinceCode, actor.provinceCode),
        eq(residents.id, input.recipientResidentId),
        eq(residents.householdId, current.householdId),
        eq(residents.status, 'living'),
        sql`${residents.mergedIntoId} IS NULL`,
      ),
    );
  if (!member) throw invalid('body.recipientResidentId', 'Người nhận phải là thành viên đang sống trong hộ');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(deviceAllocations)
      .set({
        status: 'scheduled',
        scheduledFor: input.scheduledFor,
        scheduledBy: actor.userId,
        residentId: input.recipientResidentId,
        codeHash: hashCode(id, code),
        codeAttempts: 0,
      })
      .where(and(eq(deviceAllocations.provinceCode, actor.provinceCode), eq(deviceAllocations.id, id), sql`${deviceAllocations.status} IN ('allocated', 'scheduled')`))
      .returning({ id: deviceAllocations.id });
    if (!row) throw new AppError('DEVICE_WRONG_STATE');
    await recordAudit(tx, actor, {
      action: 'update',
      recordType: 'household',
      recordIds: [current.householdId],
      unitCodes: [current.unitCode],
      fields: ['device_allocations.schedule', 'device_allocations.recipient'],
      detail: { allocationId: id, scheduledFor: input.scheduledFor, recipientResidentId: input.recipientResidentId },
    });
  });
  return { allocation: await allocationInScope(deps, actor, id), confirmationCode: code };
}

export interface HandoverInput {
  imei: string;
  confirmationCode?: string | undefined;
  signaturePng?: string | undefined;
  photo?: string | undefined;
  photoSkippedNote?: string | undefined;
  consentToSponsor: boolean;
  handedOverOn?: string | undefined;
}

/** What a caller adds to the handover's own transaction (the field app's sync: the id the phone gave it). */
export interface HandoverOptions {
  onRecorded?: (tx: Parameters<Parameters<Db['transaction']>[0]>[0], recorded: { allocationId: number; householdId: number }) => Promise<void>;
}

/**
 * Checks the recipient's code. A wrong code is counted in its own committed transaction (the
 * handover's would roll the count back with it), so trying codes one after another stops at five.
 */
async function checkCode(deps: AppDeps, actor: Actor, id: number, code: string): Promise<void> {
  const outcome = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ codeHash: deviceAllocations.codeHash, attempts: deviceAllocations.codeAttempts })
      .from(deviceAllocations)
      .where(and(eq(deviceAllocations.provinceCode, actor.provinceCode), eq(deviceAllocations.id, id)))
      .for('update');
    if (!row?.codeHash) return 'wrong_state' as const;
    if (row.attempts >= MAX_CODE_ATTEMPTS) return 'locked' as const;
    const expected = Buffer.from(row.codeHash, 'hex');
    const given = Buffer.from(hashCode(id, code), 'hex');
    if (expected.length === given.length && timingSafeEqual(expected, given)) return 'ok' as const;
    await tx
      .update(deviceAllocations)
      .set({ codeAttempts: sql`${deviceAllocations.codeAttempts} + 1` })
      .where(and(eq(deviceAllocations.provinceCode, actor.provinceCode), eq(deviceAllocations.id, id)));
    return row.attempts + 1 >= MAX_CODE_ATTEMPTS ? ('locked' as const) : ('wrong' as const);
  });
  if (outcome === 'wrong_state') throw new AppError('DEVICE_WRONG_STATE');
  if (outcome === 'locked') throw new AppError('DEVICE_CONFIRMATION_LOCKED');
  if (outcome === 'wrong') throw new AppError('DEVICE_BAD_CONFIRMATION', [{ path: 'body.confirmationCode', message: 'Mã xác nhận không đúng' }]);
}

/**
 * Records the handover: the IMEI (15 digits, Luhn, once), the recipient's confirmation, the photo
 * or why there is none. In the same transaction, through IndicatorChange so the figures move:
 * a fact smartphone = true for the recipient and, when their current phone_2g_only is true,
 * phone_2g_only = false (the 2G number converted); source 'person', reference handover:<id>.
 * The household's open device needs and requests are closed as met.
 */
export async function recordHandover(deps: AppDeps, actor: Actor, id: number, input: HandoverInput, options: HandoverOptions = {}): Promise<AllocationView> {
  requireThat(may.handOverDevices(actor));
  const problem = imeiProblem(input.imei);
  if (problem) throw invalid('body.imei', problem);
  const imei = normaliseImei(input.imei);
  const day = input.handedOverOn ?? deps.today();
  if (day > deps.today()) throw invalid('body.handedOverOn', 'Ngày bàn giao ở tương lai');
  if (!input.photo && !input.photoSkippedNote) throw invalid('body.photo', 'Cần ảnh bàn giao, hoặc ghi lý do không chụp ảnh');
  const current = await allocationInScope(deps, actor, id);
  if (current.status !== 'scheduled' || !current.recipient) throw new AppError('DEVICE_WRONG_STATE');
  const [taken] = await deps.db.select({ id: deviceAllocations.id }).from(deviceAllocations).where(and(eq(deviceAllocations.provinceCode, actor.provinceCode), eq(deviceAllocations.imei, imei)));
  if (taken) throw new AppError('DEVICE_IMEI_TAKEN', [{ path: 'body.imei', message: 'Số IMEI này đã được ghi cho một thiết bị khác' }]);
  if (input.confirmationCode !== undefined) await checkCode(deps, actor, id, input.confirmationCode);
  const recipientId = current.recipient.residentId;
  await deps.db.transaction(async (tx) => {
    const figures = await IndicatorChange.begin(tx, { provinceCode: actor.provinceCode, residentIds: [recipientId] });
    let row: { householdId: number } | undefined;
    try {
      [row] = await tx
        .update(deviceAllocations)
        .set({
          status: 'handed_over',
          imei,
          handedOverAt: new Date(),
          handedOverOn: day,
          handedOverBy: actor.userId,
          confirmation: input.confirmationCode !== undefined ? 'code' : 'signature',
          signaturePng: input.signaturePng ?? null,
          photo: input.photo ?? null,
          photoSkippedNote: input.photo ? null : (input.photoSkippedNote ?? null),
          consentToSponsor: input.consentToSponsor,
          followUpDue: addDays(day, FOLLOW_UP_AFTER_DAYS),
          codeHash: null,
        })
        .where(and(eq(deviceAllocations.provinceCode, actor.provinceCode), eq(deviceAllocations.id, id), eq(deviceAllocations.status, 'scheduled'), eq(deviceAllocations.residentId, recipientId)))
        .returning({ householdId: deviceAllocations.householdId });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('DEVICE_IMEI_TAKEN', [{ path: 'body.imei', message: 'Số IMEI này đã được ghi cho một thiết bị khác' }]);
      throw error;
    }
    if (!row) throw new AppError('DEVICE_WRONG_STATE');
    const { rows: was2g } = await tx.execute<{ value: string }>(sql`
      SELECT f.value FROM facts f
      WHERE f.province_code = ${actor.provinceCode} AND f.indicator = 'phone_2g_only' AND NOT f.retracts
        AND (f.resident_id = ${recipientId} OR f.resident_id IN (SELECT m.id FROM residents m WHERE m.province_code = ${actor.provinceCode} AND m.merged_into_id = ${recipientId}))
        AND NOT EXISTS (SELECT 1 FROM facts c WHERE c.province_code = f.province_code AND c.corrects_fact_id = f.id)
      ORDER BY f.observed_on DESC, f.id DESC LIMIT 1`);
    const note = `Bàn giao thiết bị tài trợ (${current.sponsorName}${current.model ? `, ${current.model}` : ''})`;
    const fact = (indicator: 'smartphone' | 'phone_2g_only', value: string) => ({
      provinceCode: actor.provinceCode,
      residentId: recipientId,
      indicator,
      value,
      sourceKind: 'person' as const,
      sourceRef: `handover:${id}`,
      statedBy: actor.userId,
      observedOn: day,
      note,
    });
    const values = [fact('smartphone', 'true')];
    if (was2g[0]?.value === 'true') values.push(fact('phone_2g_only', 'false'));
    const inserted = await tx.insert(facts).values(values).returning({ id: facts.id, indicator: facts.indicator });
    await tx
      .update(householdNeeds)
      .set({ status: 'met', closedBy: actor.userId, closedAt: new Date() })
      .where(and(eq(householdNeeds.provinceCode, actor.provinceCode), eq(householdNeeds.householdId, row.householdId), eq(householdNeeds.kind, 'device'), eq(householdNeeds.status, 'open')));
    await tx
      .update(deviceRequests)
      .set({ status: 'met', closedAt: new Date() })
      .where(and(eq(deviceRequests.provinceCode, actor.provinceCode), eq(deviceRequests.householdId, row.householdId), eq(deviceRequests.status, 'open')));
    await figures.commit(tx);
    await recordAudit(tx, actor, {
      action: 'update',
      recordType: 'household',
      recordIds: [row.householdId],
      unitCodes: [current.unitCode],
      fields: ['device_allocations.handover', ...inserted.map((f) => `facts.${f.indicator}`)],
      detail: { allocationId: id, recipientResidentId: recipientId, factIds: inserted.map((f) => f.id), consentToSponsor: input.consentToSponsor },
    });
    await options.onRecorded?.(tx, { allocationId: id, householdId: row.householdId });
  });
  return allocationInScope(deps, actor, id);
}

/**
 * A month on: is the device in use? Recorded once. A device not in use is a note for the unit,
 * not a fact: the person may still own a working smartphone, and a visit would say so.
 */
export async function recordFollowUp(deps: AppDeps, actor: Actor, id: number, input: { inUse: boolean; note?: string | undefined }): Promise<AllocationView> {
  requireThat(may.handOverDevices(actor));
  const current = await allocationInScope(deps, actor, id);
  if (current.status !== 'handed_over') throw new AppError('DEVICE_WRONG_STATE');
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(deviceAllocations)
      .set({ followUpAt: new Date(), followUpBy: actor.userId, followUpInUse: input.inUse, followUpNote: input.note ?? null })
      .where(and(eq(deviceAllocations.provinceCode, actor.provinceCode), eq(deviceAllocations.id, id), sql`${deviceAllocations.followUpAt} IS NULL`))
      .returning({ id: deviceAllocations.id });
    if (!row) throw new AppError('ALREADY_DECIDED');
    await recordAudit(tx, actor, {
      action: 'update',
      recordType: 'household',
      recordIds: [current.householdId],
      unitCodes: [current.unitCode],
      fields: ['device_allocations.follow_up'],
      detail: { allocationId: id, inUse: input.inUse },
    });
  });
  return allocationInScope(deps, actor, id);
}
