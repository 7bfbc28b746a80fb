import { randomUUID } from 'node:crypto';
import { FieldVisit, isHandoverItem } from '@cds/contract';
import { fieldDevices, fieldRefusals, userUnits, users } from '@cds/db';
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { activeTeamOf } from './bundle.service.ts';
import { hashVisit, runVisit, type SendContext } from './sync.service.ts';

// Refused sends, for the official of the unit: accept (store the visit as if sent) or dismiss.

export interface RefusalView {
  id: number;
  clientVisitId: string | null;
  user: { userId: number; displayName: string } | null;
  deviceLabel: string | null;
  householdId: number | null;
  unitCode: string | null;
  reasonCode: string;
  reason: string;
  payload: unknown;
  receivedAt: string;
  status: 'open' | 'accepted' | 'dismissed';
  resolutionNote: string | null;
  visitId: number | null;
}

const unitList = (codes: readonly string[]) => (codes.length === 0 ? sql`NULL` : sql.join(codes.map((c) => sql`${c}`), sql`, `));

/**
 * Refusals an actor reviews: a city admin the city's, a unit official their units'. Written here
 * because refusals are not households: one may name no household, or one outside the sender's area.
 */
export function refusalScope(actor: Actor): SQL {
  if (actor.role === 'city_admin') return sql`${fieldRefusals.provinceCode} = ${actor.provinceCode}`;
  if (actor.role === 'unit_official') return sql`${fieldRefusals.unitCode} IN (${unitList(actor.unitCodes)})`;
  return sql`false`;
}

const reviews = (actor: Actor) => actor.role === 'city_admin' || actor.role === 'unit_official';

type Row = typeof fieldRefusals.$inferSelect & { displayName: string | null; deviceLabel: string | null };

function present(row: Row): RefusalView {
  return {
    id: row.id,
    clientVisitId: row.clientVisitId,
    user: row.userId === null ? null : { userId: row.userId, displayName: row.displayName ?? '' },
    deviceLabel: row.deviceLabel,
    householdId: row.householdId,
    unitCode: row.unitCode,
    reasonCode: row.reasonCode,
    reason: row.reason,
    payload: row.payload,
    receivedAt: row.receivedAt.toISOString(),
    status: row.status,
    resolutionNote: row.resolutionNote,
    visitId: row.visitId,
  };
}

async function select(deps: AppDeps, where: SQL | undefined, limit: number): Promise<Row[]> {
  const rows = await deps.db
    .select({ refusal: fieldRefusals, displayName: users.displayName, deviceLabel: fieldDevices.label })
    .from(fieldRefusals)
    .leftJoin(users, eq(users.id, fieldRefusals.userId))
    .leftJoin(fieldDevices, eq(fieldDevices.id, fieldRefusals.deviceId))
    .where(where)
    .orderBy(desc(fieldRefusals.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.refusal, displayName: r.displayName, deviceLabel: r.deviceLabel }));
}

export async function listRefusals(
  deps: AppDeps,
  actor: Actor,
  query: { cursor?: string | undefined; limit: number; unit?: string | undefined; status: 'open' | 'accepted' | 'dismissed' },
): Promise<{ items: RefusalView[]; next: string | null }> {
  requireThat(reviews(actor));
  const after = decodeCursor(query.cursor, ['number']);
  const rows = await select(
    deps,
    and(refusalScope(actor), eq(fieldRefusals.status, query.status), query.unit ? eq(fieldRefusals.unitCode, query.unit) : undefined, after ? lt(fieldRefusals.id, after[0]) : undefined),
    query.limit + 1,
  );
  const items = rows.slice(0, query.limit);
  // A kept visit holds what was seen of each person: reading the list is reading them.
  await recordAudit(deps.db, actor, {
    action: 'list',
    recordType: 'field_refusal',
    recordIds: items.map((r) => r.id),
    unitCodes: items.flatMap((r) => (r.unitCode ? [r.unitCode] : [])),
    fields: ['payload'],
    detail: { households: [...new Set(items.flatMap((r) => (r.householdId ? [r.householdId] : [])))] },
  });
  const last = items.at(-1);
  return { items: items.map(present), next: rows.length > query.limit && last ? encodeCursor([last.id]) : null };
}

/** The sender as an actor, so an accepted visit is theirs, as if it had gone through. */
async function senderActor(deps: AppDeps, userId: number): Promise<Actor> {
  const [user] = await deps.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError('NOT_FOUND');
  const units = await deps.db.select({ code: userUnits.unitCode }).from(userUnits).where(eq(userUnits.userId, userId));
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    provinceCode: user.provinceCode,
    unitCodes: units.map((u) => u.code),
    residentId: user.residentId,
    ip: null,
    userAgent: null,
  };
}

export async function decideRefusal(deps: AppDeps, actor: Actor, id: number, decision: { decision: 'accept' | 'dismiss'; note: string }): Promise<RefusalView> {
  requireThat(reviews(actor));
  const [found] = await select(deps, and(eq(fieldRefusals.id, id), refusalScope(actor)), 1);
  if (!found) throw new AppError('NOT_FOUND');
  if (found.status !== 'open') throw new AppError('ALREADY_DECIDED');
  let visitId: number | null = null;
  if (decision.decision === 'accept') {
    if (found.userId === null) throw invalid('body.decision', 'Phiếu không rõ người gửi; không thể nhận');
    // A handover needs the recipient's own confirmation, which an official cannot give for them.
    if (isHandoverItem(found.payload)) {
      throw invalid('body.decision', 'Phiếu bàn giao không nhận lại được ở đây: nếu đã bàn giao thật, hãy ghi trên trang Bàn giao thiết bị (với mã hoặc chữ ký của người nhận), rồi bỏ qua phiếu này');
    }
    const parsed = FieldVisit.safeParse(found.payload);
    if (!parsed.success) throw invalid('body.decision', 'Phiếu không đúng mẫu nên không thể nhận; hãy bỏ qua và ghi lý do');
    let visit = parsed.data;
    // The id is already taken by the other version, which stays: this one is kept under a new id.
    if (found.reasonCode === 'CONTENT_MISMATCH') visit = { ...visit, clientVisitId: randomUUID() };
    const sender = await senderActor(deps, found.userId);
    const team = await activeTeamOf(deps, sender.userId);
    // The official's decision stands in for the assignment: the household must be in their area.
    const ctx: SendContext = { deps, sender, scope: actor, team, deviceId: found.deviceId, appVersion: null, review: true };
    visitId = (await runVisit(ctx, visit, hashVisit(visit), visit)).visitId;
  }
  const changed = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(fieldRefusals)
      .set({ status: decision.decision === 'accept' ? 'accepted' : 'dismissed', resolvedBy: actor.userId, resolvedAt: new Date(), resolutionNote: decision.note, visitId })
      .where(and(eq(fieldRefusals.id, id), eq(fieldRefusals.status, 'open')))
      .returning({ id: fieldRefusals.id });
    if (!row) throw new AppError('ALREADY_DECIDED');
    await recordAudit(tx, actor, {
      action: decision.decision === 'accept' ? 'accept' : 'dismiss',
      recordType: 'field_refusal',
      recordIds: [id],
      unitCodes: found.unitCode ? [found.unitCode] : [],
      detail: { visitId, note: decision.note, reasonCode: found.reasonCode },
    });
    return row;
  });
  const [after] = await select(deps, eq(fieldRefusals.id, changed.id), 1);
  return present(after!);
}
