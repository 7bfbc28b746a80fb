import { z } from 'zod';
import { IsoDate, UnitCode, page } from './common.ts';
import { FieldHandoverDue } from './field-handover.ts';
import { RelationToHead, Sex } from './registry.ts';

// The door-to-door campaign: teams and what they are given (official and leader side), and the
// field app's download and sync (volunteer side). The field app imports only these schemas.

export const TeamKind = z.enum(['community_tech', 'volunteer_squad', 'police_group']);
export type TeamKind = z.infer<typeof TeamKind>;

const Name = z.string().trim().min(2, 'Tên quá ngắn').max(120, 'Tên quá dài');

export const TeamCreate = z.object({
  unitCode: UnitCode,
  name: Name,
  kind: TeamKind,
  leaderUserId: z.number().int().positive().nullable().optional(),
});
export const TeamUpdate = z.object({
  name: Name.optional(),
  leaderUserId: z.number().int().positive().nullable().optional(),
  archived: z.boolean().optional(),
});

export const TeamMemberView = z.object({
  userId: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  joinedAt: z.string(),
  householdsAssigned: z.number(),
  devices: z.number().describe('Devices not revoked'),
});
export type TeamMemberView = z.infer<typeof TeamMemberView>;

export const TeamSummary = z.object({
  id: z.number(),
  unitCode: z.string(),
  unitName: z.string(),
  name: z.string(),
  kind: TeamKind,
  leader: z.object({ userId: z.number(), displayName: z.string() }).nullable(),
  members: z.number(),
  householdsAssigned: z.number().describe('Households in the team’s neighbourhoods and single households'),
  householdsVisited: z.number(),
  archived: z.boolean(),
});
export type TeamSummary = z.infer<typeof TeamSummary>;

export const TeamAreaView = z.object({
  id: z.number(),
  neighbourhood: z.object({ id: z.number(), name: z.string() }).nullable(),
  household: z.object({ id: z.number(), address: z.string() }).nullable(),
  households: z.number(),
  assignedAt: z.string(),
});
export type TeamAreaView = z.infer<typeof TeamAreaView>;

export const TeamDetail = TeamSummary.extend({
  memberList: z.array(TeamMemberView),
  areas: z.array(TeamAreaView),
});
export type TeamDetail = z.infer<typeof TeamDetail>;

/** A query flag: the words true/false (z.coerce.boolean would read "false" as true). */
const Flag = z.stringbool().default(false);

export const TeamsQuery = z.object({ unit: UnitCode.optional(), archived: Flag });

/** A unit official gives a team whole neighbourhoods or single households of the team's unit. */
export const TeamAreasAdd = z
  .object({
    neighbourhoodIds: z.array(z.number().int().positive()).max(200).default([]),
    householdIds: z.array(z.number().int().positive()).max(2000).default([]),
  })
  .refine((v) => v.neighbourhoodIds.length + v.householdIds.length > 0, 'Chọn ít nhất một khu phố hoặc một hộ');

/** A leader gives team households to a member (or takes them back with `userId: null`). */
export const MemberAssignment = z.object({
  userId: z.number().int().positive().nullable(),
  householdIds: z.array(z.number().int().positive()).min(1).max(2000),
});

export const TeamHouseholdsQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  member: z.coerce.number().int().positive().optional().describe('Only households given to this member'),
  unassigned: Flag.describe('Only households given to no member yet'),
  neighbourhood: z.coerce.number().int().positive().optional(),
});
export const TeamHousehold = z.object({
  id: z.number(),
  address: z.string(),
  neighbourhoodName: z.string().nullable(),
  members: z.number(),
  assignedTo: z.object({ userId: z.number(), displayName: z.string() }).nullable(),
  lastVisit: z.object({ at: z.string(), outcome: z.string() }).nullable(),
});
export const TeamHouseholdPage = page(TeamHousehold);

/** Someone who may be added to a team: a volunteer or team leader of the province not in it. */
export const TeamCandidate = z.object({ userId: z.number(), username: z.string(), displayName: z.string(), role: z.string() });

