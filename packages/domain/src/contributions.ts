import type { Indicator } from './indicators.ts';
import { valueCounts } from './elements.ts';
import {
  HOUSEHOLD_MEASURES,
  HOUSEHOLD_MEASURE_OF,
  ORGANISATION_MEASURES,
  POPULATION_MIN_AGE,
  ledgerKey,
  residentMeasuresOf,
  type Population,
  type ResidentMeasure,
} from './measures.ts';

/**
 * What one subject adds to the indicator figures, as intervals of days: "this resident counted
 * among the adults of unit X from 2026-03-04, and among adults with an e-payment account from
 * 2026-05-10". Figures on any day are the number of intervals covering it; the ledger stores
 * only the interval ends (+1 at the start, −1 at the end). A pure function of the registry: the
 * incremental ledger and a recomputation from scratch use this same code, so they agree.
 */

/** The two-level local government began on this day; the registry's units do not exist before it. */
export const HISTORY_START = '2025-07-01';

export interface FactInput {
  id: number;
  indicator: string;
  value: string;
  observedOn: string;
  correctsFactId: number | null;
  /** A retraction withdraws the fact it corrects and states no value of its own (an import rolled back). */
  retracts?: boolean;
}

export interface ResidentInput {
  id: number;
  unitCode: string;
  neighbourhoodId: number | null;
  birthDate: string | null;
  birthYear: number;
  status: 'living' | 'moved_away' | 'deceased';
  /** The day the resident died or moved away; null while living. */
  leftOn: string | null;
  /** Facts of this resident and of every record merged into it. */
  facts: readonly FactInput[];
}

export interface HouseholdInput {
  id: number;
  unitCode: string;
  neighbourhoodId: number | null;
  povertyStatus: 'poor' | 'near_poor' | 'none';
  povertyListYear: number | null;
  members: readonly ResidentInput[];
}

export interface OrganisationInput {
  id: number;
  unitCode: string;
  neighbourhoodId: number | null;
  facts: readonly FactInput[];
}

/** [from, to): `to` null means still open. */
export interface Interval {
  from: string;
  to: string | null;
}

export interface Contribution extends Interval {
  unitCode: string;
  neighbourhoodId: number | null;
  key: string;
}

function later(a: string, b: string): string {
  return a > b ? a : b;
}

function intersect(a: Interval, b: Interval): Interval | null {
  const from = later(a.from, b.from);
  const to = a.to === null ? b.to : b.to === null ? a.to : a.to < b.to ? a.to : b.to;
  return to !== null && to <= from ? null : { from, to };
}

