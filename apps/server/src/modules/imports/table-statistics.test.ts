import { createTestDatabase } from '@cds/db/test-database';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrowthAnalyzer } from './table-statistics.ts';

let handle: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle?.close());

const plannerRows = async () => {
  const { rows } = await handle.db.execute<{ rows: number }>(sql`SELECT reltuples::bigint AS rows FROM pg_class WHERE oid = 'grown_by_import'::regclass`);
  return Number(rows[0]?.rows);
};

describe('GrowthAnalyzer', () => {
  it('analyzes a table an import grows once it holds twice what the planner last saw, not before', async () => {
    await handle.db.execute(sql`CREATE TABLE grown_by_import (n integer)`);
    const statistics = await GrowthAnalyzer.start(handle.db, ['grown_by_import']);
    await handle.db.execute(sql`INSERT INTO grown_by_import SELECT generate_series(1, 1500)`);
    await statistics.grown(1500);
    // Never analyzed: PostgreSQL says -1 rows.
    expect(await plannerRows()).toBe(-1);
    await handle.db.execute(sql`INSERT INTO grown_by_import SELECT generate_series(1, 1500)`);
    await statistics.grown(3000);
    expect(await plannerRows()).toBe(3000);
    // 4,000 is not yet twice 3,000.
    await handle.db.execute(sql`INSERT INTO grown_by_import SELECT generate_series(1, 1000)`);
    await statistics.grown(4000);
    expect(await plannerRows()).toBe(3000);
  });

  // PGlite serves one connection at a time, so a second one holding a lock cannot be had there.
  it.skipIf(!process.env.DATABASE_URL)('does not wait for a VACUUM holding the table: it analyzes after a later chunk instead', async () => {
    await handle.db.execute(sql`CREATE TABLE held_by_vacuum (n integer)`);
    const statistics = await GrowthAnalyzer.start(handle.db, ['held_by_vacuum']);
    await handle.db.execute(sql`INSERT INTO held_by_vacuum SELECT generate_series(1, 3000)`);
    const holder = await handle.pool.connect();
    try {
      // The lock a VACUUM holds.
      await holder.query('BEGIN; LOCK TABLE held_by_vacuum IN SHARE UPDATE EXCLUSIVE MODE');
      await statistics.grown(3000);
      const { rows } = await handle.pool.query<{ rows: number }>("SELECT reltuples::bigint AS rows FROM pg_class WHERE oid = 'held_by_vacuum'::regclass");
      expect(Number(rows[0]?.rows)).toBe(-1);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    await statistics.grown(3000);
    const { rows } = await handle.pool.query<{ rows: number }>("SELECT reltuples::bigint AS rows FROM pg_class WHERE oid = 'held_by_vacuum'::regclass");
    expect(Number(rows[0]?.rows)).toBe(3000);
  });
});
