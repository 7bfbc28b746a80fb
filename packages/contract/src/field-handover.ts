import { z } from 'zod';
import { DeviceNetwork, HandoverRecord } from './devices.ts';

// Device handover from the field app (issue 6): what a volunteer's phone downloads about a
// handover due in one of their households, and the handover it sends back through the sync.

/** A handover scheduled in a household of the bundle (FieldHousehold.handovers): nothing about the recipient but their name, which the bundle's members already carry. */
export const FieldHandoverDue = z.object({
  allocationId: z.number(),
  sponsorName: z.string(),
  model: z.string().nullable(),
  network: DeviceNetwork,
  scheduledFor: z.string().nullable().describe('The day agreed with the household'),
  recipient: z.object({ residentId: z.number(), fullName: z.string() }),
});
export type FieldHandoverDue = z.infer<typeof FieldHandoverDue>;

/**
 * A handover recorded on the phone, sent among the sync's items (`kind: 'handover'`). The fields
 * and rules of the officials' form (HandoverRecord: IMEI, code or signature, photo or why not,
 * consent), plus the phone's id for it (resending answers duplicate), the allocation, the
 * household it was made in, and when (the day in Vietnam is the handover's day).
 */
export const FieldHandoverSend = HandoverRecord.safeExtend({
  kind: z.literal('handover'),
  clientHandoverId: z.uuid(),
  allocationId: z.number().int().positive(),
  householdId: z.number().int().positive(),
  handedOverAt: z.iso.datetime({ offset: true }),
  // The day comes from handedOverAt, as a visit's does; a second source of it would have to agree.
  handedOverOn: z.undefined({ error: 'Ngày bàn giao lấy từ handedOverAt; không gửi handedOverOn' }).optional(),
});
export type FieldHandoverSend = z.infer<typeof FieldHandoverSend>;

/** Is this sync item a handover? (Items without a kind are visits: older apps send only those.) */
export const isHandoverItem = (raw: unknown): boolean => (raw as { kind?: unknown } | null)?.kind === 'handover';
