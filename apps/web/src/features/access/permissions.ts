import type { Role } from '@cds/contract';

/** What a signed-in person may open or do in the web app. The server decides again on every request. */
export type Capability =
  | 'units'
  | 'unitDetail'
  | 'households'
  | 'residents'
  | 'audit'
  | 'mine'
  | 'editNeighbourhoods'
  | 'exportResidents'
  | 'recordFacts'
  | 'imports'
  | 'dataQuality'
  /** Merge suspected duplicate residents, undo a merge, mark two records as two people. */
  | 'mergeResidents'
  /** The plans' targets dashboard: aggregates only, so every role that reads unit figures. */
  | 'plans'
  /** Enter and submit a unit's reported figures (unit officials), approve or return them (city admins). */
  | 'reportFigures'
  | 'approveFigures'
  /** The door-to-door campaign's teams and progress: officials for their units, leaders for their own teams. */
  | 'campaign'
  /** Create and archive teams, give them areas, set quotas, revoke devices: unit officials and city admins. */
  | 'manageTeams'
  /** Add and remove team members, invite by QR code, give team households to members. */
  | 'leadTeam'
  /** Refused sends and conflicting facts from the field, decided by an official. */
  | 'reviewField'
  /** The volunteers' offline field app at /field, a separate installable page. */
  | 'fieldApp'
  /** Device support (issue 6): who needs a device, allocation of sponsors' stock, handovers, follow-ups, reports. */
  | 'deviceSupport'
  /** A sponsor's own portal: their profile, pledges and what became of them, never a recipient. */
  | 'sponsorPortal'
  /** "Học tập số": learners' progress in one's units and competitions' standings (officials, and team leaders who teach). */
  | 'learning'
  /** Create competitions and upload their lists: unit officials (for their units) and city admins. */
  | 'manageCompetitions';

const capabilities: Record<Role, readonly Capability[]> = {
  city_admin: ['units', 'unitDetail', 'households', 'residents', 'audit', 'editNeighbourhoods', 'exportResidents', 'recordFacts', 'imports', 'dataQuality', 'mergeResidents', 'plans', 'reportFigures', 'approveFigures', 'campaign', 'manageTeams', 'leadTeam', 'reviewField', 'deviceSupport', 'learning', 'manageCompetitions'],
  // Analysts work with aggregates only: never a household or a person.
  // Their data-quality view carries counts only, no names.
  analyst: ['units', 'dataQuality', 'plans'],
  unit_official: ['units', 'unitDetail', 'households', 'residents', 'editNeighbourhoods', 'exportResidents', 'recordFacts', 'imports', 'dataQuality', 'mergeResidents', 'plans', 'reportFigures', 'campaign', 'manageTeams', 'leadTeam', 'reviewField', 'deviceSupport', 'learning', 'manageCompetitions'],
  // Team leaders see their units' figures and neighbourhoods, but change neither; they run their own team.
  team_leader: ['units', 'unitDetail', 'households', 'residents', 'recordFacts', 'plans', 'campaign', 'leadTeam', 'fieldApp', 'learning'],
  volunteer: ['households', 'residents', 'recordFacts', 'fieldApp'],
  // Sponsors see their own pledges and where the devices went, by unit: never a personal row.
  sponsor: ['sponsorPortal'],
  citizen: ['mine'],
  // Auditors check the figures reported upward as well as who saw which record.
  auditor: ['audit', 'plans'],
};

export function can(role: Role, capability: Capability): boolean {
  return capabilities[role].includes(capability);
}

/** Where a person lands after signing in: the first page their role may use. */
export function homePath(role: Role): string {
  if (can(role, 'sponsorPortal')) return '/sponsor';
  if (can(role, 'mine')) return '/me';
  if (can(role, 'units')) return '/units';
  if (can(role, 'households')) return '/households';
  if (can(role, 'audit')) return '/audit';
  return '/welcome';
}
