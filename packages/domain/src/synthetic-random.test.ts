import { describe, expect, it } from 'vitest';
import { WeightedTable, createRandom, mix32, permute } from './synthetic-random.ts';

const draws = (seed: number, count: number): number[] => {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => random.next());
};

describe('createRandom', () => {
  it('repeats the same sequence for the same seed and a different one for another seed', () => {
    expect(draws(42, 100)).toEqual(draws(42, 100));
    expect(draws(42, 100)).not.toEqual(draws(43, 100));
    // Seeds that differ only above 32 bits still give different streams.
    expect(draws(2 ** 32 + 5, 10)).not.toEqual(draws(5, 10));
  });

  it('returns numbers in [0, 1) with a mean near one half', () => {
    const values = draws(7, 100_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });

  it('int() covers both ends of its range and nothing outside it', () => {
    const random = createRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(random.int(-2, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('pick() returns members of the list and refuses an empty list', () => {
    const random = createRandom(3);
    const items = ['a', 'b', 'c'] as const;
    for (let i = 0; i < 100; i++) expect(items).toContain(random.pick(items));
    expect(() => random.pick([])).toThrow(RangeError);
  });

  it('weighted() follows the weights', () => {
    const random = createRandom(9);
    let heavy = 0;
    for (let i = 0; i < 50_000; i++) if (random.weighted([['heavy', 3], ['light', 1]] as const) === 'heavy') heavy++;
    expect(heavy / 50_000).toBeCloseTo(0.75, 1);
    expect(() => random.weighted([['x', 0]] as const)).toThrow(RangeError);
  });

  it('rejects a seed that is not a finite number', () => {
    expect(() => createRandom(Number.NaN)).toThrow(RangeError);
  });
});

describe('WeightedTable', () => {
  it('samples in proportion to the weights and never picks a zero weight', () => {
    const table = new WeightedTable([['a', 1], ['never', 0], ['b', 4]] as const);
    const random = createRandom(11);
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 50_000; i++) counts[table.sample(random)]++;
    expect(counts.never).toBe(0);
    expect(counts.b / 50_000).toBeCloseTo(0.8, 1);
  });

  it('refuses empty and negative weights', () => {
    expect(() => new WeightedTable([])).toThrow(RangeError);
    expect(() => new WeightedTable([['a', -1]] as const)).toThrow(RangeError);
  });
});

describe('permute', () => {
  const isBijection = (high: number, low: number, key: number): boolean => {
    const size = high * low;
    const seen = new Uint8Array(size);
    let distinct = 0;
    for (let n = 0; n < size; n++) {
      const value = permute(n, high, low, key);
      if (!(value >= 0 && value < size)) return false;
      if (seen[value] === 0) distinct++;
      seen[value] = 1;
    }
    return distinct === size;
  };

  it('is a bijection of 0..999 999, so distinct counters give distinct ID suffixes', () => {
    expect(isBijection(1000, 1000, 0xdeadbeef)).toBe(true);
  });

  it('is a bijection of unbalanced domains too, as used for the 7-digit phone suffixes', () => {
    expect(isBijection(1000, 37, 12345)).toBe(true);
    expect(isBijection(37, 1000, -7)).toBe(true);
  });

  it('scatters consecutive counters and depends on the key', () => {
    const first = [0, 1, 2, 3].map((n) => permute(n, 1000, 1000, 1));
    expect(new Set(first.map((v) => Math.floor(v / 1000))).size).toBeGreaterThan(1);
    expect(first).not.toEqual([0, 1, 2, 3].map((n) => permute(n, 1000, 1000, 2)));
  });
});

describe('mix32', () => {
  it('returns an unsigned 32-bit integer that changes with every input bit', () => {
    for (const x of [0, 1, -1, 0x7fffffff, 123456789]) {
      const h = mix32(x);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
      expect(mix32(x ^ 1)).not.toBe(h);
    }
  });
});
