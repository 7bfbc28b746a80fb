import type { TeamDetail, TeamKind, TeamMemberView, TeamSummary } from '@cds/contract';
import { teamMembers, teams, users, type Db } from '@cds/db';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { isUniqueViolation, pgConstraint } from '../../platform/db-errors.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { containsPattern } from '../../platform/like-pattern.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { teamScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { unitToWriteIn } from '../units/units.service.ts';
import { listTeamAreas } from './team-areas.service.ts';

// Teams of a unit: who leads, who is in, what they were given. A team is archived, never deleted.

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface TeamRow {
  id: number;
  provinceCode: string;
  unitCode: string;
  name: string;
  leaderUserId: number | null;
  archivedAt: Date | null;
}

/**
 * Households of a team, as (province_code, id): given one by one, or in a neighbourhood given to
 * it (so households registered there later belong to the team too). Two branches of a UNION, not
 * one OR join, so each can use its index.
 */
export function teamHouseholdsSql(teamId: SQL | number): SQL {
  return sql`SELECT h.province_code, h.id FROM team_areas ta
      JOIN households h ON h.province_code = ta.province_code AND h.id = ta.household_id
      WHERE ta.team_id = ${teamId} AND ta.removed_at IS NULL
    UNION
    SELECT h.province_code, h.id FROM team_areas ta
      JOIN households h ON h.province_code = ta.province_code AND h.neighbourhood_id = ta.neighbourhood_id
      WHERE ta.team_id = ${teamId} AND ta.removed_at IS NULL`;
}

/** A team the actor may see, or NOT_FOUND: outside their area it does not exist for them. */
export async function findTeamInScope(deps: AppDeps, actor: Actor, id: number): Promise<TeamRow> {
  requireThat(may.readTeams(actor));
  const [row] = await deps.db
    .select({
      id: teams.id,
      provinceCode: teams.provinceCode,
      unitCode: teams.unitCode,
      name: teams.name,
      leaderUserId: teams.leaderUserId,
      archivedAt: teams.archivedAt,
    })
    .from(teams)
    .where(and(eq(teams.id, id), teamScope(actor)));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/**
 * Locks the team's row for the rest of the transaction: changes to one team (members, areas,
 * who visits which household) are serialised, so two leaders assigning at once cannot both give
 * one household to two members. Refuses an archived team.
 */
export async function lockOpenTeam(tx: Tx, teamId: number): Promise<void> {
  const { rows } = await tx.execute<{ archived: boolean }>(sql`SELECT archived_at IS NOT NULL AS archived FROM teams WHERE id = ${teamId} FOR UPDATE`);
  if (!rows[0]) throw new AppError('NOT_FOUND');
  if (rows[0].archived) throw new AppError('TEAM_ARCHIVED');
}

type SummaryRow = {
  id: number;
  unit_code: string;
  unit_name: string;
  name: string;
  kind: TeamKind;
  leader_user_id: number | null;
  leader_name: string | null;
  archived: boolean;
  members: number;
  households_assigned: number;
  households_visited: number;
};

async function summaries(db: Db, where: SQL): Promise<TeamSummary[]> {
  const { rows } = await db.execute<SummaryRow>(sql`
    SELECT teams.id, teams.unit_code, u.full_name AS unit_name, teams.name, teams.kind, teams.leader_user_id,
      lu.display_name AS leader_name, teams.archived_at IS NOT NULL AS archived,
      (SELECT count(*)::int FROM team_members m WHERE m.team_id = teams.id AND m.removed_at IS NULL) AS members,
      (SELECT count(*)::int FROM (${teamHouseholdsSql(sql`teams.id`)}) th) AS households_assigned,
      (SELECT count(DISTINCT v.household_id)::int FROM field_visits v WHERE v.team_id = teams.id AND v.outcome = 'done') AS households_visited
    FROM teams JOIN units u ON u.code = teams.unit_code LEFT JOIN users lu ON lu.id = teams.leader_user_id
    WHERE ${where}
    ORDER BY teams.unit_code, lower(teams.name), teams.id`);
  return rows.map((r) => ({
    id: Number(r.id),
    unitCode: r.unit_code,
    unitName: r.unit_name,
    name: r.name,
    kind: r.kind,
    leader: r.leader_user_id === null ? null : { userId: Number(r.leader_user_id), displayName: r.leader_name ?? '' },
    members: Number(r.members),
    householdsAssigned: Number(r.households_assigned),
    householdsVisited: Number(r.households_visited),
    archived: Boolean(r.archived),
  }));
}

export async function listTeams(deps: AppDeps, actor: Actor, query: { unit?: string | undefined; archived: boolean }): Promise<TeamSummary[]> {
  requireThat(may.readTeams(actor));
  return summaries(
    deps.db,
    sql`${teamScope(actor)} AND ${query.unit ? sql`teams.unit_code = ${query.unit}` : sql`true`}
      AND ${query.archived ? sql`teams.archived_at IS NOT NULL` : sql`teams.archived_at IS NULL`}`,
  );
}

export async function getTeam(deps: AppDeps, actor: Actor, id: number): Promise<TeamDetail> {
  const team = await findTeamInScope(deps, actor, id);
  const detail = await teamDetail(deps, id);
  // Households given one by one are shown with their address: personal data, so the view is logged.
  const shown = detail.areas.flatMap((a) => (a.household ? [a.household.id] : []));
  if (shown.length > 0) {
    await recordAudit(deps.db, actor, { action: 'read', recordType: 'household', recordIds: shown, unitCodes: [team.unitCode], fields: ['address'], detail: { teamId: id } });
  }
  return detail;
}

/** The team's page; callers have checked the actor may see it. */
export async function teamDetail(deps: AppDeps, id: number): Promise<TeamDetail> {
  const [summary] = await summaries(deps.db, sql`teams.id = ${id}`);
  if (!summary) throw new AppError('NOT_FOUND');
  const { rows } = await deps.db.execute<{ user_id: number; username: string; display_name: string; role: string; joined_at: Date | string; assigned: number; devices: number }>(sql`
    SELECT m.user_id, u.username, u.display_name, u.role, m.joined_at,
      (SELECT count(*)::int FROM assignments a WHERE a.team_id = m.team_id AND a.user_id = m.user_id) AS assigned,
      (SELECT count(*)::int FROM field_devices d WHERE d.user_id = m.user_id AND d.revoked_at IS NULL) AS devices
    FROM team_members m JOIN users u ON u.id = m.user_id
    WHERE m.team_id = ${id} AND m.removed_at IS NULL
    ORDER BY lower(u.display_name), m.user_id`);
  const memberList: TeamMemberView[] = rows.map((r) => ({
    userId: Number(r.user_id),
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    joinedAt: new Date(r.joined_at).toISOString(),
    householdsAssigned: Number(r.assigned),
    devices: Number(r.devices),
  }));
  return { ...summary, memberList, areas: await listTeamAreas(deps.db, id) };
}

/** A leader must be a team leader account of the team's city. */
async function checkLeader(deps: AppDeps, provinceCode: string, leaderUserId: number | null | undefined): Promise<void> {
  if (leaderUserId == null) return;
  const [row] = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, leaderUserId), eq(users.role, 'team_leader'), eq(users.provinceCode, provinceCode), eq(users.disabled, false)));
  if (!row) throw invalid('body.leaderUserId', 'Tổ trưởng phải là tài khoản tổ trưởng của Thành phố');
}

