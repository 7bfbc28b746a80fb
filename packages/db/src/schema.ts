// Drizzle's view of the tables that migrations/*.sql create. The SQL files are the source of
// truth (they carry the constraints, indexes and the reasons for them); this file must follow them.
import { sql } from 'drizzle-orm';
import { bigint, boolean, date, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const id = (name = 'id') => bigint(name, { mode: 'number' });
const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const provinces = pgTable('provinces', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  fullName: text('full_name').notNull(),
});

export const units = pgTable('units', {
  code: text('code').primaryKey(),
  provinceCode: text('province_code').notNull(),
  name: text('name').notNull(),
  fullName: text('full_name').notNull(),
  type: text('type', { enum: ['phuong', 'xa', 'dac_khu'] }).notNull(),
  nameAscii: text('name_ascii').notNull(),
  areaKm2: numeric('area_km2', { mode: 'number' }),
  population: integer('population'),
});

export const legacyUnits = pgTable('legacy_units', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  oldCode: text('old_code'),
  oldName: text('old_name').notNull(),
  oldDistrict: text('old_district').notNull(),
  oldDistrictCode: text('old_district_code').notNull(),
  oldProvince: text('old_province').notNull(),
  oldProvinceCode: text('old_province_code').notNull(),
  newCode: text('new_code').notNull(),
  mergeType: text('merge_type').notNull(),
  note: text('note'),
});

