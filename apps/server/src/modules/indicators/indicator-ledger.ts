import { ledgerDeltas, parseLedgerDeltas, type HouseholdInput, type LedgerDelta } from '@cds/domain';
import type { Db } from '@cds/db';
import { sql } from 'drizzle-orm';
import { computeLedgerFromScratch, inSnapshot, withIndexesRebuilt, type RebuildProgress } from './ledger-rebuild.ts';
import { householdWithMembersContributions, householdsOfResidents, loadContributions, type Queryable } from './subject-inputs.ts';

/**
 * Keeps the figures in step with the registry. A change to households, residents, facts or
 * organisations is wrapped like this, inside the change's own transaction:
 *
 *   const change = await IndicatorChange.begin(tx, { provinceCode, residentIds, householdIds });
 *   …write…
 *   await change.commit(tx, { householdIds: created });
 *
 * begin() computes what the touched subjects add to the figures before the write, commit()
 * after it, and the difference is appended to indicator_pending. Readers add pending rows, so a
 * figure read after the transaction commits already includes the change; foldPendingDeltas()
 * moves them into the ledger and totals in the background.
 */
export interface TouchedSubjects {
  provinceCode: string;
  /** Residents whose facts or attributes change; their households (and every member) are recomputed. */
  residentIds?: readonly number[];
  /** Households the change touches, including one a resident moves into. */
  householdIds?: readonly number[];
  organisationIds?: readonly number[];
}

export class IndicatorChange {
  private constructor(
    private readonly provinceCode: string,
    private readonly residentIds: readonly number[],
    private readonly householdIds: ReadonlySet<number>,
    private readonly organisationIds: readonly number[],
    before: Map<string, number>,
  ) {
    this.change = new Map([...before].map(([id, delta]) => [id, -delta]));
  }

  /** What the subjects add now minus what they added before: begin() gives the second part. */
  private readonly change: Map<string, number>;
  /** Households counted by countCreated(), not read back. */
  private readonly createdIds = new Set<number>();

  static async begin(db: Queryable, touched: TouchedSubjects): Promise<IndicatorChange> {
    const residentIds = touched.residentIds ?? [];
    const householdIds = new Set([...(touched.householdIds ?? []), ...(await householdsOfResidents(db, touched.provinceCode, residentIds))]);
    const organisationIds = touched.organisationIds ?? [];
    await lockSubjects(db, touched.provinceCode, [...householdIds], organisationIds);
    const before = await contributionDeltas(db, touched.provinceCode, [...householdIds], organisationIds, new Map());
    return new IndicatorChange(touched.provinceCode, residentIds, householdIds, organisationIds, before);
  }

  /**
   * Counts households created in the transaction from what was written (their rows, members and
   * those members' facts, exactly as the INSERTs state them) instead of reading them back at
   * commit(). Synchronous, so a caller can count while its INSERT is still running. Only a
   * household nothing else in the transaction touches may be given here.
   */
  countCreated(households: readonly HouseholdInput[]): void {
    for (let i = 0; i < households.length; i += SLICE) {
      ledgerDeltas(households.slice(i, i + SLICE).flatMap(householdWithMembersContributions), this.provinceCode, 1, this.change);
    }
    for (const household of households) this.createdIds.add(household.id);
  }

  /** `created`: subjects that did not exist at begin(); they had no figures before. */
  async commit(db: Queryable, created: { householdIds?: readonly number[]; organisationIds?: readonly number[] } = {}): Promise<void> {
    const now = await householdsOfResidents(db, this.provinceCode, this.residentIds);
    const householdIds = new Set([...this.householdIds, ...(created.householdIds ?? []), ...this.createdIds]);
    for (const id of now) {
      // A household left out of begin() would be counted from scratch here and doubled in the ledger.
      if (!householdIds.has(id)) throw new Error(`IndicatorChange: household ${id} was not declared at begin()`);
    }
    const read = [...householdIds].filter((id) => !this.createdIds.has(id));
    await contributionDeltas(db, this.provinceCode, read, [...this.organisationIds, ...(created.organisationIds ?? [])], this.change);
    await appendPendingDeltas(db, parseLedgerDeltas(this.change));
  }
}

