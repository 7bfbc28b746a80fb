import { factConflicts, facts } from '@cds/db';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { IndicatorChange } from '../indicators/indicator-ledger.ts';

// A visit stated a value that a newer fact contradicts. Both facts stay; the unit's official
// decides which stands: keep the newer one, or accept the visit's value as a new fact that
// corrects the newer one (so the history shows who decided, and when).

export type ConflictStatus = 'open' | 'kept_newer' | 'accepted_visit';

export interface ConflictView {
  id: number;
  residentId: number;
  residentName: string;
  householdId: number;
  unitCode: string;
  indicator: string;
  visitValue: string;
  visitObservedOn: string;
  visitBy: string | null;
  newerValue: string;
  newerObservedOn: string;
  newerSource: string;
  raisedAt: string;
  status: ConflictStatus;
}

const unitList = (codes: readonly string[]) => (codes.length === 0 ? sql`NULL` : sql.join(codes.map((c) => sql`${c}`), sql`, `));

function conflictScope(actor: Actor): SQL {
  if (actor.role === 'city_admin') return sql`c.province_code = ${actor.provinceCode}`;
  if (actor.role === 'unit_official') return sql`c.unit_code IN (${unitList(actor.unitCodes)})`;
  return sql`false`;
}

const reviews = (actor: Actor) => actor.role === 'city_admin' || actor.role === 'unit_official';

type Row = {
  id: number;
  province_code: string;
  resident_id: number;
  resident_name: string;
  household_id: number;
  unit_code: string;
  indicator: string;
  visit_value: string;
  visit_observed_on: string;
  visit_by: string | null;
  newer_fact_id: number;
  newer_value: string;
  newer_observed_on: string;
  newer_source: string;
  raised_at: Date;
  status: ConflictStatus;
};

async function selectConflicts(deps: AppDeps, where: SQL, limit: number): Promise<Row[]> {
  const { rows } = await deps.db.execute<Row>(sql`
    SELECT c.id, c.province_code, c.resident_id, r.full_name AS resident_name, r.household_id, c.unit_code, c.indicator,
           vf.value AS visit_value, vf.observed_on::text AS visit_observed_on, u.display_name AS visit_by,
           c.newer_fact_id, nf.value AS newer_value, nf.observed_on::text AS newer_observed_on,
           coalesce(nf.source_ref, nf.source_kind) AS newer_source, c.raised_at, c.status
    FROM fact_conflicts c
    JOIN residents r ON r.province_code = c.province_code AND r.id = c.resident_id
    JOIN facts vf ON vf.province_code = c.province_code AND vf.id = c.visit_fact_id
    JOIN facts nf ON nf.province_code = c.province_code AND nf.id = c.newer_fact_id
    JOIN field_visits v ON v.province_code = c.province_code AND v.id = c.visit_id
    LEFT JOIN users u ON u.id = v.user_id
    WHERE ${where}
    ORDER BY c.id DESC
    LIMIT ${limit}`);
  return rows.map((r) => ({ ...r, id: Number(r.id), resident_id: Number(r.resident_id), household_id: Number(r.household_id), newer_fact_id: Number(r.newer_fact_id) }));
}

function present(row: Row): ConflictView {
  return {
    id: row.id,
    residentId: row.resident_id,
    residentName: row.resident_name,
    householdId: row.household_id,
    unitCode: row.unit_code,
    indicator: row.indicator,
    visitValue: row.visit_value,
    visitObservedOn: row.visit_observed_on,
    visitBy: row.visit_by,
    newerValue: row.newer_value,
    newerObservedOn: row.newer_observed_on,
    newerSource: row.newer_source,
    raisedAt: new Date(row.raised_at).toISOString(),
    status: row.status,
  };
}

export async function listConflicts(
  deps: AppDeps,
  actor: Actor,
  query: { cursor?: string | undefined; limit: number; unit?: string | undefined; status: ConflictStatus },
): Promise<{ items: ConflictView[]; next: string | null }> {
  requireThat(reviews(actor));
  const after = decodeCursor(query.cursor, ['number']);
  const where = sql.join(
    [conflictScope(actor), sql`c.status = ${query.status}`, query.unit ? sql`c.unit_code = ${query.unit}` : sql`true`, after ? sql`c.id < ${after[0]}` : sql`true`],
    sql` AND `,
  );
  const rows = await selectConflicts(deps, where, query.limit + 1);
  const items = rows.slice(0, query.limit);
  await recordAudit(deps.db, actor, {
    action: 'list',
    recordType: 'resident',
    recordIds: [...new Set(items.map((c) => c.resident_id))],
    unitCodes: items.map((c) => c.unit_code),
    fields: ['fullName', 'facts'],
    detail: { via: 'fact_conflicts', conflicts: items.map((c) => c.id) },
  });
  const last = items.at(-1);
  return { items: items.map(present), next: rows.length > query.limit && last ? encodeCursor([last.id]) : null };
}

export async function decideConflict(deps: AppDeps, actor: Actor, id: number, decision: 'keep_newer' | 'accept_visit'): Promise<ConflictView> {
  requireThat(reviews(actor));
  const [found] = await selectConflicts(deps, sql`c.id = ${id} AND ${conflictScope(actor)}`, 1);
  if (!found) throw new AppError('NOT_FOUND');
  requireThat(may.workInUnit(actor, found.unit_code));
  if (found.status !== 'open') throw new AppError('ALREADY_DECIDED');
  await deps.db.transaction(async (tx) => {
    // Claimed first: a second official deciding at the same moment gets ALREADY_DECIDED, not a second fact.
    const [claimed] = await tx
      .update(factConflicts)
      .set({ status: decision === 'keep_newer' ? 'kept_newer' : 'accepted_visit', resolvedBy: actor.userId, resolvedAt: new Date() })
      .where(and(eq(factConflicts.provinceCode, found.province_code), eq(factConflicts.id, id), eq(factConflicts.status, 'open')))
      .returning({ id: factConflicts.id });
    if (!claimed) throw new AppError('ALREADY_DECIDED');
    let resolutionFactId: number | null = null;
    if (decision === 'accept_visit') {
      const figures = await IndicatorChange.begin(tx, { provinceCode: found.province_code, residentIds: [found.resident_id] });
      const [fact] = await tx
        .insert(facts)
        .values({
          provinceCode: found.province_code,
          residentId: found.resident_id,
          indicator: found.indicator,
          value: found.visit_value,
          sourceKind: 'person',
          sourceRef: `conflict:${id}`,
          statedBy: actor.userId,
          // Dated as the fact it corrects, so it takes that fact's place in time and no other.
          observedOn: found.newer_observed_on,
          correctsFactId: found.newer_fact_id,
          note: `Giữ giá trị ghi nhận khi đến thăm hộ (${found.visit_observed_on})`,
        })
        .returning({ id: facts.id });
      await figures.commit(tx);
      resolutionFactId = fact!.id;
      await tx.update(factConflicts).set({ resolutionFactId }).where(and(eq(factConflicts.provinceCode, found.province_code), eq(factConflicts.id, id)));
    }
    await recordAudit(tx, actor, {
      action: decision,
      recordType: 'resident',
      recordIds: [found.resident_id],
      unitCodes: [found.unit_code],
      fields: [`facts.${found.indicator}`],
      detail: { conflictId: id, resolutionFactId, newerFactId: found.newer_fact_id },
    });
  });
  const [after] = await selectConflicts(deps, sql`c.id = ${id}`, 1);
  return present(after!);
}
