import { createHash } from 'node:crypto';
import { FIELD_MIN_APP_VERSION, FieldVisit, isHandoverItem, type SyncItemResult, type SyncResult } from '@cds/contract';
import { assignments, fieldRefusals, fieldVisits, households, neighbourhoods } from '@cds/db';
import { canonicalJson, isAppVersionAtLeast, visitDate } from '@cds/domain';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { householdScope } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { IndicatorChange } from '../indicators/indicator-ledger.ts';
import { activeTeamOf } from './bundle.service.ts';
import { touchDevice, type DeviceRow } from './devices.service.ts';
import { syncHandover, type HandoverRefusalCode } from './sync-handovers.ts';
import { VisitRefusal, applyVisit, checkVisitAgainstHousehold, countVisit, withoutPersonalData, type Tx, type VisitTarget } from './visit-facts.ts';

// The field app's sync. Each visit is judged on its own and in its own transaction, so one bad
// visit refuses only itself and a dropped connection mid-batch loses nothing: the phone sends the
// batch again and what was stored answers 'duplicate'. Nothing sent is ever dropped: what cannot
// be stored is kept in field_refusals for an official.

export const REFUSAL_REASONS: Record<VisitRefusal['code'], string> = {
  CONTENT_MISMATCH: 'Mã phiếu này đã được gửi với nội dung khác; phiếu được giữ lại để cán bộ xem xét',
  NOT_ASSIGNED: 'Hộ này không được giao cho bạn; phiếu được giữ lại để cán bộ xem xét',
  DEVICE_REVOKED: 'Thiết bị đã bị thu hồi quyền đồng bộ; phiếu được giữ lại để cán bộ xem xét',
  APP_OUTDATED: `Ứng dụng đã cũ (cần phiên bản ${FIELD_MIN_APP_VERSION} trở lên); hãy cập nhật rồi gửi lại, phiếu vẫn được giữ`,
  INVALID_VISIT: 'Phiếu không hợp lệ',
};
const NO_CONSENT_REASON = 'Hộ không đồng ý ghi thông tin cá nhân: đã lưu kết quả lần thăm, không lưu thông tin từng người';

export const hashVisit = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('hex');

/** Who sends a visit, and whose area decides whether its household may be visited. */
export interface SendContext {
  deps: AppDeps;
  /** The visit's author: visits and facts are theirs. */
  sender: Actor;
  /** The sender on sync; the reviewing official when a refused visit is accepted. */
  scope: Actor;
  team: { id: number; unitCode: string } | null;
  deviceId: number | null;
  appVersion: string | null;
  /** An official accepting a kept visit: a refusal is an answer to them, not a new send to keep. */
  review?: boolean;
}

export type VisitResult = SyncItemResult & { refusalId: number | null; unitCode?: string | null };

