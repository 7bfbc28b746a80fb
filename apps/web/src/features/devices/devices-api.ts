import type { z } from 'zod';
import type {
  AllocationCancel,
  AllocationCreate,
  AllocationPage,
  AllocationStatus,
  AllocationView,
  DeliveryCreate,
  DeviceNeed,
  DeviceNeedPage,
  DeviceRequestCreate,
  DeviceRequestResult,
  DeviceSupportPublic,
  FollowUpRecord,
  HandoverRecord,
  HandoverSchedule,
  HandoverScheduled,
  PledgeCreate,
  PledgeView,
  PriorityReason,
  PriorityRule,
  PriorityRuleUpdate,
  SponsorDecision,
  SponsorKind,
  SponsorPortal,
  SponsorRegistration,
  SponsorStatus,
  SponsorView,
  StatedCircumstance,
  StockView,
} from '@cds/contract';
import { api, apiUrl } from '../../shared/api/api-client';

export type { AllocationStatus, AllocationView, DeviceNeed, DeviceSupportPublic, PledgeView, PriorityReason, PriorityRule, SponsorKind, SponsorPortal, SponsorStatus, SponsorView, StatedCircumstance, StockView };
export type PriorityRuleBody = z.input<typeof PriorityRuleUpdate>;
export type DeviceNeedPageT = z.infer<typeof DeviceNeedPage>;
export type AllocationPageT = z.infer<typeof AllocationPage>;
export type AllocationBody = z.input<typeof AllocationCreate>;
export type CancelBody = z.input<typeof AllocationCancel>;
export type ScheduleBody = z.input<typeof HandoverSchedule>;
export type ScheduledT = z.infer<typeof HandoverScheduled>;
export type HandoverBody = z.input<typeof HandoverRecord>;
export type FollowUpBody = z.input<typeof FollowUpRecord>;
export type DeliveryBody = z.input<typeof DeliveryCreate>;
export type PledgeBody = z.input<typeof PledgeCreate>;
export type PortalPledge = SponsorPortal['pledges'][number];

export const ALLOCATION_STATUSES: readonly AllocationStatus[] = ['allocated', 'scheduled', 'handed_over', 'cancelled'];

export type NeedFilters = { unit?: string | undefined; neighbourhood?: number | undefined; unallocated: boolean; poorOnly: boolean };
export type AllocationFilters = { unit?: string | undefined; status?: AllocationStatus | undefined };

export const deviceKeys = {
  all: ['devices'] as const,
  needs: (f: NeedFilters) => ['devices', 'needs', f.unit ?? '', f.neighbourhood ?? 0, f.unallocated, f.poorOnly] as const,
  stock: (unit: string) => ['devices', 'stock', unit] as const,
  pledges: () => ['devices', 'pledges'] as const,
  sponsors: (status: string) => ['devices', 'sponsors', status] as const,
  rules: () => ['devices', 'priority-rules'] as const,
  allocations: (f: AllocationFilters) => ['devices', 'allocations', f.unit ?? '', f.status ?? ''] as const,
  portal: () => ['devices', 'portal'] as const,
  publicFigures: () => ['public', 'device-support'] as const,
};

const PAGE_SIZE = 50;

export const fetchNeeds = (f: NeedFilters, cursor: string | undefined) =>
  api.get<DeviceNeedPageT>('/devices/needs', {
    unit: f.unit,
    neighbourhood: f.neighbourhood,
    unallocated: f.unallocated,
    poorOnly: f.poorOnly,
    cursor,
    limit: PAGE_SIZE,
  });
export const fetchStock = (unit: string) => api.get<StockView[]>('/devices/stock', { unit });
export const fetchPledges = () => api.get<PledgeView[]>('/devices/pledges');
export const cancelPledge = (id: number, body: { reason: string }) => api.post<PledgeView>(`/devices/pledges/${id}/cancel`, body);
export const requestDevice = (body: z.input<typeof DeviceRequestCreate>) => api.post<z.infer<typeof DeviceRequestResult>>('/devices/requests', body);
export const fetchSponsors = (status: SponsorStatus | undefined) => api.get<SponsorView[]>('/devices/sponsors', { status });
export const decideSponsor = (id: number, body: z.input<typeof SponsorDecision>) => api.post<SponsorView>(`/devices/sponsors/${id}/decision`, body);
export const registerSponsor = (body: z.input<typeof SponsorRegistration>) => api.post<{ id: number; status: 'pending' }>('/public/sponsor-registrations', body);
export const recordDelivery = (body: DeliveryBody) => api.post<StockView>('/devices/deliveries', body);

export const fetchAllocations = (f: AllocationFilters, cursor: string | undefined) =>
  api.get<AllocationPageT>('/devices/allocations', { unit: f.unit, status: f.status, cursor, limit: PAGE_SIZE });
export const allocate = (body: AllocationBody) => api.post<AllocationView>('/devices/allocations', body);
export const cancelAllocation = (id: number, body: CancelBody) => api.post<AllocationView>(`/devices/allocations/${id}/cancel`, body);
export const scheduleHandover = (id: number, body: ScheduleBody) => api.post<ScheduledT>(`/devices/allocations/${id}/schedule`, body);
export const recordHandover = (id: number, body: HandoverBody) => api.post<AllocationView>(`/devices/allocations/${id}/handover`, body);
export const recordFollowUp = (id: number, body: FollowUpBody) => api.post<AllocationView>(`/devices/allocations/${id}/follow-up`, body);

export const fetchPriorityRules = () => api.get<PriorityRule[]>('/devices/priority-rules');
export const updatePriorityRule = (code: PriorityRule['code'], body: PriorityRuleBody) =>
  api.put<PriorityRule>(`/devices/priority-rules/${code}`, body);

export const fetchPortal = () => api.get<SponsorPortal>('/devices/portal');
export const createPledge = (body: PledgeBody) => api.post<PledgeView>('/devices/pledges', body);
export const fetchPublicFigures = () => api.get<DeviceSupportPublic>('/public/device-support');

/** The XLSX reports are plain links: the browser downloads them with the session cookie. */
export const reportUrl = (unit: string) => apiUrl('/devices/report.xlsx', { unit });
export const portalReportUrl = () => apiUrl('/devices/portal/report.xlsx');
