import type { FieldHousehold } from '@cds/contract';
import { isHandoverRow, type OutboxRow, type OutboxVisitRow } from './db';
import { fold } from './fold';

export type HouseholdFilter = 'all' | 'not_visited' | 'needs_return';

export interface LocalVisits {
  count: number;
  lastOutcome: string;
  lastAt: string;
  needsReturn: boolean;
}

/** What this phone recorded per household, sent or not: the bundle knows only what reached the server. */
export function localVisitsByHousehold(rows: readonly OutboxRow[]): Map<number, LocalVisits> {
  const map = new Map<number, LocalVisits>();
  const sorted = rows
    .filter((r): r is OutboxVisitRow => !isHandoverRow(r) && r.householdId !== null && r.status !== 'refused')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const row of sorted) {
    const id = row.householdId as number;
    const returnNeeded = row.visit.outcome === 'nobody_home' || row.visit.needs.some((n) => n.kind === 'return_visit');
    const prev = map.get(id);
    // The latest visit decides whether a return is still needed: a done visit after nobody-home closes it.
    map.set(id, { count: (prev?.count ?? 0) + 1, lastOutcome: row.visit.outcome, lastAt: row.visit.visitedAt, needsReturn: returnNeeded });
  }
  return map;
}

export function isVisited(household: FieldHousehold, local: Map<number, LocalVisits>): boolean {
  return household.lastVisit !== null || local.has(household.id);
}

export function needsReturn(household: FieldHousehold, local: Map<number, LocalVisits>): boolean {
  const mine = local.get(household.id);
  if (mine) return mine.needsReturn;
  return household.needsReturn || household.lastVisit?.outcome === 'nobody_home';
}

export function householdCounts(households: readonly FieldHousehold[], local: Map<number, LocalVisits>) {
  let notVisited = 0;
  let toReturn = 0;
  for (const h of households) {
    if (!isVisited(h, local)) notVisited++;
    if (needsReturn(h, local)) toReturn++;
  }
  return { all: households.length, not_visited: notVisited, needs_return: toReturn };
}

/** Search matches address, neighbourhood or a member's name, without diacritics ("nguyen van" finds "Nguyễn Văn"). */
export function filterHouseholds(households: readonly FieldHousehold[], local: Map<number, LocalVisits>, filter: HouseholdFilter, query: string): FieldHousehold[] {
  const q = fold(query);
  return households.filter((h) => {
    if (filter === 'not_visited' && isVisited(h, local)) return false;
    if (filter === 'needs_return' && !needsReturn(h, local)) return false;
    if (!q) return true;
    const text = fold([h.address, h.neighbourhoodName ?? '', ...h.members.map((m) => m.fullName)].join(' '));
    return text.includes(q);
  });
}
