import type { PlanFile, Ranking, RankingRow, Trend } from '@cds/contract';
import { HISTORY_START, TREND_DAYS, addDays } from '@cds/domain';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { readFigures } from './figures.ts';
import { planFigures, planKeys } from './plan-figures.ts';
import { checkAsOf, findPlan, loadApprovedReports, reportsAsOf, reportsFor, scopeOf, unitTargets, type Area } from './plans.service.ts';

function indicatorOf(plan: PlanFile, indicatorId: string) {
  const indicator = plan.indicators.find((i) => i.id === indicatorId);
  if (!indicator) throw new AppError('NOT_FOUND', [{ path: 'indicator', message: `Kế hoạch ${plan.id} không có chỉ tiêu "${indicatorId}"` }]);
  return indicator;
}

/** unit → indicator → the unit's own target, for every quota set in the plan. */
async function allUnitTargets(deps: AppDeps, planId: string): Promise<Map<string, Map<string, number>>> {
  const { rows } = await deps.db.execute<{ unit_code: string; indicator_id: string; target: string }>(sql`
    SELECT unit_code, indicator_id, target FROM unit_targets WHERE plan_id = ${planId}`);
  const byUnit = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const targets = byUnit.get(row.unit_code) ?? new Map<string, number>();
    targets.set(row.indicator_id, Number(row.target));
    byUnit.set(row.unit_code, targets);
  }
  return byUnit;
}

/**
 * One indicator for every unit of the city, or every neighbourhood of a unit: the table that
 * shows who is behind. Each row is worked out exactly as that area's own page works it out.
 */
export async function rankUnits(
  deps: AppDeps,
  actor: Actor,
  planId: string,
  query: { indicator: string; unit?: string | undefined; asOf?: string | undefined },
): Promise<Ranking> {
  const [ranking] = await rankAreas(deps, actor, planId, [query.indicator], query);
  return ranking!;
}

/**
 * Rankings for several indicators of a plan from one read of the figures: an area's figures are
 * worked out once for all its indicators (a report ranks every indicator of the plan).
 */
