import { z } from 'zod';

/** Every error the API sends: a stable code, a Vietnamese message, its English twin, and, for bad input, what was wrong where. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable machine-readable code, e.g. VALIDATION_FAILED'),
    message: z.string().describe('Vietnamese message for people'),
    messageEn: z.string(),
    issues: z
      .array(z.object({ path: z.string().describe('The field, e.g. body.birthDate'), message: z.string() }))
      .optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Keyset paging: pass `next` back as `cursor` for the following page; null when there is none. */
export const PageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });

export const IdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const IsoDate = z.iso.date();
export const UnitCode = z.string().regex(/^\d{5}$/, 'Mã đơn vị gồm 5 chữ số');

export const Role = z.enum(['city_admin', 'analyst', 'unit_official', 'team_leader', 'volunteer', 'sponsor', 'citizen', 'auditor']);
export type Role = z.infer<typeof Role>;

export const Ok = z.object({ ok: z.literal(true) });
