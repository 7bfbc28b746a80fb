import type { z } from 'zod';
import type {
  MissingList,
  PlanIndicatorDefinition,
  PlanIndicators,
  PlanList,
  PlanSummary,
  Ranking,
  ReportDecisionBody,
  ReportedValueHistory,
  ReportedValueList,
  ReportedValueSaveBody,
  ReportedValueView,
  TargetSplit,
  TargetSplitBody,
  Trend,
  UnitTargetBody,
  UnitTargetList,
} from '@cds/contract';
import { api, apiUrl } from '../../shared/api/api-client';

export type PlanListResponse = z.infer<typeof PlanList>;
/** `GET /api/plans/:id`: the summary with the indicator definitions (the reported ones carry their period). */
export type PlanDetail = PlanSummary & { indicators: PlanIndicatorDefinition[] };
export type ReportedValueListResponse = z.infer<typeof ReportedValueList>;
export type ReportedValueHistoryResponse = z.infer<typeof ReportedValueHistory>;
export type ReportedValueSave = z.input<typeof ReportedValueSaveBody>;
export type ReportDecision = z.input<typeof ReportDecisionBody>;
export type ElementName = 'identity' | 'device' | 'accounts' | 'skills';
export const ELEMENTS: readonly ElementName[] = ['identity', 'device', 'accounts', 'skills'];

/** Where the figures are read: the city (no unit), a unit, or a neighbourhood of a unit; on a day (none: the server's today). */
export type Area = { unit?: string | undefined; neighbourhood?: number | undefined; asOf?: string | undefined };

export const indicatorKeys = {
  plans: () => ['plans', 'list'] as const,
  plan: (id: string) => ['plans', 'detail', id] as const,
  figures: (id: string, area: Area) => ['plans', 'figures', id, area.unit ?? '', area.neighbourhood ?? 0, area.asOf ?? ''] as const,
  ranking: (id: string, indicator: string, unit: string, asOf: string) => ['plans', 'ranking', id, indicator, unit, asOf] as const,
  trend: (id: string, indicator: string, area: Area) =>
    ['plans', 'trend', id, indicator, area.unit ?? '', area.neighbourhood ?? 0, area.asOf ?? ''] as const,
  missing: (id: string, unit: string, element: ElementName, neighbourhood: number) => ['plans', 'missing', id, unit, element, neighbourhood] as const,
  reports: (id: string, unit: string, status: string) => ['plans', 'reports', id, unit, status] as const,
  history: (reportId: number) => ['plans', 'report-history', reportId] as const,
};

const planPath = (id: string) => `/plans/${encodeURIComponent(id)}`;

export const fetchPlans = () => api.get<PlanListResponse>('/plans');
export type { TargetSplit };
export const splitTargets = (id: string, body: z.input<typeof TargetSplitBody>) => api.post<TargetSplit>(`${planPath(id)}/targets/split`, body);
export const setUnitTarget = (id: string, body: z.input<typeof UnitTargetBody>) => api.put<z.infer<typeof UnitTargetList>>(`${planPath(id)}/targets`, body);
export const fetchPlan = (id: string) => api.get<PlanDetail>(planPath(id));
export const fetchPlanIndicators = (id: string, area: Area) =>
  api.get<PlanIndicators>(`${planPath(id)}/indicators`, { unit: area.unit, neighbourhood: area.neighbourhood, asOf: area.asOf });
export const fetchRanking = (id: string, indicator: string, unit: string, asOf: string) =>
  api.get<Ranking>(`${planPath(id)}/ranking`, { indicator, unit, asOf });
export const fetchTrend = (id: string, indicator: string, area: Area) =>
  api.get<Trend>(`${planPath(id)}/indicators/${encodeURIComponent(indicator)}/trend`, {
    unit: area.unit,
    neighbourhood: area.neighbourhood,
    asOf: area.asOf,
  });
export const fetchMissing = (id: string, unit: string, element: ElementName, neighbourhood: number, cursor: string | null) =>
  api.get<MissingList>(`${planPath(id)}/missing`, { unit, element, neighbourhood: neighbourhood || undefined, cursor, limit: 50 });

export const fetchReports = (id: string, unit: string, status: string) =>
  api.get<ReportedValueListResponse>(`${planPath(id)}/reports`, { unit, status });
export const saveReport = (id: string, body: ReportedValueSave) => api.put<ReportedValueView>(`${planPath(id)}/reports`, body);
export const submitReport = (reportId: number) => api.post<ReportedValueView>(`/reported-values/${reportId}/submit`);
export const approveReport = (reportId: number, body: ReportDecision) => api.post<ReportedValueView>(`/reported-values/${reportId}/approve`, body);
export const returnReport = (reportId: number, body: ReportDecision) => api.post<ReportedValueView>(`/reported-values/${reportId}/return`, body);
export const fetchReportHistory = (reportId: number) => api.get<ReportedValueHistoryResponse>(`/reported-values/${reportId}/history`);

/** A plain link the browser downloads with the session cookie: the server builds the file. */
export const reportFileUrl = (id: string, format: 'xlsx' | 'csv', unit?: string, asOf?: string) =>
  apiUrl(`${planPath(id)}/report.${format}`, { unit, asOf });
