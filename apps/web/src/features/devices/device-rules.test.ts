import { describe, expect, it } from 'vitest';
import { vietnamToday } from '../../shared/i18n/formats';
import { cleanCode, devicesFunded, parseWhole, reasonsLine, scoreReasons, validatePledge, type PledgeForm } from './device-rules';

const reasons = [
  { code: 'elderly_alone' as const, label: 'Người cao tuổi sống một mình', points: 20 },
  { code: 'poor' as const, label: 'Hộ nghèo', points: 30 },
];

describe('score reasons', () => {
  it('lists the largest reason first with its points, and the total', () => {
    const out = scoreReasons(reasons, (r) => r.label);
    expect(out.total).toBe(50);
    expect(out.parts.map((p) => p.text)).toEqual(['Hộ nghèo +30', 'Người cao tuổi sống một mình +20']);
  });
  it('uses the words it is given for each rule', () => {
    expect(reasonsLine(reasons, (r) => r.code, '—')).toBe('poor +30 · elderly_alone +20');
  });
  it('says when there is no reason', () => {
    expect(reasonsLine([], (r) => r.label, 'Không có ưu tiên')).toBe('Không có ưu tiên');
  });
});

describe('numbers as typed', () => {
  it('reads Vietnamese thousands separators', () => {
    expect(parseWhole('1.500.000')).toBe(1500000);
    expect(parseWhole(' 2 000 ')).toBe(2000);
    expect(parseWhole('12a')).toBeNull();
    expect(parseWhole('')).toBeNull();
    expect(parseWhole('-3')).toBeNull();
  });
  it('counts devices a sum funds, rounded down', () => {
    expect(devicesFunded(10_000_000, 1_500_000)).toBe(6);
    expect(devicesFunded(10_000_000, 0)).toBeNull();
    expect(devicesFunded(null, 1)).toBeNull();
  });
  it('keeps six digits of a code', () => {
    expect(cleanCode('12 34-56 78')).toBe('123456');
  });
  it('gives today in Vietnam', () => {
    expect(vietnamToday(new Date('2026-06-30T18:00:00Z'))).toBe('2026-07-01');
    expect(vietnamToday(new Date('2026-06-30T16:59:00Z'))).toBe('2026-06-30');
  });
});

describe('pledge form', () => {
  const base: PledgeForm = { kind: 'device', model: 'Samsung Galaxy A06', network: '4g', quantity: '20', amount: '', subsidy: '', deliveryPlace: '' };
  it('accepts a device pledge', () => {
    expect(validatePledge(base)).toEqual({});
  });
  it('names each bad device field', () => {
    expect(validatePledge({ ...base, model: ' ', quantity: '0' })).toEqual({
      model: { key: 'dsPledge.modelRequired' },
      quantity: { key: 'dsPledge.quantityMin' },
    });
    expect(validatePledge({ ...base, quantity: '2,5x' }).quantity?.key).toBe('dsPledge.quantityWhole');
    expect(validatePledge({ ...base, quantity: '100001' }).quantity?.key).toBe('dsPledge.quantityMax');
  });
  it('checks money and the subsidy against it', () => {
    const money: PledgeForm = { ...base, kind: 'money', model: '', quantity: '', amount: '30.000.000', subsidy: '1.500.000' };
    expect(validatePledge(money)).toEqual({});
    expect(validatePledge({ ...money, amount: '0' }).amount?.key).toBe('dsPledge.amountInvalid');
    expect(validatePledge({ ...money, subsidy: '40.000.000' }).subsidy?.key).toBe('dsPledge.subsidyAboveAmount');
    expect(validatePledge({ ...money, subsidy: 'abc' }).subsidy?.key).toBe('dsPledge.subsidyInvalid');
  });
  it('limits the delivery place', () => {
    expect(validatePledge({ ...base, deliveryPlace: 'x'.repeat(301) }).deliveryPlace?.key).toBe('dsPledge.placeLong');
  });
});