/** Two sends of one visit id, at once, are taken one after the other (the unique index is the backstop). */
export async function lockKey(tx: Tx, key: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`field-visit:${key.toLowerCase()}`}, 0))`);
}

class LostRace extends Error {}

const uuidOf = (raw: unknown): string | null => {
  const item = raw as { clientVisitId?: unknown; clientHandoverId?: unknown } | null;
  const id = item?.clientVisitId ?? item?.clientHandoverId;
  return typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id : null;
};

/** Where a refused visit is reviewed: the unit of the household it names, else the sender's team's. */
export async function refusalPlace(db: Tx | AppDeps['db'], ctx: SendContext, raw: unknown): Promise<{ householdId: number | null; unitCode: string | null }> {
  const sent = (raw as { householdId?: unknown } | null)?.householdId;
  const householdId = typeof sent === 'number' && Number.isSafeInteger(sent) && sent > 0 ? sent : null;
  if (householdId !== null) {
    const [row] = await db
      .select({ unitCode: households.unitCode })
      .from(households)
      .where(and(eq(households.provinceCode, ctx.sender.provinceCode), eq(households.id, householdId)));
    if (row) return { householdId, unitCode: row.unitCode };
  }
  return { householdId, unitCode: ctx.team?.unitCode ?? ctx.sender.unitCodes[0] ?? null };
}

interface RefusalInput {
  code: VisitRefusal['code'] | HandoverRefusalCode;
  reason: string;
  raw: unknown;
  hash: string;
  clientVisitId: string | null;
  place: { householdId: number | null; unitCode: string | null };
}

/**
 * Keeps a refused send. The same content refused for the same reason while still open is kept
 * once: a phone retrying every few minutes must not bury the official in copies. Callers hold
 * the visit's lock, so two identical sends cannot both insert.
 */
export async function keepRefusal(tx: Tx, ctx: SendContext, input: RefusalInput): Promise<number> {
  const [open] = await tx
    .select({ id: fieldRefusals.id })
    .from(fieldRefusals)
    .where(
      and(
        input.clientVisitId === null ? isNull(fieldRefusals.clientVisitId) : eq(fieldRefusals.clientVisitId, input.clientVisitId),
        eq(fieldRefusals.contentHash, input.hash),
        eq(fieldRefusals.reasonCode, input.code),
        eq(fieldRefusals.userId, ctx.sender.userId),
        eq(fieldRefusals.status, 'open'),
      ),
    )
    .limit(1);
  if (open) return open.id;
  const [row] = await tx
    .insert(fieldRefusals)
    .values({
      provinceCode: ctx.sender.provinceCode,
      clientVisitId: input.clientVisitId,
      userId: ctx.sender.userId,
      deviceId: ctx.deviceId,
      householdId: input.place.householdId,
      unitCode: input.place.unitCode,
      reasonCode: input.code,
      reason: input.reason,
      payload: input.raw ?? null,
      contentHash: input.hash,
    })
    .returning({ id: fieldRefusals.id });
  if (input.code === 'NOT_ASSIGNED') {
    await recordAudit(tx, ctx.sender, {
      action: 'sync_refused',
      recordType: 'household',
      recordIds: input.place.householdId ? [input.place.householdId] : [],
      unitCodes: input.place.unitCode ? [input.place.unitCode] : [],
      detail: { reason: input.code, clientVisitId: input.clientVisitId, refusalId: row!.id, deviceId: ctx.deviceId },
    });
  }
  return row!.id;
}

export const refused = (clientVisitId: string | null, place: { householdId: number | null; unitCode: string | null }, code: string, reason: string, refusalId: number): VisitResult => ({
  unitCode: place.unitCode,
  clientVisitId,
  outcome: 'refused',
  visitId: null,
  householdId: place.householdId,
  conflicts: 0,
  reasonCode: code,
  reason,
  refusalId,
});

/** Refuses a send that never reached validation (revoked device, old app, bad shape): kept whole. */
export async function refuseRaw(ctx: SendContext, raw: unknown, code: VisitRefusal['code'], reason: string): Promise<VisitResult> {
  const clientVisitId = uuidOf(raw);
  const hash = hashVisit(raw ?? null);
  // Inside the transaction throughout: on PGlite a second connection would wait for this one.
  const [place, refusalId] = await ctx.deps.db.transaction(async (tx) => {
    await lockKey(tx, clientVisitId ?? hash);
    const place = await refusalPlace(tx, ctx, raw);
    return [place, await keepRefusal(tx, ctx, { code, reason, raw, hash, clientVisitId, place })] as const;
  });
  return refused(clientVisitId, place, code, reason, refusalId);
}

interface Target extends VisitTarget {
  /** The team the household was given to the sender for, if any. */
  teamId: number | null;
}

/**
 * The household a visit is for, if the scope actor may visit it; for a household found at the
 * door, where it will be made (the sender's team's unit). Writes nothing.
 */
async function findTarget(tx: Tx, ctx: SendContext, visit: FieldVisit): Promise<Target> {
  if (visit.householdId !== null) {
    const [row] = await tx
      .select({
        provinceCode: households.provinceCode,
        unitCode: households.unitCode,
        teamId: sql<number | null>`(SELECT a.team_id FROM assignments a WHERE a.province_code = households.province_code
          AND a.household_id = households.id AND a.user_id = ${ctx.sender.userId})`.mapWith((v) => (v === null ? null : Number(v))),
      })
      .from(households)
      .where(and(eq(households.id, visit.householdId), eq(households.provinceCode, ctx.sender.provinceCode), householdScope(ctx.scope)));
    if (!row) throw new VisitRefusal('NOT_ASSIGNED', REFUSAL_REASONS.NOT_ASSIGNED);
    return { provinceCode: row.provinceCode, householdId: visit.householdId, unitCode: row.unitCode, isNew: false, teamId: row.teamId };
  }
  const unitCode = ctx.team?.unitCode ?? ctx.scope.unitCodes[0];
  if (!unitCode) throw new VisitRefusal('NOT_ASSIGNED', 'Bạn chưa thuộc tổ nào nên chưa ghi được hộ mới; phiếu được giữ lại để cán bộ xem xét');
  const neighbourhoodId = visit.newHousehold?.neighbourhoodId ?? null;
  if (neighbourhoodId !== null) {
    const [n] = await tx
      .select({ id: neighbourhoods.id })
      .from(neighbourhoods)
      .where(and(eq(neighbourhoods.id, neighbourhoodId), eq(neighbourhoods.unitCode, unitCode), isNull(neighbourhoods.mergedInto)));
    if (!n) throw new VisitRefusal('INVALID_VISIT', 'newHousehold.neighbourhoodId: Khu phố/ấp không thuộc đơn vị của tổ hoặc đã được sáp nhập');
  }
  // Not made yet: no resident can belong to it, so members sent for it are refused as strays.
  return { provinceCode: ctx.sender.provinceCode, householdId: 0, unitCode, isNew: true, teamId: ctx.team?.id ?? null };
}

/** Makes the household found at the door, and gives it to its finder: it is theirs to visit again. */
async function createFoundHousehold(tx: Tx, ctx: SendContext, target: Target, visit: FieldVisit): Promise<number> {
  const [created] = await tx
    .insert(households)
    .values({ provinceCode: target.provinceCode, unitCode: target.unitCode, neighbourhoodId: visit.newHousehold?.neighbourhoodId ?? null, address: visit.newHousehold!.address })
    .returning({ id: households.id });
  await tx
    .insert(assignments)
    .values({ provinceCode: target.provinceCode, householdId: created!.id, userId: ctx.sender.userId, teamId: target.teamId, assignedBy: ctx.sender.userId })
    .onConflictDoNothing();
  return created!.id;
}

/**
 * Every refusal is decided before the first write (the checks, then the writes), so a refused
 * visit leaves nothing behind in the transaction that keeps its refusal.
 */
async function storeVisit(tx: Tx, ctx: SendContext, visit: FieldVisit, hash: string, outdatedRefusal: boolean): Promise<VisitResult> {
  const observedOn = visitDate(visit.visitedAt);
  if (observedOn > ctx.deps.today()) throw new VisitRefusal('INVALID_VISIT', 'visitedAt: Thời điểm thăm ở tương lai; hãy kiểm tra đồng hồ của điện thoại');
  const kept = visit.consent ? visit : withoutPersonalData(visit);
  const stripped = !visit.consent && (visit.members.length > 0 || visit.newPeople.length > 0);
  const counters = countVisit(visit);
  const target = await findTarget(tx, ctx, kept);
  await checkVisitAgainstHousehold(tx, target, kept);
  // ── writes from here on ──
  if (target.isNew) target.householdId = await createFoundHousehold(tx, ctx, target, kept);
  const [row] = await tx
    .insert(fieldVisits)
    .values({
      provinceCode: target.provinceCode,
      clientVisitId: visit.clientVisitId,
      contentHash: hash,
      householdId: target.householdId,
      userId: ctx.sender.userId,
      deviceId: ctx.deviceId,
      teamId: target.teamId ?? ctx.team?.id ?? null,
      unitCode: target.unitCode,
      visitedAt: new Date(visit.visitedAt),
      outcome: visit.outcome,
      consent: visit.consent,
      ...counters,
      peopleFound: kept.newPeople.length,
      appVersion: ctx.appVersion,
      payload: kept,
    })
    .onConflictDoNothing({ target: fieldVisits.clientVisitId })
    .returning({ id: fieldVisits.id });
  if (!row) throw new LostRace();
  if (target.isNew) {
    await tx.update(households).set({ foundByVisitId: row.id }).where(and(eq(households.provinceCode, target.provinceCode), eq(households.id, target.householdId)));
  }
  const applied = await applyVisit(tx, target, kept, {
    visitId: row.id,
    clientVisitId: visit.clientVisitId,
    observedOn,
    senderId: ctx.sender.userId,
    today: ctx.deps.today(),
  });
  if (outdatedRefusal) {
    // The same visit refused earlier only because the app was too old is now settled.
    await tx
      .update(fieldRefusals)
      .set({ status: 'accepted', visitId: row.id, resolvedAt: new Date(), resolutionNote: 'Tự động: phiếu đã được gửi lại từ ứng dụng đã cập nhật' })
      .where(and(eq(fieldRefusals.clientVisitId, visit.clientVisitId), eq(fieldRefusals.status, 'open'), eq(fieldRefusals.reasonCode, 'APP_OUTDATED')));
  }
  return {
    clientVisitId: visit.clientVisitId,
    outcome: 'stored',
    visitId: row.id,
    householdId: target.householdId,
    conflicts: applied.conflicts,
    reasonCode: stripped ? 'NO_CONSENT_DATA' : null,
    reason: stripped ? NO_CONSENT_REASON : null,
    refusalId: null,
    unitCode: target.unitCode,
  };
}

/**
 * Stores one validated visit, or says it was stored before, or keeps it refused, inside the
 * caller's transaction (a savepoint of runVisits).
 */
async function judgeVisit(tx: Tx, ctx: SendContext, visit: FieldVisit, hash: string, raw: unknown): Promise<VisitResult> {
  await lockKey(tx, visit.clientVisitId);
  // One read for both: the visit stored under this id, and whether an old app's send of it waits.
  const { rows } = await tx.execute<{ id: number | null; content_hash: string | null; household_id: number | null; outdated: boolean }>(sql`
    SELECT v.id, v.content_hash, v.household_id,
      EXISTS (SELECT 1 FROM field_refusals r WHERE r.client_visit_id = ${visit.clientVisitId} AND r.status = 'open' AND r.reason_code = 'APP_OUTDATED') AS outdated
    FROM (SELECT 1) one LEFT JOIN field_visits v ON v.client_visit_id = ${visit.clientVisitId}`);
  const found = rows[0]!;
  const existing = found.id === null ? null : { id: Number(found.id), contentHash: found.content_hash!, householdId: Number(found.household_id) };
  if (existing && existing.contentHash === hash) {
    return { clientVisitId: visit.clientVisitId, outcome: 'duplicate' as const, visitId: existing.id, householdId: existing.householdId, conflicts: 0, reasonCode: null, reason: null, refusalId: null };
  }
  try {
    if (existing) throw new VisitRefusal('CONTENT_MISMATCH', REFUSAL_REASONS.CONTENT_MISMATCH);
    return await storeVisit(tx, ctx, visit, hash, found.outdated);
  } catch (error) {
    if (!(error instanceof VisitRefusal)) throw error;
    if (ctx.review) throw invalid('body.decision', `Không thể lưu phiếu: ${error.reason}`);
    const place = await refusalPlace(tx, ctx, visit);
    const reason = error.code === 'INVALID_VISIT' ? `${REFUSAL_REASONS.INVALID_VISIT}: ${error.reason}` : error.reason;
    const refusalId = await keepRefusal(tx, ctx, { code: error.code, reason, raw: raw ?? visit, hash, clientVisitId: visit.clientVisitId, place });
    return refused(visit.clientVisitId, place, error.code, reason, refusalId);
  }
}

export interface ValidVisit {
  visit: FieldVisit;
  hash: string;
  raw: unknown;
}

/**
 * Judges validated visits in order, in one transaction: each in a savepoint, so what one visit
 * wrote is undone with it, and one IndicatorChange over every household the batch names, so the
 * dashboard's figures of a household are read twice per batch rather than twice per visit (the
 * round trips, not the rules, were what a sync spent its time on).
 */
export async function runVisits(ctx: SendContext, visits: readonly ValidVisit[]): Promise<VisitResult[]> {
  if (visits.length === 0) return [];
  const named = [...new Set(visits.flatMap(({ visit }) => (visit.householdId === null ? [] : [visit.householdId])))];
  return ctx.deps.db.transaction(async (tx) => {
    const figures = await IndicatorChange.begin(tx, { provinceCode: ctx.sender.provinceCode, householdIds: named });
    const results: VisitResult[] = [];
    for (const { visit, hash, raw } of visits) {
      const attempt = () => tx.transaction((savepoint) => judgeVisit(savepoint, ctx, visit, hash, raw));
      try {
        results.push(await attempt());
      } catch (error) {
        // The unique index caught a send the lock did not (another server without it): judge again.
        if (!(error instanceof LostRace)) throw error;
        results.push(await attempt());
      }
    }
    const created = visits.flatMap(({ visit }, i) => (visit.householdId === null && results[i]!.outcome === 'stored' ? [results[i]!.householdId!] : []));
    await figures.commit(tx, { householdIds: created });
    return results;
  });
}

/** One validated visit on its own (an official accepting a kept refusal). */
export async function runVisit(ctx: SendContext, visit: FieldVisit, hash: string, raw: unknown): Promise<VisitResult> {
  return (await runVisits(ctx, [{ visit, hash, raw }]))[0]!;
}

export function issuesText(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || 'phiếu'}: ${i.message}`)
    .join('; ');
}

