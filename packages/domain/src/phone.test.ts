import { describe, expect, it } from 'vitest';
import { MOBILE_PREFIXES, RETIRED_PREFIXES, carrierOf, maskPhone, normalisePhone, type Carrier } from './phone.ts';

describe('MOBILE_PREFIXES', () => {
  it('assigns each prefix to exactly one carrier', () => {
    const all = Object.values(MOBILE_PREFIXES).flat();
    expect(new Set(all).size).toBe(all.length);
    for (const prefix of all) expect(prefix).toMatch(/^0[3-9]\d$/);
  });

  it('maps every retired 11-digit prefix to a current prefix of a carrier', () => {
    for (const replacement of Object.values(RETIRED_PREFIXES)) expect(carrierOf(`${replacement}1234567`)).not.toBeNull();
  });
});

describe('normalisePhone', () => {
  it('keeps a clean 10-digit number and names its carrier', () => {
    expect(normalisePhone('0912345678')).toEqual({ ok: true, value: '0912345678', carrier: 'vinaphone' });
    expect(normalisePhone('0987654321')).toEqual({ ok: true, value: '0987654321', carrier: 'viettel' });
    expect(normalisePhone('0901234567')).toMatchObject({ carrier: 'mobifone' });
    expect(normalisePhone('0921234567')).toMatchObject({ carrier: 'vietnamobile' });
    expect(normalisePhone('0591234567')).toMatchObject({ carrier: 'gmobile' });
    expect(normalisePhone('0871234567')).toMatchObject({ carrier: 'itelecom' });
    expect(normalisePhone('0551234567')).toMatchObject({ carrier: 'reddi' });
  });

  it('removes spaces, dots, brackets, dashes and a leading apostrophe', () => {
    expect(normalisePhone(" '(091) 234-56.78 ")).toMatchObject({ ok: true, value: '0912345678' });
  });

  it('removes the +84, 84 and 0084 country codes', () => {
    for (const raw of ['+84 912 345 678', '+84912345678', '84912345678', '0084 912345678', '+84 0912 345 678']) {
      expect(normalisePhone(raw)).toMatchObject({ ok: true, value: '0912345678' });
    }
  });

  it('does not mistake an 084 VinaPhone number for a country code', () => {
    expect(normalisePhone('0845123456')).toMatchObject({ ok: true, value: '0845123456', carrier: 'vinaphone' });
    expect(normalisePhone('845123456')).toMatchObject({ ok: true, value: '0845123456' });
  });

  it('restores a leading zero lost by a spreadsheet', () => {
    expect(normalisePhone('912345678')).toMatchObject({ ok: true, value: '0912345678' });
    expect(normalisePhone('358765432')).toMatchObject({ ok: true, value: '0358765432', carrier: 'viettel' });
  });

  it('converts the 11-digit numbers retired in 2018 to their new prefix', () => {
    const cases: [string, string, Carrier][] = [
      ['01662345678', '0362345678', 'viettel'],
      ['01212345678', '0792345678', 'mobifone'],
      ['01292345678', '0822345678', 'vinaphone'],
      ['01882345678', '0582345678', 'vietnamobile'],
      ['01992345678', '0592345678', 'gmobile'],
      ['+84 166 234 5678', '0362345678', 'viettel'],
      ['1662345678', '0362345678', 'viettel'],
    ];
    for (const [raw, value, carrier] of cases) expect(normalisePhone(raw)).toEqual({ ok: true, value, carrier });
  });

  it('rejects an 11-digit prefix that was never a mobile prefix', () => {
    expect(normalisePhone('01302345678')).toMatchObject({ ok: false, reason: 'unknown_prefix' });
  });

  it('rejects a 10-digit number with no mobile prefix', () => {
    const result = normalisePhone('0612345678');
    expect(result).toMatchObject({ ok: false, reason: 'unknown_prefix' });
    if (!result.ok) expect(result.message).toContain('061');
  });

  it('recognises a landline and says so', () => {
    expect(normalisePhone('028 3822 1234')).toMatchObject({ ok: false, reason: 'landline' });
    expect(normalisePhone('+84 28 3822 1234')).toMatchObject({ ok: false, reason: 'landline' });
  });

  it('rejects foreign numbers, scientific notation, letters, wrong lengths and empty input', () => {
    expect(normalisePhone('+1 415 555 0100')).toMatchObject({ ok: false, reason: 'foreign_number' });
    expect(normalisePhone('9.12345678E+8')).toMatchObject({ ok: false, reason: 'scientific_notation' });
    expect(normalisePhone('09123abc78')).toMatchObject({ ok: false, reason: 'not_digits' });
    expect(normalisePhone('0912345678 / 0987654321')).toMatchObject({ ok: false, reason: 'not_digits' });
    expect(normalisePhone('091234567')).toMatchObject({ ok: false, reason: 'wrong_length' });
    expect(normalisePhone('09123456789')).toMatchObject({ ok: false, reason: 'wrong_length' });
    expect(normalisePhone('')).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('gives Vietnamese messages', () => {
    const result = normalisePhone('12345');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toBe('Số điện thoại di động phải có 10 chữ số, nhưng có 5');
  });

  it('is idempotent on its own output', () => {
    for (const raw of ['+84 166 234 5678', '912345678', '01292345678']) {
      const first = normalisePhone(raw);
      if (!first.ok) throw new Error(first.message);
      expect(normalisePhone(first.value)).toEqual(first);
    }
  });
});

describe('maskPhone', () => {
  it('shows the prefix and the last two digits', () => {
    expect(maskPhone('0912345678')).toBe('091*****78');
    expect(maskPhone('091 234 5678')).toBe('091*****78');
  });

  it('hides a short fragment entirely', () => {
    expect(maskPhone('1234')).toBe('****');
  });
});
