/**
 * The facts a source can state about a resident, one per sub-requirement of the city's four
 * core elements (MISSION.md). Names are stable identifiers stored in the database, so they
 * are never renamed, only added to.
 */
export const INDICATORS = [
  'citizen_id_card',
  'vneid',
  'smartphone',
  'phone_2g_only',
  'epayment_account',
  'public_service_account',
  'social_insurance_vneid',
  'basic_skills_trained',
  'city_app_installed',
  'digital_literacy_certified',
  // Done on the spot by a door-to-door team (KH 2026: VSSID, eTax, digital signature, health record).
  'vssid_installed',
  'etax_account',
  'digital_signature',
  'health_record_updated',
] as const;

export type Indicator = (typeof INDICATORS)[number];
