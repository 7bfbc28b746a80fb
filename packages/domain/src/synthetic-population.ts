/**
 * A reproducible synthetic population for demos and benchmarks: households of residents with
 * valid, unique citizen IDs, real carrier prefixes and digital-citizen facts.
 *
 * It streams (a generator), so a whole city of 14 million people needs memory only for the
 * household being built plus a few small counters. The same options always give the same
 * output: every random choice comes from one seeded generator, consumed in a fixed order.
 */
import { isCitizenIdProvinceCode, type Sex } from './citizen-id.ts';
import type { Indicator } from './indicators.ts';
import type { Carrier } from './phone.ts';
import { buildCalendar, parseIsoDate, type Calendar } from './synthetic-calendar.ts';
import { IdentifierIssuer } from './synthetic-identifiers.ts';
import { WeightedTable, createRandom, mix32, type Random } from './synthetic-random.ts';
import { FACT_REPORTING, generationShares, prevalenceBandIndex } from './synthetic-prevalence.ts';
import {
  DEFAULT_NEIGHBOURHOODS,
  GIVEN_NAMES_FEMALE,
  GIVEN_NAMES_MALE,
  HOUSEHOLD_SHAPE,
  MIDDLE_NAMES_FEMALE_OLDER,
  MIDDLE_NAMES_FEMALE_YOUNGER,
  MIDDLE_NAMES_MALE_OLDER,
  MIDDLE_NAMES_MALE_YOUNGER,
  POVERTY_SHARES,
  SECOND_MIDDLE_AFTER_THI_SHARE,
  SECOND_MIDDLE_NAMES_FEMALE,
  STREET_NAMES,
  SURNAMES,
} from './synthetic-tables.ts';

// Re-exported so that the package index, which re-exports this module, exposes them too.
export { createRandom, type Random };
export {
  FACT_REPORTING,
  INDICATOR_PREVALENCE,
  POOR_HOUSEHOLD_SMARTPHONE_FACTOR,
  type Prevalence,
  type PrevalenceAgeBand,
  type PrevalenceKey,
} from './synthetic-prevalence.ts';

export type PovertyStatus = 'poor' | 'near_poor' | 'none';
export type RelationToHead = 'head' | 'spouse' | 'child' | 'parent' | 'grandchild' | 'sibling' | 'relative' | 'other';
export type ResidenceType = 'permanent' | 'temporary';

export interface SyntheticFact {
  indicator: Indicator;
  value: string;
  observedOn: string;
}

export interface SyntheticResident {
  fullName: string;
  birthDate: string;
  sex: Sex;
  citizenId: string | null;
  phone: string | null;
  phoneCarrier: Carrier | null;
  relationToHead: RelationToHead;
  residenceType: ResidenceType;
  facts: SyntheticFact[];
}

export interface SyntheticHousehold {
  unitCode: string;
  neighbourhood: string;
  address: string;
  povertyStatus: PovertyStatus;
  povertyListYear: number | null;
  members: SyntheticResident[];
}

export interface SyntheticUnit {
  code: string;
  name: string;
  neighbourhoods?: readonly string[];
  /** The unit's official population: when every unit has one, people are shared out in proportion to it. */
  population?: number | null;
}

export interface GenerateHouseholdsOptions {
  /** Exactly this many residents are produced; the last household may be cut short. */
  people: number;
  seed: number;
  units: readonly SyntheticUnit[];
  /** Citizen-ID code of the province being generated ('079' for Ho Chi Minh City). */
  provinceCode: string;
  /** 'YYYY-MM-DD': ages are computed on this day; facts are observed up to it. */
  today: string;
}

/** Poverty lists are certified each year; the generated ones are the 2025 lists. */
const POVERTY_LIST_YEAR = 2025;
/** Facts are observed from the start of the two-level local government, 1 July 2025. */
const OBSERVATION_START = '2025-07-01';
const MAX_MEMBERS = 8;
const CALENDAR_YEARS = 105;

