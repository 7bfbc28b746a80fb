import type { HouseholdFilters, PovertyFilter } from './registry-api';

const POVERTY: readonly string[] = ['poor', 'near_poor', 'none'];
/** Shorter searches match half a ward and the server keeps a search to 100 characters. */
export const HOUSEHOLD_QUERY_MIN = 2;
export const HOUSEHOLD_QUERY_MAX = 100;

/** Household filters kept in the address bar (?unit=&nb=&poverty=&q=), so Back and shared links keep them. */
export function householdFiltersFromParams(params: URLSearchParams): HouseholdFilters {
  const nb = Number(params.get('nb'));
  const poverty = params.get('poverty') ?? '';
  const unit = params.get('unit') ?? '';
  const q = (params.get('q') ?? '').trim().slice(0, HOUSEHOLD_QUERY_MAX);
  return {
    unit: /^\d{5}$/.test(unit) ? unit : undefined,
    neighbourhood: Number.isInteger(nb) && nb > 0 ? nb : undefined,
    poverty: POVERTY.includes(poverty) ? (poverty as PovertyFilter) : undefined,
    q: q.length >= HOUSEHOLD_QUERY_MIN ? q : undefined,
  };
}

export function householdFiltersToParams(f: HouseholdFilters, keepUnit = false): URLSearchParams {
  const params = new URLSearchParams();
  if (keepUnit && f.unit) params.set('unit', f.unit);
  if (f.neighbourhood) params.set('nb', String(f.neighbourhood));
  if (f.poverty) params.set('poverty', f.poverty);
  if (f.q) params.set('q', f.q);
  return params;
}
