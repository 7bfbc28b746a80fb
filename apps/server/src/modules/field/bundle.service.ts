import { FIELD_MIN_APP_VERSION, type FieldBundle, type FieldHandoverDue, type FieldHousehold } from '@cds/contract';
import { deviceAllocations, devicePledges, deviceStock, households, neighbourhoods, residents, sponsors, users } from '@cds/db';
import { maskPhone } from '@cds/domain';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { householdScope, residentScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { currentFacts } from '../registry/facts.queries.ts';
import type { DeviceRow } from './devices.service.ts';

// What a phone downloads before going out: the households its user is to visit and, of each
// member, only what a visit needs. No full citizen ID ever leaves in a bundle.

/** A phone holds a day's round, not a ward: past this, the download is cut (and says so in the audit). */
const MAX_HOUSEHOLDS = 5000;

/** The fields of each member a bundle carries; the audit names them. */
export const BUNDLE_FIELDS = ['fullName', 'birthYear', 'sex', 'relationToHead', 'citizenId(last4)', 'phone(masked)', 'indicators'];

/** The team a field worker works for: the one they lead or most recently joined, not archived. */
export async function activeTeamOf(deps: AppDeps, userId: number): Promise<{ id: number; name: string; unitCode: string; unitName: string } | null> {
  const { rows } = await deps.db.execute<{ id: number; name: string; unit_code: string; unit_name: string }>(sql`
    SELECT t.id, t.name, t.unit_code, u.full_name AS unit_name
    FROM teams t JOIN units u ON u.code = t.unit_code
    LEFT JOIN team_members tm ON tm.team_id = t.id AND tm.user_id = ${userId} AND tm.removed_at IS NULL
    WHERE t.archived_at IS NULL AND (tm.user_id IS NOT NULL OR t.leader_user_id = ${userId})
    ORDER BY (t.leader_user_id = ${userId}) DESC NULLS LAST, tm.joined_at DESC NULLS LAST, t.id DESC
    LIMIT 1`);
  const row = rows[0];
  return row ? { id: Number(row.id), name: row.name, unitCode: row.unit_code, unitName: row.unit_name } : null;
}

/**
 * Handovers scheduled in the bundle's households (already the actor's area), for those who may
 * hand devices over: the device, the day and who receives it, by a name the bundle carries anyway.
 */
async function handoversDue(deps: AppDeps, actor: Actor, householdIds: number[]): Promise<Map<number, FieldHandoverDue[]>> {
  const due = new Map<number, FieldHandoverDue[]>();
  if (householdIds.length === 0 || !may.handOverDevices(actor)) return due;
  const rows = await deps.db
    .select({
      allocationId: deviceAllocations.id,
      householdId: deviceAllocations.householdId,
      sponsorName: sponsors.name,
      model: devicePledges.model,
      network: devicePledges.network,
      scheduledFor: deviceAllocations.scheduledFor,
      residentId: residents.id,
      fullName: residents.fullName,
    })
    .from(deviceAllocations)
    .innerJoin(deviceStock, eq(deviceStock.id, deviceAllocations.stockId))
    .innerJoin(devicePledges, eq(devicePledges.id, deviceStock.pledgeId))
    .innerJoin(sponsors, eq(sponsors.id, devicePledges.sponsorId))
    .innerJoin(residents, and(eq(residents.provinceCode, deviceAllocations.provinceCode), eq(residents.id, deviceAllocations.residentId)))
    .where(and(eq(deviceAllocations.provinceCode, actor.provinceCode), inArray(deviceAllocations.householdId, householdIds), eq(deviceAllocations.status, 'scheduled')))
    .orderBy(asc(deviceAllocations.id));
  for (const r of rows) {
    // A household may have several (one device per 2G-only phone), each with its own recipient and code.
    const list = due.get(r.householdId) ?? [];
    list.push({
      allocationId: r.allocationId,
      sponsorName: r.sponsorName,
      model: r.model,
      network: r.network,
      scheduledFor: r.scheduledFor,
      recipient: { residentId: r.residentId, fullName: r.fullName },
    });
    due.set(r.householdId, list);
  }
  return due;
}

export async function fieldBundle(deps: AppDeps, actor: Actor, device: DeviceRow): Promise<FieldBundle> {
  requireThat(may.recordFacts(actor));
  if (device.revokedAt) throw new AppError('DEVICE_REVOKED');
  // Officials and admins may see whole units; a phone gets only the households given to them.
  const assignedOnly =
    actor.role === 'volunteer'
      ? undefined
      : sql`EXISTS (SELECT 1 FROM assignments a WHERE a.user_id = ${actor.userId} AND a.province_code = ${households.provinceCode} AND a.household_id = ${households.id})`;
  const rows = await deps.db
    .select({
      id: households.id,
      provinceCode: households.provinceCode,
      unitCode: households.unitCode,
      address: households.address,
      poverty: households.povertyStatus,
      neighbourhoodName: neighbourhoods.name,
    })
    .from(households)
    .leftJoin(neighbourhoods, and(eq(neighbourhoods.provinceCode, households.provinceCode), eq(neighbourhoods.id, households.neighbourhoodId)))
    .where(and(householdScope(actor), assignedOnly))
    .orderBy(asc(households.id))
    .limit(MAX_HOUSEHOLDS + 1);
  const truncated = rows.length > MAX_HOUSEHOLDS;
  const list = rows.slice(0, MAX_HOUSEHOLDS);
  const ids = list.map((h) => h.id);
  const provinceCode = actor.provinceCode;

  const members =
    ids.length === 0
      ? []
      : await deps.db
          .select()
          .from(residents)
          .where(
            and(
              eq(residents.provinceCode, provinceCode),
              inArray(residents.householdId, ids),
              eq(residents.status, 'living'),
              isNull(residents.mergedIntoId),
              residentScope(actor),
            ),
          )
          .orderBy(asc(residents.householdId), sql`CASE ${residents.relationToHead} WHEN 'head' THEN 0 ELSE 1 END`, asc(residents.birthYear), asc(residents.id));
  const facts = await currentFacts(deps.db, provinceCode, members.map((m) => m.id));
  const idList = sql.raw(`'{${ids.join(',')}}'::bigint[]`);
  const lastVisits = new Map<number, { at: string; outcome: string }>();
  const needsReturn = new Set<number>();
  if (ids.length > 0) {
    const visits = await deps.db.execute<{ household_id: number; visited_at: Date; outcome: string }>(sql`
      SELECT DISTINCT ON (household_id) household_id, visited_at, outcome FROM field_visits
      WHERE province_code = ${provinceCode} AND household_id = ANY(${idList})
      ORDER BY household_id, visited_at DESC, id DESC`);
    for (const v of visits.rows) {
      lastVisits.set(Number(v.household_id), { at: new Date(v.visited_at).toISOString(), outcome: v.outcome });
      if (v.outcome === 'nobody_home') needsReturn.add(Number(v.household_id));
    }
    const needs = await deps.db.execute<{ household_id: number }>(sql`
      SELECT DISTINCT household_id FROM household_needs
      WHERE province_code = ${provinceCode} AND household_id = ANY(${idList}) AND kind = 'return_visit' AND status = 'open'`);
    for (const n of needs.rows) needsReturn.add(Number(n.household_id));
  }

  const handovers = await handoversDue(deps, actor, ids);

  const byHousehold = new Map<number, FieldHousehold['members']>();
  for (const m of members) {
    const current: Record<string, string> = {};
    for (const [indicator, fact] of facts.get(m.id) ?? []) current[indicator] = fact.value;
    const list = byHousehold.get(m.householdId) ?? [];
    list.push({
      residentId: m.id,
      fullName: m.fullName,
      birthYear: m.birthYear,
      sex: m.sex,
      relationToHead: m.relationToHead,
      // Built from the stored last four digits: the full number is never decrypted for a bundle.
      citizenIdMasked: m.citizenIdLast4 ? `********${m.citizenIdLast4}` : null,
      phoneMasked: m.phone ? maskPhone(m.phone) : null,
      current,
    });
    byHousehold.set(m.householdId, list);
  }

  const [user] = await deps.db.select({ displayName: users.displayName }).from(users).where(eq(users.id, actor.userId));
  const team = await activeTeamOf(deps, actor.userId);
  await recordAudit(deps.db, actor, {
    action: 'read',
    recordType: 'household',
    recordIds: ids,
    unitCodes: list.map((h) => h.unitCode),
    fields: ['address', 'povertyStatus', ...BUNDLE_FIELDS.map((f) => `members.${f}`), ...(handovers.size > 0 ? ['device_allocations.recipient'] : [])],
    detail: { via: 'field_bundle', deviceId: device.id, residents: members.map((m) => m.id), truncated, allocations: [...handovers.values()].flat().map((h) => h.allocationId) },
  });
  return {
    user: { userId: actor.userId, displayName: user?.displayName ?? actor.username, role: actor.role },
    team: team ? { id: team.id, name: team.name, unitName: team.unitName } : null,
    households: list.map((h) => ({
      id: h.id,
      unitCode: h.unitCode,
      address: h.address,
      neighbourhoodName: h.neighbourhoodName,
      poverty: h.poverty,
      members: byHousehold.get(h.id) ?? [],
      lastVisit: lastVisits.get(h.id) ?? null,
      needsReturn: needsReturn.has(h.id),
      handovers: handovers.get(h.id) ?? [],
    })),
    generatedAt: new Date().toISOString(),
    minAppVersion: FIELD_MIN_APP_VERSION,
  };
}