const SLICE = 2_000;

/**
 * One writer at a time per household (and organisation) from begin() to the end of its
 * transaction. Without it, two writers to one household (two volunteers' visits, a visit and an
 * import) both read "before" without the other's change, and the one committing second counts
 * the first one's change again in its "after". Locked in id order, so writers never deadlock;
 * NO KEY UPDATE, because inserting a row that references the household (a visit, a resident)
 * holds KEY SHARE on it, which a plain FOR UPDATE would wait on from two sides at once.
 */
async function lockSubjects(db: Queryable, provinceCode: string, householdIds: readonly number[], organisationIds: readonly number[]): Promise<void> {
  const ordered = (ids: readonly number[]) => sql.param([...ids].sort((a, b) => a - b));
  if (householdIds.length > 0) {
    await db.execute(sql`SELECT 1 FROM households WHERE province_code = ${provinceCode} AND id = ANY(${ordered(householdIds)}::bigint[]) ORDER BY id FOR NO KEY UPDATE`);
  }
  if (organisationIds.length > 0) {
    await db.execute(sql`SELECT 1 FROM organisations WHERE province_code = ${provinceCode} AND id = ANY(${ordered(organisationIds)}::bigint[]) ORDER BY id FOR NO KEY UPDATE`);
  }
}

/**
 * Ledger deltas of many subjects, loaded a slice at a time: a rollback of a city's list touches
 * hundreds of thousands of households, and only the summed deltas (bounded by areas × keys ×
 * days, not by people) are kept.
 */
async function contributionDeltas(db: Queryable, provinceCode: string, householdIds: readonly number[], organisationIds: readonly number[], into: Map<string, number>): Promise<Map<string, number>> {
  for (let i = 0; i < householdIds.length; i += SLICE) {
    ledgerDeltas(await loadContributions(db, provinceCode, householdIds.slice(i, i + SLICE)), provinceCode, 1, into);
  }
  for (let i = 0; i < organisationIds.length; i += SLICE) {
    ledgerDeltas(await loadContributions(db, provinceCode, [], organisationIds.slice(i, i + SLICE)), provinceCode, 1, into);
  }
  return into;
}

const columns = (deltas: readonly LedgerDelta[]) => ({
  units: sql.param(deltas.map((d) => d.unitCode)),
  neighbourhoods: sql.param(deltas.map((d) => d.neighbourhoodId)),
  keys: sql.param(deltas.map((d) => d.key)),
  days: sql.param(deltas.map((d) => d.day)),
  values: sql.param(deltas.map((d) => d.delta)),
});

/** A writer's share: plain inserts, so concurrent writers never wait on each other's rows. */
export async function appendPendingDeltas(db: Queryable, deltas: LedgerDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const c = columns(deltas);
  await db.execute(sql`
    INSERT INTO indicator_pending (unit_code, neighbourhood_id, key, day, delta)
    SELECT * FROM unnest(${c.units}::text[], ${c.neighbourhoods}::bigint[], ${c.keys}::text[], ${c.days}::date[], ${c.values}::integer[])`);
}

/**
 * Moves the pending changes into the ledger, and those for days already summed into the totals.
 * One statement: the rows it deletes are exactly the rows it adds, whatever writers append
 * meanwhile. The state row's lock keeps a roll-forward from summing the same days at once.
 */
