import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBatches } from '@cds/db';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../test/test-app.ts';
import type { Actor } from '../access/actor.ts';
import { systemActor } from '../access/system-actor.ts';
import { claimBatch } from './import-claim.ts';
import { importSourceFile } from './import-file.service.ts';
import { resumeImports, settleImports } from './import-jobs.service.ts';
import { rollbackImport } from './import-rollback.service.ts';
import { storeUpload } from './upload-store.ts';

// Several servers on one database each sweep for running imports to take up. A batch must be run
// by exactly one of them, and only once its runner is gone.

let ctx: TestContext;
let actor: Actor;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cds-import-jobs-'));
  ctx = await createTestApp({ dataDir });
  actor = await systemActor(ctx.deps.db, '79', 'jobs');
});
afterAll(async () => {
  await ctx?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A stored upload whose import was started by `worker` and died after its first chunk of ten. */
async function interruptedImport(tag: string, worker: string): Promise<number> {
  const lines = ['Họ và tên,Ngày sinh,Số CCCD,Địa chỉ'];
  for (let i = 0; i < 25; i++) lines.push(`Người ${tag} ${String.fromCharCode(65 + i)},01/01/1980,0790800${10000 * (tag.charCodeAt(0) - 63) + i},"${i} Lê Lợi, Phường Sài Gòn"`);
  const upload = await storeUpload(dataDir, Buffer.from(lines.join('\n')), `${tag}.csv`);
  let batchId = 0;
  await expect(
    importSourceFile(ctx.deps, actor, {
      path: upload.path,
      fileName: `${tag}.csv`,
      sourceType: 'residence_list',
      uploadId: upload.id,
      chunkSize: 10,
      worker,
      onBatch: (id) => (batchId = id),
      onProgress: () => {
        throw new Error('killed');
      },
    }),
  ).rejects.toThrow('killed');
  return batchId;
}

const residentsNamed = async (tag: string) =>
  (await ctx.deps.pool.query(`SELECT count(*)::int AS n FROM residents WHERE full_name LIKE 'Người ${tag} %'`)).rows[0].n as number;

describe('resuming imports with several servers', () => {
  it('gives an abandoned batch to exactly one of two resumers racing for it, which finishes it once', async () => {
    const batchId = await interruptedImport('A', 'server-that-died/1/x');
    // Its server stopped beating ten minutes ago.
    await ctx.deps.pool.query("UPDATE import_batches SET heartbeat_at = now() - interval '10 minutes' WHERE id = $1", [batchId]);

    const [a, b] = await Promise.all([resumeImports(ctx.deps, { worker: 'server-a/2/a' }), resumeImports(ctx.deps, { worker: 'server-b/3/b' })]);
    expect(a + b).toBe(1);
    await settleImports();

    const [batch] = await ctx.deps.db.select().from(importBatches).where(eq(importBatches.id, batchId));
    expect(batch).toMatchObject({ status: 'completed', lastRecord: 25, applied: 25, totalRecords: 25 });
    expect(batch?.claimedBy).toBe(a === 1 ? 'server-a/2/a' : 'server-b/3/b');
    expect(await residentsNamed('A')).toBe(25);
    const { rows } = await ctx.deps.pool.query('SELECT count(*)::int AS n FROM import_rows WHERE batch_id = $1', [batchId]);
    expect(rows[0].n).toBe(25);
  });

  it('leaves a batch to its runner while the runner’s heartbeat is fresh, then lets another take it', async () => {
    const batchId = await interruptedImport('B', 'busy-server/4/y');
    expect(await resumeImports(ctx.deps, { worker: 'server-a/2/a' })).toBe(0);
    expect(await claimBatch(ctx.deps.db, batchId, 'server-a/2/a')).toBe(false);
    // Running the same file again elsewhere is refused, in Vietnamese, rather than doubled.
    const [batch] = await ctx.deps.db.select().from(importBatches).where(eq(importBatches.id, batchId));
    expect(batch).toMatchObject({ status: 'running', lastRecord: 10, claimedBy: 'busy-server/4/y' });

    await ctx.deps.pool.query("UPDATE import_batches SET heartbeat_at = now() - interval '10 minutes' WHERE id = $1", [batchId]);
    expect(await resumeImports(ctx.deps, { worker: 'server-a/2/a' })).toBe(1);
    await settleImports();
    expect(await residentsNamed('B')).toBe(25);
  });

  it('lets only one of many workers claim the same abandoned batch at once', async () => {
    const batchId = await interruptedImport('C', 'gone/5/z');
    await ctx.deps.pool.query("UPDATE import_batches SET heartbeat_at = now() - interval '1 hour' WHERE id = $1", [batchId]);
    const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => claimBatch(ctx.deps.db, batchId, `racer/${100 + i}/r`)));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('stops a worker that lost its batch to another before it applies one more chunk', async () => {
    const lines = ['Họ và tên,Ngày sinh,Địa chỉ'];
    for (let i = 0; i < 25; i++) lines.push(`Người E ${String.fromCharCode(65 + i)},01/01/1980,"${i} Lê Lợi, Phường Sài Gòn"`);
    let batchId = 0;
    let stolen = false;
    await expect(
      importSourceFile(ctx.deps, actor, {
        bytes: Buffer.from(lines.join('\n')),
        fileName: 'E.csv',
        sourceType: 'residence_list',
        chunkSize: 10,
        worker: 'slow/6/s',
        onBatch: (id) => (batchId = id),
        // After the first chunk, another server judges this one dead and takes the batch.
        onProgress: () => {
          if (stolen) return;
          stolen = true;
          return ctx.deps.pool.query("UPDATE import_batches SET claimed_by = 'faster/7/f', heartbeat_at = now() WHERE id = $1", [batchId]);
        },
      }),
    ).rejects.toMatchObject({ code: 'IMPORT_RUNNING_ELSEWHERE' });
    const [batch] = await ctx.deps.db.select().from(importBatches).where(eq(importBatches.id, batchId));
    expect(batch).toMatchObject({ status: 'running', lastRecord: 10, claimedBy: 'faster/7/f', error: null });
  });
});

describe('rolling back an interrupted import', () => {
  it('deletes the stored file it kept for resuming, once the rollback has committed', async () => {
    const batchId = await interruptedImport('F', 'dead/1/f');
    const [batch] = await ctx.deps.db.select().from(importBatches).where(eq(importBatches.id, batchId));
    const stored = join(dataDir, 'uploads', batch!.uploadId!);
    expect(existsSync(stored)).toBe(true);
    // Long dead: neither moving nor claimed, so it may be rolled back.
    await ctx.deps.pool.query("UPDATE import_batches SET heartbeat_at = now() - interval '1 hour', claimed_by = NULL WHERE id = $1", [batchId]);
    await rollbackImport(ctx.deps, actor, batchId);
    expect(existsSync(stored)).toBe(false);
    expect(existsSync(`${stored}.json`)).toBe(false);
  });
});
