import type { ImportField, RowStatus, SourceType } from './imports-api';

export const SOURCE_TYPES: readonly SourceType[] = [
  'residence_list',
  'vneid_activation',
  'epayment_accounts',
  'social_insurance',
  'telecom_2g',
  'poverty_list',
  'training_roster',
  'organisation_list',
];

export const ROW_STATUSES: readonly RowStatus[] = ['review', 'rejected', 'applied', 'skipped'];

export const ALL_FIELDS: readonly ImportField[] = [
  'fullName', 'birthDate', 'sex', 'citizenId', 'phone', 'address', 'householdCode', 'relationToHead', 'residenceType', 'unit',
  'neighbourhood', 'povertyStatus', 'povertyListYear', 'vneidLevel', 'accountKind', 'courseName', 'completedOn', 'organisationName',
  'taxCode', 'organisationKind',
];

type Preset = { required: readonly ImportField[]; anyOf?: readonly (readonly ImportField[])[]; optional: readonly ImportField[] };

// Mirrors the server's source presets (packages/domain import-sources.ts) so the mapping step can
// say at once what is still missing; the server checks again when the import starts.
const PERSON_KEY: readonly (readonly ImportField[])[] = [['citizenId'], ['fullName', 'birthDate']];
const PLACE: readonly ImportField[] = ['address', 'unit', 'neighbourhood'];
const PRESETS: Record<SourceType, Preset> = {
  residence_list: {
    required: ['fullName', 'birthDate'],
    optional: ['sex', 'citizenId', 'phone', 'householdCode', 'relationToHead', 'residenceType', ...PLACE],
  },
  vneid_activation: { required: [], anyOf: PERSON_KEY, optional: ['vneidLevel', 'sex', 'phone', ...PLACE] },
  epayment_accounts: { required: [], anyOf: PERSON_KEY, optional: ['accountKind', 'sex', 'phone', ...PLACE] },
  social_insurance: { required: [], anyOf: PERSON_KEY, optional: ['sex', 'phone', ...PLACE] },
  telecom_2g: { required: ['phone'], optional: ['fullName', 'birthDate', 'citizenId', 'sex', ...PLACE] },
  poverty_list: {
    required: ['fullName'],
    optional: ['povertyStatus', 'povertyListYear', 'birthDate', 'sex', 'citizenId', 'householdCode', 'relationToHead', 'phone', ...PLACE],
  },
  training_roster: { required: ['fullName'], optional: ['courseName', 'completedOn', 'birthDate', 'sex', 'citizenId', 'phone', ...PLACE] },
  organisation_list: { required: ['organisationName'], optional: ['taxCode', 'organisationKind', 'phone', ...PLACE] },
};

/** The fields a source can carry, required ones first. */
export function sourceFields(source: SourceType): ImportField[] {
  const p = PRESETS[source];
  return [...new Set([...p.required, ...(p.anyOf ?? []).flat(), ...p.optional])];
}

/** Required fields no column is mapped to, as the server computes them. */
export function missingFields(source: SourceType, columns: readonly (ImportField | null)[]): ImportField[] {
  const present = new Set(columns.filter((c): c is ImportField => c !== null));
  const p = PRESETS[source];
  const missing = p.required.filter((f) => !present.has(f));
  const alternatives = p.anyOf ?? [];
  if (alternatives.length > 0) {
    const options = alternatives.map((group) => ({
      lacking: group.filter((f) => !present.has(f)),
      found: group.filter((f) => present.has(f)).length,
    }));
    if (options.every((o) => o.lacking.length > 0)) {
      const closest = options.reduce((best, o) =>
        o.lacking.length < best.lacking.length || (o.lacking.length === best.lacking.length && o.found > best.found) ? o : best,
      );
      for (const f of closest.lacking) if (!missing.includes(f)) missing.push(f);
    }
  }
  return missing;
}

/** Fields chosen for more than one column. */
export function duplicateFields(columns: readonly (ImportField | null)[]): ImportField[] {
  const seen = new Set<ImportField>();
  const twice = new Set<ImportField>();
  for (const c of columns) {
    if (c === null) continue;
    if (seen.has(c)) twice.add(c);
    seen.add(c);
  }
  return [...twice];
}

/**
 * Units (five-digit codes) a review reason names, for the "which unit?" choice, with the name when
 * the reason gives one before the code: "…nhiều đơn vị: Phường Sài Gòn (26740), Phường Bến Thành (26743)".
 */
export function unitsIn(reasons: readonly string[]): { code: string; name: string | null }[] {
  const found = new Map<string, string | null>();
  for (const r of reasons) {
    for (const m of r.matchAll(/([^,:;()]*?)\s*\((\d{5})\)/g)) {
      const name = m[1]?.trim() ?? '';
      const code = m[2] ?? '';
      if (code && (!found.has(code) || !found.get(code))) found.set(code, name || null);
    }
    for (const m of r.matchAll(/(?<!\d)\d{5}(?!\d)/g)) if (!found.has(m[0])) found.set(m[0], null);
  }
  return [...found].map(([code, name]) => ({ code, name }));
}
