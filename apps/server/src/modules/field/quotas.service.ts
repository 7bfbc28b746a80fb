import type { PlanFile, QuotaView } from '@cds/contract';
import { addDays } from '@cds/domain';
import { sql, type SQL } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { planBinds, plansOf } from '../indicators/plans.service.ts';
import { findTeamInScope, lockOpenTeam } from './teams.service.ts';

// Households to visit by a plan phase's deadline, for a team or one of its members.

export interface PhaseSpan {
  start: string;
  end: string;
}

/**
 * A plan names only each phase's deadline: a phase begins the day after the previous one ends,
 * and the first on 1 January of its deadline's year (every bundled plan is a calendar-year plan).
 */
export function phaseSpan(plan: PlanFile, phaseId: string): PhaseSpan | null {
  const index = plan.phases.findIndex((p) => p.id === phaseId);
  const phase = plan.phases[index];
  if (!phase) return null;
  const previous = plan.phases[index - 1];
  return { start: previous ? addDays(previous.deadline, 1) : `${phase.deadline.slice(0, 4)}-01-01`, end: phase.deadline };
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/**
 * done when the target is reached; overdue once the deadline has passed; at risk when visits lag
 * a straight line from the phase's start to the deadline by more than a tenth; else on track.
 */
export function quotaStatus(input: { target: number; visited: number; start: string; deadline: string; today: string }): QuotaView['status'] {
  if (input.visited >= input.target) return 'done';
  if (input.today > input.deadline) return 'overdue';
  const span = Math.max(1, dayNumber(input.deadline) - dayNumber(input.start));
  const elapsed = Math.min(span, Math.max(0, dayNumber(input.today) - dayNumber(input.start)));
  const expected = (input.target * elapsed) / span;
  return input.visited < expected * 0.9 ? 'at_risk' : 'on_track';
}

type QuotaRow = {
  id: number;
  team_id: number;
  user_id: number | null;
  display_name: string | null;
  plan_id: string;
  phase_id: string;
  households_target: number;
  deadline: string;
};

/** Quotas of the teams matched by `teamCondition` (SQL over field_quotas q), with what was done since each phase began. */
export async function quotaViews(deps: AppDeps, teamCondition: SQL): Promise<QuotaView[]> {
  const { rows } = await deps.db.execute<QuotaRow>(sql`
    SELECT q.id, q.team_id, q.user_id, u.display_name, q.plan_id, q.phase_id, q.households_target, q.deadline::text AS deadline
    FROM field_quotas q LEFT JOIN users u ON u.id = q.user_id
    WHERE ${teamCondition}
    ORDER BY q.team_id, q.plan_id, q.phase_id, q.user_id NULLS FIRST`);
  if (rows.length === 0) return [];
  const plans = await plansOf(deps);
  const today = deps.today();
  const out: QuotaView[] = [];
  for (const row of rows) {
    const plan = plans.get(row.plan_id);
    const span = plan ? phaseSpan(plan, row.phase_id) : null;
    const start = span?.start ?? row.deadline;
    // Visits are timed; a phase begins at midnight in Vietnam. A member's quota counts what they
    // did for this team, not for another team they are also in.
    const { rows: counted } = await deps.db.execute<{ visited: number }>(sql`
      SELECT count(DISTINCT v.household_id)::int AS visited FROM field_visits v
      WHERE v.outcome = 'done' AND v.visited_at >= ${`${start}T00:00:00+07:00`}::timestamptz
        AND v.team_id = ${row.team_id} AND ${row.user_id === null ? sql`true` : sql`v.user_id = ${row.user_id}`}`);
    const visited = Number(counted[0]?.visited ?? 0);
    out.push({
      id: Number(row.id),
      teamId: Number(row.team_id),
      userId: row.user_id === null ? null : Number(row.user_id),
      displayName: row.display_name,
      planId: row.plan_id,
      phaseId: row.phase_id,
      householdsTarget: Number(row.households_target),
      deadline: row.deadline,
      householdsVisited: visited,
      status: quotaStatus({ target: Number(row.households_target), visited, start, deadline: row.deadline, today }),
    });
  }
  return out;
}

export async function listQuotas(deps: AppDeps, actor: Actor, teamId: number): Promise<QuotaView[]> {
  await findTeamInScope(deps, actor, teamId);
  return quotaViews(deps, sql`q.team_id = ${teamId}`);
}

export interface QuotaInput {
  userId: number | null;
  planId: string;
  phaseId: string;
  householdsTarget: number;
  deadline?: string | undefined;
}

/**
 * Sets (or changes) a quota. The team's own quota is the unit's decision; a leader may split it
 * among the members.
 */
export async function setQuota(deps: AppDeps, actor: Actor, teamId: number, input: QuotaInput): Promise<QuotaView> {
  const team = await findTeamInScope(deps, actor, teamId);
  requireThat(input.userId === null ? may.manageTeams(actor, team.unitCode) : may.runTeam(actor, team));
  const plan = (await plansOf(deps)).get(input.planId);
  if (!plan || !planBinds(plan, actor.provinceCode)) throw invalid('body.planId', `Không có kế hoạch "${input.planId}"`);
  const span = phaseSpan(plan, input.phaseId);
  if (!span) throw invalid('body.phaseId', `Kế hoạch không có giai đoạn "${input.phaseId}"`);
  const deadline = input.deadline ?? span.end;
  const id = await deps.db.transaction(async (tx) => {
    await lockOpenTeam(tx, teamId);
    if (input.userId !== null) {
      const { rows } = await tx.execute(sql`SELECT 1 FROM team_members WHERE team_id = ${teamId} AND user_id = ${input.userId} AND removed_at IS NULL`);
      if (rows.length === 0) throw new AppError('NOT_IN_TEAM');
    }
    const { rows } = await tx.execute<{ id: number }>(sql`
      INSERT INTO field_quotas (team_id, user_id, plan_id, phase_id, households_target, deadline, set_by)
      VALUES (${teamId}, ${input.userId}, ${input.planId}, ${input.phaseId}, ${input.householdsTarget}, ${deadline}, ${actor.userId})
      ON CONFLICT (team_id, COALESCE(user_id, 0), plan_id, phase_id)
      DO UPDATE SET households_target = EXCLUDED.households_target, deadline = EXCLUDED.deadline, set_by = EXCLUDED.set_by, set_at = now()
      RETURNING id`);
    const saved = rows[0];
    if (!saved) throw new AppError('INTERNAL');
    await recordAudit(tx, actor, { action: 'set_quota', recordType: 'team', recordIds: [teamId], unitCodes: [team.unitCode], detail: { ...input, deadline } });
    return Number(saved.id);
  });
  const [view] = await quotaViews(deps, sql`q.id = ${id}`);
  if (!view) throw new AppError('INTERNAL');
  return view;
}
