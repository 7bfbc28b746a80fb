// Splitting a city's target into unit quotas. Two rules, chosen so a person can say in one
// sentence why their unit got its number:
//  - a share (percent): every unit closes the same fraction of the gap it has left ("equal
//    effort"). A unit at 90% towards a 100% goal gets a smaller step than one at 40%, and if every
//    unit meets its quota the city meets its target exactly;
//  - a count: the city's number shared by each unit's population (largest remainders, so the
//    quotas add up to the city's number exactly); "at most" counts shrink in proportion to what
//    each unit has now.

export interface UnitStanding {
  code: string;
  numerator: number | null;
  denominator: number | null;
}

export interface SplitInput {
  target: number;
  unit: 'percent' | 'count';
  direction: 'at_least' | 'at_most';
  units: readonly UnitStanding[];
}

export interface UnitQuota {
  code: string;
  target: number;
}

export interface SplitResult {
  /**
   * How it was split: equal_effort (a share), by_population or by_current (a count going up or
   * down), or equal (a count with no population or current figure to weigh by, e.g. a reported one).
   */
  method: 'equal_effort' | 'by_population' | 'by_current' | 'equal';
  quotas: UnitQuota[];
  /** For a share: the fraction of its gap every unit closes (0–1); null for a count. */
  effort: number | null;
  /** The city's value now, from the units' figures (percent or count). */
  cityNow: number | null;
}

/** Quotas are shown to one decimal; rounding is towards the harder side, so the city target still holds. */
const roundTowards = (value: number, direction: 'at_least' | 'at_most') =>
  direction === 'at_least' ? Math.ceil(value * 10 - 1e-9) / 10 : Math.floor(value * 10 + 1e-9) / 10;

export function splitTarget(input: SplitInput): SplitResult {
  return input.unit === 'percent' ? splitShare(input) : splitCount(input);
}

function splitShare({ target, direction, units }: SplitInput): SplitResult {
  const known = units.filter((u) => u.denominator !== null && u.denominator > 0 && u.numerator !== null);
  const numerator = known.reduce((s, u) => s + (u.numerator ?? 0), 0);
  const denominator = known.reduce((s, u) => s + (u.denominator ?? 0), 0);
  if (denominator === 0) return { method: 'equal_effort', quotas: units.map((u) => ({ code: u.code, target })), effort: null, cityNow: null };
  const now = (100 * numerator) / denominator;
  // The fraction of the remaining gap (to 100% going up, to 0% going down) the city must close.
  const room = direction === 'at_least' ? 100 - now : now;
  const needed = direction === 'at_least' ? target - now : now - target;
  const effort = needed <= 0 ? 0 : room <= 0 ? 1 : Math.min(1, needed / room);
  const quotas = units.map((u) => {
    if (u.denominator === null || u.denominator <= 0 || u.numerator === null) return { code: u.code, target };
    const current = (100 * u.numerator) / u.denominator;
    // A city already at its target asks each unit for that target, not to hold what it has.
    const goal = effort === 0 ? target : direction === 'at_least' ? current + effort * (100 - current) : current - effort * current;
    return { code: u.code, target: Math.min(100, Math.max(0, roundTowards(goal, direction))) };
  });
  return { method: 'equal_effort', quotas, effort, cityNow: now };
}

function splitCount({ target, direction, units }: SplitInput): SplitResult {
  const cityNow = units.reduce((s, u) => s + (u.numerator ?? 0), 0);
  // Going down, each unit shrinks from what it has; going up, each takes its population's share.
  const weights = units.map((u) => Math.max(0, (direction === 'at_most' ? u.numerator : u.denominator) ?? 0));
  const total = weights.reduce((s, w) => s + w, 0);
  const shares = units.map((_, i) => (total > 0 ? (target * weights[i]!) / total : target / Math.max(units.length, 1)));
  const whole = shares.map(Math.floor);
  let left = Math.round(target - whole.reduce((s, w) => s + w, 0));
  // Largest remainders take the units left over, ties by order (the units' codes), so it is stable.
  const order = shares.map((s, i) => ({ i, r: s - Math.floor(s) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    whole[i]! += 1;
    left -= 1;
  }
  return { method: total > 0 ? (direction === 'at_most' ? 'by_current' : 'by_population') : 'equal', quotas: units.map((u, i) => ({ code: u.code, target: whole[i]! })), effort: null, cityNow };
}
