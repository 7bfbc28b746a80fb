import type { FieldHandoverDue, FieldHandoverSend } from '@cds/contract';
// The domain's own IMEI rule (15 digits, Luhn), from its small entry: the package's index would
// bring the synthetic-population tables onto volunteers' phones.
import { imeiProblem, normaliseImei } from '@cds/domain/imei';

// The handover form's state, its checks and the handover it sends: the same rules the server
// applies (HandoverRecord and recordHandover), checked on the phone so a mistake is fixed at the
// door, where the recipient and the device still are.

export type ConfirmBy = 'code' | 'signature';

export interface HandoverDraft {
  imei: string;
  confirmBy: ConfirmBy;
  code: string;
  /** PNG data URL of the drawn signature; null until something is drawn. */
  signature: string | null;
  /** Downscaled JPEG data URL; null when no photo was taken. */
  photo: string | null;
  photoSkippedNote: string;
  /** The recipient's answer: null until asked, so the question is never skipped by default. */
  consent: boolean | null;
}

export const emptyHandover = (): HandoverDraft => ({ imei: '', confirmBy: 'code', code: '', signature: null, photo: null, photoSkippedNote: '', consent: null });

/** The server's limits on the images (HandoverRecord), in data-URL characters. */
export const SIGNATURE_MAX_CHARS = 200_000;
export const PHOTO_MAX_CHARS = 600_000;

export type HandoverErrors = Partial<Record<'imei' | 'code' | 'signature' | 'photo' | 'photoSkippedNote' | 'consent', string>>;

/** Vietnamese messages keyed by field; empty when the handover may be saved. */
export function validateHandover(draft: HandoverDraft): HandoverErrors {
  const errors: HandoverErrors = {};
  const imei = imeiProblem(draft.imei);
  if (imei) errors.imei = imei;
  if (draft.confirmBy === 'code' && !/^\d{6}$/.test(draft.code.trim())) errors.code = 'Mã xác nhận của người nhận gồm 6 chữ số';
  if (draft.confirmBy === 'signature') {
    if (!draft.signature) errors.signature = 'Mời người nhận ký vào khung';
    else if (draft.signature.length > SIGNATURE_MAX_CHARS) errors.signature = 'Chữ ký quá lớn; hãy xoá và ký lại';
  }
  if (draft.photo && draft.photo.length > PHOTO_MAX_CHARS) errors.photo = 'Ảnh quá lớn; hãy chụp lại';
  const note = draft.photoSkippedNote.trim();
  if (!draft.photo && note.length < 3) errors.photoSkippedNote = 'Chụp ảnh bàn giao, hoặc ghi lý do không chụp (ít nhất 3 ký tự)';
  if (note.length > 300) errors.photoSkippedNote = 'Lý do tối đa 300 ký tự';
  if (draft.consent === null) errors.consent = 'Hỏi người nhận có đồng ý cho nhà tài trợ biết tên không';
  return errors;
}

/** Only digits are kept as the code is typed (people read it in groups: "123 456"). */
export const cleanCode = (text: string) => text.replace(/\D/g, '').slice(0, 6);

/** The handover as sent: only the confirmation chosen, the photo or the reason, never both. */
export function buildHandover(
  draft: HandoverDraft,
  target: { householdId: number; due: FieldHandoverDue },
  ids: { clientHandoverId: string; handedOverAt: string },
): FieldHandoverSend {
  if (draft.consent === null) throw new Error('buildHandover: consent not asked');
  const send: FieldHandoverSend = {
    kind: 'handover',
    clientHandoverId: ids.clientHandoverId,
    allocationId: target.due.allocationId,
    householdId: target.householdId,
    handedOverAt: ids.handedOverAt,
    imei: normaliseImei(draft.imei),
    consentToSponsor: draft.consent,
  };
  if (draft.confirmBy === 'code') send.confirmationCode = draft.code.trim();
  else if (draft.signature) send.signaturePng = draft.signature;
  if (draft.photo) send.photo = draft.photo;
  else send.photoSkippedNote = draft.photoSkippedNote.trim();
  return send;
}
