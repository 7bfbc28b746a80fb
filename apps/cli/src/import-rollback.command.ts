import { systemActor } from '@cds/server/modules/access/system-actor.ts';
import { getImport } from '@cds/server/modules/imports/import-jobs.service.ts';
import { rollbackImport } from '@cds/server/modules/imports/import-rollback.service.ts';
import { loadConfig } from '@cds/server/platform/config.ts';
import { vietnamToday, type AppDeps } from '@cds/server/platform/deps.ts';
import { AppError, errorCatalogue } from '@cds/server/platform/errors.ts';
import { openCliDatabase, type DatabaseFlags } from './database.ts';

export interface ImportRollbackFlags {
  json?: boolean;
  dryRun?: boolean;
  province: string;
}

/** `cds import rollback BATCH_ID`: the same operation as the web's "Hoàn tác lần nhập" button. */
export async function importRollbackCommand(flags: DatabaseFlags, batchId: number, options: ImportRollbackFlags): Promise<void> {
  const { handle, vault } = await openCliDatabase(flags);
  try {
    const actor = await systemActor(handle.db, options.province, 'import');
    const deps: AppDeps = { db: handle.db, pool: handle.pool, dbKind: handle.kind, vault, config: loadConfig(), today: () => vietnamToday() };
    try {
      if (options.dryRun) {
        const batch = await getImport(deps, actor, batchId);
        console.log(
          options.json
            ? JSON.stringify(batch)
            : `Lần nhập #${batch.id} (${batch.fileName}, ${batch.status}): ${batch.applied} dòng đã áp dụng sẽ được hoàn tác (không ghi).`,
        );
        return;
      }
      const result = await rollbackImport(deps, actor, batchId);
      if (options.json) {
        const { batch, ...counts } = result;
        console.log(JSON.stringify({ batchId: batch.id, status: batch.status, ...counts }));
      } else {
        console.log(
          `Đã hoàn tác lần nhập #${batchId}: rút ${result.retractedFacts} thông tin, xóa ${result.removedResidents} nhân khẩu, ` +
            `${result.removedHouseholds} hộ, ${result.removedOrganisations} tổ chức; trả lại giá trị cũ cho ${result.restoredRecords} bản ghi.`,
        );
      }
    } catch (error) {
      if (error instanceof AppError) throw new Error(error.detailVi ?? errorCatalogue[error.code].vi);
      throw error;
    }
  } finally {
    await handle.close();
  }
}
