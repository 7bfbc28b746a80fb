import type { IndicatorFigure, PlanFile, PlanIndicators, PlanSummary } from '@cds/contract';
import { HISTORY_START, TARGET_STATUS_METHOD, TREND_DAYS, addDays } from '@cds/domain';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { readFigures, type FigureScope } from './figures.ts';
import { planFigures, planKeys, type ReportedFigure } from './plan-figures.ts';
import { BUNDLED_PLANS_DIR, loadPlanFiles } from './plan-files.ts';

const loaded = new Map<string, Promise<Map<string, PlanFile>>>();

/** Plans are read once per folder: a plan changes with a deployment, not per request. */
export function plansOf(deps: Pick<AppDeps, 'config'>): Promise<Map<string, PlanFile>> {
  const dir = deps.config.plansDir ?? BUNDLED_PLANS_DIR;
  let plans = loaded.get(dir);
  if (!plans) {
    plans = loadPlanFiles(dir);
    loaded.set(dir, plans);
    plans.catch(() => loaded.delete(dir));
  }
  return plans;
}

/** Whether a plan binds a province: a national plan binds every one, a city's plan only that city. */
export const planBinds = (plan: PlanFile, provinceCode: string): boolean => plan.province === undefined || plan.province === provinceCode;

/** A plan that binds the actor's province, or NOT_FOUND: another city's plan does not exist for them. */
export async function findPlan(deps: AppDeps, actor: Pick<Actor, 'provinceCode'>, planId: string): Promise<PlanFile> {
  const plan = (await plansOf(deps)).get(planId);
  if (!plan || !planBinds(plan, actor.provinceCode)) throw new AppError('NOT_FOUND', [{ path: 'params.id', message: `Không có kế hoạch "${planId}"` }]);
  return plan;
}

function summarise(plan: PlanFile): PlanSummary {
  return {
    id: plan.id,
    name: plan.name,
    issuer: plan.issuer,
    province: plan.province ?? null,
    document: plan.document ?? null,
    summary: plan.summary ?? null,
    phases: plan.phases,
    tasks: plan.tasks,
    indicatorCount: plan.indicators.length,
  };
}

export async function listPlans(deps: AppDeps, actor: Actor): Promise<PlanSummary[]> {
  requireThat(may.readUnitAggregates(actor));
  return [...(await plansOf(deps)).values()].filter((plan) => planBinds(plan, actor.provinceCode)).map(summarise);
}

export async function getPlan(deps: AppDeps, actor: Actor, planId: string): Promise<PlanSummary & { indicators: PlanFile['indicators'] }> {
  requireThat(may.readUnitAggregates(actor));
  const plan = await findPlan(deps, actor, planId);
  return { ...summarise(plan), indicators: plan.indicators };
}

/** The day asked for, or today; the registry's units exist only from 1 July 2025. */
export function checkAsOf(deps: AppDeps, asOf: string | undefined): string {
  const today = deps.today();
  if (asOf === undefined) return today;
  if (asOf > today) throw invalid('querystring.asOf', 'Ngày xem số liệu không được ở tương lai');
  if (asOf < HISTORY_START) throw invalid('querystring.asOf', 'Số liệu chỉ có từ ngày 01/07/2025, khi chính quyền hai cấp bắt đầu');
  return asOf;
}

export type Area = { unitCode: string | null; neighbourhoodId: number | null };

async function describeArea(deps: AppDeps, actor: Actor, area: Area): Promise<string> {
  if (area.unitCode === null) {
    const { rows } = await deps.db.execute<{ name: string }>(sql`SELECT full_name AS name FROM provinces WHERE code = ${actor.provinceCode}`);
    return rows[0]?.name ?? actor.provinceCode;
  }
  const { rows } = await deps.db.execute<{ name: string; province_code: string }>(sql`SELECT full_name AS name, province_code FROM units WHERE code = ${area.unitCode}`);
  const unit = rows[0];
  if (!unit || unit.province_code !== actor.provinceCode) throw new AppError('NOT_FOUND', [{ path: 'querystring.unit', message: `Không có đơn vị ${area.unitCode}` }]);
  if (area.neighbourhoodId === null) return unit.name;
  const nb = await deps.db.execute<{ name: string }>(sql`SELECT name FROM neighbourhoods WHERE id = ${area.neighbourhoodId} AND unit_code = ${area.unitCode}`);
  const name = nb.rows[0]?.name;
  if (!name) throw new AppError('NOT_FOUND', [{ path: 'querystring.neighbourhood', message: 'Khu phố/ấp không thuộc đơn vị này' }]);
  return `${name}, ${unit.name}`;
}

export interface ApprovedReport extends ReportedFigure {
  indicatorId: string;
  unitCode: string;
  periodEnd: string;
}

