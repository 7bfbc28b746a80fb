import type { FieldProgress, ProgressRow } from '@cds/contract';
import { ELEMENTS, ELEMENT_REQUIRED, INDICATOR_VALUES, valueCounts } from '@cds/domain';
import { sql, type SQL } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { quotaViews } from './quotas.service.ts';
import { findTeamInScope } from './teams.service.ts';

// How the door-to-door campaign goes, from the counters stored on each visit. An aggregate: no
// personal row leaves (member names are staff accounts), and like the dashboard's figures it is
// not written to the audit log.

interface ProgressScope {
  /** Over field_visits v. */
  visits: SQL;
  /** Over teams t. */
  teams: SQL;
  unitCode: string | null;
  teamId: number | null;
  label: string;
}

const list = (values: readonly string[]) => (values.length === 0 ? sql`NULL` : sql.join(values.map((v) => sql`${v}`), sql`, `));

async function resolveScope(deps: AppDeps, actor: Actor, query: { unit?: string | undefined; team?: number | undefined; since?: string | undefined }): Promise<ProgressScope> {
  requireThat(may.readFieldProgress(actor));
  let visits: SQL;
  let teams: SQL;
  let label: string;
  if (actor.role === 'city_admin') {
    visits = sql`v.province_code = ${actor.provinceCode}`;
    teams = sql`t.province_code = ${actor.provinceCode}`;
    label = 'Toàn Thành phố';
  } else if (actor.role === 'unit_official') {
    visits = sql`v.unit_code IN (${list(actor.unitCodes)})`;
    teams = sql`t.unit_code IN (${list(actor.unitCodes)})`;
    label = 'Các đơn vị phụ trách';
  } else {
    visits = sql`v.team_id IN (SELECT lt.id FROM teams lt WHERE lt.leader_user_id = ${actor.userId})`;
    teams = sql`t.leader_user_id = ${actor.userId}`;
    label = 'Các tổ do tôi phụ trách';
  }
  let unitCode: string | null = null;
  if (query.unit) {
    if (actor.role === 'unit_official' && !actor.unitCodes.includes(query.unit)) throw new AppError('NOT_FOUND');
    const { rows } = await deps.db.execute<{ full_name: string }>(sql`SELECT full_name FROM units WHERE code = ${query.unit} AND province_code = ${actor.provinceCode}`);
    if (!rows[0]) throw new AppError('NOT_FOUND');
    visits = sql`${visits} AND v.unit_code = ${query.unit}`;
    teams = sql`${teams} AND t.unit_code = ${query.unit}`;
    unitCode = query.unit;
    label = rows[0].full_name;
  }
  let teamId: number | null = null;
  if (query.team) {
    const team = await findTeamInScope(deps, actor, query.team);
    visits = sql`${visits} AND v.team_id = ${team.id}`;
    teams = sql`${teams} AND t.id = ${team.id}`;
    teamId = team.id;
    label = team.name;
  }
  if (query.since) visits = sql`${visits} AND v.visited_at >= ${`${query.since}T00:00:00+07:00`}::timestamptz`;
  return { visits, teams, unitCode, teamId, label };
}

/** The current value counting towards each required indicator, taken from the domain's own rule. */
const REQUIRED = [...new Set(ELEMENTS.flatMap((element) => ELEMENT_REQUIRED[element]))];
const COUNTING_PAIRS = REQUIRED.flatMap((indicator) => INDICATOR_VALUES[indicator].filter((value) => valueCounts(indicator, value)).map((value) => [indicator, value] as const));

/**
 * Visits in scope, with the household's neighbourhood and the visit's day in Vietnam. Visits are
 * attributed to the neighbourhood the household is in now.
 */
const scopedVisits = (scope: ProgressScope) => sql`
  SELECT v.province_code, v.household_id, v.user_id, v.team_id, v.unit_code, v.outcome, v.people_helped, v.actions_done, v.people_found,
    h.neighbourhood_id, to_char(v.visited_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') AS day
  FROM field_visits v JOIN households h ON h.province_code = v.province_code AND h.id = v.household_id
  WHERE ${scope.visits}`;

