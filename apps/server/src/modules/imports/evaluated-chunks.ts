import { setImmediate } from 'node:timers/promises';
import type { EvaluatedRecord } from './apply-chunk.ts';
import type { TableRow } from './read-table.ts';
import { evaluateRow, type RowContext } from './row-evaluation.ts';

export interface ChunkPlan {
  /** Records up to this one were applied by an earlier run of the same file. */
  resumedAfter: number;
  chunkSize: number;
  /** Called now and then while records done before are skipped: a long skip must show it is alive. */
  onSkipping: () => Promise<void>;
}

/**
 * How long evaluating rows may hold the event loop; a row takes ~0.04 ms. The chunk being
 * written meanwhile needs this thread for a moment after each of its statements (to read the
 * answer and send the next). Read from a stream, the loop otherwise ran through a whole buffer
 * of rows (tens of milliseconds) between two looks at the connection, a dozen times a chunk: a
 * fifth of the import's time was the database waiting for it.
 */
const YIELD_EVERY_MS = 0.25;

/** How many rows past its size a chunk may run to end between households (a list listing one huge "household" still gets chunks). */
const HOUSEHOLD_OVERRUN = 200;
const SKIPPING_SIGNAL_MS = 30_000;

function sameHousehold(a: EvaluatedRecord | undefined, b: EvaluatedRecord): boolean {
  if (a?.outcome.status !== 'usable' || b.outcome.status !== 'usable') return false;
  const [p, q] = [a.outcome.person, b.outcome.person];
  return p.householdCode !== null && p.householdCode === q.householdCode && p.unitCode === q.unitCode;
}

/**
 * A table's records after `resumedAfter`, each read into its outcome (pure: nothing here looks
 * at the registry), in the chunks that are applied one transaction each.
 * A full chunk ends between two households where it can: a household written by two chunks
 * costs the second one a lock and a read-back of the first one's rows for the figures.
 * The caller writes one chunk while the next is evaluated here.
 */
export async function* evaluatedChunks(rows: AsyncIterable<TableRow>, context: RowContext, plan: ChunkPlan): AsyncGenerator<EvaluatedRecord[]> {
  let chunk: EvaluatedRecord[] = [];
  let signalledAt = Date.now();
  let yieldedAt = performance.now();
  for await (const row of rows) {
    if (row.record <= plan.resumedAfter) {
      // Skipping a million done rows of a resumed file takes a while.
      if (row.record % 1000 === 0 && Date.now() - signalledAt > SKIPPING_SIGNAL_MS) {
        signalledAt = Date.now();
        await plan.onSkipping();
      }
      continue;
    }
    const evaluated: EvaluatedRecord = { record: row.record, cells: row.cells, outcome: evaluateRow(row.cells, context) };
    if (performance.now() - yieldedAt > YIELD_EVERY_MS) {
      await setImmediate();
      yieldedAt = performance.now();
    }
    if (chunk.length >= plan.chunkSize && !(chunk.length < plan.chunkSize + HOUSEHOLD_OVERRUN && sameHousehold(chunk.at(-1), evaluated))) {
      yield chunk;
      chunk = [];
    }
    chunk.push(evaluated);
  }
  if (chunk.length > 0) yield chunk;
}
