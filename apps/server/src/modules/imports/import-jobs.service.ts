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
import { deleteUpload, readUpload, storeUpload } from './upload-store.ts';

const running = new Map<number, Promise<unknown>>();

/** Stores the upload and says what it holds, without importing anything. */
export async function previewImport(
  deps: AppDeps,
  actor: Actor,
  bytes: Uint8Array,
  query: { name: string; source: SourceType; sheet?: string | undefined; mapping?: string | undefined },
): Promise<ImportPreview> {
  requireThat(may.editRegistry(actor));
  if (bytes.length === 0) throw new AppError('VALIDATION_FAILED', [{ path: 'body', message: 'Tệp rỗng' }]);
  let table;
  try {
    table = await openTable({ bytes, fileName: query.name, sheet: query.sheet }, { headerHints: Object.values(FIELD_ALIASES).flat() });
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
  const fileId = await storeUpload(deps.config.dataDir, bytes, query.name);
  return {
    fileId,
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
  const { bytes, fileName } = await readUpload(deps.config.dataDir, start.fileId);
  const mapping = start.columns ? Object.fromEntries(start.columns.map((field, index) => [index, field])) : undefined;
  let batchReady: (id: number) => void = () => {};
  const batchId = new Promise<number>((resolve) => (batchReady = resolve));
  const job = importSourceFile(deps, actor, {
    bytes,
    fileName,
    sourceType: start.sourceType,
    sheet: start.sheet,
    mapping,
    defaultUnitCode: start.defaultUnitCode,
    uploadId: start.fileId,
    onBatch: batchReady,
  });
  // Marked handled at once: a failure after the batch exists is recorded on the batch by track().
  job.catch(() => {});
  const outcome = await Promise.race([batchId.then((id) => ({ id })), job.then((summary) => ({ id: summary.batchId }))]);
  if (start.saveMappingAs) {
    const [batch] = await deps.db.select().from(importBatches).where(eq(importBatches.id, outcome.id));
    if (batch) await saveMapping(deps.db, actor, start.sourceType, start.saveMappingAs, batch.headers, batch.mapping);
  }
  track(deps, outcome.id, start.fileId, job);
  return getImport(deps, actor, outcome.id);
}

function track(deps: AppDeps, batchId: number, uploadId: string, job: Promise<unknown>) {
  const settled = job
    .then(() => deleteUpload(deps.config.dataDir, uploadId))
    .catch(async (error: unknown) => {
      await deps.db
        .update(importBatches)
        .set({ status: 'failed', error: (error as Error).message, finishedAt: new Date() })
        .where(and(eq(importBatches.id, batchId), eq(importBatches.status, 'running')))
        .catch(() => {});
    })
    .finally(() => running.delete(batchId));
  running.set(batchId, settled);
}

/** Resolves when every import this process started has finished (tests and shutdown wait on it). */
export async function settleImports(): Promise<void> {
  await Promise.all(running.values());
}

/** After a restart: take up every import that was running, as the person who started it. */
export async function resumeImports(deps: AppDeps): Promise<number> {
  const open = await deps.db.select().from(importBatches).where(eq(importBatches.status, 'running'));
  let resumed = 0;
  for (const batch of open) {
    if (!batch.uploadId || running.has(batch.id) || batch.createdBy === null) continue;
    const [user] = await deps.db.select().from(users).where(eq(users.id, batch.createdBy));
    if (!user) continue;
    const unitRows = await deps.db.select({ code: userUnits.unitCode }).from(userUnits).where(eq(userUnits.userId, user.id));
    const actor: Actor = { userId: user.id, username: user.username, role: user.role, provinceCode: user.provinceCode, unitCodes: unitRows.map((u) => u.code), residentId: user.residentId, ip: null, userAgent: 'resume' };
    const upload = await readUpload(deps.config.dataDir, batch.uploadId).catch(() => null);
    if (!upload) continue;
    const { bytes } = upload;
    const mapping = Object.fromEntries(batch.mapping.map((field, index) => [index, field as ImportField | null]));
    const job = importSourceFile(deps, actor, {
      bytes,
      fileName: batch.fileName,
      sourceType: batch.sourceType as SourceType,
      sheet: batch.sheetName ?? undefined,
      mapping,
      defaultUnitCode: batch.defaultUnit ?? undefined,
      uploadId: batch.uploadId,
    });
    track(deps, batch.id, batch.uploadId, job);
    resumed++;
  }
  return resumed;
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

