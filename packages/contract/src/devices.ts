import { z } from 'zod';
import { IsoDate, UnitCode, page } from './common.ts';
import { PovertyStatus } from './registry.ts';

// Device support (issue 6): who needs a smart device and why, sponsors and their pledges, the
// stock each unit received, allocations to households, handovers, and the public figures.
//
// Paths (all JSON unless said):
//   GET    /api/devices/priority-rules                 → PriorityRule[]            (anyone signed in but sponsors)
//   PUT    /api/devices/priority-rules/:code           PriorityRuleUpdate → PriorityRule (city_admin)
//   GET    /api/devices/needs?unit&neighbourhood&...    → DeviceNeedPage            (officials, leaders, volunteers: their area)
//   POST   /api/devices/requests                       DeviceRequestCreate → DeviceRequestView (citizen: own household; officials, volunteers: their area)
//   GET    /api/devices/sponsors                       → SponsorView[]              (city_admin, unit_official)
//   POST   /api/devices/sponsors                       SponsorCreate → SponsorView  (city_admin)
//   POST   /api/devices/sponsors/:id/decision          SponsorDecision → SponsorView (city_admin: a registration approved or declined)
//   POST   /api/public/sponsor-registrations           SponsorRegistration → SponsorRegistered (no sign-in; limited per address)
//   GET    /api/devices/pledges?sponsor                 → PledgeView[]               (city_admin, unit_official; a sponsor gets only their own)
//   POST   /api/devices/pledges                        PledgeCreate → PledgeView    (city_admin for any sponsor; a sponsor for themself)
//   POST   /api/devices/pledges/:id/cancel             PledgeCancel → PledgeView   (city_admin; only while nothing was received)
//   GET    /api/devices/stock?unit                      → StockView[]                (city_admin, unit_official)
//   POST   /api/devices/deliveries                     DeliveryCreate → StockView   (unit_official of that unit, city_admin)
//   GET    /api/devices/allocations?unit&status&...     → AllocationPage             (officials, leaders, volunteers: their area)
//   POST   /api/devices/allocations                    AllocationCreate → AllocationView (unit_official own unit, city_admin)
//   GET    /api/devices/allocations/:id                → AllocationView             (same area as the list)
//   POST   /api/devices/allocations/:id/cancel         AllocationCancel → AllocationView
//   POST   /api/devices/allocations/:id/schedule       HandoverSchedule → HandoverScheduled (volunteer/leader/official in area)
//   POST   /api/devices/allocations/:id/handover       HandoverRecord → AllocationView
//   POST   /api/devices/allocations/:id/follow-up      FollowUpRecord → AllocationView
//   GET    /api/devices/report.xlsx?unit               XLSX (city_admin, unit_official)
//   GET    /api/devices/portal                         → SponsorPortal              (sponsor: their pledges, aggregates only)
//   GET    /api/devices/portal/report.xlsx             XLSX of the sponsor's own pledges
//   GET    /api/public/device-support                  → DeviceSupportPublic        (no sign-in; counts only)
//
// Errors: VALIDATION_FAILED with issues naming the field (Vietnamese), FORBIDDEN, NOT_FOUND, and
// DEVICE_ALREADY_ALLOCATED, DEVICE_STOCK_EMPTY, DEVICE_NOT_ELIGIBLE, DEVICE_PLEDGE_EXCEEDED,
// DEVICE_IMEI_TAKEN, DEVICE_BAD_CONFIRMATION, DEVICE_WRONG_STATE, SPONSOR_NOT_LINKED.

// ── Priority rules ──────────────────────────────────────────────────────────────────────────

/**
 * The circumstances that raise a household's priority. poor / near_poor / elderly_alone come
 * from the registry; disability / pupil / single_parent the registry does not hold, so they come
 * from a request's stated circumstances.
 */
export const PriorityCode = z.enum(['poor', 'near_poor', 'elderly_alone', 'disability', 'pupil', 'single_parent']);
export type PriorityCode = z.infer<typeof PriorityCode>;

/** Circumstances a person may state on a request (the ones the registry cannot know). */
export const StatedCircumstance = z.enum(['disability', 'pupil', 'single_parent']);
export type StatedCircumstance = z.infer<typeof StatedCircumstance>;

export const PriorityRule = z.object({
  code: PriorityCode,
  label: z.string().describe('Vietnamese label shown with a score'),
  points: z.number().int(),
  active: z.boolean(),
  source: z.enum(['registry', 'request']).describe('Where the circumstance is read from'),
  updatedAt: z.string(),
});
export type PriorityRule = z.infer<typeof PriorityRule>;

