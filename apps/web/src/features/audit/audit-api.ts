import type { z } from 'zod';
import type { AuditList } from '@cds/contract';
import { api } from '../../shared/api/api-client';
import { vi, type MessageKey } from '../../shared/i18n/dictionary-vi';

export type AuditListResponse = z.infer<typeof AuditList>;
export type AuditFilters = {
  actor: string;
  action: string;
  recordType: string;
  recordId: string;
  from: string;
  to: string;
};

// The filters offer what the dictionary labels: every action and record type the server logs
// (its list is @cds/contract's AUDIT_ACTIONS; audit-labels.test.ts holds the two together).
const labelled = (prefix: string) => Object.keys(vi).flatMap((key) => (key.startsWith(prefix) ? [key.slice(prefix.length)] : []));
export const AUDIT_ACTIONS: readonly string[] = labelled('auditAction.');
export const AUDIT_RECORD_TYPES: readonly string[] = labelled('recordType.');
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

const HOW: Record<string, MessageKey> = { masked: 'audit.masked', hash: 'audit.hashed', last4: 'audit.last4', consented: 'audit.consented' };

/**
 * A logged field in words. The server writes record fields (camelCase or snake_case), indicators
 * (a recorded fact), elements, and paths of them ("members.phone(masked)"): each segment is
 * labelled, with how it was shown said in words.
 */
export function auditFieldLabel(field: string, label: (prefix: string, raw: string) => string, t: (key: MessageKey) => string): string {
  return field
    .split('.')
    .map((segment) => {
      const [, name = segment, how] = /^(.*?)\s*(?:\((\w+)\))?$/.exec(segment) ?? [];
      const key = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      const word = [label('field', key), label('indicator', name), label('element', name)].find((w) => w !== key && w !== name) ?? name;
      const said = how && HOW[how] ? t(HOW[how]) : how;
      return said ? `${word} (${said})` : word;
    })
    .join(' › ');
}
