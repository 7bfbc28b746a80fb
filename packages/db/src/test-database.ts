import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { startEmbeddedServer, type DatabaseHandle } from './connection.ts';
import { migrate } from './migrate.ts';
import * as schema from './schema.ts';

/**
 * A freshly migrated database of its own for one test file: a new in-memory PGlite, or, when
 * DATABASE_URL is set, a new database on that PostgreSQL server, dropped on close.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedServer(undefined);
    const pool = new pg.Pool({ connectionString: embedded.url, max: 4 });
    await migrate(pool);
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
  const name = `cds_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
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
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}
