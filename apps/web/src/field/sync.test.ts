import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrf } from './api';
import { FieldDb, type OutboxHandoverRow, type SessionInfo, type SyncState } from './db';
import { sampleBundle, sampleRow } from './field-fixtures';
import { backoffMs, BATCH_SIZE, batchesOf, syncNow } from './sync';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const errorBody = (code: string, message: string) => ({ error: { code, message, messageEn: code } });
const session: SessionInfo = { userId: 7, username: 'volunteer', displayName: 'TNV', role: 'volunteer', deviceId: 3, deviceToken: 'dev-token' };

let store: FieldDb;
let calls: { url: string; init: RequestInit }[];

function serve(handler: Handler): void {
  calls = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return handler(url, init);
  });
}

/** A server that stores every visit it is sent, answers the session and the bundle. */
const storingServer: Handler = (url, init) => {
  if (url === '/api/auth/session') return json(200, { user: {}, csrfToken: 'csrf-1' });
  if (url === '/api/field/bundle') return json(200, sampleBundle([1, 2, 9]));
  if (url === '/api/field/sync') {
    const body = JSON.parse(String(init.body)) as { visits: { clientVisitId?: string; clientHandoverId?: string }[] };
    return json(200, { serverTime: '', results: body.visits.map((v, i) => ({ clientVisitId: v.clientVisitId ?? v.clientHandoverId, outcome: 'stored', visitId: 100 + i, householdId: 1, conflicts: 0, reasonCode: null, reason: null })) });
  }
  return json(404, errorBody('NOT_FOUND', 'Không tìm thấy'));
};

beforeEach(async () => {
  store = new FieldDb(`sync-test-${Math.random().toString(36).slice(2)}`);
  await store.setMeta('session', session);
  setCsrf(null);
});
afterEach(async () => {
  vi.unstubAllGlobals();
  store.close();
  await Dexie.delete(store.name);
});

