/**
 * How common each digital-citizen fact is in the synthetic population, by age, and how often
 * a source would have reported it. The figures steer demo data only; where a published figure
 * exists it is named, everything else is an assumption chosen to look plausible for Ho Chi
 * Minh City in the second half of 2025.
 */
import type { Indicator } from './indicators.ts';

export type PrevalenceAgeBand = 'under14' | '14-17' | '18-39' | '40-59' | '60-74' | '75+';
export const PREVALENCE_AGE_BANDS: readonly PrevalenceAgeBand[] = ['under14', '14-17', '18-39', '40-59', '60-74', '75+'];

/** The band index (position in PREVALENCE_AGE_BANDS) for an age in whole years. */
export function prevalenceBandIndex(age: number): number {
  if (age < 14) return 0;
  if (age < 18) return 1;
  if (age < 40) return 2;
  if (age < 60) return 3;
  if (age < 75) return 4;
  return 5;
}

export interface Prevalence {
  /** Share of people in each age band for whom the fact is true. */
  readonly byAge: Readonly<Record<PrevalenceAgeBand, number>>;
  /** The headline share among adults (18+) that the adult bands are calibrated to. */
  readonly adults: number;
  /** Where the headline figure comes from, or "assumed". */
  readonly basis: string;
}

export type PrevalenceKey =
  | 'citizen_id'
  | 'mobile_number'
  | 'phone_2g_only'
  | 'smartphone'
  | 'vneid_level2'
  | 'vneid_level1'
  | 'vneid_issued'
  | 'epayment_account'
  | 'public_service_account'
  | 'social_insurance_vneid'
  | 'basic_skills_trained'
  | 'city_app_installed'
  | 'digital_literacy_certified';

/** The adult age mix the adult bands are calibrated against (what the generator produces). */
export const CALIBRATION_ADULT_AGE_MIX: Readonly<Record<Exclude<PrevalenceAgeBand, 'under14' | '14-17'>, number>> = {
  '18-39': 0.45,
  '40-59': 0.36,
  '60-74': 0.14,
  '75+': 0.05,
};

/**
 * Prevalence by age band. The adult bands are calibrated to the headline with
 * CALIBRATION_ADULT_AGE_MIX.
 * Dependent facts are generated conditionally, so each row must stay within its parent in every
 * band: city app ≤ smartphone, social insurance in VNeID ≤ VNeID level 2, certification ≤
 * training, 2G-only + smartphone ≤ 1.
 */