/** The day someone reaches `years`; 29 February falls on 1 March in other years, as ageOn counts it. */
export function anniversary(birthDate: string | null, birthYear: number, years: number): string {
  if (!birthDate) return `${birthYear + years}-01-01`;
  const year = Number(birthDate.slice(0, 4)) + years;
  const monthDay = birthDate.slice(5);
  if (monthDay === '02-29' && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return `${year}-03-01`;
  return `${year}-${monthDay}`;
}

/** Sorted intervals of the union; adjacent or overlapping ones joined. */
function union(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const out: Interval[] = [];
  for (const interval of sorted) {
    const last = out[out.length - 1];
    if (last && (last.to === null || last.to >= interval.from)) {
      if (last.to !== null && (interval.to === null || interval.to > last.to)) last.to = interval.to;
    } else out.push({ ...interval });
  }
  return out;
}

/**
 * The facts that stand: a fact another fact corrects or retracts is set aside for all time, and on each day
 * the latest observation wins (ties: the later record), as the registry's current value does.
 */
function standingFactsByDay(facts: readonly FactInput[]): [string, FactInput[]][] {
  const corrected = new Set<number>();
  for (const fact of facts) if (fact.correctsFactId !== null) corrected.add(fact.correctsFactId);
  const standing = facts.filter((fact) => !corrected.has(fact.id) && !fact.retracts);
  standing.sort((a, b) => (a.observedOn < b.observedOn ? -1 : a.observedOn > b.observedOn ? 1 : a.id - b.id));
  const days: [string, FactInput[]][] = [];
  for (const fact of standing) {
    const last = days[days.length - 1];
    if (last && last[0] === fact.observedOn) last[1].push(fact);
    else days.push([fact.observedOn, [fact]]);
  }
  return days;
}

/** For each measure, the intervals during which it held, from a step function of the facts. */
function measureIntervals<M extends string>(
  facts: readonly FactInput[],
  measuresOf: (current: Partial<Record<Indicator, string>>, seen: ReadonlySet<string>) => Iterable<M>,
): Map<M, Interval[]> {
  const current: Partial<Record<Indicator, string>> = {};
  const seen = new Set<string>();
  const open = new Map<M, string>();
  const result = new Map<M, Interval[]>();
  for (const [day, facts_] of standingFactsByDay(facts)) {
    for (const fact of facts_) {
      current[fact.indicator as Indicator] = fact.value;
      seen.add(`${fact.indicator}=${fact.value}`);
    }
    const now = new Set(measuresOf(current, seen));
    for (const [measure, from] of open) {
      if (now.has(measure)) continue;
      open.delete(measure);
      if (from < day) add(result, measure, { from, to: day });
    }
    for (const measure of now) if (!open.has(measure)) open.set(measure, day);
  }
  for (const [measure, from] of open) add(result, measure, { from, to: null });
  return result;
}

function add<M>(result: Map<M, Interval[]>, measure: M, interval: Interval) {
  const list = result.get(measure);
  if (list) list.push(interval);
  else result.set(measure, [interval]);
}

// A resident's timeline is needed twice, for their own figures and their household's: worked out once.
const timelines = new WeakMap<readonly FactInput[], Map<ResidentMeasure, Interval[]>>();

function residentMeasureIntervals(facts: readonly FactInput[]): Map<ResidentMeasure, Interval[]> {
  let timeline = timelines.get(facts);
  if (!timeline) {
    timeline = measureIntervals<ResidentMeasure>(facts, (current, seen) => residentMeasuresOf(current, seen.has('phone_2g_only=true')));
    timelines.set(facts, timeline);
  }
  return timeline;
}

/** The days the resident lived in the registry: from birth until they died or moved away. */
function residenceOf(resident: ResidentInput): Interval | null {
  const from = resident.birthDate ?? `${resident.birthYear}-01-01`;
  if (resident.status === 'living') return { from, to: null };
  // Someone recorded as gone without a date is counted as gone for all of the registry's history.
  if (!resident.leftOn || resident.leftOn <= from) return null;
  return { from, to: resident.leftOn };
}

export function residentContributions(resident: ResidentInput): Contribution[] {
  const residence = residenceOf(resident);
  if (!residence) return [];
  const measures = residentMeasureIntervals(resident.facts);
  const populations: [Population, Interval][] = [];
  for (const population of ['residents', 'eligible_residents', 'adults'] as const) {
    const minAge = POPULATION_MIN_AGE[population];
    const span = minAge === undefined ? residence : intersect(residence, { from: anniversary(resident.birthDate, resident.birthYear, minAge), to: null });
    if (span) populations.push([population, span]);
  }
  // A 2G-only user from the first day a standing fact said so, for as long as they live here.
  const first2g = standingFactsByDay(resident.facts).find(([, facts]) => facts.some((f) => f.indicator === 'phone_2g_only' && f.value === 'true'));
  if (first2g) {
    const span = intersect(residence, { from: first2g[0], to: null });
    if (span) populations.push(['phone_2g_users', span]);
  }
  const out: Contribution[] = [];
  const place = { unitCode: resident.unitCode, neighbourhoodId: resident.neighbourhoodId };
  for (const [population, span] of populations) {
    push(out, place, ledgerKey(population), [span]);
    for (const [measure, intervals] of measures) {
      push(out, place, ledgerKey(population, measure), intervals.map((i) => intersect(span, i)).filter((i): i is Interval => i !== null));
    }
  }
  return out;
}

export function householdContributions(household: HouseholdInput): Contribution[] {
  const place = { unitCode: household.unitCode, neighbourhoodId: household.neighbourhoodId };
  const residences: Interval[] = [];
  const byMeasure = new Map<ResidentMeasure, Interval[]>();
  for (const member of household.members) {
    const residence = residenceOf(member);
    if (!residence) continue;
    residences.push(residence);
    const measures = residentMeasureIntervals(member.facts);
    for (const measure of HOUSEHOLD_MEASURES) {
      const of = HOUSEHOLD_MEASURE_OF[measure];
      const spans = (measures.get(of) ?? []).map((i) => intersect(residence, i)).filter((i): i is Interval => i !== null);
      byMeasure.set(of, [...(byMeasure.get(of) ?? []), ...spans]);
    }
  }
  // A household counts while at least one member lives in it.
  const lived = union(residences);
  const populations: [Population, Interval[]][] = [['households', lived]];
  if (household.povertyStatus !== 'none' && household.povertyListYear !== null) {
    const listed = { from: `${household.povertyListYear}-01-01`, to: null };
    populations.push(['poor_households', lived.map((i) => intersect(i, listed)).filter((i): i is Interval => i !== null)]);
  }
  const out: Contribution[] = [];
  for (const [population, spans] of populations) {
    push(out, place, ledgerKey(population), spans);
    for (const measure of HOUSEHOLD_MEASURES) {
      const held = union(byMeasure.get(HOUSEHOLD_MEASURE_OF[measure]) ?? []);
      const within = spans.flatMap((span) => held.map((i) => intersect(span, i)).filter((i): i is Interval => i !== null));
      push(out, place, ledgerKey(population, measure), within);
    }
  }
  return out;
}

export function organisationContributions(organisation: OrganisationInput): Contribution[] {
  const place = { unitCode: organisation.unitCode, neighbourhoodId: organisation.neighbourhoodId };
  const out: Contribution[] = [];
  push(out, place, ledgerKey('organisations'), [{ from: HISTORY_START, to: null }]);
  const measures = measureIntervals(organisation.facts, (current) =>
    ORGANISATION_MEASURES.filter((measure) => valueCounts(measure, current[measure])),
  );
  for (const [measure, intervals] of measures) push(out, place, ledgerKey('organisations', measure), intervals);
  return out;
}

function push(out: Contribution[], place: Pick<Contribution, 'unitCode' | 'neighbourhoodId'>, key: string, intervals: readonly Interval[]) {
  for (const interval of intervals) {
    const from = interval.from > HISTORY_START ? interval.from : HISTORY_START;
    if (interval.to !== null && interval.to <= from) continue;
    out.push({ unitCode: place.unitCode, neighbourhoodId: place.neighbourhoodId, key, from, to: interval.to });
  }
}

/**
 * The ledger changes of a set of contributions, one call per change. Every change is written for
 * the city as a whole (its province code), for the unit (neighbourhood 0) and, when the subject is
 * in one, for its neighbourhood, so no figure needs a sum over areas at read time.
 */
export function forEachLedgerChange(
  contributions: readonly Contribution[],
  cityCode: string,
  sign: 1 | -1,
  visit: (area: string, neighbourhood: number, key: string, day: string, delta: number) => void,
): void {
  for (const c of contributions) {
    visit(cityCode, 0, c.key, c.from, sign);
    if (c.to !== null) visit(cityCode, 0, c.key, c.to, -sign);
    visit(c.unitCode, 0, c.key, c.from, sign);
    if (c.to !== null) visit(c.unitCode, 0, c.key, c.to, -sign);
    if (c.neighbourhoodId !== null) {
      visit(c.unitCode, c.neighbourhoodId, c.key, c.from, sign);
      if (c.to !== null) visit(c.unitCode, c.neighbourhoodId, c.key, c.to, -sign);
    }
  }
}

/** Ledger rows of a set of contributions, one per (area, neighbourhood, key, day) with the net change. */
export function ledgerDeltas(contributions: readonly Contribution[], cityCode: string, sign: 1 | -1 = 1, into = new Map<string, number>()): Map<string, number> {
  forEachLedgerChange(contributions, cityCode, sign, (area, neighbourhood, key, day, delta) => {
    const id = `${area}\t${neighbourhood}\t${key}\t${day}`;
    const next = (into.get(id) ?? 0) + delta;
    if (next === 0) into.delete(id);
    else into.set(id, next);
  });
  return into;
}

export interface LedgerDelta {
  unitCode: string;
  neighbourhoodId: number;
  key: string;
  day: string;
  delta: number;
}

export function parseLedgerDeltas(deltas: ReadonlyMap<string, number>): LedgerDelta[] {
  return [...deltas].map(([id, delta]) => {
    const [unitCode = '', neighbourhood = '0', key = '', day = ''] = id.split('\t');
    return { unitCode, neighbourhoodId: Number(neighbourhood), key, day, delta };
  });
}
