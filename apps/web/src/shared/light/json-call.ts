// The fetch client of the two light apps (the field app and the learning site). Zod schemas from
// @cds/contract are used as types only there: zod at run time would cost about 100 kB on phones.

/** An API answer other than 2xx, or no answer at all (status 0, code NETWORK). */
export class JsonApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'JsonApiError';
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

export interface JsonCallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** What the person is told when there is no connection, in the app's own words. */
  networkMessage: string;
  busyMessage: string;
}

export async function jsonCall<T>(method: 'GET' | 'POST' | 'PATCH', path: string, options: JsonCallOptions, retried = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
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
    throw new JsonApiError(0, 'NETWORK', options.networkMessage);
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
    const session = await jsonCall<{ csrfToken: string }>('GET', '/api/auth/session', options, true);
    setCsrf(session.csrfToken);
    return jsonCall<T>(method, path, options, true);
  }
  const message = error?.message ?? (response.status >= 500 ? options.busyMessage : `Lỗi ${response.status}`);
  throw new JsonApiError(response.status, code, message, error?.issues ?? []);
}
