import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitTarget, type UnitStanding } from './target-split.ts';

const unit = (code: string, numerator: number, denominator: number): UnitStanding => ({ code, numerator, denominator });

/** Units of 1–1,000 people, each with some of them counted (numerator ≤ denominator). */
const unitPairs = fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 30 });

/** The city's share if every unit ended exactly at its quota. */
function cityAtQuotas(units: readonly UnitStanding[], quotas: readonly { target: number }[]): number {
  const reached = units.reduce((s, u, i) => s + (quotas[i]!.target / 100) * u.denominator!, 0);
  return (100 * reached) / units.reduce((s, u) => s + u.denominator!, 0);
}

describe('splitTarget, a share', () => {
  it('asks every unit to close the same fraction of its gap, by hand', () => {
    // City now: 100 of 200 = 50%. Target 75% closes half the gap; A (20%) → 60%, B (80%) → 90%.
    const { quotas, effort, cityNow } = splitTarget({ target: 75, unit: 'percent', direction: 'at_least', units: [unit('A', 20, 100), unit('B', 80, 100)] });
    expect(cityNow).toBe(50);
    expect(effort).toBe(0.5);
    expect(quotas).toEqual([
      { code: 'A', target: 60 },
      { code: 'B', target: 90 },
    ]);
  });

  it('gives every unit 100% when the city must reach 100%', () => {
    const { quotas } = splitTarget({ target: 100, unit: 'percent', direction: 'at_least', units: [unit('A', 3, 10), unit('B', 10, 10)] });
    expect(quotas.map((q) => q.target)).toEqual([100, 100]);
  });

  it('asks for the city’s own target everywhere once the city has met it, and of a unit with no people counted', () => {
    const met = splitTarget({ target: 60, unit: 'percent', direction: 'at_least', units: [unit('A', 90, 100), unit('B', 0, 0), unit('C', 40, 100)] });
    expect(met.effort).toBe(0);
    expect(met.quotas.map((q) => q.target)).toEqual([60, 60, 60]);
    const empty = splitTarget({ target: 80, unit: 'percent', direction: 'at_least', units: [unit('A', 10, 100), unit('B', 0, 0)] });
    expect(empty.quotas[1]).toEqual({ code: 'B', target: 80 });
  });

  it('shrinks towards zero for an "at most" share', () => {
    // City now 40 of 200 = 20%; target 10% halves every unit.
    const { quotas } = splitTarget({ target: 10, unit: 'percent', direction: 'at_most', units: [unit('A', 30, 100), unit('B', 10, 100)] });
    expect(quotas).toEqual([
      { code: 'A', target: 15 },
      { code: 'B', target: 5 },
    ]);
  });

  it('meets the city target whenever every unit meets its quota', () => {
    fc.assert(
      fc.property(
        unitPairs,
        fc.integer({ min: 0, max: 100 }),
        (pairs, target) => {
          const units = pairs.map(([n, d], i) => unit(`U${i}`, Math.min(n, d), d));
          const { quotas, effort } = splitTarget({ target, unit: 'percent', direction: 'at_least', units });
          expect(cityAtQuotas(units, quotas)).toBeGreaterThanOrEqual(target - 1e-6);
          // While the city still has a gap, no unit is asked for less than it has, nor for more than everyone.
          units.forEach((u, i) => {
            expect(quotas[i]!.target).toBeLessThanOrEqual(100);
            if (effort! > 0) expect(quotas[i]!.target).toBeGreaterThanOrEqual((100 * u.numerator!) / u.denominator! - 0.1);
          });
        },
      ),
    );
  });
});

describe('splitTarget, a share going down', () => {
  it('keeps the city at or under its target whenever every unit meets its quota', () => {
    fc.assert(
      fc.property(
        unitPairs,
        fc.integer({ min: 0, max: 100 }),
        (pairs, target) => {
          const units = pairs.map(([n, d], i) => unit(`U${i}`, Math.min(n, d), d));
          const { quotas } = splitTarget({ target, unit: 'percent', direction: 'at_most', units });
          expect(cityAtQuotas(units, quotas)).toBeLessThanOrEqual(target + 1e-6);
        },
      ),
    );
  });
});

describe('splitTarget, a count', () => {
  it('shares by population, adding up exactly', () => {
    const even = splitTarget({ target: 10, unit: 'count', direction: 'at_least', units: [unit('A', 0, 1), unit('B', 0, 1), unit('C', 0, 1)] });
    expect(even.quotas.map((q) => q.target)).toEqual([4, 3, 3]);
    const weighted = splitTarget({ target: 100, unit: 'count', direction: 'at_least', units: [unit('A', 0, 300), unit('B', 0, 100)] });
    expect([weighted.method, ...weighted.quotas.map((q) => q.target)]).toEqual(['by_population', 75, 25]);
  });

  it('says it split equally when there is nothing to weigh by', () => {
    const { method, quotas } = splitTarget({ target: 9, unit: 'count', direction: 'at_least', units: [{ code: 'A', numerator: 5, denominator: null }, { code: 'B', numerator: null, denominator: null }] });
    expect(method).toBe('equal');
    expect(quotas.map((q) => q.target)).toEqual([5, 4]);
  });

  it('sends an "at most zero" count to zero everywhere, and shrinks another in proportion to now', () => {
    expect(splitTarget({ target: 0, unit: 'count', direction: 'at_most', units: [unit('A', 40, 100), unit('B', 10, 100)] }).quotas.map((q) => q.target)).toEqual([0, 0]);
    expect(splitTarget({ target: 25, unit: 'count', direction: 'at_most', units: [unit('A', 40, 100), unit('B', 10, 100)] }).quotas.map((q) => q.target)).toEqual([20, 5]);
  });

  it('always adds up to the city’s number', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100000 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 1_000_000 }), (populations, target) => {
        const { quotas } = splitTarget({ target, unit: 'count', direction: 'at_least', units: populations.map((p, i) => unit(`U${i}`, 0, p)) });
        expect(quotas.reduce((s, q) => s + q.target, 0)).toBe(target);
      }),
    );
  });
});
