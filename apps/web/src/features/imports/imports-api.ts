import type { z } from 'zod';
import type {
  ImportBatchList,
  ImportBatchView,
  ImportFieldSchema,
  ImportPreview,
  ImportRollbackView,
  ImportRowList,
  ImportRowResolveBody,
  ImportRowStatus,
  ImportRowView,
  ImportStartBody,
  SourceTypeSchema,
} from '@cds/contract';
import { api, apiUrl } from '../../shared/api/api-client';

export type SourceType = z.infer<typeof SourceTypeSchema>;
export type ImportField = z.infer<typeof ImportFieldSchema>;
export type RowStatus = z.infer<typeof ImportRowStatus>;
export type ImportStartInput = z.input<typeof ImportStartBody>;
export type ResolveInput = z.infer<typeof ImportRowResolveBody>;
export type ImportBatchListResponse = z.infer<typeof ImportBatchList>;
export type ImportRowListResponse = z.infer<typeof ImportRowList>;
export type { ImportBatchView, ImportPreview, ImportRollbackView, ImportRowView };

const BATCH_PAGE_SIZE = 20;
const ROW_PAGE_SIZE = 25;

export const importKeys = {
  all: ['imports'] as const,
  list: () => ['imports', 'list'] as const,
  batch: (id: number) => ['imports', 'batch', id] as const,
  rows: (id: number, status: RowStatus) => ['imports', 'rows', id, status] as const,
};

export type PreviewRequest = { file: File; source: SourceType; sheet?: string; mapping?: string };

/** Sends the file's bytes; the server reads it and answers what it found, importing nothing yet. */
export const uploadForPreview = ({ file, source, sheet, mapping }: PreviewRequest) =>
  api.postRaw<ImportPreview>('/imports/files', file, { name: file.name, source, sheet, mapping });

export const startImport = (body: ImportStartInput) => api.post<ImportBatchView>('/imports', body);

export const fetchBatches = (cursor: string | undefined) =>
  api.get<ImportBatchListResponse>('/imports', { cursor, limit: BATCH_PAGE_SIZE });

export const fetchBatch = (id: number) => api.get<ImportBatchView>(`/imports/${id}`);

export const fetchRows = (id: number, status: RowStatus, cursor: string | undefined) =>
  api.get<ImportRowListResponse>(`/imports/${id}/rows`, { status, cursor, limit: ROW_PAGE_SIZE });

export const retryRow = (id: number, record: number, cells: readonly string[]) =>
  api.post<ImportRowView>(`/imports/${id}/rows/${record}/retry`, { cells });

export const resolveRow = (id: number, record: number, body: ResolveInput) =>
  api.post<ImportRowView>(`/imports/${id}/rows/${record}/resolve`, body);

/** Undoes the whole import on the server, in one transaction; its rows stay. */
export const rollbackImport = (id: number) => api.post<ImportRollbackView>(`/imports/${id}/rollback`, {});

/** A plain link: the browser downloads the workbook with the session cookie. */
export const reportUrl = (id: number) => apiUrl(`/imports/${id}/report.xlsx`);
export const templateUrl = (source: SourceType) => apiUrl(`/imports/templates/${source}`);
