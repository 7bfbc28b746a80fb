import type { UnitDataQuality } from '@cds/contract';
import { api } from '../../shared/api/api-client';

export const qualityKeys = {
  unit: (code: string) => ['quality', 'unit', code] as const,
};

export const fetchUnitDataQuality = (code: string) => api.get<UnitDataQuality>(`/units/${encodeURIComponent(code)}/data-quality`);
