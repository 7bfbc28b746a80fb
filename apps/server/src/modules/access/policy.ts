import { AppError } from '../../platform/errors.ts';
import type { Actor } from './actor.ts';

// Who may do what, as sentences. Area (which rows) is enforced separately, in every query, by scope.ts.

const CITY_WIDE = new Set(['city_admin', 'analyst', 'auditor']);
const READS_PERSONAL_ROWS = new Set(['city_admin', 'unit_official', 'team_leader', 'volunteer', 'citizen']);
const RECORDS_FACTS = new Set(['city_admin', 'unit_official', 'team_leader', 'volunteer']);

/**
 * A citizen holds their record by a link an identity provider vouched for or an official made; a
 * phone or a typed ID only shows it is probably theirs (numbers are reused, ID photocopies carry
 * the birth date), so those accounts never reveal the full citizen ID or phone.
 */
export const holdsRecordStrongly = (actor: Actor) =>
  actor.residentId !== null && (actor.residentLink === undefined || actor.residentLink === 'oidc' || actor.residentLink === 'official');

export const may = {
  /** Analysts, auditors and sponsors never receive a personal row. */
  readPersonalRows: (actor: Actor) => READS_PERSONAL_ROWS.has(actor.role),
  /** Unit lists with counts are aggregates: city-wide roles see the city, officials and leaders their units. */
  readUnitAggregates: (actor: Actor) => CITY_WIDE.has(actor.role) || actor.role === 'unit_official' || actor.role === 'team_leader',
  editRegistry: (actor: Actor) => actor.role === 'city_admin' || actor.role === 'unit_official',
  recordFacts: (actor: Actor) => RECORDS_FACTS.has(actor.role),
  manageNeighbourhoods: (actor: Actor, unitCode: string) =>
    actor.role === 'city_admin' || (actor.role === 'unit_official' && actor.unitCodes.includes(unitCode)),
  readAudit: (actor: Actor) => actor.role === 'auditor' || actor.role === 'city_admin',
  /** The full citizen ID is for officials who must verify identity, and for the citizen's own record. */
  revealCitizenId: (actor: Actor, residentId: number) =>
    actor.role === 'city_admin' || actor.role === 'unit_official' || (actor.role === 'citizen' && actor.residentId === residentId && holdsRecordStrongly(actor)),
  /** Volunteers call households to arrange visits, so they may reveal a phone, never an ID. */
  revealPhone: (actor: Actor, residentId: number) =>
    actor.role === 'city_admin' ||
    actor.role === 'unit_official' ||
    actor.role === 'team_leader' ||
    actor.role === 'volunteer' ||
    (actor.role === 'citizen' && actor.residentId === residentId && holdsRecordStrongly(actor)),
  /**
   * Merging two records, or marking them as two people, changes both: a unit official only when
   * every record is in their own units, a city admin anywhere in the city.
   */
  decideDuplicates: (actor: Actor, unitCodes: readonly string[]) =>
    actor.role === 'city_admin' || (actor.role === 'unit_official' && unitCodes.every((code) => actor.unitCodes.includes(code))),
  /** A unit reports its own figures (dossiers online, cashless payments…); city staff may enter them for any unit. */
  reportUnitFigures: (actor: Actor, unitCode: string) =>
    actor.role === 'city_admin' || (actor.role === 'unit_official' && actor.unitCodes.includes(unitCode)),
  /** Approval is one level up from the commune-level unit: the city. */
  approveUnitFigures: (actor: Actor) => actor.role === 'city_admin',
  /** Splitting a city target into unit quotas is the city's decision. */
  setTargets: (actor: Actor) => actor.role === 'city_admin',
  /** A unit official writes only in their own units; a city admin anywhere in the city. */
  workInUnit: (actor: Actor, unitCode: string) =>
    actor.role === 'city_admin' || (actor.role === 'unit_official' && actor.unitCodes.includes(unitCode)),
  /** Teams are set up by their unit: a unit official in their own units, a city admin anywhere. */
  manageTeams: (actor: Actor, unitCode: string) =>
    actor.role === 'city_admin' || (actor.role === 'unit_official' && actor.unitCodes.includes(unitCode)),
  /** Team lists and pages: those who set teams up, and leaders (scope.ts narrows them to their own teams). */
  readTeams: (actor: Actor) => actor.role === 'city_admin' || actor.role === 'unit_official' || actor.role === 'team_leader',
  /**
   * Members, invites and who visits which household are run by the team's leader, as well as by
   * those who manage the team.
   */
  runTeam: (actor: Actor, team: { unitCode: string; leaderUserId: number | null }) =>
    actor.role === 'city_admin' ||
    (actor.role === 'unit_official' && actor.unitCodes.includes(team.unitCode)) ||
    (actor.role === 'team_leader' && team.leaderUserId === actor.userId),
  /** Field progress is for those who run the campaign; a volunteer's own progress comes from the app's local data. */
  /**
   * Who recorded a fact (a login name) and the internal reference it came with (a visit's id, an
   * import's source) are the officials' working data; a citizen reading their own record sees
   * what was recorded, how and when.
   */
  seeFactProvenance: (actor: Actor) => actor.role !== 'citizen',
  readFieldProgress: (actor: Actor) => actor.role === 'city_admin' || actor.role === 'unit_official' || actor.role === 'team_leader',
  // Device support.
  /** The priority rules are the city's policy: read by those who work the lists, changed by the city. */
  readDeviceRules: (actor: Actor) => actor.role !== 'sponsor' && actor.role !== 'citizen',
  setDeviceRules: (actor: Actor) => actor.role === 'city_admin',
  /** Who needs a device is a list of households: for those who work on them (scope.ts narrows it). */
  readDeviceNeeds: (actor: Actor) => RECORDS_FACTS.has(actor.role),
  /** A resident asks for their own household; officials and field workers record requests they hear. */
  requestDevice: (actor: Actor) => actor.role === 'citizen' || RECORDS_FACTS.has(actor.role),
  /** Sponsors are registered by the city; unit officials see them to receive their deliveries. */
  manageSponsors: (actor: Actor) => actor.role === 'city_admin',
  readSponsors: (actor: Actor) => actor.role === 'city_admin' || actor.role === 'unit_official',
  /** A pledge is made by the city on a sponsor's behalf, or by the sponsor's own login. */
  pledgeFor: (actor: Actor, sponsor: { userId: number | null }) =>
    actor.role === 'city_admin' || (actor.role === 'sponsor' && sponsor.userId === actor.userId),
  /** Receiving devices into a unit's stock and allocating them: the unit's officials, or the city. */
  runDeviceStock: (actor: Actor, unitCode: string) =>
    actor.role === 'city_admin' || (actor.role === 'unit_official' && actor.unitCodes.includes(unitCode)),
  /** Allocating a unit's stock to its households is an official's decision (runDeviceStock says which unit). */
  allocateDevices: (actor: Actor) => actor.role === 'city_admin' || actor.role === 'unit_official',
  /** Handovers are scheduled and recorded at the door, by field workers as well as officials. */
  handOverDevices: (actor: Actor) => RECORDS_FACTS.has(actor.role),
  /** Per-unit device reports name households: officials only. */
  readDeviceReports: (actor: Actor) => actor.role === 'city_admin' || actor.role === 'unit_official',
  // "Bình dân học vụ số".
  /**
   * A competition is run by the city, or by a unit official when every unit of its audience is
   * their own (a list's units are those of its members).
   */
  manageCompetitions: (actor: Actor, unitCodes: readonly string[]) =>
    actor.role === 'city_admin' || (actor.role === 'unit_official' && unitCodes.every((code) => actor.unitCodes.includes(code))),
  /** Learners' progress names people: officials, and team leaders who run training sessions (scope: their units). */
  readLearnerProgress: (actor: Actor) => actor.role === 'city_admin' || actor.role === 'unit_official' || actor.role === 'team_leader',
  /** A sponsor's portal: aggregates of their own pledges, never a recipient without consent. */
  readSponsorPortal: (actor: Actor) => actor.role === 'sponsor',
};

export function requireThat(allowed: boolean): void {
  if (!allowed) throw new AppError('FORBIDDEN');
}
