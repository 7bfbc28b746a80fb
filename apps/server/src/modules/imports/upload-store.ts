import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../platform/errors.ts';

// Uploaded files wait here between the preview and the end of their import, so an import
// interrupted by a restart can be resumed. They are personal data: deleted once imported.
// They are written and read as streams: a city's residence list can be hundreds of megabytes,
// and the server must stay within its memory whatever the file size.

/** Office lists run to tens of megabytes; a city's residence list in one XLSX is the largest. */
export const UPLOAD_LIMIT = 200 * 1024 * 1024;

const ID = /^[A-Za-z0-9_-]{20,40}$/;

const pathOf = (dataDir: string, id: string) => {
  if (!ID.test(id)) throw new AppError('VALIDATION_FAILED', [{ path: 'body.fileId', message: 'Mã tệp không hợp lệ' }]);
  return join(dataDir, 'uploads', id);
};

export interface StoredUpload {
  id: string;
  path: string;
  size: number;
}

class UploadTooLarge extends Error {}

/**
 * Writes the body to DATA_DIR/uploads chunk by chunk, refusing it once it passes `limit` bytes
 * (the request is a raw stream, so Fastify's own body limit does not apply). The file appears
 * under its id only when complete.
 */
export async function storeUpload(dataDir: string, body: Readable | Uint8Array, fileName: string, limit = UPLOAD_LIMIT): Promise<StoredUpload> {
  await mkdir(join(dataDir, 'uploads'), { recursive: true, mode: 0o700 });
  const id = randomBytes(18).toString('base64url');
  const path = pathOf(dataDir, id);
  const partial = `${path}.part`;
  let size = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > limit ? new UploadTooLarge() : null, chunk);
    },
  });
  const source = body instanceof Uint8Array ? Readable.from([body]) : body;
  // Piped by hand rather than through pipeline(): pipeline destroys its source on error, and
  // destroying the request closes the socket before the 413 answer can be sent.
  source.once('error', (error) => guard.destroy(error));
  source.once('close', () => {
    if (!source.readableEnded) guard.destroy(new Error('The upload was interrupted'));
  });
  source.pipe(guard);
  try {
    await pipeline(guard, createWriteStream(partial, { mode: 0o600 }));
  } catch (error) {
    source.unpipe(guard);
    // The rest of the body is read and discarded, chunk by chunk, so the answer still reaches
    // the client; nothing of it is kept.
    source.resume();
    await rm(partial, { force: true });
    if (error instanceof UploadTooLarge) {
      const mib = Math.round(limit / 1048576);
      throw new AppError('UPLOAD_TOO_LARGE', [{ path: 'body', message: `Tệp vượt quá ${mib} MB` }], `Tệp quá lớn: tối đa ${mib} MB; hãy chia danh sách thành nhiều tệp`);
    }
    throw error;
  }
  await writeFile(`${path}.json`, JSON.stringify({ fileName }), { mode: 0o600 });
  await rename(partial, path);
  return { id, path, size };
}

/** Where a stored upload is and what it was called; the file itself is read as a stream. */
export async function locateUpload(dataDir: string, id: string): Promise<{ path: string; fileName: string; size: number }> {
  const path = pathOf(dataDir, id);
  if (!existsSync(path)) throw new AppError('VALIDATION_FAILED', [{ path: 'body.fileId', message: 'Tệp đã hết hạn hoặc không có; hãy tải lên lại' }]);
  const about = JSON.parse(await readFile(`${path}.json`, 'utf8').catch(() => '{}')) as { fileName?: string };
  return { path, fileName: about.fileName ?? id, size: (await stat(path)).size };
}

export async function deleteUpload(dataDir: string, id: string): Promise<void> {
  await rm(pathOf(dataDir, id), { force: true });
  await rm(`${pathOf(dataDir, id)}.json`, { force: true });
}
