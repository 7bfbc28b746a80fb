import { describe, expect, it } from 'vitest';
import { checkCitizenId } from './citizen-id.ts';
import { checkIndicatorValue } from './elements.ts';
import { normalisePhone } from './phone.ts';
import {
  generateHouseholds,
  type GenerateHouseholdsOptions,
  type SyntheticHousehold,
  type SyntheticResident,
} from './synthetic-population.ts';
import { normalisePersonName } from './vietnamese-text.ts';

const TODAY = '2026-03-01';
const UNITS = Array.from({ length: 20 }, (_, i) => ({ code: String(26734 + i * 3), name: `Phường ${i + 1}` }));
const options = (people: number, seed = 2026): GenerateHouseholdsOptions => ({ people, seed, units: UNITS, provinceCode: '079', today: TODAY });

const ageOf = (person: SyntheticResident): number => {
  const years = Number(TODAY.slice(0, 4)) - Number(person.birthDate.slice(0, 4));
  return person.birthDate.slice(5) > TODAY.slice(5) ? years - 1 : years;
};

// One shared sample of 200 000 people for the statistical tests: generating it takes about a second.
let sample: SyntheticHousehold[] | undefined;
const population = (): SyntheticHousehold[] => (sample ??= [...generateHouseholds(options(200_000))]);
const residents = (): SyntheticResident[] => population().flatMap((h) => h.members);
const shareOf = <T>(items: readonly T[], test: (item: T) => boolean): number => items.filter(test).length / items.length;

describe('generateHouseholds: reproducibility and size', () => {
  it('gives identical output for identical options and different output for another seed', () => {
    const first = [...generateHouseholds(options(5_000))];
    expect([...generateHouseholds(options(5_000))]).toEqual(first);
    expect([...generateHouseholds(options(5_000, 2027))]).not.toEqual(first);
  });

  it('produces exactly the requested number of residents, cutting only the last household short', () => {
    for (const people of [0, 1, 7, 10_001]) {
      const households = [...generateHouseholds(options(people))];
      expect(households.reduce((n, h) => n + h.members.length, 0)).toBe(people);
      for (const household of households) {
        expect(household.members.length).toBeGreaterThan(0);
        expect(household.members[0]!.relationToHead).toBe('head');
      }
    }
  });

  it('streams: the first household arrives without generating the rest', () => {
    const iterator = generateHouseholds(options(14_000_000));
    const first = iterator.next();
    expect(first.done).toBe(false);
    iterator.return(undefined);
  });

  it('rejects invalid options with Vietnamese messages', () => {
    // Thrown at the call, before any iteration.
    expect(() => generateHouseholds({ ...options(10), today: '2026-02-30' })).toThrow(/không hợp lệ/);
    expect(() => generateHouseholds({ ...options(10), provinceCode: '003' })).toThrow(RangeError);
    expect(() => generateHouseholds({ ...options(10), people: -1 })).toThrow(RangeError);
    expect(() => generateHouseholds({ ...options(10), people: 2.5 })).toThrow(RangeError);
    expect(() => generateHouseholds({ ...options(10), units: [] })).toThrow(RangeError);
  });
});