// Invites: a QR code or one-time link. The token is shown once, when made.
export const InviteCreate = z.object({
  expiresInHours: z.number().int().min(1).max(24 * 30).default(72),
  maxUses: z.number().int().min(1).max(200).default(1),
});
export const InviteView = z.object({
  id: z.number(),
  teamId: z.number(),
  createdAt: z.string(),
  expiresAt: z.string(),
  maxUses: z.number(),
  usedCount: z.number(),
  status: z.enum(['active', 'used', 'expired', 'revoked']),
});
export const InviteCreated = InviteView.extend({
  token: z.string().describe('Shown once; only its hash is stored'),
  url: z.string().describe('/field/join#<token>: the QR code encodes this'),
});
/** Someone opening an invite: who invites them to what, before they choose a login. */
export const InvitePreview = z.object({ teamName: z.string(), unitName: z.string(), expiresAt: z.string() });
export const JoinRequest = z.object({
  token: z.string().min(20).max(200),
  displayName: Name,
  username: z
    .string()
    .trim()
    .min(3, 'Tên đăng nhập từ 3 ký tự')
    .max(40)
    .regex(/^[a-z0-9._-]+$/, 'Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch'),
  password: z.string().min(10, 'Mật khẩu từ 10 ký tự').max(200),
});

// Quotas: households to visit by a plan phase's deadline, per team or per member.
export const QuotaSet = z.object({
  userId: z.number().int().positive().nullable().default(null),
  planId: z.string().min(1).max(60),
  phaseId: z.string().min(1).max(60),
  householdsTarget: z.number().int().min(0).max(100000),
  deadline: IsoDate.optional().describe('Defaults to the phase’s end'),
});
export const QuotaView = z.object({
  id: z.number(),
  teamId: z.number(),
  userId: z.number().nullable(),
  displayName: z.string().nullable(),
  planId: z.string(),
  phaseId: z.string(),
  householdsTarget: z.number(),
  deadline: z.string(),
  householdsVisited: z.number().describe('Distinct households visited with outcome done since the phase began'),
  status: z.enum(['done', 'on_track', 'at_risk', 'overdue']),
});
export type QuotaView = z.infer<typeof QuotaView>;