export const neighbourhoods = pgTable('neighbourhoods', {
  provinceCode: text('province_code').notNull(),
  id: id().notNull().generatedAlwaysAsIdentity(),
  unitCode: text('unit_code').notNull(),
  name: text('name').notNull(),
  nameFolded: text('name_folded').notNull(),
  mergedInto: id('merged_into'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [primaryKey({ columns: [t.provinceCode, t.id] })]);

export const users = pgTable('users', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  username: text('username').notNull(),
  /** Null for residents who sign in by a code sent to their phone or through OpenID Connect. */
  passwordHash: text('password_hash'),
  role: text('role', {
    enum: ['city_admin', 'analyst', 'unit_official', 'team_leader', 'volunteer', 'sponsor', 'citizen', 'auditor'],
  }).notNull(),
  displayName: text('display_name').notNull(),
  provinceCode: text('province_code').notNull(),
  residentId: id('resident_id'),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
  disabled: boolean('disabled').notNull().default(false),
  phoneHash: text('phone_hash'),
  oidcSubject: text('oidc_subject'),
  residentLink: text('resident_link', { enum: ['oidc', 'phone', 'typed', 'official'] }),
  /** The keyed hash of the citizen ID an identity provider proved for this account (20261203-04). */
  provenCitizenIdHash: text('proven_citizen_id_hash'),
  createdAt: createdAt(),
});

/** Links an official refused: the account may not take the record again by a phone or typed ID (20261203-03). */
export const refusedRecordLinks = pgTable(
  'refused_record_links',
  {
    provinceCode: text('province_code').notNull(),
    residentId: id('resident_id').notNull(),
    userId: id('user_id').notNull(),
    refusedBy: id('refused_by'),
    reason: text('reason').notNull(),
    refusedAt: timestamp('refused_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.residentId, t.userId] })],
);

export const userUnits = pgTable(
  'user_units',
  { userId: id('user_id').notNull(), unitCode: text('unit_code').notNull() },
  (t) => [primaryKey({ columns: [t.userId, t.unitCode] })],
);

export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: id('user_id').notNull(),
  csrfToken: text('csrf_token').notNull(),
  createdAt: createdAt(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  ip: text('ip'),
  userAgent: text('user_agent'),
});

export const households = pgTable(
  'households',
  {
    provinceCode: text('province_code').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    unitCode: text('unit_code').notNull(),
    neighbourhoodId: id('neighbourhood_id'),
    householdCode: text('household_code'),
    address: text('address').notNull(),
    /** The code and address folded as foldVietnamese folds them, kept by the database (migration 20261204-01). */
    searchFolded: text('search_folded')
      .notNull()
      .generatedAlwaysAs(sql`fold_vietnamese(coalesce(household_code, '') || ' ' || address)`),
    povertyStatus: text('poverty_status', { enum: ['poor', 'near_poor', 'none'] }).notNull().default('none'),
    povertyListYear: integer('poverty_list_year'),
    foundByVisitId: id('found_by_visit_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.id] })],
);

export const residents = pgTable(
  'residents',
  {
    provinceCode: text('province_code').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    householdId: id('household_id').notNull(),
    unitCode: text('unit_code').notNull(),
    fullName: text('full_name').notNull(),
    nameFolded: text('name_folded').notNull(),
    birthDate: date('birth_date', { mode: 'string' }),
    birthYear: integer('birth_year').notNull(),
    sex: text('sex', { enum: ['male', 'female'] }),
    citizenIdHash: text('citizen_id_hash'),
    citizenIdEnc: text('citizen_id_enc'),
    citizenIdLast4: text('citizen_id_last4'),
    legacyIdHash: text('legacy_id_hash'),
    legacyIdEnc: text('legacy_id_enc'),
    phone: text('phone'),
    phoneCarrier: text('phone_carrier'),
    relationToHead: text('relation_to_head', {
      enum: ['head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'relative', 'other'],
    }).notNull(),
    residenceType: text('residence_type', { enum: ['permanent', 'temporary'] }).notNull(),
    status: text('status', { enum: ['living', 'moved_away', 'deceased'] }).notNull().default('living'),
    mergedIntoId: id('merged_into_id'),
    leftOn: date('left_on', { mode: 'string' }),
    foundByVisitId: id('found_by_visit_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.id] })],
);

export const organisations = pgTable(
  'organisations',
  {
    provinceCode: text('province_code').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    unitCode: text('unit_code').notNull(),
    name: text('name').notNull(),
    nameFolded: text('name_folded').notNull(),
    kind: text('kind', { enum: ['business', 'cooperative', 'agency', 'organisation'] }).notNull(),
    taxCode: text('tax_code'),
    address: text('address'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.id] })],
);

export const facts = pgTable(
  'facts',
  {
    provinceCode: text('province_code').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    residentId: id('resident_id'),
    organisationId: id('organisation_id'),
    indicator: text('indicator').notNull(),
    value: text('value').notNull(),
    sourceKind: text('source_kind', { enum: ['import', 'visit', 'course', 'person', 'seed'] }).notNull(),
    sourceRef: text('source_ref'),
    statedBy: id('stated_by'),
    observedOn: date('observed_on', { mode: 'string' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    correctsFactId: id('corrects_fact_id'),
    note: text('note'),
    importBatchId: id('import_batch_id'),
    retracts: boolean('retracts').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.id] })],
);

export const assignments = pgTable(
  'assignments',
  {
    provinceCode: text('province_code').notNull(),
    householdId: id('household_id').notNull(),
    userId: id('user_id').notNull(),
    assignedAt: timestamp('assigned_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    teamId: id('team_id'),
    assignedBy: id('assigned_by'),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.householdId, t.userId] })],
);

export const auditLog = pgTable('audit_log', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  actorUserId: id('actor_user_id'),
  actorUsername: text('actor_username'),
  actorRole: text('actor_role'),
  action: text('action').notNull(),
  recordType: text('record_type'),
  recordIds: bigint('record_ids', { mode: 'number' }).array().notNull().default([]),
  unitCodes: text('unit_codes').array().notNull().default([]),
  fields: text('fields').array().notNull().default([]),
  ip: text('ip'),
  userAgent: text('user_agent'),
  detail: jsonb('detail'),
});

export const importBatches = pgTable('import_batches', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  provinceCode: text('province_code').notNull(),
  sourceType: text('source_type').notNull(),
  fileName: text('file_name').notNull(),
  fileSha256: text('file_sha256').notNull(),
  format: text('format', { enum: ['csv', 'xlsx'] }).notNull(),
  encoding: text('encoding'),
  legacyEncoding: text('legacy_encoding'),
  sheetName: text('sheet_name'),
  headerRow: integer('header_row').notNull(),
  headers: jsonb('headers').$type<string[]>().notNull(),
  mapping: jsonb('mapping').$type<(string | null)[]>().notNull(),
  uploadId: text('upload_id'),
  defaultUnit: text('default_unit'),
  status: text('status', { enum: ['running', 'completed', 'failed', 'rolled_back'] }).notNull().default('running'),
  lastRecord: integer('last_record').notNull().default(0),
  /** Estimated data records in the file, for a percentage (20261202-02-import-streaming.sql). */
  totalRecords: integer('total_records'),
  /** The process running the batch ("host/pid/random") and its last sign of life (renewed before every chunk). */
  claimedBy: text('claimed_by'),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  applied: integer('applied').notNull().default(0),
  review: integer('review').notNull().default(0),
  rejected: integer('rejected').notNull().default(0),
  skipped: integer('skipped').notNull().default(0),
  error: text('error'),
  createdBy: id('created_by'),
  createdAt: createdAt(),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  rolledBackAt: timestamp('rolled_back_at', { withTimezone: true, mode: 'date' }),
  rolledBackBy: id('rolled_back_by'),
});