describe('generateHouseholds: identifiers', () => {
  it('issues citizen IDs that pass checkCitizenId with the person’s birth year and sex', () => {
    const invalid = residents().filter((person) => {
      if (person.citizenId === null) return false;
      const check = checkCitizenId(person.citizenId, { birthYear: Number(person.birthDate.slice(0, 4)), sex: person.sex });
      return !check.ok || check.value !== person.citizenId;
    });
    expect(invalid).toEqual([]);
  });

  it('never issues the same citizen ID twice in 200 000 people', () => {
    const ids = residents().flatMap((p) => (p.citizenId ? [p.citizenId] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives everyone 14 or older an ID and about 60% of younger children', () => {
    const people = residents();
    expect(people.filter((p) => ageOf(p) >= 14).every((p) => p.citizenId !== null)).toBe(true);
    expect(shareOf(people.filter((p) => ageOf(p) < 14), (p) => p.citizenId !== null)).toBeCloseTo(0.6, 1);
  });

  it('registers about a third of IDs in other provinces', () => {
    const ids = residents().flatMap((p) => (p.citizenId ? [p.citizenId] : []));
    const elsewhere = shareOf(ids, (id) => !id.startsWith('079'));
    expect(elsewhere).toBeGreaterThan(0.3);
    expect(elsewhere).toBeLessThan(0.4);
  });

  it('issues phones that normalisePhone leaves unchanged, with the right carrier', () => {
    const wrong = residents().filter((person) => {
      if (person.phone === null) return person.phoneCarrier !== null;
      const check = normalisePhone(person.phone);
      return !check.ok || check.value !== person.phone || check.carrier !== person.phoneCarrier;
    });
    expect(wrong).toEqual([]);
  });

  it('gives about 92% of adults and 40% of 14–17-year-olds a phone, and no child under 14', () => {
    const people = residents();
    expect(shareOf(people.filter((p) => ageOf(p) >= 18), (p) => p.phone !== null)).toBeCloseTo(0.92, 1);
    expect(shareOf(people.filter((p) => ageOf(p) >= 14 && ageOf(p) < 18), (p) => p.phone !== null)).toBeCloseTo(0.4, 1);
    expect(people.filter((p) => ageOf(p) < 14).every((p) => p.phone === null)).toBe(true);
  });
});

describe('generateHouseholds: demography', () => {
  it('has about 22% of people under 18 and a balanced sex ratio', () => {
    const people = residents();
    expect(Math.abs(shareOf(people, (p) => ageOf(p) < 18) - 0.22)).toBeLessThan(0.02);
    expect(Math.abs(shareOf(people, (p) => p.sex === 'male') - 0.5)).toBeLessThan(0.02);
  });

  it('has households of 1 to 8 people, about 3.2 on average, headed by someone aged 25 to 85', () => {
    const households = population().slice(0, -1);
    const mean = households.reduce((n, h) => n + h.members.length, 0) / households.length;
    expect(Math.abs(mean - 3.2)).toBeLessThan(0.15);
    const odd = households.filter((household) => {
      const headAge = ageOf(household.members[0]!);
      const heads = household.members.filter((m) => m.relationToHead === 'head').length;
      return household.members.length > 8 || headAge < 25 || headAge > 85 || heads !== 1;
    });
    expect(odd).toEqual([]);
  });

  it('writes names already normalised, Nguyễn for about 38% of people', () => {
    const people = residents();
    expect(people.filter((p) => normalisePersonName(p.fullName) !== p.fullName)).toEqual([]);
    expect(shareOf(people, (p) => p.fullName.startsWith('Nguyễn '))).toBeCloseTo(0.38, 1);
  });

  it('gives children of a male head his surname as a rule', () => {
    const pairs = population().flatMap((h) => {
      const head = h.members[0]!;
      return head.sex === 'male' ? h.members.filter((m) => m.relationToHead === 'child').map((c) => [head, c] as const) : [];
    });
    const surname = (p: SyntheticResident): string => p.fullName.split(' ')[0]!;
    expect(shareOf(pairs, ([head, child]) => surname(head) === surname(child))).toBeGreaterThan(0.9);
  });

  it('makes lodgers temporary residents', () => {
    expect(residents().filter((p) => p.relationToHead === 'other').every((p) => p.residenceType === 'temporary')).toBe(true);
  });
});

describe('generateHouseholds: households and places', () => {
  it('lists about 3% poor and 4% near-poor households, on the 2025 lists', () => {
    const households = population();
    expect(Math.abs(shareOf(households, (h) => h.povertyStatus === 'poor') - 0.03)).toBeLessThan(0.006);
    expect(Math.abs(shareOf(households, (h) => h.povertyStatus === 'near_poor') - 0.04)).toBeLessThan(0.006);
    expect(households.filter((h) => h.povertyListYear !== (h.povertyStatus === 'none' ? null : 2025))).toEqual([]);
  });

  it('fills the units in order, every one of them, with "Khu phố" neighbourhoods and street addresses', () => {
    const households = population();
    const order = households.map((h) => UNITS.findIndex((u) => u.code === h.unitCode));
    expect(order.every((index, i) => index >= 0 && (i === 0 || index >= order[i - 1]!))).toBe(true);
    expect(new Set(order).size).toBe(UNITS.length);
    const badPlace = households.filter(
      (h) =>
        !/^Khu phố (?:[1-9]|1[0-2])$/.test(h.neighbourhood) ||
        !/^\d+(?:\/\d+){0,2} Đường [^,]+, Khu phố \d+$/.test(h.address) ||
        !h.address.endsWith(`, ${h.neighbourhood}`),
    );
    expect(badPlace).toEqual([]);
  });

  it('shares people out in proportion to the units’ official populations when every unit has one', () => {
    const units = [
      { code: '26734', name: 'Phường Nhỏ', population: 10_000 },
      { code: '26737', name: 'Phường Lớn', population: 30_000 },
    ];
    const counts = new Map<string, number>();
    for (const h of generateHouseholds({ ...options(40_000), units })) counts.set(h.unitCode, (counts.get(h.unitCode) ?? 0) + h.members.length);
    expect((counts.get('26737') ?? 0) / 40_000).toBeCloseTo(0.75, 2);
  });

  it('uses the neighbourhoods a unit provides', () => {
    const units = [{ code: '26734', name: 'Xã A', neighbourhoods: ['Ấp 1', 'Ấp 2', 'Ấp Chợ'] }];
    const seen = new Set([...generateHouseholds({ ...options(3_000), units })].map((h) => h.neighbourhood));
    expect([...seen].sort()).toEqual(['Ấp 1', 'Ấp 2', 'Ấp Chợ']);
  });
});

describe('generateHouseholds: digital-citizen facts', () => {
  const factOf = (person: SyntheticResident, indicator: string): string | undefined =>
    person.facts.find((f) => f.indicator === indicator)?.value;

  it('states only allowed values, observed between 1 July 2025 and today, for people 14 and older', () => {
    const wrong = residents().filter(
      (person) =>
        (ageOf(person) < 14 && person.facts.length > 0) ||
        new Set(person.facts.map((f) => f.indicator)).size !== person.facts.length ||
        person.facts.some(
          (f) => checkIndicatorValue(f.indicator, f.value) !== null || f.observedOn < '2025-07-01' || f.observedOn > TODAY,
        ),
    );
    expect(wrong).toEqual([]);
  });

  it('reports a smartphone for about 85% of adults among those surveyed', () => {
    const stated = residents()
      .slice(0, 60_000)
      .filter((p) => ageOf(p) >= 18)
      .map((p) => factOf(p, 'smartphone'))
      .filter((v) => v !== undefined);
    expect(stated.length).toBeGreaterThan(20_000);
    expect(Math.abs(shareOf(stated, (v) => v === 'true') - 0.85)).toBeLessThan(0.02);
  });

  it('reports VNeID level 2 for about 85% of adults and fewer among the oldest', () => {
    const adults = residents().filter((p) => ageOf(p) >= 18);
    expect(Math.abs(shareOf(adults, (p) => factOf(p, 'vneid') === 'level2') - 0.85)).toBeLessThan(0.02);
    const oldest = adults.filter((p) => ageOf(p) >= 75);
    expect(shareOf(oldest, (p) => factOf(p, 'vneid') === 'level2')).toBeLessThan(0.65);
  });

  it('never states a smartphone for a 2G-only user, nor the City app without a smartphone', () => {
    const contradictory = residents().filter(
      (p) =>
        (factOf(p, 'phone_2g_only') === 'true' && factOf(p, 'smartphone') === 'true') ||
        (factOf(p, 'city_app_installed') === 'true' && factOf(p, 'smartphone') === 'false'),
    );
    expect(contradictory).toEqual([]);
  });

  it('flags about 4% of adults as 2G-only, mostly the elderly', () => {
    const adults = residents().filter((p) => ageOf(p) >= 18);
    const flagged = adults.filter((p) => factOf(p, 'phone_2g_only') === 'true');
    expect(flagged.length / adults.length).toBeGreaterThan(0.03);
    expect(flagged.length / adults.length).toBeLessThan(0.05);
    expect(shareOf(flagged, (p) => ageOf(p) >= 60)).toBeGreaterThan(0.45);
  });

  it('does not state every indicator for every person', () => {
    const adults = residents().filter((p) => ageOf(p) >= 18);
    expect(shareOf(adults, (p) => p.facts.length < 9)).toBeGreaterThan(0.5);
  });
});
