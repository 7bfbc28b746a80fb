/**
 * Worker thread entry: reads one sheet (xlsx-rows.ts) and posts its rows to the parent in
 * batches, at most two batches ahead of what the parent has taken (each taken batch returns one
 * credit), so a slow import never lets rows pile up in memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readXlsxRows, XlsxReadError, type XlsxRowsRequest, type XlsxSheetFound } from './xlsx-rows.ts';

export type XlsxWorkerMessage =
  | { kind: 'rows'; rows: string[][]; found: XlsxSheetFound }
  | { kind: 'end'; found: XlsxSheetFound }
  | { kind: 'error'; message: string; unreadable: boolean };

const BATCH_ROWS = 256;
const BATCHES_AHEAD = 2;

const port = parentPort;
if (!port) throw new Error('xlsx-rows.worker.ts runs only as a worker thread');

let credits = BATCHES_AHEAD;
let wake: (() => void) | null = null;
port.on('message', () => {
  credits++;
  wake?.();
  wake = null;
});

async function send(message: XlsxWorkerMessage): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  port!.postMessage(message);
}

const found: XlsxSheetFound = { sheetName: null, lastRow: null };
try {
  let batch: string[][] = [];
  for await (const cells of readXlsxRows(workerData as XlsxRowsRequest, found)) {
    batch.push(cells);
    if (batch.length === BATCH_ROWS) {
      await send({ kind: 'rows', rows: batch, found });
      batch = [];
    }
  }
  if (batch.length > 0) await send({ kind: 'rows', rows: batch, found });
  port.postMessage({ kind: 'end', found } satisfies XlsxWorkerMessage);
} catch (error) {
  port.postMessage({ kind: 'error', message: (error as Error).message, unreadable: !(error instanceof XlsxReadError) } satisfies XlsxWorkerMessage);
}
port.close();