async function foldWithin(tx: Queryable): Promise<number> {
  const { rows } = await tx.execute<{ folded: number }>(sql`
    WITH state AS (SELECT totals_as_of FROM indicator_totals_state FOR UPDATE),
    moved AS (DELETE FROM indicator_pending RETURNING unit_code, neighbourhood_id, key, day, delta),
    summed AS (SELECT unit_code, neighbourhood_id, key, day, sum(delta)::integer AS delta FROM moved GROUP BY 1, 2, 3, 4),
    ledger AS (
      INSERT INTO indicator_ledger (unit_code, neighbourhood_id, key, day, delta)
      SELECT unit_code, neighbourhood_id, key, day, delta FROM summed WHERE delta <> 0 ORDER BY key, unit_code, neighbourhood_id, day
      ON CONFLICT (key, unit_code, neighbourhood_id, day) DO UPDATE SET delta = indicator_ledger.delta + EXCLUDED.delta
      RETURNING 1),
    totals AS (
      INSERT INTO indicator_totals (unit_code, neighbourhood_id, key, value)
      SELECT unit_code, neighbourhood_id, key, sum(delta) FROM summed, state WHERE day <= state.totals_as_of
      GROUP BY unit_code, neighbourhood_id, key HAVING sum(delta) <> 0 ORDER BY key, unit_code, neighbourhood_id
      ON CONFLICT (key, unit_code, neighbourhood_id) DO UPDATE SET value = indicator_totals.value + EXCLUDED.value
      RETURNING 1)
    SELECT (SELECT count(*) FROM moved)::int AS folded, (SELECT count(*) FROM ledger) + (SELECT count(*) FROM totals) AS written`);
  return rows[0]?.folded ?? 0;
}

/** Folds pending changes now; returns how many rows it moved. One folder at a time across servers. */
export async function foldPendingDeltas(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.execute<{ locked: boolean }>(sql`SELECT pg_try_advisory_xact_lock(790002) AS locked`);
    if (!rows[0]?.locked) return 0;
    return foldWithin(tx);
  });
}

