import type { ImportField, SourceType } from '@cds/domain';
import { buildGazetteer, matchHeaders, FIELD_ALIASES } from '@cds/domain';
import { importBatches, legacyUnits, units, type Db } from '@cds/db';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { applyChunk } from './apply-chunk.ts';
import { PersonKeys } from './chunk-lookups.ts';
import { savedColumns } from './saved-mappings.ts';
import { CLAIM_STALE_MINUTES, WORKER_ID, claimBatch, heartbeat } from './import-claim.ts';
import { openTable, scanSource, type TableSource } from './read-table.ts';
import { evaluatedChunks } from './evaluated-chunks.ts';
import type { RowContext } from './row-evaluation.ts';
import { GrowthAnalyzer } from './table-statistics.ts';

/** The file is a path (read as a stream: the server's stored upload, the CLI's argument) or bytes. */
export type ImportRequest = TableSource & {
  fileName: string;
  sourceType: SourceType;
  sheet?: string | number | undefined;
  /** Name of a saved mapping for this source type. */
  mappingName?: string | undefined;
  /** Column index → field (or null to ignore), overriding what the headers suggest. */
  mapping?: Partial<Record<number, ImportField | null>> | undefined;
  /** The unit of rows whose address names none. */
  defaultUnitCode?: string | undefined;
  chunkSize?: number | undefined;
  onProgress?: ((records: number) => void) | undefined;
  /**
   * Called once the batch exists and this process holds it, before the first record is applied
   * (the API answers then), with the estimated record count for a percentage.
   */
  onBatch?: ((batchId: number, progress: { total: number | null; resumedAfter: number }) => void) | undefined;
  /** The stored upload, so a restarted server can resume the import. */
  uploadId?: string | undefined;
  /** The claimant id written on the batch; this process's by default (tests race two). */
  worker?: string | undefined;
};

export interface ImportSummary {
  batchId: number;
  alreadyImported: boolean;
  resumedAfter: number;
  headers: string[];
  columns: (ImportField | null)[];
  applied: number;
  review: number;
  rejected: number;
  skipped: number;
}

export async function loadGazetteer(db: Db, provinceCode: string) {
  const unitRows = await db.select().from(units).where(eq(units.provinceCode, provinceCode));
  const legacyRows = await db
    .select()
    .from(legacyUnits)
    .where(sql`${legacyUnits.newCode} IN (SELECT code FROM units WHERE province_code = ${provinceCode})`);
  return {
    unitCodes: new Set(unitRows.map((u) => u.code)),
    gazetteer: buildGazetteer(
      unitRows.map((u) => ({ code: u.code, name: u.name, type: u.type, fullName: u.fullName })),
      legacyRows.map((l) => ({ oldName: l.oldName, oldDistrict: l.oldDistrict, oldProvince: l.oldProvince, newCode: l.newCode, mergeType: l.mergeType })),
    ),
  };
}

/** The tables each kind of list adds most rows to (GrowthAnalyzer); other lists state facts. */
const GROWN_TABLES: Partial<Record<SourceType, readonly string[]>> = {
  residence_list: ['residents', 'households'],
  organisation_list: ['organisations'],
};

/**
 * Imports one office list. Records are evaluated and applied in chunks, each chunk in one
 * transaction together with the batch's progress mark, so a killed import leaves no half-applied
 * chunk and the next run of the same file resumes after the last committed record.
 */
