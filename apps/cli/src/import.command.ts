import { createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { finished } from 'node:stream/promises';
import { importRows } from '@cds/db';
import { SOURCE_LABELS, type SourceType } from '@cds/domain';
import { systemActor } from '@cds/server/modules/access/system-actor.ts';
import { importSourceFile } from '@cds/server/modules/imports/import-file.service.ts';
import { templateFileName, writeImportTemplate } from '@cds/server/modules/imports/import-template.ts';
import { loadConfig } from '@cds/server/platform/config.ts';
import { vietnamToday, type AppDeps } from '@cds/server/platform/deps.ts';
import { AppError } from '@cds/server/platform/errors.ts';
import cliProgress from 'cli-progress';
import { asc, eq } from 'drizzle-orm';
import { openCliDatabase, type DatabaseFlags } from './database.ts';

export interface ImportFlags {
  source: string;
  mapping?: string;
  report?: string;
  json?: boolean;
  unit?: string;
  sheet?: string;
  province: string;
}

const csvField = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

function checkedSource(source: string): SourceType {
  if (!Object.hasOwn(SOURCE_LABELS, source)) {
    throw new Error(`Loại danh sách "${source}" không có; chọn một trong: ${Object.keys(SOURCE_LABELS).join(', ')}`);
  }
  return source as SourceType;
}

/** `cds import template`: the same empty workbook the web app offers, for offices sent a template by mail. */
export async function importTemplateCommand(options: { source: string; out?: string }): Promise<void> {
  const source = checkedSource(options.source);
  const out = options.out ?? templateFileName(source);
  const file = createWriteStream(out);
  await writeImportTemplate(source, file);
  file.end();
  await finished(file);
  console.log(`Đã ghi tệp mẫu "${SOURCE_LABELS[source].vi}": ${out}`);
}

export async function importCommand(flags: DatabaseFlags, file: string, options: ImportFlags): Promise<void> {
  checkedSource(options.source);
  // The file is read as a stream by the import (a city's list can be hundreds of megabytes).
  if (!existsSync(file)) throw new Error(`Không tìm thấy tệp ${file}`);
  const { handle, vault } = await openCliDatabase(flags);
  try {
    const actor = await systemActor(handle.db, options.province, 'import');
    const deps: AppDeps = { db: handle.db, pool: handle.pool, dbKind: handle.kind, vault, config: loadConfig(), today: () => vietnamToday() };
    // A real percentage once the batch says how many records the file holds (its line count or
    // the sheet's dimension); without one, the count alone.
    const bar = new cliProgress.SingleBar(
      { format: 'Nhập |{bar}| {percentage}% {value}/{total} dòng, {speed} dòng/giây, còn {eta_formatted}', hideCursor: true, noTTYOutput: false, stream: process.stderr, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    const showBar = !options.json && process.stderr.isTTY;
    const started = Date.now();
    let doneBefore = 0;
    let total: number | null = null;
    let summary;
    try {
      summary = await importSourceFile(deps, actor, {
        path: file,
        fileName: basename(file),
        sourceType: options.source as SourceType,
        sheet: options.sheet !== undefined && /^\d+$/.test(options.sheet) ? Number(options.sheet) : options.sheet,
        mappingName: options.mapping,
        defaultUnitCode: options.unit,
        onBatch: (_batchId, progress) => {
          doneBefore = progress.resumedAfter;
          total = progress.total;
          if (showBar) bar.start(total ?? 0, doneBefore, { speed: '0' });
        },
        onProgress: (records) => {
          if (!showBar) return;
          if (total === null || records > total) bar.setTotal(records);
          const seconds = (Date.now() - started) / 1000;
          bar.update(records, { speed: seconds > 0 ? Math.round((records - doneBefore) / seconds).toLocaleString('vi-VN') : '0' });
        },
      });
    } catch (error) {
      if (error instanceof AppError) {
        const details = (error.issues ?? []).map((i) => `  ${i.path}: ${i.message}`).join('\n');
        throw new Error(`${error.detailVi ?? error.message}${details ? `\n${details}` : ''}`);
      }
      throw error;
    } finally {
      if (showBar) bar.stop();
    }
    if (options.report) {
      const rows = await handle.db.select().from(importRows).where(eq(importRows.batchId, summary.batchId)).orderBy(asc(importRows.record));
      const lines = ['row,status,reasons,resident_id', ...rows.map((r) => [String(r.record), r.status, csvField(r.reasons.join('; ')), r.residentId === null ? '' : String(r.residentId)].join(','))];
      writeFileSync(options.report, lines.join('\n') + '\n');
    }
    const counts = { applied: summary.applied, review: summary.review, rejected: summary.rejected, skipped: summary.skipped };
    if (options.json) {
      console.log(JSON.stringify({ batchId: summary.batchId, alreadyImported: summary.alreadyImported, ...counts }));
    } else {
      console.log(
        `${summary.alreadyImported ? 'Tệp này đã được nhập trước đó; không thay đổi gì. ' : ''}Lần nhập #${summary.batchId}: ` +
          `${counts.applied} đã áp dụng, ${counts.review} chờ xem xét, ${counts.rejected} bị từ chối, ${counts.skipped} bỏ qua.`,
      );
    }
  } finally {
    await handle.close();
  }
}