/**
 * Judges sent items in their order: the device, the app version and each one's shape first
 * (what fails those is kept as it came), then the valid visits together (runVisits), then the
 * handovers one by one (each in recordHandover's own transactions, which cannot nest in runVisits').
 */
export async function syncVisits(ctx: SendContext, revoked: boolean, raws: readonly unknown[]): Promise<VisitResult[]> {
  const results: (VisitResult | null)[] = [];
  const valid: (ValidVisit & { index: number })[] = [];
  const handovers: { raw: unknown; index: number }[] = [];
  for (const [index, raw] of raws.entries()) {
    if (revoked) results.push(await refuseRaw(ctx, raw, 'DEVICE_REVOKED', REFUSAL_REASONS.DEVICE_REVOKED));
    else if (!isAppVersionAtLeast(ctx.appVersion ?? '', FIELD_MIN_APP_VERSION)) results.push(await refuseRaw(ctx, raw, 'APP_OUTDATED', REFUSAL_REASONS.APP_OUTDATED));
    else if (isHandoverItem(raw)) {
      handovers.push({ raw, index });
      results.push(null);
    } else {
      const parsed = FieldVisit.safeParse(raw);
      if (parsed.success) {
        valid.push({ visit: parsed.data, hash: hashVisit(parsed.data), raw, index });
        results.push(null);
      } else results.push(await refuseRaw(ctx, raw, 'INVALID_VISIT', `${REFUSAL_REASONS.INVALID_VISIT}: ${issuesText(parsed.error)}`));
    }
  }
  for (const [i, result] of (await runVisits(ctx, valid)).entries()) results[valid[i]!.index] = result;
  for (const { raw, index } of handovers) results[index] = await syncHandover(ctx, raw);
  return results as VisitResult[];
}