export const INDICATOR_PREVALENCE: Readonly<Record<PrevalenceKey, Prevalence>> = {
  citizen_id: {
    byAge: { under14: 0.6, '14-17': 1, '18-39': 1, '40-59': 1, '60-74': 1, '75+': 1 },
    adults: 1,
    basis: 'Law on Identification 2023: compulsory from 14; issued on request to younger children since 1 July 2024 (under-14 share assumed)',
  },
  mobile_number: {
    byAge: { under14: 0, '14-17': 0.4, '18-39': 0.97, '40-59': 0.95, '60-74': 0.82, '75+': 0.55 },
    adults: 0.92,
    basis: 'assumed; in line with mobile subscriptions exceeding the population nationally',
  },
  phone_2g_only: {
    byAge: { under14: 0, '14-17': 0, '18-39': 0.01, '40-59': 0.035, '60-74': 0.1, '75+': 0.2 },
    adults: 0.04,
    basis: 'assumed; the ministry counted a few million 2G-only subscriptions before the 2G shutdown began in 2024',
  },
  smartphone: {
    byAge: { under14: 0, '14-17': 0.8, '18-39': 0.95, '40-59': 0.88, '60-74': 0.62, '75+': 0.3 },
    adults: 0.85,
    basis: 'the national 2022 plan target of 85% (MISSION.md), near the smartphone share the Ministry of Information and Communications reported for 2023–2024',
  },
  vneid_level2: {
    byAge: { under14: 0, '14-17': 0.7, '18-39': 0.9, '40-59': 0.88, '60-74': 0.76, '75+': 0.52 },
    adults: 0.85,
    basis: 'assumed; Ministry of Public Security reports level-2 accounts for most adults by 2025',
  },
  vneid_level1: {
    byAge: { under14: 0, '14-17': 0.05, '18-39': 0.03, '40-59': 0.03, '60-74': 0.04, '75+': 0.04 },
    adults: 0.03,
    basis: 'assumed',
  },
  vneid_issued: {
    byAge: { under14: 0, '14-17': 0.04, '18-39': 0.02, '40-59': 0.03, '60-74': 0.06, '75+': 0.1 },
    adults: 0.03,
    basis: 'assumed: accounts issued but never activated',
  },
  epayment_account: {
    byAge: { under14: 0, '14-17': 0.35, '18-39': 0.96, '40-59': 0.89, '60-74': 0.7, '75+': 0.4 },
    adults: 0.87,
    basis: 'State Bank of Vietnam: about 87% of adults hold a bank account (2024, national)',
  },
  public_service_account: {
    byAge: { under14: 0, '14-17': 0.1, '18-39': 0.69, '40-59': 0.63, '60-74': 0.4, '75+': 0.15 },
    adults: 0.6,
    basis: 'assumed',
  },
  social_insurance_vneid: {
    byAge: { under14: 0, '14-17': 0.3, '18-39': 0.63, '40-59': 0.58, '60-74': 0.38, '75+': 0.18 },
    adults: 0.55,
    basis: 'assumed',
  },
  basic_skills_trained: {
    byAge: { under14: 0, '14-17': 0.65, '18-39': 0.49, '40-59': 0.47, '60-74': 0.35, '75+': 0.2 },
    adults: 0.45,
    basis: 'assumed; pupils are trained at school, hence the higher share at 14–17',
  },
  city_app_installed: {
    byAge: { under14: 0, '14-17': 0.3, '18-39': 0.47, '40-59': 0.41, '60-74': 0.25, '75+': 0.08 },
    adults: 0.4,
    basis: 'assumed',
  },
  digital_literacy_certified: {
    byAge: { under14: 0, '14-17': 0.3, '18-39': 0.24, '40-59': 0.2, '60-74': 0.12, '75+': 0.05 },
    adults: 0.2,
    basis: 'assumed',
  },
};

/**
 * Poor and near-poor households own fewer smartphones, which is why the city's device support
 * targets them. Their smartphone share is this fraction of everyone else's, and everyone else's
 * is raised a little so the overall figure still matches the table (assumed factor).
 */
export const POOR_HOUSEHOLD_SMARTPHONE_FACTOR = 0.7;

/**
 * How often a source states an indicator, when the truth is true and when it is false. Registries
 * list holders (a bank knows its customers, not the rest), so negatives come only from the
 * door-to-door survey, which has reached part of the city. Shares are assumed.
 */
export const FACT_REPORTING: Readonly<Record<Indicator, { readonly ifTrue: number; readonly ifFalse: number; readonly source: string }>> = {
  citizen_id_card: { ifTrue: 1, ifFalse: 1, source: 'national population database (police)' },
  vneid: { ifTrue: 1, ifFalse: 1, source: 'VNeID (police), which also knows who has no account' },
  smartphone: { ifTrue: 0.7, ifFalse: 0.7, source: 'door-to-door survey' },
  phone_2g_only: { ifTrue: 0.95, ifFalse: 0, source: "carriers' lists of 2G-only subscribers" },
  epayment_account: { ifTrue: 0.85, ifFalse: 0.4, source: 'banks and e-wallets; survey for negatives' },
  public_service_account: { ifTrue: 0.9, ifFalse: 0.5, source: 'National Public Service Portal matched by ID' },
  social_insurance_vneid: { ifTrue: 0.9, ifFalse: 0.5, source: 'Vietnam Social Security matched by ID' },
  basic_skills_trained: { ifTrue: 0.95, ifFalse: 0.2, source: 'training records; survey for negatives' },
  city_app_installed: { ifTrue: 0.95, ifFalse: 0.3, source: 'City app registrations; survey for negatives' },
  digital_literacy_certified: { ifTrue: 1, ifFalse: 0.1, source: 'certificates issued; survey for negatives' },
  // Stated only by door-to-door visits: the synthetic population starts with none of them.
  vssid_installed: { ifTrue: 0, ifFalse: 0, source: 'door-to-door visits only' },
  etax_account: { ifTrue: 0, ifFalse: 0, source: 'door-to-door visits only' },
  digital_signature: { ifTrue: 0, ifFalse: 0, source: 'door-to-door visits only' },
  health_record_updated: { ifTrue: 0, ifFalse: 0, source: 'door-to-door visits only' },
};

