// The screens under /field/; navigation itself is shared with the learning site.
export { navigate, usePathname } from '../shared/light/path-router';
export type Route =
  | { name: 'households' }
  | { name: 'visit'; householdId: number }
  | { name: 'handover'; householdId: number; allocationId: number }
  | { name: 'new-household' }
  | { name: 'outbox' }
  | { name: 'join' }
  | { name: 'not-found' };

export const paths = {
  households: '/field/',
  visit: (id: number) => `/field/ho/${id}`,
  handover: (householdId: number, allocationId: number) => `/field/ho/${householdId}/ban-giao/${allocationId}`,
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
  const handover = /^\/field\/ho\/(\d+)\/ban-giao\/(\d+)$/.exec(path);
  if (handover) return { name: 'handover', householdId: Number(handover[1]), allocationId: Number(handover[2]) };
  return { name: 'not-found' };
}
