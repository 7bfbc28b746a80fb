import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findTeamInScope, lockOpenTeam, teamHouseholdsSql } from './teams.service.ts';

// Who of the team visits which household. `assignments` is what a volunteer may see and visit, so
// these rows are the volunteer's whole area.

const ids = (values: readonly number[]) => sql.param([...new Set(values)].map(Number));

/**
 * Gives team households to a current member, or takes them back (`userId: null`). A household
 * goes to at most one member of a team: giving it to another member moves it.
 */
export async function assignTeamHouseholds(deps: AppDeps, actor: Actor, teamId: number, input: { userId: number | null; householdIds: number[] }): Promise<{ assigned: number }> {
  const team = await findTeamInScope(deps, actor, teamId);
  requireThat(may.runTeam(actor, team));
  const householdIds = [...new Set(input.householdIds)];
  const count = await deps.db.transaction(async (tx) => {
    // Checked under the team's lock, so a member removed or an area taken away meanwhile is seen.
    await lockOpenTeam(tx, teamId);
    if (input.userId !== null) {
      const { rows } = await tx.execute(sql`SELECT 1 FROM team_members WHERE team_id = ${teamId} AND user_id = ${input.userId} AND removed_at IS NULL`);
      if (rows.length === 0) throw new AppError('NOT_IN_TEAM');
    }
    const { rows: inArea } = await tx.execute<{ id: number }>(sql`
      SELECT th.id FROM (${teamHouseholdsSql(teamId)}) th WHERE th.province_code = ${team.provinceCode} AND th.id = ANY(${ids(householdIds)}::bigint[])`);
    if (inArea.length !== householdIds.length) throw new AppError('OUTSIDE_TEAM_AREA');
    await tx.execute(sql`DELETE FROM assignments WHERE team_id = ${teamId} AND province_code = ${team.provinceCode} AND household_id = ANY(${ids(householdIds)}::bigint[])`);
    if (input.userId !== null) {
      // A row without a team (given before teams existed) for the same person becomes the team's.
      await tx.execute(sql`
        INSERT INTO assignments (province_code, household_id, user_id, team_id, assigned_by)
        SELECT ${team.provinceCode}, h, ${input.userId}, ${teamId}, ${actor.userId} FROM unnest(${ids(householdIds)}::bigint[]) AS h
        ON CONFLICT (province_code, household_id, user_id) DO UPDATE SET team_id = EXCLUDED.team_id, assigned_by = EXCLUDED.assigned_by, assigned_at = now()
        WHERE assignments.team_id IS NULL`);
    }
    await recordAudit(tx, actor, {
      action: input.userId === null ? 'unassign' : 'assign',
      recordType: 'household',
      recordIds: householdIds,
      unitCodes: [team.unitCode],
      detail: { teamId, userId: input.userId },
    });
    return householdIds.length;
  });
  return { assigned: count };
}
