import type { HouseholdFilters, PovertyFilter } from './registry-api';

const POVERTY: readonly string[] = ['poor', 'near_poor', 'none'];

/** Household filters kept in the address bar (?unit=&nb=&poverty=), so Back and shared links keep them. */
export function householdFiltersFromParams(params: URLSearchParams): HouseholdFilters {
  const nb = Number(params.get('nb'));
  const poverty = params.get('poverty') ?? '';
  const unit = params.get('unit') ?? '';
  return {
    unit: /^\d{5}$/.test(unit) ? unit : undefined,
    neighbourhood: Number.isInteger(nb) && nb > 0 ? nb : undefined,
    poverty: POVERTY.includes(poverty) ? (poverty as PovertyFilter) : undefined,
  };
}

export function householdFiltersToParams(f: HouseholdFilters, keepUnit = false): URLSearchParams {
  const params = new URLSearchParams();
  if (keepUnit && f.unit) params.set('unit', f.unit);
  if (f.neighbourhood) params.set('nb', String(f.neighbourhood));
  if (f.poverty) params.set('poverty', f.poverty);
  return params;
}
