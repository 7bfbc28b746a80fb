import type { Indicator } from './indicators.ts';

/** The four core elements of a digital citizen (MISSION.md). */
export type Element = 'identity' | 'device' | 'accounts' | 'skills';
export const ELEMENTS: readonly Element[] = ['identity', 'device', 'accounts', 'skills'];

export type ElementState = 'met' | 'partial' | 'missing' | 'unknown' | 'not_applicable';

const YES_NO = ['true', 'false'] as const;

/** The values a source may state for each indicator. */
export const INDICATOR_VALUES: Record<Indicator, readonly string[]> = {
  citizen_id_card: YES_NO,
  vneid: ['none', 'issued', 'level1', 'level2'],
  smartphone: YES_NO,
  phone_2g_only: YES_NO,
  epayment_account: YES_NO,
  public_service_account: YES_NO,
  social_insurance_vneid: YES_NO,
  basic_skills_trained: YES_NO,
  city_app_installed: YES_NO,
  digital_literacy_certified: YES_NO,
  vssid_installed: YES_NO,
  etax_account: YES_NO,
  digital_signature: YES_NO,
  health_record_updated: YES_NO,
};

/** Which indicators make up each element. */
export const ELEMENT_INDICATORS: Record<Element, readonly Indicator[]> = {
  identity: ['citizen_id_card', 'vneid'],
  device: ['smartphone', 'phone_2g_only'],
  // The last four are shown with the element they serve but are not required for it (ELEMENT_REQUIRED).
  accounts: ['epayment_account', 'public_service_account', 'social_insurance_vneid', 'vssid_installed', 'etax_account', 'digital_signature', 'health_record_updated'],
  skills: ['basic_skills_trained', 'city_app_installed', 'digital_literacy_certified'],
};

/** Whether a stated value counts towards the element. A 2G-only phone never does; VNeID counts once activated. */
export function valueCounts(indicator: Indicator, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (indicator === 'vneid') return value === 'level1' || value === 'level2';
  if (indicator === 'phone_2g_only') return value === 'false';
  return value === 'true';
}

/** The indicators an element needs for 'met'. phone_2g_only only informs (it flags a device to replace). */
export const ELEMENT_REQUIRED: Record<Element, readonly Indicator[]> = {
  identity: ['citizen_id_card', 'vneid'],
  device: ['smartphone'],
  accounts: ['epayment_account', 'public_service_account', 'social_insurance_vneid'],
  skills: ['basic_skills_trained', 'city_app_installed', 'digital_literacy_certified'],
};

export function isIndicator(name: string): name is Indicator {
  return Object.hasOwn(INDICATOR_VALUES, name);
}

/** null when the value is allowed, else a Vietnamese reason. */
export function checkIndicatorValue(indicator: string, value: string): string | null {
  if (!isIndicator(indicator)) return `Chỉ số "${indicator}" không tồn tại`;
  const allowed = INDICATOR_VALUES[indicator];
  return allowed.includes(value) ? null : `Giá trị "${value}" không hợp lệ cho ${indicator}; chỉ nhận: ${allowed.join(', ')}`;
}

/**
 * Ages at which an element starts to apply. The ID card and VNeID are compulsory from 14
 * (Law on Identification 2023); the plan's account targets are for adults 18+.
 */
export const ELEMENT_MIN_AGE: Record<Element, number> = { identity: 14, device: 14, accounts: 18, skills: 14 };

export function elementState(
  element: Element,
  current: Partial<Record<Indicator, string>>,
  age: number,
): ElementState {
  if (age < ELEMENT_MIN_AGE[element]) return 'not_applicable';
  const required = ELEMENT_REQUIRED[element];
  let known = 0;
  let positive = 0;
  for (const indicator of required) {
    const value = current[indicator];
    if (value === undefined) continue;
    known++;
    if (valueCounts(indicator, value)) positive++;
  }
  if (positive === required.length) return 'met';
  if (positive > 0) return 'partial';
  return known > 0 ? 'missing' : 'unknown';
}

/**
 * Age in whole years on `today` ('YYYY-MM-DD'). With only a birth year the person is taken to
 * reach the age during that year, as the plan's "adults 18+" counts people by year of birth.
 */
export function ageOn(today: string, birthDate: string | null, birthYear: number): number {
  const year = Number(today.slice(0, 4));
  if (!birthDate) return year - birthYear;
  const hadBirthday = today.slice(5) >= birthDate.slice(5);
  return year - Number(birthDate.slice(0, 4)) - (hadBirthday ? 0 : 1);
}

export type ResidentStatus = 'living' | 'moved_away' | 'deceased';

/** Eligible for the plan's adult targets: 18 or older and still living in the unit. Computed, never typed. */
export function isEligibleAdult(person: { birthDate: string | null; birthYear: number; status: ResidentStatus }, today: string): boolean {
  return person.status === 'living' && ageOn(today, person.birthDate, person.birthYear) >= 18;
}
