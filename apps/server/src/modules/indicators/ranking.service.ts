import type { IndicatorFigure, PlanFile, Ranking, RankingRow, Trend } from '@cds/contract';
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

async function allUnitTargets(deps: AppDeps, planId: string, indicatorId: string): Promise<Map<string, number>> {
  const { rows } = await deps.db.execute<{ unit_code: string; target: string }>(sql`
    SELECT unit_code, target FROM unit_targets WHERE plan_id = ${planId} AND indicator_id = ${indicatorId}`);
  return new Map(rows.map((r) => [r.unit_code, Number(r.target)]));
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
  requireThat(may.readUnitAggregates(actor));
  const plan = await findPlan(deps, planId);
  const indicator = indicatorOf(plan, query.indicator);
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
    query.unit ? Promise.resolve(new Map<string, number>()) : allUnitTargets(deps, plan.id, indicator.id),
  ]);
  const reportsNow = reportsAsOf(reports, asOf);
  const reportsEarlier = reportsAsOf(reports, earlierDay);
  const rows: RankingRow[] = areas.rows.map((area) => {
    const place: Area = query.unit ? { unitCode: query.unit, neighbourhoodId: Number(area.code) } : { unitCode: area.code, neighbourhoodId: null };
    const target = targets.get(area.code);
    const [figure] = planFigures(
      { ...plan, indicators: [indicator, ...plan.indicators.filter((i) => i.id !== indicator.id)] },
      {
        counts: figures.get(asOf)?.get(area.code) ?? new Map(),
        earlierCounts: figures.get(earlierDay)?.get(area.code) ?? new Map(),
        reported: reportsFor(reportsNow, place),
        earlierReported: reportsFor(reportsEarlier, place),
        targets: target === undefined ? new Map() : new Map([[indicator.id, target]]),
      },
      asOf,
    ) as [IndicatorFigure];
    return {
      code: area.code,
      name: area.name,
      numerator: figure.numerator,
      denominator: figure.denominator,
      value: figure.value,
      target: figure.target,
      status: figure.status,
      projected: figure.projected,
    };
  });
  const deadline = plan.phases.find((p) => p.id === indicator.phase)?.deadline ?? asOf;
  return {
    plan: plan.id,
    indicator: { id: indicator.id, name: indicator.name, kind: indicator.kind, unit: indicator.unit, target: indicator.target, direction: indicator.direction, deadline },
    level,
    unit: query.unit ?? null,
    asOf,
    rows,
  };
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
  const plan = await findPlan(deps, planId);
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

