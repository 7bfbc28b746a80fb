import { randomUUID } from 'node:crypto';
import { FIELD_MIN_APP_VERSION, type FieldAction } from '@cds/contract';
import { assignments, residents, users } from '@cds/db';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../modules/access/actor.ts';
import { syncVisits, type SendContext } from '../modules/field/sync.service.ts';
import { activeTeamOf } from '../modules/field/bundle.service.ts';
import type { AppDeps } from '../platform/deps.ts';

/** What the demo volunteer did on their rounds last week: enough for the progress pages to show. */
const ROUNDS: { daysAgo: number; outcome: 'done' | 'nobody_home' | 'refused'; actions: FieldAction[]; device?: boolean }[] = [
  { daysAgo: 6, outcome: 'done', actions: ['vneid_level2', 'city_app_installed'] },
  { daysAgo: 6, outcome: 'nobody_home', actions: [] },
  { daysAgo: 5, outcome: 'done', actions: ['epayment_account_opened', 'trained'], device: true },
  { daysAgo: 4, outcome: 'done', actions: ['public_service_account_made', 'social_insurance_added', 'vssid_installed'] },
  { daysAgo: 3, outcome: 'refused', actions: [] },
  { daysAgo: 2, outcome: 'done', actions: ['city_app_installed', 'trained'] },
];

/**
 * Sends the demo volunteer's visits through the same path as the field app's sync, so they
 * leave the same facts, needs and counters a real round would. Run once, on a new database.
 */
export async function seedDemoVisits(deps: AppDeps, volunteerUsername: string): Promise<number> {
  const [user] = await deps.db.select().from(users).where(eq(users.username, volunteerUsername));
  if (!user) return 0;
  const actor: Actor = { userId: user.id, username: user.username, role: user.role, provinceCode: user.provinceCode, unitCodes: [], residentId: null, ip: null, userAgent: 'demo' };
  const homes = await deps.db.select({ id: assignments.householdId }).from(assignments).where(eq(assignments.userId, user.id)).orderBy(asc(assignments.householdId)).limit(ROUNDS.length);
  const ctx: SendContext = { deps, sender: actor, scope: actor, team: await activeTeamOf(deps, user.id), deviceId: null, appVersion: FIELD_MIN_APP_VERSION };
  let stored = 0;
  for (const [i, home] of homes.entries()) {
    const round = ROUNDS[i]!;
    const members = await deps.db
      .select({ id: residents.id, birthYear: residents.birthYear })
      .from(residents)
      .where(and(eq(residents.householdId, home.id), eq(residents.status, 'living'), isNull(residents.mergedIntoId)))
      .orderBy(asc(residents.id));
    const adults = members.filter((m) => m.birthYear <= 2008);
    const visitedAt = new Date(Date.parse(`${deps.today()}T09:30:00+07:00`) - round.daysAgo * 86_400_000);
    const done = round.outcome === 'done';
    const [result] = await syncVisits(ctx, false, [{
      clientVisitId: randomUUID(),
      householdId: home.id,
      visitedAt: visitedAt.toISOString(),
      outcome: round.outcome,
      consent: done,
      members: done ? adults.map((m, k) => ({ residentId: m.id, present: true, observed: {}, actions: k === 0 ? round.actions : [], ...(k === 0 && round.actions.includes('trained') ? { trainingTopic: 'Dùng VNeID và ứng dụng Công dân số' } : {}) })) : [],
      newPeople: [],
      needs: [
        ...(round.device && adults[0] ? [{ kind: 'device', residentId: adults[0].id, detail: 'Cần điện thoại thông minh thay máy 2G' }] : []),
        ...(round.outcome === 'nobody_home' ? [{ kind: 'return_visit', detail: 'Quay lại buổi tối' }] : []),
      ],
    }]);
    if (result?.outcome === 'stored') stored++;
  }
  return stored;
}