/**
 * Living members of visited households whose four elements are all met, per the facts that stand
 * now: the same rule as the registry's currentFacts (corrected facts and retractions set aside,
 * latest observation wins, facts of records merged into a member count for them) and the
 * indicator ledger's all_elements_met, computed in one SQL aggregate rather than per person.
 */
const metMembers = sql`
  done AS (SELECT DISTINCT province_code, household_id FROM sv WHERE outcome = 'done'),
  mem AS (SELECT r.id, r.province_code, r.household_id FROM residents r
    JOIN done d ON d.province_code = r.province_code AND d.household_id = r.household_id
    WHERE r.status = 'living' AND r.merged_into_id IS NULL),
  subj AS (SELECT m.id AS shown_id, m.id AS source_id, m.province_code FROM mem m
    UNION ALL SELECT mm.merged_into_id, mm.id, mm.province_code FROM residents mm JOIN mem m ON mm.province_code = m.province_code AND mm.merged_into_id = m.id),
  cur AS (SELECT DISTINCT ON (s.shown_id, f.indicator) s.shown_id, f.indicator, f.value
    FROM subj s JOIN facts f ON f.province_code = s.province_code AND f.resident_id = s.source_id
    WHERE f.indicator IN (${list(REQUIRED)}) AND NOT f.retracts
      AND NOT EXISTS (SELECT 1 FROM facts c WHERE c.province_code = f.province_code AND c.corrects_fact_id = f.id)
    ORDER BY s.shown_id, f.indicator, f.observed_on DESC, f.id DESC),
  met AS (SELECT shown_id FROM cur WHERE (indicator, value) IN (${sql.join(COUNTING_PAIRS.map(([i, v]) => sql`(${i}, ${v})`), sql`, `)})
    GROUP BY shown_id HAVING count(*) = ${REQUIRED.length}),
  metm AS (SELECT m.id, m.province_code, m.household_id FROM mem m JOIN met ON met.shown_id = m.id)`;

type Dim = 'member' | 'team' | 'neighbourhood' | 'unit' | 'day' | 'total';
type GroupedRow = {
  g_user: number;
  g_team: number;
  g_nb: number;
  g_unit: number;
  g_day?: number;
  user_id: string | number | null;
  team_id: string | number | null;
  neighbourhood_id: string | number | null;
  unit_code: string | null;
  day?: string | null;
};

/** Which grouping set a row belongs to, and its key within it. */
function dimOf(row: GroupedRow): [Dim, string] {
  const key = (value: string | number | null | undefined) => (value === null || value === undefined ? 'none' : String(value));
  if (Number(row.g_user) === 0) return ['member', key(row.user_id)];
  if (Number(row.g_team) === 0) return ['team', key(row.team_id)];
  if (Number(row.g_nb) === 0) return ['neighbourhood', key(row.neighbourhood_id)];
  if (Number(row.g_unit) === 0) return ['unit', key(row.unit_code)];
  if (row.g_day !== undefined && Number(row.g_day) === 0) return ['day', key(row.day)];
  return ['total', 'total'];
}

const GROUPING = sql`GROUPING(sv.user_id) AS g_user, GROUPING(sv.team_id) AS g_team, GROUPING(sv.neighbourhood_id) AS g_nb, GROUPING(sv.unit_code) AS g_unit,
  sv.user_id, sv.team_id, sv.neighbourhood_id, sv.unit_code`;

const emptyRow = (key: string, label: string): ProgressRow => ({
  key,
  label,
  householdsAssigned: 0,
  householdsVisited: 0,
  visits: 0,
  peopleHelped: 0,
  actionsDone: 0,
  peopleFound: 0,
  membersAllElementsMet: 0,
});

