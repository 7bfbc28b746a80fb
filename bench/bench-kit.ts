// What the benchmarks that drive a whole server share: number formatting, percentiles, progress
// on stderr, bounded concurrency, and a database of their own (a temporary PGlite folder, or a
// new PostgreSQL database next to DATABASE_URL, dropped at the end).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase, type DatabaseHandle } from '@cds/db';
import { scratchPostgresDatabase } from '@cds/db/test-database';

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
export const progress = (label: string, done: number, total: number) => {
  if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0) process.stderr.write(`\r  ${label} ${done}/${total}   ${done === total ? '\n' : ''}`);
};

/** Runs `task` for 0..count-1, `width` at a time. */
export async function inParallel(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, count) }, async () => { for (let i = next++; i < count; i = next++) await task(i); }));
}

/** On PostgreSQL when DATABASE_URL is set, with a pool sized for many clients at once (the test helper keeps 4). */
export async function openBenchDatabase(label: string, poolSize: number): Promise<DatabaseHandle> {
  if (!process.env.DATABASE_URL) {
    const dataDir = mkdtempSync(join(tmpdir(), `cds-${label}-bench-`));
    const handle = await openDatabase({ dataDir, mode: 'owner' });
    await migrate(handle.pool);
    return { ...handle, close: async () => { await handle.close(); rmSync(dataDir, { recursive: true, force: true }); } };
  }
  return scratchPostgresDatabase(process.env.DATABASE_URL, { prefix: 'cds_bench', poolSize });
}