// Devices.
export const DeviceEnrol = z.object({
  label: z.string().trim().min(1).max(80),
  appVersion: z.string().max(40),
});
export const DeviceEnrolled = z.object({ deviceId: z.number(), deviceToken: z.string().describe('Send as X-Field-Device on every sync') });
export const DeviceView = z.object({
  id: z.number(),
  userId: z.number(),
  displayName: z.string(),
  label: z.string(),
  appVersion: z.string().nullable(),
  enrolledAt: z.string(),
  lastSyncAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

// ── The field app ──────────────────────────────────────────────────────────────────────────

/** The lowest field app version the server accepts visits from; older ones are told to update. */
export const FIELD_MIN_APP_VERSION = '1.0.0';
export const FIELD_DEVICE_HEADER = 'x-field-device';

export const FieldIndicatorValues = z.record(z.string(), z.string()).describe('indicator → value, as in INDICATOR_VALUES');

/** What a volunteer downloads: their households, and of each member only what a visit needs. */
export const FieldMember = z.object({
  residentId: z.number(),
  fullName: z.string(),
  birthYear: z.number(),
  sex: Sex.nullable(),
  relationToHead: RelationToHead,
  citizenIdMasked: z.string().nullable().describe('Last four digits only; never the full ID'),
  phoneMasked: z.string().nullable(),
  current: FieldIndicatorValues.describe('Current value of each indicator the registry knows'),
});
export type FieldMember = z.infer<typeof FieldMember>;

export const FieldHousehold = z.object({
  id: z.number(),
  unitCode: z.string(),
  address: z.string(),
  neighbourhoodName: z.string().nullable(),
  poverty: z.enum(['poor', 'near_poor', 'none']),
  members: z.array(FieldMember),
  lastVisit: z.object({ at: z.string(), outcome: z.string() }).nullable(),
  needsReturn: z.boolean(),
  /** Optional: households stored by an app from before handovers were in the bundle have none. */
  handovers: z
    .array(FieldHandoverDue)
    .optional()
    .describe('Device handovers scheduled in this household (one per 2G-only phone at most), for those who may hand over'),
});
export type FieldHousehold = z.infer<typeof FieldHousehold>;

export const FieldBundle = z.object({
  user: z.object({ userId: z.number(), displayName: z.string(), role: z.string() }),
  team: z.object({ id: z.number(), name: z.string(), unitName: z.string() }).nullable(),
  households: z.array(FieldHousehold),
  generatedAt: z.string(),
  minAppVersion: z.string(),
});
export type FieldBundle = z.infer<typeof FieldBundle>;

/** Things done at the door, each recorded as a fact of the member it was done for. */
export const FieldAction = z.enum([
  'city_app_installed',
  'vneid_activated',
  'vneid_level2',
  'epayment_account_opened',
  'public_service_account_made',
  'social_insurance_added',
  'vssid_installed',
  'etax_set_up',
  'digital_signature_given',
  'health_record_updated',
  'trained',
]);
export type FieldAction = z.infer<typeof FieldAction>;

export const FieldVisitMember = z.object({
  residentId: z.number().int().positive(),
  present: z.boolean(),
  /** Values confirmed or corrected at the door; only differences from the registry become facts. */
  observed: FieldIndicatorValues.default({}),
  actions: z.array(FieldAction).max(20).default([]),
  trainingTopic: z.string().trim().max(200).optional(),
});

/** Someone the registry does not know, found at the door. */
export const FieldNewPerson = z.object({
  clientPersonId: z.uuid(),
  fullName: z.string().trim().min(2).max(120),
  birthYear: z.number().int().min(1900).max(2100),
  sex: Sex.nullable(),
  relationToHead: RelationToHead,
  phone: z.string().trim().max(20).optional(),
  observed: FieldIndicatorValues.default({}),
  actions: z.array(FieldAction).max(20).default([]),
});

export const FieldNeed = z.object({
  kind: z.enum(['device', 'return_visit', 'help']),
  residentId: z.number().int().positive().optional(),
  detail: z.string().trim().max(500).optional(),
});

export const FieldVisit = z
  .object({
    clientVisitId: z.uuid(),
    /** Null for a household first found at the door; then `newHousehold` says where. */
    householdId: z.number().int().positive().nullable(),
    newHousehold: z
      .object({ address: z.string().trim().min(5).max(300), neighbourhoodId: z.number().int().positive().nullable().optional() })
      .optional(),
    visitedAt: z.iso.datetime({ offset: true }),
    outcome: z.enum(['done', 'nobody_home', 'refused', 'moved_away']),
    consent: z.boolean().describe('The household agreed that its personal data be recorded'),
    members: z.array(FieldVisitMember).max(40).default([]),
    newPeople: z.array(FieldNewPerson).max(20).default([]),
    needs: z.array(FieldNeed).max(20).default([]),
    note: z.string().trim().max(1000).optional(),
  })
  .refine((v) => (v.householdId === null) === (v.newHousehold !== undefined), {
    message: 'Cần mã hộ, hoặc địa chỉ của hộ mới tìm thấy',
    path: ['householdId'],
  });
export type FieldVisit = z.infer<typeof FieldVisit>;

export const SyncBatch = z.object({
  appVersion: z.string().max(40),
  visits: z
    .array(z.unknown())
    .max(200)
    .describe("Visits, and handovers (kind 'handover', FieldHandoverSend); each validated on its own, so one bad item refuses only itself"),
});

export const SyncOutcome = z.enum([
  'stored', // new, stored now
  'duplicate', // this id with this content was stored before: nothing changed
  'refused', // kept on the server for review; the app shows why
]);
export const SyncItemResult = z.object({
  clientVisitId: z.string().nullable().describe("The phone's id of the item: a visit's clientVisitId or a handover's clientHandoverId"),
  outcome: SyncOutcome,
  visitId: z.number().nullable(),
  householdId: z.number().nullable().describe('For a new household, the id the server gave it'),
  conflicts: z.number().describe('Values a newer fact contradicts, raised for an official'),
  reasonCode: z.string().nullable(),
  reason: z.string().nullable().describe('Vietnamese, for the volunteer'),
});
export type SyncItemResult = z.infer<typeof SyncItemResult>;
export const SyncResult = z.object({ results: z.array(SyncItemResult), serverTime: z.string() });
export type SyncResult = z.infer<typeof SyncResult>;

// ── Review: refused sends, conflicts, needs ─────────────────────────────────────────────────

export const RefusalReason = z.enum([
  'CONTENT_MISMATCH', // same client id, other content
  'NOT_ASSIGNED', // household not assigned to the sender
  'DEVICE_REVOKED',
  'APP_OUTDATED',
  'INVALID_VISIT',
  'NO_CONSENT_DATA', // personal data sent without consent
  // A handover from the field app (recordHandover's refusals):
  'HANDOVER_BAD_CODE', // the recipient's code is wrong (each wrong code is counted)
  'HANDOVER_CODE_LOCKED', // five wrong codes: the handover must be scheduled again
  'HANDOVER_IMEI_TAKEN',
  'HANDOVER_WRONG_STATE', // not scheduled (any more): handed over, cancelled, or not yet scheduled
]);
export const RefusalView = z.object({
  id: z.number(),
  clientVisitId: z.string().nullable(),
  user: z.object({ userId: z.number(), displayName: z.string() }).nullable(),
  deviceLabel: z.string().nullable(),
  householdId: z.number().nullable(),
  unitCode: z.string().nullable(),
  reasonCode: z.string(),
  reason: z.string(),
  payload: z.unknown(),
  receivedAt: z.string(),
  status: z.enum(['open', 'accepted', 'dismissed']),
  resolutionNote: z.string().nullable(),
  visitId: z.number().nullable(),
});
export const RefusalsQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  unit: UnitCode.optional(),
  status: z.enum(['open', 'accepted', 'dismissed']).default('open'),
});
export const RefusalPage = page(RefusalView);
export const RefusalDecision = z.object({
  decision: z.enum(['accept', 'dismiss']),
  note: z.string().trim().min(3, 'Ghi rõ lý do').max(500),
});

