import type { z } from 'zod';
import type { Neighbourhood, NeighbourhoodList, UnitDetail, UnitList } from '@cds/contract';
import { api } from '../../shared/api/api-client';

export type UnitListResponse = z.infer<typeof UnitList>;
export type NeighbourhoodListResponse = z.infer<typeof NeighbourhoodList>;

export const unitKeys = {
  list: (q: string) => ['units', 'list', q] as const,
  detail: (code: string) => ['units', 'detail', code] as const,
  neighbourhoods: (code: string) => ['units', 'neighbourhoods', code] as const,
};

export const fetchUnits = (q: string) => api.get<UnitListResponse>('/units', { q });
export const fetchUnit = (code: string) => api.get<UnitDetail>(`/units/${encodeURIComponent(code)}`);
export const fetchNeighbourhoods = (code: string) =>
  api.get<NeighbourhoodListResponse>(`/units/${encodeURIComponent(code)}/neighbourhoods`);

export const createNeighbourhood = (unitCode: string, name: string) =>
  api.post<Neighbourhood>(`/units/${encodeURIComponent(unitCode)}/neighbourhoods`, { name });
export const renameNeighbourhood = (id: number, name: string) => api.patch<Neighbourhood>(`/neighbourhoods/${id}`, { name });
export const mergeNeighbourhood = (id: number, intoId: number) =>
  api.post<Neighbourhood>(`/neighbourhoods/${id}/merge`, { intoId });
