import type { LoginBody, LoginResponse } from '@cds/contract';
import { api, ApiError, setCsrfToken } from '../../shared/api/api-client';

export const sessionKey = ['session'] as const;

/** The current session, or null when nobody is signed in. Keeps the CSRF token for later writes. */
export async function fetchSession(): Promise<LoginResponse | null> {
  try {
    const session = await api.get<LoginResponse>('/auth/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export async function signIn(body: LoginBody): Promise<LoginResponse> {
  const session = await api.post<LoginResponse>('/auth/login', body);
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await api.post<{ ok: true }>('/auth/logout');
  } finally {
    setCsrfToken(null);
  }
}