export async function fieldProgress(deps: AppDeps, actor: Actor, query: { unit?: string | undefined; team?: number | undefined; since?: string | undefined }): Promise<FieldProgress> {
  const scope = await resolveScope(deps, actor, query);
  const { db } = deps;
  const { rows: visitRows } = await db.execute<GroupedRow & { visits: number; households_visited: number; people_helped: number; actions_done: number; people_found: number }>(sql`
    WITH sv AS (${scopedVisits(scope)})
    SELECT ${GROUPING}, GROUPING(sv.day) AS g_day, sv.day,
      count(*)::int AS visits, (count(DISTINCT sv.household_id) FILTER (WHERE sv.outcome = 'done'))::int AS households_visited,
      COALESCE(sum(sv.people_helped), 0)::int AS people_helped, COALESCE(sum(sv.actions_done), 0)::int AS actions_done, COALESCE(sum(sv.people_found), 0)::int AS people_found
    FROM sv GROUP BY GROUPING SETS ((sv.user_id), (sv.team_id), (sv.neighbourhood_id), (sv.unit_code), (sv.day), ())`);
  const { rows: metRows } = await db.execute<GroupedRow & { met: number }>(sql`
    WITH sv AS (${scopedVisits(scope)}), ${metMembers}
    SELECT ${GROUPING}, count(DISTINCT metm.id)::int AS met
    FROM sv JOIN metm ON metm.province_code = sv.province_code AND metm.household_id = sv.household_id
    WHERE sv.outcome = 'done'
    GROUP BY GROUPING SETS ((sv.user_id), (sv.team_id), (sv.neighbourhood_id), (sv.unit_code), ())`);
  // Households given to the scope's teams, wherever or not visited.
  const { rows: areaRows } = await db.execute<{ g_team: number; g_nb: number; g_unit: number; team_id: string | null; neighbourhood_id: string | null; unit_code: string | null; households: number }>(sql`
    WITH st AS (SELECT t.id FROM teams t WHERE ${scope.teams} AND t.archived_at IS NULL),
    th AS (
      SELECT ta.team_id, h.id, h.neighbourhood_id, h.unit_code FROM st JOIN team_areas ta ON ta.team_id = st.id AND ta.removed_at IS NULL
        JOIN households h ON h.province_code = ta.province_code AND h.id = ta.household_id
      UNION
      SELECT ta.team_id, h.id, h.neighbourhood_id, h.unit_code FROM st JOIN team_areas ta ON ta.team_id = st.id AND ta.removed_at IS NULL
        JOIN households h ON h.province_code = ta.province_code AND h.neighbourhood_id = ta.neighbourhood_id)
    SELECT GROUPING(th.team_id) AS g_team, GROUPING(th.neighbourhood_id) AS g_nb, GROUPING(th.unit_code) AS g_unit,
      th.team_id, th.neighbourhood_id, th.unit_code, count(DISTINCT th.id)::int AS households
    FROM th GROUP BY GROUPING SETS ((th.team_id), (th.neighbourhood_id), (th.unit_code), ())`);
  const { rows: memberRows } = await db.execute<{ user_id: string; display_name: string; assigned: number }>(sql`
    WITH st AS (SELECT t.id FROM teams t WHERE ${scope.teams} AND t.archived_at IS NULL)
    SELECT u.id AS user_id, u.display_name,
      (SELECT count(*)::int FROM assignments a WHERE a.user_id = u.id AND a.team_id IN (SELECT id FROM st)) AS assigned
    FROM users u
    WHERE u.id IN (SELECT m.user_id FROM team_members m JOIN st ON st.id = m.team_id WHERE m.removed_at IS NULL)
      OR u.id IN (SELECT v.user_id FROM field_visits v WHERE ${scope.visits})`);
  const { rows: teamRows } = await db.execute<{ id: string; name: string }>(sql`SELECT t.id, t.name FROM teams t WHERE ${scope.teams}`);

  const rows = new Map<string, ProgressRow>();
  const rowOf = (dim: Dim, key: string) => {
    const id = `${dim}:${key}`;
    let row = rows.get(id);
    if (!row) rows.set(id, (row = emptyRow(key, '')));
    return row;
  };
  const byDay: FieldProgress['byDay'] = [];
  for (const r of visitRows) {
    const [dim, key] = dimOf(r);
    if (dim === 'day') {
      byDay.push({ day: key, visits: Number(r.visits), householdsVisited: Number(r.households_visited) });
      continue;
    }
    Object.assign(rowOf(dim, key), {
      visits: Number(r.visits),
      householdsVisited: Number(r.households_visited),
      peopleHelped: Number(r.people_helped),
      actionsDone: Number(r.actions_done),
      peopleFound: Number(r.people_found),
    });
  }
  for (const r of metRows) {
    const [dim, key] = dimOf(r);
    rowOf(dim, key).membersAllElementsMet = Number(r.met);
  }
  for (const r of areaRows) {
    const [dim, key] = dimOf({ ...r, g_user: 1, user_id: null });
    rowOf(dim, key).householdsAssigned = Number(r.households);
  }
  for (const r of memberRows) {
    const row = rowOf('member', String(r.user_id));
    row.householdsAssigned = Number(r.assigned);
    row.label = r.display_name;
  }
  for (const t of teamRows) rowOf('team', String(t.id)).label = t.name;
  await labelRows(deps, rows);

  const dimension = (dim: Dim) =>
    [...rows.entries()]
      .filter(([id]) => id.startsWith(`${dim}:`))
      .map(([, row]) => row)
      .sort((a, b) => a.label.localeCompare(b.label, 'vi') || a.key.localeCompare(b.key));
  const totals = rows.get('total:total') ?? emptyRow('total', scope.label);
  totals.label = scope.label;
  const teamIds = sql`q.team_id IN (SELECT t.id FROM teams t WHERE ${scope.teams})`;
  return {
    scope: { unitCode: scope.unitCode, teamId: scope.teamId, label: scope.label },
    totals,
    byMember: dimension('member'),
    byTeam: dimension('team'),
    byNeighbourhood: dimension('neighbourhood'),
    byUnit: dimension('unit'),
    byDay: byDay.sort((a, b) => a.day.localeCompare(b.day)),
    quotas: await quotaViews(deps, teamIds),
  };
}

