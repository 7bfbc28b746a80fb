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
    expect(INDICATORS).toHaveLength(10);
  });
});
