/**
 * Citizen IDs and phone numbers for the synthetic population, unique within a run without
 * remembering what was issued: a Set of 14 million strings would cost gigabytes, while these
 * counters fit in a quarter of a megabyte.
 */
import { CITIZEN_ID_PROVINCE_CODES, centuryDigitFor, type Sex } from './citizen-id.ts';
import { MOBILE_PREFIXES, type Carrier } from './phone.ts';
import { WeightedTable, mix32, permute, type Random } from './synthetic-random.ts';
import { CARRIER_SHARES, OTHER_BIRTH_PROVINCES } from './synthetic-tables.ts';

const ID_SUFFIXES = 1_000_000;
const PHONE_SUFFIXES = 10_000_000;
const PROVINCE_CODES: readonly string[] = CITIZEN_ID_PROVINCE_CODES;
const PROVINCE_INDEX: ReadonlyMap<string, number> = new Map(PROVINCE_CODES.map((code, i) => [code, i]));
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const centuryDigit = centuryDigitFor;

export class IdentifierIssuer {
  private readonly random: Random;
  private readonly key: number;
  private readonly homeProvince: number;
  private readonly otherProvinces: WeightedTable<number>;
  /** Next unused suffix per (province, century digit, two-digit year). */
  private readonly idCounters = new Int32Array(PROVINCE_CODES.length * 1000);
  private readonly prefixes: WeightedTable<number>;
  private readonly prefixStrings: string[] = [];
  private readonly prefixCarriers: Carrier[] = [];
  private readonly phoneCounters: Int32Array;

  constructor(random: Random, seed: number, homeProvinceCode: string) {
    const home = PROVINCE_INDEX.get(homeProvinceCode);
    if (home === undefined) throw new RangeError(`Mã tỉnh "${homeProvinceCode}" không phải mã tỉnh trong số CCCD`);
    this.random = random;
    this.key = mix32(Math.trunc(seed) ^ 0x5bd1e995);
    this.homeProvince = home;
    this.otherProvinces = new WeightedTable(
      OTHER_BIRTH_PROVINCES.filter(([code]) => code !== homeProvinceCode).map(([code, w]) => [PROVINCE_INDEX.get(code) ?? home, w] as const),
    );
    // One table over all prefixes: a carrier's share is spread evenly over its prefixes.
    const entries: [number, number][] = [];
    for (const [carrier, share] of CARRIER_SHARES) {
      const prefixes = MOBILE_PREFIXES[carrier];
      for (const prefix of prefixes) {
        entries.push([this.prefixStrings.length, share / prefixes.length]);
        this.prefixStrings.push(prefix);
        this.prefixCarriers.push(carrier);
      }
    }
    this.prefixes = new WeightedTable(entries);
    this.phoneCounters = new Int32Array(this.prefixStrings.length);
  }

  /**
   * A valid ID for someone born in `birthYear`, registered at birth in the home province with
   * chance `bornHereShare`. The last six digits are a per-(province, century digit, year)
   * counter passed through a keyed permutation of 0..999 999: distinct counters give distinct
   * suffixes, so IDs cannot repeat, yet they look random, as real ones do.
   */
  citizenId(sex: Sex, birthYear: number, bornHereShare: number): string {
    const province = this.random.next() < bornHereShare ? this.homeProvince : this.otherProvinces.sample(this.random);
    const digit = centuryDigit(birthYear, sex);
    const yy = birthYear % 100;
    const bucket = (province * 10 + digit) * 100 + yy;
    const n = this.idCounters[bucket] ?? 0;
    // A million people of one sex born in one year in one province: more than any province has.
    if (n >= ID_SUFFIXES) throw new RangeError(`Hết số định danh cho tỉnh ${PROVINCE_CODES[province]}, năm sinh ${birthYear}`);
    this.idCounters[bucket] = n + 1;
    const suffix = permute(n, 1000, 1000, mix32(this.key ^ Math.imul(bucket + 1, 0x9e3779b1)));
    return `${PROVINCE_CODES[province]}${digit}${TWO_DIGITS[yy]}${String(suffix).padStart(6, '0')}`;
  }

  /** Draws a prefix by carrier market share; pass it to phoneNumber and carrier. */
  drawPhonePrefix(): number {
    return this.prefixes.sample(this.random);
  }

  /**
   * The same counter-and-permutation scheme per prefix keeps numbers distinct until a prefix has
   * handed out all ten million; after that they repeat (shared phones happen in real data too).
   */
  phoneNumber(prefix: number): string {
    const n = this.phoneCounters[prefix] ?? 0;
    this.phoneCounters[prefix] = (n + 1) % PHONE_SUFFIXES;
    const suffix = permute(n, 1000, 10_000, mix32(this.key ^ Math.imul(prefix + 1, 0x85ebca6b)));
    return `${this.prefixStrings[prefix]}${String(suffix).padStart(7, '0')}`;
  }

  carrier(prefix: number): Carrier {
    return this.prefixCarriers[prefix] ?? 'viettel';
  }
}
