import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// pglite-socket (0.2.x) runs the messages of all connections through one queue, message by
// message, and keeps one connection to itself only while a transaction is open. But one PGlite
// is one PostgreSQL session: outside a transaction another connection's Parse can land between
// this connection's Parse and Bind and replace its unnamed statement, so a query gets another
// query's plan and answer (reproduced: 1,387 wrong answers in 1,800 concurrent reads). This
// replaces the queue's loop so that a connection also keeps the session from its first
// extended-protocol message until its Sync. It also fixes the loop stalling for good after an
// internal error (the original returned without clearing its `processing` flag).

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue: () => Promise<void>;
  clearQueueForHandler: (handlerId: number) => void;
}

const SYNC = 0x53; // 'S'
const SIMPLE_QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
// Parse, Bind, Describe, Execute, Close, Flush: an extended-protocol sequence is open until Sync.
const EXTENDED = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

export function serialiseSessions(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || typeof queue.processQueue !== 'function') {
    throw new Error('pglite-socket has changed: its query queue is not where this fix expects it');
  }
  let openSequence: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = this.db.isInTransaction() && this.lastHandlerId !== null ? this.lastHandlerId : openSequence;
        const index = owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === owner);
        // The session belongs to a connection that has sent nothing yet: wait for it.
        if (index === -1) break;
        const [item] = this.queue.splice(index, 1);
        if (!item) break;
        const type = item.message[0] ?? 0;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          if (openSequence === item.handlerId) openSequence = null;
          item.reject(error as Error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        if (type === SYNC || type === SIMPLE_QUERY || type === TERMINATE) {
          if (openSequence === item.handlerId) openSequence = null;
        } else if (EXTENDED.has(type)) {
          openSequence = item.handlerId;
        }
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    // A connection that went away mid-sequence must not keep the session.
    if (openSequence === handlerId) openSequence = null;
    clear(handlerId);
    void queue.processQueue();
  };
}
