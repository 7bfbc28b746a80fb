import { rebuildLedger, verifyLedger, type RebuildProgress } from '@cds/server/modules/indicators/indicator-ledger.ts';
import { vietnamToday } from '@cds/server/platform/deps.ts';
import type { Db } from '@cds/db';
import cliProgress from 'cli-progress';
import { sql } from 'drizzle-orm';
import { openCliDatabase, type DatabaseFlags } from './database.ts';

/** A progress bar over households then organisations, the two passes of a recomputation. */
export async function withProgress<T>(db: Db, label: string, run: (onProgress: (p: RebuildProgress) => void) => Promise<T>): Promise<T> {
  const { rows } = await db.execute<{ n: string }>(sql`SELECT (SELECT count(*) FROM households) + (SELECT count(*) FROM organisations) AS n`);
  const total = Number(rows[0]?.n ?? 0);
  const bar = new cliProgress.SingleBar(
    { format: `${label} |{bar}| {percentage}% | {value}/{total} hộ và tổ chức | còn {eta_formatted}`, hideCursor: true, noTTYOutput: !process.stderr.isTTY, notTTYSchedule: 5000 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  try {
    return await run((p) => bar.update(p.households + p.organisations));
  } finally {
    bar.stop();
  }
}

/** Recomputes every figure from the facts and compares with the ledger the services keep; exit code 1 when they differ. */
export async function verifyIndicatorsCommand(flags: DatabaseFlags, options: { json?: boolean }): Promise<void> {
  const { handle } = await openCliDatabase(flags);
  try {
    const started = Date.now();
    const differences = await withProgress(handle.db, 'Tính lại từ dữ kiện', (onProgress) => verifyLedger(handle.db, onProgress));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (options.json) console.log(JSON.stringify({ agree: differences.length === 0, differences }, null, 2));
    else if (differences.length === 0) console.log(`Khớp: sổ chỉ tiêu bằng đúng kết quả tính lại từ dữ kiện (${seconds} s).`);
    else {
      console.log(`Lệch ${differences.length} dòng giữa sổ chỉ tiêu và kết quả tính lại:`);
      for (const d of differences.slice(0, 50)) console.log(`  ${d.unitCode} khu ${d.neighbourhoodId} ${d.key} ${d.day}: sổ ${d.ledger}, tính lại ${d.recomputed}`);
    }
    if (differences.length > 0) process.exitCode = 1;
  } finally {
    await handle.close();
  }
}

/** Replaces the ledger with a recomputation: after a bulk load that went around the services. */
export async function rebuildIndicatorsCommand(flags: DatabaseFlags): Promise<void> {
  const { handle } = await openCliDatabase(flags);
  try {
    const started = Date.now();
    await withProgress(handle.db, 'Dựng lại sổ chỉ tiêu', (onProgress) => rebuildLedger(handle.db, vietnamToday(), onProgress));
    console.log(`Đã dựng lại sổ chỉ tiêu trong ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await handle.close();
  }
}
