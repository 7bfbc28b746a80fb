import { z } from 'zod';
import { PageQuery, page } from './common.ts';

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
