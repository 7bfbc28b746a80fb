import type { Db } from '@cds/db';
import { sql } from 'drizzle-orm';
import { pgErrorCode } from '../../platform/db-errors.ts';

/**
 * Keeps the planner's idea of a table's size in step while an import grows it. The first list
 * of a city goes into an empty registry: until autovacuum next analyzes (a minute at best, then
 * only after another 10% of growth) the planner believes the residents table holds a handful of
 * rows, and plans each chunk's lookups as a scan of the whole table, so every chunk was slower
 * than the one before. Analyzing each time the table has doubled costs a few ANALYZEs per import
 * (about twenty up to 14 million rows, each reading a fixed-size sample).
 */
export class GrowthAnalyzer {
  private constructor(
    private readonly db: Db,
    private readonly tables: readonly string[],
    private readonly before: number,
    private known: number,
  ) {}

  /** `tables`: those the import adds rows to, the first the one that grows most. */
  static async start(db: Db, tables: readonly string[]): Promise<GrowthAnalyzer> {
    const [first] = tables;
    if (!first) return new GrowthAnalyzer(db, [], 0, 0);
    // reltuples is -1 for a table never analyzed.
    const { rows } = await db.execute<{ rows: number }>(sql`SELECT GREATEST(reltuples, 0)::bigint AS rows FROM pg_class WHERE oid = to_regclass(${first})`);
    const before = Number(rows[0]?.rows ?? 0);
    return new GrowthAnalyzer(db, tables, before, before);
  }

  /**
   * Called between chunks with the records written so far in this run: analyzes the tables once
   * they hold twice what the planner last saw. Outside any chunk's transaction, so the lock
   * ANALYZE takes (it lets reads and writes through) is held only while it samples. If a VACUUM
   * holds the table (a long anti-wraparound one is never cancelled for us), the import does not
   * wait for it: it tries again after the next chunk. A role that does not own the tables only
   * gets a warning and no statistics.
   */
  async grown(written: number): Promise<void> {
    if (this.tables.length === 0) return;
    const now = this.before + written;
    if (now < Math.max(2 * this.known, MIN_ROWS)) return;
    try {
      await this.db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL lock_timeout = '2s'`);
        await tx.execute(sql.raw(`ANALYZE ${this.tables.map((t) => `"${t}"`).join(', ')}`));
      });
      this.known = now;
    } catch (error) {
      if (pgErrorCode(error) !== LOCK_NOT_AVAILABLE) throw error;
    }
  }
}

const LOCK_NOT_AVAILABLE = '55P03';

/** Below this the planner's guess does not matter. */
const MIN_ROWS = 2000;