export async function syncBatch(deps: AppDeps, actor: Actor, device: DeviceRow, batch: { appVersion: string; visits: unknown[] }): Promise<SyncResult> {
  requireThat(may.recordFacts(actor));
  const team = await activeTeamOf(deps, actor.userId);
  const ctx: SendContext = { deps, sender: actor, scope: actor, team, deviceId: device.id, appVersion: batch.appVersion };
  const results = await syncVisits(ctx, device.revokedAt !== null, batch.visits);
  await touchDevice(deps, device.id, batch.appVersion);
  const stored = results.filter((r) => r.outcome === 'stored');
  await recordAudit(deps.db, actor, {
    action: 'sync',
    recordType: 'field_visit',
    // A stored handover has no visit id: recordHandover wrote its own audit record.
    recordIds: stored.flatMap((r) => (r.visitId === null ? [] : [r.visitId])),
    unitCodes: results.flatMap((r) => (r.unitCode ? [r.unitCode] : [])),
    fields: ['visits'],
    detail: {
      deviceId: device.id,
      appVersion: batch.appVersion,
      sent: results.length,
      stored: stored.length,
      duplicate: results.filter((r) => r.outcome === 'duplicate').length,
      refused: results.filter((r) => r.outcome === 'refused').length,
      households: [...new Set(results.flatMap((r) => (r.householdId === null ? [] : [r.householdId])))],
      refusals: results.flatMap((r) => (r.refusalId === null ? [] : [r.refusalId])),
    },
  });
  return { results: results.map(({ refusalId: _r, unitCode: _u, ...result }) => result), serverTime: new Date().toISOString() };
}
