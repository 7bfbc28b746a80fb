import { units } from '@cds/db';
import { ensureUnits } from '@cds/server/demo/reference-data.ts';
import { seedPopulation } from '@cds/server/modules/registry/seed-population.ts';
import { vietnamToday } from '@cds/server/platform/deps.ts';
import cliProgress from 'cli-progress';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { openCliDatabase, type DatabaseFlags } from './database.ts';
import { withProgress } from './indicators.command.ts';
import { rebuildLedger } from '@cds/server/modules/indicators/indicator-ledger.ts';

export interface SeedFlags {
  people: number;
  seed: number;
  units?: string;
  province: string;
  batch?: number;
  dryRun?: boolean;
}

export async function seedCommand(flags: DatabaseFlags, options: SeedFlags): Promise<void> {
  const { handle, vault } = await openCliDatabase(flags);
  try {
    await ensureUnits(handle.db);
    const codes = options.units?.split(',').map((c) => c.trim()).filter(Boolean);
    const rows = await handle.db
      .select()
      .from(units)
      .where(and(eq(units.provinceCode, options.province), codes ? inArray(units.code, codes) : undefined))
      .orderBy(asc(units.code));
    if (rows.length === 0) throw new Error(`Không có đơn vị nào khớp (tỉnh ${options.province}${codes ? `, mã ${codes.join(',')}` : ''})`);
    if (codes && rows.length !== codes.length) {
      const found = new Set(rows.map((r) => r.code));
      throw new Error(`Không có đơn vị mã ${codes.filter((c) => !found.has(c)).join(', ')}`);
    }
    const bar = new cliProgress.SingleBar(
      { format: 'Tạo dân cư |{bar}| {percentage}% | {value}/{total} nhân khẩu | {rate}/s | còn {eta_formatted}', hideCursor: true, noTTYOutput: !process.stderr.isTTY, notTTYSchedule: 5000 },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    bar.start(options.people, 0, { rate: 0 });
    const result = await seedPopulation(handle.pool, vault, {
      people: options.people,
      seed: options.seed,
      provinceCode: options.province,
      units: rows,
      today: vietnamToday(),
      // Through a running embedded server, a shorter transaction keeps the web app answering between batches.
      batchSize: options.batch ?? (handle.attached ? 2000 : 10_000),
      dryRun: options.dryRun ?? false,
      onProgress: (done) => bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - started) / 1000)) }),
    });
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    // Seeding writes rows in bulk around the services, so the dashboard's ledger is rebuilt once at the end.
    if (!options.dryRun) await withProgress(handle.db, 'Dựng lại sổ chỉ tiêu', (onProgress) => rebuildLedger(handle.db, vietnamToday(), onProgress));
    console.log(
      `${options.dryRun ? '(thử, không ghi) ' : ''}${result.households} hộ, ${result.residents} nhân khẩu, ${result.facts} thông tin trong ${seconds.toFixed(1)} s ` +
        `(${Math.round(result.residents / seconds)} nhân khẩu/s) vào ${rows.length} đơn vị${handle.attached ? ' qua máy chủ đang chạy' : ''}.`,
    );
  } finally {
    await handle.close();
  }
}
