import type { PriorityRule } from '@cds/contract';
import { devicePriorityRules, type Db } from '@cds/db';
import type { PriorityCode, PriorityRuleData } from '@cds/domain';
import { asc, eq } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';

// The device priority rules: data the city changes, applied by packages/domain/src/device-priority.ts.

type RuleRow = typeof devicePriorityRules.$inferSelect;

const present = (row: RuleRow): PriorityRule => ({
  code: row.code,
  label: row.label,
  points: row.points,
  active: row.active,
  source: row.source,
  updatedAt: row.updatedAt.toISOString(),
});

/** The rules as the scoring function takes them. */
export async function loadPriorityRules(db: Pick<Db, 'select'>): Promise<PriorityRuleData[]> {
  const rows = await db.select().from(devicePriorityRules).orderBy(asc(devicePriorityRules.code));
  return rows.map((r) => ({ code: r.code, label: r.label, points: r.points, active: r.active }));
}

export async function listPriorityRules(deps: AppDeps, actor: Actor): Promise<PriorityRule[]> {
  requireThat(may.readDeviceRules(actor));
  const rows = await deps.db.select().from(devicePriorityRules).orderBy(asc(devicePriorityRules.code));
  return rows.map(present);
}

export async function updatePriorityRule(
  deps: AppDeps,
  actor: Actor,
  code: PriorityCode,
  input: { points: number; active: boolean; label?: string | undefined },
): Promise<PriorityRule> {
  requireThat(may.setDeviceRules(actor));
  return deps.db.transaction(async (tx) => {
    const [before] = await tx.select().from(devicePriorityRules).where(eq(devicePriorityRules.code, code)).for('update');
    if (!before) throw new AppError('NOT_FOUND');
    const [row] = await tx
      .update(devicePriorityRules)
      .set({ points: input.points, active: input.active, ...(input.label ? { label: input.label } : {}), updatedBy: actor.userId, updatedAt: new Date() })
      .where(eq(devicePriorityRules.code, code))
      .returning();
    if (!row) throw new AppError('NOT_FOUND');
    await recordAudit(tx, actor, {
      action: 'update',
      recordType: 'device_priority_rule',
      fields: ['points', 'active', 'label'],
      detail: { code, before: { points: before.points, active: before.active, label: before.label }, after: { points: row.points, active: row.active, label: row.label } },
    });
    return present(row);
  });
}
