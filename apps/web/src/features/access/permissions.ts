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
  | 'approveFigures';

const capabilities: Record<Role, readonly Capability[]> = {
  city_admin: ['units', 'unitDetail', 'households', 'residents', 'audit', 'editNeighbourhoods', 'exportResidents', 'recordFacts', 'imports', 'dataQuality', 'mergeResidents', 'plans', 'reportFigures', 'approveFigures'],
  // Analysts work with aggregates only: never a household or a person.
  // Their data-quality view carries counts only, no names.
  analyst: ['units', 'dataQuality', 'plans'],
  unit_official: ['units', 'unitDetail', 'households', 'residents', 'editNeighbourhoods', 'exportResidents', 'recordFacts', 'imports', 'dataQuality', 'mergeResidents', 'plans', 'reportFigures'],
  // Team leaders see their units' figures and neighbourhoods, but change neither.
  team_leader: ['units', 'unitDetail', 'households', 'residents', 'recordFacts', 'plans'],
  volunteer: ['households', 'residents', 'recordFacts'],
  // Sponsors' pages (pledges, devices) are not built yet; they get a welcome page and no personal data.
  sponsor: [],
  citizen: ['mine'],
  // Auditors check the figures reported upward as well as who saw which record.
  auditor: ['audit', 'plans'],
};

export function can(role: Role, capability: Capability): boolean {
  return capabilities[role].includes(capability);
}

/** Where a person lands after signing in: the first page their role may use. */
export function homePath(role: Role): string {
  if (can(role, 'mine')) return '/me';
  if (can(role, 'units')) return '/units';
  if (can(role, 'households')) return '/households';
  if (can(role, 'audit')) return '/audit';
  return '/welcome';
}
