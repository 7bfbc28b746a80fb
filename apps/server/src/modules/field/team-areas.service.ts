import type { TeamAreaView, TeamDetail } from '@cds/contract';
import { teamAreas, type Db } from '@cds/db';
import { sql } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findTeamInScope, lockOpenTeam, teamDetail, teamHouseholdsSql, type Tx } from './teams.service.ts';

// What a unit gives a team: whole neighbourhoods (khu phố/ấp) or single households of that unit.

const ids = (values: readonly number[]) => sql.param([...new Set(values)].map(Number));

export async function listTeamAreas(db: Db, teamId: number): Promise<TeamAreaView[]> {
  const { rows } = await db.execute<{
    id: number;
    neighbourhood_id: number | null;
    neighbourhood_name: string | null;
    household_id: number | null;
    address: string | null;
    households: number;
    assigned_at: Date | string;
  }>(sql`
    SELECT ta.id, ta.neighbourhood_id, n.name AS neighbourhood_name, ta.household_id, h.address, ta.assigned_at,
      CASE WHEN ta.household_id IS NOT NULL THEN 1 ELSE
        (SELECT count(*)::int FROM households nh WHERE nh.province_code = ta.province_code AND nh.neighbourhood_id = ta.neighbourhood_id) END AS households
    FROM team_areas ta
    LEFT JOIN neighbourhoods n ON n.province_code = ta.province_code AND n.id = ta.neighbourhood_id
    LEFT JOIN households h ON h.province_code = ta.province_code AND h.id = ta.household_id
    WHERE ta.team_id = ${teamId} AND ta.removed_at IS NULL
    ORDER BY ta.household_id IS NOT NULL, n.name, ta.id`);
  return rows.map((r) => ({
    id: Number(r.id),
    neighbourhood: r.neighbourhood_id === null ? null : { id: Number(r.neighbourhood_id), name: r.neighbourhood_name ?? '' },
    household: r.household_id === null ? null : { id: Number(r.household_id), address: r.address ?? '' },
    households: Number(r.households),
    assignedAt: new Date(r.assigned_at).toISOString(),
  }));
}

/**
 * Gives the team neighbourhoods or households of its own unit (OUTSIDE_TEAM_AREA otherwise).
 * Something the team already has is not given twice.
 */
export async function addTeamAreas(deps: AppDeps, actor: Actor, teamId: number, input: { neighbourhoodIds: number[]; householdIds: number[] }): Promise<TeamDetail> {
  const team = await findTeamInScope(deps, actor, teamId);
  requireThat(may.manageTeams(actor, team.unitCode));
  const neighbourhoodIds = [...new Set(input.neighbourhoodIds)];
  const householdIds = [...new Set(input.householdIds)];
  const { rows: okNeighbourhoods } = await deps.db.execute<{ id: number }>(sql`
    SELECT id FROM neighbourhoods WHERE province_code = ${team.provinceCode} AND unit_code = ${team.unitCode}
      AND merged_into IS NULL AND id = ANY(${ids(neighbourhoodIds)}::bigint[])`);
  const { rows: okHouseholds } = await deps.db.execute<{ id: number }>(sql`
    SELECT id FROM households WHERE province_code = ${team.provinceCode} AND unit_code = ${team.unitCode} AND id = ANY(${ids(householdIds)}::bigint[])`);
  if (okNeighbourhoods.length !== neighbourhoodIds.length || okHouseholds.length !== householdIds.length) throw new AppError('OUTSIDE_TEAM_AREA');
  await deps.db.transaction(async (tx) => {
    await lockOpenTeam(tx, teamId);
    const { rows: existing } = await tx.execute<{ neighbourhood_id: number | null; household_id: number | null }>(sql`
      SELECT neighbourhood_id, household_id FROM team_areas WHERE team_id = ${teamId} AND removed_at IS NULL`);
    const hasNeighbourhood = new Set(existing.flatMap((r) => (r.neighbourhood_id === null ? [] : [Number(r.neighbourhood_id)])));
    const hasHousehold = new Set(existing.flatMap((r) => (r.household_id === null ? [] : [Number(r.household_id)])));
    const values = [
      ...neighbourhoodIds.filter((id) => !hasNeighbourhood.has(id)).map((neighbourhoodId) => ({ neighbourhoodId, householdId: null })),
      ...householdIds.filter((id) => !hasHousehold.has(id)).map((householdId) => ({ neighbourhoodId: null, householdId })),
    ].map((v) => ({ ...v, provinceCode: team.provinceCode, teamId, assignedBy: actor.userId }));
    if (values.length > 0) await tx.insert(teamAreas).values(values);
    await recordAudit(tx, actor, { action: 'add_areas', recordType: 'team', recordIds: [teamId], unitCodes: [team.unitCode], detail: { neighbourhoodIds, householdIds } });
  });
  return teamDetail(deps, teamId);
}

