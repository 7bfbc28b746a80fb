import { IMPORT_FIELDS, SOURCE_TYPES } from '@cds/domain';
import { z } from 'zod';
import { PageQuery, UnitCode, page } from './common.ts';

// The lists live in the domain package, which the server's import code uses too.
export const SourceTypeSchema = z.enum(SOURCE_TYPES);
export const ImportFieldSchema = z.enum(IMPORT_FIELDS);
export const ImportRowStatus = z.enum(['applied', 'review', 'rejected', 'skipped']);

/** What the server read from an uploaded file, before anything is imported. */
export const ImportPreview = z.object({
  fileId: z.string().describe('Pass back to POST /api/imports'),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  legacyEncoding: z.string().nullable().describe('tcvn3 or vni when old font text was converted'),
  sheetName: z.string().nullable(),
  headerRow: z.number().describe('1-based row of the header in the file'),
  headers: z.array(z.string()),
  sampleRows: z.array(z.array(z.string())).describe('The first data records, as read'),
  columns: z.array(ImportFieldSchema.nullable()).describe('The suggested field of each column'),
  missing: z.array(ImportFieldSchema).describe('Required fields no column maps to yet'),
  savedMappings: z.array(z.string()).describe('Names of saved mappings for this source type'),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportPreviewQuery = z.object({
  name: z.string().min(1).max(200).describe('The file name, with its extension (.csv or .xlsx)'),
  source: SourceTypeSchema,
  sheet: z.string().max(100).optional(),
  mapping: z.string().max(100).optional().describe('A saved mapping to apply'),
});

export const ImportStartBody = z.object({
  fileId: z.string().max(100),
  sourceType: SourceTypeSchema,
  sheet: z.string().max(100).optional(),
  /** The field of each column (null: ignore the column), as fixed in the preview. */
  columns: z.array(ImportFieldSchema.nullable()).max(200).optional(),
  defaultUnitCode: UnitCode.optional(),
  saveMappingAs: z.string().trim().min(1).max(100).optional(),
});

export const ImportBatchView = z.object({
  id: z.number(),
  sourceType: SourceTypeSchema,
  fileName: z.string(),
  status: z.enum(['running', 'completed', 'failed', 'rolled_back']).describe('rolled_back: undone; its rows stay for the record'),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  processed: z.number().describe('Data records done so far'),
  total: z.number().nullable().describe('Data records the file holds, estimated before reading it (for a percentage); null when the file does not say'),
  applied: z.number(),
  review: z.number(),
  rejected: z.number(),
  skipped: z.number(),
  error: z.string().nullable(),
});
export type ImportBatchView = z.infer<typeof ImportBatchView>;
export const ImportBatchList = page(ImportBatchView);

/** What rolling an import back did (POST /api/imports/:id/rollback). */
export const ImportRollbackView = z.object({
  batch: ImportBatchView,
  retractedFacts: z.number().describe('Facts of the batch withdrawn by a retraction fact: the value before the batch stands again'),
  removedFacts: z.number().describe('Facts deleted together with the residents only this batch knew of'),
  removedResidents: z.number().describe('Residents the batch created that nothing else refers to'),
  removedHouseholds: z.number().describe('Households the batch created that are left empty and unassigned'),
  removedOrganisations: z.number().describe('Organisations the batch created that nothing else refers to'),
  restoredRecords: z.number().describe('Households and organisations whose overwritten fields got their earlier values back'),
});
export type ImportRollbackView = z.infer<typeof ImportRollbackView>;

export const ImportRowView = z.object({
  batchId: z.number(),
  record: z.number(),
  status: ImportRowStatus,
  reasons: z.array(z.string()),
  cells: z.array(z.string()).nullable().describe('Kept for rows a person must still fix or decide'),
  headers: z.array(z.string()),
  residentId: z.number().nullable(),
  unitCode: z.string().nullable(),
  /** Residents the row may be; on an organisation list, organisations (name with tax code, no birth year). */
  candidates: z.array(z.object({ id: z.number(), fullName: z.string(), birthYear: z.number().nullable(), unitCode: z.string(), citizenId: z.string().nullable() })),
  resolved: z.boolean(),
});
export type ImportRowView = z.infer<typeof ImportRowView>;
export const ImportRowsQuery = PageQuery.extend({ status: ImportRowStatus.optional() });
export const ImportRowList = page(ImportRowView);
export const ImportRowParams = z.object({ id: z.coerce.number().int().positive(), record: z.coerce.number().int().positive() });

/** Fix a rejected row in the app: the corrected cells are evaluated again, as if read from the file. */
export const ImportRowRetryBody = z.object({ cells: z.array(z.string().max(500)).max(200) });
/** Decide a row held for review. */
export const ImportRowResolveBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('same_person'), residentId: z.number().int().positive() }),
  z.object({ decision: z.literal('new_person') }),
  z.object({ decision: z.literal('unit'), unitCode: UnitCode }),
  z.object({ decision: z.literal('discard') }),
]);
