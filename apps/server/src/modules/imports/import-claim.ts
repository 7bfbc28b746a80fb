import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '@cds/db';
import { sql } from 'drizzle-orm';

// Which process runs an import batch. Imports run inside the server (and `cds import`) process,
// and every server takes up "running" batches at start and on a timer; with several servers on
// one database each would otherwise resume the same batch and apply its chunks twice.
//
// A claim column rather than a job queue (pg-boss): the batch row already is the job's state
// (last_record, counts, status), committed with each chunk; a queue would add a second copy of
// that state, its own schema and polling, for the one thing needed here: at most one runner per
// batch, and a dead runner's batch taken over. Two columns and one UPDATE do that on PGlite and
// PostgreSQL alike.

/** This process: "host/pid/random". The random part tells a restarted process from its predecessor with a reused pid. */
export const WORKER_ID = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;

/**
 * A claim whose heartbeat is older than this is abandoned. Heartbeats come with every chunk
 * (well under a second apart when the database is healthy) and every 30 s while a resumed import
 * skips the records already done, so minutes without one mean the process is gone or stuck.
 */
export const CLAIM_STALE_MINUTES = 5;

/**
 * Whether the claimant is a process on this host that no longer exists: its batch can be taken at
 * once, without waiting for the heartbeat to age (a server restarted after a crash, a `cds import`
 * run again after Ctrl-C). Only a claimant on this very host is judged; any other is alive until
 * its heartbeat says otherwise.
 */
function isDeadLocalWorker(worker: string | null): boolean {
  if (worker === null) return false;
  const [host, pidText] = worker.split('/');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else, so it is not our dead process.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Takes a running batch for `worker` if nobody alive holds it: unclaimed, already this worker's,
 * heartbeat older than CLAIM_STALE_MINUTES, or held by a dead process on this host. The row is
 * locked with SKIP LOCKED, so of two workers racing for it one gets it and the other gets nothing
 * (rather than waiting and then overwriting the winner's claim).
 */
export async function claimBatch(db: Db, batchId: number, worker: string = WORKER_ID): Promise<boolean> {
  const current = await db.execute<{ claimed_by: string | null }>(sql`SELECT claimed_by FROM import_batches WHERE id = ${batchId}`);
  const holder = current.rows[0]?.claimed_by ?? null;
  // Compare-and-swap on the dead holder's id: if another worker took it meanwhile, nothing happens.
  const deadHolder = isDeadLocalWorker(holder) ? holder : null;
  const claimed = await db.execute<{ id: number }>(sql`
    UPDATE import_batches SET claimed_by = ${worker}, heartbeat_at = now()
    WHERE id = (
      SELECT id FROM import_batches
      WHERE id = ${batchId} AND status = 'running'
        AND (claimed_by IS NULL OR claimed_by = ${worker} OR claimed_by = ${deadHolder}
             OR heartbeat_at < now() - make_interval(mins => ${CLAIM_STALE_MINUTES}))
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id`);
  return claimed.rows.length === 1;
}

/** Running batches nobody alive holds, oldest first: what a resume sweep may try to claim. */
export async function claimableBatchIds(db: Db, worker: string = WORKER_ID): Promise<number[]> {
  const open = await db.execute<{ id: number; claimed_by: string | null; stale: boolean }>(sql`
    SELECT id, claimed_by, heartbeat_at < now() - make_interval(mins => ${CLAIM_STALE_MINUTES}) AS stale
    FROM import_batches WHERE status = 'running' ORDER BY id`);
  return open.rows.filter((b) => b.claimed_by === null || b.claimed_by === worker || b.stale || isDeadLocalWorker(b.claimed_by)).map((b) => Number(b.id));
}

/**
 * Renews the claim. False when the claim was lost (another worker judged this one dead and took
 * the batch): the caller must stop before applying anything more.
 */
export async function heartbeat(db: Db, batchId: number, worker: string = WORKER_ID): Promise<boolean> {
  const renewed = await db.execute<{ id: number }>(sql`
    UPDATE import_batches SET heartbeat_at = now() WHERE id = ${batchId} AND claimed_by = ${worker} RETURNING id`);
  return renewed.rows.length === 1;
}
