import type { ImportRollbackView } from '@cds/contract';
import { importBatches } from '@cds/db';
import { eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { CLAIM_STALE_MINUTES } from './import-claim.ts';
import { IndicatorChange } from '../indicators/indicator-ledger.ts';
import { getImport } from './import-jobs.service.ts';
import { deleteUpload } from './upload-store.ts';

/**
 * A batch still marked running whose last sign of life (heartbeat_at, renewed before every chunk)
 * is this recent, or whose runner's claim is still fresh (import-claim.ts), may be running in
 * another process (a `cds import`, another server): it is not rolled back under it. A killed
 * import stops moving, so after this long it can be rolled back. (Even inside the window nothing
 * can go half-way: a chunk and a rollback lock the same batch row, and a chunk after a rollback
 * stops.)
 */
const STILL_RUNNING_SECONDS = 120;

/**
 * Rolls an import back, in one transaction, so the registry looks as if the batch had never been
 * applied while the history stays honest:
 * - its facts are withdrawn by retraction facts (facts are append-only): the value that stood
 *   before the batch stands again;
 * - residents, households and organisations the batch created and nothing else refers to (no
 *   fact from another source, no other import's row, no assignment, merge, login or member) are
 *   deleted, and with them their facts from this batch: the one DELETE the facts trigger lets
 *   through, for this batch and batches already rolled back, inside this transaction
 *   (20261202-03-import-rollback.sql);
 * - fields its rows overwrote on records that existed before (a household's poverty
 *   classification, an organisation's address) are put back when nothing changed them since;
 * - its import_rows stay, and the batch is marked rolled_back, so the same file may be imported
 *   again as a new batch.
 * Deleting rather than hiding: a hidden resident would still hold the citizen ID's unique hash
 * (a re-import would find the hidden record), and every list, count and export would need to
 * learn to skip it. The rows, the retractions and the audit log keep the record of what was there.
 */
export async function rollbackImport(deps: AppDeps, actor: Actor, batchId: number): Promise<ImportRollbackView> {
  requireThat(may.editRegistry(actor));
  // Seen as getImport sees it: officials their own imports, a city admin the city's; else 404.
  await getImport(deps, actor, batchId);
  const summary = await deps.db.transaction(async (tx) => {
    const { rows: locked } = await tx.execute<{ status: string; province_code: string; upload_id: string | null; moving: boolean }>(sql`
      SELECT status, province_code, upload_id,
             heartbeat_at > now() - make_interval(secs => ${STILL_RUNNING_SECONDS})
             OR (claimed_by IS NOT NULL AND heartbeat_at >= now() - make_interval(mins => ${CLAIM_STALE_MINUTES})) AS moving
      FROM import_batches WHERE id = ${batchId} FOR UPDATE`);
    const batch = locked[0];
    if (!batch) throw new AppError('NOT_FOUND');
    if (batch.status === 'rolled_back') throw new AppError('IMPORT_ROLLED_BACK');
    if (batch.status === 'running' && batch.moving) throw new AppError('IMPORT_RUNNING');
    const province = batch.province_code;

    // Within their area: every unit the batch wrote in must be one the actor works in.
    const { rows: touched } = await tx.execute<{ unit_code: string }>(sql`
      SELECT DISTINCT unit_code FROM import_rows WHERE batch_id = ${batchId} AND status = 'applied' AND unit_code IS NOT NULL`);
    requireThat(touched.every((t) => may.workInUnit(actor, t.unit_code)));

    // The figures of everyone and everything the batch touched, before any of it is undone.
    const { rows: subjects } = await tx.execute<{ resident_id: number | null; organisation_id: number | null }>(sql`
      SELECT DISTINCT resident_id, organisation_id FROM facts WHERE province_code = ${province} AND import_batch_id = ${batchId} AND NOT retracts
      UNION SELECT NULL, organisation_id FROM import_rows WHERE batch_id = ${batchId} AND status = 'applied' AND organisation_id IS NOT NULL`);
    const { rows: homes } = await tx.execute<{ id: number }>(sql`
      SELECT created_household_id AS id FROM import_rows WHERE batch_id = ${batchId} AND created_household_id IS NOT NULL
      UNION SELECT (undo->>'id')::bigint FROM import_rows WHERE batch_id = ${batchId} AND status = 'applied' AND undo->>'table' = 'households'`);
    const figures = await IndicatorChange.begin(tx, {
      provinceCode: province,
      residentIds: subjects.flatMap((s) => (s.resident_id === null ? [] : [Number(s.resident_id)])),
      householdIds: homes.map((h) => Number(h.id)),
      organisationIds: [...new Set(subjects.flatMap((s) => (s.organisation_id === null ? [] : [Number(s.organisation_id)])))],
    });

    // Residents the batch created that nothing outside it refers to. Facts and rows of imports
    // already rolled back do not count: they were withdrawn, and go with the resident.
    // Kept in a table of this transaction: a city's list removes hundreds of thousands of people,
    // too many to pass back and forth as a literal.
    await tx.execute(sql`
      CREATE TEMP TABLE rollback_residents ON COMMIT DROP AS
      SELECT r.id FROM import_rows ir
      JOIN residents r ON r.province_code = ${province} AND r.id = ir.resident_id
      WHERE ir.batch_id = ${batchId} AND ir.status = 'applied' AND ir.created_record AND ir.resident_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM facts f WHERE f.province_code = r.province_code AND f.resident_id = r.id
                        AND f.import_batch_id IS DISTINCT FROM ${batchId}::bigint
                        AND NOT EXISTS (SELECT 1 FROM import_batches fb WHERE fb.id = f.import_batch_id AND fb.status = 'rolled_back'))
        AND NOT EXISTS (SELECT 1 FROM import_rows o JOIN import_batches ob ON ob.id = o.batch_id
                        WHERE o.resident_id = r.id AND o.batch_id <> ${batchId} AND o.status = 'applied' AND ob.status <> 'rolled_back')
        AND NOT EXISTS (SELECT 1 FROM users u WHERE u.resident_id = r.id)
        AND NOT EXISTS (SELECT 1 FROM residents m WHERE m.province_code = r.province_code AND m.merged_into_id = r.id)
        AND r.merged_into_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM resident_merges rm WHERE rm.province_code = r.province_code AND r.id IN (rm.kept_resident_id, rm.merged_resident_id))
        AND NOT EXISTS (SELECT 1 FROM resident_distinct_pairs dp WHERE dp.province_code = r.province_code AND r.id IN (dp.first_resident_id, dp.second_resident_id))`);
    const residentIds = (await tx.execute<{ id: number }>(sql`SELECT id FROM rollback_residents ORDER BY id`)).rows.map((r) => Number(r.id));
    let removedFacts = 0;
    if (residentIds.length > 0) {
      // The facts trigger lets these deletes through, for the listed batches, in this transaction only.
      const { rows: batches } = await tx.execute<{ id: number }>(sql`
        SELECT DISTINCT f.import_batch_id AS id FROM facts f JOIN rollback_residents x ON f.province_code = ${province} AND f.resident_id = x.id`);
      await tx.execute(sql`SELECT set_config('cds.rollback_import_batches', ${batches.map((b) => String(b.id)).join(',')}, true)`);
      // One statement: a retraction and the fact it withdraws go together (the foreign key between them is checked at its end).
      const deleted = await tx.execute(sql`DELETE FROM facts f USING rollback_residents x WHERE f.province_code = ${province} AND f.resident_id = x.id`);
      removedFacts = deleted.rowCount ?? 0;
      await tx.execute(sql`DELETE FROM residents r USING rollback_residents x WHERE r.province_code = ${province} AND r.id = x.id`);
    }

    // The batch's other facts are withdrawn, not deleted: the people stay, and so does what was said.
    const retracted = await tx.execute(sql`
      INSERT INTO facts (province_code, resident_id, organisation_id, indicator, value, source_kind, source_ref, stated_by, observed_on,
                         corrects_fact_id, retracts, import_batch_id, note)
      SELECT f.province_code, f.resident_id, f.organisation_id, f.indicator, f.value, 'import', ${`Hoàn tác lần nhập #${batchId}`},
             ${actor.userId}, f.observed_on, f.id, true, ${batchId}::bigint, ${`Rút lại: lần nhập #${batchId} đã được hoàn tác`}
      FROM facts f
      WHERE f.province_code = ${province} AND f.import_batch_id = ${batchId} AND NOT f.retracts`);

    // Households the batch created that are now empty and nobody is assigned to.
    const removedHouseholds = await tx.execute(sql`
      DELETE FROM households h
      WHERE h.province_code = ${province}
        AND h.id IN (SELECT created_household_id FROM import_rows WHERE batch_id = ${batchId} AND created_household_id IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM residents r WHERE r.province_code = h.province_code AND r.household_id = h.id)
        AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.province_code = h.province_code AND a.household_id = h.id)`);

    // Organisations the batch created that no fact or other import names.
    const removedOrganisations = await tx.execute(sql`
      DELETE FROM organisations o
      WHERE o.province_code = ${province}
        AND o.id IN (SELECT organisation_id FROM import_rows WHERE batch_id = ${batchId} AND status = 'applied' AND created_record AND organisation_id IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM facts f WHERE f.province_code = o.province_code AND f.organisation_id = o.id)
        AND NOT EXISTS (SELECT 1 FROM import_rows x JOIN import_batches xb ON xb.id = x.batch_id
                        WHERE x.organisation_id = o.id AND x.batch_id <> ${batchId} AND x.status = 'applied' AND xb.status <> 'rolled_back')`);

    // Overwritten fields, per record: the value before the batch's first change comes back, if the
    // record still holds what the batch's last change wrote (otherwise someone changed it since,
    // and their value stands).
    const restoredHouseholds = await tx.execute(sql`
      WITH changes AS (
        SELECT (undo->>'id')::bigint AS id, undo, record FROM import_rows
        WHERE batch_id = ${batchId} AND status = 'applied' AND undo->>'table' = 'households'),
      first AS (SELECT DISTINCT ON (id) id, undo->'before' AS before FROM changes ORDER BY id, record),
      last AS (SELECT DISTINCT ON (id) id, undo->'after' AS after FROM changes ORDER BY id, record DESC)
      UPDATE households h SET poverty_status = first.before->>'poverty_status',
                              poverty_list_year = (first.before->>'poverty_list_year')::int, updated_at = now()
      FROM first JOIN last USING (id)
      WHERE h.province_code = ${province} AND h.id = first.id
        AND h.poverty_status = last.after->>'poverty_status'
        AND h.poverty_list_year IS NOT DISTINCT FROM (last.after->>'poverty_list_year')::int`);
    // An organisation row only fills what was empty (apply-chunk.ts): empty it again where it still holds the list's value.
    const restoredOrganisations = await tx.execute(sql`
      WITH c AS (SELECT (undo->>'id')::bigint AS id, undo->'after'->>'address' AS address, undo->'after'->>'tax_code' AS tax_code
                 FROM import_rows WHERE batch_id = ${batchId} AND status = 'applied' AND undo->>'table' = 'organisations')
      UPDATE organisations o SET
        address = CASE WHEN o.address = ANY(SELECT c.address FROM c WHERE c.id = o.id) THEN NULL ELSE o.address END,
        tax_code = CASE WHEN o.tax_code = ANY(SELECT c.tax_code FROM c WHERE c.id = o.id) THEN NULL ELSE o.tax_code END,
        updated_at = now()
      WHERE o.province_code = ${province} AND o.id IN (SELECT id FROM c)`);

    await tx
      .update(importBatches)
      .set({ status: 'rolled_back', rolledBackAt: new Date(), rolledBackBy: actor.userId })
      .where(eq(importBatches.id, batchId));
    const result = {
      retractedFacts: retracted.rowCount ?? 0,
      removedFacts,
      removedResidents: residentIds.length,
      removedHouseholds: removedHouseholds.rowCount ?? 0,
      removedOrganisations: removedOrganisations.rowCount ?? 0,
      restoredRecords: (restoredHouseholds.rowCount ?? 0) + (restoredOrganisations.rowCount ?? 0),
    };
    await figures.commit(tx);
    await recordAudit(tx, actor, {
      action: 'rollback',
      recordType: 'import_batch',
      recordIds: [batchId],
      unitCodes: touched.map((t) => t.unit_code),
      detail: { ...result, removedResidentIds: residentIds },
    });
    return { ...result, uploadId: batch.upload_id };
  });
  // A rolled-back batch is never resumed: the stored file it kept for that goes (after the commit,
  // so a failed rollback still has it).
  const { uploadId, ...counts } = summary;
  if (uploadId) await deleteUpload(deps.config.dataDir, uploadId);
  return { batch: await getImport(deps, actor, batchId), ...counts };
}
