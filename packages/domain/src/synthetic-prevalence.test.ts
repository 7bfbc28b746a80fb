import { describe, expect, it } from 'vitest';
import { INDICATORS } from './indicators.ts';
import {
  CALIBRATION_ADULT_AGE_MIX,
  FACT_REPORTING,
  INDICATOR_PREVALENCE,
  PREVALENCE_AGE_BANDS,
  POOR_HOUSEHOLD_SMARTPHONE_FACTOR,
  generationShares,
  prevalenceBandIndex,
  type PrevalenceAgeBand,
  type PrevalenceKey,
} from './synthetic-prevalence.ts';

const rows = Object.entries(INDICATOR_PREVALENCE) as [PrevalenceKey, (typeof INDICATOR_PREVALENCE)[PrevalenceKey]][];

describe('INDICATOR_PREVALENCE', () => {
  it('has shares between 0 and 1 and names a basis for each figure', () => {
    for (const [, row] of rows) {
      for (const band of PREVALENCE_AGE_BANDS) expect(row.byAge[band]).toBeGreaterThanOrEqual(0);
      for (const band of PREVALENCE_AGE_BANDS) expect(row.byAge[band]).toBeLessThanOrEqual(1);
      expect(row.basis.length).toBeGreaterThan(5);
    }
  });

  it('has adult bands that average to the headline figure', () => {
    for (const [key, row] of rows) {
      const average = Object.entries(CALIBRATION_ADULT_AGE_MIX).reduce(
        (sum, [band, weight]) => sum + weight * row.byAge[band as PrevalenceAgeBand],
        0,
      );
      expect(Math.abs(average - row.adults), key).toBeLessThan(0.015);
    }
  });

  it('falls with age for the skills that the elderly lack most', () => {
    for (const key of ['smartphone', 'epayment_account', 'city_app_installed'] as const) {
      const byAge = INDICATOR_PREVALENCE[key].byAge;
      expect(byAge['18-39']).toBeGreaterThan(byAge['60-74']);
      expect(byAge['60-74']).toBeGreaterThan(byAge['75+']);
    }
    expect(INDICATOR_PREVALENCE.phone_2g_only.byAge['75+']).toBeGreaterThan(INDICATOR_PREVALENCE.phone_2g_only.byAge['18-39']);
  });

  it('keeps each dependent fact within the fact it depends on, in every band', () => {
    const p = INDICATOR_PREVALENCE;
    for (const band of PREVALENCE_AGE_BANDS) {
      expect(p.city_app_installed.byAge[band]).toBeLessThanOrEqual(p.smartphone.byAge[band]);
      expect(p.social_insurance_vneid.byAge[band]).toBeLessThanOrEqual(p.vneid_level2.byAge[band]);
      expect(p.digital_literacy_certified.byAge[band]).toBeLessThanOrEqual(p.basic_skills_trained.byAge[band]);
      expect(p.smartphone.byAge[band] + p.phone_2g_only.byAge[band]).toBeLessThanOrEqual(1);
      expect(p.phone_2g_only.byAge[band]).toBeLessThanOrEqual(p.mobile_number.byAge[band]);
      expect(p.vneid_level2.byAge[band] + p.vneid_level1.byAge[band] + p.vneid_issued.byAge[band]).toBeLessThanOrEqual(1);
    }
  });
});

describe('generationShares', () => {
  const poorShare = 0.07;
  const shares = generationShares(poorShare);

  it('reproduces the smartphone share of the table once poor and other households are combined', () => {
    PREVALENCE_AGE_BANDS.forEach((band, i) => {
      const notTwoG = 1 - shares.only2g[i]!;
      const overall = notTwoG * ((1 - poorShare) * shares.smartphoneUnless2g[i]! + poorShare * shares.smartphoneUnless2gPoor[i]!);
      expect(overall).toBeCloseTo(INDICATOR_PREVALENCE.smartphone.byAge[band], 6);
      if (shares.smartphoneUnless2g[i]! > 0) {
        expect(shares.smartphoneUnless2gPoor[i]! / shares.smartphoneUnless2g[i]!).toBeCloseTo(POOR_HOUSEHOLD_SMARTPHONE_FACTOR, 6);
      }
    });
  });

  it('gives every 2G-only user a phone and keeps the phone share', () => {
    PREVALENCE_AGE_BANDS.forEach((band, i) => {
      const phone = shares.only2g[i]! + (1 - shares.only2g[i]!) * shares.phoneUnless2g[i]!;
      expect(phone).toBeCloseTo(INDICATOR_PREVALENCE.mobile_number.byAge[band], 6);
    });
  });

  it('splits VNeID into levels by the table', () => {
    const adult = prevalenceBandIndex(30);
    expect(shares.vneid(adult, 0)).toBe('level2');
    expect(shares.vneid(adult, INDICATOR_PREVALENCE.vneid_level2.byAge['18-39'] + 0.001)).toBe('level1');
    expect(shares.vneid(adult, 0.9999)).toBe('none');
    expect(shares.vneid(prevalenceBandIndex(5), 0)).toBe('none');
  });
});

describe('prevalenceBandIndex', () => {
  it('puts each age in its band', () => {
    expect([0, 13, 14, 17, 18, 39, 40, 59, 60, 74, 75, 99].map(prevalenceBandIndex)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });
});

describe('FACT_REPORTING', () => {
  it('covers every indicator with chances between 0 and 1', () => {
    expect(Object.keys(FACT_REPORTING).sort()).toEqual([...INDICATORS].sort());
    for (const { ifTrue, ifFalse } of Object.values(FACT_REPORTING)) {
      for (const chance of [ifTrue, ifFalse]) expect(chance >= 0 && chance <= 1).toBe(true);
    }
  });

  it('never has carriers report that someone is not a 2G-only user', () => {
    expect(FACT_REPORTING.phone_2g_only.ifFalse).toBe(0);
  });
});