// Module-local copies of hot imported bindings: transpiled imports are property reads, and these
// are read millions of times.
const SHAPE = HOUSEHOLD_SHAPE;
const STREETS = STREET_NAMES;
const MALE_NAMES = GIVEN_NAMES_MALE;
const FEMALE_NAMES = GIVEN_NAMES_FEMALE;
const SECOND_MIDDLES = SECOND_MIDDLE_NAMES_FEMALE;
const bandIndex = prevalenceBandIndex;
const DEFAULT_NEIGHBOURHOOD_NAMES = DEFAULT_NEIGHBOURHOODS.map(([name]) => name);
const REPORTING = FACT_REPORTING;
const SHARES = generationShares(POVERTY_SHARES.poor + POVERTY_SHARES.nearPoor);

/** Per-unit state, built when generation reaches the unit. */
interface UnitState {
  code: string;
  neighbourhoodNames: readonly string[];
  neighbourhoods: WeightedTable<number>;
  /** Offset into STREET_NAMES per neighbourhood, so a neighbourhood has a few streets of its own. */
  streetBase: number;
}

/** The value of the first band whose upper bound is at least `key` (bands are in ascending order). */
function bandValue<T>(bands: readonly (readonly [number, T])[], key: number): T {
  for (const [upTo, value] of bands) if (key <= upTo) return value;
  return (bands[bands.length - 1] as readonly [number, T])[1];
}

type Reporting = (typeof FACT_REPORTING)[Indicator];

const opposite = (sex: Sex): Sex => (sex === 'male' ? 'female' : 'male');
const clampAge = (age: number): number => (age < 0 ? 0 : age > 98 ? 98 : age);

class PopulationFactory {
  private readonly random: Random;
  private readonly calendar: Calendar;
  // The household being built, kept on the instance to avoid a closure per household.
  private members: SyntheticResident[] = [];
  private residence: ResidenceType = 'permanent';
  private poor = false;
  private readonly seedKey: number;
  private readonly issuer: IdentifierIssuer;
  private readonly surnames = new WeightedTable(SURNAMES);
  private readonly maleMiddleOlder = new WeightedTable(MIDDLE_NAMES_MALE_OLDER);
  private readonly maleMiddleYounger = new WeightedTable(MIDDLE_NAMES_MALE_YOUNGER);
  private readonly femaleMiddleOlder = new WeightedTable(MIDDLE_NAMES_FEMALE_OLDER);
  private readonly femaleMiddleYounger = new WeightedTable(MIDDLE_NAMES_FEMALE_YOUNGER);
  private readonly defaultNeighbourhoods = new WeightedTable(DEFAULT_NEIGHBOURHOODS.map(([, w], i) => [i, w] as const));
  private readonly headAgeDecades = new WeightedTable(SHAPE.headAgeDecades);
  private readonly childCounts = SHAPE.childrenByMotherAge.map(([upTo, counts]) => [upTo, new WeightedTable(counts)] as const);

  constructor(random: Random, calendar: Calendar, seed: number, provinceCode: string) {
    this.random = random;
    this.calendar = calendar;
    this.seedKey = mix32(Math.trunc(seed) ^ 0x5bd1e995);
    this.issuer = new IdentifierIssuer(random, seed, provinceCode);
  }

  unitState(unit: SyntheticUnit, unitIndex: number): UnitState {
    const given = unit.neighbourhoods;
    const streetBase = mix32(this.seedKey ^ Math.imul(unitIndex + 1, 0x27d4eb2f));
    if (!given || given.length === 0) {
      return { code: unit.code, neighbourhoodNames: DEFAULT_NEIGHBOURHOOD_NAMES, neighbourhoods: this.defaultNeighbourhoods, streetBase };
    }
    // Given neighbourhoods differ in size; the weights are drawn once per unit.
    const neighbourhoods = new WeightedTable(given.map((_, i) => [i, 0.5 + this.random.next()] as const));
    return { code: unit.code, neighbourhoodNames: given, neighbourhoods, streetBase };
  }

