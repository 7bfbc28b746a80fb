import type { DeviceEnrolled, FieldBundle, InvitePreview, LoginResponse, SyncResult } from '@cds/contract';
import type { z } from 'zod';
import { JsonApiError, jsonCall, setCsrf } from '../shared/light/json-call';
import { APP_VERSION } from './version';

type Json = Record<string, unknown>;

export { JsonApiError as FieldApiError, setCsrf };

interface CallOptions {
  body?: unknown;
  device?: string;
}

function call<T>(method: 'GET' | 'POST', path: string, options: CallOptions = {}): Promise<T> {
  return jsonCall<T>(method, path, {
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.device ? { headers: { 'x-field-device': options.device } } : {}),
    networkMessage: 'Không kết nối được máy chủ; phiếu vẫn được giữ trên máy',
    busyMessage: 'Máy chủ đang bận; sẽ thử lại sau',
  });
}

export async function refreshCsrf(): Promise<LoginResponse> {
  const session = await call<LoginResponse>('GET', '/api/auth/session');
  setCsrf(session.csrfToken);
  return session;
}

export async function signIn(username: string, password: string): Promise<LoginResponse> {
  const answer = await call<LoginResponse>('POST', '/api/auth/login', { body: { username, password } });
  setCsrf(answer.csrfToken);
  return answer;
}

export async function signOut(): Promise<void> {
  await call('POST', '/api/auth/logout').catch(() => undefined);
  setCsrf(null);
}

export function enrolDevice(label: string): Promise<z.infer<typeof DeviceEnrolled>> {
  return call('POST', '/api/field/devices', { body: { label, appVersion: APP_VERSION } });
}

export function fetchBundle(deviceToken: string): Promise<FieldBundle> {
  return call('GET', '/api/field/bundle', { device: deviceToken });
}

export function sendVisits(deviceToken: string, visits: unknown[]): Promise<SyncResult> {
  return call('POST', '/api/field/sync', { device: deviceToken, body: { appVersion: APP_VERSION, visits } satisfies Json });
}

export function previewInvite(token: string): Promise<z.infer<typeof InvitePreview>> {
  return call('GET', `/api/field/invites/preview?token=${encodeURIComponent(token)}`);
}

export async function joinTeam(body: { token: string; displayName: string; username: string; password: string }): Promise<LoginResponse> {
  const answer = await call<LoginResponse>('POST', '/api/field/join', { body });
  setCsrf(answer.csrfToken);
  return answer;
}

/** "Chrome trên Android 14": enough for an official to tell a volunteer's two phones apart. */
export function deviceLabel(userAgent: string): string {
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /SamsungBrowser/.test(userAgent) ? 'Samsung Internet' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrome\//.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : 'Trình duyệt';
  const android = /Android ([\d.]+)/.exec(userAgent);
  const ios = /(?:iPhone|iPad).*OS (\d+)/.exec(userAgent);
  const system = android ? `Android ${android[1]}` : ios ? `iOS ${ios[1]}` : /Windows/.test(userAgent) ? 'Windows' : /Mac OS/.test(userAgent) ? 'macOS' : /Linux/.test(userAgent) ? 'Linux' : 'máy khác';
  return `${browser} trên ${system}`.slice(0, 80);
}
