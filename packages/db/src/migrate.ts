import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));
const NAME = /^\d{8}-\d{2}-[a-z0-9-]+\.sql$/;

export function listMigrations(): string[] {
  return readdirSync(migrationsDir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      if (!NAME.test(file)) throw new Error(`Migration ${file} is not named YYYYMMDD-NN-what.sql`);
      return file;
    })
    .sort();
}

/** A digest of every migration's name and text: what a migrated database was built from. */
export function migrationsDigest(): string {
  const hash = createHash('sha256');
  for (const name of listMigrations()) hash.update(name).update('\0').update(readFileSync(migrationsDir + name)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** Applies every migration not yet applied, each in its own transaction; returns the names applied. */
export async function migrate(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect();
  try {
    // Two servers starting against one PostgreSQL must not both apply the same file.
    await client.query('SELECT pg_advisory_lock(790001)');
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    const applied: string[] = [];
    for (const name of listMigrations()) {
      if (done.has(name)) continue;
      const sql = readFileSync(migrationsDir + name, 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(name);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(790001)').catch(() => {});
    client.release();
  }
}
