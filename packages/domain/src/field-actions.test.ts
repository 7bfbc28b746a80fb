import { describe, expect, it } from 'vitest';
import { checkIndicatorValue } from './elements.ts';
import { FIELD_ACTIONS, FIELD_ACTION_FACTS, canonicalJson, compareAppVersions, isAppVersionAtLeast, visitDate, visitValues } from './field-actions.ts';

describe('FIELD_ACTION_FACTS', () => {
  it('maps every action to an allowed value of an indicator', () => {
    for (const action of FIELD_ACTIONS) {
      const { indicator, value } = FIELD_ACTION_FACTS[action];
      expect(checkIndicatorValue(indicator, value)).toBeNull();
    }
  });

  it('maps the actions the plan names to their indicators', () => {
    expect(FIELD_ACTION_FACTS.etax_set_up).toEqual({ indicator: 'etax_account', value: 'true' });
    expect(FIELD_ACTION_FACTS.social_insurance_added).toEqual({ indicator: 'social_insurance_vneid', value: 'true' });
    expect(FIELD_ACTION_FACTS.trained).toEqual({ indicator: 'basic_skills_trained', value: 'true' });
    expect(FIELD_ACTION_FACTS.vneid_level2).toEqual({ indicator: 'vneid', value: 'level2' });
  });
});

describe('visitValues', () => {
  it('lets what was done override what was observed before it was done', () => {
    const values = visitValues({ vneid: 'none', smartphone: 'true' }, ['vneid_activated', 'city_app_installed']);
    expect(Object.fromEntries(values)).toEqual({ vneid: 'level1', smartphone: 'true', city_app_installed: 'true' });
  });

  it('does not lower a level-2 account known to the registry when VNeID is "activated"', () => {
    expect(visitValues({}, ['vneid_activated'], { vneid: 'level2' }).get('vneid')).toBe('level2');
    expect(visitValues({ vneid: 'level2' }, ['vneid_activated']).get('vneid')).toBe('level2');
  });

  it('raises an issued or level-1 account', () => {
    expect(visitValues({}, ['vneid_activated'], { vneid: 'issued' }).get('vneid')).toBe('level1');
    expect(visitValues({}, ['vneid_level2'], { vneid: 'level1' }).get('vneid')).toBe('level2');
  });
});

describe('visitDate', () => {
  it('dates a visit by the day in Ho Chi Minh City', () => {
    expect(visitDate('2026-11-23T17:30:00Z')).toBe('2026-11-24');
    expect(visitDate('2026-11-24T16:59:59Z')).toBe('2026-11-24');
    expect(visitDate('2026-11-24T23:30:00+07:00')).toBe('2026-11-24');
  });

  it('refuses a string that is not a time', () => {
    expect(() => visitDate('yesterday')).toThrow(RangeError);
  });
});

describe('compareAppVersions', () => {
  it('compares numerically, part by part', () => {
    expect(compareAppVersions('1.10.0', '1.9.9')).toBe(1);
    expect(compareAppVersions('1.0', '1.0.0')).toBe(0);
    expect(compareAppVersions('0.9.12', '1.0.0')).toBe(-1);
    expect(compareAppVersions('1.0.0-beta', '1.0.0')).toBe(0);
  });

  it('treats an unreadable version as outdated', () => {
    expect(isAppVersionAtLeast('banana', '1.0.0')).toBe(false);
    expect(isAppVersionAtLeast('1.2.3', '1.0.0')).toBe(true);
    expect(isAppVersionAtLeast('0.99.0', '1.0.0')).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('gives the same text whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });

  it('leaves out undefined members and tells different values apart', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});
