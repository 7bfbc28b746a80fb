import { describe, expect, it } from 'vitest';
import { INDICATORS } from './indicators.ts';

describe('INDICATORS', () => {
  it('lists each indicator once, as a snake_case identifier safe to store', () => {
    expect(new Set(INDICATORS).size).toBe(INDICATORS.length);
    for (const name of INDICATORS) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('covers the sub-requirements of all four core elements', () => {
    expect(INDICATORS).toEqual(
      expect.arrayContaining(['citizen_id_card', 'vneid', 'smartphone', 'epayment_account', 'basic_skills_trained']),
    );
    expect(INDICATORS).toHaveLength(14);
  });

  it('only adds names: the first ten, stored in every existing database, stay where they were', () => {
    expect(INDICATORS.slice(0, 10)).toEqual([
      'citizen_id_card', 'vneid', 'smartphone', 'phone_2g_only', 'epayment_account', 'public_service_account',
      'social_insurance_vneid', 'basic_skills_trained', 'city_app_installed', 'digital_literacy_certified',
    ]);
  });
});
