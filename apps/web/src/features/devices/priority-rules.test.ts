import { describe, expect, it } from 'vitest';
import { ELDERLY_ALONE_AGE as DOMAIN_AGE, PRIORITY_CODES } from '@cds/domain';
import { PriorityRuleUpdate } from '@cds/contract';
import {
  ELDERLY_ALONE_AGE,
  highestScore,
  inRuleOrder,
  pledgeCancellable,
  PRIORITY_ORDER,
  ruleBody,
  validateRule,
  type RuleForm,
} from './device-rules';

const form = (f: Partial<RuleForm> = {}): RuleForm => ({ points: '30', active: true, label: 'Hộ nghèo', ...f });
const keys = (f: RuleForm) => Object.fromEntries(Object.entries(validateRule(f)).map(([k, v]) => [k, v?.key]));

describe('priority rule form', () => {
  it('accepts 0 to 100 points and a name of 2 to 120 characters', () => {
    expect(validateRule(form())).toEqual({});
    expect(validateRule(form({ points: '0', active: false }))).toEqual({});
    expect(validateRule(form({ points: ' 100 ' }))).toEqual({});
  });
  it('says what is wrong with the points, in the contract’s order', () => {
    expect(keys(form({ points: '' }))).toEqual({ points: 'dsRules.pointsRequired' });
    expect(keys(form({ points: '-5' }))).toEqual({ points: 'dsRules.pointsNegative' });
    expect(keys(form({ points: '12,5' }))).toEqual({ points: 'dsRules.pointsWhole' });
    expect(keys(form({ points: 'mười' }))).toEqual({ points: 'dsRules.pointsNumber' });
    expect(keys(form({ points: '101' }))).toEqual({ points: 'dsRules.pointsMax' });
  });
  it('checks the name as the server trims it', () => {
    expect(keys(form({ label: ' a ' }))).toEqual({ label: 'dsRules.labelShort' });
    expect(keys(form({ label: 'x'.repeat(121) }))).toEqual({ label: 'dsRules.labelLong' });
  });
  it('agrees with the contract on what it accepts', () => {
    for (const points of ['0', '1', '55', '100', '101', '-1', '2.5', 'abc', '']) {
      const mine = validateRule(form({ points })).points === undefined;
      const theirs = PriorityRuleUpdate.safeParse({ points: points === '' ? undefined : Number(points), active: true }).success;
      expect(mine, points).toBe(theirs);
    }
  });
  it('sends the name only when it changed', () => {
    expect(ruleBody(form({ points: '25' }), 'Hộ nghèo')).toEqual({ points: 25, active: true });
    expect(ruleBody(form({ label: ' Hộ nghèo (DS 2026) ' }), 'Hộ nghèo')).toEqual({ points: 30, active: true, label: 'Hộ nghèo (DS 2026)' });
  });
});

describe('priority rules', () => {
  it('keeps the domain’s age and order', () => {
    expect(ELDERLY_ALONE_AGE).toBe(DOMAIN_AGE);
    expect([...PRIORITY_ORDER]).toEqual([...PRIORITY_CODES]);
  });
  it('orders rules as the city reads them', () => {
    expect(inRuleOrder([{ code: 'pupil' }, { code: 'poor' }, { code: 'elderly_alone' }]).map((r) => r.code)).toEqual(['poor', 'elderly_alone', 'pupil']);
  });
  it('counts poor or near-poor, never both, and skips rules switched off or worth 0', () => {
    const rules = [
      { code: 'poor', points: 30, active: true },
      { code: 'near_poor', points: 20, active: true },
      { code: 'elderly_alone', points: 20, active: true },
      { code: 'disability', points: 15, active: false },
      { code: 'pupil', points: 0, active: true },
      { code: 'single_parent', points: 10, active: true },
    ];
    expect(highestScore(rules)).toBe(60);
    expect(highestScore(rules.map((r) => (r.code === 'poor' ? { ...r, active: false } : r)))).toBe(50);
    expect(highestScore([])).toBe(0);
  });
});

describe('cancelling a pledge', () => {
  it('is possible only while open and nothing was received', () => {
    expect(pledgeCancellable({ status: 'open', received: 0 })).toBe('yes');
    expect(pledgeCancellable({ status: 'open', received: 3 })).toBe('received');
    expect(pledgeCancellable({ status: 'cancelled', received: 0 })).toBe('cancelled');
  });
});
