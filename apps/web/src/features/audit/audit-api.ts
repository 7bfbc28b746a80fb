import type { z } from 'zod';
import type { AuditList } from '@cds/contract';
import { api } from '../../shared/api/api-client';

export type AuditListResponse = z.infer<typeof AuditList>;
export type AuditFilters = {
  actor: string;
  action: string;
  recordType: string;
  recordId: string;
  from: string;
  to: string;
};

export const AUDIT_ACTIONS = ['read', 'list', 'search', 'create', 'update', 'merge', 'reveal', 'sign_in', 'sign_in_failed', 'sign_out', 'export'] as const;
export const AUDIT_RECORD_TYPES = ['resident', 'household', 'organisation', 'fact', 'neighbourhood', 'user', 'audit_log'] as const;
const PAGE_SIZE = 50;

export const auditKey = (f: AuditFilters, cursor: string | undefined) => ['audit', f, cursor ?? ''] as const;

/** Dates are whole days in the reader's calendar: "to 12/05" includes all of 12 May. */
export const fetchAudit = (f: AuditFilters, cursor: string | undefined) =>
  api.get<AuditListResponse>('/audit', {
    actor: f.actor,
    action: f.action,
    recordType: f.recordType,
    recordId: f.recordId,
    from: f.from ? new Date(`${f.from}T00:00:00`).toISOString() : undefined,
    to: f.to ? new Date(`${f.to}T23:59:59.999`).toISOString() : undefined,
    cursor,
    limit: PAGE_SIZE,
  });
