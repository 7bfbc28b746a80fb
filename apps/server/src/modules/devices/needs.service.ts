import type { DeviceNeed } from '@cds/contract';
import { deviceRequests, households, neighbourhoods, residents, units } from '@cds/db';
import { ageOn, maskPhone } from '@cds/domain';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { DeviceRequestCreate, DeviceRequestResult, DeviceRequestView } from '@cds/contract';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { householdScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { loadPriorityRules } from './rules.service.ts';
import { currentValue, deviceSituations, priorityCandidates, type DeviceSituation } from './situations.queries.ts';

// Lists of households that need a device, per unit and neighbourhood, by priority. Personal rows:
// the reader's role first, their area in the SQL, every read in the audit log.

export interface DeviceNeedsQuery {
  unit?: string | undefined;
  neighbourhood?: number | undefined;
  unallocated: boolean;
  poorOnly: boolean;
  cursor?: string | undefined;
  limit: number;
}

/** The area asked for, within the reader's own: a city admin names a unit (a city is too many rows to rank). */
function areaOf(actor: Actor, query: DeviceNeedsQuery): SQL {
  const parts: SQL[] = [sql`${households.provinceCode} = ${actor.provinceCode}`, householdScope(actor)];
  if (query.unit) parts.push(sql`${households.unitCode} = ${query.unit}`);
  else if (actor.role === 'city_admin') throw invalid('querystring.unit', 'Chọn đơn vị (phường, xã, đặc khu) để xem danh sách');
  if (query.neighbourhood) parts.push(sql`${households.neighbourhoodId} = ${query.neighbourhood}`);
  if (query.poorOnly) parts.push(sql`${households.povertyStatus} IN ('poor', 'near_poor')`);
  return sql.join(parts, sql` AND `);
}

export async function listDeviceNeeds(deps: AppDeps, actor: Actor, query: DeviceNeedsQuery): Promise<{ items: DeviceNeed[]; next: string | null }> {
  requireThat(may.readDeviceNeeds(actor));
  const after = decodeCursor(query.cursor, ['number', 'number']);
  const rules = await loadPriorityRules(deps.db);
  const today = deps.today();
  // Two steps: every household's score (the household and its members only, no facts), then who
  // of them needs a device, read from the facts in score order only until the page is full. The
  // facts are the costly part, so a page no longer reads a whole ward's; but the first step still
  // reads the ward's households on every page, and late in the campaign, when few households
  // still need a device, the second reads many to fill one. Keeping the score on a table, by the
  // same function, is the next step if wards outgrow this. One household past the page is looked
  // for, so `next` is given only when another page has someone on it (never an empty last page).
  const candidates = await priorityCandidates(deps.db, areaOf(actor, query), rules, today);
  let index = after ? candidates.findIndex((c) => c.score < after[0] || (c.score === after[0] && c.householdId > after[1])) : 0;
  if (index < 0) index = candidates.length;
  const slice: DeviceSituation[] = [];
  let batch = query.limit * 2;
  while (slice.length <= query.limit && index < candidates.length) {
    const ids = candidates.slice(index, index + batch).map((c) => c.householdId);
    const found = await deviceSituations(
      deps.db,
      sql`${households.provinceCode} = ${actor.provinceCode} AND ${households.id} = ANY(${sql.param(ids)}::bigint[])`,
      rules,
      today,
      { withAllocated: !query.unallocated, onlyUnallocated: query.unallocated },
    );
    const byId = new Map(found.map((s) => [s.householdId, s]));
    for (const id of ids) {
      index += 1;
      const situation = byId.get(id);
      if (situation) slice.push(situation);
      if (slice.length > query.limit) break;
    }
    // Where few households of a batch need a device, read the next ones in larger steps.
    batch = Math.min(batch * 2, 2000);
  }
  const more = slice.length > query.limit;
  if (more) slice.pop();
  const last = slice.at(-1);
  const next = more && last ? encodeCursor([last.score, last.householdId]) : null;
  if (slice.length === 0) {
    await recordAudit(deps.db, actor, { action: 'list', recordType: 'household', fields: ['device_needs'], unitCodes: query.unit ? [query.unit] : [] });
    return { items: [], next: null };
  }

  const ids = slice.map((s) => s.householdId);
  const details = await deps.db
    .select({ id: households.id, address: households.address, unitName: units.name, neighbourhoodId: neighbourhoods.id, neighbourhoodName: neighbourhoods.name })
    .from(households)
    .innerJoin(units, eq(units.code, households.unitCode))
    .leftJoin(neighbourhoods, and(eq(neighbourhoods.provinceCode, households.provinceCode), eq(neighbourhoods.id, households.neighbourhoodId)))
    .where(and(eq(households.provinceCode, actor.provinceCode), inArray(households.id, ids)));
  const detailById = new Map(details.map((d) => [d.id, d]));
  const { rows: memberRows } = await deps.db.execute<{
    id: number;
    household_id: number;
    full_name: string;
    birth_date: string | null;
    birth_year: number;
    phone: string | null;
    smart: string | null;
    g2: string | null;
  }>(sql`
    SELECT r.id, r.household_id, r.full_name, r.birth_date::text, r.birth_year, r.phone,
      ${currentValue('smartphone')} AS smart, ${currentValue('phone_2g_only')} AS g2
    FROM residents r
    WHERE r.province_code = ${actor.provinceCode} AND r.household_id = ANY(${sql.param(ids)}::bigint[]) AND r.status = 'living' AND r.merged_into_id IS NULL
    ORDER BY CASE r.relation_to_head WHEN 'head' THEN 0 ELSE 1 END, r.birth_year, r.id`);
  const items: DeviceNeed[] = slice.map((s) => {
    const d = detailById.get(s.householdId);
    return {
      householdId: s.householdId,
      unitCode: s.unitCode,
      unitName: d?.unitName ?? s.unitCode,
      neighbourhood: d?.neighbourhoodId ? { id: d.neighbourhoodId, name: d.neighbourhoodName ?? '' } : null,
      address: d?.address ?? '',
      poverty: s.poverty,
      basis: s.basis,
      score: s.score,
      reasons: s.reasons,
      members: memberRows
        .filter((m) => Number(m.household_id) === s.householdId)
        .map((m) => ({
          residentId: Number(m.id),
          fullName: m.full_name,
          age: ageOn(today, m.birth_date, Number(m.birth_year)),
          phone2gOnly: m.g2 === 'true',
          smartphone: m.smart === 'true',
          phoneMasked: m.phone ? maskPhone(m.phone) : null,
        })),
      openRequests: s.openRequests,
      devicesNeeded: s.devicesNeeded,
      toAllocate: s.toAllocate,
      allocations: s.allocations,
    };
  });
  await recordAudit(deps.db, actor, {
    action: 'list',
    recordType: 'household',
    recordIds: ids,
    unitCodes: [...new Set(slice.map((s) => s.unitCode))],
    fields: ['device_needs', 'members.fullName', 'members.age', 'members.phone(masked)'],
  });
  return { items, next };
}

type RequestRow = typeof deviceRequests.$inferSelect;
export const presentRequest = (row: RequestRow): z.infer<typeof DeviceRequestView> => ({
  id: row.id,
  householdId: row.householdId,
  residentId: row.residentId,
  unitCode: row.unitCode,
  channel: row.channel,
  circumstances: row.circumstances,
  note: row.note,
  status: row.status,
  createdAt: row.createdAt.toISOString(),
});

const NOTE_MAX = 500;

/**
 * A resident asks for a device for their household, or an official or field worker records such
 * a request. Asked again for the same person (or the whole household) while a request is open,
 * it adds to the open one (the circumstances stated, the note) instead of making a second: the
 * queue shows a household once per person, and nothing said the second time is lost.
 */
export async function createDeviceRequest(deps: AppDeps, actor: Actor, input: z.infer<typeof DeviceRequestCreate>): Promise<z.infer<typeof DeviceRequestResult>> {
  requireThat(may.requestDevice(actor));
  const [household] = await deps.db
    .select({ provinceCode: households.provinceCode, id: households.id, unitCode: households.unitCode })
    .from(households)
    .where(and(eq(households.provinceCode, actor.provinceCode), eq(households.id, input.householdId), householdScope(actor)));
  if (!household) throw new AppError('NOT_FOUND', [{ path: 'body.householdId', message: 'Không tìm thấy hộ này trong địa bàn của bạn' }]);
  if (input.residentId !== undefined) {
    const [member] = await deps.db
      .select({ id: residents.id })
      .from(residents)
      .where(and(eq(residents.provinceCode, household.provinceCode), eq(residents.id, input.residentId), eq(residents.householdId, household.id), eq(residents.status, 'living')));
    if (!member) throw invalid('body.residentId', 'Người này không phải thành viên đang sống trong hộ');
  }
  const residentId = input.residentId ?? null;
  const circumstances = [...new Set(input.circumstances)];
  const note = input.note || null;
  return deps.db.transaction(async (tx) => {
    // Two requests for one household at once are taken one after the other, so the second finds the first.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`device-request:${household.provinceCode}:${household.id}`}, 0))`);
    const [open] = await tx
      .select()
      .from(deviceRequests)
      .where(
        and(
          eq(deviceRequests.provinceCode, household.provinceCode),
          eq(deviceRequests.householdId, household.id),
          eq(deviceRequests.status, 'open'),
          sql`${deviceRequests.residentId} IS NOT DISTINCT FROM ${residentId}`,
        ),
      )
      .orderBy(deviceRequests.id)
      .limit(1);
    if (open) {
      const added = circumstances.filter((c) => !open.circumstances.includes(c));
      const notes = note === null || open.note?.includes(note) ? open.note : [open.note, note].filter(Boolean).join(' · ').slice(0, NOTE_MAX);
      const [row] = await tx
        .update(deviceRequests)
        .set({ circumstances: [...open.circumstances, ...added], note: notes })
        .where(eq(deviceRequests.id, open.id))
        .returning();
      if (!row) throw new AppError('INTERNAL');
      await recordAudit(tx, actor, {
        action: 'update',
        recordType: 'household',
        recordIds: [household.id],
        unitCodes: [household.unitCode],
        fields: ['device_requests'],
        detail: { requestId: row.id, askedAgain: true, addedCircumstances: added, noteAdded: notes !== open.note },
      });
      return { ...presentRequest(row), alreadyOpen: true };
    }
    const [row] = await tx
      .insert(deviceRequests)
      .values({
        provinceCode: household.provinceCode,
        householdId: household.id,
        residentId,
        unitCode: household.unitCode,
        channel: actor.role === 'citizen' ? 'citizen' : 'official',
        circumstances,
        note,
        requestedBy: actor.userId,
      })
      .returning();
    if (!row) throw new AppError('INTERNAL');
    await recordAudit(tx, actor, {
      action: 'create',
      recordType: 'household',
      recordIds: [household.id],
      unitCodes: [household.unitCode],
      fields: ['device_requests'],
      detail: { requestId: row.id, circumstances: row.circumstances },
    });
    return { ...presentRequest(row), alreadyOpen: false };
  });
}
