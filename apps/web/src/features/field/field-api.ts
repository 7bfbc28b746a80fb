import type { z } from 'zod';
import type {
  ConflictDecision,
  ConflictPage,
  ConflictView,
  DeviceView,
  FieldProgress,
  InviteCreate,
  InviteCreated,
  InviteView,
  MemberAssignment,
  NeedView,
  QuotaSet,
  QuotaView,
  RefusalDecision,
  RefusalPage,
  RefusalView,
  TeamAreasAdd,
  TeamCreate,
  TeamDetail,
  TeamHouseholdPage,
  TeamKind,
  TeamSummary,
  TeamUpdate,
  VisitView,
} from '@cds/contract';
import { api } from '../../shared/api/api-client';

export type { FieldProgress, QuotaView, TeamDetail, TeamKind, TeamSummary, VisitView };
export type TeamCreateBody = z.input<typeof TeamCreate>;
export type TeamUpdateBody = z.input<typeof TeamUpdate>;
export type TeamAreasBody = z.input<typeof TeamAreasAdd>;
export type AssignmentBody = z.input<typeof MemberAssignment>;
export type TeamHouseholdPageResponse = z.infer<typeof TeamHouseholdPage>;
export type TeamHousehold = TeamHouseholdPageResponse['items'][number];
export type InviteViewT = z.infer<typeof InviteView>;
export type InviteCreatedT = z.infer<typeof InviteCreated>;
export type InviteCreateBody = z.input<typeof InviteCreate>;
export type DeviceViewT = z.infer<typeof DeviceView>;
export type QuotaSetBody = z.input<typeof QuotaSet>;
export type RefusalViewT = z.infer<typeof RefusalView>;
export type RefusalPageResponse = z.infer<typeof RefusalPage>;
export type RefusalDecisionBody = z.input<typeof RefusalDecision>;
export type ConflictViewT = z.infer<typeof ConflictView>;
export type ConflictPageResponse = z.infer<typeof ConflictPage>;
export type ConflictDecisionBody = z.input<typeof ConflictDecision>;
export type NeedViewT = z.infer<typeof NeedView>;
export type Candidate = { userId: number; username: string; displayName: string; role: string };

export const TEAM_KINDS: readonly TeamKind[] = ['community_tech', 'volunteer_squad', 'police_group'];

export type TeamHouseholdFilters = { member?: number | undefined; unassigned?: boolean | undefined; neighbourhood?: number | undefined };
export type ProgressScope = { unit?: string | undefined; team?: number | undefined; since?: string | undefined };

export const fieldKeys = {
  all: ['field'] as const,
  teams: (unit: string, archived: boolean) => ['field', 'teams', unit, archived] as const,
  team: (id: number) => ['field', 'team', id] as const,
  candidates: (id: number, q: string) => ['field', 'candidates', id, q] as const,
  households: (id: number, f: TeamHouseholdFilters) =>
    ['field', 'team-households', id, f.member ?? 0, f.unassigned ? 1 : 0, f.neighbourhood ?? 0] as const,
  invites: (id: number) => ['field', 'invites', id] as const,
  devices: (team: number | undefined, unit: string | undefined) => ['field', 'devices', team ?? 0, unit ?? ''] as const,
  quotas: (id: number) => ['field', 'quotas', id] as const,
  progress: (s: ProgressScope) => ['field', 'progress', s.unit ?? '', s.team ?? 0, s.since ?? ''] as const,
  refusals: (unit: string, status: string) => ['field', 'refusals', unit, status] as const,
  conflicts: (unit: string, status: string) => ['field', 'conflicts', unit, status] as const,
  visits: (householdId: number) => ['field', 'visits', householdId] as const,
  needs: (householdId: number) => ['field', 'needs', householdId] as const,
};

const PAGE_SIZE = 50;
const team = (id: number) => `/teams/${id}`;

export const fetchTeams = (unit: string, archived: boolean) =>
  api.get<TeamSummary[]>('/teams', { unit, archived: archived ? true : undefined });
export const createTeam = (body: TeamCreateBody) => api.post<TeamDetail>('/teams', body);
export const fetchTeam = (id: number) => api.get<TeamDetail>(team(id));
export const updateTeam = (id: number, body: TeamUpdateBody) => api.patch<TeamDetail>(team(id), body);

export const fetchCandidates = (id: number, q: string) => api.get<Candidate[]>(`${team(id)}/candidates`, { q });
export const addMember = (id: number, userId: number) => api.post<unknown>(`${team(id)}/members`, { userId });
export const removeMember = (id: number, userId: number) => api.delete<unknown>(`${team(id)}/members/${userId}`);

export const addAreas = (id: number, body: TeamAreasBody) => api.post<TeamDetail>(`${team(id)}/areas`, body);
export const removeArea = (id: number, areaId: number) => api.delete<unknown>(`${team(id)}/areas/${areaId}`);

export const fetchTeamHouseholds = (id: number, f: TeamHouseholdFilters, cursor: string | undefined) =>
  api.get<TeamHouseholdPageResponse>(`${team(id)}/households`, {
    member: f.member,
    unassigned: f.unassigned ? true : undefined,
    neighbourhood: f.neighbourhood,
    cursor,
    limit: PAGE_SIZE,
  });
export const assignHouseholds = (id: number, body: AssignmentBody) => api.post<{ assigned: number }>(`${team(id)}/assignments`, body);

export const fetchInvites = (id: number) => api.get<InviteViewT[]>(`${team(id)}/invites`);
export const createInvite = (id: number, body: InviteCreateBody) => api.post<InviteCreatedT>(`${team(id)}/invites`, body);
export const revokeInvite = (inviteId: number) => api.post<InviteViewT>(`/invites/${inviteId}/revoke`);

export const fetchDevices = (teamId: number | undefined, unit: string | undefined) =>
  api.get<DeviceViewT[]>('/field/devices', { team: teamId, unit });
export const revokeDevice = (deviceId: number) => api.post<DeviceViewT>(`/field/devices/${deviceId}/revoke`);

export const fetchQuotas = (id: number) => api.get<QuotaView[]>(`${team(id)}/quotas`);
export const setQuota = (id: number, body: QuotaSetBody) => api.put<QuotaView>(`${team(id)}/quotas`, body);

export const fetchProgress = (s: ProgressScope) => api.get<FieldProgress>('/field/progress', { unit: s.unit, team: s.team, since: s.since });

export const fetchRefusals = (unit: string, status: string, cursor: string | undefined) =>
  api.get<RefusalPageResponse>('/field/refusals', { unit, status, cursor, limit: 25 });
export const decideRefusal = (id: number, body: RefusalDecisionBody) => api.post<RefusalViewT>(`/field/refusals/${id}/decision`, body);
export const fetchConflicts = (unit: string, status: string, cursor: string | undefined) =>
  api.get<ConflictPageResponse>('/field/conflicts', { unit, status, cursor, limit: 25 });
export const decideConflict = (id: number, body: ConflictDecisionBody) => api.post<unknown>(`/field/conflicts/${id}/decision`, body);

export const fetchVisits = (householdId: number) => api.get<VisitView[]>(`/households/${householdId}/visits`);
export const fetchNeeds = (householdId: number) => api.get<NeedViewT[]>(`/households/${householdId}/needs`);
export const closeNeed = (needId: number, status: 'met' | 'cancelled') => api.post<NeedViewT>(`/needs/${needId}/close`, { status });
