import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imeiProblem, isValidImei, luhnCheckDigit, maskImei, normaliseImei } from './imei.ts';

const body14 = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 14, maxLength: 14 }).filter((s) => !/^0+$/.test(s));
const withCheck = (body: string) => `${body}${luhnCheckDigit(body)}`;

describe('IMEI', () => {
  it('accepts known real IMEIs and the textbook example', () => {
    expect(isValidImei('490154203237518')).toBe(true);
    expect(isValidImei('35-209900-176148-1')).toBe(true);
    expect(isValidImei('356938035643809')).toBe(true);
  });

  it('names what is wrong, in Vietnamese', () => {
    expect(imeiProblem('')).toBe('Chưa nhập số IMEI');
    expect(imeiProblem('49015420323751A')).toBe('Số IMEI chỉ gồm chữ số');
    expect(imeiProblem('49015420323751')).toBe('Số IMEI gồm 15 chữ số (đang có 14)');
    expect(imeiProblem('490154203237519')).toMatch(/chữ số kiểm tra/);
    expect(imeiProblem('000000000000000')).toBe('Số IMEI không hợp lệ');
  });

  it('accepts every 14 digits followed by their Luhn digit', () => {
    fc.assert(fc.property(body14, (body) => isValidImei(withCheck(body))));
  });

  it('refuses any single changed digit', () => {
    fc.assert(
      fc.property(body14, fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 9 }), (body, at, shift) => {
        const imei = withCheck(body);
        const changed = `${imei.slice(0, at)}${(Number(imei[at]) + shift) % 10}${imei.slice(at + 1)}`;
        return /^0+$/.test(changed) || !isValidImei(changed);
      }),
    );
  });

  it('refuses two swapped neighbouring digits, except the 0↔9 pair Luhn cannot see', () => {
    fc.assert(
      fc.property(body14, fc.integer({ min: 0, max: 13 }), (body, at) => {
        const imei = withCheck(body);
        const a = imei[at]!;
        const b = imei[at + 1]!;
        fc.pre(a !== b && !(`${a}${b}` === '09' || `${a}${b}` === '90'));
        const swapped = `${imei.slice(0, at)}${b}${a}${imei.slice(at + 2)}`;
        return !isValidImei(swapped);
      }),
    );
  });

  it('refuses any length other than 15', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 30 }).filter((s) => s.length !== 15), (s) => !isValidImei(s)));
  });

  it('normalises printed separators and masks all but four digits', () => {
    expect(normaliseImei('35 209900 176148 1')).toBe('352099001761481');
    expect(maskImei('352099001761481')).toBe('•••••••••••1481');
  });
});