export const PriorityRuleParams = z.object({ code: PriorityCode });
export const PriorityRuleUpdate = z.object({
  points: z.number({ error: 'Điểm phải là số' }).int('Điểm phải là số nguyên').min(0, 'Điểm không được âm').max(100, 'Điểm tối đa 100'),
  active: z.boolean(),
  label: z.string().trim().min(2, 'Tên quá ngắn').max(120, 'Tên quá dài').optional(),
});

/** One reason in a score: the rule, its label and the points it gave. */
export const PriorityReason = z.object({ code: PriorityCode, label: z.string(), points: z.number() });
export type PriorityReason = z.infer<typeof PriorityReason>;

// ── Who needs a device ──────────────────────────────────────────────────────────────────────

/** Why a household is on the list (any of them). */
export const NeedBasis = z.enum([
  'no_smartphone', // no living member's current smartphone fact is true
  'phone_2g_only', // a living member's current phone_2g_only fact is true
  'visit_need', // an open household_needs row of kind device (door-to-door visit)
  'request', // an open device request made by a resident or an official
]);
export type NeedBasis = z.infer<typeof NeedBasis>;

export const DeviceNeedsQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  unit: UnitCode.optional(),
  neighbourhood: z.coerce.number().int().positive().optional(),
  /** Only households that still need a device nobody has allocated yet (the default: the ones still to serve). */
  unallocated: z.stringbool().default(true),
  /** Only poor and near-poor households. */
  poorOnly: z.stringbool().default(false),
});

/** A member who might receive the device: name and age only; the phone masked. */
export const DeviceNeedMember = z.object({
  residentId: z.number(),
  fullName: z.string(),
  age: z.number().nullable(),
  phone2gOnly: z.boolean(),
  smartphone: z.boolean(),
  phoneMasked: z.string().nullable(),
});

export const DeviceNeed = z.object({
  householdId: z.number(),
  unitCode: z.string(),
  unitName: z.string(),
  neighbourhood: z.object({ id: z.number(), name: z.string() }).nullable(),
  address: z.string(),
  poverty: PovertyStatus,
  basis: z.array(NeedBasis),
  score: z.number().describe('Sum of the points of the reasons; the list is ordered by it, highest first'),
  reasons: z.array(PriorityReason),
  members: z.array(DeviceNeedMember),
  openRequests: z.number(),
  devicesNeeded: z.number().describe('One if nobody in the household has a smartphone (or one was asked for), and one for each 2G-only phone'),
  toAllocate: z.number().describe('devicesNeeded less the allocations waiting for their handover'),
  allocations: z
    .array(z.object({ id: z.number(), status: z.enum(['allocated', 'scheduled', 'handed_over']) }))
    .describe('The household’s allocations not cancelled, newest first'),
});
export type DeviceNeed = z.infer<typeof DeviceNeed>;
export const DeviceNeedPage = page(DeviceNeed);

export const DeviceRequestCreate = z.object({
  householdId: z.number({ error: 'Chọn hộ gia đình' }).int().positive(),
  /** The person the device is for, a member of the household. */
  residentId: z.number().int().positive().optional(),
  circumstances: z.array(StatedCircumstance).max(3).default([]),
  note: z.string().trim().max(500, 'Ghi chú tối đa 500 ký tự').optional(),
});
export const DeviceRequestView = z.object({
  id: z.number(),
  householdId: z.number(),
  residentId: z.number().nullable(),
  unitCode: z.string(),
  channel: z.enum(['citizen', 'official']),
  circumstances: z.array(StatedCircumstance),
  note: z.string().nullable(),
  status: z.enum(['open', 'met', 'cancelled']),
  createdAt: z.string(),
});
/** A request asked for again while one is open for the same person: the open one, with what the new one added. */
export const DeviceRequestResult = DeviceRequestView.extend({ alreadyOpen: z.boolean() });

// ── Sponsors and pledges ────────────────────────────────────────────────────────────────────

export const SponsorKind = z.enum(['business', 'union', 'organisation', 'individual']);
export type SponsorKind = z.infer<typeof SponsorKind>;

export const SponsorCreate = z.object({
  kind: SponsorKind,
  name: z.string().trim().min(2, 'Tên nhà tài trợ quá ngắn').max(200, 'Tên nhà tài trợ quá dài'),
  contactName: z.string().trim().max(120).optional(),
  contactPhone: z.string().trim().max(20).optional(),
  contactEmail: z.email('Email không hợp lệ').max(200).optional(),
  /** Shown by name on the public page; an individual is shown as "Nhà hảo tâm" unless they agree. */
  showPublicly: z.boolean().optional(),
  /** A login of role sponsor to link for the sponsor portal. */
  userId: z.number().int().positive().nullable().optional(),
});
export const SponsorStatus = z.enum(['pending', 'active', 'declined']);
export type SponsorStatus = z.infer<typeof SponsorStatus>;

