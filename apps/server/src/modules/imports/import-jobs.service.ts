import type { Readable } from 'node:stream';
import type { ImportBatchView, ImportPreview } from '@cds/contract';
import { FIELD_ALIASES, matchHeaders, type ImportField, type SourceType } from '@cds/domain';
import { importBatches, userUnits, users } from '@cds/db';
import { and, desc, eq, lt } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { importSourceFile } from './import-file.service.ts';
import { TableReadError, openTable } from './read-table.ts';
import { saveMapping, savedColumns, savedMappingNames } from './saved-mappings.ts';
import { WORKER_ID, claimBatch, claimableBatchIds } from './import-claim.ts';
import { UPLOAD_LIMIT, deleteUpload, locateUpload, storeUpload } from './upload-store.ts';

// Imports this process is running, by batch id. Which process runs a batch is decided in the
// database (import-claim.ts); this map only lets tests and shutdown wait for them.
const running = new Map<number, Promise<unknown>>();

/** Stores the upload (streamed to disk) and says what it holds, without importing anything. */
export async function previewImport(
  deps: AppDeps,
  actor: Actor,
  body: Readable,
  query: { name: string; source: SourceType; sheet?: string | undefined; mapping?: string | undefined; declaredBytes?: number | undefined },
): Promise<ImportPreview> {
  requireThat(may.editRegistry(actor));
  if (query.declaredBytes !== undefined && query.declaredBytes > UPLOAD_LIMIT) {
    // Refused from the Content-Length before a byte is stored (the body is discarded unread).
    body.resume();
    const mib = Math.round(UPLOAD_LIMIT / 1048576);
    throw new AppError('UPLOAD_TOO_LARGE', [{ path: 'body', message: `Tệp vượt quá ${mib} MB` }], `Tệp quá lớn: tối đa ${mib} MB; hãy chia danh sách thành nhiều tệp`);
  }
  const upload = await storeUpload(deps.config.dataDir, body, query.name);
  try {
    if (upload.size === 0) throw new AppError('VALIDATION_FAILED', [{ path: 'body', message: 'Tệp rỗng' }]);
    let table;
    try {
      table = await openTable({ path: upload.path, fileName: query.name, sheet: query.sheet }, { headerHints: Object.values(FIELD_ALIASES).flat() });
    } catch (error) {
      if (error instanceof TableReadError) throw new AppError('VALIDATION_FAILED', [{ path: 'body', message: error.message }], error.message);
      throw error;
    }
    const sampleRows: string[][] = [];
    for await (const row of table.rows) {
      sampleRows.push(row.cells);
      if (sampleRows.length >= 10) break;
    }
    const saved = query.mapping ? await savedColumns(deps.db, actor, query.source, query.mapping, table.headers, 'querystring.mapping') : {};
    const matched = matchHeaders(table.headers, query.source, saved);
    return {
      fileId: upload.id,
      fileName: query.name,
      format: table.format,
      encoding: table.encoding,
      legacyEncoding: table.legacyEncoding,
      sheetName: table.sheetName,
      headerRow: table.headerRow,
      headers: table.headers,
      sampleRows,
      columns: matched.columns,
      missing: matched.missing,
      savedMappings: await savedMappingNames(deps.db, actor, query.source),
    };
  } catch (error) {
    // A file that cannot be previewed is never imported: it is not kept.
    await deleteUpload(deps.config.dataDir, upload.id);
    throw error;
  }
}

export interface StartImport {
  fileId: string;
  sourceType: SourceType;
  sheet?: string | undefined;
  columns?: (ImportField | null)[] | undefined;
  defaultUnitCode?: string | undefined;
  saveMappingAs?: string | undefined;
}

/**
 * Starts an import in the background and answers as soon as its batch exists. Progress is the
 * batch row itself (last_record and the counts), committed with each chunk.
 */
export async function startImport(deps: AppDeps, actor: Actor, start: StartImport): Promise<ImportBatchView> {
  requireThat(may.editRegistry(actor));
  const { path, fileName } = await locateUpload(deps.config.dataDir, start.fileId);
  const mapping = start.columns ? Object.fromEntries(start.columns.map((field, index) => [index, field])) : undefined;
  let batchReady: (id: number) => void = () => {};
  const batchId = new Promise<number>((resolve) => (batchReady = resolve));
  const job = importSourceFile(deps, actor, {
    path,
    fileName,
    sourceType: start.sourceType,
    sheet: start.sheet,
    mapping,
    defaultUnitCode: start.defaultUnitCode,
    uploadId: start.fileId,
    onBatch: (id) => batchReady(id),
  });
  // Marked handled at once: a failure after the batch exists is recorded on the batch by track().
  job.catch(() => {});
  const outcome = await Promise.race([batchId.then((id) => ({ id })), job.then((summary) => ({ id: summary.batchId }))]);
  if (start.saveMappingAs) {
    const [batch] = await deps.db.select().from(importBatches).where(eq(importBatches.id, outcome.id));
    if (batch) await saveMapping(deps.db, actor, start.sourceType, start.saveMappingAs, batch.headers, batch.mapping);
  }
  track(deps, outcome.id, start.fileId, job, WORKER_ID);
  return getImport(deps, actor, outcome.id);
}

