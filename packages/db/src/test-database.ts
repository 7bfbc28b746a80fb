import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { startEmbeddedServer, type DatabaseHandle } from './connection.ts';
import { migrate, migrationsDigest } from './migrate.ts';
import * as schema from './schema.ts';

/**
 * A freshly migrated database of its own for one test file: a new in-memory PGlite, or, when
 * DATABASE_URL is set, a new database on that PostgreSQL server, dropped on close.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const template = await readTemplate();
    const embedded = await startEmbeddedServer(undefined, template ? { loadDataDir: template } : {});
    const pool = new pg.Pool({ connectionString: embedded.url, max: 4 });
    // From the template there is nothing left to apply; the call still checks it is complete.
    await migrate(pool);
    if (!template) await writeTemplate(await embedded.dump());
    return {
      kind: 'pglite',
      pool,
      attached: false,
      db: drizzle(pool, { schema }),
      async close() {
        await pool.end();
        await embedded.stop();
      },
    };
  }
  return scratchPostgresDatabase(serverUrl, { prefix: 'cds_test', poolSize: 4 });
}

/**
 * A new database beside the one `serverUrl` names, migrated, with a pool of its own, dropped on
 * close: for test files and for benchmarks, which must not touch the data already there.
 */
export async function scratchPostgresDatabase(serverUrl: string, options: { prefix: string; poolSize: number }): Promise<DatabaseHandle> {
  const name = `${options.prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: options.poolSize });
  await migrate(pool);
  return {
    kind: 'postgres',
    pool,
    attached: false,
    db: drizzle(pool, { schema }),
    async close() {
      await pool.end();
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      // pool.end() returns once its clients have said goodbye, not once their server processes
      // are gone. FORCE would terminate one still leaving, and the "terminating connection"
      // it then sends reaches a client nobody listens to any more: an uncaught error that
      // fails the whole test run. So wait for them first; FORCE is only for a connection stuck.
      for (let waited = 0; waited < 5000; waited += 20) {
        const { rows } = await drop.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/*
 * A new PGlite spends most of its start in initdb (about 3–5 s on a CI machine, against 0.3 s for
 * our migrations), once per test file. The first test database migrated on this machine is
 * dumped, keyed by the migrations it holds, and later ones start from that dump (about 1.3 s).
 */
const templatePath = () => join(tmpdir(), `cds-pglite-template-${migrationsDigest()}.tar.gz`);

async function readTemplate(): Promise<Blob | null> {
  try {
    return new Blob([await readFile(templatePath())]);
  } catch {
    return null;
  }
}

async function writeTemplate(dump: Blob): Promise<void> {
  // Written aside and renamed: test files starting at once never read half a template.
  const path = templatePath();
  const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, path);
}
