import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../platform/errors.ts';

// Uploaded files wait here between the preview and the end of their import, so an import
// interrupted by a restart can be resumed. They are personal data: deleted once imported.

const ID = /^[A-Za-z0-9_-]{20,40}$/;

const pathOf = (dataDir: string, id: string) => {
  if (!ID.test(id)) throw new AppError('VALIDATION_FAILED', [{ path: 'body.fileId', message: 'Mã tệp không hợp lệ' }]);
  return join(dataDir, 'uploads', id);
};

export async function storeUpload(dataDir: string, bytes: Uint8Array, fileName: string): Promise<string> {
  await mkdir(join(dataDir, 'uploads'), { recursive: true, mode: 0o700 });
  const id = randomBytes(18).toString('base64url');
  await writeFile(pathOf(dataDir, id), bytes, { mode: 0o600 });
  await writeFile(`${pathOf(dataDir, id)}.json`, JSON.stringify({ fileName }), { mode: 0o600 });
  return id;
}

export async function readUpload(dataDir: string, id: string): Promise<{ bytes: Uint8Array; fileName: string }> {
  const path = pathOf(dataDir, id);
  if (!existsSync(path)) throw new AppError('VALIDATION_FAILED', [{ path: 'body.fileId', message: 'Tệp đã hết hạn hoặc không có; hãy tải lên lại' }]);
  const about = JSON.parse(await readFile(`${path}.json`, 'utf8').catch(() => '{}')) as { fileName?: string };
  return { bytes: new Uint8Array(await readFile(path)), fileName: about.fileName ?? id };
}

export async function deleteUpload(dataDir: string, id: string): Promise<void> {
  await rm(pathOf(dataDir, id), { force: true });
  await rm(`${pathOf(dataDir, id)}.json`, { force: true });
}