export const SponsorView = z.object({
  id: z.number(),
  kind: SponsorKind,
  name: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  contactEmail: z.string().nullable(),
  showPublicly: z.boolean(),
  userId: z.number().nullable(),
  pledges: z.number(),
  devicesPledged: z.number(),
  createdAt: z.string(),
  status: SponsorStatus.describe('pending: registered on the public site, waiting for the city; declined keeps its reason'),
  taxCode: z.string().nullable(),
  intent: z.string().nullable().describe('What a registering sponsor said they mean to give'),
  username: z.string().nullable().describe('The sponsor’s login, if any'),
  decidedAt: z.string().nullable(),
  declineReason: z.string().nullable(),
});
export type SponsorView = z.infer<typeof SponsorView>;
export const SponsorsQuery = z.object({ status: SponsorStatus.optional() });

/** Vietnamese tax code (mã số thuế): 10 digits, or 10 + "-" + 3 for a branch. */
const TaxCode = z
  .string()
  .trim()
  .regex(/^\d{10}(-\d{3})?$/, 'Mã số thuế gồm 10 chữ số (chi nhánh: 10 chữ số, dấu gạch và 3 chữ số)');

/**
 * A business, union, organisation or person registers as a sponsor on the public site. The login
 * they choose stays disabled until the city approves the registration.
 */
export const SponsorRegistration = z
  .object({
    kind: SponsorKind,
    name: z.string().trim().min(2, 'Tên nhà tài trợ quá ngắn').max(200, 'Tên nhà tài trợ quá dài'),
    taxCode: TaxCode.optional(),
    contactName: z.string().trim().min(2, 'Ghi tên người liên hệ').max(120, 'Tên người liên hệ quá dài'),
    contactPhone: z.string().trim().min(1, 'Ghi số điện thoại liên hệ').max(20, 'Số điện thoại quá dài').describe('Checked as a Vietnamese phone number by the server'),
    contactEmail: z.email('Email không hợp lệ').max(200).optional(),
    showPublicly: z.boolean().default(false),
    intent: z.string().trim().max(500, 'Tối đa 500 ký tự').optional(),
    username: z
      .string()
      .trim()
      .min(4, 'Tên đăng nhập ít nhất 4 ký tự')
      .max(60, 'Tên đăng nhập tối đa 60 ký tự')
      .regex(/^[a-zA-Z0-9._-]+$/, 'Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang'),
    password: z.string().min(10, 'Mật khẩu ít nhất 10 ký tự').max(200, 'Mật khẩu quá dài'),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'business' && !v.taxCode) ctx.addIssue({ code: 'custom', path: ['taxCode'], message: 'Doanh nghiệp cần ghi mã số thuế' });
  });
export type SponsorRegistration = z.infer<typeof SponsorRegistration>;
export const SponsorRegistered = z.object({ id: z.number(), status: z.literal('pending') });

export const SponsorDecision = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }),
  z.object({ decision: z.literal('decline'), reason: z.string().trim().min(3, 'Ghi lý do từ chối (ít nhất 3 ký tự)').max(300, 'Lý do tối đa 300 ký tự') }),
]);

export const DeviceNetwork = z.enum(['4g', '5g']);
export type DeviceNetwork = z.infer<typeof DeviceNetwork>;

const Money = z.number({ error: 'Số tiền phải là số' }).int('Số tiền tính bằng đồng').positive('Số tiền phải lớn hơn 0').max(1e12);

/**
 * A pledge: devices (model, 4G/5G, quantity) or money (amount, subsidy per device; the devices it
 * funds are amount ÷ subsidy, rounded down). Delivery to a unit (or "any unit" when null).
 */
export const PledgeCreate = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('device'),
    sponsorId: z.number().int().positive().optional().describe('Required for city staff; a sponsor pledges for themself'),
    model: z.string().trim().min(2, 'Ghi rõ mẫu máy').max(120, 'Tên mẫu máy quá dài'),
    network: DeviceNetwork,
    quantity: z.number({ error: 'Số lượng phải là số' }).int('Số lượng phải là số nguyên').min(1, 'Số lượng ít nhất 1').max(100000, 'Số lượng quá lớn'),
    deliveryUnitCode: UnitCode.nullable().optional(),
    deliveryPlace: z.string().trim().max(300).optional(),
  }),
  z.object({
    kind: z.literal('money'),
    sponsorId: z.number().int().positive().optional(),
    amountVnd: Money,
    subsidyPerDeviceVnd: Money,
    network: DeviceNetwork.default('4g'),
    deliveryUnitCode: UnitCode.nullable().optional(),
    deliveryPlace: z.string().trim().max(300).optional(),
  }),
]);
export type PledgeCreate = z.infer<typeof PledgeCreate>;

