import { useCallback, useEffect, useState } from 'react';
import { JsonApiError } from './api';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: JsonApiError | Error } | { state: 'ready'; data: T };

/** Loads once per key; `reload` fetches again (after a change the screen made). */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> & { reload: () => void } {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setResult((r) => (r.state === 'ready' && round > 0 ? r : { state: 'loading' }));
    load().then(
      (data) => live && setResult({ state: 'ready', data }),
      (error: unknown) => live && setResult({ state: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      live = false;
    };
    // `load` is a new function each render; the key says when to load again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...result, reload };
}
