import type { ErrorBody } from '@cds/contract';

export type ApiIssue = { path: string; message: string };

/** An error the API answered with (or a network failure, status 0), carrying the server's own words. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageEn: string;
  readonly issues: ApiIssue[];

  constructor(status: number, code: string, message: string, messageEn: string, issues: ApiIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.messageEn = messageEn;
    this.issues = issues;
  }

  /** The issue messages for one field, matched on the last segment of the path (body.name → name). */
  issuesFor(field: string): string[] {
    return this.issues
      .filter((i) => i.path === field || i.path.endsWith(`.${field}`))
      .map((i) => i.message);
  }
}

// The CSRF token lives in memory only: it comes with login and with every session check,
// so a reload fetches it again and nothing readable by scripts is left in storage.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Query = Record<string, string | number | boolean | null | undefined>;

/** Builds `/api/path?x=1`, leaving out empty parameters so the server's defaults apply. */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'message' in error && 'code' in error;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function request<T>(
  method: Method,
  path: string,
  options: { query?: Query; body?: unknown; raw?: Blob } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.raw !== undefined) headers['content-type'] = 'application/octet-stream';
  else if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.',
      'Could not reach the server. Check the connection and try again.',
    );
  }

  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }

  if (!response.ok) {
    if (isErrorBody(data)) {
      const e = data.error;
      throw new ApiError(response.status, e.code, e.message, e.messageEn, e.issues ?? []);
    }
    throw new ApiError(
      response.status,
      `HTTP_${response.status}`,
      `Máy chủ trả lỗi ${response.status}. Vui lòng thử lại sau.`,
      `The server answered ${response.status}. Please try again later.`,
    );
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** A file's bytes as the body (an uploaded list), with the parameters in the query string. */
  postRaw: <T>(path: string, raw: Blob, query?: Query) => request<T>('POST', path, { raw, query }),
};