  household(unit: UnitState): SyntheticHousehold {
    const r = this.random;
    const neighbourhoodIndex = unit.neighbourhoods.sample(r);
    const neighbourhood = unit.neighbourhoodNames[neighbourhoodIndex] ?? '';
    // Four neighbouring streets per neighbourhood, so addresses cluster as they do on the ground.
    const street = STREETS[(unit.streetBase + neighbourhoodIndex * 4 + r.int(0, 3)) % STREETS.length];
    const number = r.int(1, 350);
    const alley = r.next() < 0.55 ? (r.next() < 0.25 ? `/${r.int(1, 80)}/${r.int(1, 30)}` : `/${r.int(1, 80)}`) : '';
    const address = `${number}${alley} Đường ${street}, ${neighbourhood}`;
    const u = r.next();
    const { poor, nearPoor } = POVERTY_SHARES;
    const povertyStatus: PovertyStatus = u < poor ? 'poor' : u < poor + nearPoor ? 'near_poor' : 'none';
    const residence: ResidenceType = r.next() < SHAPE.temporaryShare ? 'temporary' : 'permanent';
    const members: SyntheticResident[] = [];
    this.members = members;
    this.residence = residence;
    this.poor = povertyStatus !== 'none';
    this.fillMembers();
    return {
      unitCode: unit.code,
      neighbourhood,
      address,
      povertyStatus,
      povertyListYear: povertyStatus === 'none' ? null : POVERTY_LIST_YEAR,
      members,
    };
  }

  /** Builds a plausible family around a head: spouse, children, grandchildren, parents, others. */
  private fillMembers(): void {
    const r = this.random;
    const shape = SHAPE;
    const headSex: Sex = r.next() < shape.femaleHeadShare ? 'female' : 'male';
    const headAge = this.headAgeDecades.sample(r) + r.int(0, 9);
    const headSurname = this.surnames.sample(r);
    this.add('head', headAge, headSex, headSurname);
    if (r.next() < bandValue(shape.livingAloneByHeadAge, headAge)) return;

    let spouseAge = -1;
    let spouseSurname = '';
    if (r.next() < shape.spouseShare) {
      const gap = r.int(-1, 6);
      spouseAge = clampAge(headSex === 'male' ? headAge - gap : headAge + gap);
      spouseSurname = this.surnames.sample(r);
      this.add('spouse', spouseAge, opposite(headSex), spouseSurname);
    }
    // Children take the father's surname; a woman keeps her own, so the mother's is different.
    const hasSpouse = spouseAge >= 0;
    const fatherSurname = headSex === 'male' ? headSurname : hasSpouse ? spouseSurname : this.surnames.sample(r);
    const motherSurname = headSex === 'female' ? headSurname : hasSpouse ? spouseSurname : this.surnames.sample(r);
    const motherAge = headSex === 'female' ? headAge : hasSpouse ? spouseAge : headAge - 3;
    const children = bandValue(this.childCounts, motherAge).sample(r);
    let eldestAge = -1;
    let eldestSex: Sex = 'male';
    let eldestSurname = fatherSurname;
    for (let k = 0; k < children; k++) {
      const age = motherAge - r.int(shape.motherAgeAtBirth[0], shape.motherAgeAtBirth[1]);
      if (age < 0) continue;
      const sex: Sex = r.next() < shape.maleBirthShare ? 'male' : 'female';
      const surname = r.next() < shape.fatherSurnameShare ? fatherSurname : motherSurname;
      this.add('child', age, sex, surname);
      if (age > eldestAge) {
        eldestAge = age;
        eldestSex = sex;
        eldestSurname = surname;
      }
    }
    // A grown child often brings a spouse home and raises the grandchildren there.
    if (eldestAge >= 24 && r.next() < shape.grandchildShare) {
      const partnerSex = opposite(eldestSex);
      const partnerAge = clampAge(eldestAge + (eldestSex === 'male' ? -r.int(0, 5) : r.int(0, 5)));
      const partnerSurname = this.surnames.sample(r);
      this.add('relative', partnerAge, partnerSex, partnerSurname);
      const grandMotherAge = eldestSex === 'female' ? eldestAge : partnerAge;
      const grandSurname = eldestSex === 'male' ? eldestSurname : partnerSurname;
      const grandchildren = r.int(1, 3);
      for (let k = 0; k < grandchildren; k++) {
        const age = grandMotherAge - r.int(shape.motherAgeAtBirth[0], shape.motherAgeAtBirth[1]);
        if (age >= 0) this.add('grandchild', age, r.next() < shape.maleBirthShare ? 'male' : 'female', grandSurname);
      }
    }
    if (headAge <= 58 && r.next() < shape.parentShare) {
      const fatherAge = headAge + r.int(24, 36);
      if (r.next() < 0.5 && fatherAge <= 98) this.add('parent', fatherAge, 'male', headSurname);
      const motherOfHeadAge = headAge + r.int(20, 32);
      if (r.next() < 0.85 && motherOfHeadAge <= 98) this.add('parent', motherOfHeadAge, 'female', this.surnames.sample(r));
    }
    if (r.next() < shape.siblingShare) {
      const age = headAge + r.int(-8, 8);
      this.add('sibling', age < 16 ? 16 : clampAge(age), r.next() < 0.5 ? 'male' : 'female', headSurname);
    }
    // Lodgers: far more common in rented rooms, and always temporary residents.
    if (r.next() < (this.residence === 'temporary' ? shape.lodgerShareTemporary : shape.lodgerShare)) {
      this.add('other', r.int(18, 45), r.next() < 0.5 ? 'male' : 'female', this.surnames.sample(r), 'temporary');
    }
  }