export async function rankAreas(
  deps: AppDeps,
  actor: Actor,
  planId: string,
  indicatorIds: readonly string[],
  query: { unit?: string | undefined; asOf?: string | undefined },
): Promise<Ranking[]> {
  requireThat(may.readUnitAggregates(actor));
  const plan = await findPlan(deps, actor, planId);
  const indicators = indicatorIds.map((id) => indicatorOf(plan, id));
  const asOf = checkAsOf(deps, query.asOf);
  const earlierDay = addDays(asOf, -TREND_DAYS);
  const level = query.unit ? 'neighbourhoods' : 'units';
  const areas = query.unit
    ? await deps.db.execute<{ code: string; name: string }>(sql`
        SELECT n.id::text AS code, n.name FROM neighbourhoods n JOIN units u ON u.code = n.unit_code
        WHERE n.unit_code = ${query.unit} AND n.merged_into IS NULL AND u.province_code = ${actor.provinceCode} ORDER BY n.name`)
    : await deps.db.execute<{ code: string; name: string }>(sql`SELECT code, full_name AS name FROM units WHERE province_code = ${actor.provinceCode} ORDER BY code`);
  if (query.unit && areas.rows.length === 0) {
    const unit = await deps.db.execute(sql`SELECT 1 FROM units WHERE code = ${query.unit} AND province_code = ${actor.provinceCode}`);
    if (unit.rows.length === 0) throw new AppError('NOT_FOUND', [{ path: 'querystring.unit', message: `Không có đơn vị ${query.unit}` }]);
  }
  const scope = query.unit ? ({ level: 'neighbourhoods', unitCode: query.unit } as const) : ({ level: 'units', provinceCode: actor.provinceCode } as const);
  const [figures, reports, targets] = await Promise.all([
    readFigures(deps.db, deps.today(), scope, planKeys(plan), [asOf, earlierDay]),
    loadApprovedReports(deps, plan.id, actor.provinceCode, asOf),
    // Quotas are set per unit; a neighbourhood follows the plan's target.
    query.unit ? Promise.resolve(new Map<string, Map<string, number>>()) : allUnitTargets(deps, plan.id),
  ]);
  const reportsNow = reportsAsOf(reports, asOf);
  const reportsEarlier = reportsAsOf(reports, earlierDay);
  const rows = new Map<string, RankingRow[]>(indicators.map((i) => [i.id, []]));
  for (const area of areas.rows) {
    const place: Area = query.unit ? { unitCode: query.unit, neighbourhoodId: Number(area.code) } : { unitCode: area.code, neighbourhoodId: null };
    const figuresOfArea = planFigures(
      plan,
      {
        counts: figures.get(asOf)?.get(area.code) ?? new Map(),
        earlierCounts: figures.get(earlierDay)?.get(area.code) ?? new Map(),
        reported: reportsFor(reportsNow, place),
        earlierReported: reportsFor(reportsEarlier, place),
        targets: targets.get(area.code) ?? new Map(),
      },
      asOf,
    );
    for (const figure of figuresOfArea) {
      rows.get(figure.id)?.push({
        code: area.code,
        name: area.name,
        numerator: figure.numerator,
        denominator: figure.denominator,
        value: figure.value,
        target: figure.target,
        status: figure.status,
        projected: figure.projected,
      });
    }
  }
  return indicators.map((indicator) => ({
    plan: plan.id,
    indicator: {
      id: indicator.id,
      name: indicator.name,
      kind: indicator.kind,
      unit: indicator.unit,
      target: indicator.target,
      direction: indicator.direction,
      deadline: plan.phases.find((p) => p.id === indicator.phase)?.deadline ?? asOf,
    },
    level,
    unit: query.unit ?? null,
    asOf,
    rows: rows.get(indicator.id) ?? [],
  }));
}

/** The indicator's value at evenly spaced days up to asOf, for the trend chart. */
export async function indicatorTrend(
  deps: AppDeps,
  actor: Actor,
  planId: string,
  indicatorId: string,
  query: { unit?: string | undefined; neighbourhood?: number | undefined; step: number; points: number; asOf?: string | undefined },
): Promise<Trend> {
  requireThat(may.readUnitAggregates(actor));
  const plan = await findPlan(deps, actor, planId);
  const indicator = indicatorOf(plan, indicatorId);
  const asOf = checkAsOf(deps, query.asOf);
  const area: Area = { unitCode: query.unit ?? null, neighbourhoodId: query.neighbourhood ?? null };
  const days: string[] = [];
  for (let i = query.points - 1; i >= 0; i--) {
    const day = addDays(asOf, -i * query.step);
    if (day >= HISTORY_START) days.push(day);
  }
  const [figures, reports, targets] = await Promise.all([
    readFigures(deps.db, deps.today(), scopeOf(actor, area), planKeys(plan), days),
    loadApprovedReports(deps, plan.id, actor.provinceCode, asOf),
    unitTargets(deps, plan.id, area.unitCode),
  ]);
  const points = days.map((day) => {
    const reported = reportsFor(reportsAsOf(reports, day), area);
    const figure = planFigures(plan, { counts: figures.get(day)?.get('') ?? new Map(), earlierCounts: new Map(), reported, earlierReported: new Map(), targets }, day).find(
      (f) => f.id === indicator.id,
    );
    return { day, value: figure?.value ?? null, numerator: figure?.numerator ?? null, denominator: figure?.denominator ?? null };
  });
  return {
    plan: plan.id,
    indicator: indicator.id,
    unit: area.unitCode,
    neighbourhood: area.neighbourhoodId,
    target: targets.get(indicator.id) ?? indicator.target,
    deadline: plan.phases.find((p) => p.id === indicator.phase)?.deadline ?? asOf,
    points,
  };
}

