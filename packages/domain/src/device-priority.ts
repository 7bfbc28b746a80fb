// Who gets a sponsored device first. The rules are data (device_priority_rules, editable by the
// city); this function only applies them, so the score shown to a household and the order of the
// allocation list come from one place, with every reason that made up the score.

export const PRIORITY_CODES = ['poor', 'near_poor', 'elderly_alone', 'disability', 'pupil', 'single_parent'] as const;
export type PriorityCode = (typeof PRIORITY_CODES)[number];

/** Circumstances the registry does not hold: they come from what a request states. */
export const STATED_CIRCUMSTANCES = ['disability', 'pupil', 'single_parent'] as const;
export type StatedCircumstance = (typeof STATED_CIRCUMSTANCES)[number];

/** Age from which someone living alone counts as an elderly person living alone. */
export const ELDERLY_ALONE_AGE = 70;

export interface PriorityRuleData {
  code: PriorityCode;
  label: string;
  points: number;
  active: boolean;
}

export interface HouseholdCircumstances {
  poverty: 'poor' | 'near_poor' | 'none';
  /** Ages of the household's living members (null when the birth date is unknown). */
  livingMemberAges: readonly (number | null)[];
  /** Stated on the household's open requests. */
  stated: readonly StatedCircumstance[];
}

export interface PriorityReasonData {
  code: PriorityCode;
  label: string;
  points: number;
}

/** Which circumstances hold for a household: registry ones from its record, the rest as stated. */
export function circumstancesOf(household: HouseholdCircumstances): Set<PriorityCode> {
  const found = new Set<PriorityCode>();
  // Poor and near-poor exclude each other on the list; a household is one or the other.
  if (household.poverty === 'poor') found.add('poor');
  else if (household.poverty === 'near_poor') found.add('near_poor');
  const ages = household.livingMemberAges;
  if (ages.length === 1 && ages[0] !== null && ages[0] !== undefined && ages[0] >= ELDERLY_ALONE_AGE) found.add('elderly_alone');
  for (const stated of household.stated) if ((STATED_CIRCUMSTANCES as readonly string[]).includes(stated)) found.add(stated);
  return found;
}

/**
 * The score: the sum of the points of each active rule whose circumstance holds, with those rules
 * as the reasons (highest points first, then in the rules' order). A household with none of them
 * still needs a device; it scores 0 and comes after those with a reason.
 */
export function priorityScore(household: HouseholdCircumstances, rules: readonly PriorityRuleData[]): { score: number; reasons: PriorityReasonData[] } {
  const holds = circumstancesOf(household);
  const reasons = rules
    .filter((rule) => rule.active && rule.points > 0 && holds.has(rule.code))
    .map((rule) => ({ code: rule.code, label: rule.label, points: rule.points }))
    .sort((a, b) => b.points - a.points || PRIORITY_CODES.indexOf(a.code) - PRIORITY_CODES.indexOf(b.code));
  return { score: reasons.reduce((sum, r) => sum + r.points, 0), reasons };
}
