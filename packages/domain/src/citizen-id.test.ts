import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CITIZEN_ID_PROVINCE_CODES,
  centuryDigitFor,
  checkCitizenId,
  maskCitizenId,
  parseCitizenId,
} from './citizen-id.ts';

describe('CITIZEN_ID_PROVINCE_CODES', () => {
  it('is exactly the citizen_id_prefix column of data/vn-provinces-legacy-63.csv', () => {
    const csv = readFileSync(new URL('../../../data/vn-provinces-legacy-63.csv', import.meta.url), 'utf8');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    const column = header!.split(',').indexOf('citizen_id_prefix');
    const fromFile = rows.map((row) => row.split(',')[column]).sort();
    expect([...CITIZEN_ID_PROVINCE_CODES].sort()).toEqual(fromFile);
    expect(CITIZEN_ID_PROVINCE_CODES).toHaveLength(63);
  });
});

describe('parseCitizenId', () => {
  it('decodes province, sex and birth year for each century digit', () => {
    expect(parseCitizenId('079085001234')).toEqual({ provinceCode: '079', sex: 'male', birthYear: 1985 });
    expect(parseCitizenId('001185001234')).toEqual({ provinceCode: '001', sex: 'female', birthYear: 1985 });
    expect(parseCitizenId('074205001234')).toEqual({ provinceCode: '074', sex: 'male', birthYear: 2005 });
    expect(parseCitizenId('074312001234')).toEqual({ provinceCode: '074', sex: 'female', birthYear: 2012 });
    expect(parseCitizenId('074400001234')).toEqual({ provinceCode: '074', sex: 'male', birthYear: 2100 });
    expect(parseCitizenId('074999001234')).toEqual({ provinceCode: '074', sex: 'female', birthYear: 2399 });
  });

  it('returns null for a malformed ID or an unknown province', () => {
    expect(parseCitizenId('07908500123')).toBeNull();
    expect(parseCitizenId('079 085 001 234')).toBeNull();
    expect(parseCitizenId('003085001234')).toBeNull();
    expect(parseCitizenId('999085001234')).toBeNull();
  });

  it('round-trips with centuryDigitFor', () => {
    for (const [year, sex] of [[1900, 'male'], [1999, 'female'], [2000, 'male'], [2024, 'female']] as const) {
      const id = `079${centuryDigitFor(year, sex)}${String(year % 100).padStart(2, '0')}123456`;
      expect(parseCitizenId(id)).toEqual({ provinceCode: '079', sex, birthYear: year });
    }
    expect(() => centuryDigitFor(1899, 'male')).toThrow(RangeError);
  });
});

describe('checkCitizenId', () => {
  it('accepts a 12-digit ID that agrees with the birth year and sex', () => {
    expect(checkCitizenId('079085001234', { birthYear: 1985, sex: 'male' })).toEqual({
      ok: true,
      value: '079085001234',
      kind: 'citizen_id',
    });
    expect(checkCitizenId('079085001234')).toMatchObject({ ok: true });
    expect(checkCitizenId('079085001234', { birthYear: null, sex: null })).toMatchObject({ ok: true });
  });

  it('cleans spaces, dots, dashes and a leading apostrophe', () => {
    expect(checkCitizenId(" '079 085.001-234 ")).toMatchObject({ ok: true, value: '079085001234' });
    expect(checkCitizenId('’079085001234')).toMatchObject({ ok: true, value: '079085001234' });
  });

  it('accepts a 9-digit legacy ID (CMND)', () => {
    expect(checkCitizenId('023 456 789')).toEqual({ ok: true, value: '023456789', kind: 'legacy_id' });
  });

  it('restores a leading zero lost by a spreadsheet when the province code is known', () => {
    expect(checkCitizenId('79085001234', { birthYear: 1985, sex: 'male' })).toEqual({
      ok: true,
      value: '079085001234',
      kind: 'citizen_id',
    });
  });

  it('refuses to restore the zero when the result would contradict the birth year or sex', () => {
    const wrongYear = checkCitizenId('79085001234', { birthYear: 1990 });
    expect(wrongYear).toMatchObject({ ok: false, reason: 'wrong_length' });
    if (!wrongYear.ok) expect(wrongYear.message).toContain('năm sinh 1990');
    expect(checkCitizenId('79085001234', { sex: 'female' })).toMatchObject({ ok: false, reason: 'wrong_length' });
  });

  it('refuses to restore the zero when no known province code results', () => {
    // 0 + 32… would be province 032, which does not exist.
    const result = checkCitizenId('32085001234');
    expect(result).toMatchObject({ ok: false, reason: 'wrong_length' });
    if (!result.ok) expect(result.message).toContain('mã tỉnh');
  });

  it('rejects scientific notation because the digits are already gone', () => {
    const result = checkCitizenId('7.9085E+10');
    expect(result).toMatchObject({ ok: false, reason: 'scientific_notation' });
    expect(checkCitizenId('7,9085e+10')).toMatchObject({ ok: false, reason: 'scientific_notation' });
  });

  it('rejects wrong lengths, letters and empty input', () => {
    expect(checkCitizenId('0790850012345')).toMatchObject({ ok: false, reason: 'wrong_length' });
    expect(checkCitizenId('1234567')).toMatchObject({ ok: false, reason: 'wrong_length' });
    expect(checkCitizenId('07908500123A')).toMatchObject({ ok: false, reason: 'not_digits' });
    expect(checkCitizenId('   ')).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('rejects an unknown province code', () => {
    expect(checkCitizenId('003085001234')).toMatchObject({ ok: false, reason: 'unknown_province' });
  });

  it('rejects a contradiction with the birth year or sex, in Vietnamese', () => {
    const year = checkCitizenId('079085001234', { birthYear: 1986, sex: 'male' });
    expect(year).toEqual({ ok: false, reason: 'birth_year_mismatch', message: 'Số CCCD không khớp với năm sinh 1986' });
    const sex = checkCitizenId('079085001234', { birthYear: 1985, sex: 'female' });
    expect(sex).toEqual({ ok: false, reason: 'sex_mismatch', message: 'Số CCCD không khớp với giới tính nữ' });
  });

  it('tells a 1985 man from a 2085 man by the century digit', () => {
    expect(checkCitizenId('079285001234', { birthYear: 1985 })).toMatchObject({ reason: 'birth_year_mismatch' });
  });

  it('rejects a birth year in the 2100s or later, which no card can carry yet', () => {
    expect(checkCitizenId('079485001234')).toMatchObject({ ok: false, reason: 'impossible_birth_year' });
  });
});

describe('maskCitizenId', () => {
  it('shows only the province code and the last two digits', () => {
    expect(maskCitizenId('079123456723')).toBe('079*******23');
    expect(maskCitizenId('123456789')).toBe('123****89');
  });

  it('masks separators away instead of leaking them', () => {
    expect(maskCitizenId('079 123 456 723')).toBe('079*******23');
  });

  it('hides a short fragment entirely', () => {
    expect(maskCitizenId('12345')).toBe('*****');
  });
});