function track(deps: AppDeps, batchId: number, uploadId: string, job: Promise<unknown>, worker: string) {
  const settled = job
    .then(() => deleteUpload(deps.config.dataDir, uploadId))
    .catch(async (error: unknown) => {
      // Only while this worker holds the batch: one that lost it to another must not fail it.
      await deps.db
        .update(importBatches)
        .set({ status: 'failed', error: (error as Error).message, finishedAt: new Date() })
        .where(and(eq(importBatches.id, batchId), eq(importBatches.status, 'running'), eq(importBatches.claimedBy, worker)))
        .catch(() => {});
    })
    .finally(() => running.delete(batchId));
  running.set(batchId, settled);
}

/** Resolves when every import this process started has finished (tests and shutdown wait on it). */
export async function settleImports(): Promise<void> {
  await Promise.all(running.values());
}

/**
 * Takes up every running import that no live process holds (after a restart, or when another
 * server died), as the person who started it. Each batch is claimed first, so of several servers
 * sweeping at once exactly one runs it. Returns how many this call took.
 */
export async function resumeImports(deps: AppDeps, options: { worker?: string } = {}): Promise<number> {
  const worker = options.worker ?? WORKER_ID;
  let resumed = 0;
  for (const id of await claimableBatchIds(deps.db, worker)) {
    if (running.has(id)) continue;
    const [batch] = await deps.db.select().from(importBatches).where(eq(importBatches.id, id));
    if (!batch?.uploadId || batch.createdBy === null) continue;
    const upload = await locateUpload(deps.config.dataDir, batch.uploadId).catch(() => null);
    // On another server's disk, or gone: not this server's to run (a shared DATA_DIR makes it so).
    if (!upload) continue;
    const [user] = await deps.db.select().from(users).where(eq(users.id, batch.createdBy));
    if (!user) continue;
    const unitRows = await deps.db.select({ code: userUnits.unitCode }).from(userUnits).where(eq(userUnits.userId, user.id));
    if (!(await claimBatch(deps.db, id, worker))) continue;
    // Another sweep of this same process may have claimed it a moment ago; from this check to
    // track() there is no await, so two sweeps cannot both pass it.
    if (running.has(id)) continue;
    const actor: Actor = { userId: user.id, username: user.username, role: user.role, provinceCode: user.provinceCode, unitCodes: unitRows.map((u) => u.code), residentId: user.residentId, ip: null, userAgent: 'resume' };
    const mapping = Object.fromEntries(batch.mapping.map((field, index) => [index, field as ImportField | null]));
    const job = importSourceFile(deps, actor, {
      path: upload.path,
      fileName: batch.fileName,
      sourceType: batch.sourceType as SourceType,
      sheet: batch.sheetName ?? undefined,
      mapping,
      defaultUnitCode: batch.defaultUnit ?? undefined,
      uploadId: batch.uploadId,
      worker,
    });
    track(deps, batch.id, batch.uploadId, job, worker);
    resumed++;
  }
  return resumed;
}

/**
 * Sweeps for abandoned imports every minute, so a batch whose server died is taken up by a
 * surviving one without waiting for a restart. Returns the function that stops the sweep.
 */
export function scheduleImportResume(deps: AppDeps, onError: (message: string) => void, everyMs = 60_000): () => void {
  const timer = setInterval(() => {
    resumeImports(deps).catch((error: unknown) => onError(`Không tiếp tục được lần nhập: ${(error as Error).message}`));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

type BatchRow = typeof importBatches.$inferSelect;
function presentBatch(batch: BatchRow, createdBy: string | null): ImportBatchView {
  return {
    id: batch.id,
    sourceType: batch.sourceType as ImportBatchView['sourceType'],
    fileName: batch.fileName,
    status: batch.status,
    createdAt: batch.createdAt.toISOString(),
    finishedAt: batch.finishedAt?.toISOString() ?? null,
    createdBy,
    processed: batch.lastRecord,
    // An estimate (lines, or the sheet's dimension) while running; once done, what was read.
    total: batch.status === 'completed' ? batch.lastRecord : batch.totalRecords === null ? null : Math.max(batch.totalRecords, batch.lastRecord),
    applied: batch.applied,
    review: batch.review,
    rejected: batch.rejected,
    skipped: batch.skipped,
    error: batch.error,
  };
}

/** Officials see the imports they ran; city admins see the city's. */
function batchScope(actor: Actor) {
  return actor.role === 'city_admin' ? eq(importBatches.provinceCode, actor.provinceCode) : eq(importBatches.createdBy, actor.userId);
}

export async function getImport(deps: AppDeps, actor: Actor, id: number): Promise<ImportBatchView> {
  requireThat(may.editRegistry(actor));
  const [row] = await deps.db
    .select({ batch: importBatches, username: users.username })
    .from(importBatches)
    .leftJoin(users, eq(users.id, importBatches.createdBy))
    .where(and(eq(importBatches.id, id), batchScope(actor)));
  if (!row) throw new AppError('NOT_FOUND');
  return presentBatch(row.batch, row.username);
}

export async function listImports(deps: AppDeps, actor: Actor, query: { cursor?: string | undefined; limit: number }) {
  requireThat(may.editRegistry(actor));
  const after = decodeCursor(query.cursor, ['number']);
  const rows = await deps.db
    .select({ batch: importBatches, username: users.username })
    .from(importBatches)
    .leftJoin(users, eq(users.id, importBatches.createdBy))
    .where(and(batchScope(actor), after ? lt(importBatches.id, after[0]) : undefined))
    .orderBy(desc(importBatches.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => presentBatch(r.batch, r.username)),
    next: rows.length > query.limit && last ? encodeCursor([last.batch.id]) : null,
  };
}

