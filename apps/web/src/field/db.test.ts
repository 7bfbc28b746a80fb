import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { FieldDb, SCHEMA_V1, type OutboxRow } from './db';
import { sampleBundle, sampleRow } from './field-fixtures';

const names: string[] = [];
function dbName(): string {
  const name = `field-test-${names.length}-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  return name;
}

afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

describe('field app IndexedDB', () => {
  it('keeps every visit of a version-1 database when the app update opens it with the current schema', async () => {
    const name = dbName();
    // The database as the first release left it on a phone: version 1 only, three visits waiting.
    const old = new Dexie(name);
    old.version(1).stores(SCHEMA_V1);
    await old.open();
    const rows: OutboxRow[] = [sampleRow({ status: 'waiting' }), sampleRow({ status: 'waiting' }), sampleRow({ status: 'refused', reason: 'Hộ không được giao' })];
    await old.table('outbox').bulkAdd(rows);
    await old.table('meta').put({ key: 'session', value: { userId: 7 } });
    old.close();

    const upgraded = new FieldDb(name);
    await upgraded.open();
    expect(upgraded.verno).toBe(2);
    expect((await upgraded.outbox.toArray()).map((r) => r.clientVisitId).sort()).toEqual(rows.map((r) => r.clientVisitId).sort());
    // The index the new version added is usable on the old rows.
    expect((await upgraded.waiting()).length).toBe(2);
    expect(await upgraded.getMeta('session')).toEqual({ userId: 7 });
    upgraded.close();
  });

  it('replaces the downloaded households without touching the outbox', async () => {
    const store = new FieldDb(dbName());
    await store.outbox.add(sampleRow({ householdId: 1 }));
    await store.storeBundle(sampleBundle([1, 2, 3]));
    await store.storeBundle(sampleBundle([2, 4]));
    expect((await store.households.toArray()).map((h) => h.id)).toEqual([2, 4]);
    expect(await store.outbox.count()).toBe(1);
    expect(await store.getMeta('bundle')).toMatchObject({ minAppVersion: '1.0.0' });
    store.close();
  });

  it('lists waiting visits oldest first', async () => {
    const store = new FieldDb(dbName());
    await store.outbox.bulkAdd([
      sampleRow({ createdAt: '2026-12-02T03:00:00.000Z' }),
      sampleRow({ createdAt: '2026-12-02T01:00:00.000Z' }),
      sampleRow({ createdAt: '2026-12-02T02:00:00.000Z', status: 'sent' }),
    ]);
    expect((await store.waiting()).map((r) => r.createdAt)).toEqual(['2026-12-02T01:00:00.000Z', '2026-12-02T03:00:00.000Z']);
    store.close();
  });
});