  /** Adds a member to the household being built, up to MAX_MEMBERS. */
  private add(relation: RelationToHead, targetAge: number, sex: Sex, surname: string, type?: ResidenceType): void {
    if (this.members.length < MAX_MEMBERS) this.members.push(this.resident(relation, targetAge, sex, surname, type ?? this.residence));
  }

  private resident(relation: RelationToHead, targetAge: number, sex: Sex, surname: string, residence: ResidenceType): SyntheticResident {
    const r = this.random;
    const calendar = this.calendar;
    const index = Math.max(0, calendar.todayIndex - Math.floor((targetAge + r.next()) * 365.2425));
    const age = calendar.ages[index] ?? 0;
    const birthYear = calendar.years[index] ?? 0;
    const band = bandIndex(age);
    const fullName = this.fullName(surname, sex, birthYear);
    // Everyone from 14 holds an ID; younger children only when their parents asked for one.
    const citizenId =
      age >= 14 || r.next() < SHARES.citizenIdUnder14
        ? this.issuer.citizenId(sex, birthYear, (age < 18 ? SHAPE.bornHereMinor : SHAPE.bornHereAdult)[residence])
        : null;
    let phone: string | null = null;
    let phoneCarrier: Carrier | null = null;
    const facts: SyntheticFact[] = [];
    if (age >= 14) {
      const only2g = r.next() < SHARES.only2g[band]!;
      if (only2g || r.next() < SHARES.phoneUnless2g[band]!) {
        const prefix = this.issuer.drawPhonePrefix();
        phone = this.issuer.phoneNumber(prefix);
        phoneCarrier = this.issuer.carrier(prefix);
      }
      const smartphone = !only2g && r.next() < (this.poor ? SHARES.smartphoneUnless2gPoor : SHARES.smartphoneUnless2g)[band]!;
      const vneid = SHARES.vneid(band, r.next());
      const level2 = vneid === 'level2';
      const basic = r.next() < SHARES.basicSkills[band]!;
      const R = REPORTING;
      this.report(facts, 'citizen_id_card', 'true', true, R.citizen_id_card);
      this.report(facts, 'vneid', vneid, vneid !== 'none', R.vneid);
      this.report(facts, 'smartphone', smartphone ? 'true' : 'false', smartphone, R.smartphone);
      if (only2g) this.report(facts, 'phone_2g_only', 'true', true, R.phone_2g_only);
      this.reportShare(facts, 'epayment_account', SHARES.epayment[band]!, R.epayment_account);
      this.reportShare(facts, 'public_service_account', SHARES.publicService[band]!, R.public_service_account);
      this.reportShare(facts, 'social_insurance_vneid', level2 ? SHARES.socialInsuranceIfLevel2[band]! : 0, R.social_insurance_vneid);
      this.report(facts, 'basic_skills_trained', basic ? 'true' : 'false', basic, R.basic_skills_trained);
      this.reportShare(facts, 'city_app_installed', smartphone ? SHARES.cityAppIfSmartphone[band]! : 0, R.city_app_installed);
      this.reportShare(facts, 'digital_literacy_certified', basic ? SHARES.literacyIfTrained[band]! : 0, R.digital_literacy_certified);
    }
    return {
      fullName,
      birthDate: calendar.dates[index] ?? '',
      sex,
      citizenId,
      phone,
      phoneCarrier,
      relationToHead: relation,
      residenceType: residence,
      facts,
    };
  }