/** Fields an import row overwrote on a record that existed before it (see 20261202-03-import-rollback.sql). */
export interface ImportRowUndo {
  table: 'households' | 'organisations';
  id: number;
  before: Record<string, string | number | null>;
  after: Record<string, string | number | null>;
}

export const importRows = pgTable(
  'import_rows',
  {
    provinceCode: text('province_code').notNull(),
    batchId: id('batch_id').notNull(),
    record: integer('record').notNull(),
    status: text('status', { enum: ['applied', 'review', 'rejected', 'skipped'] }).notNull(),
    reasons: text('reasons').array().notNull().default([]),
    cells: jsonb('cells'),
    residentId: id('resident_id'),
    unitCode: text('unit_code'),
    candidates: bigint('candidates', { mode: 'number' }).array().notNull().default([]),
    resolvedBy: id('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    createdRecord: boolean('created_record').notNull().default(false),
    createdHouseholdId: id('created_household_id'),
    organisationId: id('organisation_id'),
    undo: jsonb('undo').$type<ImportRowUndo>(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.record] })],
);

export const importMappings = pgTable(
  'import_mappings',
  {
    provinceCode: text('province_code').notNull(),
    sourceType: text('source_type').notNull(),
    name: text('name').notNull(),
    mapping: jsonb('mapping').notNull(),
    createdBy: id('created_by'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.sourceType, t.name] })],
);

