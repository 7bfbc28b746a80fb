import { z } from 'zod';

// The data quality of one unit's registry: how complete, how clean, what still waits for a person.
// Counts are aggregates; only the duplicate examples name people, and only for readers of personal rows.

export const QualityField = z.enum(['birthDate', 'sex', 'citizenId', 'phone', 'householdCode', 'neighbourhood']);
export type QualityField = z.infer<typeof QualityField>;

export const FieldCompleteness = z.object({
  field: QualityField,
  filled: z.number().int().describe('Records with the field filled in'),
  total: z.number().int().describe('Living residents, or households for householdCode and neighbourhood'),
});
export type FieldCompleteness = z.infer<typeof FieldCompleteness>;

export const DuplicateExample = z.object({
  residentIds: z.array(z.number()),
  fullName: z.string(),
  birthYear: z.number().int(),
});
export type DuplicateExample = z.infer<typeof DuplicateExample>;

export const UnitDataQuality = z.object({
  unitCode: z.string(),
  residents: z.number().int().describe('Living residents'),
  households: z.number().int(),
  completeness: z.array(FieldCompleteness),
  residentsWithoutCitizenId: z.number().int().describe('Living residents with no 12-digit citizen ID'),
  legacyIdOnly: z.number().int().describe('Living residents known only by a 9-digit old ID (CMND)'),
  suspectedDuplicates: z.object({
    groups: z.number().int().describe('Groups of living residents with the same name (without diacritics) and birth year'),
    people: z.number().int(),
    examples: z.array(DuplicateExample).max(20).describe('Up to 20 groups; empty for readers of aggregates only'),
  }),
  householdsWithoutHead: z.number().int().describe('Households with living members but none of them the head'),
  householdsWithoutMembers: z.number().int().describe('Households with no living member'),
  addressesAwaitingDecision: z.number().int().describe('Imported rows whose old address may be this unit, waiting for an official to choose'),
  reviewRows: z.number().int().describe('Imported rows of this unit waiting for review'),
  quarantineRows: z.number().int().describe('Imported rows of this unit rejected, waiting to be fixed'),
  computedAt: z.string().describe('When these figures were counted (ISO time)'),
});
export type UnitDataQuality = z.infer<typeof UnitDataQuality>;
