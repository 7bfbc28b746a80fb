import type { MessageKey } from '../../shared/i18n/dictionary-vi';

/** What a form found wrong, per field: a dictionary key (and its parameters), shown under the field. */
export type FieldProblems<F extends string> = Partial<Record<F, { key: MessageKey; params?: Record<string, string> }>>;

export function validateTeam(unitCode: string, name: string): FieldProblems<'unit' | 'name'> {
  const errors: FieldProblems<'unit' | 'name'> = {};
  if (!/^\d{5}$/.test(unitCode)) errors.unit = { key: 'teamForm.unitRequired' };
  const trimmed = name.trim();
  if (trimmed.length < 2) errors.name = { key: 'teamForm.nameShort' };
  else if (trimmed.length > 120) errors.name = { key: 'teamForm.nameLong' };
  return errors;
}

/** A quota: a phase must be chosen, the target a whole number, an own deadline no later than the phase's. */
export function validateQuota(phaseDeadline: string | undefined, target: string, deadline: string, deadlineUnreadable = false): FieldProblems<'phase' | 'target' | 'deadline'> {
  const errors: FieldProblems<'phase' | 'target' | 'deadline'> = {};
  if (!phaseDeadline) errors.phase = { key: 'quotas.phaseRequired' };
  if (!/^\d+$/.test(target.trim()) || Number(target) > 100000) errors.target = { key: 'quotas.targetInvalid' };
  if (deadlineUnreadable) errors.deadline = { key: 'quotas.deadlineInvalid' };
  else if (deadline && phaseDeadline && deadline > phaseDeadline) errors.deadline = { key: 'quotas.deadlineAfterPhase', params: { date: phaseDeadline } };
  return errors;
}

/** How many people may use an invite: a whole number from 1 to 200, as typed. */
export function validInviteUses(text: string): boolean {
  if (!/^\d+$/.test(text.trim())) return false;
  const n = Number(text);
  return n >= 1 && n <= 200;
}

/** The invite's address as the phone opening it needs it: absolute, on this server. */
export function absoluteInviteUrl(url: string, origin: string): string {
  try {
    return new URL(url, origin).href;
  } catch {
    return url;
  }
}