  /** Adds a fact with the chance that a source would have stated it (FACT_REPORTING). */
  private report(facts: SyntheticFact[], indicator: Indicator, value: string, truth: boolean, reporting: Reporting): void {
    if (this.random.next() >= (truth ? reporting.ifTrue : reporting.ifFalse)) return;
    const calendar = this.calendar;
    const day = calendar.observedFrom + Math.floor(this.random.next() * (calendar.todayIndex - calendar.observedFrom + 1));
    facts.push({ indicator, value, observedOn: calendar.dates[day] ?? '' });
  }

  private reportShare(facts: SyntheticFact[], indicator: Indicator, share: number, reporting: Reporting): void {
    const truth = this.random.next() < share;
    this.report(facts, indicator, truth ? 'true' : 'false', truth, reporting);
  }

  private fullName(surname: string, sex: Sex, birthYear: number): string {
    const r = this.random;
    const younger = birthYear >= 1990;
    if (sex === 'male') {
      const middle = (younger ? this.maleMiddleYounger : this.maleMiddleOlder).sample(r);
      let given = r.pick(MALE_NAMES);
      while (given === middle) given = r.pick(MALE_NAMES);
      return `${surname} ${middle} ${given}`;
    }
    let middle = (younger ? this.femaleMiddleYounger : this.femaleMiddleOlder).sample(r);
    let given = r.pick(FEMALE_NAMES);
    while (given === middle) given = r.pick(FEMALE_NAMES);
    if (middle === 'Thị' && r.next() < SECOND_MIDDLE_AFTER_THI_SHARE) {
      const second = r.pick(SECOND_MIDDLES);
      if (second !== given) middle = `Thị ${second}`;
    }
    return `${surname} ${middle} ${given}`;
  }
}

function validate(options: GenerateHouseholdsOptions): void {
  if (!Number.isSafeInteger(options.people) || options.people < 0) {
    throw new RangeError(`Số người phải là số nguyên không âm, nhận ${options.people}`);
  }
  if (!Number.isFinite(options.seed)) throw new RangeError('Hạt giống (seed) phải là một số hữu hạn');
  if (options.units.length === 0) throw new RangeError('Cần ít nhất một đơn vị hành chính');
  if (!isCitizenIdProvinceCode(options.provinceCode)) {
    throw new RangeError(`Mã tỉnh "${options.provinceCode}" không phải mã tỉnh trong số CCCD`);
  }
  parseIsoDate(options.today);
}

/**
 * Yields households until exactly `people` residents have been produced. Units are filled one
 * after another (so output arrives grouped by unit), each taking a share of the people drawn once
 * from the seed, because real wards differ in size. Bad options throw here, not at the first
 * next(), so the mistake surfaces where it was made.
 */
export function generateHouseholds(options: GenerateHouseholdsOptions): Generator<SyntheticHousehold, void, undefined> {
  validate(options);
  return generate(options);
}

function* generate(options: GenerateHouseholdsOptions): Generator<SyntheticHousehold, void, undefined> {
  const random = createRandom(options.seed);
  const factory = new PopulationFactory(random, buildCalendar(options.today, CALENDAR_YEARS, OBSERVATION_START), options.seed, options.provinceCode);
  const { units, people } = options;
  const ends = new Float64Array(units.length);
  let total = 0;
  const byPopulation = units.every((u) => typeof u.population === 'number' && u.population > 0);
  for (let i = 0; i < units.length; i++) ends[i] = total += byPopulation ? (units[i]!.population as number) : 0.4 + 1.2 * random.next();
  for (let i = 0; i < units.length; i++) ends[i] = (ends[i]! / total) * people;

  let produced = 0;
  let unitIndex = 0;
  let unit = factory.unitState(units[0]!, 0);
  while (produced < people) {
    // Move on once this unit has its share; the last unit takes whatever remains.
    while (unitIndex < units.length - 1 && produced >= ends[unitIndex]!) {
      unitIndex++;
      unit = factory.unitState(units[unitIndex]!, unitIndex);
    }
    const household = factory.household(unit);
    const remaining = people - produced;
    if (household.members.length > remaining) household.members.length = remaining;
    produced += household.members.length;
    yield household;
  }
}
