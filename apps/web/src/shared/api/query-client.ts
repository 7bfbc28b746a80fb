import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client';

/**
 * One client for the app. A 401 anywhere means the session ended (timed out, signed out in another
 * tab): forget the session so the guard sends the person to the sign-in page, keeping where they were.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onAuthLost(error, query.queryKey[0]) }),
    mutationCache: new MutationCache({ onError: (error) => onAuthLost(error, 'mutation') }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Client errors (403, 404, bad input) will not get better by asking again.
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
    },
  });

  function onAuthLost(error: unknown, source: unknown) {
    if (source === 'session') return;
    if (error instanceof ApiError && error.status === 401 && error.code !== 'INVALID_CREDENTIALS') {
      client.setQueryData(['session'], null);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    }
  }
  return client;
}
