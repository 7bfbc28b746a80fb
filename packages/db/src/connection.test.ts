import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseBusyError, openDatabase } from './connection.ts';
import { listMigrations, migrate } from './migrate.ts';

// The embedded database's guarantees: data survives a restart, one data directory is opened by
// one process only, and others reach it through that process.

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-db-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase on PGlite', () => {
  it('keeps data across a restart', async () => {
    const dataDir = tempDir();
    const first = await openDatabase({ dataDir, mode: 'owner' });
    await migrate(first.pool);
    await first.pool.query("INSERT INTO provinces (code, name, full_name) VALUES ('79', 'Hồ Chí Minh', 'Thành phố Hồ Chí Minh')");
    await first.close();
    const second = await openDatabase({ dataDir, mode: 'owner' });
    expect(await migrate(second.pool)).toEqual([]);
    const { rows } = await second.pool.query('SELECT full_name FROM provinces');
    await second.close();
    expect(rows).toEqual([{ full_name: 'Thành phố Hồ Chí Minh' }]);
  });

  it('lets a second opener attach through the owner instead of opening the files again', async () => {
    const dataDir = tempDir();
    const owner = await openDatabase({ dataDir, mode: 'owner' });
    await migrate(owner.pool);
    const guest = await openDatabase({ dataDir, mode: 'attach-or-own' });
    expect(guest.attached).toBe(true);
    await guest.pool.query("INSERT INTO provinces (code, name, full_name) VALUES ('01', 'Hà Nội', 'Thành phố Hà Nội')");
    await guest.close();
    const { rows } = await owner.pool.query('SELECT code FROM provinces');
    expect(rows).toEqual([{ code: '01' }]);
    await owner.close();
  });

  it('refuses a second owner while the first one lives', async () => {
    const dataDir = tempDir();
    const owner = await openDatabase({ dataDir, mode: 'owner' });
    await expect(openDatabase({ dataDir, mode: 'owner' })).rejects.toBeInstanceOf(DatabaseBusyError);
    await owner.close();
  });

  it('takes over a lock left by a process that died', async () => {
    const dataDir = tempDir();
    // PID 2^22 + 1 is above Linux's pid_max: no live process can have it.
    writeFileSync(join(dataDir, 'pglite.lock'), JSON.stringify({ pid: 4_194_305, port: 1 }));
    const handle = await openDatabase({ dataDir, mode: 'owner' });
    expect(handle.attached).toBe(false);
    await handle.close();
  });
});

describe('migrations', () => {
  it('are all named YYYYMMDD-NN-what.sql and sort in the order they must run', () => {
    const names = listMigrations();
    expect(names.length).toBeGreaterThan(0);
    expect([...names].sort()).toEqual(names);
    expect(names[0]).toMatch(/^\d{8}-01-/);
  });
});
