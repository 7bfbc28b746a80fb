import type { Writable } from 'node:stream';
import type { ImportRowView } from '@cds/contract';
import { SOURCE_LABELS, maskCitizenId, type ImportField, type SourceType } from '@cds/domain';
import { importBatches, importRows, organisations, residents, users } from '@cds/db';
import ExcelJS from 'exceljs';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import { vietnamDateTime, type AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { applyChunk, type EvaluatedRecord } from './apply-chunk.ts';
import { loadGazetteer } from './import-file.service.ts';
import { evaluateRow } from './row-evaluation.ts';

type Batch = typeof importBatches.$inferSelect;
type Row = typeof importRows.$inferSelect;

async function batchInScope(deps: AppDeps, actor: Actor, id: number): Promise<Batch> {
  requireThat(may.editRegistry(actor));
  const [batch] = await deps.db.select().from(importBatches).where(eq(importBatches.id, id));
  const visible = batch && (actor.role === 'city_admin' ? batch.provinceCode === actor.provinceCode : batch.createdBy === actor.userId);
  if (!batch || !visible) throw new AppError('NOT_FOUND');
  return batch;
}

async function present(deps: AppDeps, batch: Batch, rows: readonly Row[]): Promise<ImportRowView[]> {
  const candidateIds = [...new Set(rows.flatMap((r) => r.candidates))];
  if (batch.sourceType === 'organisation_list') {
    // An organisation list's candidates are organisations: the same ids in residents are other records.
    const bodies = candidateIds.length
      ? await deps.db.select().from(organisations).where(and(eq(organisations.provinceCode, batch.provinceCode), inArray(organisations.id, candidateIds)))
      : [];
    const bodyById = new Map(bodies.map((o) => [o.id, o]));
    return rows.map((row) => ({
      ...presentRow(batch, row),
      candidates: row.candidates.flatMap((id) => {
        const o = bodyById.get(id);
        return o ? [{ id: o.id, fullName: o.taxCode ? `${o.name} (MST ${o.taxCode})` : o.name, birthYear: null, unitCode: o.unitCode, citizenId: null }] : [];
      }),
    }));
  }
  const candidates = candidateIds.length
    ? await deps.db.select().from(residents).where(and(eq(residents.provinceCode, batch.provinceCode), inArray(residents.id, candidateIds)))
    : [];
  const byId = new Map(candidates.map((c) => [c.id, c]));
  return rows.map((row) => ({
    ...presentRow(batch, row),
    candidates: row.candidates.flatMap((id) => {
      const c = byId.get(id);
      return c ? [{ id: c.id, fullName: c.fullName, birthYear: c.birthYear, unitCode: c.unitCode, citizenId: c.citizenIdEnc ? maskCitizenId(deps.vault.decrypt(c.citizenIdEnc)) : null }] : [];
    }),
  }));
}

function presentRow(batch: Batch, row: Row): Omit<ImportRowView, 'candidates'> {
  return {
    batchId: row.batchId,
    record: row.record,
    status: row.status,
    reasons: row.reasons,
    cells: (row.cells as string[] | null) ?? null,
    headers: batch.headers,
    residentId: row.residentId,
    unitCode: row.unitCode,
    resolved: row.resolvedAt !== null,
  };
}

export async function listImportRows(
  deps: AppDeps,
  actor: Actor,
  batchId: number,
  query: { status?: Row['status'] | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: ImportRowView[]; next: string | null }> {
  const batch = await batchInScope(deps, actor, batchId);
  const after = decodeCursor(query.cursor, ['number']);
  const rows = await deps.db
    .select()
    .from(importRows)
    .where(and(eq(importRows.batchId, batchId), query.status ? eq(importRows.status, query.status) : undefined, after ? gt(importRows.record, after[0]) : undefined))
    .orderBy(asc(importRows.record))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const items = await present(deps, batch, page);
  await recordAudit(deps.db, actor, {
    action: 'list',
    recordType: 'import_row',
    recordIds: page.map((r) => r.record),
    unitCodes: page.flatMap((r) => (r.unitCode ? [r.unitCode] : [])),
    fields: ['cells', 'candidates'],
    detail: { batchId, candidates: items.flatMap((i) => i.candidates.map((c) => c.id)) },
  });
  const last = page.at(-1);
  return { items, next: rows.length > query.limit && last ? encodeCursor([last.record]) : null };
}

async function openRow(deps: AppDeps, actor: Actor, batchId: number, record: number) {
  const batch = await batchInScope(deps, actor, batchId);
  const [row] = await deps.db.select().from(importRows).where(and(eq(importRows.batchId, batchId), eq(importRows.record, record)));
  if (!row) throw new AppError('NOT_FOUND');
  return { batch, row };
}

async function reapply(
  deps: AppDeps,
  actor: Actor,
  batch: Batch,
  record: number,
  cells: readonly string[],
  extra: { unitOverride?: string | undefined; decision?: EvaluatedRecord['decision'] },
) {
  const { gazetteer, unitCodes } = await loadGazetteer(deps.db, batch.provinceCode);
  const outcome = evaluateRow(cells, {
    source: batch.sourceType as SourceType,
    columns: batch.mapping as (ImportField | null)[],
    headers: batch.headers,
    today: deps.today(),
    gazetteer,
    defaultUnitCode: batch.defaultUnit,
    unitCodes,
    unitOverride: extra.unitOverride,
  });
  await applyChunk(deps, actor, { batchId: batch.id, fileName: batch.fileName, source: batch.sourceType as SourceType }, [{ record, cells, outcome, decision: extra.decision }], {
    replace: true,
    resolvedBy: actor.userId,
  });
  const [row] = await deps.db.select().from(importRows).where(and(eq(importRows.batchId, batch.id), eq(importRows.record, record)));
  if (!row) throw new AppError('INTERNAL');
  const [view] = await present(deps, batch, [row]);
  if (!view) throw new AppError('INTERNAL');
  return view;
}

/** A rejected row fixed in the app is evaluated again, exactly as if it had been read from the file. */
export async function retryImportRow(deps: AppDeps, actor: Actor, batchId: number, record: number, cells: readonly string[]): Promise<ImportRowView> {
  const { batch, row } = await openRow(deps, actor, batchId, record);
  if (row.status !== 'rejected') throw invalid('params.record', 'Chỉ sửa và thử lại được các dòng bị từ chối');
  if (cells.length > batch.headers.length + 5) throw invalid('body.cells', 'Số ô nhiều hơn số cột của tệp');
  return reapply(deps, actor, batch, record, cells, {});
}

export type ResolveDecision =
  | { decision: 'same_person'; residentId: number }
  | { decision: 'new_person' }
  | { decision: 'unit'; unitCode: string }
  | { decision: 'discard' };

/** A person decides a row held for review; the decision is recorded with who made it. */
export async function resolveImportRow(deps: AppDeps, actor: Actor, batchId: number, record: number, decision: ResolveDecision): Promise<ImportRowView> {
  const { batch, row } = await openRow(deps, actor, batchId, record);
  if (row.status !== 'review') throw invalid('params.record', 'Dòng này không chờ xem xét');
  const cells = (row.cells as string[] | null) ?? [];
  switch (decision.decision) {
    case 'same_person':
      if (!row.candidates.includes(decision.residentId)) throw invalid('body.residentId', 'Nhân khẩu này không nằm trong các khả năng trùng của dòng');
      // A unit chosen earlier for this row stands (row.unitCode is only set once the unit is known).
      return reapply(deps, actor, batch, record, cells, { decision: { residentId: decision.residentId }, unitOverride: row.unitCode ?? undefined });
    case 'new_person':
      return reapply(deps, actor, batch, record, cells, { decision: { newPerson: true }, unitOverride: row.unitCode ?? undefined });
    case 'unit':
      if (!row.reasons.some((reason) => reason.includes(decision.unitCode))) throw invalid('body.unitCode', 'Đơn vị này không nằm trong các đơn vị có thể của địa chỉ');
      requireThat(may.workInUnit(actor, decision.unitCode));
      return reapply(deps, actor, batch, record, cells, { unitOverride: decision.unitCode });
    case 'discard': {
      await deps.db.transaction(async (tx) => {
        await tx
          .update(importRows)
          .set({ status: 'skipped', reasons: [...row.reasons, `Cán bộ ${actor.username} bỏ dòng này`], cells: null, resolvedBy: actor.userId, resolvedAt: new Date() })
          .where(and(eq(importRows.batchId, batchId), eq(importRows.record, record)));
        await tx
          .update(importBatches)
          .set({ review: batch.review - 1, skipped: batch.skipped + 1 })
          .where(eq(importBatches.id, batchId));
      });
      const [updated] = await deps.db.select().from(importRows).where(and(eq(importRows.batchId, batchId), eq(importRows.record, record)));
      const [view] = await present(deps, batch, updated ? [updated] : []);
      if (!view) throw new AppError('INTERNAL');
      return view;
    }
  }
}

const STATUS_VI: Record<Row['status'], string> = { applied: 'Đã áp dụng', review: 'Chờ xem xét', rejected: 'Bị từ chối', skipped: 'Bỏ qua' };

/**
 * The row-level report as a workbook: each data record with its state and reasons, and for rows
 * still to fix, the cells as read, so a person can correct them in a spreadsheet and import again.
 */
export async function writeImportReport(deps: AppDeps, actor: Actor, batchId: number, output: Writable): Promise<void> {
  const batch = await batchInScope(deps, actor, batchId);
  const [creator] = batch.createdBy ? await deps.db.select({ username: users.username }).from(users).where(eq(users.id, batch.createdBy)) : [];
  await recordAudit(deps.db, actor, { action: 'export', recordType: 'import_batch', recordIds: [batchId], fields: ['cells', 'reasons'] });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  const sheet = workbook.addWorksheet('Báo cáo', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: 'Dòng', width: 7 },
    { header: 'Trạng thái', width: 14 },
    { header: 'Lý do', width: 60 },
    { header: 'Mã nhân khẩu', width: 13 },
    ...batch.headers.map((header) => ({ header, width: 18 })),
  ];
  sheet.getRow(1).font = { bold: true };
  let after = 0;
  for (;;) {
    const rows = await deps.db
      .select()
      .from(importRows)
      .where(and(eq(importRows.batchId, batchId), gt(importRows.record, after)))
      .orderBy(asc(importRows.record))
      .limit(5000);
    if (rows.length === 0) break;
    for (const row of rows) {
      sheet.addRow([row.record, STATUS_VI[row.status], row.reasons.join('; '), row.residentId ?? '', ...(((row.cells as string[] | null) ?? []))]).commit();
    }
    after = rows.at(-1)?.record ?? after;
  }
  sheet.commit();
  const about = workbook.addWorksheet('Thông tin');
  about.addRow(['Tệp', batch.fileName]).commit();
  about.addRow(['Loại danh sách', SOURCE_LABELS[batch.sourceType as SourceType]?.vi ?? batch.sourceType]).commit();
  about.addRow(['Người nhập', creator?.username ?? '']).commit();
  about.addRow(['Thời điểm', vietnamDateTime(batch.createdAt)]).commit();
  about.commit();
  await workbook.commit();
}