/** Every approved reported figure of a plan in the city up to a day, oldest first. */
export async function loadApprovedReports(deps: AppDeps, planId: string, provinceCode: string, upTo: string): Promise<ApprovedReport[]> {
  const { rows } = await deps.db.execute<{ indicator_id: string; unit_code: string; period_end: string; numerator: string | null; denominator: string | null; value: string }>(sql`
    SELECT r.indicator_id, r.unit_code, r.period_end::text, r.numerator, r.denominator, r.value
    FROM reported_values r JOIN units u ON u.code = r.unit_code
    WHERE r.plan_id = ${planId} AND r.status = 'approved' AND r.period_end <= ${upTo}::date AND u.province_code = ${provinceCode}
    ORDER BY r.period_end`);
  return rows.map((row) => ({
    indicatorId: row.indicator_id,
    unitCode: row.unit_code,
    periodEnd: row.period_end,
    numerator: row.numerator === null ? null : Number(row.numerator),
    denominator: row.denominator === null ? null : Number(row.denominator),
    value: Number(row.value),
  }));
}

/** indicator → unit → the latest approved figure on or before the day. */
export function reportsAsOf(reports: readonly ApprovedReport[], day: string): Map<string, Map<string, ReportedFigure>> {
  const byIndicator = new Map<string, Map<string, ReportedFigure>>();
  for (const report of reports) {
    if (report.periodEnd > day) break;
    const byUnit = byIndicator.get(report.indicatorId) ?? new Map<string, ReportedFigure>();
    byUnit.set(report.unitCode, report);
    byIndicator.set(report.indicatorId, byUnit);
  }
  return byIndicator;
}

/**
 * A city's reported figure from its units': shares given as numerator/denominator are summed
 * (a weighted share); otherwise the units' values are averaged.
 */
export function cityReport(byUnit: ReadonlyMap<string, ReportedFigure>): ReportedFigure | undefined {
  const figures = [...byUnit.values()];
  if (figures.length === 0) return undefined;
  if (figures.every((f) => f.numerator !== null && f.denominator !== null)) {
    const numerator = figures.reduce((s, f) => s + (f.numerator ?? 0), 0);
    const denominator = figures.reduce((s, f) => s + (f.denominator ?? 0), 0);
    return { numerator, denominator, value: (100 * numerator) / denominator, units: figures.length };
  }
  return { numerator: null, denominator: null, value: figures.reduce((s, f) => s + f.value, 0) / figures.length, units: figures.length };
}

export function reportsFor(reports: Map<string, Map<string, ReportedFigure>>, area: Area): Map<string, ReportedFigure> {
  const out = new Map<string, ReportedFigure>();
  for (const [indicator, byUnit] of reports) {
    // Units report for themselves; a neighbourhood has no reported figures of its own.
    const figure = area.unitCode === null ? cityReport(byUnit) : area.neighbourhoodId === null ? byUnit.get(area.unitCode) : undefined;
    if (figure) out.set(indicator, figure);
  }
  return out;
}

export async function unitTargets(deps: AppDeps, planId: string, unitCode: string | null): Promise<Map<string, number>> {
  if (unitCode === null) return new Map();
  const { rows } = await deps.db.execute<{ indicator_id: string; target: string }>(sql`
    SELECT indicator_id, target FROM unit_targets WHERE plan_id = ${planId} AND unit_code = ${unitCode}`);
  return new Map(rows.map((r) => [r.indicator_id, Number(r.target)]));
}

export function scopeOf(actor: Actor, area: Area): FigureScope {
  if (area.unitCode === null) return { level: 'city', provinceCode: actor.provinceCode };
  if (area.neighbourhoodId === null) return { level: 'unit', unitCode: area.unitCode };
  return { level: 'neighbourhood', unitCode: area.unitCode, neighbourhoodId: area.neighbourhoodId };
}

/**
 * Every indicator of a plan for the city, a unit or a neighbourhood, on a day. Aggregates only:
 * figures carry no personal data, so every role that reads unit aggregates may read any unit's,
 * which is what ranking units against each other needs.
 */
export async function planIndicators(
  deps: AppDeps,
  actor: Actor,
  planId: string,
  query: { unit?: string | undefined; neighbourhood?: number | undefined; asOf?: string | undefined },
): Promise<PlanIndicators> {
  requireThat(may.readUnitAggregates(actor));
  const plan = await findPlan(deps, actor, planId);
  const asOf = checkAsOf(deps, query.asOf);
  if (query.neighbourhood !== undefined && query.unit === undefined) throw invalid('querystring.unit', 'Cần mã đơn vị của khu phố/ấp');
  const area: Area = { unitCode: query.unit ?? null, neighbourhoodId: query.neighbourhood ?? null };
  const areaName = await describeArea(deps, actor, area);
  const earlierDay = addDays(asOf, -TREND_DAYS);
  const figures = await readFigures(deps.db, deps.today(), scopeOf(actor, area), planKeys(plan), [asOf, earlierDay]);
  const [reports, targets] = await Promise.all([loadApprovedReports(deps, plan.id, actor.provinceCode, asOf), unitTargets(deps, plan.id, area.unitCode)]);
  const indicators: IndicatorFigure[] = planFigures(
    plan,
    {
      counts: figures.get(asOf)?.get('') ?? new Map(),
      earlierCounts: figures.get(earlierDay)?.get('') ?? new Map(),
      reported: reportsFor(reportsAsOf(reports, asOf), area),
      earlierReported: reportsFor(reportsAsOf(reports, earlierDay), area),
      targets,
    },
    asOf,
  );
  return { plan: plan.id, unit: area.unitCode, areaName, neighbourhood: area.neighbourhoodId, asOf, method: TARGET_STATUS_METHOD, indicators };
}
