import type { AuditAction, AuditEntry, AuditRecordType } from '@cds/contract';
import { auditLog, type Db } from '@cds/db';
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { may, requireThat } from '../access/policy.ts';
import type { Actor } from '../access/actor.ts';

/** Who acted: a signed-in actor, or a name typed at a failed sign-in. */
export interface AuditWho {
  userId: number | null;
  username: string;
  role: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEvent {
  action: AuditAction;
  recordType?: AuditRecordType;
  recordIds?: readonly number[];
  unitCodes?: readonly string[];
  fields?: readonly string[];
  detail?: Record<string, unknown>;
}

/**
 * Appends to the audit log. Callers await it before answering: a read that could not be logged
 * is not answered, because Decree 13 asks that every access to personal data can be accounted for.
 * Pass the transaction when the event belongs to a change, so the change and its record commit together.
 */
export async function recordAudit(db: Pick<Db, 'insert'>, who: AuditWho | Actor, event: AuditEvent): Promise<void> {
  await auditStatement(db, who, event);
}

/** The audit record's INSERT, built but not yet sent (a drizzle query goes when awaited): for a caller that builds its statements while another one runs (row-outcomes.ts). */
export function auditStatement(db: Pick<Db, 'insert'>, who: AuditWho | Actor, event: AuditEvent) {
  return db.insert(auditLog).values({
    actorUserId: who.userId,
    actorUsername: who.username,
    actorRole: who.role,
    action: event.action,
    recordType: event.recordType ?? null,
    recordIds: [...(event.recordIds ?? [])],
    unitCodes: [...new Set(event.unitCodes ?? [])],
    fields: [...(event.fields ?? [])],
    ip: who.ip,
    userAgent: who.userAgent,
    detail: event.detail ?? null,
  });
}

export interface AuditSearch {
  actor?: string | undefined;
  action?: string | undefined;
  recordType?: string | undefined;
  recordId?: number | undefined;
  unit?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

export async function searchAudit(deps: AppDeps, actor: Actor, query: AuditSearch): Promise<{ items: AuditEntry[]; next: string | null }> {
  requireThat(may.readAudit(actor));
  const conditions: SQL[] = [];
  if (query.actor) conditions.push(sql`lower(${auditLog.actorUsername}) = lower(${query.actor})`);
  if (query.action) conditions.push(eq(auditLog.action, query.action));
  if (query.recordType) conditions.push(eq(auditLog.recordType, query.recordType));
  if (query.recordId) conditions.push(sql`${auditLog.recordIds} @> ARRAY[${query.recordId}]::bigint[]`);
  if (query.unit) conditions.push(sql`${auditLog.unitCodes} @> ARRAY[${query.unit}]::text[]`);
  if (query.from) conditions.push(gte(auditLog.at, startOf(query.from)));
  if (query.to) conditions.push(lt(auditLog.at, endOf(query.to)));
  const cursor = decodeCursor(query.cursor, ['number']);
  if (cursor) conditions.push(lt(auditLog.id, cursor[0]));
  const rows = await deps.db
    .select()
    .from(auditLog)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  await recordAudit(deps.db, actor, { action: 'search', recordType: 'audit_log', detail: { query: { ...query, cursor: undefined } } });
  return {
    items: items.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actorUserId: row.actorUserId,
      actorUsername: row.actorUsername,
      actorRole: row.actorRole,
      action: row.action,
      recordType: row.recordType,
      recordIds: row.recordIds,
      unitCodes: row.unitCodes,
      fields: row.fields,
      ip: row.ip,
      userAgent: row.userAgent,
    })),
    next: rows.length > query.limit && last ? encodeCursor([last.id]) : null,
  };
}

/** A bare date is a day in Vietnam: as the lower bound it means "from the start of that day". */
function startOf(value: string): Date {
  return value.length === 10 ? new Date(value + 'T00:00:00+07:00') : new Date(value);
}

/** A bare date as the upper bound means "through that whole day". */
function endOf(value: string): Date {
  return value.length === 10 ? new Date(startOf(value).getTime() + 86_400_000) : new Date(value);
}