export const PledgeView = z.object({
  id: z.number(),
  sponsorId: z.number(),
  sponsorName: z.string(),
  kind: z.enum(['device', 'money']),
  model: z.string().nullable(),
  network: DeviceNetwork,
  quantity: z.number().describe('Devices pledged, or funded by the money'),
  amountVnd: z.number().nullable(),
  subsidyPerDeviceVnd: z.number().nullable(),
  deliveryUnitCode: z.string().nullable(),
  deliveryPlace: z.string().nullable(),
  status: z.enum(['open', 'cancelled']),
  cancelReason: z.string().nullable(),
  received: z.number().describe('Devices units have received from it'),
  allocated: z.number().describe('Active allocations (not cancelled), handovers included'),
  handedOver: z.number(),
  pledgedAt: z.string(),
});
export type PledgeView = z.infer<typeof PledgeView>;
export const PledgeCancel = z.object({ reason: z.string().trim().min(3, 'Ghi lý do huỷ (ít nhất 3 ký tự)').max(300, 'Lý do tối đa 300 ký tự') });
export const PledgesQuery = z.object({ sponsor: z.coerce.number().int().positive().optional() });

// ── Stock ───────────────────────────────────────────────────────────────────────────────────

/** A unit receives devices of a pledge: its stock of that pledge grows by the quantity. */
export const DeliveryCreate = z.object({
  pledgeId: z.number({ error: 'Chọn cam kết tài trợ' }).int().positive(),
  unitCode: UnitCode,
  quantity: z.number({ error: 'Số lượng phải là số' }).int('Số lượng phải là số nguyên').min(1, 'Số lượng ít nhất 1').max(100000),
  receivedOn: IsoDate,
});
export const StockView = z.object({
  id: z.number().describe('Stock id: pass it when allocating'),
  unitCode: z.string(),
  unitName: z.string(),
  pledgeId: z.number(),
  sponsorName: z.string(),
  model: z.string().nullable(),
  network: DeviceNetwork,
  received: z.number(),
  available: z.number().describe('received − active allocations; never below zero (database CHECK)'),
  lastReceivedOn: z.string().nullable(),
});
export type StockView = z.infer<typeof StockView>;
export const StockQuery = z.object({ unit: UnitCode.optional() });

// ── Allocation and handover ─────────────────────────────────────────────────────────────────

export const AllocationStatus = z.enum(['allocated', 'scheduled', 'handed_over', 'cancelled']);
export type AllocationStatus = z.infer<typeof AllocationStatus>;

export const AllocationCreate = z.object({
  householdId: z.number({ error: 'Chọn hộ gia đình' }).int().positive(),
  stockId: z.number({ error: 'Chọn lô thiết bị' }).int().positive(),
  /** The member who will receive it; may be chosen later, at scheduling. */
  residentId: z.number().int().positive().optional(),
});
export const AllocationCancel = z.object({ reason: z.string().trim().min(3, 'Ghi rõ lý do huỷ').max(500) });

export const AllocationsQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  unit: UnitCode.optional(),
  status: AllocationStatus.optional(),
});

export const AllocationView = z.object({
  id: z.number(),
  householdId: z.number(),
  address: z.string(),
  unitCode: z.string(),
  unitName: z.string(),
  stockId: z.number(),
  pledgeId: z.number(),
  sponsorName: z.string(),
  model: z.string().nullable(),
  network: DeviceNetwork,
  score: z.number(),
  reasons: z.array(PriorityReason),
  status: AllocationStatus,
  recipient: z.object({ residentId: z.number(), fullName: z.string() }).nullable(),
  allocatedAt: z.string(),
  allocatedBy: z.string().nullable(),
  scheduledFor: z.string().nullable(),
  handedOverAt: z.string().nullable(),
  /** The day written on the handover form (Vietnam's calendar); handedOverAt is when it was recorded. */
  handedOverOn: IsoDate.nullable(),
  imeiMasked: z.string().nullable().describe('Last four digits only'),
  confirmation: z.enum(['code', 'signature']).nullable(),
  hasPhoto: z.boolean(),
  consentToSponsor: z.boolean(),
  followUpDue: z.string().nullable(),
  followUp: z.object({ at: z.string(), inUse: z.boolean(), note: z.string().nullable() }).nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
});
export type AllocationView = z.infer<typeof AllocationView>;
export const AllocationPage = page(AllocationView);