/** Folds every second while the server runs; the figures do not wait for it, only read costs do. */
export function scheduleIndicatorFolding(db: Db, log: (message: string) => void = () => {}, everyMs = 1000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    foldPendingDeltas(db)
      .catch((error: unknown) => log(`Gộp sổ chỉ tiêu lỗi: ${(error as Error).message}`))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Brings the totals up to `today`: ages move figures without any write (a resident turns 18 on
 * their birthday), and those changes sit in the ledger under future days until then.
 */
export async function rollTotalsForward(db: Db, today: string): Promise<void> {
  await db.transaction(async (tx) => {
    await foldWithin(tx);
    const { rows } = await tx.execute<{ totals_as_of: string }>(sql`SELECT totals_as_of::text FROM indicator_totals_state`);
    const asOf = rows[0]?.totals_as_of;
    if (!asOf || asOf >= today) return;
    await tx.execute(sql`
      INSERT INTO indicator_totals (unit_code, neighbourhood_id, key, value)
      SELECT unit_code, neighbourhood_id, key, sum(delta) FROM indicator_ledger
      WHERE day > ${asOf}::date AND day <= ${today}::date
      GROUP BY unit_code, neighbourhood_id, key
      ON CONFLICT (key, unit_code, neighbourhood_id) DO UPDATE SET value = indicator_totals.value + EXCLUDED.value`);
    await tx.execute(sql`UPDATE indicator_totals_state SET totals_as_of = ${today}::date`);
  });
}

export type { RebuildProgress } from './ledger-rebuild.ts';

export interface LedgerDifference {
  unitCode: string;
  neighbourhoodId: number;
  key: string;
  day: string;
  ledger: number;
  recomputed: number;
}

/** Recomputes every figure from the facts and lists where the kept ledger disagrees (empty: they agree). */
export async function verifyLedger(db: Db, onProgress?: (progress: RebuildProgress) => void): Promise<LedgerDifference[]> {
  await foldPendingDeltas(db);
  return inSnapshot(db, async (tx, client) => {
    await computeLedgerFromScratch(tx, client, onProgress);
    const { rows } = await tx.execute<{ unit_code: string; neighbourhood_id: number; key: string; day: string; ledger: number; recomputed: number }>(sql`
      SELECT coalesce(l.unit_code, r.unit_code) AS unit_code, coalesce(l.neighbourhood_id, r.neighbourhood_id) AS neighbourhood_id,
             coalesce(l.key, r.key) AS key, coalesce(l.day, r.day)::text AS day,
             coalesce(l.delta, 0) AS ledger, coalesce(r.delta, 0) AS recomputed
      FROM (SELECT key, unit_code, neighbourhood_id, day, sum(delta) AS delta
            FROM (SELECT key, unit_code, neighbourhood_id, day, delta FROM indicator_ledger
                  UNION ALL SELECT key, unit_code, neighbourhood_id, day, delta FROM indicator_pending) both_
            GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0) l
      FULL JOIN (SELECT * FROM indicator_ledger_rebuild WHERE delta <> 0) r USING (key, unit_code, neighbourhood_id, day)
      WHERE coalesce(l.delta, 0) <> coalesce(r.delta, 0)
      ORDER BY 3, 1, 2, 4 LIMIT 1000`);
    const totals = await tx.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM indicator_totals t
      FULL JOIN (SELECT key, unit_code, neighbourhood_id, sum(delta) AS value FROM indicator_ledger
                 WHERE day <= (SELECT totals_as_of FROM indicator_totals_state) GROUP BY 1, 2, 3) s USING (key, unit_code, neighbourhood_id)
      WHERE coalesce(t.value, 0) <> coalesce(s.value, 0)`);
    const differences = rows.map((r) => ({ unitCode: r.unit_code, neighbourhoodId: Number(r.neighbourhood_id), key: r.key, day: r.day, ledger: Number(r.ledger), recomputed: Number(r.recomputed) }));
    // Totals that disagree with their own ledger are reported as one line per figure.
    if ((totals.rows[0]?.n ?? 0) > 0) differences.push({ unitCode: '*', neighbourhoodId: 0, key: 'indicator_totals', day: '*', ledger: totals.rows[0]!.n, recomputed: 0 });
    return differences;
  });
}

/** Replaces the ledger and totals with a recomputation: after a bulk load that bypassed the services (seeding). */
export async function rebuildLedger(db: Db, today: string, onProgress?: (progress: RebuildProgress) => void): Promise<void> {
  await inSnapshot(db, async (tx, client) => {
    // Writers wait while the ledger is replaced rather than add to a ledger about to vanish.
    await tx.execute(sql`LOCK TABLE indicator_ledger, indicator_totals, indicator_totals_state, indicator_pending IN EXCLUSIVE MODE`);
    await computeLedgerFromScratch(tx, client, onProgress);
    // Readers wait from here to the commit, not during the computation above.
    await tx.execute(sql`TRUNCATE indicator_ledger, indicator_totals, indicator_pending`);
    // Room to sort the index builds and hash the totals in memory (the defaults spill to disk).
    await tx.execute(sql`SET LOCAL maintenance_work_mem = '256MB'`);
    await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
    await withIndexesRebuilt(tx, 'indicator_ledger', async () => {
      await tx.execute(sql`INSERT INTO indicator_ledger SELECT * FROM indicator_ledger_rebuild`);
    });
    await tx.execute(sql`
      INSERT INTO indicator_totals (unit_code, neighbourhood_id, key, value)
      SELECT unit_code, neighbourhood_id, key, sum(delta) FROM indicator_ledger WHERE day <= ${today}::date
      GROUP BY unit_code, neighbourhood_id, key`);
    await tx.execute(sql`UPDATE indicator_totals_state SET totals_as_of = ${today}::date`);
  });
}

/**
 * Two neighbourhoods merged: every household of one now belongs to the other, so its figures are
 * moved as pending changes (minus here, plus there) without recomputing anyone.
 */
export async function moveNeighbourhoodFigures(db: Queryable, unitCode: string, fromId: number, intoId: number): Promise<void> {
  await db.execute(sql`
    INSERT INTO indicator_pending (unit_code, neighbourhood_id, key, day, delta)
    SELECT unit_code, target, key, day, sign * delta
    FROM (SELECT unit_code, key, day, delta FROM indicator_ledger WHERE unit_code = ${unitCode} AND neighbourhood_id = ${fromId}
          UNION ALL SELECT unit_code, key, day, delta FROM indicator_pending WHERE unit_code = ${unitCode} AND neighbourhood_id = ${fromId}) moving,
         (VALUES (${fromId}::bigint, -1), (${intoId}::bigint, 1)) AS side(target, sign)`);
}