function nameTaken(error: unknown): boolean {
  return isUniqueViolation(error) && (pgConstraint(error) === undefined || pgConstraint(error) === 'teams_unit_name_idx');
}

export async function createTeam(
  deps: AppDeps,
  actor: Actor,
  input: { unitCode: string; name: string; kind: TeamKind; leaderUserId?: number | null | undefined },
): Promise<TeamDetail> {
  requireThat(may.readTeams(actor) && may.manageTeams(actor, input.unitCode));
  const unit = await unitToWriteIn(deps, actor, input.unitCode);
  await checkLeader(deps, unit.provinceCode, input.leaderUserId);
  let id: number;
  try {
    id = await deps.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(teams)
        .values({ provinceCode: unit.provinceCode, unitCode: unit.code, name: input.name, kind: input.kind, leaderUserId: input.leaderUserId ?? null, createdBy: actor.userId })
        .returning({ id: teams.id });
      if (!created) throw new AppError('INTERNAL');
      await recordAudit(tx, actor, { action: 'create', recordType: 'team', recordIds: [created.id], unitCodes: [unit.code], fields: Object.keys(input) });
      return created.id;
    });
  } catch (error) {
    if (nameTaken(error)) throw new AppError('TEAM_NAME_TAKEN');
    throw error;
  }
  return teamDetail(deps, id);
}

