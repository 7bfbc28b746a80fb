import { FieldHandoverSend } from '@cds/contract';
import { fieldHandovers, fieldRefusals } from '@cds/db';
import { visitDate } from '@cds/domain';
import { and, eq } from 'drizzle-orm';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import { AppError } from '../../platform/errors.ts';
import { recordHandover } from '../devices/handover.service.ts';
import { REFUSAL_REASONS, hashVisit, issuesText, keepRefusal, lockKey, refusalPlace, refuseRaw, refused, type SendContext, type VisitResult } from './sync.service.ts';
import { VisitRefusal, type Tx } from './visit-facts.ts';

// A device handover recorded on a volunteer's phone, arriving with the sync. The rules are
// recordHandover's, the same as an official's handover on the web: this file only turns its
// answers into the sync's (stored, duplicate, or refused and kept for an official).

export type HandoverRefusalCode = 'HANDOVER_BAD_CODE' | 'HANDOVER_CODE_LOCKED' | 'HANDOVER_IMEI_TAKEN' | 'HANDOVER_WRONG_STATE';

const KEPT = 'phiếu được giữ lại để cán bộ xem xét';

/** What the volunteer reads in the outbox for each refusal of recordHandover. */
export const HANDOVER_REFUSALS: Record<HandoverRefusalCode | 'NOT_ASSIGNED', string> = {
  HANDOVER_BAD_CODE: `Mã xác nhận của người nhận không đúng; thiết bị chưa được ghi là đã bàn giao. Hãy hỏi lại mã (hoặc xin chữ ký) và ghi lại phiếu bàn giao; ${KEPT}`,
  HANDOVER_CODE_LOCKED: `Nhập sai mã xác nhận quá nhiều lần; cán bộ cần hẹn lại lịch bàn giao để có mã mới; ${KEPT}`,
  HANDOVER_IMEI_TAKEN: `Số IMEI này đã được ghi cho một thiết bị khác; hãy đọc lại IMEI trên máy (*#06#) và ghi lại phiếu bàn giao; ${KEPT}`,
  HANDOVER_WRONG_STATE: `Thiết bị này không còn chờ bàn giao (đã bàn giao, đã huỷ hoặc chưa hẹn lịch); ${KEPT}`,
  NOT_ASSIGNED: `Thiết bị này thuộc hộ không được giao cho bạn; ${KEPT}`,
};

/** recordHandover's errors, as the sync's refusals; anything else is a server fault and propagates. */
function refusalOf(error: unknown): VisitRefusal | { code: HandoverRefusalCode; reason: string } | null {
  if (error instanceof VisitRefusal) return error;
  if (!(error instanceof AppError)) return null;
  switch (error.code) {
    case 'DEVICE_BAD_CONFIRMATION':
      return { code: 'HANDOVER_BAD_CODE', reason: HANDOVER_REFUSALS.HANDOVER_BAD_CODE };
    case 'DEVICE_CONFIRMATION_LOCKED':
      return { code: 'HANDOVER_CODE_LOCKED', reason: HANDOVER_REFUSALS.HANDOVER_CODE_LOCKED };
    case 'DEVICE_IMEI_TAKEN':
      return { code: 'HANDOVER_IMEI_TAKEN', reason: HANDOVER_REFUSALS.HANDOVER_IMEI_TAKEN };
    case 'DEVICE_WRONG_STATE':
      return { code: 'HANDOVER_WRONG_STATE', reason: HANDOVER_REFUSALS.HANDOVER_WRONG_STATE };
    // Outside the sender's area reads as not found (scope in the query): the same answer as a visit's.
    case 'NOT_FOUND':
    case 'FORBIDDEN':
      return new VisitRefusal('NOT_ASSIGNED', error.code === 'FORBIDDEN' ? `Tài khoản của bạn không được ghi bàn giao thiết bị; ${KEPT}` : HANDOVER_REFUSALS.NOT_ASSIGNED);
    case 'VALIDATION_FAILED': {
      const issues = (error.issues ?? []).map((i) => `${i.path.replace(/^body\./, '')}: ${i.message}`).join('; ');
      return new VisitRefusal('INVALID_VISIT', `${REFUSAL_REASONS.INVALID_VISIT}: ${issues || error.detailVi || 'phiếu bàn giao'}`);
    }
    default:
      return null;
  }
}

/** The handover stored under this id, if any. */
async function storedSend(ctx: SendContext, clientHandoverId: string) {
  const [row] = await ctx.deps.db.select().from(fieldHandovers).where(eq(fieldHandovers.clientHandoverId, clientHandoverId));
  return row ?? null;
}

