import { z } from 'zod';

export const UnitType = z.enum(['phuong', 'xa', 'dac_khu']);

export const UnitSummary = z.object({
  code: z.string(),
  name: z.string(),
  fullName: z.string(),
  type: UnitType,
  population: z.number().nullable().describe('Official figure from the 2025 reorganisation'),
  households: z.number().describe('Households in the registry'),
  residents: z.number().describe('Residents in the registry who live here'),
  neighbourhoods: z.number(),
});
export type UnitSummary = z.infer<typeof UnitSummary>;
export const UnitList = z.object({ items: z.array(UnitSummary), next: z.string().nullable() });

export const UnitsQuery = z.object({
  q: z.string().max(100).optional().describe('Part of the name, with or without diacritics'),
  cursor: z.string().max(200).optional(),
  /** A province has at most a few hundred units: the default page holds a whole city. */
  limit: z.coerce.number().int().min(1).max(500).default(500),
});

export const UnitParams = z.object({ code: z.string().regex(/^\d{5}$/) });

export const LegacyUnit = z.object({
  oldCode: z.string().nullable(),
  oldName: z.string(),
  oldDistrict: z.string(),
  mergeType: z.string(),
});
export const UnitDetail = UnitSummary.extend({
  provinceCode: z.string(),
  areaKm2: z.number().nullable(),
  legacy: z.array(LegacyUnit).describe('Wards before 1 July 2025 that became (part of) this unit'),
});
export type UnitDetail = z.infer<typeof UnitDetail>;

export const Neighbourhood = z.object({
  id: z.number(),
  unitCode: z.string(),
  name: z.string(),
  mergedInto: z.number().nullable(),
  households: z.number(),
});
export type Neighbourhood = z.infer<typeof Neighbourhood>;
export const NeighbourhoodList = z.object({ items: z.array(Neighbourhood) });

const neighbourhoodName = z
  .string()
  .trim()
  .min(1, 'Tên khu phố/ấp không được để trống')
  .max(100, 'Tên khu phố/ấp dài quá 100 ký tự')
  // One spelling per name: NFC and single spaces, so "Khu phố  1" and a decomposed "Khu phố 1" are one name.
  .overwrite((name) => name.normalize('NFC').replace(/\s+/g, ' '));
export const NeighbourhoodCreateBody = z.object({ name: neighbourhoodName });
export const NeighbourhoodRenameBody = z.object({ name: neighbourhoodName });
export const NeighbourhoodMergeBody = z.object({
  intoId: z.number().int().positive().describe('The neighbourhood that takes over this one and its households'),
});
export const NeighbourhoodParams = z.object({ id: z.coerce.number().int().positive() });