/** Assignments of the team to households that are no longer in its areas are taken back. */
async function takeBackOutsideAreas(tx: Tx, teamId: number): Promise<number[]> {
  const { rows } = await tx.execute<{ household_id: number }>(sql`
    DELETE FROM assignments a WHERE a.team_id = ${teamId}
      AND NOT EXISTS (SELECT 1 FROM (${teamHouseholdsSql(teamId)}) th WHERE th.province_code = a.province_code AND th.id = a.household_id)
    RETURNING a.household_id`);
  return rows.map((r) => Number(r.household_id));
}

export async function removeTeamArea(deps: AppDeps, actor: Actor, teamId: number, areaId: number): Promise<TeamDetail> {
  const team = await findTeamInScope(deps, actor, teamId);
  requireThat(may.manageTeams(actor, team.unitCode));
  await deps.db.transaction(async (tx) => {
    await lockOpenTeam(tx, teamId);
    const { rows } = await tx.execute<{ id: number }>(sql`
      UPDATE team_areas SET removed_at = now() WHERE id = ${areaId} AND team_id = ${teamId} AND removed_at IS NULL RETURNING id`);
    if (rows.length === 0) throw new AppError('NOT_FOUND');
    const takenBack = await takeBackOutsideAreas(tx, teamId);
    await recordAudit(tx, actor, { action: 'remove_area', recordType: 'team', recordIds: [teamId], unitCodes: [team.unitCode], detail: { areaId, householdsTakenBack: takenBack } });
  });
  return teamDetail(deps, teamId);
}

export interface TeamHouseholdsFilter {
  cursor?: string | undefined;
  limit: number;
  member?: number | undefined;
  unassigned: boolean;
  neighbourhood?: number | undefined;
}

type HouseholdRow = {
  id: number;
  unit_code: string;
  address: string;
  neighbourhood_name: string | null;
  members: number;
  assigned_user_id: number | null;
  assigned_name: string | null;
  last_at: Date | string | null;
  last_outcome: string | null;
};

/** The team's households with who has each one and its last visit; addresses are personal data, so the list is logged. */
export async function listTeamHouseholds(deps: AppDeps, actor: Actor, teamId: number, filter: TeamHouseholdsFilter) {
  const team = await findTeamInScope(deps, actor, teamId);
  requireThat(may.readPersonalRows(actor) && may.runTeam(actor, team));
  const after = decodeCursor(filter.cursor, ['number']);
  const { rows } = await deps.db.execute<HouseholdRow>(sql`
    WITH th AS (${teamHouseholdsSql(teamId)})
    SELECT h.id, h.unit_code, h.address, n.name AS neighbourhood_name,
      (SELECT count(*)::int FROM residents r WHERE r.province_code = h.province_code AND r.household_id = h.id AND r.status = 'living' AND r.merged_into_id IS NULL) AS members,
      a.user_id AS assigned_user_id, u.display_name AS assigned_name, lv.visited_at AS last_at, lv.outcome AS last_outcome
    FROM th JOIN households h ON h.province_code = th.province_code AND h.id = th.id
    LEFT JOIN neighbourhoods n ON n.province_code = h.province_code AND n.id = h.neighbourhood_id
    LEFT JOIN assignments a ON a.province_code = h.province_code AND a.household_id = h.id AND a.team_id = ${teamId}
    LEFT JOIN users u ON u.id = a.user_id
    LEFT JOIN LATERAL (SELECT v.visited_at, v.outcome FROM field_visits v WHERE v.province_code = h.province_code AND v.household_id = h.id
      ORDER BY v.visited_at DESC LIMIT 1) lv ON true
    WHERE ${filter.member ? sql`a.user_id = ${filter.member}` : sql`true`}
      AND ${filter.unassigned ? sql`a.user_id IS NULL` : sql`true`}
      AND ${filter.neighbourhood ? sql`h.neighbourhood_id = ${filter.neighbourhood}` : sql`true`}
      AND ${after ? sql`h.id > ${after[0]}` : sql`true`}
    ORDER BY h.id
    LIMIT ${filter.limit + 1}`);
  const items = rows.slice(0, filter.limit);
  await recordAudit(deps.db, actor, {
    action: 'list',
    recordType: 'household',
    recordIds: items.map((h) => Number(h.id)),
    unitCodes: items.map((h) => h.unit_code),
    fields: ['address'],
    detail: { teamId },
  });
  const last = items.at(-1);
  return {
    items: items.map((r) => ({
      id: Number(r.id),
      address: r.address,
      neighbourhoodName: r.neighbourhood_name,
      members: Number(r.members),
      assignedTo: r.assigned_user_id === null ? null : { userId: Number(r.assigned_user_id), displayName: r.assigned_name ?? '' },
      lastVisit: r.last_at === null ? null : { at: new Date(r.last_at).toISOString(), outcome: r.last_outcome ?? '' },
    })),
    next: rows.length > filter.limit && last ? encodeCursor([Number(last.id)]) : null,
  };
}
