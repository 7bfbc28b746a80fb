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
});
