import type { TargetSplit } from '@cds/contract';
import { splitTarget } from '@cds/domain';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findPlan } from './plans.service.ts';
import { rankUnits } from './ranking.service.ts';
import { unitOf } from './reported-values.service.ts';

// A unit's own targets (quotas of the city's), set one by one or split from the city's target
// for every unit at once. Figures use a unit's own target where one is set, the plan's otherwise.

export async function setUnitTarget(deps: AppDeps, actor: Actor, planId: string, input: { indicatorId: string; unitCode: string; target: number | null }) {
  requireThat(may.setTargets(actor));
  const plan = await findPlan(deps, actor, planId);
  const indicator = plan.indicators.find((i) => i.id === input.indicatorId);
  if (!indicator) throw invalid('body.indicatorId', `Kế hoạch không có chỉ tiêu "${input.indicatorId}"`);
  if (input.target !== null && indicator.unit === 'percent' && input.target > 100) throw invalid('body.target', 'Chỉ tiêu phần trăm không quá 100');
  await unitOf(deps, actor, input.unitCode);
  await deps.db.transaction(async (tx) => {
    if (input.target === null) await tx.execute(sql`DELETE FROM unit_targets WHERE plan_id = ${planId} AND indicator_id = ${input.indicatorId} AND unit_code = ${input.unitCode}`);
    else
      await tx.execute(sql`
        INSERT INTO unit_targets (plan_id, indicator_id, unit_code, target, set_by) VALUES (${planId}, ${input.indicatorId}, ${input.unitCode}, ${input.target}, ${actor.userId})
        ON CONFLICT (plan_id, indicator_id, unit_code) DO UPDATE SET target = EXCLUDED.target, set_by = EXCLUDED.set_by, set_at = now()`);
    await recordAudit(tx, actor, { action: 'update', recordType: 'unit_target', unitCodes: [input.unitCode], detail: { planId, ...input } });
  });
  return listUnitTargets(deps, actor, planId);
}

export async function listUnitTargets(deps: AppDeps, actor: Actor, planId: string) {
  requireThat(may.readUnitAggregates(actor));
  await findPlan(deps, actor, planId);
  const { rows } = await deps.db.execute<{ indicator_id: string; unit_code: string; unit_name: string; target: string }>(sql`
    SELECT t.indicator_id, t.unit_code, u.name AS unit_name, t.target FROM unit_targets t JOIN units u ON u.code = t.unit_code
    WHERE t.plan_id = ${planId} AND u.province_code = ${actor.provinceCode} ORDER BY t.indicator_id, t.unit_code`);
  return { items: rows.map((r) => ({ indicatorId: r.indicator_id, unitCode: r.unit_code, unitName: r.unit_name, target: Number(r.target) })) };
}

/**
 * The city's target of one indicator split into a quota for every unit (domain/target-split.ts:
 * equal effort for a share, by population for a count), from today's figures. Without `apply`
 * it only proposes; with it, the quotas replace every unit's own target of that indicator, in
 * one transaction, and the city's target itself is unchanged.
 */
export async function splitUnitTargets(deps: AppDeps, actor: Actor, planId: string, input: { indicatorId: string; apply: boolean }): Promise<TargetSplit> {
  requireThat(may.setTargets(actor));
  const plan = await findPlan(deps, actor, planId);
  const indicator = plan.indicators.find((i) => i.id === input.indicatorId);
  if (!indicator) throw invalid('body.indicatorId', `Kế hoạch không có chỉ tiêu "${input.indicatorId}"`);
  if (indicator.kind === 'derived') throw invalid('body.indicatorId', 'Chỉ tiêu tính từ công thức theo các chỉ tiêu khác: hãy chia chỉ tiêu của từng thành phần');
  const ranking = await rankUnits(deps, actor, planId, { indicator: indicator.id });
  const split = splitTarget({
    target: indicator.target,
    unit: indicator.unit,
    direction: indicator.direction,
    units: ranking.rows.map((r) => ({ code: r.code, numerator: r.numerator, denominator: r.denominator })),
  });
  const quotaOf = new Map(split.quotas.map((q) => [q.code, q.target]));
  if (input.apply) {
    await deps.db.transaction(async (tx) => {
      await tx.execute(sql`DELETE FROM unit_targets WHERE plan_id = ${planId} AND indicator_id = ${indicator.id}
        AND unit_code IN (SELECT code FROM units WHERE province_code = ${actor.provinceCode})`);
      await tx.execute(sql`
        INSERT INTO unit_targets (plan_id, indicator_id, unit_code, target, set_by)
        SELECT ${planId}, ${indicator.id}, q.code, q.target, ${actor.userId}
        FROM unnest(${sql.param(split.quotas.map((q) => q.code))}::text[], ${sql.param(split.quotas.map((q) => q.target))}::numeric[]) AS q(code, target)`);
      await recordAudit(tx, actor, {
        action: 'update',
        recordType: 'unit_target',
        unitCodes: split.quotas.map((q) => q.code),
        detail: { planId, indicatorId: indicator.id, split: split.method, effort: split.effort },
      });
    });
  }
  return {
    plan: planId,
    indicatorId: indicator.id,
    method: split.method,
    cityTarget: indicator.target,
    cityNow: split.cityNow,
    effort: split.effort,
    applied: input.apply,
    units: ranking.rows.map((r) => ({ unitCode: r.code, unitName: r.name, value: r.value, numerator: r.numerator, denominator: r.denominator, target: quotaOf.get(r.code) ?? indicator.target })),
  };
}
