import { useSyncExternalStore } from 'react';

// A few screens under /field/: a path router in thirty lines rather than react-router in the first load.
export type Route =
  | { name: 'households' }
  | { name: 'visit'; householdId: number }
  | { name: 'new-household' }
  | { name: 'outbox' }
  | { name: 'join' }
  | { name: 'not-found' };

export const paths = {
  households: '/field/',
  visit: (id: number) => `/field/ho/${id}`,
  newHousehold: '/field/ho-moi',
  outbox: '/field/phieu',
};

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/field') return { name: 'households' };
  if (path === '/field/ho-moi') return { name: 'new-household' };
  if (path === '/field/phieu') return { name: 'outbox' };
  if (path === '/field/join') return { name: 'join' };
  const visit = /^\/field\/ho\/(\d+)$/.exec(path);
  if (visit) return { name: 'visit', householdId: Number(visit[1]) };
  return { name: 'not-found' };
}

const EVENT = 'field:navigate';

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(EVENT));
  window.scrollTo(0, 0);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(EVENT, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}
