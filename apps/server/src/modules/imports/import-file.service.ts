import { setImmediate } from 'node:timers/promises';
import type { ImportField, SourceType } from '@cds/domain';
import { buildGazetteer, matchHeaders, FIELD_ALIASES } from '@cds/domain';
import { importBatches, legacyUnits, units, type Db } from '@cds/db';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { applyChunk, type EvaluatedRecord } from './apply-chunk.ts';
import { PersonKeys } from './chunk-lookups.ts';
import { savedColumns } from './saved-mappings.ts';
import { CLAIM_STALE_MINUTES, WORKER_ID, claimBatch, heartbeat } from './import-claim.ts';
import { openTable, scanSource, type TableSource } from './read-table.ts';
import { evaluateRow, type RowContext } from './row-evaluation.ts';
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

/** How long evaluating rows may hold the event loop (see the read loop); a row takes ~0.04 ms. */
const YIELD_EVERY_MS = 0.25;

/** How many rows past its size a chunk may run to end between households (a list listing one huge "household" still gets chunks). */
const HOUSEHOLD_OVERRUN = 200;

function sameHousehold(a: EvaluatedRecord | undefined, b: EvaluatedRecord): boolean {
  if (a?.outcome.status !== 'usable' || b.outcome.status !== 'usable') return false;
  const [p, q] = [a.outcome.person, b.outcome.person];
  return p.householdCode !== null && p.householdCode === q.householdCode && p.unitCode === q.unitCode;
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
  let lastBeat = Date.now();

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
  const chunkSize = request.chunkSize ?? 2000;
  let chunk: EvaluatedRecord[] = [];
  // One chunk is written while the next is read and evaluated: the database and this process
  // work at the same time. Chunks still commit in file order, one after the other, so a later
  // chunk's matching sees every person an earlier one created.
  let writing: Promise<void> = Promise.resolve();
  const statistics = await GrowthAnalyzer.start(deps.db, GROWN_TABLES[request.sourceType] ?? ['facts']);
  let written = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const ready = chunk;
    chunk = [];
    // The keyed hashes and folded names are computed before waiting for the chunk in flight, not
    // inside this chunk's transaction.
    const keys = new PersonKeys(deps).warm(ready, { seal: request.sourceType === 'residence_list' });
    await writing;
    const upTo = ready.at(-1)?.record ?? 0;
    lastBeat = Date.now();
    const before = written;
    written += ready.length;
    writing = renewClaim()
      .then(() => statistics.grown(before))
      .then(() => applyChunk(deps, actor, { batchId, fileName: request.fileName, source: request.sourceType }, ready, { keys }))
      .then(() => request.onProgress?.(upTo));
    // A failure surfaces at the next await of `writing`; until then it must not count as unhandled.
    writing.catch(() => {});
  };
  // The chunk being written needs this process for a moment after each of its statements (to
  // read the answer and send the next); evaluating rows meanwhile must not keep it waiting. Read
  // from a stream, the loop otherwise ran through a whole buffer of rows (tens of milliseconds)
  // between two looks at the connection, a dozen times a chunk: a fifth of the import's time
  // was the database waiting for this loop. So pending I/O is let through every quarter millisecond.
  let yieldedAt = performance.now();
  try {
    for await (const row of table.rows) {
      if (row.record <= resumedAfter) {
        // Skipping a million done rows of a resumed file takes a while: stay visibly alive.
        if (row.record % 1000 === 0 && Date.now() - lastBeat > 30_000) {
          lastBeat = Date.now();
          await renewClaim();
        }
        continue;
      }
      const evaluated: EvaluatedRecord = { record: row.record, cells: row.cells, outcome: evaluateRow(row.cells, context) };
      if (performance.now() - yieldedAt > YIELD_EVERY_MS) {
        await setImmediate();
        yieldedAt = performance.now();
      }
      // A full chunk ends between two households where it can: a household written by two chunks
      // costs the second one a lock and a read-back of the first one's rows for the figures.
      if (chunk.length >= chunkSize && !(chunk.length < chunkSize + HOUSEHOLD_OVERRUN && sameHousehold(chunk.at(-1), evaluated))) await flush();
      chunk.push(evaluated);
    }
    await flush();
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
