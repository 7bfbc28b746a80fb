import { households, residents, units } from '@cds/db';
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