export const residentMerges = pgTable(
  'resident_merges',
  {
    provinceCode: text('province_code').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    keptResidentId: id('kept_resident_id').notNull(),
    mergedResidentId: id('merged_resident_id').notNull(),
    reason: text('reason').notNull(),
    mergedBy: id('merged_by'),
    mergedAt: timestamp('merged_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    movedCitizenIdHash: text('moved_citizen_id_hash'),
    movedCitizenIdEnc: text('moved_citizen_id_enc'),
    movedCitizenIdLast4: text('moved_citizen_id_last4'),
    movedLegacyIdHash: text('moved_legacy_id_hash'),
    movedLegacyIdEnc: text('moved_legacy_id_enc'),
    undoneBy: id('undone_by'),
    undoneAt: timestamp('undone_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.id] })],
);

export const residentDistinctPairs = pgTable(
  'resident_distinct_pairs',
  {
    provinceCode: text('province_code').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    firstResidentId: id('first_resident_id').notNull(),
    secondResidentId: id('second_resident_id').notNull(),
    markedBy: id('marked_by'),
    markedAt: timestamp('marked_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    unmarkedBy: id('unmarked_by'),
    unmarkedAt: timestamp('unmarked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.id] })],
);

export const indicatorLedger = pgTable(
  'indicator_ledger',
  {
    unitCode: text('unit_code').notNull(),
    neighbourhoodId: id('neighbourhood_id').notNull(),
    key: text('key').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    delta: integer('delta').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.unitCode, t.neighbourhoodId, t.day] })],
);

export const indicatorTotals = pgTable(
  'indicator_totals',
  {
    unitCode: text('unit_code').notNull(),
    neighbourhoodId: id('neighbourhood_id').notNull(),
    key: text('key').notNull(),
    value: id('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.unitCode, t.neighbourhoodId] })],
);

export const indicatorPending = pgTable('indicator_pending', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  unitCode: text('unit_code').notNull(),
  neighbourhoodId: id('neighbourhood_id').notNull(),
  key: text('key').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  delta: integer('delta').notNull(),
});

export const indicatorTotalsState = pgTable('indicator_totals_state', {
  singleton: boolean('singleton').primaryKey().default(true),
  totalsAsOf: date('totals_as_of', { mode: 'string' }).notNull(),
});

export const reportedValues = pgTable('reported_values', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  planId: text('plan_id').notNull(),
  indicatorId: text('indicator_id').notNull(),
  unitCode: text('unit_code').notNull(),
  period: text('period').notNull(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  numerator: numeric('numerator', { mode: 'number' }),
  denominator: numeric('denominator', { mode: 'number' }),
  value: numeric('value', { mode: 'number' }).notNull(),
  note: text('note'),
  status: text('status', { enum: ['draft', 'submitted', 'approved', 'returned'] }).notNull().default('draft'),
  updatedBy: id('updated_by'),
  updatedAt: updatedAt(),
});

export const reportedValueEvents = pgTable('reported_value_events', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  reportedValueId: id('reported_value_id').notNull(),
  action: text('action', { enum: ['save', 'submit', 'approve', 'return'] }).notNull(),
  numerator: numeric('numerator', { mode: 'number' }),
  denominator: numeric('denominator', { mode: 'number' }),
  value: numeric('value', { mode: 'number' }).notNull(),
  note: text('note'),
  byUser: id('by_user'),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const unitTargets = pgTable(
  'unit_targets',
  {
    planId: text('plan_id').notNull(),
    indicatorId: text('indicator_id').notNull(),
    unitCode: text('unit_code').notNull(),
    target: numeric('target', { mode: 'number' }).notNull(),
    setBy: id('set_by'),
    setAt: timestamp('set_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.indicatorId, t.unitCode] })],
);

// The door-to-door campaign (migrations/20261202-05-field-campaign.sql).

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const teams = pgTable('teams', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  provinceCode: text('province_code').notNull(),
  unitCode: text('unit_code').notNull(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['community_tech', 'volunteer_squad', 'police_group'] }).notNull(),
  leaderUserId: id('leader_user_id'),
  createdBy: id('created_by'),
  createdAt: createdAt(),
  archivedAt: at('archived_at'),
});

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: id('team_id').notNull(),
    userId: id('user_id').notNull(),
    joinedAt: at('joined_at').notNull().defaultNow(),
    inviteId: id('invite_id'),
    removedAt: at('removed_at'),
    removedBy: id('removed_by'),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);

export const teamInvites = pgTable('team_invites', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  teamId: id('team_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  createdBy: id('created_by').notNull(),
  createdAt: createdAt(),
  expiresAt: at('expires_at').notNull(),
  maxUses: integer('max_uses').notNull().default(1),
  usedCount: integer('used_count').notNull().default(0),
  revokedAt: at('revoked_at'),
  revokedBy: id('revoked_by'),
});

export const teamAreas = pgTable('team_areas', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  provinceCode: text('province_code').notNull(),
  teamId: id('team_id').notNull(),
  neighbourhoodId: id('neighbourhood_id'),
  householdId: id('household_id'),
  assignedBy: id('assigned_by'),
  assignedAt: at('assigned_at').notNull().defaultNow(),
  removedAt: at('removed_at'),
});

export const fieldQuotas = pgTable('field_quotas', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  teamId: id('team_id').notNull(),
  userId: id('user_id'),
  planId: text('plan_id').notNull(),
  phaseId: text('phase_id').notNull(),
  householdsTarget: integer('households_target').notNull(),
  deadline: date('deadline', { mode: 'string' }).notNull(),
  setBy: id('set_by'),
  setAt: at('set_at').notNull().defaultNow(),
});

export const fieldDevices = pgTable('field_devices', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  userId: id('user_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  label: text('label').notNull(),
  userAgent: text('user_agent'),
  appVersion: text('app_version'),
  enrolledAt: at('enrolled_at').notNull().defaultNow(),
  lastSyncAt: at('last_sync_at'),
  revokedAt: at('revoked_at'),
  revokedBy: id('revoked_by'),
});

export const fieldVisits = pgTable(
  'field_visits',
  {
    provinceCode: text('province_code').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    clientVisitId: text('client_visit_id').notNull(),
    contentHash: text('content_hash').notNull(),
    householdId: id('household_id').notNull(),
    userId: id('user_id').notNull(),
    deviceId: id('device_id'),
    teamId: id('team_id'),
    unitCode: text('unit_code').notNull(),
    visitedAt: at('visited_at').notNull(),
    receivedAt: at('received_at').notNull().defaultNow(),
    outcome: text('outcome', { enum: ['done', 'nobody_home', 'refused', 'moved_away'] }).notNull(),
    consent: boolean('consent').notNull(),
    membersPresent: integer('members_present').notNull().default(0),
    peopleHelped: integer('people_helped').notNull().default(0),
    actionsDone: integer('actions_done').notNull().default(0),
    peopleFound: integer('people_found').notNull().default(0),
    appVersion: text('app_version'),
    payload: jsonb('payload').notNull(),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.id] })],
);

