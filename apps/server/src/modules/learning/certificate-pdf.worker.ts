/**
 * Worker thread entry: renders certificates (certificate-pdf.ts) asked for by the parent, one
 * message each, and answers with the PDF's bytes (transferred, not copied) or the error.
 */
import { parentPort } from 'node:worker_threads';
import { renderCertificatePdf, type CertificatePdfInput } from './certificate-pdf.ts';

export type PdfRequest = { id: number; input: CertificatePdfInput };
export type PdfAnswer = { id: number; pdf: Uint8Array } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('certificate-pdf.worker.ts runs only as a worker thread');

port.on('message', (request: PdfRequest) => {
  renderCertificatePdf(request.input).then(
    (pdf) => {
      const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      // A pooled Buffer shares its memory with others and cannot be handed over; a copy can.
      const own = pdf.byteOffset === 0 && pdf.buffer.byteLength === pdf.byteLength ? bytes : bytes.slice();
      port.postMessage({ id: request.id, pdf: own } satisfies PdfAnswer, [own.buffer as ArrayBuffer]);
    },
    (error: unknown) => port.postMessage({ id: request.id, error: (error as Error).message } satisfies PdfAnswer),
  );
});
