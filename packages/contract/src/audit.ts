import { z } from 'zod';
import { PageQuery, page } from './common.ts';

/**
 * Every action the audit log records. The server's recordAudit takes only these, and the web app
 * labels each in both languages (its test compares), so the log never shows a raw code.
 */
export const AUDIT_ACTIONS = [
  'read', 'list', 'search', 'reveal', 'export', 'create', 'update', 'save', 'merge', 'unmerge', 'mark_distinct', 'unmark_distinct',
  'withdraw_facts', 'import', 'rollback', 'submit', 'approve', 'return', 'set_quota', 'sign_in', 'sign_in_failed', 'sign_out',
  'otp_sent', 'link_confirmed', 'link_removed', 'link_taken_over', 'join_team', 'add_member', 'remove_member', 'add_areas',
  'remove_area', 'assign', 'unassign', 'archive', 'create_invite', 'revoke_invite', 'revoke', 'sync', 'sync_refused',
  'accept', 'dismiss', 'keep_newer', 'accept_visit', 'quiz_submitted', 'link_record', 'link_record_failed', 'sign_in_oidc', 'sign_in_otp',
  'verify_certificate', 'verify_certificate_failed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Every kind of record the audit log names. */
export const AUDIT_RECORD_TYPES = [
  'resident', 'household', 'organisation', 'fact', 'neighbourhood', 'user', 'audit_log', 'import_batch', 'import_row',
  'reported_value', 'unit_target', 'plan_report', 'team', 'field_device', 'field_visit', 'field_refusal', 'device_pledge',
  'device_delivery', 'device_priority_rule', 'sponsor', 'learner', 'certificate', 'competition', 'competition_member', 'quiz_attempt',
] as const;
export type AuditRecordType = (typeof AUDIT_RECORD_TYPES)[number];

export const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actorUserId: z.number().nullable(),
  actorUsername: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  recordType: z.string().nullable(),
  recordIds: z.array(z.number()),
  unitCodes: z.array(z.string()),
  fields: z.array(z.string()),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = PageQuery.extend({
  actor: z.string().trim().max(100).optional().describe('Username'),
  action: z.string().trim().max(40).optional(),
  recordType: z.string().trim().max(40).optional(),
  recordId: z.coerce.number().int().positive().optional().describe('Entries that touched this record'),
  unit: z.string().regex(/^\d{5}$/).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});
export const AuditList = page(AuditEntry);