export const fieldRefusals = pgTable('field_refusals', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  provinceCode: text('province_code').notNull(),
  clientVisitId: text('client_visit_id'),
  userId: id('user_id'),
  deviceId: id('device_id'),
  householdId: id('household_id'),
  unitCode: text('unit_code'),
  reasonCode: text('reason_code').notNull(),
  reason: text('reason').notNull(),
  payload: jsonb('payload').notNull(),
  contentHash: text('content_hash'),
  receivedAt: at('received_at').notNull().defaultNow(),
  status: text('status', { enum: ['open', 'accepted', 'dismissed'] }).notNull().default('open'),
  resolvedBy: id('resolved_by'),
  resolvedAt: at('resolved_at'),
  resolutionNote: text('resolution_note'),
  visitId: id('visit_id'),
});

/** A handover sent from the field app, by the phone's id: a resend answers duplicate (migration 13). */
export const fieldHandovers = pgTable('field_handovers', {
  clientHandoverId: text('client_handover_id').primaryKey(),
  provinceCode: text('province_code').notNull(),
  allocationId: id('allocation_id').notNull(),
  contentHash: text('content_hash').notNull(),
  userId: id('user_id').notNull(),
  deviceId: id('device_id'),
  receivedAt: at('received_at').notNull().defaultNow(),
});

export const factConflicts = pgTable(
  'fact_conflicts',
  {
    provinceCode: text('province_code').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    residentId: id('resident_id').notNull(),
    indicator: text('indicator').notNull(),
    visitId: id('visit_id').notNull(),
    visitFactId: id('visit_fact_id').notNull(),
    newerFactId: id('newer_fact_id').notNull(),
    unitCode: text('unit_code').notNull(),
    raisedAt: at('raised_at').notNull().defaultNow(),
    status: text('status', { enum: ['open', 'kept_newer', 'accepted_visit'] }).notNull().default('open'),
    resolvedBy: id('resolved_by'),
    resolvedAt: at('resolved_at'),
    resolutionFactId: id('resolution_fact_id'),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.id] })],
);

export const householdNeeds = pgTable(
  'household_needs',
  {
    provinceCode: text('province_code').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    householdId: id('household_id').notNull(),
    residentId: id('resident_id'),
    kind: text('kind', { enum: ['device', 'return_visit', 'help'] }).notNull(),
    detail: text('detail'),
    visitId: id('visit_id'),
    unitCode: text('unit_code').notNull(),
    raisedAt: at('raised_at').notNull().defaultNow(),
    status: text('status', { enum: ['open', 'met', 'cancelled'] }).notNull().default('open'),
    closedBy: id('closed_by'),
    closedAt: at('closed_at'),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.id] })],
);

// ── Device support (migrations/20261202-06-device-support.sql) ──────────────────────────────

export const devicePriorityRules = pgTable('device_priority_rules', {
  code: text('code', { enum: ['poor', 'near_poor', 'elderly_alone', 'disability', 'pupil', 'single_parent'] }).primaryKey(),
  label: text('label').notNull(),
  points: integer('points').notNull(),
  active: boolean('active').notNull().default(true),
  source: text('source', { enum: ['registry', 'request'] }).notNull(),
  updatedBy: id('updated_by'),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

export const deviceRequests = pgTable(
  'device_requests',
  {
    provinceCode: text('province_code').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    householdId: id('household_id').notNull(),
    residentId: id('resident_id'),
    unitCode: text('unit_code').notNull(),
    channel: text('channel', { enum: ['citizen', 'official'] }).notNull(),
    circumstances: text('circumstances', { enum: ['disability', 'pupil', 'single_parent'] }).array().notNull().default([]),
    note: text('note'),
    requestedBy: id('requested_by'),
    createdAt: createdAt(),
    status: text('status', { enum: ['open', 'met', 'cancelled'] }).notNull().default('open'),
    closedAt: at('closed_at'),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.id] })],
);

