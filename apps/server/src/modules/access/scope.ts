import { households, residents, teams, units } from '@cds/db';
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from './actor.ts';

// The area a reader may see, as SQL conditions that every query of personal rows includes.
// A route that forgets to check still leaks nothing: the rows are simply not selected.

const NOTHING = sql`false`;

function unitList(codes: readonly string[]): SQL {
  return codes.length === 0 ? sql`NULL` : sql.join(codes.map((code) => sql`${code}`), sql`, `);
}

export function householdScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'city_admin':
      return sql`${households.provinceCode} = ${actor.provinceCode}`;
    case 'unit_official':
      return sql`${households.unitCode} IN (${unitList(actor.unitCodes)})`;
    case 'team_leader':
      return sql`(EXISTS (SELECT 1 FROM assignments a WHERE a.user_id = ${actor.userId}
        AND a.province_code = ${households.provinceCode} AND a.household_id = ${households.id})
        OR ${ledTeamAreaCovers(actor, sql`${households.provinceCode}`, sql`${households.id}`, sql`${households.neighbourhoodId}`)})`;
    case 'volunteer':
      return sql`EXISTS (SELECT 1 FROM assignments a WHERE a.user_id = ${actor.userId}
        AND a.province_code = ${households.provinceCode} AND a.household_id = ${households.id})`;
    case 'citizen':
      return actor.residentId === null
        ? NOTHING
        : sql`${households.id} = (SELECT r.household_id FROM residents r WHERE r.id = ${actor.residentId})`;
    default:
      return NOTHING;
  }
}

/**
 * A household lies in an area of a team the leader leads: given to the team on its own, or in a
 * neighbourhood given to it. Matching the neighbourhood (not a list of households) means a
 * household registered there later is covered without anyone re-assigning it. An archived team
 * no longer gives its leader anything.
 */
function ledTeamAreaCovers(actor: Actor, provinceCode: SQL, householdId: SQL, neighbourhoodId: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM team_areas ta JOIN teams t ON t.id = ta.team_id
    WHERE t.leader_user_id = ${actor.userId} AND t.archived_at IS NULL AND ta.removed_at IS NULL
      AND ta.province_code = ${provinceCode}
      AND (ta.household_id = ${householdId} OR ta.neighbourhood_id = ${neighbourhoodId}))`;
}

/** Teams the actor may see: the city's, their units', or those they lead. */
export function teamScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'city_admin':
      return sql`${teams.provinceCode} = ${actor.provinceCode}`;
    case 'unit_official':
      return sql`${teams.unitCode} IN (${unitList(actor.unitCodes)})`;
    case 'team_leader':
      return sql`${teams.leaderUserId} = ${actor.userId}`;
    default:
      return NOTHING;
  }
}

/**
 * Residents the actor may see. A record merged into another is not shown to anyone: its facts
 * appear on the record kept, and every list, search and count leaves it out. Filtering it here,
 * with the area, means no read of personal rows can forget it.
 */
export function residentScope(actor: Actor): SQL {
  return sql`(${residentAreaScope(actor)} AND ${residents.mergedIntoId} IS NULL)`;
}

/** The actor's area over residents, merged records included: only for undoing or pointing to a merge. */
export function residentAreaScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'city_admin':
      return sql`${residents.provinceCode} = ${actor.provinceCode}`;
    case 'unit_official':
      return sql`${residents.unitCode} IN (${unitList(actor.unitCodes)})`;
    case 'team_leader':
      return sql`(EXISTS (SELECT 1 FROM assignments a WHERE a.user_id = ${actor.userId}
        AND a.province_code = ${residents.provinceCode} AND a.household_id = ${residents.householdId})
        OR EXISTS (SELECT 1 FROM households lh WHERE lh.province_code = ${residents.provinceCode} AND lh.id = ${residents.householdId}
          AND ${ledTeamAreaCovers(actor, sql`lh.province_code`, sql`lh.id`, sql`lh.neighbourhood_id`)}))`;
    case 'volunteer':
      return sql`EXISTS (SELECT 1 FROM assignments a WHERE a.user_id = ${actor.userId}
        AND a.province_code = ${residents.provinceCode} AND a.household_id = ${residents.householdId})`;
    case 'citizen':
      return actor.residentId === null ? NOTHING : sql`${residents.id} = ${actor.residentId}`;
    default:
      return NOTHING;
  }
}

/** Units whose aggregates the actor may see. */
export function unitScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'city_admin':
    case 'analyst':
    case 'auditor':
      return sql`${units.provinceCode} = ${actor.provinceCode}`;
    case 'unit_official':
    case 'team_leader':
      return sql`${units.code} IN (${unitList(actor.unitCodes)})`;
    default:
      return NOTHING;
  }
}
