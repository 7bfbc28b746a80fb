import { describe, expect, it } from 'vitest';
import { luhnCheckDigit, normaliseImei } from '@cds/domain/imei';
import { checkImei, isValidImei } from './imei';

describe('IMEI check (mirror of the server)', () => {
  it('accepts a well-known valid IMEI, with or without separators', () => {
    expect(isValidImei('490154203237518')).toBe(true);
    expect(isValidImei('49-015420-323751-8')).toBe(true);
    expect(isValidImei('4901 5420 3237 518')).toBe(true);
    expect(checkImei('356938035643809')).toEqual({ state: 'ok', digits: '356938035643809' });
  });

  it('computes the Luhn check digit of the first 14 digits', () => {
    expect(luhnCheckDigit('49015420323751')).toBe(8);
    expect(luhnCheckDigit('35693803564380')).toBe(9);
    expect(luhnCheckDigit('00000000000000')).toBe(0);
  });

  it('says what is wrong while typing', () => {
    expect(checkImei('')).toEqual({ state: 'empty', digits: '' });
    expect(checkImei('   ')).toEqual({ state: 'empty', digits: '' });
    expect(checkImei('4901542032')).toMatchObject({ state: 'short', missing: 5 });
    expect(checkImei('4901542032375189')).toMatchObject({ state: 'long', extra: 1 });
    expect(checkImei('49015420323751A')).toMatchObject({ state: 'notDigits' });
    expect(checkImei('490154203237519')).toMatchObject({ state: 'badCheckDigit', expected: 8 });
  });

  it('refuses fifteen zeros, as the server does', () => {
    expect(checkImei('000000000000000').state).toBe('allZeros');
  });

  it('agrees with the server’s check (@cds/domain) on every kind of input', async () => {
    const domain = await import('@cds/domain');
    const samples = ['', '490154203237518', '490154203237519', '000000000000000', '49-015420-323751-8', '12345', '4901542032375180', 'abc', '356938035643809'];
    // Every check digit of a few bodies: exactly one passes each time.
    for (const body of ['35693803564380', '86123405000001', '01234567890123']) for (let d = 0; d < 10; d++) samples.push(body + d);
    for (const s of samples) expect(isValidImei(s), s).toBe(domain.isValidImei(s));
  });

  it('leaves out only separators', () => {
    expect(normaliseImei(' 49.01-54/20 ')).toBe('49015420');
    expect(normaliseImei('49_01')).toBe('49_01');
  });
});

describe('IMEI message while typing', async () => {
  const { imeiMessage } = await import('./imei-input');
  it('hints while short, praises when valid, says what is wrong otherwise', () => {
    expect(imeiMessage(checkImei(''))).toMatchObject({ key: 'dsHandover.imeiHint', tone: 'hint' });
    expect(imeiMessage(checkImei('49015'))).toEqual({ key: 'dsHandover.imeiShort', params: { n: 5, missing: 10 }, tone: 'hint' });
    expect(imeiMessage(checkImei('490154203237518'))).toMatchObject({ key: 'dsHandover.imeiOk', tone: 'ok' });
    expect(imeiMessage(checkImei('490154203237519'))).toMatchObject({ key: 'dsHandover.imeiLuhn', tone: 'bad' });
    expect(imeiMessage(checkImei('4901542032375180'))).toMatchObject({ key: 'dsHandover.imeiLong', tone: 'bad' });
    expect(imeiMessage(checkImei('49a'))).toMatchObject({ key: 'dsHandover.imeiDigits', tone: 'bad' });
  });
});
