import { describe, expect, it } from 'vitest';
import { householdFiltersFromParams, householdFiltersToParams } from './household-filters';

describe('household filters in the address bar', () => {
  it('keeps a search, trimmed, through the address bar and back', () => {
    const filters = householdFiltersFromParams(new URLSearchParams('unit=26740&nb=3&poverty=poor&q=%20%2017%20hoa%20hung%20'));
    expect(filters).toEqual({ unit: '26740', neighbourhood: 3, poverty: 'poor', q: '17 hoa hung' });
    expect(householdFiltersToParams(filters, true).toString()).toBe('unit=26740&nb=3&poverty=poor&q=17+hoa+hung');
  });

  it('drops a search too short to send and cuts one longer than the server takes', () => {
    expect(householdFiltersFromParams(new URLSearchParams('q=a')).q).toBeUndefined();
    expect(householdFiltersFromParams(new URLSearchParams(`q=${'x'.repeat(150)}`)).q).toHaveLength(100);
  });

  it('ignores values the server would reject', () => {
    expect(householdFiltersFromParams(new URLSearchParams('unit=HCM&nb=-2&poverty=rich'))).toEqual({
      unit: undefined,
      neighbourhood: undefined,
      poverty: undefined,
      q: undefined,
    });
  });
});
