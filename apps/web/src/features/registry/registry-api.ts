import type { z } from 'zod';
import type {
  DistinctPairView,
  FactCreateBody,
  FactView,
  HouseholdDetail,
  HouseholdList,
  RecordAccount,
  ResidentDetail,
  ResidentList,
  ResidentMergeView,
  RevealResponse,
} from '@cds/contract';
import { api } from '../../shared/api/api-client';

export type HouseholdListResponse = z.infer<typeof HouseholdList>;
export type ResidentListResponse = z.infer<typeof ResidentList>;
export type FactInput = z.input<typeof FactCreateBody>;
export type RevealField = 'citizenId' | 'phone';
export type PovertyFilter = '' | 'poor' | 'near_poor' | 'none';

/** `q`: part of the address or of the household code, with or without diacritics. */
export type HouseholdFilters = { unit?: string; neighbourhood?: number; poverty?: PovertyFilter; q?: string };

export const registryKeys = {
  households: (f: HouseholdFilters) => ['households', 'list', f.unit ?? '', f.neighbourhood ?? 0, f.poverty ?? '', f.q ?? ''] as const,
  household: (id: number) => ['households', 'detail', id] as const,
  residents: (unit: string, q: string) => ['residents', 'list', unit, q] as const,
  resident: (id: number) => ['residents', 'detail', id] as const,
  facts: (residentId: number) => ['residents', 'facts', residentId] as const,
  merges: (unit: string) => ['residents', 'merges', unit] as const,
  distinctPairs: (unit: string) => ['residents', 'distinct-pairs', unit] as const,
};

const PAGE_SIZE = 25;

export const fetchHouseholds = (f: HouseholdFilters, cursor: string | undefined) =>
  api.get<HouseholdListResponse>('/households', {
    unit: f.unit,
    neighbourhood: f.neighbourhood,
    poverty: f.poverty,
    q: f.q,
    cursor,
    limit: PAGE_SIZE,
  });

export const fetchHousehold = (id: number) => api.get<HouseholdDetail>(`/households/${id}`);

export const fetchResidents = (unit: string, q: string, cursor: string | undefined) =>
  api.get<ResidentListResponse>('/residents', { unit, q, cursor, limit: PAGE_SIZE });

export const fetchResident = (id: number) => api.get<ResidentDetail>(`/residents/${id}`);
export const fetchFacts = (residentId: number) => api.get<{ items: FactView[] }>(`/residents/${residentId}/facts`);
export const createFact = (residentId: number, body: FactInput) => api.post<FactView>(`/residents/${residentId}/facts`, body);
export const confirmRecordAccount = (residentId: number) => api.post<RecordAccount>(`/residents/${residentId}/account/confirm`);
export const unlinkRecordAccount = (residentId: number, reason: string) => api.post<{ ok: true }>(`/residents/${residentId}/account/unlink`, { reason });
export const revealField = (residentId: number, field: RevealField) =>
  api.post<z.infer<typeof RevealResponse>>(`/residents/${residentId}/reveal`, { field });

// Suspected duplicates: merge, undo, "two different people".
export const mergeResident = (mergedId: number, intoResidentId: number, reason: string) =>
  api.post<ResidentMergeView>(`/residents/${mergedId}/merge`, { intoResidentId, reason });
export const undoMerge = (mergeId: number) => api.post<ResidentMergeView>(`/resident-merges/${mergeId}/undo`);
export const fetchMerges = (unit: string) => api.get<{ items: ResidentMergeView[] }>('/resident-merges', { unit });
export const fetchDistinctPairs = (unit: string) => api.get<{ items: DistinctPairView[] }>('/resident-distinct-pairs', { unit });
export const markDistinct = (residentId: number, otherResidentId: number) =>
  api.post<DistinctPairView>(`/residents/${residentId}/distinct`, { otherResidentId });
export const unmarkDistinct = (residentId: number, otherResidentId: number) =>
  api.delete<DistinctPairView>(`/residents/${residentId}/distinct/${otherResidentId}`);
