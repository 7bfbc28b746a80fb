import type { VisitView } from '@cds/contract';
import { fieldVisits, householdNeeds, households, teams, users } from '@cds/db';
import { and, desc, eq } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { householdScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findHouseholdInScope } from '../registry/households.service.ts';

// A household's visits and needs, on its page: the same area as the page itself.

export interface NeedView {
  id: number;
  householdId: number;
  residentId: number | null;
  kind: 'device' | 'return_visit' | 'help';
  detail: string | null;
  status: 'open' | 'met' | 'cancelled';
  raisedAt: string;
}

export async function householdVisits(deps: AppDeps, actor: Actor, householdId: number): Promise<VisitView[]> {
  const household = await findHouseholdInScope(deps, actor, householdId);
  const rows = await deps.db
    .select({ visit: fieldVisits, by: users.displayName, teamName: teams.name })
    .from(fieldVisits)
    .leftJoin(users, eq(users.id, fieldVisits.userId))
    .leftJoin(teams, eq(teams.id, fieldVisits.teamId))
    .where(and(eq(fieldVisits.provinceCode, household.provinceCode), eq(fieldVisits.householdId, householdId)))
    .orderBy(desc(fieldVisits.visitedAt), desc(fieldVisits.id))
    .limit(500);
  await recordAudit(deps.db, actor, {
    action: 'read',
    recordType: 'household',
    recordIds: [householdId],
    unitCodes: [household.unitCode],
    fields: ['visits'],
  });
  return rows.map(({ visit, by, teamName }) => ({
    id: visit.id,
    clientVisitId: visit.clientVisitId,
    householdId: visit.householdId,
    visitedAt: visit.visitedAt.toISOString(),
    receivedAt: visit.receivedAt.toISOString(),
    outcome: visit.outcome,
    consent: visit.consent,
    by,
    teamName,
    membersPresent: visit.membersPresent,
    peopleHelped: visit.peopleHelped,
    actionsDone: visit.actionsDone,
    peopleFound: visit.peopleFound,
    note: (visit.payload as { note?: string } | null)?.note ?? null,
  }));
}

type NeedRow = typeof householdNeeds.$inferSelect;
const presentNeed = (n: NeedRow): NeedView => ({
  id: n.id,
  householdId: n.householdId,
  residentId: n.residentId,
  kind: n.kind,
  detail: n.detail,
  status: n.status,
  raisedAt: n.raisedAt.toISOString(),
});

export async function householdNeedsOf(deps: AppDeps, actor: Actor, householdId: number): Promise<NeedView[]> {
  const household = await findHouseholdInScope(deps, actor, householdId);
  const rows = await deps.db
    .select()
    .from(householdNeeds)
    .where(and(eq(householdNeeds.provinceCode, household.provinceCode), eq(householdNeeds.householdId, householdId)))
    .orderBy(desc(householdNeeds.raisedAt), desc(householdNeeds.id))
    .limit(500);
  await recordAudit(deps.db, actor, { action: 'read', recordType: 'household', recordIds: [householdId], unitCodes: [household.unitCode], fields: ['needs'] });
  return rows.map(presentNeed);
}

/** Whoever works on the household (its visitor, the team, the unit) closes a need when it is met or no longer wanted. */
export async function closeNeed(deps: AppDeps, actor: Actor, needId: number, status: 'met' | 'cancelled'): Promise<NeedView> {
  requireThat(may.recordFacts(actor));
  const [found] = await deps.db
    .select({ need: householdNeeds })
    .from(householdNeeds)
    .innerJoin(households, and(eq(households.provinceCode, householdNeeds.provinceCode), eq(households.id, householdNeeds.householdId)))
    .where(and(eq(householdNeeds.id, needId), eq(householdNeeds.provinceCode, actor.provinceCode), householdScope(actor)));
  if (!found) throw new AppError('NOT_FOUND');
  if (found.need.status !== 'open') throw new AppError('ALREADY_DECIDED');
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(householdNeeds)
      .set({ status, closedBy: actor.userId, closedAt: new Date() })
      .where(and(eq(householdNeeds.provinceCode, found.need.provinceCode), eq(householdNeeds.id, needId), eq(householdNeeds.status, 'open')))
      .returning();
    if (!row) throw new AppError('ALREADY_DECIDED');
    await recordAudit(tx, actor, { action: 'update', recordType: 'household', recordIds: [row.householdId], unitCodes: [row.unitCode], fields: ['needs.status'], detail: { needId, status } });
    return presentNeed(row);
  });
}
