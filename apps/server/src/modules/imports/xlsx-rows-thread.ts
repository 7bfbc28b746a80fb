import { startTypeScriptWorker } from '../../platform/typescript-worker.ts';
import type { XlsxWorkerMessage } from './xlsx-rows.worker.ts';
import type { XlsxRowsRequest, XlsxSheetFound } from './xlsx-rows.ts';

/**
 * The worker's own heap cap. The streaming XML parser makes garbage far faster than it keeps
 * anything (the shared strings are on disk); with a small cap V8 collects it early instead of
 * growing the heap towards the process-wide default, which is what pushed a 200,000-row
 * workbook's import past 500 MB of resident memory.
 */
const WORKER_OLD_SPACE_MB = 96;
const WORKER_YOUNG_SPACE_MB = 16;

const entry = new URL('./xlsx-rows.worker.ts', import.meta.url);

export class XlsxThreadError extends Error {
  constructor(
    message: string,
    /** True when the file itself could not be read (broken zip, out of memory), false for "no such sheet". */
    readonly unreadable: boolean,
  ) {
    super(message);
  }
}

/**
 * The rows of one sheet, read in a worker thread. Stopping early (returning from the loop)
 * ends the worker; so does an error, which is thrown here as an XlsxThreadError.
 */
export async function* xlsxRowsInThread(request: XlsxRowsRequest, found: XlsxSheetFound): AsyncGenerator<string[]> {
  const worker = startTypeScriptWorker(entry, {
    workerData: request,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_SPACE_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_SPACE_MB },
    stdout: false,
    stderr: false,
  });
  const inbox: (XlsxWorkerMessage | { kind: 'crash'; error: Error })[] = [];
  let wake: (() => void) | null = null;
  const deliver = (message: XlsxWorkerMessage | { kind: 'crash'; error: Error }) => {
    inbox.push(message);
    wake?.();
    wake = null;
  };
  worker.on('message', (message: XlsxWorkerMessage) => deliver(message));
  worker.on('error', (error) => deliver({ kind: 'crash', error }));
  worker.on('exit', (code) => {
    if (code !== 0) deliver({ kind: 'crash', error: new Error(`the reader stopped (exit code ${code})`) });
  });
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift()!;
      if (message.kind === 'crash') {
        const outOfMemory = (message.error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        throw new XlsxThreadError(outOfMemory ? 'the workbook needs more memory than the reader may use' : message.error.message, true);
      }
      if (message.kind === 'error') throw new XlsxThreadError(message.message, message.unreadable);
      Object.assign(found, message.found);
      if (message.kind === 'end') return;
      worker.postMessage('more');
      yield* message.rows;
    }
  } finally {
    await worker.terminate();
  }
}
