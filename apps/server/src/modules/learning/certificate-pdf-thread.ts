import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../../platform/typescript-worker.ts';
import type { CertificatePdfInput } from './certificate-pdf.ts';
import type { PdfAnswer, PdfRequest } from './certificate-pdf.worker.ts';

/**
 * Certificates rendered in a worker thread. Rendering one takes 60–70 ms of solid work (fontkit
 * subsetting the embedded fonts); on the server's own thread every other request waited for it.
 * One worker, started on first use and kept; it holds the process open only while it has
 * renders to answer. If it dies, the renders it held fail and the next one starts a new worker.
 */
let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, { resolve: (pdf: Buffer) => void; reject: (error: Error) => void }>();

function failAll(error: Error): void {
  for (const pending of waiting.values()) pending.reject(error);
  waiting.clear();
}

function renderer(): Worker {
  if (worker) return worker;
  const started = startTypeScriptWorker(new URL('./certificate-pdf.worker.ts', import.meta.url), { stdout: false, stderr: false });
  started.unref();
  started.on('message', (answer: PdfAnswer) => {
    const pending = waiting.get(answer.id);
    if (!pending) return;
    waiting.delete(answer.id);
    if (waiting.size === 0) started.unref();
    if ('error' in answer) pending.reject(new Error(answer.error));
    else pending.resolve(Buffer.from(answer.pdf.buffer, answer.pdf.byteOffset, answer.pdf.byteLength));
  });
  started.on('error', (error) => {
    if (worker === started) worker = null;
    failAll(error);
  });
  started.on('exit', (code) => {
    if (worker === started) worker = null;
    failAll(new Error(`the certificate renderer stopped (exit code ${code})`));
  });
  worker = started;
  return started;
}

/** renderCertificatePdf, off this thread: the same bytes for the same input. */
export function renderCertificatePdfInThread(input: CertificatePdfInput): Promise<Buffer> {
  const id = nextId++;
  const thread = renderer();
  return new Promise<Buffer>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    thread.ref();
    thread.postMessage({ id, input } satisfies PdfRequest);
  });
}

/** Ends the worker (tests, shutdown); the next render starts another. */
export async function stopCertificateRenderer(): Promise<void> {
  const current = worker;
  worker = null;
  if (current) await current.terminate();
}
