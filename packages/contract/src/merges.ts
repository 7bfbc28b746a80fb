import { z } from 'zod';
import { UnitCode } from './common.ts';

// Merging suspected duplicate residents and marking pairs as two people. Both are decisions of an
// official, recorded with who and when, and both can be undone.

/** One merge decision: the merged record disappears from lists into the kept one. */
export const ResidentMergeView = z.object({
  id: z.number(),
  keptResidentId: z.number(),
  keptName: z.string(),
  keptHouseholdId: z.number(),
  mergedResidentId: z.number(),
  mergedName: z.string(),
  mergedHouseholdId: z.number(),
  unitCodes: z.array(z.string()).describe('Units of the kept and the merged record'),
  reason: z.string(),
  movedIdentifiers: z.array(z.enum(['citizenId', 'legacyId'])).describe('Identifiers the kept record took over from the merged one'),
  mergedBy: z.string().nullable().describe('Username of the official who merged'),
  mergedAt: z.string(),
  undoneBy: z.string().nullable(),
  undoneAt: z.string().nullable(),
});
export type ResidentMergeView = z.infer<typeof ResidentMergeView>;

export const ResidentMergeBody = z.object({
  intoResidentId: z.number().int().positive().describe('The record to keep; the record in the path is merged into it'),
  reason: z.string().trim().min(3, 'Hãy ghi lý do gộp').max(500),
});
export type ResidentMergeBody = z.infer<typeof ResidentMergeBody>;

export const ResidentMergesQuery = z.object({
  unit: UnitCode,
  state: z.enum(['active', 'all']).default('active').describe('active: merges not undone'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ResidentMergeList = z.object({ items: z.array(ResidentMergeView) });

/** Two records an official found to be two different people. */
export const DistinctPairView = z.object({
  id: z.number(),
  residentIds: z.tuple([z.number(), z.number()]).describe('The two records, lower id first'),
  fullNames: z.tuple([z.string(), z.string()]),
  householdIds: z.tuple([z.number(), z.number()]),
  markedBy: z.string().nullable(),
  markedAt: z.string(),
  unmarkedAt: z.string().nullable(),
});
export type DistinctPairView = z.infer<typeof DistinctPairView>;

export const DistinctPairsQuery = z.object({ unit: UnitCode, limit: z.coerce.number().int().min(1).max(200).default(50) });
export const DistinctPairList = z.object({ items: z.array(DistinctPairView) });

export const DistinctBody = z.object({ otherResidentId: z.number().int().positive() });
export const DistinctParams = z.object({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  otherId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
