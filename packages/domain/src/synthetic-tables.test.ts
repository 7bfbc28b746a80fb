import { describe, expect, it } from 'vitest';
import { isCitizenIdProvinceCode } from './citizen-id.ts';
import { MOBILE_PREFIXES, type Carrier } from './phone.ts';
import {
  CARRIER_SHARES,
  GIVEN_NAMES_FEMALE,
  GIVEN_NAMES_MALE,
  HOUSEHOLD_SHAPE,
  MIDDLE_NAMES_FEMALE_OLDER,
  MIDDLE_NAMES_FEMALE_YOUNGER,
  MIDDLE_NAMES_MALE_OLDER,
  MIDDLE_NAMES_MALE_YOUNGER,
  OTHER_BIRTH_PROVINCES,
  SECOND_MIDDLE_NAMES_FEMALE,
  STREET_NAMES,
  SURNAMES,
  type Weighted,
} from './synthetic-tables.ts';
import { normalisePersonName } from './vietnamese-text.ts';

const share = <T>(table: Weighted<T>, value: T): number =>
  (table.find(([v]) => v === value)?.[1] ?? 0) / table.reduce((sum, [, w]) => sum + w, 0);

describe('name tables', () => {
  const allNames = [
    ...SURNAMES.map(([n]) => n),
    ...[MIDDLE_NAMES_MALE_OLDER, MIDDLE_NAMES_MALE_YOUNGER, MIDDLE_NAMES_FEMALE_OLDER, MIDDLE_NAMES_FEMALE_YOUNGER].flatMap((t) =>
      t.map(([n]) => n),
    ),
    ...GIVEN_NAMES_MALE,
    ...GIVEN_NAMES_FEMALE,
    ...SECOND_MIDDLE_NAMES_FEMALE,
  ];

  it('holds only names already in normalised form (NFC, title case, one word)', () => {
    for (const name of allNames) {
      expect(normalisePersonName(name)).toBe(name);
      expect(name).not.toContain(' ');
    }
  });

  it('lists each name once per table', () => {
    for (const list of [SURNAMES.map(([n]) => n), GIVEN_NAMES_MALE, GIVEN_NAMES_FEMALE, STREET_NAMES]) {
      expect(new Set(list).size).toBe(list.length);
    }
  });

  it('gives the common surnames their published weight', () => {
    expect(share(SURNAMES, 'Nguyễn')).toBeCloseTo(0.38, 1);
    expect(share(SURNAMES, 'Trần')).toBeGreaterThan(share(SURNAMES, 'Lê'));
    expect(share(SURNAMES, 'Huỳnh')).toBeGreaterThan(share(SURNAMES, 'Hoàng'));
  });

  it('makes Thị far less common among younger women', () => {
    expect(share(MIDDLE_NAMES_FEMALE_OLDER, 'Thị')).toBeGreaterThan(2 * share(MIDDLE_NAMES_FEMALE_YOUNGER, 'Thị'));
  });
});

describe('places and carriers', () => {
  it('uses only province codes that exist on ID cards', () => {
    for (const [code] of OTHER_BIRTH_PROVINCES) expect(isCitizenIdProvinceCode(code)).toBe(true);
    expect(new Set(OTHER_BIRTH_PROVINCES.map(([c]) => c)).size).toBe(OTHER_BIRTH_PROVINCES.length);
  });

  it('weights every carrier, Viettel the most', () => {
    expect(CARRIER_SHARES.map(([c]) => c).sort()).toEqual((Object.keys(MOBILE_PREFIXES) as Carrier[]).sort());
    expect(share(CARRIER_SHARES, 'viettel')).toBeCloseTo(0.55, 2);
  });
});

describe('HOUSEHOLD_SHAPE', () => {
  it('keeps its age bands in ascending order so the first match is the right one', () => {
    const bounds = [HOUSEHOLD_SHAPE.livingAloneByHeadAge, HOUSEHOLD_SHAPE.childrenByMotherAge].map((bands) => bands.map(([upTo]) => upTo));
    for (const list of bounds) expect([...list].sort((a, b) => a - b)).toEqual(list);
  });

  it('only holds shares between 0 and 1', () => {
    const { femaleHeadShare, spouseShare, grandchildShare, parentShare, temporaryShare, bornHereAdult, bornHereMinor } = HOUSEHOLD_SHAPE;
    for (const value of [femaleHeadShare, spouseShare, grandchildShare, parentShare, temporaryShare, ...Object.values(bornHereAdult), ...Object.values(bornHereMinor)]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
  });
});
