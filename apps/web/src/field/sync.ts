import type { SyncItemResult } from '@cds/contract';
import { fetchBundle, FieldApiError, refreshCsrf, sendVisits } from './api';
import { db, isHandoverRow, itemOf, type FieldDb, type OutboxRow, type SessionInfo, type SyncBlock, type SyncState } from './db';

export const BATCH_SIZE = 50;
/**
 * The server takes 4 MB a request; a handover's photo and signature can be ~800 KB of text, so
 * batches are also cut by size (JSON characters, a little under the limit for the envelope).
 */
export const BATCH_MAX_CHARS = 3_500_000;

/** The waiting rows in order, cut into batches of at most `maxItems` and `maxChars`; an item bigger than `maxChars` goes alone. */
export function batchesOf<T>(rows: readonly T[], size: (row: T) => number, maxItems = BATCH_SIZE, maxChars = BATCH_MAX_CHARS): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const row of rows) {
    const n = size(row);
    if (current.length > 0 && (current.length >= maxItems || chars + n > maxChars)) {
      batches.push(current);
      current = [];
      chars = 0;
    }
    current.push(row);
    chars += n;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
const BACKOFF_START_MS = 15_000;
const BACKOFF_MAX_MS = 10 * 60_000;

/** 15 s, 30 s, 1 min … up to 10 min: a dead network is not hammered, a flaky one is retried soon. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** Math.max(0, attempts - 1));
}

export interface SyncReport {
  sent: number;
  refused: number;
  waiting: number;
  error: string | null;
  block: SyncBlock;
}

const BLOCKS: Record<string, SyncBlock> = {
  UNAUTHENTICATED: 'signin',
  DEVICE_REQUIRED: 'signin',
  DEVICE_REVOKED: 'revoked',
  APP_OUTDATED: 'outdated',
};

let running: Promise<SyncReport> | null = null;

/**
 * Sends waiting visits in batches and records each answer. `force` (the "Gửi ngay" button) ignores
 * the backoff. Nothing here deletes a visit: a network error leaves it waiting, a refusal keeps it
 * with the server's reason. One sync at a time; a second call joins the one running.
 */
export function syncNow(options: { force?: boolean; store?: FieldDb; now?: () => number } = {}): Promise<SyncReport> {
  if (!running) {
    running = runSync(options.store ?? db, options.force ?? false, options.now ?? Date.now).finally(() => {
      running = null;
    });
  }
  return running;
}

async function runSync(store: FieldDb, force: boolean, now: () => number): Promise<SyncReport> {
  const report: SyncReport = { sent: 0, refused: 0, waiting: 0, error: null, block: null };
  const session = await store.getMeta<SessionInfo>('session');
  const state: SyncState = (await store.getMeta<SyncState>('sync')) ?? { lastSyncAt: null, lastError: null, block: null };
  if (!session) {
    report.block = 'signin';
  } else {
    const due = (await store.waiting()).filter((row) => force || row.nextAttemptAt <= now());
    let reachedServer = false;
    try {
      if (due.length > 0 || force) await refreshCsrf();
      const batches = batchesOf(due, (row) => JSON.stringify(itemOf(row)).length);
      for (const [i, batch] of batches.entries()) {
        let results: SyncItemResult[];
        try {
          results = (await sendVisits(session.deviceToken, batch.map(itemOf))).results;
        } catch (error) {
          await postpone(store, batches.slice(i).flat(), error instanceof Error ? error.message : String(error), now());
          throw error;
        }
        reachedServer = true;
        const outcome = await applyResults(store, batch, results, now());
        report.sent += outcome.sent;
        report.refused += outcome.refused;
        report.block = report.block ?? outcome.block;
        if (outcome.block) break;
      }
      if ((reachedServer || force) && !report.block) {
        await store.storeBundle(await fetchBundle(session.deviceToken));
        reachedServer = true;
      }
    } catch (error) {
      if (error instanceof FieldApiError && BLOCKS[error.code]) report.block = BLOCKS[error.code] ?? null;
      else if (error instanceof FieldApiError && error.status === 401) report.block = 'signin';
      report.error = error instanceof Error ? error.message : String(error);
    }
    if (reachedServer) state.lastSyncAt = new Date(now()).toISOString();
  }
  report.waiting = await store.outbox.where('status').equals('waiting').count();
  await store.setMeta('sync', { lastSyncAt: state.lastSyncAt, lastError: report.error, block: report.block } satisfies SyncState);
  return report;
}

async function postpone(store: FieldDb, rows: OutboxRow[], message: string, at: number): Promise<void> {
  await store.transaction('rw', store.outbox, async () => {
    for (const row of rows) {
      const attempts = row.attempts + 1;
      await store.outbox.update(row.clientVisitId, { attempts, nextAttemptAt: at + backoffMs(attempts), lastError: message });
    }
  });
}

async function applyResults(store: FieldDb, batch: OutboxRow[], results: SyncItemResult[], at: number) {
  const byId = new Map(results.map((r) => [r.clientVisitId, r]));
  let sent = 0;
  let refused = 0;
  let block: SyncBlock = null;
  await store.transaction('rw', store.outbox, async () => {
    for (const row of batch) {
      const result = byId.get(row.clientVisitId);
      const attempts = row.attempts + 1;
      if (!result) {
        // The server answered for the others but not this one: try it again later, as after a network error.
        await store.outbox.update(row.clientVisitId, { attempts, nextAttemptAt: at + backoffMs(attempts), lastError: 'Máy chủ chưa trả lời cho phiếu này' });
      } else if (result.outcome === 'stored' || result.outcome === 'duplicate') {
        sent++;
        await store.outbox.update(row.clientVisitId, {
          status: 'sent',
          attempts,
          sentAt: new Date(at).toISOString(),
          lastError: null,
          serverVisitId: result.visitId,
          serverHouseholdId: result.householdId,
          // The server keeps the photo and signature; the phone keeps the record without them, since
          // the outbox is read whole on every change and a day's handovers would be megabytes.
          ...(isHandoverRow(row) ? { handover: { ...row.handover, photo: undefined, signaturePng: undefined } } : {}),
        });
      } else if (result.reasonCode === 'APP_OUTDATED') {
        // Kept waiting: the server holds a copy for review and accepts this visit again once the app is updated.
        block = 'outdated';
        await store.outbox.update(row.clientVisitId, { attempts, lastError: result.reason ?? 'Ứng dụng đã cũ; hãy cập nhật' });
      } else {
        refused++;
        if (result.reasonCode === 'DEVICE_REVOKED') block = 'revoked';
        await store.outbox.update(row.clientVisitId, {
          status: 'refused',
          attempts,
          reasonCode: result.reasonCode,
          reason: result.reason ?? 'Máy chủ không nhận phiếu này',
          lastError: null,
        });
      }
    }
  });
  return { sent, refused, block };
}