export async function updateTeam(
  deps: AppDeps,
  actor: Actor,
  id: number,
  changes: { name?: string | undefined; leaderUserId?: number | null | undefined; archived?: boolean | undefined },
): Promise<TeamDetail> {
  const team = await findTeamInScope(deps, actor, id);
  requireThat(may.manageTeams(actor, team.unitCode));
  await checkLeader(deps, team.provinceCode, changes.leaderUserId);
  try {
    await deps.db.transaction(async (tx) => {
      await lockOpenTeam(tx, id);
      await tx
        .update(teams)
        .set({
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.leaderUserId !== undefined ? { leaderUserId: changes.leaderUserId } : {}),
          ...(changes.archived ? { archivedAt: new Date() } : {}),
        })
        .where(eq(teams.id, id));
      // A disbanded team's volunteers no longer visit for it: what it gave them is taken back.
      if (changes.archived) await tx.execute(sql`DELETE FROM assignments WHERE team_id = ${id}`);
      await recordAudit(tx, actor, {
        action: changes.archived ? 'archive' : 'update',
        recordType: 'team',
        recordIds: [id],
        unitCodes: [team.unitCode],
        fields: Object.keys(changes).filter((k) => changes[k as keyof typeof changes] !== undefined),
      });
    });
  } catch (error) {
    if (nameTaken(error)) throw new AppError('TEAM_NAME_TAKEN');
    throw error;
  }
  return teamDetail(deps, id);
}

export interface Candidate {
  userId: number;
  username: string;
  displayName: string;
  role: string;
}

/** Volunteers and team leaders of the team's city who are not in the team now. */
export async function listCandidates(deps: AppDeps, actor: Actor, teamId: number, q: string | undefined): Promise<Candidate[]> {
  const team = await findTeamInScope(deps, actor, teamId);
  requireThat(may.runTeam(actor, team));
  const pattern = q ? containsPattern(q.trim().toLowerCase()) : null;
  const { rows } = await deps.db.execute<{ id: number; username: string; display_name: string; role: string }>(sql`
    SELECT u.id, u.username, u.display_name, u.role FROM users u
    WHERE u.province_code = ${team.provinceCode} AND u.role IN ('volunteer', 'team_leader') AND NOT u.disabled
      AND NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = ${teamId} AND m.user_id = u.id AND m.removed_at IS NULL)
      AND ${pattern === null ? sql`true` : sql`(lower(u.username) LIKE ${pattern} OR lower(u.display_name) LIKE ${pattern})`}
    ORDER BY lower(u.display_name), u.id
    LIMIT 30`);
  return rows.map((r) => ({ userId: Number(r.id), username: r.username, displayName: r.display_name, role: r.role }));
}

/** Adds (or brings back) a member; inside the caller's transaction when joining by invite. */
export async function insertMember(tx: Tx, teamId: number, userId: number, inviteId: number | null): Promise<void> {
  await tx
    .insert(teamMembers)
    .values({ teamId, userId, inviteId })
    .onConflictDoUpdate({
      target: [teamMembers.teamId, teamMembers.userId],
      set: { joinedAt: sql`now()`, inviteId, removedAt: null, removedBy: null },
      setWhere: sql`${teamMembers.removedAt} IS NOT NULL`,
    });
}

export async function addMember(deps: AppDeps, actor: Actor, teamId: number, userId: number): Promise<TeamDetail> {
  const team = await findTeamInScope(deps, actor, teamId);
  requireThat(may.runTeam(actor, team));
  const [user] = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.provinceCode, team.provinceCode), sql`${users.role} IN ('volunteer', 'team_leader')`, eq(users.disabled, false)));
  if (!user) throw invalid('body.userId', 'Chỉ thêm được tình nguyện viên hoặc tổ trưởng của Thành phố');
  await deps.db.transaction(async (tx) => {
    await lockOpenTeam(tx, teamId);
    await insertMember(tx, teamId, userId, null);
    await recordAudit(tx, actor, { action: 'add_member', recordType: 'team', recordIds: [teamId], unitCodes: [team.unitCode], detail: { userId } });
  });
  return teamDetail(deps, teamId);
}

/** Removes a member: the households the team gave them are taken back at once. */
export async function removeMember(deps: AppDeps, actor: Actor, teamId: number, userId: number): Promise<TeamDetail> {
  const team = await findTeamInScope(deps, actor, teamId);
  requireThat(may.runTeam(actor, team));
  await deps.db.transaction(async (tx) => {
    await lockOpenTeam(tx, teamId);
    const removed = await tx
      .update(teamMembers)
      .set({ removedAt: new Date(), removedBy: actor.userId })
      .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId), isNull(teamMembers.removedAt)))
      .returning({ userId: teamMembers.userId });
    if (removed.length === 0) throw new AppError('NOT_IN_TEAM');
    const { rows } = await tx.execute<{ household_id: number }>(sql`
      DELETE FROM assignments WHERE team_id = ${teamId} AND user_id = ${userId} RETURNING household_id`);
    await recordAudit(tx, actor, {
      action: 'remove_member',
      recordType: 'team',
      recordIds: [teamId],
      unitCodes: [team.unitCode],
      detail: { userId, householdsTakenBack: rows.map((r) => Number(r.household_id)) },
    });
  });
  return teamDetail(deps, teamId);
}
