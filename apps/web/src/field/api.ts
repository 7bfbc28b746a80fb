import type { DeviceEnrolled, FieldBundle, InvitePreview, LoginResponse, SyncResult } from '@cds/contract';
import type { z } from 'zod';
import { APP_VERSION } from './version';

// Schemas from @cds/contract are used as types only: zod at run time would cost the first load
// about 100 kB on volunteers' phones (see apps/web/README.md).

type Json = Record<string, unknown>;

/** An API answer other than 2xx, or no answer at all (status 0, code NETWORK). */
export class FieldApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'FieldApiError';
  }
  get isNetwork(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

// The CSRF token is kept in memory only, as in the main app: after a reload it is fetched again
// from /api/auth/session before the first write.
let csrfToken: string | null = null;
export function setCsrf(token: string | null): void {
  csrfToken = token;
}

interface CallOptions {
  body?: unknown;
  device?: string;
}

async function call<T>(method: 'GET' | 'POST', path: string, options: CallOptions = {}, retried = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.device) headers['x-field-device'] = options.device;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new FieldApiError(0, 'NETWORK', 'Không kết nối được máy chủ; phiếu vẫn được giữ trên máy');
  }
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (response.ok) return data as T;
  const error = (data as { error?: { code?: string; message?: string; issues?: { path: string; message: string }[] } } | null)?.error;
  const code = error?.code ?? (response.status >= 500 ? 'SERVER' : 'HTTP_' + response.status);
  // A stale token (the session was renewed elsewhere): fetch the current one and try once more.
  if (code === 'CSRF_INVALID' && !retried) {
    await refreshCsrf();
    return call<T>(method, path, options, true);
  }
  const message = error?.message ?? (response.status >= 500 ? 'Máy chủ đang bận; sẽ thử lại sau' : `Lỗi ${response.status}`);
  throw new FieldApiError(response.status, code, message, error?.issues ?? []);
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
