import { z } from 'zod';
import { IsoDate, PageQuery, UnitCode, page } from './common.ts';
import { ResidentMergeView } from './merges.ts';

export const PovertyStatus = z.enum(['poor', 'near_poor', 'none']);
export const Sex = z.enum(['male', 'female']);
export const RelationToHead = z.enum(['head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'relative', 'other']);
export const ResidenceType = z.enum(['permanent', 'temporary']);
export const ResidentStatus = z.enum(['living', 'moved_away', 'deceased']);
export const Element = z.enum(['identity', 'device', 'accounts', 'skills']);
export const ElementState = z.enum(['met', 'partial', 'missing', 'unknown', 'not_applicable']);
export const SourceKind = z.enum(['import', 'visit', 'course', 'person', 'seed']);

export const FactView = z.object({
  id: z.number(),
  indicator: z.string(),
  value: z.string(),
  sourceKind: SourceKind,
  sourceRef: z.string().nullable(),
  statedBy: z.string().nullable().describe('Username of the person who recorded it'),
  observedOn: z.string(),
  recordedAt: z.string(),
  correctsFactId: z.number().nullable(),
  note: z.string().nullable(),
  mergedFromResidentId: z
    .number()
    .nullable()
    .optional()
    .describe('Set when the fact was recorded on another record since merged into this one: its provenance'),
});
export type FactView = z.infer<typeof FactView>;

export const IndicatorStatus = z.object({
  indicator: z.string(),
  value: z.string().nullable().describe('Current value: the latest fact, or null when no source has said'),
  fact: FactView.nullable(),
});
export const ElementStatus = z.object({
  element: Element,
  state: ElementState,
  indicators: z.array(IndicatorStatus),
});
export type ElementStatus = z.infer<typeof ElementStatus>;

export const ResidentSummary = z.object({
  id: z.number(),
  householdId: z.number(),
  unitCode: z.string(),
  fullName: z.string(),
  birthYear: z.number(),
  sex: Sex.nullable(),
  citizenId: z.string().nullable().describe('Masked unless the role may see it'),
  relationToHead: RelationToHead,
  status: ResidentStatus,
});
export type ResidentSummary = z.infer<typeof ResidentSummary>;

/**
 * The resident's own account on the learning site, when one holds this record. A link by a
 * phone or a typed ID is probable, not proven: an official who has seen the person's papers
 * confirms it ('official'), or removes a link to the wrong person.
 */
export const RecordAccount = z.object({
  userId: z.number(),
  link: z.enum(['oidc', 'phone', 'typed', 'official']),
  verified: z.boolean().describe('Linked by an identity provider or confirmed by an official'),
});
export type RecordAccount = z.infer<typeof RecordAccount>;
export const RecordAccountUnlinkBody = z.object({
  reason: z.string().trim().min(5, 'Hãy ghi lý do gỡ liên kết (ít nhất 5 ký tự)').max(300, 'Lý do dài quá 300 ký tự'),
});

export const ResidentDetail = ResidentSummary.extend({
  birthDate: z.string().nullable(),
  age: z.number(),
  phone: z.string().nullable().describe('Masked unless revealed'),
  phoneCarrier: z.string().nullable(),
  residenceType: ResidenceType,
  eligible: z.boolean().describe('Adult (18+) living in the unit: computed, never typed'),
  elements: z.array(ElementStatus),
  canReveal: z.object({ citizenId: z.boolean(), phone: z.boolean() }),
  mergedFrom: z
    .array(ResidentMergeView)
    .optional()
    .describe('Records merged into this one (not undone); only for officials who may merge'),
  account: RecordAccount.nullable().optional().describe('The learning-site account holding this record; only for officials who may edit the registry'),
});
export type ResidentDetail = z.infer<typeof ResidentDetail>;

export const ResidentsQuery = PageQuery.extend({
  unit: UnitCode.optional(),
  q: z.string().trim().max(100).optional().describe('Name without diacritics, or the last digits of a citizen ID'),
});
/** A search result carries where the person lives, so that two people of one name can be told apart. */
export const ResidentSearchItem = ResidentSummary.extend({ address: z.string(), unitName: z.string() });
export type ResidentSearchItem = z.infer<typeof ResidentSearchItem>;
export const ResidentList = page(ResidentSearchItem);

export const HouseholdSummary = z.object({
  id: z.number(),
  unitCode: z.string(),
  unitName: z.string().describe('Full name of the unit, e.g. Phường Sài Gòn'),
  neighbourhoodId: z.number().nullable(),
  neighbourhood: z.string().nullable(),
  householdCode: z.string().nullable(),
  address: z.string(),
  povertyStatus: PovertyStatus,
  povertyListYear: z.number().nullable(),
  headName: z.string().nullable(),
  members: z.number(),
});
export type HouseholdSummary = z.infer<typeof HouseholdSummary>;
export const HouseholdsQuery = PageQuery.extend({
  unit: UnitCode.optional(),
  neighbourhood: z.coerce.number().int().positive().optional(),
  poverty: PovertyStatus.optional(),
  q: z.string().trim().max(100).optional().describe('Part of the address or the household code, with or without diacritics'),
});
export const HouseholdList = page(HouseholdSummary);

export const HouseholdDetail = HouseholdSummary.extend({
  residents: z.array(ResidentDetail),
  mergedAway: z.array(ResidentMergeView).optional().describe("Members of this household merged into another record; only for officials who may merge"),
});
export type HouseholdDetail = z.infer<typeof HouseholdDetail>;

const povertyRule = <T extends { povertyStatus?: string | undefined; povertyListYear?: number | null | undefined }>(v: T) =>
  !v.povertyStatus || v.povertyStatus === 'none' || v.povertyListYear != null;
const povertyMessage = { message: 'Hộ nghèo/cận nghèo phải ghi năm của danh sách', path: ['povertyListYear'] };

// Stored composed (NFC), as imports store it: a keyboard that sends letters and tone marks apart
// would otherwise write the same street two ways.
const householdAddress = z.string().trim().min(3, 'Địa chỉ quá ngắn').max(300).overwrite((address) => address.normalize('NFC'));

export const HouseholdCreateBody = z
  .object({
    unitCode: UnitCode,
    neighbourhoodId: z.number().int().positive().nullable().optional(),
    householdCode: z.string().trim().max(30).nullable().optional(),
    address: householdAddress,
    povertyStatus: PovertyStatus.default('none'),
    povertyListYear: z.number().int().min(2000).max(2100).nullable().optional(),
  })
  .refine(povertyRule, povertyMessage);
// No cross-field rule here: whether a poor household has its list year depends on what is stored,
// so the service checks the merged record.
export const HouseholdUpdateBody = z
  .object({
    neighbourhoodId: z.number().int().positive().nullable().optional(),
    householdCode: z.string().trim().max(30).nullable().optional(),
    address: householdAddress.optional(),
    povertyStatus: PovertyStatus.optional(),
    povertyListYear: z.number().int().min(2000).max(2100).nullable().optional(),
  });

export const ResidentCreateBody = z.object({
  householdId: z.number().int().positive(),
  fullName: z.string().trim().min(2, 'Họ tên quá ngắn').max(120),
  birthDate: IsoDate.nullable().optional(),
  birthYear: z.number().int().min(1880).max(2100).optional(),
  sex: Sex.nullable().optional(),
  citizenId: z.string().trim().max(30).nullable().optional().describe('12-digit ID or 9-digit legacy ID'),
  phone: z.string().trim().max(30).nullable().optional(),
  relationToHead: RelationToHead,
  residenceType: ResidenceType,
});
export const ResidentUpdateBody = ResidentCreateBody.partial().extend({
  status: ResidentStatus.optional(),
  /** The day they died or moved away (default today); figures count them until that day. */
  leftOn: IsoDate.nullable().optional(),
  /** Another household the resident moves into (a household splitting, or a move to another unit). */
  householdId: z.number().int().positive().optional(),
});

export const FactCreateBody = z.object({
  indicator: z.string().max(60),
  value: z.string().max(60),
  observedOn: IsoDate,
  sourceKind: z.enum(['visit', 'person']).default('person'),
  sourceRef: z.string().trim().max(200).nullable().optional(),
  correctsFactId: z.number().int().positive().nullable().optional(),
  note: z.string().trim().max(500).nullable().optional(),
});

export const RevealBody = z.object({ field: z.enum(['citizenId', 'phone']) });
export const RevealResponse = z.object({ field: z.enum(['citizenId', 'phone']), value: z.string().nullable() });

export const OrganisationKind = z.enum(['business', 'cooperative', 'agency', 'organisation']);
export const OrganisationView = z.object({
  id: z.number(),
  unitCode: z.string(),
  name: z.string(),
  kind: OrganisationKind,
  taxCode: z.string().nullable(),
  address: z.string().nullable(),
  elements: z.array(ElementStatus).optional(),
});
export type OrganisationView = z.infer<typeof OrganisationView>;
export const OrganisationsQuery = PageQuery.extend({ unit: UnitCode.optional(), q: z.string().trim().max(100).optional() });
export const OrganisationList = page(OrganisationView);
export const OrganisationCreateBody = z.object({
  unitCode: UnitCode,
  name: z.string().trim().min(2).max(200),
  kind: OrganisationKind,
  taxCode: z
    .string()
    .trim()
    .regex(/^\d{10}(-\d{3})?$/, 'Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, gạch ngang và 3 chữ số')
    .nullable()
    .optional(),
  address: z.string().trim().max(300).nullable().optional(),
});
