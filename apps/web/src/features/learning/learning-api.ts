import type { z } from 'zod';
import type {
  CompetitionCreate,
  CompetitionList,
  CompetitionMemberRow,
  CompetitionMembersResult,
  CompetitionStandings,
  CompetitionUpdate,
  CompetitionView,
  LearnerProgressItem,
  LearnerProgressList,
  LearnerProgressSummary,
  RejectedMemberRow,
  UnitStanding,
} from '@cds/contract';
import { api, apiUrl } from '../../shared/api/api-client';

export type { CompetitionMemberRow, CompetitionMembersResult, CompetitionStandings, CompetitionView, LearnerProgressItem, LearnerProgressSummary, RejectedMemberRow, UnitStanding };
export type CompetitionBody = z.input<typeof CompetitionCreate>;
export type ProgressFilters = { unit?: string | undefined; course?: string | undefined };

export const learningKeys = {
  all: ['learning'] as const,
  progress: (f: ProgressFilters) => ['learning', 'progress', f.unit ?? '', f.course ?? ''] as const,
  summary: (unit: string) => ['learning', 'summary', unit] as const,
  competitions: () => ['learning', 'competitions'] as const,
  competition: (id: number) => ['learning', 'competitions', id] as const,
  courses: () => ['learning', 'courses'] as const,
};

const PAGE_SIZE = 50;

export const fetchProgress = (f: ProgressFilters, cursor: string | undefined) =>
  api.get<LearnerProgressList>('/learning/progress', { unit: f.unit, course: f.course, cursor, limit: PAGE_SIZE });
export const fetchProgressSummary = (unit: string) => api.get<LearnerProgressSummary>('/learning/progress/summary', { unit: unit || undefined });
export const progressExportUrl = (f: ProgressFilters) => apiUrl('/learning/progress.xlsx', { unit: f.unit, course: f.course });

export const fetchCompetitions = () => api.get<z.infer<typeof CompetitionList>>('/competitions');
export const createCompetition = (body: CompetitionBody) => api.post<CompetitionView>('/competitions', body);
export const updateCompetition = (id: number, body: z.input<typeof CompetitionUpdate>) => api.patch<CompetitionView>(`/competitions/${id}`, body);
export const fetchStandings = (id: number) => api.get<CompetitionStandings>(`/competitions/${id}/standings`);
export const uploadMembers = (id: number, rows: CompetitionMemberRow[]) => api.post<CompetitionMembersResult>(`/competitions/${id}/members`, { rows });
export const reportUrl = (id: number) => apiUrl(`/competitions/${id}/report.xlsx`);

/** The course catalogue (titles for filters and the create form); public, so any signed-in reader may load it. */
export const fetchCourses = () => api.get<{ courses: { slug: string; title: string; lessonCount: number }[] }>('/courses');
