import { describe, expect, it } from 'vitest';
import { parseCitizenId } from './citizen-id.ts';
import { normalisePhone } from './phone.ts';
import { IdentifierIssuer } from './synthetic-identifiers.ts';
import { createRandom } from './synthetic-random.ts';

describe('IdentifierIssuer.citizenId', () => {
  it('issues IDs that decode to the given sex and birth year', () => {
    const issuer = new IdentifierIssuer(createRandom(1), 1, '079');
    for (const [sex, year] of [['male', 1931], ['female', 1999], ['male', 2000], ['female', 2025]] as const) {
      const id = issuer.citizenId(sex, year, 0.5);
      expect(parseCitizenId(id)).toMatchObject({ sex, birthYear: year });
    }
  });

  it('uses the home province code with the given share and other provinces otherwise', () => {
    const issuer = new IdentifierIssuer(createRandom(2), 2, '079');
    expect(issuer.citizenId('male', 1980, 1).slice(0, 3)).toBe('079');
    const elsewhere = Array.from({ length: 500 }, () => issuer.citizenId('female', 1980, 0).slice(0, 3));
    expect(elsewhere).not.toContain('079');
    expect(new Set(elsewhere).size).toBeGreaterThan(10);
  });

  it('never repeats an ID, even for 300 000 people of one sex, year and province', () => {
    const issuer = new IdentifierIssuer(createRandom(3), 3, '079');
    const ids = new Set<string>();
    for (let i = 0; i < 300_000; i++) ids.add(issuer.citizenId('male', 1990, 1));
    expect(ids.size).toBe(300_000);
  });

  it('refuses a province code that is not on ID cards', () => {
    expect(() => new IdentifierIssuer(createRandom(4), 4, '003')).toThrow(RangeError);
  });
});

describe('IdentifierIssuer phones', () => {
  it('issues normalised 10-digit numbers of the right carrier', () => {
    const issuer = new IdentifierIssuer(createRandom(5), 5, '079');
    for (let i = 0; i < 2000; i++) {
      const prefix = issuer.drawPhonePrefix();
      const phone = issuer.phoneNumber(prefix);
      expect(normalisePhone(phone)).toEqual({ ok: true, value: phone, carrier: issuer.carrier(prefix) });
    }
  });

  it('does not repeat a number within a prefix', () => {
    const issuer = new IdentifierIssuer(createRandom(6), 6, '079');
    const prefix = issuer.drawPhonePrefix();
    const numbers = new Set<string>();
    for (let i = 0; i < 100_000; i++) numbers.add(issuer.phoneNumber(prefix));
    expect(numbers.size).toBe(100_000);
  });

  it('spreads numbers over carriers by market share', () => {
    const issuer = new IdentifierIssuer(createRandom(7), 7, '079');
    let viettel = 0;
    for (let i = 0; i < 20_000; i++) if (issuer.carrier(issuer.drawPhonePrefix()) === 'viettel') viettel++;
    expect(viettel / 20_000).toBeCloseTo(0.55, 1);
  });
});
