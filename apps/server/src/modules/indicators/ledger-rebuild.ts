import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Contribution } from '@cds/domain';
import { schema, type Db } from '@cds/db';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { LedgerSums, type LedgerRow } from './ledger-sums.ts';
import { loadContributions, type Queryable } from './subject-inputs.ts';

export interface RebuildProgress {
  households: number;
  organisations: number;
}

/**
 * A REPEATABLE READ transaction on a connection of its own: COPY needs the connection itself,
 * which drizzle's transactions keep private. drizzle keeps the pool it was made with as $client,
 * which the Db type leaves out because transactions are passed as Db too.
 */
export async function inSnapshot<T>(db: Db, work: (tx: Queryable, client: pg.PoolClient) => Promise<T>): Promise<T> {
  const pool = (db as Db & { $client?: pg.Pool }).$client;
  if (typeof pool?.connect !== 'function') throw new Error('inSnapshot: needs the database itself, not a transaction');
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const result = await work(drizzle(client, { schema }), client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * pageSize: subjects read per round trip. maxOpenRows: distinct rows held for one unit (or arrived
 * late) before they are written early, well below a Map's own limit of 2^24. Tests lower both to
 * take the paths a city's volume takes.
 */
export const rebuildLimits = { pageSize: 2_000, maxOpenRows: 4_000_000 };

interface Page {
  last: [string, number];
  units: string[];
  households: number;
  contributions: [string, Contribution[]][];
}

/** The next households in (unit, id) order, with what they contribute: a unit's households arrive together. */
async function loadPage(db: Queryable, table: 'households' | 'organisations', after: [string, number]): Promise<Page | null> {
  const { rows } = await db.execute<{ province_code: string; id: number; unit_code: string }>(sql`
    SELECT province_code, id, unit_code FROM ${sql.raw(table)}
    WHERE (unit_code, id) > (${after[0]}, ${after[1]}::bigint)
    ORDER BY unit_code, id LIMIT ${rebuildLimits.pageSize}`);
  if (rows.length === 0) return null;
  const byProvince = new Map<string, number[]>();
  const units: string[] = [];
  for (const row of rows) {
    if (units[units.length - 1] !== row.unit_code) units.push(row.unit_code);
    const ids = byProvince.get(row.province_code);
    if (ids) ids.push(Number(row.id));
    else byProvince.set(row.province_code, [Number(row.id)]);
  }
  const contributions: [string, Contribution[]][] = [];
  for (const [province, ids] of byProvince) {
    contributions.push([province, table === 'households' ? await loadContributions(db, province, ids) : await loadContributions(db, province, [], ids)]);
  }
  const last = rows[rows.length - 1]!;
  return { last: [last.unit_code, Number(last.id)], units, households: rows.length, contributions };
}

/**
 * Writes ledger rows into a table. COPY on PostgreSQL (three times the rate of INSERT … unnest,
 * whose array parameters are escaped and parsed element by element); pglite-socket does not relay
 * COPY's sub-protocol (the connection loses sync), so on PGlite the rows go as unnest arrays.
 */
async function rowWriter(db: Queryable, client: pg.PoolClient): Promise<(table: string, rows: readonly LedgerRow[]) => Promise<void>> {
  const { rows } = await db.execute<{ version: string }>(sql`SELECT version() AS version`);
  const copies = !rows[0]?.version.includes('PGlite');
  return async (table, rows) => {
    if (rows.length === 0) return;
    if (copies) {
      await pipeline(Readable.from(copyText(rows)), client.query(copyFrom(`COPY ${table} (unit_code, neighbourhood_id, key, day, delta) FROM STDIN`)));
      return;
    }
    for (let i = 0; i < rows.length; i += 50_000) {
      const slice = rows.slice(i, i + 50_000);
      await db.execute(sql`
        INSERT INTO ${sql.raw(table)} (unit_code, neighbourhood_id, key, day, delta)
        SELECT * FROM unnest(${sql.param(slice.map((r) => r.unitCode))}::text[], ${sql.param(slice.map((r) => r.neighbourhoodId))}::bigint[],
          ${sql.param(slice.map((r) => r.key))}::text[], ${sql.param(slice.map((r) => r.day))}::date[], ${sql.param(slice.map((r) => r.delta))}::integer[])`);
    }
  };
}

// COPY's text format: a backslash, tab or line break inside a value must be escaped. Unit codes and
// ledger keys never hold one today; the check keeps a future key from splitting a row silently.
const escape = (text: string) => (/[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : text);

function* copyText(rows: readonly LedgerRow[]): Generator<string> {
  for (let i = 0; i < rows.length; i += 10_000) {
    let chunk = '';
    for (const r of rows.slice(i, i + 10_000)) chunk += `${escape(r.unitCode)}\t${r.neighbourhoodId}\t${escape(r.key)}\t${r.day}\t${r.delta}\n`;
    yield chunk;
  }
}

/**
 * Computes every subject's figures from the registry alone into indicator_ledger_rebuild (summed,
 * no zero rows), with the same rules the incremental path uses. Callers run it in one REPEATABLE
 * READ transaction, so the rebuilt ledger and the live one describe the same snapshot.
 *
 * Subjects are read unit by unit, so a unit's rows are final once its last household is done and
 * are written then, exactly once: no raw table summed by a GROUP BY over every row afterwards (at
 * 200,000 residents: 5.5 M ledger rows, and writing and grouping them took more than half of the
 * rebuild). Organisations come first and stay in memory until their unit's households are done.
 * The city's rows stay in memory to the end. Rows that reach a unit already written (one written
 * early because it grew too large to hold) are merged into it at the end.
 */
export async function computeLedgerFromScratch(db: Queryable, client: pg.PoolClient, onProgress?: (progress: RebuildProgress) => void): Promise<void> {
  await db.execute(sql`CREATE TEMP TABLE indicator_ledger_rebuild (LIKE indicator_ledger) ON COMMIT DROP`);
  await db.execute(sql`CREATE TEMP TABLE indicator_ledger_late (LIKE indicator_ledger) ON COMMIT DROP`);
  const write = await rowWriter(db, client);
  const sums = new LedgerSums();
  const progress: RebuildProgress = { households: 0, organisations: 0 };
  // Lists, not one array: a unit's rows run to hundreds of thousands, past what push(...rows) can spread.
  let unwritten: LedgerRow[][] = [];
  let lateRows = 0;
  for (const table of ['organisations', 'households'] as const) {
    // One page ahead: the database reads the next page while this process works on the current one.
    let next = loadPage(db, table, ['', 0]);
    for (;;) {
      const page = await next;
      // Nothing else is in flight on the connection while rows are copied.
      for (const rows of unwritten) await write('indicator_ledger_rebuild', rows);
      unwritten = [];
      if (!page) break;
      next = loadPage(db, table, page.last);
      for (const [province, contributions] of page.contributions) sums.add(contributions, province);
      if (table === 'households') {
        // Every unit before the page's last one is done; so is any unit grown too large to hold.
        for (const unit of page.units.slice(0, -1)) unwritten.push(sums.close(unit));
        const current = page.units[page.units.length - 1]!;
        if (sums.sizeOf(current) > rebuildLimits.maxOpenRows) unwritten.push(sums.close(current));
        if (sums.lateSize() > rebuildLimits.maxOpenRows) {
          lateRows += sums.lateSize();
          await write('indicator_ledger_late', sums.takeLate());
        }
      }
      progress[table] += page.households;
      onProgress?.({ ...progress });
    }
  }
  for (const rows of sums.closeAll()) await write('indicator_ledger_rebuild', rows);
  lateRows += sums.lateSize();
  await write('indicator_ledger_late', sums.takeLate());
  if (lateRows === 0) return;
  // Late rows are added to the rows of their day, or become rows of their own; sums that reach zero go.
  await db.execute(sql`
    WITH late AS (
      SELECT unit_code, neighbourhood_id, key, day, sum(delta)::integer AS delta FROM indicator_ledger_late GROUP BY 1, 2, 3, 4),
    updated AS (
      UPDATE indicator_ledger_rebuild r SET delta = r.delta + late.delta FROM late
      WHERE (r.key, r.unit_code, r.neighbourhood_id, r.day) = (late.key, late.unit_code, late.neighbourhood_id, late.day)
      RETURNING r.key, r.unit_code, r.neighbourhood_id, r.day)
    INSERT INTO indicator_ledger_rebuild (unit_code, neighbourhood_id, key, day, delta)
    SELECT unit_code, neighbourhood_id, key, day, delta FROM late
    WHERE delta <> 0 AND NOT EXISTS (
      SELECT 1 FROM updated u WHERE (u.key, u.unit_code, u.neighbourhood_id, u.day) = (late.key, late.unit_code, late.neighbourhood_id, late.day))`);
  await db.execute(sql`DELETE FROM indicator_ledger_rebuild WHERE delta = 0`);
}

/**
 * Runs a bulk load into a table with its indexes dropped and built again afterwards, from their
 * own definitions in the catalogue: building an index from sorted rows is several times cheaper
 * than inserting millions of rows into it one by one (5.5 M ledger rows: 35 s against 87 s).
 */
export async function withIndexesRebuilt(db: Queryable, table: string, load: () => Promise<void>): Promise<void> {
  const { rows: indexes } = await db.execute<{ name: string; definition: string; constraint_name: string | null; constraint_definition: string | null }>(sql`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition,
           c.conname AS constraint_name, pg_get_constraintdef(c.oid) AS constraint_definition
    FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u')
    WHERE i.indrelid = ${table}::regclass ORDER BY c.conname NULLS LAST, 1`);
  for (const index of indexes) {
    if (index.constraint_name) await db.execute(sql.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${index.constraint_name}`));
    else await db.execute(sql.raw(`DROP INDEX ${index.name}`));
  }
  await load();
  for (const index of indexes) {
    if (index.constraint_name) await db.execute(sql.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${index.constraint_name} ${index.constraint_definition}`));
    else await db.execute(sql.raw(index.definition));
  }
}
