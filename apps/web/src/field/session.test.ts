import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import type { LoginResponse } from '@cds/contract';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deviceLabel } from './api';
import { FieldDb, type SessionInfo } from './db';
import { sampleBundle, sampleRow } from './field-fixtures';
import { establishSession, forgetSession } from './session';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
const login = (id: number, username = 'volunteer'): LoginResponse => ({
  user: { id, username, displayName: username, role: 'volunteer', provinceCode: '79', units: [], residentId: null },
  csrfToken: 'csrf',
});

let store: FieldDb;
let enrolments: number;
let revoked: Set<string>;

beforeEach(() => {
  store = new FieldDb(`session-test-${Math.random().toString(36).slice(2)}`);
  enrolments = 0;
  revoked = new Set();
  vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36' });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    if (url === '/api/field/devices') {
      enrolments++;
      expect(JSON.parse(String(init.body))).toEqual({ label: 'Chrome trên Android 14', appVersion: '1.0.0' });
      return json(200, { deviceId: enrolments, deviceToken: `token-${enrolments}` });
    }
    if (url === '/api/field/bundle') {
      if (revoked.has(headers['x-field-device'] ?? '')) return json(403, { error: { code: 'DEVICE_REVOKED', message: 'Thiết bị đã bị thu hồi' } });
      return json(200, sampleBundle([1, 2]));
    }
    if (url === '/api/auth/logout') return json(200, { ok: true });
    return json(404, { error: { code: 'NOT_FOUND', message: 'Không tìm thấy' } });
  });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  store.close();
  await Dexie.delete(store.name);
});

describe('field sign-in', () => {
  it('enrols the phone once and downloads the households', async () => {
    await establishSession(login(7), store);
    await establishSession(login(7), store);
    expect(enrolments).toBe(1);
    expect(await store.getMeta<SessionInfo>('session')).toMatchObject({ userId: 7, deviceToken: 'token-1' });
    expect(await store.households.count()).toBe(2);
  });

  it('enrols again when the kept device was revoked, keeping the outbox', async () => {
    await establishSession(login(7), store);
    await store.outbox.add(sampleRow());
    revoked.add('token-1');
    await establishSession(login(7), store);
    expect((await store.getMeta<SessionInfo>('session'))?.deviceToken).toBe('token-2');
    expect(await store.outbox.count()).toBe(1);
  });

  it('refuses another user while the first one’s visits wait, and will not sign out over them', async () => {
    await establishSession(login(7), store);
    await store.outbox.add(sampleRow());
    await expect(establishSession(login(8, 'other'), store)).rejects.toThrow(/còn 1 phiếu chưa gửi của volunteer/);
    expect(await forgetSession(store)).toBe(false);
    expect(await store.getMeta('session')).toBeDefined();
  });

  it('names the browser and system for the officials’ device list', () => {
    expect(deviceLabel('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1')).toBe('Safari trên iOS 17');
  });
});
