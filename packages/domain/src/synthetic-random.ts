/**
 * Seeded randomness for the synthetic population. Math.random cannot be seeded, and demo data
 * must come out identical on every machine and every run, so we carry our own generator.
 */
import type { Weighted } from './synthetic-tables.ts';

export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** A value chosen with probability proportional to its weight. */
  weighted<T>(entries: Weighted<T>): T;
}

/** A 32-bit integer hash with good avalanche ("lowbias32", C. Wellons); returns an unsigned value. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes
 * PractRand, and is a handful of 32-bit operations per number, which matters when a city of
 * 14 million people takes a few hundred million draws. (mulberry32's 2^32 period would be close
 * to exhausted by such a run.) Seeds are integers; a fraction is dropped.
 */
export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) throw new RangeError('Hạt giống (seed) phải là một số hữu hạn');
  const whole = Math.trunc(seed);
  const low = whole >>> 0;
  const high = Math.floor(whole / 4294967296) >>> 0;
  let a = mix32(low ^ 0x9e3779b9);
  let b = mix32(high ^ 0x85ebca6b ^ a);
  let c = mix32(a ^ b ^ 0xc2b2ae35);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The first outputs of a counting generator still show the seed's structure; discard them.
  for (let i = 0; i < 15; i++) next();

  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('Không thể chọn từ danh sách rỗng');
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted<T>(entries: Weighted<T>): T {
      let total = 0;
      for (const [, weight] of entries) total += weight;
      if (!(total > 0)) throw new RangeError('Tổng trọng số phải dương');
      let u = next() * total;
      for (const [value, weight] of entries) {
        if (u < weight) return value;
        u -= weight;
      }
      // Rounding can leave u a hair above the last weight.
      return (entries[entries.length - 1] as readonly [T, number])[0];
    },
  };
}

/**
 * A weighted table prepared once, for the hot loop: cumulative weights in a typed array and a
 * linear scan, which beats a binary search for the short, front-heavy tables used here.
 */
export class WeightedTable<T> {
  private readonly values: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: Weighted<T>) {
    if (entries.length === 0) throw new RangeError('Bảng trọng số rỗng');
    this.values = entries.map(([value]) => value);
    this.cumulative = new Float64Array(entries.length);
    let total = 0;
    entries.forEach(([, weight], i) => {
      if (!(weight >= 0)) throw new RangeError(`Trọng số không hợp lệ: ${weight}`);
      total += weight;
      this.cumulative[i] = total;
    });
    if (!(total > 0)) throw new RangeError('Tổng trọng số phải dương');
    this.total = total;
  }

  sample(random: Random): T {
    const u = random.next() * this.total;
    const cumulative = this.cumulative;
    const last = cumulative.length - 1;
    let i = 0;
    while (i < last && u >= cumulative[i]!) i++;
    return this.values[i] as T;
  }
}

/**
 * A keyed bijection of [0, high × low): a small Feistel-like network that alternately adds a
 * hash of one half to the other, modulo that half's size. Each step can be undone, so distinct
 * inputs always give distinct outputs; this is what lets counters become random-looking but
 * collision-free ID and phone suffixes without remembering any issued number.
 */
export function permute(n: number, high: number, low: number, key: number): number {
  let h = Math.floor(n / low);
  let l = n - h * low;
  for (let round = 0; round < 3; round++) {
    h = (h + (mix32(l ^ key ^ Math.imul(2 * round + 1, 0x9e3779b9)) % high)) % high;
    l = (l + (mix32(h ^ key ^ Math.imul(2 * round + 2, 0x9e3779b9)) % low)) % low;
  }
  return h * low + l;
}
