import { mkdirSync, openSync, closeSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { serialiseSessions } from './pglite-socket-queue.ts';
import * as schema from './schema.ts';

// Ids and counts are int8; every id this platform makes stays far below 2^53, so numbers are safe
// and spare every caller a string-to-number step. Dates stay 'YYYY-MM-DD' strings: a JS Date
// would shift a birth date by the server's time zone.
pg.types.setTypeParser(20, (value) => Number(value));
pg.types.setTypeParser(1082, (value) => value);

export type Db = NodePgDatabase<typeof schema>;
export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  kind: DatabaseKind;
  db: Db;
  pool: pg.Pool;
  /** True when this process reached an embedded database that another process owns. */
  attached: boolean;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; without it the embedded PGlite database in dataDir is used. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /**
   * 'owner' (the server) must open the embedded database itself; 'attach-or-own' (the CLI) goes
   * through the process that has it open, or opens it when nobody has.
   */
  mode: 'owner' | 'attach-or-own';
  poolSize?: number;
}

export class DatabaseBusyError extends Error {
  constructor(readonly pid: number) {
    super(`Thư mục dữ liệu đang được tiến trình ${pid} sử dụng (the data directory is in use by process ${pid}).`);
  }
}

function makeHandle(kind: DatabaseKind, pool: pg.Pool, attached: boolean, onClose: () => Promise<void>): DatabaseHandle {
  return {
    kind,
    pool,
    attached,
    db: drizzle(pool, { schema }),
    async close() {
      await pool.end();
      await onClose();
    },
  };
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const poolSize = options.poolSize ?? 10;
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: poolSize });
    await pool.query('select 1');
    return makeHandle('postgres', pool, false, async () => {});
  }
  return openEmbedded(resolve(options.dataDir), options.mode, poolSize);
}

interface LockContent {
  pid: number;
  port?: number;
}

function readLock(path: string): LockContent | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockContent;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is a single-process database: two processes opening one data directory corrupt it.
 * So exactly one process owns it, guarded by a lock file created with O_EXCL, and serves it on a
 * loopback socket (pglite-socket). Everything, the owner included, talks to it through that
 * socket with node-postgres, so the server's own queries and a CLI run at the same time are
 * serialised by pglite-socket's queue, which keeps one client's transaction from interleaving
 * with another's. It also means the application has one driver path for PGlite and PostgreSQL.
 */
async function openEmbedded(dataDir: string, mode: OpenDatabaseOptions['mode'], poolSize: number): Promise<DatabaseHandle> {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, 'pglite.lock');
  const deadline = Date.now() + 30_000;
  for (;;) {
    let fd: number | null = null;
    try {
      fd = openSync(lockPath, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (fd !== null) {
      writeFileSync(fd, JSON.stringify({ pid: process.pid } satisfies LockContent));
      closeSync(fd);
      try {
        return await ownEmbedded(dataDir, lockPath, poolSize);
      } catch (error) {
        unlinkSync(lockPath);
        throw error;
      }
    }
    const lock = readLock(lockPath);
    if (lock && isAlive(lock.pid)) {
      // Held by a live process, possibly this one: never open the files a second time.
      if (mode === 'owner') throw new DatabaseBusyError(lock.pid);
      if (lock.port) {
        const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${lock.port}/postgres`, max: poolSize });
        await pool.query('select 1');
        return makeHandle('pglite', pool, true, async () => {});
      }
    } else if (lock) {
      // The owner died without cleaning up; PGlite recovers its data directory on the next open.
      unlinkSync(lockPath);
      continue;
    }
    if (Date.now() > deadline) throw new DatabaseBusyError(lock?.pid ?? 0);
    await sleep(200);
  }
}

export async function startEmbeddedServer(
  dataDir: string | undefined,
  options: { loadDataDir?: Blob } = {},
): Promise<{ url: string; stop(): Promise<void>; dump(): Promise<Blob> }> {
  const pglite = await PGlite.create({ dataDir, extensions: { pg_trgm }, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
  // Room for the owner's pool plus CLI runs and test connections that attach.
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 64 });
  serialiseSessions(server);
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  return {
    url,
    async stop() {
      await server.stop();
      await pglite.close();
    },
    dump: () => pglite.dumpDataDir('gzip') as Promise<Blob>,
  };
}

async function ownEmbedded(dataDir: string, lockPath: string, poolSize: number): Promise<DatabaseHandle> {
  const embedded = await startEmbeddedServer(join(dataDir, 'pgdata'));
  const port = Number(new URL(embedded.url).port);
  writeFileSync(lockPath, JSON.stringify({ pid: process.pid, port } satisfies LockContent));
  const pool = new pg.Pool({ connectionString: embedded.url, max: poolSize });
  return makeHandle('pglite', pool, false, async () => {
    await embedded.stop();
    unlinkSync(lockPath);
  });
}

/**
 * PGlite runs no autovacuum. Without fresh statistics, plans made while a table was small (and
 * foreign-key checks cache theirs for the life of the session) keep scanning whole tables as
 * they grow, and dead rows from updates are never reclaimed. So the owner of an embedded
 * database analyses it every few minutes and vacuums it every few hours.
 */
export function scheduleEmbeddedMaintenance(handle: DatabaseHandle, log: (message: string) => void = () => {}): () => void {
  if (handle.kind !== 'pglite' || handle.attached) return () => {};
  let runs = 0;
  const timer = setInterval(() => {
    runs++;
    const statement = runs % 36 === 0 ? 'VACUUM ANALYZE' : 'ANALYZE';
    handle.pool.query(statement).catch((error: unknown) => log(`${statement} failed: ${(error as Error).message}`));
  }, 5 * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