describe('field sync', () => {
  it('sends waiting visits with the device header and CSRF token, marks them sent and refreshes the bundle', async () => {
    serve(storingServer);
    await store.outbox.bulkAdd([sampleRow(), sampleRow()]);
    const report = await syncNow({ store });
    expect(report).toMatchObject({ sent: 2, refused: 0, waiting: 0, error: null, block: null });
    const post = calls.find((c) => c.url === '/api/field/sync');
    const headers = post?.init.headers as Record<string, string>;
    expect(headers['x-field-device']).toBe('dev-token');
    expect(headers['x-csrf-token']).toBe('csrf-1');
    expect(JSON.parse(String(post?.init.body))).toMatchObject({ appVersion: '1.0.0' });
    expect((await store.outbox.toArray()).every((r) => r.status === 'sent' && r.serverVisitId !== null)).toBe(true);
    expect((await store.households.toArray()).map((h) => h.id)).toEqual([1, 2, 9]);
    expect((await store.getMeta<SyncState>('sync'))?.lastSyncAt).not.toBeNull();
  });

  it(`sends at most ${BATCH_SIZE} visits a request`, async () => {
    serve(storingServer);
    await store.outbox.bulkAdd(Array.from({ length: 120 }, () => sampleRow()));
    await syncNow({ store });
    const sizes = calls.filter((c) => c.url === '/api/field/sync').map((c) => (JSON.parse(String(c.init.body)) as { visits: unknown[] }).visits.length);
    expect(sizes).toEqual([50, 50, 20]);
    expect(await store.outbox.where('status').equals('sent').count()).toBe(120);
  });

  it('sends a handover as its own item, and cuts batches by size so photos stay under the server’s limit', async () => {
    serve(storingServer);
    const photo = `data:image/jpeg;base64,${'A'.repeat(540_000)}`;
    const handovers: OutboxHandoverRow[] = Array.from({ length: 8 }, (_, i) => {
      const { visit: _v, ...base } = sampleRow();
      const handover = { kind: 'handover' as const, clientHandoverId: base.clientVisitId, allocationId: 40 + i, householdId: 1, handedOverAt: '2026-12-02T10:00:00.000+07:00', imei: '352099001761481', confirmationCode: '123456', photo, consentToSponsor: true };
      return { ...base, kind: 'handover', handover };
    });
    await store.outbox.bulkAdd([sampleRow(), ...handovers]);
    await syncNow({ store });
    const bodies = calls.filter((c) => c.url === '/api/field/sync').map((c) => String(c.init.body));
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) expect(body.length).toBeLessThan(4 * 1_048_576);
    const sent = bodies.flatMap((b) => (JSON.parse(b) as { visits: { kind?: string; allocationId?: number }[] }).visits);
    expect(sent.filter((v) => v.kind === 'handover').map((v) => v.allocationId)).toEqual([40, 41, 42, 43, 44, 45, 46, 47]);
    expect(await store.outbox.where('status').equals('sent').count()).toBe(9);
    // Sent: the images are the server's now; the phone keeps the record without them.
    const kept = (await store.outbox.toArray()).filter((r) => r.kind === 'handover');
    expect(kept.every((r) => r.kind === 'handover' && r.handover.photo === undefined && r.handover.imei === '352099001761481')).toBe(true);
  });

  it('batches by count and by size, an oversized item alone', () => {
    expect(batchesOf([1, 1, 1, 1, 1], (n) => n, 2, 100).map((b) => b.length)).toEqual([2, 2, 1]);
    expect(batchesOf([40, 40, 40, 150, 10], (n) => n, 50, 100)).toEqual([[40, 40], [40], [150], [10]]);
  });

  it('treats a duplicate as sent and keeps a refused visit with the server’s Vietnamese reason', async () => {
    const [a, b] = [sampleRow(), sampleRow()];
    serve((url, init) => {
      if (url !== '/api/field/sync') return storingServer(url, init);
      return json(200, {
        serverTime: '',
        results: [
          { clientVisitId: a.clientVisitId, outcome: 'duplicate', visitId: 5, householdId: 1, conflicts: 0, reasonCode: null, reason: null },
          { clientVisitId: b.clientVisitId, outcome: 'refused', visitId: null, householdId: null, conflicts: 0, reasonCode: 'NOT_ASSIGNED', reason: 'Hộ này không được giao cho bạn' },
        ],
      });
    });
    await store.outbox.bulkAdd([a, b]);
    const report = await syncNow({ store });
    expect(report).toMatchObject({ sent: 1, refused: 1, waiting: 0 });
    expect(await store.outbox.get(a.clientVisitId)).toMatchObject({ status: 'sent', serverVisitId: 5 });
    expect(await store.outbox.get(b.clientVisitId)).toMatchObject({ status: 'refused', reasonCode: 'NOT_ASSIGNED', reason: 'Hộ này không được giao cho bạn' });
  });

  it('leaves visits waiting after a network failure and backs off before the next automatic try', async () => {
    serve(() => {
      throw new TypeError('Failed to fetch');
    });
    await store.outbox.bulkAdd([sampleRow(), sampleRow()]);
    const now = 1_000_000;
    const report = await syncNow({ store, now: () => now });
    expect(report.waiting).toBe(2);
    expect(report.error).toMatch(/Không kết nối được/);
    const rows = await store.outbox.toArray();
    expect(rows.every((r) => r.status === 'waiting' && r.attempts === 0)).toBe(true);

    // The session check failed before any visit was sent: now let it pass and the send fail.
    serve((url, init) => (url === '/api/field/sync' ? json(503, errorBody('INTERNAL', 'Lỗi hệ thống')) : storingServer(url, init)));
    await syncNow({ store, now: () => now });
    const after = await store.outbox.toArray();
    expect(after.every((r) => r.status === 'waiting' && r.attempts === 1 && r.nextAttemptAt === now + backoffMs(1))).toBe(true);

    // An automatic sync during the backoff sends nothing; "Gửi ngay" (force) does.
    serve(storingServer);
    await syncNow({ store, now: () => now + 1000 });
    expect(calls.some((c) => c.url === '/api/field/sync')).toBe(false);
    await syncNow({ store, now: () => now + 1000, force: true });
    expect(await store.outbox.where('status').equals('sent').count()).toBe(2);
  });

  it('asks for a new sign-in on 401 and keeps the outbox', async () => {
    serve(() => json(401, errorBody('UNAUTHENTICATED', 'Bạn cần đăng nhập')));
    await store.outbox.bulkAdd([sampleRow(), sampleRow(), sampleRow()]);
    const report = await syncNow({ store });
    expect(report.block).toBe('signin');
    expect(await store.outbox.where('status').equals('waiting').count()).toBe(3);
    expect((await store.getMeta<SyncState>('sync'))?.block).toBe('signin');
  });

  it('reports a revoked device and an outdated app; an outdated app’s visits stay waiting', async () => {
    const row = sampleRow();
    serve((url, init) => (url === '/api/field/sync' ? json(426, errorBody('APP_OUTDATED', 'Ứng dụng đã cũ')) : storingServer(url, init)));
    await store.outbox.add(row);
    expect((await syncNow({ store })).block).toBe('outdated');
    expect((await store.outbox.get(row.clientVisitId))?.status).toBe('waiting');

    serve((url, init) =>
      url === '/api/field/sync'
        ? json(200, { serverTime: '', results: [{ clientVisitId: row.clientVisitId, outcome: 'refused', visitId: null, householdId: null, conflicts: 0, reasonCode: 'DEVICE_REVOKED', reason: 'Thiết bị đã bị thu hồi' }] })
        : storingServer(url, init),
    );
    const report = await syncNow({ store, force: true });
    expect(report.block).toBe('revoked');
    expect(await store.outbox.get(row.clientVisitId)).toMatchObject({ status: 'refused', reason: 'Thiết bị đã bị thu hồi' });
    // No bundle download while the device is refused.
    expect(calls.some((c) => c.url === '/api/field/bundle')).toBe(false);
  });

  it('runs one sync at a time', async () => {
    serve(storingServer);
    await store.outbox.add(sampleRow());
    const [first, second] = await Promise.all([syncNow({ store }), syncNow({ store })]);
    expect(first).toBe(second);
    expect(calls.filter((c) => c.url === '/api/field/sync').length).toBe(1);
  });
});
