import { foldVietnamese, ELEMENT_INDICATORS, ELEMENT_REQUIRED, INDICATOR_VALUES } from '@cds/domain';
import { describe, expect, it } from 'vitest';
import { sampleHousehold, sampleRow } from './field-fixtures';
import { fold } from './fold';
import { filterHouseholds, householdCounts, localVisitsByHousehold } from './household-list';
import { FIELD_ELEMENTS, FIELD_INDICATOR_VALUES } from './indicators';

const households = [
  sampleHousehold(1, { address: '12 Đường Lê Lợi' }),
  sampleHousehold(2, { address: '5 Hẻm Đồng Khởi', lastVisit: { at: '2026-11-30T10:00:00+07:00', outcome: 'done' } }),
  sampleHousehold(3, { address: '8 Nguyễn Huệ', needsReturn: true, lastVisit: { at: '2026-11-30T10:00:00+07:00', outcome: 'nobody_home' } }),
  sampleHousehold(4, { address: '9 Pasteur' }),
];

describe('my households', () => {
  it('counts a visit saved on this phone, not yet sent, as visited', () => {
    const local = localVisitsByHousehold([sampleRow({ householdId: 4 })]);
    expect(filterHouseholds(households, local, 'not_visited', '').map((h) => h.id)).toEqual([1]);
    expect(householdCounts(households, local)).toEqual({ all: 4, not_visited: 1, needs_return: 1 });
  });

  it('needs a return after a local nobody-home visit, and no longer after a later done visit', () => {
    const nobody = sampleRow({ householdId: 1, createdAt: '2026-12-02T01:00:00.000Z' });
    nobody.visit = { ...nobody.visit, outcome: 'nobody_home' };
    expect(filterHouseholds(households, localVisitsByHousehold([nobody]), 'needs_return', '').map((h) => h.id)).toEqual([1, 3]);
    const done = sampleRow({ householdId: 3, createdAt: '2026-12-02T02:00:00.000Z' });
    expect(filterHouseholds(households, localVisitsByHousehold([nobody, done]), 'needs_return', '').map((h) => h.id)).toEqual([1]);
  });

  it('finds households by address or member name without diacritics', () => {
    const none = localVisitsByHousehold([]);
    expect(filterHouseholds(households, none, 'all', 'dong khoi').map((h) => h.id)).toEqual([2]);
    expect(filterHouseholds(households, none, 'all', 'ĐÀO').map((h) => h.id)).toEqual([1, 2, 3, 4]);
    expect(filterHouseholds(households, none, 'all', 'le loi').map((h) => h.id)).toEqual([1]);
  });
});

describe('field app copies of the domain tables', () => {
  it('folds text as foldVietnamese does', () => {
    for (const text of ['ĐẶNG  Thị   Hoà', 'Nguyễn Văn Hùng', 'Hẻm 42/7 Đồng Khởi', 'Ksor H’Bơ', 'Phường Sài Gòn']) expect(fold(text)).toBe(foldVietnamese(text));
  });

  it('has the indicators, values and elements of @cds/domain', () => {
    expect(FIELD_INDICATOR_VALUES).toEqual(INDICATOR_VALUES);
    for (const element of FIELD_ELEMENTS) {
      expect(element.indicators).toEqual(ELEMENT_INDICATORS[element.key]);
      expect(element.required).toEqual(ELEMENT_REQUIRED[element.key]);
    }
  });
});
