import type { ImportRowUndo } from '@cds/db';
import { sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { auditStatement } from '../audit/audit.service.ts';
import type { Tx } from './chunk-lookups.ts';

/** What became of one record of a chunk. */
export type Final = {
  status: 'applied' | 'review' | 'rejected' | 'skipped';
  reasons: string[];
  residentId: number | null;
  unitCode: string | null;
  candidates: number[];
  keepCells: boolean;
  /** What the row did beyond facts, for its rollback (import-rollback.service.ts). */
  createdRecord?: boolean;
  createdHouseholdId?: number | null;
  organisationId?: number | null;
  undo?: ImportRowUndo | null;
};

export interface OutcomeWrite {
  batchId: number;
  records: readonly { record: number; cells: readonly string[] }[];
  finals: ReadonlyMap<number, Final>;
  /** Residents the chunk applied rows to, for the audit record. */
  appliedIds: readonly number[];
  withOrganisations: boolean;
  /** Re-applying rows already recorded (a fix or a decision): replace their outcome, recount the batch. */
  replace?: { resolvedBy: number | null } | undefined;
}

/**
 * One import_rows row per record, the batch's counts and progress mark, and the audit record:
 * three statements per chunk whatever its size. The rows go as one JSON array, which PostgreSQL
 * reads straight into records (arrays included); building a VALUES list of thirteen parameters a
 * row cost more in the query builder than the database spent inserting them.
 * The statements are built here, so a caller can do it while another statement runs; the
 * function returned sends them, one after the other.
 */
export function prepareOutcomes(tx: Tx, actor: Actor, province: string, write: OutcomeWrite): () => Promise<void> {
  const { batchId, records, finals } = write;
  const counts = { applied: 0, review: 0, rejected: 0, skipped: 0 };
  const unitCodes = new Set<string>();
  const organisationIds: number[] = [];
  const rows = records.map((r) => {
    const final = finals.get(r.record) as Final;
    counts[final.status]++;
    if (final.unitCode) unitCodes.add(final.unitCode);
    if (final.organisationId) organisationIds.push(final.organisationId);
    return {
      record: r.record,
      status: final.status,
      reasons: final.reasons,
      cells: final.keepCells ? r.cells : null,
      resident_id: final.residentId,
      unit_code: final.unitCode,
      candidates: final.candidates,
      created_record: final.createdRecord ?? false,
      created_household_id: final.createdHouseholdId ?? null,
      organisation_id: final.organisationId ?? null,
      undo: final.undo ?? null,
    };
  });
  const last = records.at(-1)?.record ?? 0;
  const replace = write.replace;
  const statements: PromiseLike<unknown>[] = [];
  if (rows.length > 0) {
    statements.push(tx.execute(sql`
      INSERT INTO import_rows (province_code, batch_id, record, status, reasons, cells, resident_id, unit_code, candidates,
        created_record, created_household_id, organisation_id, undo, resolved_by, resolved_at)
      SELECT ${province}, ${batchId}::bigint, t.record, t.status, t.reasons, t.cells, t.resident_id, t.unit_code, t.candidates,
        t.created_record, t.created_household_id, t.organisation_id, t.undo,
        ${replace ? replace.resolvedBy : null}::bigint, ${replace ? sql`now()` : sql`NULL`}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS t(record int, status text, reasons text[], cells jsonb, resident_id bigint,
        unit_code text, candidates bigint[], created_record boolean, created_household_id bigint, organisation_id bigint, undo jsonb)
      ${
        replace
          ? sql`ON CONFLICT (batch_id, record) DO UPDATE SET
              status = EXCLUDED.status, reasons = EXCLUDED.reasons, cells = EXCLUDED.cells, resident_id = EXCLUDED.resident_id,
              unit_code = EXCLUDED.unit_code, candidates = EXCLUDED.candidates, created_record = EXCLUDED.created_record,
              created_household_id = EXCLUDED.created_household_id, organisation_id = EXCLUDED.organisation_id, undo = EXCLUDED.undo,
              resolved_by = EXCLUDED.resolved_by, resolved_at = EXCLUDED.resolved_at`
          : sql``
      }`));
  }
  if (replace) {
    // Counts follow the rows, whatever they were before the fix.
    statements.push(tx.execute(sql`
      UPDATE import_batches b SET
        applied = c.applied, review = c.review, rejected = c.rejected, skipped = c.skipped
      FROM (SELECT count(*) FILTER (WHERE status = 'applied')::int AS applied, count(*) FILTER (WHERE status = 'review')::int AS review,
                   count(*) FILTER (WHERE status = 'rejected')::int AS rejected, count(*) FILTER (WHERE status = 'skipped')::int AS skipped
            FROM import_rows WHERE batch_id = ${batchId}) c
      WHERE b.id = ${batchId}`));
  } else {
    statements.push(tx.execute(sql`
      UPDATE import_batches SET
        last_record = GREATEST(last_record, ${last}::int),
        applied = applied + ${counts.applied}::int, review = review + ${counts.review}::int,
        rejected = rejected + ${counts.rejected}::int, skipped = skipped + ${counts.skipped}::int
      WHERE id = ${batchId}`));
  }
  statements.push(auditStatement(tx, actor, {
    action: 'import',
    recordType: 'resident',
    recordIds: write.appliedIds,
    unitCodes: [...unitCodes],
    detail: {
      batchId,
      fromRecord: records[0]?.record ?? null,
      toRecord: last,
      ...counts,
      ...(write.withOrganisations ? { organisationIds } : {}),
    },
  }));
  return async () => {
    for (const statement of statements) await statement;
  };
}
