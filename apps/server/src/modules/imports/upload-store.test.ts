import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { locateUpload, storeUpload } from './upload-store.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'cds-uploads-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A body arriving in 64 KiB pieces, as a request does. */
const body = (bytes: number) => Readable.from((function* () {
  for (let sent = 0; sent < bytes; sent += 65536) yield Buffer.alloc(Math.min(65536, bytes - sent), 0x41);
})());

describe('storing an upload', () => {
  it('writes the body to DATA_DIR/uploads as it arrives and finds it again by id', async () => {
    const stored = await storeUpload(dataDir, body(300_000), 'danh-sách.csv');
    expect(stored.size).toBe(300_000);
    const found = await locateUpload(dataDir, stored.id);
    expect(found).toMatchObject({ path: stored.path, fileName: 'danh-sách.csv', size: 300_000 });
    expect(readFileSync(found.path).subarray(0, 3).toString()).toBe('AAA');
  });

  it('refuses a body over the limit in Vietnamese and keeps nothing of it', async () => {
    const before = readdirSync(join(dataDir, 'uploads')).length;
    const refused = await storeUpload(dataDir, body(1_000_000), 'qua-lon.csv', 200_000).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'UPLOAD_TOO_LARGE', status: 413, detailVi: expect.stringMatching(/Tệp quá lớn/) });
    expect(readdirSync(join(dataDir, 'uploads'))).toHaveLength(before);
  });
});