export const ConflictView = z.object({
  id: z.number(),
  residentId: z.number(),
  residentName: z.string(),
  householdId: z.number(),
  unitCode: z.string(),
  indicator: z.string(),
  visitValue: z.string(),
  visitObservedOn: z.string(),
  visitBy: z.string().nullable(),
  newerValue: z.string(),
  newerObservedOn: z.string(),
  newerSource: z.string(),
  raisedAt: z.string(),
  status: z.enum(['open', 'kept_newer', 'accepted_visit']),
});
export const ConflictsQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  unit: UnitCode.optional(),
  status: z.enum(['open', 'kept_newer', 'accepted_visit']).default('open'),
});
export const ConflictPage = page(ConflictView);
export const ConflictDecision = z.object({ decision: z.enum(['keep_newer', 'accept_visit']) });

export const VisitView = z.object({
  id: z.number(),
  clientVisitId: z.string(),
  householdId: z.number(),
  visitedAt: z.string(),
  receivedAt: z.string(),
  outcome: z.enum(['done', 'nobody_home', 'refused', 'moved_away']),
  consent: z.boolean(),
  by: z.string().nullable(),
  teamName: z.string().nullable(),
  membersPresent: z.number(),
  peopleHelped: z.number(),
  actionsDone: z.number(),
  peopleFound: z.number(),
  note: z.string().nullable(),
});
export type VisitView = z.infer<typeof VisitView>;

export const NeedView = z.object({
  id: z.number(),
  householdId: z.number(),
  residentId: z.number().nullable(),
  kind: z.enum(['device', 'return_visit', 'help']),
  detail: z.string().nullable(),
  status: z.enum(['open', 'met', 'cancelled']),
  raisedAt: z.string(),
});

// ── Progress ─────────────────────────────────────────────────────────────────────────────────

export const ProgressQuery = z.object({
  unit: UnitCode.optional(),
  team: z.coerce.number().int().positive().optional(),
  since: IsoDate.optional(),
});
export const ProgressRow = z.object({
  key: z.string(),
  label: z.string(),
  householdsAssigned: z.number(),
  householdsVisited: z.number().describe('Distinct households with a visit whose outcome is done'),
  visits: z.number(),
  peopleHelped: z.number(),
  actionsDone: z.number(),
  peopleFound: z.number(),
  membersAllElementsMet: z.number().describe('Living members of visited households with all four elements met'),
});
export type ProgressRow = z.infer<typeof ProgressRow>;
export const FieldProgress = z.object({
  scope: z.object({ unitCode: z.string().nullable(), teamId: z.number().nullable(), label: z.string() }),
  totals: ProgressRow,
  byMember: z.array(ProgressRow),
  byTeam: z.array(ProgressRow),
  byNeighbourhood: z.array(ProgressRow),
  byUnit: z.array(ProgressRow),
  byDay: z.array(z.object({ day: z.string(), visits: z.number(), householdsVisited: z.number() })),
  quotas: z.array(QuotaView),
});
export type FieldProgress = z.infer<typeof FieldProgress>;