export async function importSourceFile(deps: AppDeps, actor: Actor, request: ImportRequest): Promise<ImportSummary> {
  requireThat(may.editRegistry(actor));
  if (request.defaultUnitCode) requireThat(may.workInUnit(actor, request.defaultUnitCode));
  // One streamed pass: the file's hash (the same file imported twice changes nothing), whether it
  // is UTF-8 throughout, and its line count for the percentage.
  const scan = await scanSource(request);
  const sha = scan.sha256;
  const worker = request.worker ?? WORKER_ID;
  const [existing] = await deps.db
    .select()
    .from(importBatches)
    // A rolled-back import no longer stands: the same file then starts a new batch.
    .where(and(eq(importBatches.provinceCode, actor.provinceCode), eq(importBatches.sourceType, request.sourceType), eq(importBatches.fileSha256, sha), ne(importBatches.status, 'rolled_back')));
  if (existing?.status === 'completed') {
    return {
      batchId: existing.id,
      alreadyImported: true,
      resumedAfter: existing.lastRecord,
      headers: [],
      columns: existing.mapping as (ImportField | null)[],
      applied: existing.applied,
      review: existing.review,
      rejected: existing.rejected,
      skipped: existing.skipped,
    };
  }

  const headerHints = Object.values(FIELD_ALIASES).flat();
  if (existing?.status === 'failed') {
    // Run again by hand after a failure: back to running, claimed by this process, unless
    // another process restarted it first.
    const [restarted] = await deps.db
      .update(importBatches)
      .set({ status: 'running', claimedBy: worker, heartbeatAt: new Date(), finishedAt: null })
      .where(and(eq(importBatches.id, existing.id), eq(importBatches.status, 'failed')))
      .returning({ id: importBatches.id });
    if (!restarted) throw new AppError('IMPORT_RUNNING_ELSEWHERE', undefined, `Lần nhập #${existing.id} của tệp này đã được chạy lại ở một tiến trình khác`);
  } else if (existing?.status === 'running' && !(await claimBatch(deps.db, existing.id, worker))) {
    throw new AppError('IMPORT_RUNNING_ELSEWHERE', undefined, `Lần nhập #${existing.id} của tệp này đang chạy ở một tiến trình khác (tín hiệu trong ${CLAIM_STALE_MINUTES} phút qua)`);
  }
  const source: TableSource = request.bytes !== undefined ? { bytes: request.bytes } : { path: request.path };
  const table = await openTable({ ...source, fileName: request.fileName, sheet: request.sheet, scan }, { headerHints });
  const saved = request.mappingName ? await savedColumns(deps.db, actor, request.sourceType, request.mappingName, table.headers) : {};
  const matched = matchHeaders(table.headers, request.sourceType, { ...saved, ...request.mapping });
  if (matched.missing.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      matched.missing.map((field) => ({ path: `mapping.${field}`, message: `Không tìm thấy cột cho trường "${field}"; hãy ghép cột` })),
      `Thiếu cột bắt buộc: ${matched.missing.join(', ')}`,
    );
  }
  const columns = matched.columns;

  let batch = existing;
  if (!batch) {
    [batch] = await deps.db
      .insert(importBatches)
      .values({
        provinceCode: actor.provinceCode,
        sourceType: request.sourceType,
        fileName: request.fileName,
        fileSha256: sha,
        format: table.format,
        encoding: table.encoding,
        legacyEncoding: table.legacyEncoding,
        sheetName: table.sheetName,
        headerRow: table.headerRow,
        headers: table.headers,
        mapping: columns,
        uploadId: request.uploadId ?? null,
        defaultUnit: request.defaultUnitCode ?? null,
        createdBy: actor.userId,
        totalRecords: table.estimatedRecords,
        claimedBy: worker,
        heartbeatAt: new Date(),
      })
      .returning();
  }
  if (!batch) throw new AppError('INTERNAL');
  const batchId = batch.id;
  const resumedAfter = batch.lastRecord;
  request.onBatch?.(batchId, { total: batch.totalRecords, resumedAfter });
  // The claim is renewed (and checked) before each chunk is applied: a worker that was judged
  // dead and replaced stops before writing, so at most the chunk in flight can overlap.
  const renewClaim = async () => {
    if (!(await heartbeat(deps.db, batchId, worker))) {
      throw new AppError('IMPORT_RUNNING_ELSEWHERE', undefined, `Lần nhập #${batchId} đã được một tiến trình khác tiếp nhận`);
    }
  };

  const { gazetteer, unitCodes } = await loadGazetteer(deps.db, actor.provinceCode);
  const context: RowContext = {
    source: request.sourceType,
    columns,
    headers: table.headers,
    today: deps.today(),
    gazetteer,
    defaultUnitCode: request.defaultUnitCode ?? null,
    unitCodes,
  };
  // Per-chunk work (the lookups, the figures, the outcome rows, a commit) is a few statements
  // whatever the size, so bigger chunks cost less per row; a kill loses at most one of them.
  // A long skip over records done before renews the claim: this process still holds the batch.
  const chunks = evaluatedChunks(table.rows, context, { resumedAfter, chunkSize: request.chunkSize ?? 2000, onSkipping: renewClaim });
  // One chunk is written while the next is read and evaluated: the database and this process
  // work at the same time. Chunks still commit in file order, one after the other, so a later
  // chunk's matching sees every person an earlier one created.
  let writing: Promise<void> = Promise.resolve();
  const statistics = await GrowthAnalyzer.start(deps.db, GROWN_TABLES[request.sourceType] ?? ['facts']);
  let written = 0;
  try {
    for await (const ready of chunks) {
      // The keyed hashes and folded names are computed before waiting for the chunk in flight,
      // not inside this chunk's transaction.
      const keys = new PersonKeys(deps).warm(ready, { seal: request.sourceType === 'residence_list' });
      await writing;
      const upTo = ready.at(-1)?.record ?? 0;
      const before = written;
      written += ready.length;
      writing = renewClaim()
        .then(() => statistics.grown(before))
        .then(() => applyChunk(deps, actor, { batchId, fileName: request.fileName, source: request.sourceType }, ready, { keys }))
        .then(() => request.onProgress?.(upTo));
      // A failure surfaces at the next await of `writing`; until then it must not count as unhandled.
      writing.catch(() => {});
    }
    await writing;
  } catch (error) {
    // Only the claimant records its failure: a worker that lost the batch must not touch it.
    await deps.db
      .update(importBatches)
      .set({ error: (error as Error).message })
      .where(and(eq(importBatches.id, batchId), eq(importBatches.claimedBy, worker)));
    throw error;
  }
  const [done] = await deps.db
    .update(importBatches)
    .set({ status: 'completed', finishedAt: new Date(), error: null })
    .where(and(eq(importBatches.id, batchId), eq(importBatches.claimedBy, worker)))
    .returning();
  if (!done) throw new AppError('IMPORT_RUNNING_ELSEWHERE', undefined, `Lần nhập #${batchId} đã được một tiến trình khác tiếp nhận`);
  return {
    batchId,
    alreadyImported: false,
    resumedAfter,
    headers: table.headers,
    columns,
    applied: done.applied,
    review: done.review,
    rejected: done.rejected,
    skipped: done.skipped,
  };
}
