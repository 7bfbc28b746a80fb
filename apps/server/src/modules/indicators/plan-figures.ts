import type { IndicatorFigure, PlanFile, PlanIndicatorDefinition } from '@cds/contract';
import { daysBetween, evaluateFormula, ledgerKey, parseFormula, projectToDeadline, targetStatus, type Population } from '@cds/domain';

/** A reported figure as it counts: a share given as numerator/denominator, or a value alone. */
export interface ReportedFigure {
  numerator: number | null;
  denominator: number | null;
  value: number;
  /** How many units' reports a city's figure combines (cityReport); absent for one unit's own. */
  units?: number;
}

/** Everything one area's figures are worked out from, on the day asked and TREND_DAYS before it. */
export interface AreaInputs {
  counts: ReadonlyMap<string, number>;
  earlierCounts: ReadonlyMap<string, number>;
  reported: ReadonlyMap<string, ReportedFigure>;
  earlierReported: ReadonlyMap<string, ReportedFigure>;
  /** A unit's own target (quota) where one is set. */
  targets: ReadonlyMap<string, number>;
}

/** The ledger keys a plan's computed indicators read. */
export function planKeys(plan: PlanFile): string[] {
  const keys = new Set<string>();
  for (const indicator of plan.indicators) {
    if (indicator.kind !== 'computed') continue;
    keys.add(ledgerKey(indicator.population as Population));
    if (indicator.measure) keys.add(ledgerKey(indicator.population as Population, indicator.measure));
  }
  return [...keys];
}

type Raw = { numerator: number | null; denominator: number | null; value: number | null; reportedBy?: number | null };

function computed(indicator: Extract<PlanIndicatorDefinition, { kind: 'computed' }>, counts: ReadonlyMap<string, number>): Raw {
  const population = indicator.population as Population;
  const denominator = counts.get(ledgerKey(population)) ?? 0;
  if (!indicator.measure) return { numerator: null, denominator, value: denominator };
  const numerator = counts.get(ledgerKey(population, indicator.measure)) ?? 0;
  if (indicator.unit === 'count') return { numerator, denominator, value: numerator };
  return { numerator, denominator, value: denominator === 0 ? null : (100 * numerator) / denominator };
}

function reported(figure: ReportedFigure | undefined): Raw {
  if (!figure) return { numerator: null, denominator: null, value: null };
  return { numerator: figure.numerator, denominator: figure.denominator, value: figure.value, reportedBy: figure.units ?? null };
}

/** Raw values of every indicator on one day, derived ones after the indicators they use. */
function rawValues(plan: PlanFile, counts: ReadonlyMap<string, number>, reports: ReadonlyMap<string, ReportedFigure>): Map<string, Raw> {
  const values = new Map<string, Raw>();
  const byId = new Map(plan.indicators.map((i) => [i.id, i]));
  const resolve = (id: string, depth = 0): Raw => {
    const known = values.get(id);
    if (known) return known;
    const indicator = byId.get(id);
    // The schema refused unknown names and cycles; the depth guard only protects against a plan that bypassed it.
    if (!indicator || depth > 50) return { numerator: null, denominator: null, value: null };
    let raw: Raw;
    if (indicator.kind === 'computed') raw = computed(indicator, counts);
    else if (indicator.kind === 'reported') raw = reported(reports.get(id));
    else raw = { numerator: null, denominator: null, value: evaluateFormula(parseFormula(indicator.formula), (ref) => resolve(ref, depth + 1).value) };
    values.set(id, raw);
    return raw;
  };
  for (const indicator of plan.indicators) resolve(indicator.id);
  return values;
}

const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

export function planFigures(plan: PlanFile, inputs: AreaInputs, asOf: string): IndicatorFigure[] {
  const now = rawValues(plan, inputs.counts, inputs.reported);
  const earlier = rawValues(plan, inputs.earlierCounts, inputs.earlierReported);
  const deadlines = new Map(plan.phases.map((p) => [p.id, p.deadline]));
  return plan.indicators.map((indicator) => {
    const raw = now.get(indicator.id) ?? { numerator: null, denominator: null, value: null };
    const deadline = deadlines.get(indicator.phase) ?? asOf;
    const target = inputs.targets.get(indicator.id) ?? indicator.target;
    const projected = projectToDeadline({ value: raw.value, earlier: earlier.get(indicator.id)?.value ?? null, asOf, deadline, percent: indicator.unit === 'percent' });
    return {
      id: indicator.id,
      name: indicator.name,
      kind: indicator.kind,
      unit: indicator.unit,
      phase: indicator.phase,
      numerator: raw.numerator,
      denominator: raw.denominator,
      value: round(raw.value),
      reportedBy: raw.reportedBy ?? null,
      target,
      direction: indicator.direction,
      deadline,
      daysLeft: daysBetween(asOf, deadline),
      status: targetStatus({ value: raw.value, target, direction: indicator.direction, asOf, deadline, projected }),
      projected: round(projected),
      note: indicator.note ?? null,
      lead: indicator.lead ?? null,
    };
  });
}
