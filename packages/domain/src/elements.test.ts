import { describe, expect, it } from 'vitest';
import { ageOn, checkIndicatorValue, elementState, isEligibleAdult } from './elements.ts';

describe('elementState', () => {
  it('counts identity as met only with the card and an activated VNeID account', () => {
    expect(elementState('identity', { citizen_id_card: 'true', vneid: 'level2' }, 30)).toBe('met');
    expect(elementState('identity', { citizen_id_card: 'true', vneid: 'issued' }, 30)).toBe('partial');
    expect(elementState('identity', { citizen_id_card: 'false', vneid: 'none' }, 30)).toBe('missing');
    expect(elementState('identity', {}, 30)).toBe('unknown');
  });

  it('does not count a 2G-only phone as a digital device', () => {
    expect(elementState('device', { smartphone: 'false', phone_2g_only: 'true' }, 70)).toBe('missing');
    expect(elementState('device', { smartphone: 'true', phone_2g_only: 'false' }, 70)).toBe('met');
  });

  it('applies the account targets to adults only', () => {
    expect(elementState('accounts', { epayment_account: 'true' }, 17)).toBe('not_applicable');
    expect(elementState('accounts', { epayment_account: 'true' }, 18)).toBe('partial');
  });

  it('treats children under 14 as outside every element', () => {
    expect(elementState('identity', { citizen_id_card: 'true' }, 10)).toBe('not_applicable');
  });
});

describe('checkIndicatorValue', () => {
  it('rejects an unknown indicator and a value outside the list, in Vietnamese', () => {
    expect(checkIndicatorValue('vneid', 'level3')).toMatch(/không hợp lệ/);
    expect(checkIndicatorValue('favourite_colour', 'true')).toMatch(/không tồn tại/);
    expect(checkIndicatorValue('vneid', 'level1')).toBeNull();
  });
});

describe('ageOn and isEligibleAdult', () => {
  it('turns 18 on the birthday, not the day before', () => {
    expect(ageOn('2026-11-23', '2008-11-24', 2008)).toBe(17);
    expect(ageOn('2026-11-24', '2008-11-24', 2008)).toBe(18);
  });

  it('counts a year-only birth as reaching the age during that year', () => {
    expect(ageOn('2026-01-01', null, 2008)).toBe(18);
  });

  it('excludes adults who moved away or died', () => {
    expect(isEligibleAdult({ birthDate: '1980-01-01', birthYear: 1980, status: 'living' }, '2026-11-24')).toBe(true);
    expect(isEligibleAdult({ birthDate: '1980-01-01', birthYear: 1980, status: 'moved_away' }, '2026-11-24')).toBe(false);
    expect(isEligibleAdult({ birthDate: '2010-01-01', birthYear: 2010, status: 'living' }, '2026-11-24')).toBe(false);
  });
});