export type VneidLevel = 'none' | 'issued' | 'level1' | 'level2';

/**
 * The prevalence table turned into the chances the generator actually draws, one entry per age
 * band (index from prevalenceBandIndex). Dependent facts are drawn conditionally so that each
 * marginal share still matches INDICATOR_PREVALENCE:
 *   P(phone | not 2G-only) = (phone − 2G) / (1 − 2G), since every 2G-only user has a phone;
 *   P(smartphone | not 2G-only) = smartphone / (1 − 2G), split between poor and other households;
 *   P(app | smartphone) = app / smartphone, and likewise for the other dependent facts.
 */
export interface GenerationShares {
  readonly citizenIdUnder14: number;
  readonly only2g: Float64Array;
  readonly phoneUnless2g: Float64Array;
  readonly smartphoneUnless2g: Float64Array;
  readonly smartphoneUnless2gPoor: Float64Array;
  readonly epayment: Float64Array;
  readonly publicService: Float64Array;
  readonly socialInsuranceIfLevel2: Float64Array;
  readonly basicSkills: Float64Array;
  readonly cityAppIfSmartphone: Float64Array;
  readonly literacyIfTrained: Float64Array;
  /** The VNeID level for a uniform draw u in [0, 1). */
  vneid(band: number, u: number): VneidLevel;
}

export function generationShares(poorHouseholdShare: number): GenerationShares {
  const p = INDICATOR_PREVALENCE;
  const table = (f: (band: PrevalenceAgeBand) => number): Float64Array =>
    Float64Array.from(PREVALENCE_AGE_BANDS, (band) => Math.min(1, Math.max(0, f(band))));
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
  // Raise everyone else's share so that the population share is unchanged by the poor factor.
  const nonPoorScale = 1 / (1 - poorHouseholdShare * (1 - POOR_HOUSEHOLD_SMARTPHONE_FACTOR));
  const level2 = table((b) => p.vneid_level2.byAge[b]);
  const level1 = table((b) => p.vneid_level2.byAge[b] + p.vneid_level1.byAge[b]);
  const issued = table((b) => p.vneid_level2.byAge[b] + p.vneid_level1.byAge[b] + p.vneid_issued.byAge[b]);
  return {
    citizenIdUnder14: p.citizen_id.byAge.under14,
    only2g: table((b) => p.phone_2g_only.byAge[b]),
    phoneUnless2g: table((b) => ratio(p.mobile_number.byAge[b] - p.phone_2g_only.byAge[b], 1 - p.phone_2g_only.byAge[b])),
    smartphoneUnless2g: table((b) => ratio(p.smartphone.byAge[b] * nonPoorScale, 1 - p.phone_2g_only.byAge[b])),
    smartphoneUnless2gPoor: table((b) =>
      ratio(p.smartphone.byAge[b] * nonPoorScale * POOR_HOUSEHOLD_SMARTPHONE_FACTOR, 1 - p.phone_2g_only.byAge[b]),
    ),
    epayment: table((b) => p.epayment_account.byAge[b]),
    publicService: table((b) => p.public_service_account.byAge[b]),
    socialInsuranceIfLevel2: table((b) => ratio(p.social_insurance_vneid.byAge[b], p.vneid_level2.byAge[b])),
    basicSkills: table((b) => p.basic_skills_trained.byAge[b]),
    cityAppIfSmartphone: table((b) => ratio(p.city_app_installed.byAge[b], p.smartphone.byAge[b])),
    literacyIfTrained: table((b) => ratio(p.digital_literacy_certified.byAge[b], p.basic_skills_trained.byAge[b])),
    vneid(band, u) {
      if (u < level2[band]!) return 'level2';
      if (u < level1[band]!) return 'level1';
      if (u < issued[band]!) return 'issued';
      return 'none';
    },
  };
}