export const sponsors = pgTable('sponsors', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  provinceCode: text('province_code').notNull(),
  kind: text('kind', { enum: ['business', 'union', 'organisation', 'individual'] }).notNull(),
  name: text('name').notNull(),
  contactName: text('contact_name'),
  contactPhone: text('contact_phone'),
  contactEmail: text('contact_email'),
  showPublicly: boolean('show_publicly').notNull(),
  userId: id('user_id'),
  createdBy: id('created_by'),
  createdAt: createdAt(),
  status: text('status', { enum: ['pending', 'active', 'declined'] }).notNull().default('active'),
  taxCode: text('tax_code'),
  intent: text('intent'),
  registeredIp: text('registered_ip'),
  decidedBy: id('decided_by'),
  decidedAt: at('decided_at'),
  declineReason: text('decline_reason'),
});

export const devicePledges = pgTable('device_pledges', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  sponsorId: id('sponsor_id').notNull(),
  kind: text('kind', { enum: ['device', 'money'] }).notNull(),
  model: text('model'),
  network: text('network', { enum: ['4g', '5g'] }).notNull(),
  quantity: integer('quantity').notNull(),
  amountVnd: bigint('amount_vnd', { mode: 'number' }),
  subsidyPerDeviceVnd: bigint('subsidy_per_device_vnd', { mode: 'number' }),
  deliveryUnitCode: text('delivery_unit_code'),
  deliveryPlace: text('delivery_place'),
  status: text('status', { enum: ['open', 'cancelled'] }).notNull().default('open'),
  received: integer('received').notNull().default(0),
  pledgedAt: at('pledged_at').notNull().defaultNow(),
  createdBy: id('created_by'),
  cancelledAt: at('cancelled_at'),
  cancelledBy: id('cancelled_by'),
  cancelReason: text('cancel_reason'),
});

export const deviceStock = pgTable('device_stock', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  provinceCode: text('province_code').notNull(),
  unitCode: text('unit_code').notNull(),
  pledgeId: id('pledge_id').notNull(),
  received: integer('received').notNull().default(0),
  available: integer('available').notNull().default(0),
  lastReceivedOn: date('last_received_on', { mode: 'string' }),
});

export const deviceDeliveries = pgTable('device_deliveries', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  stockId: id('stock_id').notNull(),
  pledgeId: id('pledge_id').notNull(),
  unitCode: text('unit_code').notNull(),
  quantity: integer('quantity').notNull(),
  receivedOn: date('received_on', { mode: 'string' }).notNull(),
  recordedBy: id('recorded_by'),
  recordedAt: at('recorded_at').notNull().defaultNow(),
});

export const deviceAllocations = pgTable(
  'device_allocations',
  {
    provinceCode: text('province_code').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    householdId: id('household_id').notNull(),
    unitCode: text('unit_code').notNull(),
    stockId: id('stock_id').notNull(),
    residentId: id('resident_id'),
    slot: integer('slot').notNull().default(1),
    score: integer('score').notNull(),
    reasons: jsonb('reasons').notNull().default([]),
    status: text('status', { enum: ['allocated', 'scheduled', 'handed_over', 'cancelled'] }).notNull().default('allocated'),
    allocatedBy: id('allocated_by'),
    allocatedAt: at('allocated_at').notNull().defaultNow(),
    cancelledBy: id('cancelled_by'),
    cancelledAt: at('cancelled_at'),
    cancelReason: text('cancel_reason'),
    scheduledFor: date('scheduled_for', { mode: 'string' }),
    scheduledBy: id('scheduled_by'),
    codeHash: text('code_hash'),
    codeAttempts: integer('code_attempts').notNull().default(0),
    imei: text('imei'),
    handedOverAt: at('handed_over_at'),
    handedOverOn: date('handed_over_on', { mode: 'string' }),
    handedOverBy: id('handed_over_by'),
    confirmation: text('confirmation', { enum: ['code', 'signature'] }),
    signaturePng: text('signature_png'),
    photo: text('photo'),
    photoSkippedNote: text('photo_skipped_note'),
    consentToSponsor: boolean('consent_to_sponsor').notNull().default(false),
    followUpDue: date('follow_up_due', { mode: 'string' }),
    followUpAt: at('follow_up_at'),
    followUpBy: id('follow_up_by'),
    followUpInUse: boolean('follow_up_in_use'),
    followUpNote: text('follow_up_note'),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.id] })],
);
