import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Me } from '@cds/contract';
import { fetchSession, sessionKey } from './access-api';

type Session = {
  user: Me | null;
  loading: boolean;
  error: unknown;
  retry: () => void;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const query = useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 5 * 60_000, retry: 1 });
  const data = query.data;

  const value = useMemo<Session>(
    () => ({ user: data?.user ?? null, loading: query.isPending, error: query.error, retry: () => void query.refetch() }),
    [data, query.isPending, query.error, query.refetch],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in user; only for pages behind RequireAuth. */
export function useMe(): Me {
  const { user } = useSession();
  if (!user) throw new Error('useMe without a session');
  return user;
}