/** Names of units and neighbourhoods; visits without a team or a neighbourhood get a plain label. */
async function labelRows(deps: AppDeps, rows: Map<string, ProgressRow>): Promise<void> {
  const keys = (dim: Dim) => [...rows.keys()].filter((id) => id.startsWith(`${dim}:`)).map((id) => id.slice(dim.length + 1));
  const unitCodes = keys('unit').filter((k) => k !== 'none');
  const neighbourhoodIds = keys('neighbourhood').filter((k) => k !== 'none').map(Number);
  if (unitCodes.length > 0) {
    const { rows: found } = await deps.db.execute<{ code: string; full_name: string }>(sql`SELECT code, full_name FROM units WHERE code IN (${list(unitCodes)})`);
    for (const u of found) rowOf(rows, 'unit', u.code).label = u.full_name;
  }
  if (neighbourhoodIds.length > 0) {
    const { rows: found } = await deps.db.execute<{ id: string; name: string }>(sql`SELECT id, name FROM neighbourhoods WHERE id = ANY(${sql.param(neighbourhoodIds)}::bigint[])`);
    for (const n of found) rowOf(rows, 'neighbourhood', String(n.id)).label = n.name;
  }
  const none = rows.get('neighbourhood:none');
  if (none) none.label = 'Chưa thuộc khu phố/ấp';
  const noTeam = rows.get('team:none');
  if (noTeam) noTeam.label = 'Không thuộc tổ';
}

function rowOf(rows: Map<string, ProgressRow>, dim: Dim, key: string): ProgressRow {
  const row = rows.get(`${dim}:${key}`);
  if (!row) throw new AppError('INTERNAL');
  return row;
}