const duplicate = (send: FieldHandoverSend): VisitResult => ({
  clientVisitId: send.clientHandoverId,
  outcome: 'duplicate',
  visitId: null,
  householdId: send.householdId,
  conflicts: 0,
  reasonCode: null,
  reason: null,
  refusalId: null,
});

async function keep(ctx: SendContext, send: FieldHandoverSend, hash: string, refusal: { code: VisitRefusal['code'] | HandoverRefusalCode; reason: string }): Promise<VisitResult> {
  const [place, refusalId] = await ctx.deps.db.transaction(async (tx: Tx) => {
    await lockKey(tx, send.clientHandoverId);
    const place = await refusalPlace(tx, ctx, send);
    return [place, await keepRefusal(tx, ctx, { code: refusal.code, reason: refusal.reason, raw: send, hash, clientVisitId: send.clientHandoverId, place })] as const;
  });
  return refused(send.clientHandoverId, place, refusal.code, refusal.reason, refusalId);
}

/**
 * One handover from the phone: stored once (its id and content hash in field_handovers, written
 * in recordHandover's transaction), a duplicate when sent again, or refused and kept.
 *
 * Two sends of one handover at once are not serialised by a lock here: recordHandover runs its
 * own transactions (a wrong code is counted in one that must commit), which cannot nest in one
 * holding a lock. The allocation's row settles it instead: the second waits on it, finds the
 * allocation handed over, and reading field_handovers again then answers duplicate.
 */
export async function syncHandover(ctx: SendContext, raw: unknown): Promise<VisitResult> {
  const parsed = FieldHandoverSend.safeParse(raw);
  if (!parsed.success) return refuseRaw(ctx, raw, 'INVALID_VISIT', `${REFUSAL_REASONS.INVALID_VISIT}: ${issuesText(parsed.error)}`);
  const send = parsed.data;
  const hash = hashVisit(send);
  const before = await storedSend(ctx, send.clientHandoverId);
  if (before) return before.contentHash === hash ? duplicate(send) : keep(ctx, send, hash, new VisitRefusal('CONTENT_MISMATCH', REFUSAL_REASONS.CONTENT_MISMATCH));
  // A wrong code refused before is answered again without trying it again: a phone resending
  // because it lost the answer must not use up the recipient's five tries.
  const [wrongBefore] = await ctx.deps.db
    .select({ id: fieldRefusals.id })
    .from(fieldRefusals)
    .where(
      and(
        eq(fieldRefusals.clientVisitId, send.clientHandoverId),
        eq(fieldRefusals.contentHash, hash),
        eq(fieldRefusals.reasonCode, 'HANDOVER_BAD_CODE'),
        eq(fieldRefusals.userId, ctx.sender.userId),
        eq(fieldRefusals.status, 'open'),
      ),
    )
    .limit(1);
  if (wrongBefore) return keep(ctx, send, hash, { code: 'HANDOVER_BAD_CODE', reason: HANDOVER_REFUSALS.HANDOVER_BAD_CODE });
  try {
    await recordHandover(
      ctx.deps,
      ctx.sender,
      send.allocationId,
      {
        imei: send.imei,
        confirmationCode: send.confirmationCode,
        signaturePng: send.signaturePng,
        photo: send.photo,
        photoSkippedNote: send.photoSkippedNote,
        consentToSponsor: send.consentToSponsor,
        handedOverOn: visitDate(send.handedOverAt),
      },
      {
        onRecorded: async (tx, recorded) => {
          // Thrown inside the handover's transaction, so nothing of it stays.
          if (recorded.householdId !== send.householdId) throw new VisitRefusal('INVALID_VISIT', `${REFUSAL_REASONS.INVALID_VISIT}: householdId: Thiết bị này được phân bổ cho hộ khác`);
          await tx.insert(fieldHandovers).values({
            clientHandoverId: send.clientHandoverId,
            provinceCode: ctx.sender.provinceCode,
            allocationId: recorded.allocationId,
            contentHash: hash,
            userId: ctx.sender.userId,
            deviceId: ctx.deviceId,
          });
        },
      },
    );
  } catch (error) {
    const refusal = refusalOf(error);
    const lostRace = isUniqueViolation(error) || refusal?.code === 'HANDOVER_WRONG_STATE';
    if (lostRace) {
      const now = await storedSend(ctx, send.clientHandoverId);
      if (now?.contentHash === hash) return duplicate(send);
      if (now) return keep(ctx, send, hash, new VisitRefusal('CONTENT_MISMATCH', REFUSAL_REASONS.CONTENT_MISMATCH));
    }
    if (!refusal) throw error;
    return keep(ctx, send, hash, refusal);
  }
  return { clientVisitId: send.clientHandoverId, outcome: 'stored', visitId: null, householdId: send.householdId, conflicts: 0, reasonCode: null, reason: null, refusalId: null };
}
