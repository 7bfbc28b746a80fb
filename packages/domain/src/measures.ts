import { ELEMENTS, ELEMENT_REQUIRED, valueCounts } from './elements.ts';
import { INDICATORS, type Indicator } from './indicators.ts';

/**
 * The vocabulary that plan files use for indicators computed from the registry: a population (the
 * denominator) and a measure counted within it (the numerator). Both are fixed here, in code,
 * because each one needs a rule; a plan combines them without code changes.
 */
export const POPULATIONS = [
  'residents',
  'eligible_residents',
  'adults',
  'households',
  'poor_households',
  'phone_2g_users',
  'organisations',
] as const;
export type Population = (typeof POPULATIONS)[number];

export type SubjectKind = 'resident' | 'household' | 'organisation';

export const POPULATION_SUBJECT: Record<Population, SubjectKind> = {
  residents: 'resident',
  eligible_residents: 'resident',
  adults: 'resident',
  households: 'household',
  poor_households: 'household',
  phone_2g_users: 'resident',
  organisations: 'organisation',
};

/** Age from which a resident belongs to a population; the ID card and VNeID are compulsory from 14. */
export const POPULATION_MIN_AGE: Partial<Record<Population, number>> = { eligible_residents: 14, adults: 18 };

/** A resident measure per indicator (its value counts), per element (met), and all four together. */
export const RESIDENT_MEASURES = [
  ...INDICATORS,
  ...ELEMENTS.map((element) => `${element}_met` as const),
  'all_elements_met',
  'phone_2g_replaced',
] as const;
export type ResidentMeasure = (typeof RESIDENT_MEASURES)[number];

/** A household measure is true while at least one living member's resident measure is. */
export const HOUSEHOLD_MEASURES = ['member_smartphone', 'member_all_elements_met', 'member_epayment_account'] as const;
export type HouseholdMeasure = (typeof HOUSEHOLD_MEASURES)[number];

export const HOUSEHOLD_MEASURE_OF: Record<HouseholdMeasure, ResidentMeasure> = {
  member_smartphone: 'smartphone',
  member_all_elements_met: 'all_elements_met',
  member_epayment_account: 'epayment_account',
};

/** Organisations are asked for an organisation VNeID account and the City app. */
export const ORGANISATION_MEASURES = ['vneid', 'city_app_installed'] as const;
export type OrganisationMeasure = (typeof ORGANISATION_MEASURES)[number];

export type Measure = ResidentMeasure | HouseholdMeasure | OrganisationMeasure;

/** The measures that make sense for a population, so a plan file naming another is refused. */
export function measuresOf(population: Population): readonly string[] {
  const subject = POPULATION_SUBJECT[population];
  if (subject === 'household') return HOUSEHOLD_MEASURES;
  if (subject === 'organisation') return ORGANISATION_MEASURES;
  return RESIDENT_MEASURES;
}

/** Ledger key of a population (denominator) or of a measure within it (numerator). */
export function ledgerKey(population: Population, measure?: string): string {
  return measure ? `${population}|${measure}` : population;
}

/**
 * Resident measures true for one set of current indicator values. `phone2gUser` says whether the
 * resident ever had a 2G-only phone: "replaced" means such a person now has a smartphone or no
 * longer reports the 2G-only phone.
 */
export function residentMeasuresOf(current: Partial<Record<Indicator, string>>, phone2gUser: boolean): Set<ResidentMeasure> {
  const met = new Set<ResidentMeasure>();
  for (const indicator of INDICATORS) {
    // For phone_2g_only the measure is "has a 2G-only phone", the thing to count and replace.
    if (indicator === 'phone_2g_only') {
      if (current.phone_2g_only === 'true') met.add('phone_2g_only');
    } else if (valueCounts(indicator, current[indicator])) met.add(indicator);
  }
  let all = true;
  for (const element of ELEMENTS) {
    if (ELEMENT_REQUIRED[element].every((indicator) => valueCounts(indicator, current[indicator]))) met.add(`${element}_met`);
    else all = false;
  }
  if (all) met.add('all_elements_met');
  if (phone2gUser && (current.phone_2g_only === 'false' || current.smartphone === 'true')) met.add('phone_2g_replaced');
  return met;
}
