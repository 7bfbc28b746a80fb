import type { Indicator } from './indicators.ts';

// What a door-to-door visit means for the registry: each thing done at the door becomes a value
// of one indicator, the visit is dated by the day in Vietnam, and app versions are compared so
// an outdated field app is told to update.

/** Things done at the door. The contract's FieldAction enum lists the same names. */
export const FIELD_ACTIONS = [
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
] as const;
export type FieldActionName = (typeof FIELD_ACTIONS)[number];

export const FIELD_ACTION_FACTS: Record<FieldActionName, { indicator: Indicator; value: string }> = {
  city_app_installed: { indicator: 'city_app_installed', value: 'true' },
  vneid_activated: { indicator: 'vneid', value: 'level1' },
  vneid_level2: { indicator: 'vneid', value: 'level2' },
  epayment_account_opened: { indicator: 'epayment_account', value: 'true' },
  public_service_account_made: { indicator: 'public_service_account', value: 'true' },
  social_insurance_added: { indicator: 'social_insurance_vneid', value: 'true' },
  vssid_installed: { indicator: 'vssid_installed', value: 'true' },
  etax_set_up: { indicator: 'etax_account', value: 'true' },
  digital_signature_given: { indicator: 'digital_signature', value: 'true' },
  health_record_updated: { indicator: 'health_record_updated', value: 'true' },
  trained: { indicator: 'basic_skills_trained', value: 'true' },
};

const VNEID_RANK: Record<string, number> = { none: 0, issued: 1, level1: 2, level2: 3 };

/**
 * The values a member ends the visit with: what was observed, then what was done on the spot.
 * Activating VNeID never lowers an account already at level 2 (known before or seen at the door).
 */
export function visitValues(
  observed: Readonly<Record<string, string>>,
  actions: readonly FieldActionName[],
  known: Readonly<Partial<Record<string, string>>> = {},
): Map<string, string> {
  const values = new Map(Object.entries(observed));
  for (const action of actions) {
    const { indicator, value } = FIELD_ACTION_FACTS[action];
    if (indicator === 'vneid') {
      const before = values.get('vneid') ?? known.vneid;
      if (before !== undefined && (VNEID_RANK[before] ?? 0) >= (VNEID_RANK[value] ?? 0)) {
        if (!values.has('vneid')) values.set('vneid', before);
        continue;
      }
    }
    values.set(indicator, value);
  }
  return values;
}

const VIETNAM_OFFSET_MS = 7 * 3600_000; // Asia/Ho_Chi_Minh, no daylight saving since 1975

/** The day a visit happened in Vietnam, 'YYYY-MM-DD': a visit at 23:30 local time is that day, not the next UTC day. */
export function visitDate(visitedAt: string | Date): string {
  const at = typeof visitedAt === 'string' ? new Date(visitedAt) : visitedAt;
  if (Number.isNaN(at.getTime())) throw new RangeError(`not a time: ${String(visitedAt)}`);
  return new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

function versionParts(version: string): number[] | null {
  const match = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?\s*$/.exec(version);
  if (!match) return null;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/** -1, 0 or 1 as semantic versions (major.minor.patch; a pre-release tag is ignored). Unreadable versions sort first. */
export function compareAppVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : 0;
  for (let i = 0; i < 3; i++) {
    if (pa[i]! !== pb[i]!) return pa[i]! < pb[i]! ? -1 : 1;
  }
  return 0;
}

/** An unreadable version is outdated: a client that cannot say what it is cannot be trusted to send the current format. */
export const isAppVersionAtLeast = (version: string, minimum: string) => versionParts(version) !== null && compareAppVersions(version, minimum) >= 0;

/**
 * JSON with object keys sorted at every level, so that the same visit sent twice hashes the same
 * whatever order the phone wrote its keys in. Undefined members are left out, as JSON does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