export const HandoverSchedule = z.object({
  scheduledFor: IsoDate,
  recipientResidentId: z.number({ error: 'Chọn người nhận' }).int().positive(),
});
/** The code is shown once, to be given to the recipient (paper or SMS); it is read back at handover. */
export const HandoverScheduled = z.object({
  allocation: AllocationView,
  confirmationCode: z.string().describe('6 digits, shown once; only its hash is stored'),
});

/** Image data URLs: a signature at most 200,000 characters (~150 KB), a photo 600,000 (~450 KB), so both fit the 1 MB body limit. */
const pngOrJpegDataUrl = (maxChars: number, what: string) =>
  z
    .string()
    .max(maxChars, `${what} quá lớn (tối đa khoảng ${Math.floor((maxChars * 3) / 4 / 1000)} KB)`)
    .regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+=*$/, `${what} phải là ảnh PNG hoặc JPEG`);

export const HandoverRecord = z
  .object({
    imei: z.string().trim().describe('15 digits, Luhn-checked, unique; checked by the server with a Vietnamese message'),
    /** The recipient confirms with the code given at scheduling, or a signature drawn on screen. */
    confirmationCode: z.string().trim().regex(/^\d{6}$/, 'Mã xác nhận gồm 6 chữ số').optional(),
    signaturePng: z
      .string()
      .max(200_000, 'Chữ ký quá lớn (tối đa khoảng 150 KB)')
      .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/, 'Chữ ký phải là ảnh PNG')
      .optional(),
    photo: pngOrJpegDataUrl(600_000, 'Ảnh').optional(),
    photoSkippedNote: z.string().trim().max(300).optional(),
    /** The recipient agreed that the sponsor may see their first name and unit. */
    consentToSponsor: z.boolean().default(false),
    handedOverOn: IsoDate.optional().describe('Defaults to today in Vietnam'),
  })
  .refine((v) => v.confirmationCode !== undefined || v.signaturePng !== undefined, {
    message: 'Cần mã xác nhận hoặc chữ ký của người nhận',
    path: ['confirmationCode'],
  })
  // The photo is optional, but skipping it is said in words, so a missing photo is never an accident.
  .refine((v) => v.photo !== undefined || (v.photoSkippedNote ?? '').length > 0, {
    message: 'Cần ảnh bàn giao, hoặc ghi lý do không chụp ảnh',
    path: ['photo'],
  });

export const FollowUpRecord = z.object({
  inUse: z.boolean({ error: 'Cho biết thiết bị còn được dùng không' }),
  note: z.string().trim().max(500).optional(),
});

// ── Sponsor portal (aggregates only) ────────────────────────────────────────────────────────

/** Where and when a pledge's devices went, per unit. Never a recipient. */
export const PledgeUnitOutcome = z.object({
  unitCode: z.string(),
  unitName: z.string(),
  received: z.number(),
  allocated: z.number(),
  handedOver: z.number(),
  firstHandoverOn: z.string().nullable(),
  lastHandoverOn: z.string().nullable(),
  inUseAtFollowUp: z.number(),
});
/** Only recipients who agreed (consent_to_sponsor): first name and unit. */
export const ConsentedRecipient = z.object({ firstName: z.string(), unitName: z.string(), handedOverOn: z.string() });
export const SponsorPortalPledge = PledgeView.extend({
  units: z.array(PledgeUnitOutcome),
  consentedRecipients: z.array(ConsentedRecipient),
});
export const SponsorPortal = z.object({
  sponsor: z.object({ id: z.number(), name: z.string(), kind: SponsorKind }),
  pledges: z.array(SponsorPortalPledge),
});
export type SponsorPortal = z.infer<typeof SponsorPortal>;

// ── Public figures (no sign-in, counts only) ────────────────────────────────────────────────

export const DeviceSupportCounts = z.object({
  pledged: z.number(),
  received: z.number(),
  allocated: z.number(),
  handedOver: z.number(),
});
export const DeviceSupportPublic = z.object({
  asOf: z.string(),
  totals: DeviceSupportCounts,
  byUnit: z.array(DeviceSupportCounts.extend({ unitCode: z.string(), unitName: z.string() })),
  bySponsor: z.array(
    DeviceSupportCounts.extend({
      sponsorId: z.number(),
      name: z.string().describe('"Nhà hảo tâm" for an individual who did not agree to be named'),
      kind: SponsorKind,
    }),
  ),
});
export type DeviceSupportPublic = z.infer<typeof DeviceSupportPublic>;

export const DeviceReportQuery = z.object({ unit: UnitCode.optional() });
